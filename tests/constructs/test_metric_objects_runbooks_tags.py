"""``monitoring.metric(...)`` for users' own widgets and alarms, runbook links in alarm descriptions,
tags reaching every taggable resource (alarms through ``CfnInclude`` and nested stacks too), and the
package root exporting what users type callbacks and catch errors with."""

from __future__ import annotations

import json
import typing
from collections import abc
from pathlib import Path
from typing import Any, Literal, Union

import aws_cdk as cdk
import pytest
from aws_cdk import aws_cloudwatch as cloudwatch

import cdk_sagemaker_monitoring as package
from cdk_sagemaker_monitoring import ConfigurationError, ConfigurationErrors, MonitoringStack, SageMakerMonitoring
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from cdk_sagemaker_monitoring.plan import plan_monitoring
from cdk_sagemaker_monitoring.plan.limits import MAX_ALARM_DESCRIPTION_CHARS
from support.synth import TEST_ENV, cfn_lint, new_app

TOKENS = {"kind": "endpoint", "namespace": "MyCompany/Inference", "metric": "TokensPerSecond",
          "dimensions": {"EndpointName": "{name}", "VariantName": "{variant}"}, "unit": "Count/Second"}


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    app = new_app()
    stack = cdk.Stack(app, "Widgets", env=TEST_ENV)
    monitoring = SageMakerMonitoring(stack, "Monitoring", endpoints=[{"name": "chat", "variants": ["A", "B"]}],
                                     training_jobs=[{"name": "train", "instance_count": 2}],
                                     transform_jobs=["batch"], pipelines=[{"name": "pipe", "steps": ["Train"]}],
                                     custom_metrics=[TOKENS])
    metrics = {
        "latency": monitoring.metric("chat", "ModelLatency"),
        "canary": monitoring.metric("chat", "ModelLatency", VariantName="B", statistic="Maximum", period=60),
        "tokens": monitoring.metric("chat", "TokensPerSecond", VariantName="A", statistic="p99"),
        "host": monitoring.metric("train", "CPUUtilization", Host="train/algo-2"),
        "step": monitoring.metric("pipe", "StepFailed", kind="pipeline"),
        "batch": monitoring.metric("batch", "CPUUtilization"),
    }
    cloudwatch.Dashboard(stack, "Mine", widgets=[[
        cloudwatch.GraphWidget(title="mine", left=[metrics["latency"], metrics["canary"], metrics["tokens"]]),
        cloudwatch.GraphWidget(title="jobs", left=[metrics["host"], metrics["step"], metrics["batch"]]),
    ]])
    cloudwatch.Alarm(stack, "MyAlarm", metric=metrics["tokens"], threshold=5, evaluation_periods=3,
                     comparison_operator=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD)
    template = app.synth().get_stack_by_name("Widgets").template
    return {"monitoring": monitoring, "metrics": metrics, "template": template}


def test_one_series_is_a_metric_and_several_are_their_worst(built) -> None:
    metrics = built["metrics"]
    canary = metrics["canary"]
    assert isinstance(canary, cloudwatch.Metric)
    assert (canary.namespace, canary.metric_name, canary.statistic) == ("AWS/SageMaker", "ModelLatency", "Maximum")
    assert canary.dimensions == {"EndpointName": "chat", "VariantName": "B"}
    assert canary.period.to_seconds() == 60
    latency = metrics["latency"]
    assert isinstance(latency, cloudwatch.MathExpression) and latency.expression == "MAX([m1,m2])"
    assert latency.period.to_seconds() == 60  # the alarm's period and statistic by default
    assert (metrics["tokens"].namespace, metrics["tokens"].statistic) == ("MyCompany/Inference", "p99")
    assert metrics["host"].dimensions == {"Host": "train/algo-2"}
    assert "SEARCH(" in metrics["batch"].expression


