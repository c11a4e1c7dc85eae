"""Anomaly-band alarms and SLO burn-rate alarms as plan objects: their CloudFormation properties and refusals."""

from __future__ import annotations

import re
from typing import Any

import pytest

from cdk_sagemaker_monitoring import ConfigurationError
from cdk_sagemaker_monitoring.config.loader import config_from_mapping
from cdk_sagemaker_monitoring.cost import count_plan
from cdk_sagemaker_monitoring.plan import plan_monitoring
from cdk_sagemaker_monitoring.plan.model import MonitoringPlan


def plan(**data: Any) -> MonitoringPlan:
    return plan_monitoring(config_from_mapping(data))


def refusal(**data: Any) -> str:
    with pytest.raises(ConfigurationError) as caught:
        plan(**data)
    return str(caught.value)


# ------------------------------------------------------------------ anomaly bands

def test_anomaly_override_is_an_alarm_on_the_band_of_the_rows_statistic_and_period() -> None:
    p = plan(endpoints=[{"name": "ep", "alarms": {"Invocations": {"anomaly": {"band": 2, "direction": "lower"}}}}])
    [alarm] = [a for a in p.alarms if a.anomaly is not None]
    props = alarm.properties()
    assert props["ComparisonOperator"] == "LessThanLowerThreshold"
    assert props["ThresholdMetricId"] == "ad1" and "Threshold" not in props
    m1, ad1 = props["Metrics"]
    assert m1["Id"] == "m1" and m1["MetricStat"]["Stat"] == "Sum" and m1["MetricStat"]["Period"] == 300
    assert m1["MetricStat"]["Metric"]["MetricName"] == "Invocations"
    assert ad1 == {"Id": "ad1", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "Label": "Invocations (expected)",
                   "ReturnData": True}
    assert props["TreatMissingData"] == "breaching"  # traffic that stops is the deepest drop
    assert "under its expected band (2 standard deviations" in props["AlarmDescription"]


@pytest.mark.parametrize(("direction", "operator"), [("upper", "GreaterThanUpperThreshold"),
                                                      ("both", "LessThanLowerOrGreaterThanUpperThreshold")])
def test_anomaly_directions(direction: str, operator: str) -> None:
    p = plan(endpoints=[{"name": "ep", "alarms": {"ModelLatency": {"anomaly": {"band": 3.5, "direction": direction},
                                                                   "statistic": "p90"}}}])
    [alarm] = [a for a in p.alarms if a.row.metric == "ModelLatency"]
    props = alarm.properties()
    assert props["ComparisonOperator"] == operator
    assert props["Metrics"][1]["Expression"] == "ANOMALY_DETECTION_BAND(m1, 3.5)"
    assert props["Metrics"][0]["MetricStat"]["Stat"] == "p90"


def test_one_anomaly_alarm_per_variant_each_with_its_own_model() -> None:
    p = plan(endpoints=[{"name": "ep", "variants": ["A", "B"], "alarms": {"Invocations": {"anomaly": {}}}}])
    names = sorted(a.name for a in p.alarms if a.anomaly is not None)
    assert names == ["SageMaker/Endpoint/ep/Invocations/A/Anomaly/Warning",
                     "SageMaker/Endpoint/ep/Invocations/B/Anomaly/Warning"]


def test_anomaly_alarms_switch_adds_traffic_drop_and_latency_drift_beside_static_alarms() -> None:
    p = plan(anomaly_alarms=True, endpoints=["a", "b"])
    anomalies = {(a.resource_name, a.row.metric): a.anomaly for a in p.alarms if a.anomaly is not None}
    assert {k: (v.band, v.direction) for k, v in anomalies.items() if v} == {
        ("a", "Invocations"): (2, "lower"), ("a", "ModelLatency"): (2, "upper"),
        ("b", "Invocations"): (2, "lower"), ("b", "ModelLatency"): (2, "upper")}
    static = [a for a in p.alarms if a.row.metric == "ModelLatency" and a.anomaly is None]
    assert len(static) == 2
    health = p.resource("endpoint", "a").composite
    assert health is not None and "ModelLatency/Anomaly/Warning" in health.rule


