"""The plan (pure Python): alarm settings, stable names and ids, grouping, limits, pages, guardrails."""

from __future__ import annotations

import json

import pytest

from cdk_sagemaker_monitoring.catalog import CATALOG
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from cdk_sagemaker_monitoring.errors import ConfigurationError
from cdk_sagemaker_monitoring.plan import LimitExceeded, limits, plan_monitoring, plan_resource
from cdk_sagemaker_monitoring.plan.dashboards import paginate
from cdk_sagemaker_monitoring.plan.ids import alarm_name, construct_id


def plan(**kwargs):
    return plan_monitoring(validate(MonitoringConfig, kwargs))


def alarms_by_metric(resource):
    return {a.row.metric: a for a in resource.alarms}


def test_endpoint_defaults():
    ep = plan(endpoints=["ep"]).resource("endpoint", "ep")
    by = alarms_by_metric(ep)
    assert set(by) == {"Invocation4XXErrors", "Invocation5XXErrors", "InvocationModelErrors", "ModelLatency",
                       "OverheadLatency", "MemoryUtilization", "DiskUtilization"}
    latency = by["ModelLatency"]
    assert latency.name == "SageMaker/Endpoint/ep/ModelLatency/Warning"
    assert (latency.threshold, latency.statistic, latency.treat_missing_data) == (1_000_000, "Average", "missing")
    assert by["Invocation5XXErrors"].treat_missing_data == "notBreaching"
    assert by["DiskUtilization"].severity == "Critical"
    props = latency.properties(["arn:topic"])
    assert props["Dimensions"] == [{"Name": "EndpointName", "Value": "ep"}, {"Name": "VariantName", "Value": "AllTraffic"}]
    assert props["Namespace"] == "AWS/SageMaker" and props["AlarmActions"] == ["arn:topic"]


def test_overrides_and_disabling():
    ep = plan(endpoints=[{"name": "ep", "alarms": {
        "ModelLatency": {"threshold": 2_000_000, "severity": "Critical", "evaluation_periods": 2},
        "Invocation4XXErrors": {"enabled": False},
        "Invocations": {"threshold": 1, "comparison": "LessThanThreshold", "statistic": "Sum"}}}]).resource("endpoint", "ep")
    by = alarms_by_metric(ep)
    assert "Invocation4XXErrors" not in by
    latency = by["ModelLatency"]
    assert (latency.threshold, latency.severity, latency.evaluation_periods, latency.datapoints_to_alarm) == (
        2_000_000, "Critical", 2, 2)
    assert latency.name.endswith("/ModelLatency/Critical") and "2 s" in latency.description
    added = by["Invocations"]
    assert (added.comparison, added.statistic, added.threshold) == ("LessThanThreshold", "Sum", 1)


def test_gpu_thresholds_scale_with_gpus():
    one = alarms_by_metric(plan(endpoints=[{"name": "a", "gpu": True}]).resource("endpoint", "a"))
    four = alarms_by_metric(plan(endpoints=[{"name": "b", "gpu": 4}]).resource("endpoint", "b"))
    assert four["GPUMemoryUtilization"].threshold == 4 * one["GPUMemoryUtilization"].threshold == 360
    assert four["MemoryUtilization"].threshold == one["MemoryUtilization"].threshold == 90  # 0-100 %, never scaled
    assert "GPUMemoryUtilization" not in alarms_by_metric(plan(endpoints=["c"]).resource("endpoint", "c"))
    job = alarms_by_metric(plan(training_jobs=[{"name": "j", "gpu": 8}]).resource("training_job", "j"))
    assert job["GPUMemoryUtilization"].threshold == 720


def test_variants_are_one_math_alarm():
    alarm = alarms_by_metric(plan(endpoints=[{"name": "ep", "variants": ["AllTraffic", "Canary"]}])
                             .resource("endpoint", "ep"))["Invocation5XXErrors"]
    metrics = alarm.properties([])["Metrics"]
    assert [m["Id"] for m in metrics] == ["m1", "m2", "worst"]
    assert metrics[-1]["Expression"] == "MAX([m1,m2])" and metrics[-1]["ReturnData"]
    assert metrics[1]["MetricStat"]["Metric"]["Dimensions"][1] == {"Name": "VariantName", "Value": "Canary"}


def test_job_hosts_are_grouped_by_ten():
    job = plan(training_jobs=[{"name": "big", "instance_count": 23}]).resource("training_job", "big")
    disk = [a for a in job.alarms if a.row.metric == "DiskUtilization"]
    assert [len(a.sources) for a in disk] == [10, 10, 3]
    assert all(len(a.sources) <= limits.MAX_METRICS_PER_MATH_ALARM for a in job.alarms)
    assert disk[2].name == "SageMaker/TrainingJob/big/DiskUtilization/hosts-21-23/Critical"
    hosts = [d[0][1] for a in disk for d in (s.dimensions for s in a.sources)]
    assert hosts == [f"big/algo-{n}" for n in range(1, 24)]


