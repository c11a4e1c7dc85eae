"""The failure events' plan: patterns (checked with moto's EventBridge matcher on AWS-shaped events), readable
messages, routing, names, ids and limits."""

from __future__ import annotations

import json

import pytest
from moto.events.models import EventPattern

from cdk_sagemaker_monitoring.catalog.events import EVENT_KINDS, KIND_KEYS
from cdk_sagemaker_monitoring.config.events import EventsConfig, EventsSection
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.errors import ConfigurationError, ConfigurationErrors
from cdk_sagemaker_monitoring.plan.actions import plan_routes
from cdk_sagemaker_monitoring.plan.events import plan_events, render_message
from tests.support.sagemaker_events import ACCOUNT, FAILURES, NOT_FAILURES, REGION, TIME, endpoint, pipeline_execution

CHURN = plan_events(EventsConfig(name_prefixes=["churn-"]))


def matching(plan, event):
    return [r.kind.key for r in plan.rules if EventPattern.load(r.pattern_json).matches_event(event)]


def test_every_kind_has_a_sample_failure():
    assert set(FAILURES) == set(KIND_KEYS)


@pytest.mark.parametrize("key", sorted(FAILURES))
def test_a_failure_of_a_prefixed_name_matches_its_rule_only(key):
    event, _, _ = FAILURES[key]
    assert matching(CHURN, event) == [key]


@pytest.mark.parametrize("what", sorted(NOT_FAILURES))
def test_successes_progress_and_other_names_match_no_rule(what):
    assert matching(CHURN, NOT_FAILURES[what]) == []


def test_without_prefixes_every_name_matches():
    everything = plan_events(EventsConfig())
    assert matching(everything, NOT_FAILURES["training of another name failed"]) == ["training_job_failed"]
    assert matching(everything, NOT_FAILURES["pipeline of another name failed"]) == ["pipeline_execution_failed"]
    assert matching(everything, NOT_FAILURES["training completed"]) == []


@pytest.mark.parametrize("status", ["Failed", "FAILED", "failed", "UpdateRollbackFailed", "UPDATE_ROLLBACK_FAILED"])
def test_endpoint_statuses_match_in_either_casing(status):
    assert matching(CHURN, endpoint("churn-endpoint", status)) == ["endpoint_failed"]


def test_pipeline_arns_match_a_lower_cased_name_too():
    plan = plan_events(EventsConfig(name_prefixes=["Churn-"]))
    assert matching(plan, pipeline_execution("Churn-Pipeline", "Failed")) == ["pipeline_execution_failed"]
    assert matching(plan, pipeline_execution("churn-pipeline", "Failed")) == ["pipeline_execution_failed"]
    assert matching(plan, pipeline_execution("xchurn-pipeline", "Failed")) == []


@pytest.mark.parametrize("key", sorted(FAILURES))
def test_the_message_is_readable_text_naming_the_resource_and_reason(key):
    event, name, reason = FAILURES[key]
    rule = next(r for r in CHURN.rules if r.kind.key == key)
    text = render_message(rule.input_template, rule.input_paths, event)
    assert text.startswith("\n") and text.endswith("\n")  # what an emulator may strip (see input_template)
    assert name in text.strip().splitlines()[0]
    if reason:
        assert reason in text
    for value in (ACCOUNT, REGION, TIME, rule.severity, f"https://{REGION}.console.aws.amazon.com/sagemaker/"):
        assert value in text
    assert "<" not in text.replace("<=", "")  # every variable was filled in
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)  # never the raw event
    assert '"detail"' not in text and "{" not in text


def test_the_input_template_is_plain_text_and_paths_exist_in_the_event():
    for rule in CHURN.rules:
        assert not rule.input_template.startswith('"') and "\n" in rule.input_template  # not a quoted JSON string
        with pytest.raises(json.JSONDecodeError):
            json.loads(rule.input_template)
        event = FAILURES[rule.kind.key][0]
        for variable, path in rule.input_paths.items():
            node = event
            for part in path.removeprefix("$.").split("."):
                node = node[part]
            assert node is not None, (rule.kind.key, variable)
        assert len(rule.input_paths) <= 100


def test_rules_alarms_and_queue_are_named_from_the_prefixes_and_stable():
    plan = plan_events(EventsConfig(rule_name_prefix="Prod"), alarm_name_prefix="Team")
    names = plan.rule_names
    assert names[0] == "Prod-TrainingJobFailed" and all(n.startswith("Prod-") and len(n) <= 64 for n in names)
    assert plan.rules[0].alarm.name == "Team/FailureEvents/TrainingJobFailed/Critical"
    assert plan.queue_name == "Prod-FailureEvents-DLQ"
    assert plan.log_group_name == "/aws/events/Prod/sagemaker-failures"
    fewer = plan_events(EventsConfig(rule_name_prefix="Prod", kinds={"training_job_failed": {"enabled": False}}),
                        alarm_name_prefix="Team")
    kept = {r.name: (r.id, r.alarm.id) for r in fewer.rules}
    assert all(kept[r.name] == (r.id, r.alarm.id) for r in plan.rules if r.name in kept)
    assert "Prod-TrainingJobFailed" not in kept


