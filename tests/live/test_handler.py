"""The stream's Lambda handler on real-shaped EventBridge events: its EMF output, parsed and checked value by value."""

from __future__ import annotations

import json
import random
from datetime import datetime, timezone

import pytest

from cdk_sagemaker_monitoring.live import handler as live
from support.cloudtrail import metric_event
from support.emf import EmfPoint, parse_emf

ACCOUNT, REGION = "123456789012", "us-east-1"
NS = "SageMaker/Experiments"


def envelope(record: dict) -> dict:
    """The EventBridge event CloudTrail delivers: the CloudTrail record in ``detail``."""
    return {
        "version": "0", "id": "6f2a0b6e-1c1d-4e3f-9a53-8f1c2f1b2a3c",
        "detail-type": "AWS API Call via CloudTrail", "source": "aws.metrics-sagemaker",
        "account": ACCOUNT, "time": record.get("eventTime", "2024-05-01T12:00:00Z"), "region": REGION,
        "resources": [], "detail": record,
    }


def run_handler(event: dict, monkeypatch: pytest.MonkeyPatch, namespace: str | None = None) -> tuple:
    out: list[str] = []
    if namespace:
        monkeypatch.setenv(live.NAMESPACE_ENV, namespace)
    else:
        monkeypatch.delenv(live.NAMESPACE_ENV, raising=False)
    summary = live.handler(event, None, write=out.append)
    points, plain = parse_emf("".join(out))
    return points, plain, summary


def point(run: str, metric: str, value: float, ms: int, ns: str = NS, unit: str | None = None) -> EmfPoint:
    return EmfPoint(ns, (("TrialComponentName", run),), metric, value, ms, unit)


# The example event of SageMaker's "Monitor experiment training metrics with AWS CloudTrail" page.
SPEC_RECORD = {
    "eventTime": "2022-12-14T21:53:41Z", "eventSource": "metrics-sagemaker.amazonaws.com",
    "eventName": "BatchPutMetrics", "awsRegion": "us-east-1", "sourceIPAddress": "192.0.2.0",
    "userAgent": "aws-cli/2.7.25 Python/3.9.11 Linux/5.4.214-134.408.amzn2int.x86_64 exe/x86_64.amzn.2 "
                 "prompt/off command/sm-metrics.batch-put-metrics",
    "requestParameters": {"trialComponentName": "trial-component-name", "metricData": [
        {"metricName": "foo", "timestamp": 1670366870000, "step": 101, "value": 0.9}]},
    "resources": [{"accountId": "abcdef01234567890", "type": "AWS::SageMaker::ExperimentTrialComponent",
                   "ARN": "arn:aws:sagemaker:us-east-1:1234567890abcdef0:experiment-trial-component/"
                          "trial-component-name"}],
}


def test_the_event_of_the_specification(monkeypatch: pytest.MonkeyPatch) -> None:
    points, plain, summary = run_handler(envelope(SPEC_RECORD), monkeypatch)
    assert points == [point("trial-component-name", "foo", 0.9, 1670366870000)]
    assert plain == []
    assert summary == {"entries": 1, "emitted": 1, "nonFinite": 0, "skipped": 0, "filtered": 0,
                       "trialComponent": "trial-component-name"}


def test_a_batch_of_ten_entries_gives_exactly_its_ten_points(monkeypatch: pytest.MonkeyPatch) -> None:
    moment = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    record, written = metric_event(random.Random(3), ACCOUNT, REGION, moment, "train-run-007", 10)
    # through JSON text, as Lambda hands it over
    event = json.loads(json.dumps(envelope(record)))
    points, plain, summary = run_handler(event, monkeypatch, namespace="Team/Training")
    expected = [point(p.trial_component, p.metric_name, p.value, p.timestamp_ms, "Team/Training") for p in written]
    assert points == expected
    assert len(points) == 10 and plain == []
    assert summary["emitted"] == 10 and summary["nonFinite"] == 0 and summary["skipped"] == 0


def test_non_finite_values_are_counted_not_emitted(monkeypatch: pytest.MonkeyPatch) -> None:
    values = [1.5, None, "NaN", "Infinity", "-Infinity", "NaN-ish", True, "2.5", 7]
    data = [{"metricName": "train:loss", "timestamp": 1714564800000 + i, "step": i, "value": v}
            for i, v in enumerate(values)]
    record = {**SPEC_RECORD, "requestParameters": {"trialComponentName": "run-a", "metricData": data}}
    # a JSON NaN token too (json.loads reads it as float nan)
    text = json.dumps(envelope(record)).replace('"value": 7', '"value": NaN')
    points, plain, summary = run_handler(json.loads(text), monkeypatch)
    assert points == [
        point("run-a", "train:loss", 1.5, 1714564800000),
        point("run-a", "NonFiniteValues", 1.0, 1714564800001, unit="Count"),
        point("run-a", "NonFiniteValues", 1.0, 1714564800002, unit="Count"),
        point("run-a", "NonFiniteValues", 1.0, 1714564800003, unit="Count"),
        point("run-a", "NonFiniteValues", 1.0, 1714564800004, unit="Count"),
        point("run-a", "NonFiniteValues", 1.0, 1714564800005, unit="Count"),
        point("run-a", "NonFiniteValues", 1.0, 1714564800006, unit="Count"),
        point("run-a", "train:loss", 2.5, 1714564800007),
        point("run-a", "NonFiniteValues", 1.0, 1714564800008, unit="Count"),
    ]
    assert summary == {"entries": 9, "emitted": 2, "nonFinite": 7, "skipped": 0, "filtered": 0,
                       "trialComponent": "run-a"}