def test_widgets_and_alarms_built_from_them_synthesize_cfn_lint_clean(built) -> None:
    template = built["template"]
    assert cfn_lint(template) == []
    mine = next(r for k, r in template["Resources"].items() if k.startswith("Mine"))
    body = json.dumps(mine["Properties"]["DashboardBody"])
    assert "MAX([m1,m2])" in body and "MyCompany/Inference" in body and "StepName" in body
    alarm = next(r for k, r in template["Resources"].items() if k.startswith("MyAlarm"))
    (stat,) = alarm["Properties"]["Metrics"]
    assert stat["MetricStat"]["Stat"] == "p99" and stat["MetricStat"]["Metric"]["Namespace"] == "MyCompany/Inference"


@pytest.mark.parametrize("args,kwargs,field", [
    (("nope", "ModelLatency"), {}, "resource_name"),
    (("chat", "ModelLatancy"), {}, "metric_name"),
    (("chat", "GPUUtilization"), {}, "metric_name"),
    (("chat", "OverheadLatency"), {"statistic": "p99"}, "statistic"),  # AWS lists no percentiles for it
    (("chat", "ModelLatency"), {"period": 45}, "period"),
    (("chat", "ModelLatency"), {"kind": "notebook"}, "kind"),
    (("chat", "ModelLatency"), {"VariantName": "C"}, "VariantName"),
    (("chat", "ModelLatency"), {"Host": "x"}, "Host"),
])
def test_bad_lookups_name_the_argument(built, args, kwargs, field) -> None:
    with pytest.raises(ConfigurationError) as err:
        built["monitoring"].metric(*args, **kwargs)
    assert err.value.field == field


# ------------------------------------------------------------------------------------------ runbooks

def _descriptions(data: dict[str, Any]) -> dict[str, str]:
    plan = plan_monitoring(validate(MonitoringConfig, data))
    out = {a.name: a.description for a in plan.alarms}
    out.update({r.composite.name: r.composite.description for r in plan.resources if r.composite})
    return out


def test_the_most_specific_runbook_wins() -> None:
    descriptions = _descriptions({
        "runbook_url": "https://runbooks.example.com/default",
        "endpoints": [{"name": "ep", "runbook_url": "https://runbooks.example.com/ep",
                       "alarms": {"ModelLatency": {"runbook_url": "https://runbooks.example.com/latency"}}},
                      "other"],
        "feature_groups": ["fg"]})
    assert descriptions["SageMaker/Endpoint/ep/ModelLatency/Warning"].endswith(
        "Runbook: https://runbooks.example.com/latency")
    assert descriptions["SageMaker/Endpoint/ep/Invocation5XXErrors/Critical"].endswith(
        "Runbook: https://runbooks.example.com/ep")
    assert descriptions["SageMaker/Endpoint/ep/Health/Composite"].endswith("Runbook: https://runbooks.example.com/ep")
    others = {n: d for n, d in descriptions.items() if "/ep/" not in n}
    assert others and all(d.endswith("Runbook: https://runbooks.example.com/default") for d in others.values())
    assert not any("Runbook" in d for d in _descriptions({"endpoints": ["ep"]}).values())


def test_a_long_description_keeps_its_runbook_link() -> None:
    url = "https://runbooks.example.com/" + "x" * 470
    steps = [f"step-{i:02d}-" + "s" * 50 for i in range(10)]
    descriptions = _descriptions({"runbook_url": url, "pipelines": [{"name": "p", "steps": steps}]})
    longest = max(descriptions.values(), key=len)
    assert len(longest) <= MAX_ALARM_DESCRIPTION_CHARS and longest.endswith(f"Runbook: {url}") and "…" in longest


def test_fleet_alarms_carry_the_runbook() -> None:
    descriptions = _descriptions({"runbook_url": "https://runbooks.example.com/fleet", "transform_jobs": ["t"]})
    assert descriptions
    assert all(d.endswith("Runbook: https://runbooks.example.com/fleet") for d in descriptions.values())


@pytest.mark.parametrize("data,field", [
    ({"runbook_url": "runbooks.example.com"}, "runbook_url"),
    ({"endpoints": [{"name": "ep", "runbook_url": "https://a b"}]}, "endpoints[0].runbook_url"),
    ({"endpoints": [{"name": "ep", "alarms": {"ModelLatency": {"runbook_url": "ftp://x"}}}]},
     "endpoints[0].alarms.ModelLatency.runbook_url"),
])
def test_bad_runbook_urls_are_refused_naming_the_field(data, field) -> None:
    with pytest.raises(ConfigurationErrors) as err:
        validate(MonitoringConfig, data)
    assert err.value.errors[0].field == field


