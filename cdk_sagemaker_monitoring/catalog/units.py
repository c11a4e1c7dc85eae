"""Units of SageMaker metrics: how a value reads to a person, and the axis label of a graph."""

from __future__ import annotations

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