def test_anomaly_alarms_are_billed_as_three_metrics() -> None:
    with_band = count_plan(config_from_mapping({"endpoints": ["ep"], "anomaly_alarms": True}))
    without = count_plan(config_from_mapping({"endpoints": ["ep"]}))
    assert with_band.anomaly_detection_alarms == 2
    assert with_band.alarm_metrics == without.alarm_metrics


def test_anomaly_with_a_threshold_is_refused() -> None:
    message = refusal(endpoints=[{"name": "ep", "alarms": {"ModelLatency": {"anomaly": {}, "threshold": 5}}}])
    assert "endpoints[0].alarms.ModelLatency.threshold" in message and "anomaly band" in message


def test_anomaly_in_fleet_mode_is_refused_with_the_fix() -> None:
    message = refusal(alarm_mode="fleet",
                      endpoints=[{"name": "ep", "alarms": {"ModelLatency": {"anomaly": {"direction": "upper"}}}}])
    assert "endpoints[0].alarms.ModelLatency.anomaly" in message
    assert "Metrics Insights" in message and "per_resource" in message


def test_bad_band_and_direction_name_the_field() -> None:
    assert "band" in refusal(endpoints=[{"name": "ep", "alarms": {"Invocations": {"anomaly": {"band": 0}}}}])
    assert "direction" in refusal(endpoints=[{"name": "ep", "alarms": {"Invocations": {"anomaly": {
        "direction": "down"}}}}])


# ------------------------------------------------------------------ SLOs

