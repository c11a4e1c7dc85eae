"""The backtest evaluator on hand-built series: exact transitions, checked against an independent M-of-N loop."""

from __future__ import annotations

import random
from typing import Any, Optional

import pytest

from cdk_sagemaker_monitoring.backtest import History, replay
from cdk_sagemaker_monitoring.backtest.evaluate import both_spans, reduce
from cdk_sagemaker_monitoring.backtest.suggest import suggest
from cdk_sagemaker_monitoring.config.loader import config_from_mapping
from cdk_sagemaker_monitoring.plan import plan_monitoring
from cdk_sagemaker_monitoring.plan.model import AlarmPlan

T0 = 1_767_225_600  # 2026-01-01T00:00:00Z, a multiple of every period used here
EP = (("EndpointName", "ep"), ("VariantName", "AllTraffic"))


def latency_alarm(**override: Any) -> AlarmPlan:
    """The ModelLatency alarm the configuration plans, with ``override`` (what would be deployed)."""
    settings = {"threshold": 10, "statistic": "Maximum", "period": 60, "evaluation_periods": 5,
                "datapoints_to_alarm": 3, "treat_missing_data": "notBreaching", **override}
    config = config_from_mapping({"endpoints": [{"name": "ep", "alarms": {"ModelLatency": settings}}]})
    [alarm] = [a for a in plan_monitoring(config).alarms if a.row.metric == "ModelLatency"]
    return alarm


def history(values: list[Optional[float]], metric: str = "ModelLatency", period: int = 60,
            end_periods: Optional[int] = None) -> History:
    """One sample per period (``None``: no sample), covering ``end_periods`` periods (default: the list)."""
    h = History()
    for i, v in enumerate(values):
        if v is not None:
            h.add((metric, EP), T0 + i * period, v)
    h.start, h.end = T0, T0 + (end_periods or len(values)) * period
    return h


