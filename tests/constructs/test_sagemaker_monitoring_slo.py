"""SageMakerMonitoring takes the anomaly and SLO forms as keyword arguments, as the YAML file does."""

from __future__ import annotations

import aws_cdk as cdk
from support.synth import new_app, template_of

from cdk_sagemaker_monitoring import SageMakerMonitoring


def test_the_construct_takes_the_same_forms() -> None:
    stack = cdk.Stack(new_app(), "S")
    SageMakerMonitoring(stack, "M", anomaly_alarms=True, endpoints=[
        {"name": "ep", "slo": {"availability": 99.9}, "alarms": {"OverheadLatency": {"anomaly": {"band": 3}}}}])
    alarms = [r["Properties"] for r in template_of(stack)["Resources"].values()
              if r["Type"] == "AWS::CloudWatch::Alarm"]
    bands = sorted(m["Expression"] for a in alarms for m in a.get("Metrics", []) if "ANOMALY" in m.get("Expression", ""))
    assert bands == ["ANOMALY_DETECTION_BAND(m1, 2)", "ANOMALY_DETECTION_BAND(m1, 2)", "ANOMALY_DETECTION_BAND(m1, 3)"]
    assert sorted({a["Threshold"] for a in alarms if "/SLOAvailability/" in a["AlarmName"]}) == [1, 6, 14.4]