# ------------------------------------------------------------------------------------------ tags

TAGGABLE = {"AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm", "AWS::SNS::Topic", "AWS::KMS::Key",
            "AWS::S3::Bucket", "AWS::CloudFormation::Stack", "AWS::CloudTrail::Trail", "AWS::Athena::WorkGroup"}
"""Resource types of the stack whose CloudFormation schema has Tags (dashboards have none)."""


def _tags(resource: dict[str, Any]) -> dict[str, str]:
    tags = resource.get("Properties", {}).get("Tags", [])
    return {t["Key"]: t["Value"] for t in tags} if isinstance(tags, list) else dict(tags)


def test_tags_reach_every_alarm_topic_key_bucket_and_nested_stack() -> None:
    app = new_app()
    stack = MonitoringStack(app, config={"stack_name": "Tagged", "endpoints": [f"ep-{i}" for i in range(3)],
                                         "shards": 2, "alarm_emails": ["ops@example.com"]})
    cdk.Tags.of(app).add("team", "ml-platform")
    assembly = app.synth()
    templates = {"Tagged": assembly.get_stack_by_name("Tagged").template}
    for key, nested in stack.monitoring.nested_stacks.items():
        templates[key] = json.loads(Path(app.outdir, nested.template_file).read_text())
    seen: set[str] = set()
    for name, template in templates.items():
        for logical, resource in template["Resources"].items():
            if resource["Type"] in TAGGABLE:
                seen.add(resource["Type"])
                assert _tags(resource).get("team") == "ml-platform", f"{name}/{logical}"
    assert {"AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm", "AWS::SNS::Topic", "AWS::KMS::Key",
            "AWS::S3::Bucket", "AWS::CloudFormation::Stack", "AWS::CloudTrail::Trail", "AWS::Athena::WorkGroup"} <= seen
    included = [r for k, t in templates.items() if k != "Tagged" for r in t["Resources"].values()
                if r["Type"] == "AWS::CloudWatch::Alarm"]
    assert included  # alarms that came through CfnInclude in nested stacks carry the tag too


# ------------------------------------------------------------------------------------------ exports

def test_what_users_type_callbacks_and_catch_errors_with_is_exported_from_the_root() -> None:
    for name in ("TrailBucketLifecycle", "LimitExceeded", "ConfigFileError", "ResourcePlan", "DashboardPlan",
                 "AlarmPlan", "CompositePlan", "SectionPlan", "MonitoringPlan", "ShardLayout", "CustomMetric",
                 "CustomAlarm", "SeverityActions"):
        assert name in package.__all__ and getattr(package, name).__name__ == name
    assert issubclass(package.LimitExceeded, ConfigurationError)
    assert issubclass(package.ConfigFileError, ConfigurationErrors)


def test_construct_arguments_are_precise_and_alarm_mode_is_a_literal() -> None:
    hints = typing.get_type_hints(SageMakerMonitoring.__init__)

    def members(annotation: Any) -> list[Any]:
        if typing.get_origin(annotation) is Union:
            return [m for arg in typing.get_args(annotation) for m in members(arg)]
        return [annotation]

    for name, annotation in hints.items():
        for member in members(annotation):
            assert member is not Any, f"{name}: Any behind a Union"
            for arg in typing.get_args(member) if typing.get_origin(member) in (list, tuple, abc.Sequence) else ():
                assert Any not in members(arg), f"{name}: Any in its items"
    first = members(hints["alarm_mode"])[0]
    assert typing.get_origin(first) is Literal and set(typing.get_args(first)) == {"per_resource", "fleet", "both"}
    item = typing.get_args(hints["endpoints"])[0]
    assert package.EndpointSpec in members(item)
    placement = members(hints["placement"])[0]
    assert placement == package.Placement