def transitions(replayed: Any) -> list[tuple[int, str]]:
    return [((t.time - T0) // replayed.alarm.period, t.state) for t in replayed.transitions]


def independent(flags: list[Optional[bool]], n: int, m: int, missing: str) -> list[tuple[int, str]]:
    """A separate M-of-N evaluation, written from CloudWatch's description (not from the module's code)."""
    state, out = "OK", []
    for i in range(len(flags)):
        if flags[i] is None and missing == "ignore":
            continue  # ignore: a period without data keeps the state
        window = flags[max(0, i - n + 1):i + 1]
        if missing == "breaching":
            window = [True if f is None else f for f in window]
        elif missing == "notBreaching":
            window = [False if f is None else f for f in window]
        real = [f for f in window if f is not None]
        if not real:
            continue
        new = "ALARM" if real.count(True) >= m else "OK"
        if new != state:
            out.append((i, new))
            state = new
    return out


def test_three_of_five_exact_transitions() -> None:
    alarm = latency_alarm()
    values: list[Optional[float]] = [0, 20, 20, 0, 20, 0, 0, 0, 0, 0, 20, 20, 20, 0]
    # i=4: [0,20,20,0,20] three breach -> ALARM; i=6: [20,0,20,0,0] two -> OK; i=12: [0,0,20,20,20] -> ALARM
    assert transitions(replay(history(values), alarm)) == [(4, "ALARM"), (6, "OK"), (12, "ALARM")]


def test_transitions_are_iso_times_of_the_period_that_completed_them() -> None:
    replayed = replay(history([20, 20, 20]), latency_alarm())
    assert [t.json() for t in replayed.transitions] == [{"time": "2026-01-01T00:02:00Z", "state": "ALARM"}]


@pytest.mark.parametrize(("missing", "expected"), [
    ("breaching", [(1, "ALARM")]),
    ("notBreaching", [(1, "ALARM"), (3, "OK")]),
    ("missing", [(1, "ALARM"), (3, "OK")]),
    ("ignore", [(1, "ALARM"), (10, "OK")]),
])
def test_missing_data_treatments(missing: str, expected: list[tuple[int, str]]) -> None:
    alarm = latency_alarm(evaluation_periods=3, datapoints_to_alarm=2, treat_missing_data=missing)
    values: list[Optional[float]] = [20, 20] + [None] * 8 + [0]
    assert transitions(replay(history(values), alarm)) == expected
    flags = [None if v is None else v > 10 for v in values]
    assert independent(flags, 3, 2, missing) == expected


@pytest.mark.parametrize("missing", ["breaching", "notBreaching", "missing", "ignore"])
@pytest.mark.parametrize("seed", range(5))
def test_random_series_agree_with_the_independent_evaluation(missing: str, seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 6)
    m = rng.randint(1, n)
    alarm = latency_alarm(evaluation_periods=n, datapoints_to_alarm=m, treat_missing_data=missing)
    values = [None if rng.random() < 0.2 else rng.choice([0.0, 5.0, 15.0, 30.0]) for _ in range(300)]
    flags = [None if v is None else v > 10 for v in values]
    assert transitions(replay(history(values), alarm)) == independent(flags, n, m, missing)


def test_raw_samples_are_aggregated_with_the_alarms_statistic_per_period() -> None:
    alarm = latency_alarm(statistic="Average", evaluation_periods=1, datapoints_to_alarm=1, period=300)
    h = History()
    for minute in range(15):  # period 0: average 4; period 1: average 12; period 2: average 4
        value = 12.0 if 5 <= minute < 10 else 4.0
        h.add(("ModelLatency", EP), T0 + minute * 60 + 7, value)
    h.start, h.end = T0, T0 + 900
    replayed = replay(h, alarm)
    assert replayed.values == {T0: 4.0, T0 + 300: 12.0, T0 + 600: 4.0}
    assert transitions(replayed) == [(1, "ALARM"), (2, "OK")]


def test_statistics() -> None:
    values = [float(v) for v in range(1, 101)]
    assert reduce(values, "Sum") == 5050
    assert reduce(values, "Average") == 50.5
    assert reduce(values, "Minimum") == 1 and reduce(values, "Maximum") == 100
    assert reduce(values, "SampleCount") == 100
    assert reduce(values, "p90") == 90 and reduce(values, "p99.9") == 100
    assert reduce(values, "PR(:30)") == 30.0 and reduce(values, "PR(10:20)") == 10.0
    with pytest.raises(ValueError, match="cannot be replayed"):
        reduce(values, "TM(10%:90%)")


def test_max_over_variants_is_the_worst_series() -> None:
    config = config_from_mapping({"endpoints": [{"name": "ep", "variants": ["A", "B"], "alarms": {"ModelLatency": {
        "threshold": 10, "statistic": "Maximum", "period": 60, "evaluation_periods": 1, "datapoints_to_alarm": 1}}}]})
    [alarm] = [a for a in plan_monitoring(config).alarms if a.row.metric == "ModelLatency"]
    h = History()
    h.add(("ModelLatency", (("EndpointName", "ep"), ("VariantName", "A"))), T0, 5)
    h.add(("ModelLatency", (("EndpointName", "ep"), ("VariantName", "B"))), T0, 50)
    h.add(("ModelLatency", (("EndpointName", "ep"), ("VariantName", "A"))), T0 + 60, 5)
    h.start, h.end = T0, T0 + 120
    replayed = replay(h, alarm)
    assert replayed.values == {T0: 50, T0 + 60: 5}
    assert transitions(replayed) == [(0, "ALARM"), (1, "OK")]
    assert replayed.json()["dimensions"] == {"EndpointName": "ep"}


def slo_alarms(slo: dict[str, Any]) -> dict[str, AlarmPlan]:
    config = config_from_mapping({"endpoints": [{"name": "ep", "slo": slo}]})
    return {a.name.split("/")[-2]: a for a in plan_monitoring(config).alarms if a.burn is not None}


def test_availability_burn_rate_replay() -> None:
    alarms = slo_alarms({"availability": 99.9})
    h = History()
    for minute in range(60):
        h.add(("Invocations", EP), T0 + minute * 60, 100)
        h.add(("Invocation5XXErrors", EP), T0 + minute * 60, 2 if 10 <= minute < 15 else 0)
    h.start, h.end = T0, T0 + 3600
    fast = replay(h, alarms["Burn14.4x-5m"])
    # minutes 10-14: 10 errors of 500 requests = 2 % = 20x a 0.1 % budget
    assert fast.values[T0 + 600] == pytest.approx(20.0)
    assert transitions(fast) == [(2, "ALARM"), (3, "OK")]
    hour = replay(h, alarms["Burn14.4x-1h"])
    assert hour.values[T0] == pytest.approx(10 / 6000 / 0.001)  # 1.67x: no page
    assert hour.transitions == []


def test_latency_burn_rate_counts_requests_over_the_threshold() -> None:
    alarms = slo_alarms({"latency": {"threshold_ms": 300, "target": 99}})
    h = History()
    for second in range(0, 300, 3):  # 100 requests, 20 over 300 ms
        h.add(("ModelLatency", EP), T0 + second, 900_000 if second < 60 else 100_000)
    h.start, h.end = T0, T0 + 300
    replayed = replay(h, alarms["Burn14.4x-5m"])
    assert replayed.values[T0] == pytest.approx(0.2 / 0.01)
    assert transitions(replayed) == [(0, "ALARM")]


def test_anomaly_alarms_are_not_replayed() -> None:
    config = config_from_mapping({"endpoints": [{"name": "ep", "alarms": {
        "Invocations": {"anomaly": {"band": 2, "direction": "lower"}}}}]})
    [alarm] = [a for a in plan_monitoring(config).alarms if a.anomaly is not None]
    replayed = replay(history([1, 2, 3], metric="Invocations"), alarm)
    assert not replayed.replayable and "cannot be replayed" in replayed.note


def test_suggested_threshold_is_a_high_percentile_with_a_margin_and_is_replayed() -> None:
    alarm = latency_alarm(evaluation_periods=1, datapoints_to_alarm=1)
    values: list[Optional[float]] = [float(v % 10) for v in range(200)] + [50.0]
    replayed = replay(history(values), alarm)
    hint = suggest(history(values), replayed)
    assert hint is not None
    assert hint.threshold == pytest.approx(9 * 1.2)  # p99 of 201 values is 9
    assert hint.alarms == 1  # only the 50 crosses it
    assert replayed.threshold == 10  # the plan's threshold is untouched


def test_a_tier_pages_while_both_windows_are_in_alarm() -> None:
    assert both_spans([(0, 3600)], [(0, 1200), (3000, 4000)]) == [(0, 1200), (3000, 3600)]
    assert both_spans([(0, 3600)], [(3600, 4000)]) == []


def test_csv_columns_in_any_case_namespace_ignored_empty_dimensions_left_out(tmp_path: Any) -> None:
    from cdk_sagemaker_monitoring.backtest import load_csv

    path = tmp_path / "h.csv"
    path.write_text("\ufeffTimestamp,Namespace,Metric,Value,EndpointName,VariantName,Host\n"
                    "2026-01-01T00:00:30Z,AWS/SageMaker,ModelLatency,12.5,ep,AllTraffic,\n"
                    "2026-01-01T00:00:00+00:00,AWS/SageMaker,ModelLatency,7,ep,AllTraffic,\n")
    h = load_csv(path)
    assert h.samples == {("ModelLatency", EP): [(T0, 7.0), (T0 + 30, 12.5)]}
    assert (h.start, h.end) == (T0, T0 + 31)


@pytest.mark.parametrize(("text", "words"), [
    ("timestamp,metric,value\nyesterday,ModelLatency,1\n", "h.csv:2"),
    ("timestamp,metric,value\n2026-01-01T00:00:00Z,ModelLatency,nan\n", "not a finite number"),
    ("timestamp,metric,value\n", "no samples"),
])
def test_bad_csv_lines_are_named(tmp_path: Any, text: str, words: str) -> None:
    from cdk_sagemaker_monitoring.backtest import SeriesError, load_csv

    path = tmp_path / "h.csv"
    path.write_text(text)
    with pytest.raises(SeriesError, match=words):
        load_csv(path)
