"""Replay: the values an alarm sees per period, and the states CloudWatch would give it.

Per alarm (an :class:`~cdk_sagemaker_monitoring.plan.model.AlarmPlan`, as planned for the templates):

1. **Period values.** Raw samples are grouped into periods aligned on multiples of the period since the
   epoch (hourly periods start on the hour, daily ones at 00:00 UTC) and reduced with the alarm's
   statistic: ``Sum``, ``Average``, ``Minimum``, ``Maximum``, ``SampleCount``, ``pNN`` (nearest rank),
   ``PR(low:high)`` (percent of samples in ``(low, high]``). Several sources are ``MAX()``-ed (the
   worst series); an SLO alarm's value is its burn rate (bad over total, over the budget; 0 without
   requests, as its ``FILL``/``IF`` expression gives).
2. **States.** At each period ``t`` the alarm looks at the last ``evaluation_periods`` periods (none
   before the history starts) and is in ALARM when at least ``datapoints_to_alarm`` of them breach.
   Periods without data count as ``treat_missing_data`` says (CloudWatch's documented semantics):
   ``breaching`` as breaching, ``notBreaching`` as not; ``missing`` leaves them out of the window, and
   when every period of the window is missing the state stays as it was (CloudWatch: INSUFFICIENT_DATA,
   which notifies neither ALARM nor OK); ``ignore`` keeps the current state at a period without data
   (and leaves missing periods out of the windows of the others).

A transition is stamped with the timestamp of the period that completed it (CloudWatch's datapoint
timestamp; the notification comes once that period has closed). The state before the history is OK.

Anomaly-band alarms are not replayed: their model is trained by CloudWatch on the metric's own past.
CloudWatch may also look a few periods beyond the window for real data points when some are missing
(its "evaluation range"); on gappy histories a transition can therefore differ by a period.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from ..plan.model import AlarmPlan, BurnRate, MetricSource
from .series import History, iso, key_of

_PERCENTILE = re.compile(r"^p(\d{1,2}(?:\.\d+)?)$")
_PERCENT_RANK = re.compile(r"^PR\(([^:]*):([^)]*)\)$")

COMPARE: dict[str, Callable[[float, float], bool]] = {
    "GreaterThanThreshold": lambda v, t: v > t,
    "GreaterThanOrEqualToThreshold": lambda v, t: v >= t,
    "LessThanThreshold": lambda v, t: v < t,
    "LessThanOrEqualToThreshold": lambda v, t: v <= t,
}


def reduce(values: Sequence[float], statistic: str) -> float:
    """``values`` (at least one) reduced with a CloudWatch statistic."""
    if statistic == "Sum":
        return math.fsum(values)
    if statistic == "Average":
        return math.fsum(values) / len(values)
    if statistic == "Minimum":
        return min(values)
    if statistic == "Maximum":
        return max(values)
    if statistic == "SampleCount":
        return float(len(values))
    match = _PERCENTILE.match(statistic)
    if match:
        ordered = sorted(values)
        rank = max(1, math.ceil(float(match.group(1)) / 100 * len(ordered)))
        return ordered[rank - 1]
    match = _PERCENT_RANK.match(statistic)
    if match:
        low = float(match.group(1)) if match.group(1) else -math.inf
        high = float(match.group(2)) if match.group(2) else math.inf
        return 100.0 * sum(1 for v in values if low < v <= high) / len(values)
    raise ValueError(f"statistic {statistic!r} cannot be replayed")


def periods(history: History, period: int) -> list[int]:
    """Period starts covering the history, aligned on multiples of ``period``."""
    if history.start is None or history.end is None:
        return []
    first = int(history.start) // period * period
    return list(range(first, int(math.ceil(history.end)), period))


def series_values(history: History, source: MetricSource, statistic: str, period: int) -> dict[int, float]:
    """``{period start: value}`` of one series (fetched period values, or raw samples reduced)."""
    key = key_of(source)
    fetched = history.aggregates.get((key, statistic, period))
    if fetched is not None:
        return dict(fetched)
    grouped: dict[int, list[float]] = {}
    for when, value in history.samples.get(key, ()):
        grouped.setdefault(int(when) // period * period, []).append(value)
    return {start: reduce(values, statistic) for start, values in grouped.items()}


def burn_values(history: History, burn: BurnRate, period: int, starts: Sequence[int]) -> dict[int, float]:
    """The burn rate per period, as the alarm's expression computes it (0 without requests)."""
    bad = [series_values(history, s, burn.bad_statistic, period) for s in burn.bad]
    total = [series_values(history, s, burn.total_statistic, period) for s in burn.total]
    out: dict[int, float] = {}
    for start in starts:
        n = math.fsum(t.get(start, 0.0) for t in total)
        if burn.objective == "availability":
            errors = math.fsum(b.get(start, 0.0) for b in bad)
        else:
            errors = math.fsum((100 - b.get(start, 100.0)) * t.get(start, 0.0) / 100 for b, t in zip(bad, total, strict=True))
        out[start] = (errors / n if n > 0 else 0.0) / burn.budget
    return out


