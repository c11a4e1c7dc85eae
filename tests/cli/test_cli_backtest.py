"""``sagemaker-monitoring backtest``: JSON shape, table, picture, and GetMetricData (moto)."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from cdk_sagemaker_monitoring.cli.main import main

CONFIG = """\
endpoints:
  - name: churn
    alarms:
      ModelLatency: {threshold: 500000, statistic: Maximum, period: 60, evaluation_periods: 3,
                     datapoints_to_alarm: 2, treat_missing_data: notBreaching}
      Invocations: {anomaly: {band: 2, direction: lower}}
    slo: {availability: 99.9}
"""
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    config = tmp_path / "monitoring.yaml"
    config.write_text(CONFIG)
    series = tmp_path / "series.csv"
    with series.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "metric", "value", "EndpointName", "VariantName"])
        for minute in range(120):
            t = iso(START + timedelta(minutes=minute))
            latency = 900_000 if minute in (10, 12, 40) else 100_000  # 2 of 3 at minute 12; 40 alone
            writer.writerow([t, "ModelLatency", latency, "churn", "AllTraffic"])
            writer.writerow([t, "Invocations", 100, "churn", "AllTraffic"])
            writer.writerow([t, "Invocation5XXErrors", 5 if 60 <= minute < 65 else 0, "churn", "AllTraffic"])
    return config, series


def test_json_is_exactly_the_documented_shape(files: tuple[Path, Path], capsys: Any, tmp_path: Path) -> None:
    config, series = files
    picture = tmp_path / "backtest.png"
    assert main(["backtest", "-c", str(config), "--series", str(series), "--format", "json",
                 "--plot", str(picture)]) == 0
    out = capsys.readouterr()
    data = json.loads(out.out)
    assert list(data) == ["alarms"]
    for alarm in data["alarms"]:
        assert list(alarm) == ["name", "metric", "dimensions", "transitions"]
        assert all(list(t) == ["time", "state"] and t["state"] in ("ALARM", "OK") for t in alarm["transitions"])
    by_name = {a["name"]: a for a in data["alarms"]}
    latency = by_name["SageMaker/Endpoint/churn/ModelLatency/Warning"]
    assert latency["metric"] == "ModelLatency"
    assert latency["dimensions"] == {"EndpointName": "churn", "VariantName": "AllTraffic"}
    # minutes 10 and 12 breach: 2 of 3 at minute 12, and still at 13 (window 11-13 has 12 only: OK at 13)
    assert latency["transitions"] == [{"time": "2026-01-01T00:12:00Z", "state": "ALARM"},
                                      {"time": "2026-01-01T00:13:00Z", "state": "OK"}]
    fast = by_name["SageMaker/Endpoint/churn/SLOAvailability/Burn14.4x-5m/Critical"]
    assert fast["transitions"] == [{"time": "2026-01-01T01:00:00Z", "state": "ALARM"},
                                   {"time": "2026-01-01T01:05:00Z", "state": "OK"}]
    assert not any("Anomaly" in name for name in by_name)
    assert "Invocations/Anomaly/Warning: not replayed" in out.err
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and picture.stat().st_size > 10_000


def test_the_picture_is_byte_identical_for_the_same_input(files: tuple[Path, Path], tmp_path: Path) -> None:
    config, series = files
    pictures = [tmp_path / "a.png", tmp_path / "b.png"]
    for picture in pictures:
        assert main(["backtest", "-c", str(config), "--series", str(series), "--format", "json",
                     "--plot", str(picture)]) == 0
    assert pictures[0].read_bytes() == pictures[1].read_bytes()


def test_table_lists_transitions_and_a_suggestion_never_applied(files: tuple[Path, Path], capsys: Any) -> None:
    config, series = files
    assert main(["backtest", "-c", str(config), "--series", str(series)]) == 0
    out = capsys.readouterr().out
    assert "SageMaker/Endpoint/churn/ModelLatency/Warning" in out
    assert "2026-01-01T00:12:00Z  ALARM" in out
    assert "suggested threshold:" in out and "not applied" in out
    assert "not replayed: anomaly band" in out
    # 5 % errors for 5 minutes: the 5-minute window burns 50x, the hour 4.2x: the fast tier does not page
    assert "SLOAvailability/Burn14.4x/Critical (composite: both windows in ALARM): 0 page(s)" in out


def test_a_bad_series_file_is_one_line(tmp_path: Path, files: tuple[Path, Path], capsys: Any) -> None:
    config, _ = files
    bad = tmp_path / "bad.csv"
    bad.write_text("time,metric,value\n2026-01-01T00:00:00Z,ModelLatency,1\n")
    assert main(["backtest", "-c", str(config), "--series", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no column timestamp" in err and err.count("\n") == 1


@pytest.fixture
def cloudwatch(monkeypatch: Any) -> Any:
    from moto import mock_aws

    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        import boto3

        yield boto3.client("cloudwatch", region_name="us-east-1")


def test_from_cloudwatch_reads_the_alarmed_series_with_get_metric_data(
        cloudwatch: Any, files: tuple[Path, Path], capsys: Any) -> None:
    config, _ = files
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    base = now - timedelta(hours=2)
    dims = [{"Name": "EndpointName", "Value": "churn"}, {"Name": "VariantName", "Value": "AllTraffic"}]
    for minute in range(100):
        latency = 900_000.0 if minute in (30, 31) else 100_000.0
        cloudwatch.put_metric_data(Namespace="AWS/SageMaker", MetricData=[
            {"MetricName": "ModelLatency", "Dimensions": dims, "Timestamp": base + timedelta(minutes=minute),
             "Value": latency, "Unit": "Microseconds"}])
    assert main(["backtest", "-c", str(config), "--from-cloudwatch", "--days", "1", "--format", "json",
                 "--region", "us-east-1"]) == 0
    data = json.loads(capsys.readouterr().out)
    latency = {a["name"]: a for a in data["alarms"]}["SageMaker/Endpoint/churn/ModelLatency/Warning"]
    expected_alarm = iso(base + timedelta(minutes=31))
    assert latency["transitions"][0] == {"time": expected_alarm, "state": "ALARM"}
    assert latency["transitions"][1]["state"] == "OK"


def test_nothing_to_replay_is_one_line(tmp_path: Path, files: tuple[Path, Path], capsys: Any) -> None:
    _, series = files
    empty = tmp_path / "empty.yaml"
    empty.write_text("stack_name: Empty\ntrail: {enabled: false}\n")
    assert main(["backtest", "-c", str(empty), "--series", str(series)]) == 1
    assert "plans no alarm" in capsys.readouterr().err
    config, _ = files
    assert main(["backtest", "-c", str(config), "--series", str(series), "--alarm", "Nope"]) == 1
    assert "no planned alarm matches --alarm Nope" in capsys.readouterr().err


def test_the_guides_example_prints_what_the_guide_shows(capsys: Any) -> None:
    root = Path(__file__).resolve().parents[2]
    assert main(["backtest", "-c", str(root / "examples" / "backtest.yaml"), "--series",
                 str(root / "examples" / "backtest-series.csv"), "--alarm", "ModelLatency", "--alarm", "Burn14.4x"]) == 0
    out = capsys.readouterr().out
    guide = (root / "docs" / "guides" / "thresholds.md").read_text()
    shown = guide.split("```text\n", 1)[1].split("```", 1)[0]
    for line in shown.strip().splitlines():
        assert line in out, line
    assert "SLOAvailability/Burn14.4x/Critical (composite: both windows in ALARM): 1 page(s)" in out
