"""Alarms that reach no one: a warning at synth (annotation with an id; one stderr line from the bundled app)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from support.synth import TEST_ENV, new_app

from cdk_sagemaker_monitoring import SageMakerMonitoring
from cdk_sagemaker_monitoring.plan.notifications import NOBODY_NOTIFIED

ROOT = Path(__file__).resolve().parents[2]
TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:oncall"


def warnings_of(**kwargs: Any) -> list[str]:
    app = new_app()
    stack = cdk.Stack(app, "S", env=TEST_ENV)
    SageMakerMonitoring(stack, "Monitoring", cost_annotation=False, **kwargs)
    found = cdk.assertions.Annotations.from_stack(stack).find_warning("*", cdk.assertions.Match.any_value())
    return [str(w.entry.data) for w in found]


def test_alarms_without_emails_topic_or_actions_warn_naming_the_three_fixes() -> None:
    (warning,) = warnings_of(endpoints=["churn"])
    assert warning.startswith("no one is notified: its alarms go to a new SNS topic without subscriptions.")
    for fix in ("alarm_emails", "alarm_topic", "alarm_actions"):
        assert fix in warning
    assert warning.endswith(f"[ack: {NOBODY_NOTIFIED}]")


@pytest.mark.parametrize("kwargs", [
    {"alarm_emails": ["oncall@example.com"]},
    {"alarm_topic": TOPIC_ARN},
    {"alarm_actions": {"Critical": [TOPIC_ARN], "Warning": [TOPIC_ARN]}},
    {},  # no resources, no alarms
], ids=["emails", "topic-arn", "actions", "no-alarms"])
def test_alarms_that_reach_someone_do_not_warn(kwargs: dict[str, Any]) -> None:
    resources = {"endpoints": ["churn"]} if kwargs else {}
    assert warnings_of(**resources, **kwargs) == []


def test_a_topic_object_or_a_subscription_added_in_code_reaches_someone() -> None:
    app = new_app()
    stack = cdk.Stack(app, "S", env=TEST_ENV)
    SageMakerMonitoring(stack, "Given", endpoints=["a"], alarm_topic=sns.Topic(stack, "Mine"), cost_annotation=False)
    later = SageMakerMonitoring(stack, "Later", endpoints=["b"], alarm_name_prefix="Other", cost_annotation=False)
    assert later.topic is not None and later.topic.topic is not None
    later.topic.topic.add_subscription(subscriptions.EmailSubscription("oncall@example.com"))
    assert not cdk.assertions.Annotations.from_stack(stack).find_warning("*", cdk.assertions.Match.any_value())


def test_only_the_severities_left_to_the_topic_are_named() -> None:
    (warning,) = warnings_of(endpoints=["churn"], alarm_actions={"Critical": [TOPIC_ARN]})
    assert "its Warning alarms go to a new SNS topic" in warning


def test_the_warning_can_be_acknowledged() -> None:
    app = new_app()
    stack = cdk.Stack(app, "S", env=TEST_ENV)
    SageMakerMonitoring(stack, "Monitoring", endpoints=["churn"], cost_annotation=False)
    cdk.Annotations.of(stack).acknowledge_warning(NOBODY_NOTIFIED, "alarms are read on the dashboard")
    assert not cdk.assertions.Annotations.from_stack(stack).find_warning("*", cdk.assertions.Match.any_value())


def run_app(config: Path, outdir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "CDK_CONTEXT_JSON": json.dumps({"config": str(config)}), "CDK_OUTDIR": str(outdir), **env}
    environ.pop("CDK_CLI_VERSION", None)
    environ.update(env)
    return subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=environ, capture_output=True, text=True,
                          timeout=300)


def test_the_bundled_app_prints_one_line_unless_the_cdk_cli_prints_the_annotation(tmp_path: Path) -> None:
    config = tmp_path / "quiet.yaml"
    config.write_text("stack_name: Unheard\ntrail: {enabled: false}\nendpoints: [churn]\n", encoding="utf-8")
    done = run_app(config, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "warning: Unheard: no one is notified: its alarms and the failure events' notifications go to a new SNS "
        "topic without subscriptions. Set alarm_emails, alarm_topic_arn or alarm_actions in the configuration."]
    manifest = json.loads((tmp_path / "out" / "Unheard.metadata.json").read_text())
    warnings = [e for entries in manifest.values() for e in entries if e["type"] == "aws:cdk:warning"]
    assert len(warnings) == 1 and "alarm_topic_arn" in warnings[0]["data"]
    assert "trace" not in warnings[0]  # the CDK CLI would print its first frame (jsii's program.js) as a stray line
    under_cli = run_app(config, tmp_path / "out2", CDK_CLI_VERSION="2")
    assert under_cli.returncode == 0 and under_cli.stderr == ""


def test_the_streams_alarms_on_the_monitorings_topic_count_too() -> None:
    from cdk_sagemaker_monitoring import MonitoringStack
    from cdk_sagemaker_monitoring.config.loader import config_from_mapping

    app = new_app()
    stack = MonitoringStack(app, config=config_from_mapping({"stream": {"enabled": True}, "cost_annotation": False}),
                            env=TEST_ENV)
    (warning,) = [str(w.entry.data) for w in cdk.assertions.Annotations.from_stack(stack).find_warning(
        "*", cdk.assertions.Match.any_value())]
    assert warning.startswith("no one is notified: the live-metrics stream's alarms and the failure events' "
                              "notifications go to a new SNS topic")
    assert "alarm_topic_arn" in warning  # the file's words: the stack was built from a configuration
    heard = MonitoringStack(app, "Heard", config=config_from_mapping(
        {"stack_name": "Heard", "stream": {"enabled": True}, "alarm_emails": ["ops@example.com"]}), env=TEST_ENV)
    assert not cdk.assertions.Annotations.from_stack(heard).find_warning("*", cdk.assertions.Match.any_value())