def test_several_runs_keep_their_own_dimension(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(11)
    moment = datetime(2024, 5, 2, 8, 30, tzinfo=timezone.utc)
    expected, got = [], []
    for run in ("eval-run-1", "train-run-000-aws-training-job", "train-run-001-aws-training-job"):
        record, written = metric_event(rng, ACCOUNT, REGION, moment, run, 7)
        points, _, _ = run_handler(json.loads(json.dumps(envelope(record))), monkeypatch)
        got.extend(points)
        expected.extend(point(p.trial_component, p.metric_name, p.value, p.timestamp_ms) for p in written)
    assert got == expected
    assert {p.dimensions for p in got} == {(("TrialComponentName", r),) for r in
                                          ("eval-run-1", "train-run-000-aws-training-job",
                                           "train-run-001-aws-training-job")}


def test_missing_fields_skip_only_their_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    event_ms = int(datetime(2022, 12, 14, 21, 53, 41, tzinfo=timezone.utc).timestamp() * 1000)
    data = [
        {"timestamp": 1670366870000, "value": 1.0},                         # no metric name: skipped
        {"metricName": "acc", "value": 0.5},                                 # no timestamp: the event's time
        {"metricName": "acc", "timestamp": 1670366871000},                   # no value: non-finite
        {"metricName": "acc", "timestamp": 1670366872, "value": 0.75},       # epoch seconds
        {"metricName": "acc", "timestamp": "2022-12-14T21:50:00.250Z", "value": 0.8},  # ISO text
        "not an entry",
        {"metricName": "TrialComponentName", "timestamp": 1670366873000, "value": 1},  # reserved
        {"metricName": "x" * 256, "timestamp": 1670366873000, "value": 1},             # too long
    ]
    # no trialComponentName: the run comes from the resource ARN
    record = {**SPEC_RECORD, "requestParameters": {"metricData": data}}
    points, plain, summary = run_handler(envelope(record), monkeypatch)
    run = "trial-component-name"
    assert points == [
        point(run, "acc", 0.5, event_ms),
        point(run, "NonFiniteValues", 1.0, 1670366871000, unit="Count"),
        point(run, "acc", 0.75, 1670366872000),
        point(run, "acc", 0.8, 1671054600250),
    ]
    assert summary == {"entries": 8, "emitted": 3, "nonFinite": 1, "skipped": 4, "filtered": 0, "trialComponent": run}
    assert [w["level"] for w in plain] == ["WARNING"] * 4
    assert "metricData[0]" in plain[0]["message"] and "metricData[5]" in plain[1]["message"]


def test_metric_names_and_prefixes_narrow_entries(monkeypatch: pytest.MonkeyPatch) -> None:
    data = [{"metricName": n, "timestamp": 1714564800000 + i, "value": float(i)}
            for i, n in enumerate(["train:loss", "accuracy", "train:loss", "lr"])]
    record = {**SPEC_RECORD, "requestParameters": {"trialComponentName": "exp-1-run", "metricData": data}}
    monkeypatch.setenv(live.METRIC_NAMES_ENV, json.dumps(["train:loss", "lr"]))
    monkeypatch.setenv(live.PREFIXES_ENV, json.dumps(["exp-1-", "other-"]))
    points, _, summary = run_handler(envelope(record), monkeypatch)
    assert points == [point("exp-1-run", "train:loss", 0.0, 1714564800000),
                      point("exp-1-run", "train:loss", 2.0, 1714564800002),
                      point("exp-1-run", "lr", 3.0, 1714564800003)]
    assert summary["filtered"] == 1 and summary["emitted"] == 3
    monkeypatch.setenv(live.PREFIXES_ENV, json.dumps(["exp-2-"]))
    points, _, summary = run_handler(envelope(record), monkeypatch)
    assert points == [] and summary["filtered"] == 4


def test_an_event_without_a_run_or_data_emits_nothing_and_does_not_raise(monkeypatch: pytest.MonkeyPatch) -> None:
    no_run = {**SPEC_RECORD, "resources": [], "requestParameters": {"metricData": [{"metricName": "a", "value": 1}]}}
    points, plain, summary = run_handler(envelope(no_run), monkeypatch)
    assert points == [] and summary["skipped"] == 1 and "trialComponentName" in plain[0]["message"]
    points, plain, summary = run_handler({"detail": {"eventName": "Other"}}, monkeypatch)
    assert points == [] and summary["entries"] == 0 and len(plain) == 1


def test_the_handler_prints_to_stdout_for_cloudwatch_logs(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(live.NAMESPACE_ENV, "Custom/NS")
    summary = live.handler(envelope(SPEC_RECORD), None)
    points, _ = parse_emf(capsys.readouterr().out)
    assert points == [point("trial-component-name", "foo", 0.9, 1670366870000, "Custom/NS")]
    assert summary["emitted"] == 1


def test_the_handler_file_needs_only_the_standard_library() -> None:
    import ast
    import sys
    from pathlib import Path

    source = Path(live.__file__).read_text()
    modules = {alias.name.split(".")[0] for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(ast.parse(source))
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    assert modules - {"__future__"} <= set(sys.stdlib_module_names), modules
    assert not any(isinstance(n, ast.ImportFrom) and n.level for n in ast.walk(ast.parse(source)))
