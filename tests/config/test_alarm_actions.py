"""Actions per severity: ``alarm_actions`` routes Critical and Warning alarms to different places.

Synthesized in a bare ``cdk.App()``: topic objects and ARNs of every kind, OK notifications per
severity, the alarm topic as the default, sharded layouts, YAML, cfn-lint, the four cdk-nag packs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns

from cdk_sagemaker_monitoring import ConfigurationError, ConfigurationErrors, SageMakerMonitoring
from cdk_sagemaker_monitoring.config.loader import config_from_mapping
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.plan import plan_monitoring
from support.synth import TEST_ENV, cfn_lint, nag_findings, new_app

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:pager:live"
OPSITEM = "arn:aws:ssm:us-east-1:123456789012:opsitem:2#CATEGORY=Availability"
RESPONSE_PLAN = "arn:aws:ssm-incidents::123456789012:response-plan/sagemaker-outage"
CHAT = "arn:aws:sns:us-east-1:123456789012:chat"


def _topic(stack: cdk.Stack, id: str) -> sns.Topic:
    return sns.Topic(stack, id, master_key=kms.Key(stack, f"{id}Key", enable_key_rotation=True), enforce_ssl=True)


def build_two_topics(app: cdk.App, stack_id: str = "TwoTopics", **kwargs: Any) -> SageMakerMonitoring:
    stack = cdk.Stack(app, stack_id, env=TEST_ENV)
    pager, chat = _topic(stack, "Pager"), _topic(stack, "Chat")
    return SageMakerMonitoring(stack, "Monitoring", endpoints=["ep", {"name": "gpu", "gpu": True}],
                               training_jobs=["train"], alarm_actions={"Critical": [pager], "Warning": [chat]},
                               **kwargs)


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


@pytest.fixture(scope="module")
def synthesized() -> dict[str, Any]:
    app = new_app()
    two = build_two_topics(app)
    stack = cdk.Stack(app, "Kinds", env=TEST_ENV)
    kinds = SageMakerMonitoring(stack, "Monitoring", endpoints=["ep"], alarm_emails=["ops@example.com"],
                                alarm_actions={"Critical": [LAMBDA, OPSITEM, RESPONSE_PLAN, CHAT]})
    quiet = cdk.Stack(app, "Quiet", env=TEST_ENV)
    SageMakerMonitoring(quiet, "Monitoring", endpoints=["ep"],
                        alarm_actions={"Critical": [CHAT], "Warning": {"actions": [CHAT], "ok_actions": False}})
    assembly = app.synth()
    return {"two": two, "kinds": kinds, "outdir": Path(app.outdir),
            **{name: assembly.get_stack_by_name(name).template for name in ("TwoTopics", "Kinds", "Quiet")}}


def test_critical_alarms_go_to_one_topic_and_warning_alarms_to_another(synthesized) -> None:
    template = synthesized["TwoTopics"]
    topics = {k for k in resources(template, "AWS::SNS::Topic")}
    pager = next(k for k in topics if k.startswith("Pager"))
    chat = next(k for k in topics if k.startswith("Chat"))
    alarms = resources(template, "AWS::CloudWatch::Alarm")
    severities = {a["Properties"]["AlarmName"].rsplit("/", 1)[1] for a in alarms.values()}
    assert severities == {"Critical", "Warning"}
    for alarm in alarms.values():
        props = alarm["Properties"]
        want = pager if props["AlarmName"].endswith("/Critical") else chat
        assert props["AlarmActions"] == [{"Ref": want}], props["AlarmName"]
        assert props["OKActions"] == [{"Ref": want}], props["AlarmName"]


def test_no_alarm_topic_is_created_when_every_severity_has_actions(synthesized) -> None:
    template, monitoring = synthesized["TwoTopics"], synthesized["two"]
    assert len(resources(template, "AWS::SNS::Topic")) == 2  # the caller's pager and chat topics only
    assert len(resources(template, "AWS::KMS::Key")) == 2
    assert monitoring.topic is None and monitoring.alarm_topic_arn is None


def test_a_composite_alarm_notifies_the_actions_of_its_worst_child(synthesized) -> None:
    template = synthesized["TwoTopics"]
    pager = next(k for k in resources(template, "AWS::SNS::Topic") if k.startswith("Pager"))
    composites = resources(template, "AWS::CloudWatch::CompositeAlarm")
    assert len(composites) == 2
    for composite in composites.values():  # every endpoint has a Critical error-rate alarm
        assert composite["Properties"]["AlarmActions"] == [{"Ref": pager}]


def test_every_action_kind_and_the_default_topic_for_the_other_severity(synthesized) -> None:
    template = synthesized["Kinds"]
    topic = next(iter(resources(template, "AWS::SNS::Topic")))
    alarms = [a["Properties"] for a in resources(template, "AWS::CloudWatch::Alarm").values()]
    critical = [a for a in alarms if a["AlarmName"].endswith("/Critical")]
    warning = [a for a in alarms if a["AlarmName"].endswith("/Warning")]
    assert critical and warning
    for alarm in critical:
        assert alarm["AlarmActions"] == [LAMBDA, OPSITEM, RESPONSE_PLAN, CHAT]
        assert alarm["OKActions"] == [LAMBDA, CHAT]  # an OK sent to an OpsItem or a response plan opens another
    for alarm in warning:
        assert alarm["AlarmActions"] == [{"Ref": topic}] and alarm["OKActions"] == [{"Ref": topic}]
    assert len(resources(template, "AWS::SNS::Subscription")) == 1  # alarm_emails still feed the default topic


def test_composite_alarms_leave_out_actions_cloudwatch_refuses_on_them(synthesized) -> None:
    (composite,) = resources(synthesized["Kinds"], "AWS::CloudWatch::CompositeAlarm").values()
    assert composite["Properties"]["AlarmActions"] == [LAMBDA, OPSITEM, CHAT]  # PutCompositeAlarm: no response plans
    assert composite["Properties"]["OKActions"] == [LAMBDA, CHAT]


def test_ok_notifications_are_optional_per_severity(synthesized) -> None:
    alarms = [a["Properties"] for a in resources(synthesized["Quiet"], "AWS::CloudWatch::Alarm").values()]
    for alarm in alarms:
        assert alarm["AlarmActions"] == [CHAT]
        assert alarm["OKActions"] == ([] if alarm["AlarmName"].endswith("/Warning") else [CHAT])


def test_templates_are_cfn_lint_clean(synthesized) -> None:
    for name in ("TwoTopics", "Kinds", "Quiet"):
        assert cfn_lint(synthesized[name]) == [], name


def build_arns(app: cdk.App) -> SageMakerMonitoring:
    stack = cdk.Stack(app, "Arns", env=TEST_ENV)
    return SageMakerMonitoring(stack, "Monitoring", endpoints=["ep"], feature_groups=["fg"],
                               alarm_actions={"Critical": [LAMBDA, OPSITEM, RESPONSE_PLAN],
                                              "Warning": {"actions": [CHAT], "ok_actions": False}})


@pytest.mark.parametrize("build", [build_two_topics, build_arns])
def test_routed_alarms_are_cdk_nag_clean_in_four_packs(build) -> None:
    assert nag_findings(build) == []


def test_sharded_alarms_reach_the_topic_objects_through_nested_stack_parameters() -> None:
    app = new_app()
    monitoring = build_two_topics(app, shards=2)
    app.synth()
    assert monitoring.nested_stacks
    found = 0
    for key, nested in monitoring.nested_stacks.items():
        if key == "Overview":
            continue
        template = json.loads(Path(app.outdir, nested.template_file).read_text())
        assert cfn_lint(template) == [], key
        params = set(template.get("Parameters", {}))
        for alarm in resources(template, "AWS::CloudWatch::Alarm").values():
            (action,) = alarm["Properties"]["AlarmActions"]
            assert action["Ref"] in params
            found += 1
        assert not any(p.startswith("AlarmTopicArn") for p in params)
    assert found == sum(len(r.alarms) for r in monitoring.plan.resources)


def test_yaml_routes_severities_and_refuses_a_bad_arn_naming_the_field() -> None:
    config = config_from_mapping({"endpoints": ["ep"], "alarm_actions": {
        "Critical": [LAMBDA], "Warning": {"actions": [CHAT], "ok_actions": False}}})
    plan = plan_monitoring(config)
    warning = next(a for a in plan.alarms if a.severity == "Warning")
    assert warning.alarm_actions == (CHAT,) and warning.ok_actions == ()
    with pytest.raises(ConfigurationErrors) as err:
        config_from_mapping({"endpoints": ["ep"], "alarm_actions": {"Critical": ["arn:aws:sqs:us-east-1:1:q"]}})
    assert err.value.errors[0].field == "alarm_actions.Critical.actions[0]"  # a list stands for {actions: [...]}
    assert "is not an alarm action ARN" in err.value.errors[0].problem


@pytest.mark.parametrize("actions,field,words", [
    ({"Urgent": [CHAT]}, "alarm_actions.Urgent", "is not a severity"),
    ({"Critical": []}, "alarm_actions.Critical.actions", "at least 1"),
    ({"Critical": [CHAT, CHAT]}, "alarm_actions.Critical.actions[1]", "listed twice"),
    ({"Critical": [f"{CHAT}{i}" for i in range(6)]}, "alarm_actions.Critical.actions", "6 actions"),
    ({"Critical": ["arn:aws:ssm:us-east-1:123456789012:opsitem:7"]}, "alarm_actions.Critical.actions[0]",
     "not an alarm action"),
    ({"Critical": ["arn:aws:lambda:us-east-1:123456789012:pager"]}, "alarm_actions.Critical.actions[0]",
     "not an alarm action"),
    ({"Critical": {"actions": [CHAT], "ok": False}}, "alarm_actions.Critical.ok", "not a known key"),
])
def test_bad_actions_are_refused_naming_the_field(actions, field, words) -> None:
    with pytest.raises(ConfigurationErrors) as err:
        validate(MonitoringConfig, {"endpoints": ["ep"], "alarm_actions": actions})
    assert err.value.errors[0].field == field
    assert words in str(err.value)


def test_emails_nobody_would_get_are_refused() -> None:
    with pytest.raises(ConfigurationErrors) as err:
        validate(MonitoringConfig, {"alarm_emails": ["ops@example.com"],
                                    "alarm_actions": {"Critical": [CHAT], "Warning": [CHAT]}})
    assert err.value.errors[0].field == "alarm_emails" and "no alarm would notify it" in err.value.errors[0].problem


def test_construct_refuses_a_bad_action_before_adding_anything() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Bad", env=TEST_ENV)
    with pytest.raises(ConfigurationError) as err:
        SageMakerMonitoring(stack, "Monitoring", endpoints=["ep"], alarm_actions={"Critical": [42]})
    assert "alarm_actions.Critical.actions[0]" in str(err.value)
    with pytest.raises(ConfigurationError) as err:
        SageMakerMonitoring(stack, "Monitoring", endpoints=["ep"], alarm_topic=_topic(stack, "T"),
                            alarm_actions={"Critical": [CHAT], "Warning": [CHAT]})
    assert err.value.field == "alarm_topic"
    assert stack.node.try_find_child("Monitoring") is None


def test_topic_placeholders_are_not_accepted_from_yaml() -> None:
    with pytest.raises(ConfigurationErrors) as err:
        config_from_mapping({"alarm_actions": {"Critical": ["AlarmActionCritical1"]}})
    assert err.value.errors[0].field == "alarm_actions.Critical.actions[0]"


def test_a_composite_alarm_that_could_notify_nothing_is_refused() -> None:
    config = validate(MonitoringConfig, {"endpoints": ["ep"], "alarm_actions": {"Critical": [RESPONSE_PLAN]}})
    with pytest.raises(ConfigurationError) as err:
        plan_monitoring(config)
    assert err.value.field == "alarm_actions.Critical" and "composite_alarms: false" in str(err.value)
    quiet = validate(MonitoringConfig, {"endpoints": ["ep"], "composite_alarms": False,
                                        "alarm_actions": {"Critical": [RESPONSE_PLAN]}})
    assert all(a.alarm_actions == (RESPONSE_PLAN,) for a in plan_monitoring(quiet).alarms if a.severity == "Critical")