def test_availability_slo_has_the_workbooks_burn_rate_tiers() -> None:
    p = plan(endpoints=[{"name": "ep", "slo": {"availability": 99.9}}])
    burns = [a for a in p.alarms if a.burn is not None]
    assert sorted({a.threshold for a in burns}) == [1.0, 6.0, 14.4]
    windows = {a.name.split("/")[-2]: (a.period, a.evaluation_periods, a.datapoints_to_alarm) for a in burns}
    assert windows == {"Burn14.4x-1h": (3600, 1, 1), "Burn14.4x-5m": (300, 1, 1), "Burn6x-6h": (21600, 1, 1),
                       "Burn6x-30m": (1800, 1, 1), "Burn1x-3d": (86400, 3, 3), "Burn1x-6h": (21600, 1, 1)}
    fast = next(a for a in burns if a.name.endswith("Burn14.4x-1h/Critical"))
    props = fast.properties()
    assert props["Threshold"] == 14.4 and props["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert props["AlarmActions"] == [] and props["OKActions"] == []  # the tier's composite notifies
    stats = {(m["MetricStat"]["Metric"]["MetricName"], m["MetricStat"]["Stat"], m["MetricStat"]["Period"])
             for m in props["Metrics"] if "MetricStat" in m}
    assert stats == {("Invocation5XXErrors", "Sum", 3600), ("Invocations", "Sum", 3600)}
    [expression] = [m["Expression"] for m in props["Metrics"] if m.get("ReturnData")]
    assert expression == "IF((FILL(t1,0)) > 0, (FILL(b1,0))/(FILL(t1,0)), 0)/0.001"
    resource = p.resource("endpoint", "ep")
    tiers = {c.name: c for c in resource.slo_composites}
    page = tiers["SageMaker/Endpoint/ep/SLOAvailability/Burn14.4x/Critical"]
    assert page.rule == ('ALARM("SageMaker/Endpoint/ep/SLOAvailability/Burn14.4x-1h/Critical") AND '
                         'ALARM("SageMaker/Endpoint/ep/SLOAvailability/Burn14.4x-5m/Critical")')
    assert page.alarm_actions == ("AlarmTopicArn",)
    assert "sre.google/workbook" in page.description
    assert resource.composite is not None
    assert all(f'ALARM("{name}")' in resource.composite.rule for name in tiers)
    assert "Burn14.4x-5m" not in resource.composite.rule  # a window alone never pages


def test_latency_slo_uses_the_percent_rank_statistic() -> None:
    p = plan(endpoints=[{"name": "ep", "variants": ["A", "B"],
                         "slo": {"latency": {"threshold_ms": 300, "target": 99}}}])
    alarm = next(a for a in p.alarms if a.burn is not None and a.name.endswith("Burn6x-30m/Critical"))
    props = alarm.properties()
    stats = sorted((m["Id"], m["MetricStat"]["Stat"]) for m in props["Metrics"] if "MetricStat" in m)
    assert stats == [("b1", "PR(:300000)"), ("b2", "PR(:300000)"), ("t1", "SampleCount"), ("t2", "SampleCount")]
    assert props["Metrics"][-1]["Expression"].endswith("/0.01")
    assert alarm.threshold == 6.0


def test_budget_widget_shows_thirty_days() -> None:
    p = plan(endpoints=[{"name": "ep", "slo": {"availability": 99.5}}])
    widgets = [w for w in p.resource("endpoint", "ep").section.widgets
               if w.properties.get("title", "").startswith("Error budget left")]
    assert len(widgets) == 1
    props = widgets[0].properties
    assert props["start"] == "-PT720H" and props["setPeriodToTimeRange"] is True and props["view"] == "singleValue"
    assert re.search(r"100\*\(1-\(IF\(.*\)/0\.005\)\)", props["metrics"][-1][0]["expression"])


def test_slo_alarms_and_tiers_are_priced() -> None:
    usage = count_plan(config_from_mapping({"endpoints": [{"name": "ep", "slo": {"availability": 99.9}}],
                                            "composite_alarms": False}))
    plain = count_plan(config_from_mapping({"endpoints": ["ep"], "composite_alarms": False}))
    assert usage.composite_alarms == 3
    assert usage.alarm_metrics - plain.alarm_metrics == 6 * 2  # six window alarms reading two metrics each


@pytest.mark.parametrize(("endpoint", "words"), [
    ({"name": "ep", "slo": {}}, "an slo needs an objective"),
    ({"name": "ep", "asynchronous": True, "slo": {"availability": 99.9}}, "does not report Invocations"),
    ({"name": "ep", "variants": [f"v{i}" for i in range(6)], "slo": {"availability": 99.9}}, "at most 5 variants"),
    ({"name": "ep", "slo": {"availability": 100}}, "availability"),
    ({"name": "ep", "slo": {"latency": {"threshold_ms": 0, "target": 99}}}, "threshold_ms"),
])
def test_bad_slos_are_refused(endpoint: dict[str, Any], words: str) -> None:
    message = refusal(endpoints=[endpoint])
    assert "endpoints[0].slo" in message and words in message


def test_the_fast_burn_window_is_a_deployment_guardrail() -> None:
    p = plan(endpoints=[{"name": "ep", "slo": {"availability": 99.9, "latency": {"threshold_ms": 300, "target": 99}}}])
    guardrails = p.guardrail_alarm_names("ep")
    assert "SageMaker/Endpoint/ep/SLOAvailability/Burn14.4x-5m/Critical" in guardrails
    assert "SageMaker/Endpoint/ep/SLOLatency/Burn14.4x-5m/Critical" in guardrails
    assert not any("Burn14.4x-1h" in name or "Burn6x" in name for name in guardrails)
    assert len(guardrails) <= 10



def test_the_anomaly_switch_in_fleet_mode_is_refused_not_ignored() -> None:
    message = refusal(alarm_mode={"endpoints": "fleet"}, anomaly_alarms=True, endpoints=["ep"])
    assert "anomaly_alarms" in message and "per_resource" in message