def test_severity_per_kind_names_the_alarm_and_routes_it():
    config = validate(MonitoringConfig, {"alarm_actions": {
        "Critical": ["arn:aws:sns:us-east-1:123456789012:pager"],
        "Warning": ["arn:aws:sns:us-east-1:123456789012:chat", "arn:aws:ssm:us-east-1:123456789012:opsitem:3"]}})
    plan = plan_events(EventsConfig(kinds={"endpoint_failed": {"severity": "Warning"}}), routes=plan_routes(config))
    rule = next(r for r in plan.rules if r.kind.key == "endpoint_failed")
    assert rule.severity == "Warning" and rule.alarm.name.endswith("/Warning")
    assert rule.destinations == ("arn:aws:sns:us-east-1:123456789012:chat",)  # topics only: the alarm has the rest
    assert rule.alarm.alarm_actions == ("arn:aws:sns:us-east-1:123456789012:chat",
                                        "arn:aws:ssm:us-east-1:123456789012:opsitem:3")
    training = next(r for r in plan.rules if r.kind.key == "training_job_failed")
    assert training.destinations == ("arn:aws:sns:us-east-1:123456789012:pager",)
    assert plan.parameters == ()


def test_the_alarm_watches_the_rules_triggered_count():
    rule = CHURN.rules[0]
    props = rule.alarm.properties()
    assert (props["Namespace"], props["MetricName"]) == ("AWS/Events", "TriggeredRules")
    assert props["Dimensions"] == [{"Name": "RuleName", "Value": rule.name}]
    assert props["TreatMissingData"] == "notBreaching" and props["Threshold"] == 1
    dlq = CHURN.dlq_alarm.properties()
    assert dlq["Dimensions"] == [{"Name": "QueueName", "Value": CHURN.queue_name}]


def test_the_dashboard_graphs_every_rule_and_tables_the_archive():
    body = json.loads(CHURN.dashboard_body())
    graphed = {m[3] for w in body["widgets"] if w["properties"].get("title") == "Failures per kind"
               for m in w["properties"]["metrics"]}
    assert graphed == set(CHURN.rule_names)
    table = next(w for w in body["widgets"] if w["type"] == "log")
    assert table["properties"]["query"].startswith(f"SOURCE '{CHURN.log_group_name}'")
    assert "detail.FailureReason" in table["properties"]["query"]
    assert CHURN.dashboard_body() == plan_events(EventsConfig(name_prefixes=["churn-"])).dashboard_body()


@pytest.mark.parametrize("values, field", [
    ({"name_prefixes": ["-churn"]}, "name_prefixes[0]"),
    ({"name_prefixes": ["churn_"]}, "name_prefixes[0]"),
    ({"name_prefixes": ["a" * 64]}, "name_prefixes[0]"),
    ({"name_prefixes": []}, "name_prefixes"),
    ({"name_prefixes": ["churn-", "churn-"]}, "name_prefixes"),
    ({"kinds": {"training_jobs": {"enabled": False}}}, "kinds.training_jobs"),
    ({"kinds": {"endpoint_failed": {"severity": "High"}}}, "kinds.endpoint_failed.severity"),
    ({"rule_name_prefix": "a" * 41}, "rule_name_prefix"),
    ({"log_retention_days": 10}, "log_retention_days"),
])
def test_bad_settings_are_refused_naming_the_field(values, field):
    with pytest.raises(ConfigurationErrors) as caught:
        validate(EventsSection, values, prefix="events")
    assert any(e.field.startswith(f"events.{field}") for e in caught.value.errors), caught.value


def test_too_many_topics_for_one_rule_are_refused():
    topics = [f"arn:aws:sns:us-east-1:123456789012:t{i}" for i in range(5)]
    config = validate(MonitoringConfig, {"alarm_actions": {"Critical": topics}})
    with pytest.raises(ConfigurationError) as caught:
        plan_events(EventsConfig(), routes=plan_routes(config))
    assert caught.value.field == "alarm_actions.Critical"


def test_the_longest_rule_name_fits():
    longest = max(EVENT_KINDS, key=lambda k: len(k.rule_suffix))
    plan = plan_events(EventsConfig(rule_name_prefix="a" * 40))
    assert max(len(n) for n in plan.rule_names) == 41 + len(longest.rule_suffix) <= 64


def test_the_guide_shows_the_real_text_of_its_notifications():
    from pathlib import Path
    import re

    guide = (Path(__file__).resolve().parents[2] / "docs" / "guides" / "events.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```text\n(.*?)\n```", guide, re.DOTALL)
    shown = []
    app = plan_events(EventsConfig(name_prefixes=["churn-"]), stack_name="Churn")  # the guide's stack
    for key in ("training_job_failed", "pipeline_step_failed"):
        rule = next(r for r in app.rules if r.kind.key == key)
        shown.append(render_message(rule.input_template, rule.input_paths, FAILURES[key][0]).strip())
    assert blocks[:2] == shown


@pytest.mark.parametrize("stack_name, prefix", [
    (None, "SageMaker"), ("Churn", "Churn"), ("Org-prod", "Org-prod"),
    ("A" * 41, "A" * 31 + "-"), ("x" * 128, "x" * 31 + "-"),
])
def test_rules_are_named_after_the_stack_unless_configured(stack_name, prefix):
    plan = plan_events(EventsConfig(), stack_name=stack_name)
    assert plan.rule_name_prefix.startswith(prefix) and len(plan.rule_name_prefix) <= 40
    assert plan_events(EventsConfig(rule_name_prefix="Mine"), stack_name=stack_name).rule_name_prefix == "Mine"
    if stack_name and len(stack_name) > 40:
        other = plan_events(EventsConfig(), stack_name=stack_name + "2").rule_name_prefix
        assert other != plan.rule_name_prefix  # the digest of the whole name keeps long names apart
