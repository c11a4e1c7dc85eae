"""SageMakerFailureEvents in a bare cdk.App(): rules, targets with dead letters, archive, alarms, dashboard."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_sns as sns
from moto.events.models import EventPattern

from cdk_sagemaker_monitoring import SageMakerFailureEvents, SageMakerMonitoring
from cdk_sagemaker_monitoring.catalog.events import KIND_KEYS
from cdk_sagemaker_monitoring.errors import ConfigurationError, ConfigurationErrors
from cdk_sagemaker_monitoring.plan.events import render_message
from tests.support.sagemaker_events import FAILURES
from tests.support.synth import TEST_ENV, cfn_lint, new_app, template_of


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


@pytest.fixture(scope="module")
def routed() -> tuple[SageMakerFailureEvents, dict[str, Any]]:
    stack = cdk.Stack(new_app(), "Routed", env=TEST_ENV)
    monitoring = SageMakerMonitoring(stack, "Monitoring", endpoints=["churn-endpoint"], alarm_emails=["ops@example.com"])
    events = SageMakerFailureEvents(stack, "Events", name_prefixes=["churn-"], monitoring=monitoring)
    return events, template_of(stack)


def test_cfn_lint_is_clean(routed):
    assert cfn_lint(routed[1]) == []


def test_a_rule_per_kind_enabled_with_the_planned_pattern(routed):
    events, template = routed
    rules = of_type(template, "AWS::Events::Rule")
    assert sorted(r["Properties"]["Name"] for r in rules.values()) == sorted(events.rule_names)
    assert len(rules) == len(KIND_KEYS)
    for rule in rules.values():
        props = rule["Properties"]
        assert props["State"] == "ENABLED" and "EventBusName" not in props  # the default bus
    by_name = {r["Properties"]["Name"]: r["Properties"] for r in rules.values()}
    for plan in events.plan.rules:
        pattern = json.dumps(by_name[plan.name]["EventPattern"])
        assert EventPattern.load(pattern).matches_event(FAILURES[plan.kind.key][0])


def test_every_target_has_the_encrypted_dead_letter_queue_and_the_notification_is_text(routed):
    events, template = routed
    (queue_id, queue), = of_type(template, "AWS::SQS::Queue").items()
    assert queue["Properties"]["SqsManagedSseEnabled"] is True
    topic_id = next(iter(of_type(template, "AWS::SNS::Topic")))
    for rule in of_type(template, "AWS::Events::Rule").values():
        targets = rule["Properties"]["Targets"]
        assert {t["Id"] for t in targets} == {"Notify1", "Archive"}
        for target in targets:
            assert target["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": [queue_id, "Arn"]}
        notify = next(t for t in targets if t["Id"] == "Notify1")
        assert notify["Arn"] == {"Ref": topic_id}
        transformer = notify["InputTransformer"]
        key = next(p.kind.key for p in events.plan.rules if p.name == rule["Properties"]["Name"])
        text = render_message(transformer["InputTemplate"], transformer["InputPathsMap"], FAILURES[key][0])
        assert FAILURES[key][1] in text and "{" not in text


def test_eventbridge_may_publish_to_the_topic_encrypt_with_its_key_and_write_the_queue_and_archive(routed):
    _, template = routed
    (topic_policy,) = of_type(template, "AWS::SNS::TopicPolicy").values()
    statements = topic_policy["Properties"]["PolicyDocument"]["Statement"]
    assert any(s.get("Sid") == "SageMakerFailureEventsPublish" and s["Action"] == "sns:Publish"
               and s["Principal"] == {"Service": "events.amazonaws.com"} for s in statements)
    (key,) = of_type(template, "AWS::KMS::Key").values()
    assert any(s.get("Sid") == "SageMakerFailureEventsEncrypt" for s in key["Properties"]["KeyPolicy"]["Statement"])
    (queue_policy,) = of_type(template, "AWS::SQS::QueuePolicy").values()
    assert any(s.get("Sid") == "EventBridgeDeadLetters"
               for s in queue_policy["Properties"]["PolicyDocument"]["Statement"])
    (logs_policy,) = of_type(template, "AWS::Logs::ResourcePolicy").values()
    assert "events.amazonaws.com" in json.dumps(logs_policy)
    (group,) = of_type(template, "AWS::Logs::LogGroup").values()
    assert group["Properties"]["LogGroupName"] == "/aws/events/Routed/sagemaker-failures"  # the stack's name
    assert group["Properties"]["RetentionInDays"] == 90


def test_an_aws_events_alarm_per_rule_routed_like_metric_alarms_and_one_on_the_queue(routed):
    events, template = routed
    alarms = {a["Properties"]["AlarmName"]: a["Properties"] for a in of_type(template, "AWS::CloudWatch::Alarm").values()}
    topic_id = next(iter(of_type(template, "AWS::SNS::Topic")))
    for plan in events.plan.rules:
        alarm = alarms[plan.alarm.name]
        assert (alarm["Namespace"], alarm["MetricName"]) == ("AWS/Events", "TriggeredRules")
        assert alarm["Dimensions"] == [{"Name": "RuleName", "Value": plan.name}]
        assert alarm["AlarmActions"] == [{"Ref": topic_id}]
        assert plan.alarm.name.endswith("/" + plan.severity)
    assert alarms[events.plan.dlq_alarm.name]["MetricName"] == "ApproximateNumberOfMessagesVisible"


def test_the_failures_dashboard(routed):
    events, template = routed
    (dashboard,) = [d for d in of_type(template, "AWS::CloudWatch::Dashboard").values()
                    if d["Properties"]["DashboardName"].endswith("-Failures")]
    body = dashboard["Properties"]["DashboardBody"]["Fn::Sub"]
    assert "Latest failures" in body and all(name in body for name in events.rule_names)


def test_templates_are_byte_identical_for_the_same_input():
    def build() -> str:
        stack = cdk.Stack(new_app(), "S", env=TEST_ENV)
        SageMakerFailureEvents(stack, "Events", name_prefixes=["churn-", "fraud-"])
        return json.dumps(template_of(stack), sort_keys=True)
    assert build() == build()


def test_on_its_own_it_makes_an_encrypted_topic_with_the_emails():
    stack = cdk.Stack(new_app(), "S")
    SageMakerFailureEvents(stack, "Events", alarm_emails=["ops@example.com"])
    template = template_of(stack)
    assert cfn_lint(template) == []
    (topic,) = of_type(template, "AWS::SNS::Topic").values()
    assert "KmsMasterKeyId" in topic["Properties"]
    (sub,) = of_type(template, "AWS::SNS::Subscription").values()
    assert sub["Properties"]["Endpoint"] == "ops@example.com"


def test_a_topic_given_by_arn_gets_the_notifications_and_a_topic_object_the_permission():
    stack = cdk.Stack(new_app(), "S")
    SageMakerFailureEvents(stack, "Events", alarm_topic="arn:aws:sns:us-east-1:123456789012:alerts", archive=False,
                           dashboard=False)
    template = template_of(stack)
    for rule in of_type(template, "AWS::Events::Rule").values():
        assert [t["Arn"] for t in rule["Properties"]["Targets"]] == ["arn:aws:sns:us-east-1:123456789012:alerts"]
    assert not of_type(template, "AWS::Logs::LogGroup") and not of_type(template, "AWS::CloudWatch::Dashboard")
    stack2 = cdk.Stack(new_app(), "T")
    topic = sns.Topic(stack2, "Alerts")
    SageMakerFailureEvents(stack2, "Events", alarm_topic=topic)
    assert "events.amazonaws.com" in json.dumps(of_type(template_of(stack2), "AWS::SNS::TopicPolicy"))


def test_a_kind_turned_off_has_no_rule_and_severity_moves_it():
    stack = cdk.Stack(new_app(), "S")
    events = SageMakerFailureEvents(stack, "Events", kinds={"hyperpod_cluster_error": {"enabled": False},
                                                            "pipeline_step_failed": {"severity": "Critical"}})
    assert "S-HyperpodClusterError" not in events.rule_names and "S-TrainingJobFailed" in events.rule_names
    assert "SageMaker/FailureEvents/PipelineStepFailed/Critical" in events.alarm_names
    assert events.alarm("SageMaker/FailureEvents/PipelineStepFailed/Critical") is not None


@pytest.mark.parametrize("kwargs, field", [
    ({"name_prefixes": ["churn_"]}, "name_prefixes[0]"),
    ({"name_prefixes": "-x"}, "name_prefixes[0]"),
    ({"kinds": {"nope": {}}}, "kinds.nope"),
    ({"log_retention_days": 8}, "log_retention_days"),
    ({"rule_name_prefix": "bad name"}, "rule_name_prefix"),
])
def test_bad_arguments_name_the_argument_and_add_nothing(kwargs, field):
    stack = cdk.Stack(new_app(), "S")
    with pytest.raises(ConfigurationErrors) as caught:
        SageMakerFailureEvents(stack, "Events", **kwargs)
    assert caught.value.errors[0].field.startswith(field)
    assert stack.node.try_find_child("Events") is None


def test_wrong_objects_are_refused():
    stack = cdk.Stack(new_app(), "S")
    with pytest.raises(ConfigurationError, match="monitoring"):
        SageMakerFailureEvents(stack, "Events", monitoring="nope")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="alarm_topic"):
        SageMakerFailureEvents(stack, "Events", alarm_topic=42)  # type: ignore[arg-type]


def test_snapshot(routed, snapshot: Any) -> None:
    assert routed[1] == snapshot