def test_transform_jobs_share_metrics_insights_fleet_alarms():
    p = plan(transform_jobs=["t1", "t2"])
    assert all(r.alarms == () for r in p.resources)
    (fleet,) = p.fleet_alarms
    # one series per host (<job>/<instance-id>): the contributors say which job's instance is short of memory
    assert fleet.query == ('SELECT MAX(MemoryUtilization) FROM SCHEMA("/aws/sagemaker/TransformJobs", Host) '
                           'GROUP BY Host ORDER BY MAX() DESC LIMIT 500')
    assert "SEARCH" not in json.dumps(fleet.properties([]))
    with pytest.raises(ConfigurationError) as info:
        plan(transform_jobs=["t1", {"name": "t2", "alarms": {"MemoryUtilization": 95}}])
    assert info.value.field == "transform_jobs[1].alarms.MemoryUtilization"


def test_no_alarm_is_backed_by_search():
    p = plan(endpoints=[{"name": "e", "multi_model": True, "gpu": 2}], training_jobs=["t"], processing_jobs=["p"],
             transform_jobs=["x"], feature_groups=["f"], pipelines=[{"name": "pl", "steps": ["a"]}],
             labeling_jobs=["l"], workteams=["w"])
    assert not limits.SEARCH_CAN_BACK_ALARM
    for alarm in p.alarms:
        assert "SEARCH" not in json.dumps(alarm.properties([]))
    kinds = {a.resource_kind for a in p.alarms}
    assert kinds == {"endpoint", "training_job", "processing_job", "transform_job", "feature_group", "pipeline",
                     "labeling_job"}  # work teams: their dimension set is not documented, so no alarm


def test_names_and_ids_come_from_names_not_positions():
    first = plan(endpoints=["a", "b"], pipelines=["p"])
    second = plan(endpoints=["new", "b", "a"], pipelines=["q", "p"])
    for kind, name in (("endpoint", "a"), ("endpoint", "b"), ("pipeline", "p")):
        x, y = first.resource(kind, name), second.resource(kind, name)
        assert x.id == y.id
        assert [(a.id, a.name) for a in x.alarms] == [(a.id, a.name) for a in y.alarms]


def test_construct_ids_do_not_collide():
    assert construct_id("endpoint", "a-b") != construct_id("endpoint", "ab")
    assert construct_id("endpoint", "a-b") == construct_id("endpoint", "a-b")


def test_alarm_names_fit_255_characters():
    name = "p" * 256
    alarm = alarm_name("SageMaker", "pipeline", name, "ExecutionFailed", "Critical")
    assert len(alarm) == limits.MAX_ALARM_NAME_CHARS
    assert alarm != alarm_name("SageMaker", "pipeline", "p" * 255 + "q", "ExecutionFailed", "Critical")
    p = plan(pipelines=[{"name": name, "steps": ["s"]}])
    assert all(len(a.name) <= limits.MAX_ALARM_NAME_CHARS for a in p.alarms)


def test_guardrails_are_error_and_latency_alarms_of_the_endpoint():
    p = plan(endpoints=[{"name": "ep", "multi_model": True}])
    names = p.guardrail_alarm_names("ep")
    assert 0 < len(names) <= limits.MAX_ROLLBACK_ALARMS
    kinds = {a.name: a.kind for a in p.resource("endpoint", "ep").alarms}
    assert {kinds[n] for n in names} == {"error", "latency"}
    assert not any("Utilization" in n for n in names)
    assert names[0].endswith("/Critical")


def test_composite_alarm_rolls_up_the_endpoint():
    ep = plan(endpoints=["ep"]).resource("endpoint", "ep")
    assert ep.composite.name == "SageMaker/Endpoint/ep/Health/Composite"
    assert set(ep.composite.children) == {a.name for a in ep.alarms}
    assert ep.composite.rule.count("ALARM(") == len(ep.alarms)
    assert plan(endpoints=["ep"], composite_alarms=False).resource("endpoint", "ep").composite is None


def _dashboard_pairs(p):
    """(namespace, metric) pairs drawn on dashboards, from metric lines and SEARCH expressions."""
    import re
    pairs = set()
    for dashboard in p.all_dashboards:
        for widget in json.loads(dashboard.body())["widgets"]:
            for line in widget["properties"].get("metrics", []):
                if isinstance(line[0], dict):
                    e = line[0]["expression"]
                    insights = re.match(r'SELECT \w+\((\w+)\) FROM "([^"]+)"', e)
                    if insights:
                        pairs.add((insights.group(2), insights.group(1)))
                        continue
                    if "MetricName" not in e:  # Model Monitor: SEARCH by schedule, any namespace, no catalog row
                        continue
                    ns = re.search(r'\{"?([^",}]+)"?[,}]', e) or re.search(r'Namespace="([^"]+)"', e)
                    pairs.add((ns.group(1), re.search(r'MetricName="([^"]+)"', e).group(1)))
                else:
                    pairs.add((line[0], line[1]))
    return pairs


