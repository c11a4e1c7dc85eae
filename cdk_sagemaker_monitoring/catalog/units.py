"""Units of SageMaker metrics: how a value reads to a person, the axis label of a graph, and the values a
statistic of a metric can take (so a threshold no value can cross is refused)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal, Optional

AXIS_LABEL: dict[str, str] = {
    "Microseconds": "microseconds",
    "Milliseconds": "milliseconds",
    "Seconds": "seconds",
    "Percent": "percent",
    "Count": "count",
    "None": "count",
}
"""Y-axis label of a graph of metrics of that unit (the catalog's units; see :func:`axis_label` for any)."""


def axis_label(unit: str) -> str:
    """Y-axis label for any CloudWatch unit (``Count/Second`` -> ``count/second``)."""
    return AXIS_LABEL.get(unit, unit.lower())

_TIME_UNITS: dict[str, float] = {"Microseconds": 1e-6, "Milliseconds": 1e-3, "Seconds": 1.0}


def humanize(value: float, unit: str) -> str:
    """``1_000_000, "Microseconds"`` -> ``"1 s"``; ``90, "Percent"`` -> ``"90 %"``; counts as numbers."""
    if unit in _TIME_UNITS:
        seconds = value * _TIME_UNITS[unit]
        if seconds >= 3600 and seconds % 3600 == 0:
            return f"{seconds / 3600:g} h"
        if seconds >= 60 and seconds % 60 == 0:
            return f"{seconds / 60:g} min"
        if seconds >= 1:
            return f"{seconds:g} s"
        if seconds >= 1e-3:
            return f"{seconds * 1e3:g} ms"
        return f"{seconds * 1e6:g} µs"
    if unit == "Percent":
        return f"{value:g} %"
    if unit in ("Count", "None"):
        return f"{value:g}"
    return f"{value:g} {unit}"


# ------------------------------------------------------------------------------ value ranges

UNIT_MINIMUM: dict[str, float] = {
    "Microseconds": 0.0, "Milliseconds": 0.0, "Seconds": 0.0, "Percent": 0.0, "Count": 0.0, "None": 0.0,
}
"""The least value a SageMaker metric of that unit can have: every one is a count, a duration, a share of
requests or a utilization (CloudWatch's metrics page of SageMaker), none can be negative."""

UNBOUNDED_STATISTICS: frozenset[str] = frozenset({"Sum", "SampleCount"})
"""Statistics that add datapoints up: whatever a single datapoint's ceiling, their value has none."""


@dataclass(frozen=True)
class Ceiling:
    """The most a single datapoint of a metric can be, in its unit (``per="gpu"``: per GPU of the instance)."""

    value: float
    meaning: str
    per: Optional[Literal["gpu"]] = None


SHARE = Ceiling(1.0, "1 per request, else 0: its average is a share of requests")
"""0/1-per-request metrics (``Invocation5XXErrors``, ``ModelCacheHit``...)."""
PERCENT = Ceiling(100.0, "a percentage of the whole")
"""Utilizations of a whole (memory, disk)."""
PERCENT_PER_GPU = Ceiling(100.0, "percent times the number of GPUs", per="gpu")
"""GPU utilizations: 100 % per GPU of the instance."""


@dataclass(frozen=True)
class ValueRange:
    """The values a statistic of a metric can take: ``low`` to ``high`` (``None``: no upper bound)."""

    low: float
    high: Optional[float]
    why: str

    def __str__(self) -> str:
        if self.high is None:
            return f"{self.low:g} or more"
        return f"{self.low:g} to {self.high:g}"

    def thresholds(self, comparison: str) -> str:
        """The thresholds a value in this range can cross with ``comparison``, for a message."""
        inclusive_low = comparison in ("GreaterThanThreshold", "LessThanOrEqualToThreshold")
        low = f"{self.low:g} {'<=' if inclusive_low else '<'} threshold"
        if self.high is None:
            return low
        return f"{low} {'<' if inclusive_low else '<='} {self.high:g}"

    def crossable(self, threshold: float, comparison: str) -> bool:
        """Whether some value in the range compares true with ``threshold`` and some other false."""
        high = math.inf if self.high is None else self.high
        if comparison in ("GreaterThanThreshold", "LessThanOrEqualToThreshold"):
            return self.low <= threshold < high
        return self.low < threshold <= high


def value_range(unit: str, statistic: str, ceiling: Optional[Ceiling] = None, gpus: int = 1) -> ValueRange:
    """The values ``statistic`` of a metric of ``unit`` can take (with its datapoints' ``ceiling``).

    Averages, extremes and percentiles of datapoints stay within one datapoint's range; ``Sum`` and
    ``SampleCount`` add them up (a count of requests, not a share). A per-GPU ceiling is multiplied by
    ``gpus`` (at least one).
    """
    if unit not in UNIT_MINIMUM:  # a custom metric's unit: nothing is known about its values
        return ValueRange(-math.inf, None, f"a metric in {unit}")
    low = UNIT_MINIMUM[unit]
    if statistic in UNBOUNDED_STATISTICS:
        why = f"{statistic} adds datapoints up" if statistic == "Sum" else "SampleCount counts datapoints"
        return ValueRange(low, None, why + ", so it is never negative")
    if ceiling is None:
        what = "a duration" if unit in _TIME_UNITS else "a percentage" if unit == "Percent" else "a count"
        return ValueRange(low, None, f"{what}, never negative")
    if ceiling.per == "gpu":
        count = max(gpus, 1)
        return ValueRange(low, ceiling.value * count, f"{ceiling.meaning}, {count} GPU{'s' if count > 1 else ''}")
    return ValueRange(low, ceiling.value, ceiling.meaning)
