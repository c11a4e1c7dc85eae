"""``custom_metrics``: a metric of your own is graphed, alarmed, overridden and sharded like a catalog row."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker_monitoring import ConfigurationErrors, CustomMetric, SageMakerMonitoring
from cdk_sagemaker_monitoring.catalog.custom import is_custom
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.config.loader import load_config
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from cdk_sagemaker_monitoring.plan import plan_monitoring
from cdk_sagemaker_monitoring.plan.shards import ShardLimits
from support.synth import TEST_ENV, cfn_lint, nag_findings, new_app

TOKENS: dict[str, Any] = {
    "kind": "endpoint", "namespace": "MyCompany/Inference", "metric": "TokensPerSecond",
    "dimensions": {"EndpointName": "{name}", "VariantName": "{variant}"}, "unit": "Count/Second",
    "statistic": "Average", "alarm": {"threshold": 10, "comparison": "LessThanThreshold", "severity": "Warning"},
}
QUEUE: dict[str, Any] = {
    "kind": "training_job", "namespace": "MyCompany/Training", "metric": "DataLoaderWait",
    "dimensions": {"Host": "{host}"}, "unit": "Milliseconds", "statistic": "Maximum",
}


def config(**extra: Any) -> MonitoringConfig:
    data = {"endpoints": [{"name": "chat", "variants": ["A", "B"]}, "embed"],
            "training_jobs": [{"name": "train", "instance_count": 2}], "custom_metrics": [TOKENS, QUEUE], **extra}
    return validate(MonitoringConfig, data)


def widget_lines(section) -> dict[str, list[Any]]:
    return {w.properties["title"]: w.properties["metrics"] for w in section.widgets if w.type == "metric"}


def test_every_resource_of_the_kind_graphs_it_one_line_per_variant() -> None:
    plan = plan_monitoring(config())
    lines = widget_lines(plan.resource("endpoint", "chat").section)["TokensPerSecond"]
    assert [line[:6] for line in lines] == [
        ["MyCompany/Inference", "TokensPerSecond", "EndpointName", "chat", "VariantName", "A"],
        ["MyCompany/Inference", "TokensPerSecond", "EndpointName", "chat", "VariantName", "B"],
    ]
    assert "TokensPerSecond" in widget_lines(plan.resource("endpoint", "embed").section)
    hosts = widget_lines(plan.resource("training_job", "train").section)["DataLoaderWait"]
    assert [line[3] for line in hosts] == ["train/algo-1", "train/algo-2"]
    section = plan.resource("endpoint", "chat").section
    graph = next(w for w in section.widgets if w.properties.get("title") == "TokensPerSecond")
    assert graph.properties["yAxis"]["left"]["label"] == "count/second"
    assert graph.properties["annotations"]["horizontal"][0]["value"] == 10


def test_its_default_alarm_is_planned_like_a_catalog_alarm() -> None:
    plan = plan_monitoring(config())
    (alarm,) = [a for a in plan.resource("endpoint", "chat").alarms if a.row.metric == "TokensPerSecond"]
    assert is_custom(alarm.row)
    assert alarm.name == "SageMaker/Endpoint/chat/TokensPerSecond/Warning"
    assert (alarm.comparison, alarm.threshold, alarm.statistic) == ("LessThanThreshold", 10.0, "Average")
    props = alarm.properties()
    assert [m["MetricStat"]["Metric"]["Namespace"] for m in props["Metrics"][:-1]] == ["MyCompany/Inference"] * 2
    assert props["Metrics"][-1]["Expression"] == "MAX([m1,m2])"
    assert "10 Count/Second" in alarm.description
    assert alarm.name in plan.resource("endpoint", "chat").composite.rule
    # graphed only: no alarm of its own
    assert not [a for a in plan.resource("training_job", "train").alarms if a.row.metric == "DataLoaderWait"]


def test_overrides_change_disable_or_add_its_alarm() -> None:
    plan = plan_monitoring(config(endpoints=[
        {"name": "chat", "alarms": {"TokensPerSecond": {"threshold": 4, "severity": "Critical"}}},
        {"name": "embed", "alarms": {"TokensPerSecond": False}}],
        training_jobs=[{"name": "train", "alarms": {"DataLoaderWait": 5000}}]))
    (chat,) = [a for a in plan.resource("endpoint", "chat").alarms if a.row.metric == "TokensPerSecond"]
    assert (chat.threshold, chat.severity, chat.comparison) == (4.0, "Critical", "LessThanThreshold")
    assert not [a for a in plan.resource("endpoint", "embed").alarms if a.row.metric == "TokensPerSecond"]
    (wait,) = [a for a in plan.resource("training_job", "train").alarms if a.row.metric == "DataLoaderWait"]
    assert wait.threshold == 5000 and wait.kind == "latency"  # Milliseconds: a latency


def test_fleet_mode_alarms_on_it_with_metrics_insights() -> None:
    plan = plan_monitoring(config(alarm_mode={"endpoints": "fleet"}))
    (fleet,) = [a for a in plan.fleet_alarms if a.row.metric == "TokensPerSecond"]
    assert fleet.query.startswith('SELECT AVG(TokensPerSecond) FROM SCHEMA("MyCompany/Inference", EndpointName, '
                                  'VariantName) GROUP BY EndpointName ORDER BY AVG() ASC')


def test_it_is_sharded_with_its_resource() -> None:
    plan = plan_monitoring(config(endpoints=[f"ep-{i}" for i in range(40)], training_jobs=[]),
                           shard_limits=ShardLimits(resources=60))
    assert plan.layout is not None and len(plan.layout.shards) > 1
    for shard in plan.layout.shards:
        template = json.loads(shard.template)
        for resource in shard.resources:
            (alarm,) = [a for a in resource.alarms if a.row.metric == "TokensPerSecond"]
            assert alarm.id in template["Resources"]


def test_a_custom_metric_synthesizes_graphed_and_alarmed_in_a_sharded_layout_lint_and_nag_clean() -> None:
    def build(app: cdk.App) -> SageMakerMonitoring:
        stack = cdk.Stack(app, "Custom", env=TEST_ENV)
        return SageMakerMonitoring(stack, "Monitoring", endpoints=["chat", "embed", "rank"], custom_metrics=[TOKENS],
                                   shards=2)

    app = new_app()
    monitoring = build(app)
    app.synth()
    found = []
    for key, nested in monitoring.nested_stacks.items():
        template = json.loads(Path(app.outdir, nested.template_file).read_text())
        assert cfn_lint(template) == [], key
        for resource in template["Resources"].values():
            props = resource["Properties"]
            if resource["Type"] == "AWS::CloudWatch::Alarm" and "/TokensPerSecond/" in props["AlarmName"]:
                found.append(props["AlarmName"])
            if resource["Type"] == "AWS::CloudWatch::Dashboard" and key != "Overview":
                assert "MyCompany/Inference" in json.dumps(props["DashboardBody"])
    assert sorted(found) == [f"SageMaker/Endpoint/{n}/TokensPerSecond/Warning" for n in ("chat", "embed", "rank")]
    assert nag_findings(build) == []


def test_the_yaml_example_of_the_readme_loads(tmp_path: Path) -> None:
    path = tmp_path / "monitoring.yaml"
    path.write_text("""\