def test_sections_cover_the_catalog_with_one_resource_of_each_family():
    p = plan(endpoints=[{"name": "mme", "multi_model": True, "gpu": True},
                        {"name": "sls", "serverless": True, "provisioned_concurrency": True},
                        {"name": "q", "asynchronous": True},
                        {"name": "ic", "gpu": 1, "enhanced_metrics": True,
                         "inference_components": [{"name": "c", "scale_to_zero": True}]},
                        {"name": "mce", "gpu": 2, "enhanced_metrics": True, "containers": ["a", "b"]}],
             training_jobs=[{"name": "t", "gpu": True}], processing_jobs=[{"name": "p", "gpu": True}],
             transform_jobs=[{"name": "x", "gpu": True}], feature_groups=["f"],
             pipelines=[{"name": "pl", "steps": ["a"]}], labeling_jobs=["l"], workteams=["w"], hyperpod_clusters=["hp"],
             fleet_overview=False)
    # Inference Recommender load tests are on the overview only (no resource kind)
    assert _dashboard_pairs(p) == {(r.namespace, r.metric) for r in CATALOG if r.family.resource}


def test_feature_specific_metrics_only_where_they_apply():
    pairs = _dashboard_pairs(plan(endpoints=["plain"], fleet_overview=False))
    metrics = {m for _, m in pairs}
    assert "ModelLatency" in metrics and "CPUUtilization" in metrics
    assert not metrics & {"GPUUtilization", "ModelCacheHit", "LoadedModelCount", "ModelSetupTime"}
    serverless = {m for _, m in _dashboard_pairs(plan(endpoints=[{"name": "s", "serverless": True}], fleet_overview=False))}
    assert "ModelSetupTime" in serverless and "CPUUtilization" not in serverless


def test_widgets_use_the_alarm_statistic_and_draw_its_threshold():
    p = plan(endpoints=[{"name": "ep", "alarms": {"ModelLatency": {"threshold": 3_000_000, "statistic": "Maximum"}}}],
             fleet_overview=False)
    widgets = json.loads(p.dashboards[0].body())["widgets"]
    latency = next(w for w in widgets if w["properties"].get("title") == "Latency")["properties"]
    model = next(line for line in latency["metrics"] if line[1] == "ModelLatency")
    assert model[-1]["stat"] == "Maximum" and model[-1]["period"] == 60
    assert {"label": "ModelLatency Warning: 3 s", "value": 3_000_000} in latency["annotations"]["horizontal"]
    assert latency["yAxis"]["left"]["label"] == "microseconds"


def test_overview_searches_every_family_and_lists_composites():
    p = plan(endpoints=["ep"])
    body = p.overview.body()
    for ns in {r.namespace for r in CATALOG}:
        assert json.dumps(ns)[1:-1] in body, ns
    assert "SageMaker/Endpoint/ep/Health/Composite" in body
    assert "${AWS::Region}" in body
    assert p.overview.widget_count <= limits.MAX_WIDGETS_PER_DASHBOARD


def test_pages_respect_limits_and_keep_sections_whole():
    p = plan(endpoints=[f"ep-{i}" for i in range(40)], fleet_overview=False)
    sections = [(r.field, r.section) for r in p.resources]
    per_section = sections[0][1].widget_count
    pages = paginate(sections, "Base", max_widgets=per_section * 3, max_metrics=10_000)
    assert len(pages) == 14 and [d.name for d in pages][:2] == ["Base-Resources-1", "Base-Resources-2"]
    assert all(d.widget_count <= per_section * 3 for d in pages)
    assert [s for d in pages for s in d.sections] == [s.key for _, s in sections]
    big = plan(endpoints=[f"e{i}" for i in range(150)], fleet_overview=False)
    assert len(big.dashboards) >= 2
    for d in big.dashboards:
        assert d.widget_count <= limits.MAX_WIDGETS_PER_DASHBOARD and d.metric_count <= limits.MAX_METRICS_PER_DASHBOARD


def test_a_section_too_big_for_a_dashboard_is_refused_with_its_field():
    with pytest.raises(LimitExceeded) as info:
        plan(training_jobs=["small", {"name": "huge", "instance_count": 900}])
    assert info.value.field == "training_jobs[1]"


def test_widgets_never_exceed_500_metrics():
    r = plan_resource(validate(MonitoringConfig, {"training_jobs": [{"name": "j", "instance_count": 300}]})
                      .training_jobs[0], "training_jobs[0]")
    counts = [w.metric_count for w in r.section.widgets if w.type == "metric"]
    assert max(counts) <= limits.MAX_METRICS_PER_WIDGET and sum(counts) == 300 * 3


def test_plan_is_deterministic():
    kwargs = dict(endpoints=[{"name": "e", "variants": ["b", "a"]}], pipelines=[{"name": "p", "steps": ["x", "y"]}])
    a, b = plan(**kwargs), plan(**kwargs)
    assert [d.body() for d in a.all_dashboards] == [d.body() for d in b.all_dashboards]
    assert [x.properties([]) for x in a.alarms] == [x.properties([]) for x in b.alarms]


def test_overview_alone_covers_the_catalog():
    p = plan(fleet_overview=True)
    assert p.dashboards == () and p.overview is not None
    assert _dashboard_pairs(p) == {(r.namespace, r.metric) for r in CATALOG}
