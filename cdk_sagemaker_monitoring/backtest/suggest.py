"""A threshold per alarm from the history: printed for people to weigh, never applied.

For an alarm on high values, the 99th percentile of its period values plus a margin (20 % by default);
for one on low values, the 1st percentile minus the margin. The suggestion is replayed too, so the
output says how often the alarm would have fired with it. SLO burn-rate alarms keep their factors
(they follow from the objective, not from the history); anomaly bands have no threshold to suggest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from .evaluate import AlarmReplay, periods, states
from .series import History

DEFAULT_MARGIN = 0.2
DEFAULT_PERCENTILE = 99.0


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
    values = list(replayed.values.values())
    if alarm.comparison.startswith("Greater"):
        base = percentile(values, q)
        threshold = base + abs(base) * margin if base else margin
        basis = f"p{q:g} of {len(values)} periods ({base:.6g}) + {margin:.0%}"
    else:
        base = percentile(values, 100 - q)
        threshold = base - abs(base) * margin
        basis = f"p{100 - q:g} of {len(values)} periods ({base:.6g}) - {margin:.0%}"
    threshold = float(f"{threshold:.4g}")
    fired = sum(1 for t in states(replayed.values, periods(history, alarm.period), alarm, threshold)
                if t.state == "ALARM")
    return Suggestion(threshold=threshold, basis=basis, alarms=fired)