endpoints: [chat]
custom_metrics:
  - kind: endpoint                      # every endpoint gets it
    namespace: MyCompany/Inference
    metric: TokensPerSecond
    dimensions: {EndpointName: "{name}"} # placeholders filled from the resource
    unit: Count/Second
    statistic: Average
    alarm: {threshold: 10, comparison: LessThanThreshold, severity: Warning}
""")
    loaded = load_config(path)
    assert isinstance(loaded.custom_metrics[0], CustomMetric)
    (alarm,) = [a for a in plan_monitoring(loaded).alarms if a.row.metric == "TokensPerSecond"]
    assert alarm.sources[0].dimensions == (("EndpointName", "chat"),)


@pytest.mark.parametrize("change,field,words", [
    ({"dimensions": {"Host": "{variant}"}, "kind": "training_job"}, "custom_metrics[0].dimensions.Host",
     "is not a placeholder of training_jobs"),
    ({"dimensions": {"EndpointName": "{name"}}, "custom_metrics[0].dimensions.EndpointName", "unmatched brace"),
    ({"dimensions": {}}, "custom_metrics[0].dimensions", "no dimensions"),
    ({"unit": "Tokens"}, "custom_metrics[0].unit", "Count/Second"),
    ({"kind": "notebook"}, "custom_metrics[0].kind", "endpoint"),
    ({"statistic": "Median"}, "custom_metrics[0].statistic", "is not one of the metric's statistics"),
    ({"namespace": ":bad"}, "custom_metrics[0].namespace", "CloudWatch namespace"),
    ({"metric": "ModelLatency"}, "custom_metrics[0].metric", "already a catalog metric"),
    ({"alarm": {"threshold": "10"}}, "custom_metrics[0].alarm.threshold", "number"),
    ({"alarm": {"threshold": 1, "period": 45}}, "custom_metrics[0].alarm.period", "10, 30, or a multiple of 60"),
    ({"widget": "Latency", "unit": "Count"}, None, None),
])
def test_bad_custom_metrics_are_refused_naming_the_field(change, field, words) -> None:
    data = {"endpoints": ["chat"], "custom_metrics": [{**TOKENS, **change}]}
    if field is None:
        assert validate(MonitoringConfig, data).custom_metrics[0].row.widget == "Latency"
        return
    with pytest.raises(ConfigurationErrors) as err:
        validate(MonitoringConfig, data)
    assert err.value.errors[0].field == field, err.value
    assert words in str(err.value)


def test_overrides_of_unknown_metrics_and_shared_graphs_of_two_units_are_refused() -> None:
    with pytest.raises(ConfigurationErrors) as err:
        validate(MonitoringConfig, {"endpoints": [{"name": "chat", "alarms": {"TokensPerSec": 3}}],
                                    "custom_metrics": [TOKENS]})
    assert err.value.errors[0].field == "endpoints[0].alarms.TokensPerSec"
    assert "did you mean 'TokensPerSecond'" in str(err.value)
    with pytest.raises(ConfigurationErrors) as err:
        validate(MonitoringConfig, {"custom_metrics": [
            {**TOKENS, "widget": "Tokens"}, {**TOKENS, "metric": "TokenLatency", "unit": "Milliseconds",
                                             "widget": "Tokens"}]})
    assert err.value.errors[0].field == "custom_metrics[1].widget"
    with pytest.raises(ConfigurationErrors) as err:
        validate(MonitoringConfig, {"custom_metrics": [TOKENS, TOKENS]})
    assert err.value.errors[0].field == "custom_metrics[1].metric" and "listed twice" in str(err.value)


def test_it_is_priced_like_a_catalog_metric() -> None:
    from cdk_sagemaker_monitoring.cost import count_plan

    plain = validate(MonitoringConfig, {"endpoints": [{"name": "chat", "variants": ["A", "B"]}]})
    custom = validate(MonitoringConfig, {"endpoints": [{"name": "chat", "variants": ["A", "B"]}],
                                         "custom_metrics": [TOKENS]})
    before, after = count_plan(plain), count_plan(custom)
    assert after.alarm_metrics == before.alarm_metrics + 2  # one alarm on MAX() of the two variants' series
    assert sum(after.dashboard_metrics) == sum(before.dashboard_metrics) + 2  # one graph line per variant
