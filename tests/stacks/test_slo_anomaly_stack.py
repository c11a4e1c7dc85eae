"""The SLO and anomaly example through the YAML app in a bare ``cdk.App``: cfn-lint clean, snapshot, cost agrees."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.synth import TEST_ENV, cfn_lint, new_app, template_of

from cdk_sagemaker_monitoring import MonitoringStack, load_config
from cdk_sagemaker_monitoring.cost import count_assembly, count_config

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "slo.yaml"


@pytest.fixture(scope="module")
def synthesized() -> tuple[dict[str, Any], Path]:
    app = new_app()
    stack = MonitoringStack(app, config=load_config(EXAMPLE), env=TEST_ENV)
    template = template_of(stack)
    return template, Path(app.synth().directory)


def alarms(template: dict[str, Any]) -> dict[str, Any]:
    return {r["Properties"]["AlarmName"]: r for r in template["Resources"].values()
            if r["Type"] in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")}


def test_cfn_lint_clean(synthesized: tuple[dict[str, Any], Path]) -> None:
    assert cfn_lint(synthesized[0]) == []


def test_anomaly_alarm_on_invocations_band_2_lower(synthesized: tuple[dict[str, Any], Path]) -> None:
    by_name = alarms(synthesized[0])
    props = by_name["SageMaker/Endpoint/fraud-prod/Invocations/Anomaly/Warning"]["Properties"]
    assert props["ComparisonOperator"] == "LessThanLowerThreshold" and props["ThresholdMetricId"] == "ad1"
    assert props["Metrics"][1]["Expression"] == "ANOMALY_DETECTION_BAND(m1, 2)"
    assert "AWS::CloudWatch::AnomalyDetector" not in {r["Type"] for r in synthesized[0]["Resources"].values()}
    overhead = by_name["SageMaker/Endpoint/churn-prod/OverheadLatency/Canary/Anomaly/Warning"]["Properties"]
    assert overhead["Metrics"][1]["Expression"] == "ANOMALY_DETECTION_BAND(m1, 3)"


def test_burn_rate_alarms_of_availability_999(synthesized: tuple[dict[str, Any], Path]) -> None:
    by_name = alarms(synthesized[0])
    prefix = "SageMaker/Endpoint/churn-prod/SLOAvailability/"
    thresholds = {name[len(prefix):]: r["Properties"]["Threshold"] for name, r in by_name.items()
                  if name.startswith(prefix) and r["Type"] == "AWS::CloudWatch::Alarm"}
    assert thresholds == {"Burn14.4x-1h/Critical": 14.4, "Burn14.4x-5m/Critical": 14.4, "Burn6x-6h/Critical": 6,
                          "Burn6x-30m/Critical": 6, "Burn1x-3d/Warning": 1, "Burn1x-6h/Warning": 1}
    page = by_name[prefix + "Burn14.4x/Critical"]
    assert page["Type"] == "AWS::CloudWatch::CompositeAlarm" and " AND " in page["Properties"]["AlarmRule"]
    assert page["Properties"]["AlarmActions"]  # the tier notifies, its windows do not


def test_snapshot(synthesized: tuple[dict[str, Any], Path], snapshot: Any) -> None:
    by_name = alarms(synthesized[0])
    picked = {name: r for name, r in sorted(by_name.items()) if "/churn-prod/" in name and (
        "SLO" in name or "Anomaly" in name or "Health" in name)}
    assert json.loads(json.dumps(picked, sort_keys=True)) == snapshot


def test_cost_of_plan_and_assembly_agree(synthesized: tuple[dict[str, Any], Path]) -> None:
    config = load_config(EXAMPLE)
    planned, written = count_config(config), count_assembly(synthesized[1])
    for name in ("alarm_metrics", "high_resolution_alarm_metrics", "anomaly_detection_alarms", "composite_alarms",
                 "metrics_insights_alarms", "dashboards"):
        assert getattr(planned, name) == getattr(written, name), name
    assert planned.anomaly_detection_alarms == 2 * 3 + 2  # churn: 2 variants x (2 built-in + overhead); fraud: 2


def test_sharded_window_alarms_carry_their_acknowledgement() -> None:
    from cdk_sagemaker_monitoring.config.loader import config_from_mapping

    config = config_from_mapping({"stack_name": "SloShards", "trail": {"enabled": False}, "shards": 2,
                                  "endpoints": [{"name": f"ep-{i}", "slo": {"availability": 99.9}} for i in range(3)]})
    app = new_app()
    MonitoringStack(app, config=config, env=TEST_ENV)
    root = Path(app.synth().directory)
    windows = [r for path in root.glob("*.nested.template.json")
               for r in json.loads(path.read_text())["Resources"].values()
               if r["Type"] == "AWS::CloudWatch::Alarm" and "/SLOAvailability/" in r["Properties"]["AlarmName"]]
    assert len(windows) == 3 * 6
    for window in windows:
        rules = window["Metadata"]["cdk_nag"]["rules_to_suppress"]
        assert {r["id"] for r in rules} == {"HIPAA.Security-CloudWatchAlarmAction", "NIST.800.53.R5-CloudWatchAlarmAction",
                                            "PCI.DSS.321-CloudWatchAlarmAction"}