def alarm_values(history: History, alarm: AlarmPlan) -> dict[int, float]:
    """What the alarm compares with its threshold, per period start (missing periods absent)."""
    starts = periods(history, alarm.period)
    if alarm.burn is not None:
        return burn_values(history, alarm.burn, alarm.period, starts)
    each = [series_values(history, s, alarm.statistic, alarm.period) for s in alarm.sources]
    out: dict[int, float] = {}
    for start in starts:
        present = [v[start] for v in each if start in v]
        if present:
            out[start] = max(present)
    return out


@dataclass(frozen=True)
class Transition:
    time: int
    """Epoch seconds: the start of the period that completed the change."""
    state: str
    """``ALARM`` or ``OK``."""

    def json(self) -> dict[str, str]:
        return {"time": iso(self.time), "state": self.state}


@dataclass
class AlarmReplay:
    """One alarm replayed: its values per period, and its transitions."""

    alarm: AlarmPlan
    values: dict[int, float] = field(default_factory=dict)
    transitions: list[Transition] = field(default_factory=list)
    replayable: bool = True
    note: str = ""
    threshold: Optional[float] = None
    """The threshold replayed (the alarm's, or a suggested one)."""

    @property
    def metric(self) -> str:
        if self.alarm.burn is not None:
            return f"{self.alarm.row.metric} SLO {self.alarm.burn.objective} burn rate ({self.alarm.burn.window})"
        return self.alarm.row.metric

    @property
    def dimensions(self) -> dict[str, str]:
        """The dimensions every watched series shares (the endpoint; variants when there is one)."""
        sources = self.alarm.sources
        if not sources:
            return {}
        common = set(sources[0].dimensions)
        for s in sources[1:]:
            common &= set(s.dimensions)
        return dict(sorted(common))

    def alarm_spans(self, end: int) -> list[tuple[int, int]]:
        """``[(start, end)]`` of the periods in ALARM (``end``: the history's end for an open span)."""
        spans, opened = [], None
        for t in self.transitions:
            if t.state == "ALARM" and opened is None:
                opened = t.time
            elif t.state == "OK" and opened is not None:
                spans.append((opened, t.time))
                opened = None
        if opened is not None:
            spans.append((opened, end))
        return spans

    def json(self) -> dict[str, object]:
        return {"name": self.alarm.name, "metric": self.metric, "dimensions": self.dimensions,
                "transitions": [t.json() for t in self.transitions]}


def states(values: dict[int, float], starts: Sequence[int], alarm: AlarmPlan, threshold: float) -> list[Transition]:
    """The transitions of an M-of-N alarm over ``starts`` with ``threshold`` (see the module's docstring)."""
    compare = COMPARE[alarm.comparison]
    n, m, missing = alarm.evaluation_periods, alarm.datapoints_to_alarm, alarm.treat_missing_data
    state = "OK"
    out: list[Transition] = []
    flags: list[Optional[bool]] = []  # True breaching, False not, None missing (left out)
    for start in starts:
        value = values.get(start)
        if value is not None:
            flags.append(compare(value, threshold))
        elif missing == "breaching":
            flags.append(True)
        elif missing == "notBreaching":
            flags.append(False)
        else:
            flags.append(None)
        if value is None and missing == "ignore":
            continue  # ignore: a period without data keeps the current state
        window = flags[-n:]
        if all(f is None for f in window):
            continue  # INSUFFICIENT_DATA (missing) or the current state (ignore): no ALARM/OK notification
        new = "ALARM" if sum(1 for f in window if f) >= m else "OK"
        if new != state:
            out.append(Transition(start, new))
            state = new
    return out


def replay(history: History, alarm: AlarmPlan, threshold: Optional[float] = None) -> AlarmReplay:
    """Replay one alarm (``threshold``: try another one than the planned)."""
    if alarm.anomaly is not None:
        return AlarmReplay(alarm, replayable=False, note="anomaly band: the model is CloudWatch's, trained on the "
                           "metric's own past, so it cannot be replayed; see the band on the metric's graph")
    if alarm.query is not None:
        return AlarmReplay(alarm, replayable=False, note="Metrics Insights fleet alarm: not replayed (replay the "
                           "per-resource alarms with alarm_mode per_resource)")
    watched = (alarm.burn.bad + alarm.burn.total) if alarm.burn is not None else alarm.sources
    if not any(history.has(s) for s in watched):
        return AlarmReplay(alarm, replayable=False, note="no history of its series")
    used = alarm.threshold if threshold is None else threshold
    values = alarm_values(history, alarm)
    return AlarmReplay(alarm, values=values, threshold=used,
                       transitions=states(values, periods(history, alarm.period), alarm, used))


def both_spans(first: Sequence[tuple[int, int]], second: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The times both alarms were in ALARM (an SLO tier's composite ``ALARM(long) AND ALARM(short)``)."""
    out = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                out.append((start, end))
    return sorted(out)


def replay_all(history: History, alarms: Sequence[AlarmPlan]) -> list[AlarmReplay]:
    """Replay every alarm, in the plan's order."""
    return [replay(history, a) for a in alarms]
