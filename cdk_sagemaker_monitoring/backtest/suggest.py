"""A threshold per alarm from the history: printed for people to weigh, never applied.

For an alarm on high values, the 99th percentile of its period values plus a margin (20 % by default);
for one on low values, the 1st percentile minus the margin. The periods the planned alarm spent in ALARM
are left out (the incidents it caught are not the normal it should stay above), unless too few remain.
The suggestion is replayed too, so the output says how often the alarm would have fired with it.
SLO burn-rate alarms keep their factors (they follow from the objective, not from the history);
anomaly bands have no threshold to suggest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from .evaluate import AlarmReplay, periods, states
from .series import History

DEFAULT_MARGIN = 0.2
DEFAULT_PERCENTILE = 99.0
MIN_QUIET_PERIODS = 20
"""Fewer periods outside the ALARM spans than this: the suggestion uses every period."""


@dataclass(frozen=True)
class Suggestion:
    threshold: float
    basis: str
    """How it was reached, for people (``p99 of 2016 periods + 20 %``)."""
    alarms: int
    """Times the alarm would have gone to ALARM with it over the history."""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def suggest(history: History, replayed: AlarmReplay, *, margin: float = DEFAULT_MARGIN,
            q: float = DEFAULT_PERCENTILE) -> Optional[Suggestion]:
    """A threshold for ``replayed``'s alarm, or ``None`` (not replayable, SLO burn rate, no values)."""
    alarm = replayed.alarm
    if not replayed.replayable or alarm.burn is not None or not replayed.values:
        return None
    spans = replayed.alarm_spans(int(history.end or 0))
    quiet = [v for t, v in replayed.values.items() if not any(a <= t < b for a, b in spans)]
    values = quiet if len(quiet) >= MIN_QUIET_PERIODS else list(replayed.values.values())
    which = "OK periods" if values is quiet else "periods"
    if alarm.comparison.startswith("Greater"):
        base = percentile(values, q)
        threshold = base + abs(base) * margin if base else margin
        basis = f"p{q:g} of {len(values)} {which} ({base:.6g}) + {margin:.0%}"
    else:
        base = percentile(values, 100 - q)
        threshold = base - abs(base) * margin
        basis = f"p{100 - q:g} of {len(values)} {which} ({base:.6g}) - {margin:.0%}"
    threshold = float(f"{threshold:.4g}")
    fired = sum(1 for t in states(replayed.values, periods(history, alarm.period), alarm, threshold)
                if t.state == "ALARM")
    return Suggestion(threshold=threshold, basis=basis, alarms=fired)
