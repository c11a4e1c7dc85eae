"""The YAML app's ``stream:`` section: off by default, needs the trail, wired to the monitoring's topic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.synth import TEST_ENV, cfn_lint, nag_findings, new_app, template_of

from cdk_sagemaker_monitoring import ConfigurationError, MonitoringStack, load_config

STREAM = """
stack_name: Runs
trail:
  encryption_key: true
  cloudwatch_logs_retention_days: 365
stream:
  enabled: true
  metric_names: ["validation:loss", "train:loss"]
  alarms:
    validation:loss: {threshold: 2.5}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "monitoring.yaml"
    path.write_text(text)
    return path


def of_type(template: dict[str, Any], kind: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def test_the_stream_is_off_by_default(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "stack_name: Runs\n"))
    assert config.stream.enabled is False
    stack = MonitoringStack(new_app(), config=config, env=TEST_ENV)
    assert stack.stream is None
    assert of_type(template_of(stack), "AWS::Lambda::Function") == {}


def test_the_stream_section_builds_the_stream_on_the_trail(tmp_path: Path) -> None:
    stack = MonitoringStack(new_app(), config=load_config(write(tmp_path, STREAM)), env=TEST_ENV)
    assert stack.stream is not None and stack.stream.trail is stack.trail
    template = template_of(stack)
    assert cfn_lint(template) == []
    topic_id = next(iter(of_type(template, "AWS::SNS::Topic")))
    stream_alarms = [a["Properties"] for a in of_type(template, "AWS::CloudWatch::Alarm").values()
                     if "/ExperimentRuns/" in a["Properties"]["AlarmName"]]
    assert sorted(a["AlarmName"] for a in stream_alarms) == ["SageMaker/ExperimentRuns/NonFiniteValues",
                                                             "SageMaker/ExperimentRuns/validation:loss"]
    assert all(a["AlarmActions"] == [{"Ref": topic_id}] for a in stream_alarms)
    groups = [g["Properties"] for k, g in of_type(template, "AWS::Logs::LogGroup").items() if "Stream" in k]
    key_id = next(iter(of_type(template, "AWS::KMS::Key")))
    assert groups == [{"RetentionInDays": 30, "KmsKeyId": {"Fn::GetAtt": [key_id, "Arn"]}}]
    rule = next(iter(of_type(template, "AWS::Events::Rule").values()))["Properties"]
    assert rule["EventPattern"]["detail"]["requestParameters"] == {
        "metricData": {"metricName": ["validation:loss", "train:loss"]}}


def test_the_stack_with_the_stream_is_nag_clean(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, STREAM))
    assert nag_findings(lambda app: MonitoringStack(app, config=config, env=TEST_ENV)) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("trail: {enabled: false}\nstream: {enabled: true}\n",
     "stream.enabled: is true, but trail.enabled is false: EventBridge only receives the BatchPutMetrics data "
     "events a trail logs (set trail.enabled: true, or stream.enabled: false)"),
    ("trail: {event_names: [GetMetrics]}\nstream: {enabled: true}\n", "leaves out BatchPutMetrics"),
    ("stream: {enabled: true, namespace: AWS/Mine}\n", "stream.namespace: 'AWS/Mine' is not a CloudWatch namespace"),
    ("stream: {enabled: true, metric_names: [a], alarms: {b: {threshold: 1}}}\n", "stream.alarms.b: alarms on 'b'"),
    ("stream: {enabled: true, alarms: {loss: {treshold: 1}}}\n", "threshold"),
])
def test_bad_stream_sections_are_refused_naming_the_field(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_config(write(tmp_path, text))
    assert expected in str(caught.value)
