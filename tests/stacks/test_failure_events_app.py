"""The YAML app with ``events: {name_prefixes: [churn-]}``, checked from outside: the template alone and AWS-shaped
events (moto's EventBridge matcher), as a reviewer would check it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from moto.events.models import EventPattern
from support.synth import cfn_lint, new_app

from cdk_sagemaker_monitoring.config.loader import parse_config
from cdk_sagemaker_monitoring.plan.events import render_message
from cdk_sagemaker_monitoring.stacks.app_stacks import build_stacks
from tests.support.sagemaker_events import FAILURES, NOT_FAILURES

YAML = """
stack_name: Churn
trail: {enabled: false}
endpoints: [churn-endpoint]
alarm_emails: [ops@example.com]
events:
  name_prefixes: [churn-]
"""


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    app = new_app()
    build_stacks(app, parse_config(YAML))
    (stack,) = app.synth().stacks
    return stack.template


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def matching_rules(template: dict[str, Any], event: dict[str, Any]) -> list[dict[str, Any]]:
    return [r["Properties"] for r in of_type(template, "AWS::Events::Rule").values()
            if r["Properties"].get("State") == "ENABLED" and "EventBusName" not in r["Properties"]
            and EventPattern.load(json.dumps(r["Properties"]["EventPattern"])).matches_event(event)]


def test_cfn_lint_has_no_errors(template):
    assert cfn_lint(template) == []


@pytest.mark.parametrize("key", sorted(FAILURES))
def test_every_failure_of_a_churn_resource_is_heard_read_and_counted(template, key):
    event, name, reason = FAILURES[key]
    (rule,) = matching_rules(template, event)
    topics = {k for k in of_type(template, "AWS::SNS::Topic")}
    notify = [t for t in rule["Targets"] if isinstance(t["Arn"], dict) and t["Arn"].get("Ref") in topics]
    assert notify, rule["Name"]
    for target in rule["Targets"]:
        assert "DeadLetterConfig" in target
    transformer = notify[0]["InputTransformer"]
    text = render_message(transformer["InputTemplate"], transformer["InputPathsMap"], event)
    assert name in text and reason in text
    watched = [a["Properties"] for a in of_type(template, "AWS::CloudWatch::Alarm").values()
               if a["Properties"].get("Namespace") == "AWS/Events"
               and {"Name": "RuleName", "Value": rule["Name"]} in a["Properties"].get("Dimensions", [])]
    assert len(watched) == 1 and watched[0]["AlarmName"].split("/")[-1] in ("Critical", "Warning")


@pytest.mark.parametrize("what", sorted(NOT_FAILURES))
def test_successes_progress_and_other_names_match_no_rule(template, what):
    assert matching_rules(template, NOT_FAILURES[what]) == []


def test_events_are_on_by_default_and_can_be_turned_off():
    app = new_app()
    build_stacks(app, parse_config("stack_name: A\ntrail: {enabled: false}\n"))
    build_stacks(app, parse_config("stack_name: B\ntrail: {enabled: false}\nevents: {enabled: false}\n"))
    found = {s.stack_name: len(of_type(s.template, "AWS::Events::Rule")) for s in app.synth().stacks}
    assert found["A"] > 0 and found["B"] == 0
