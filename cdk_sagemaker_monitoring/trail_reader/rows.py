"""The metric row: one data point of one ``BatchPutMetrics`` event, and how its fields are written."""

from __future__ import annotations

from typing import NamedTuple, Optional

#: The columns of every output (CSV header, JSON keys, table schema), in order.
COLUMNS: tuple[str, ...] = (
    "event_time",
    "account_id",
    "region",
    "trial_component",
    "metric_name",
    "step",
    "timestamp",
    "value",
)


class MetricRow(NamedTuple):
    """One metric data point, as the ``metrics`` command prints it.

    ``event_time`` is the CloudTrail ``eventTime`` of the ``BatchPutMetrics`` call, as logged
    (``2024-05-01T12:00:03Z``); ``timestamp`` is the data point's own time, ISO-8601 UTC with
    milliseconds (``2024-05-01T11:59:58.250Z``), or ``None`` when the data point has none.
    ``step`` is ``None`` when the data point has no step.
    """

    event_time: str
    account_id: str
    region: str
    trial_component: str
    metric_name: str
    step: Optional[int]
    timestamp: Optional[str]
    value: Optional[float]


_MS_PER_DAY = 86_400_000
_MILLIS = tuple(f".{n:03d}Z" for n in range(1000))
_day_cache: dict[int, str] = {}
_second_cache: dict[int, str] = {}


def _day_prefix(day: int) -> str:
    text = _day_cache.get(day)
    if text is None:
        from datetime import date, timedelta

        try:
            text = (date(1970, 1, 1) + timedelta(days=day)).isoformat() + "T"
        except OverflowError:
            raise ValueError(f"day {day} after 1970-01-01 is outside the years 1-9999") from None
        if len(_day_cache) > 100_000:
            _day_cache.clear()
        _day_cache[day] = text
    return text


def _second_text(second: int) -> str:
    day, rest = divmod(second, 86_400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{_day_prefix(day)}{hours:02d}:{minutes:02d}:{seconds:02d}"
    if len(_second_cache) > 16_384:  # bounded: memory stays flat however long the read
        _second_cache.clear()
    _second_cache[second] = text
    return text


def iso_from_epoch_ms(ms: int) -> str:
    """``1670366870250`` -> ``"2022-12-06T22:47:50.250Z"`` (UTC, always with milliseconds).

    Seconds already seen are cached, so a run of data points costs a dict lookup each.
    """
    second, millis = divmod(ms, 1000)
    text = _second_cache.get(second)
    if text is None:
        text = _second_text(second)
    return text + _MILLIS[millis]


#: Epoch milliseconds of 0001-01-01 and 9999-12-31T23:59:59.999 (what ISO-8601 text can show).
MIN_MS, MAX_MS = -62_135_596_800_000, 253_402_300_799_999


def epoch_ms(value: object) -> Optional[int]:
    """A data point's ``timestamp`` as epoch milliseconds (see :func:`_epoch_ms`), or ``None``."""
    ms = _epoch_ms(value)
    return ms if ms is not None and MIN_MS <= ms <= MAX_MS else None


def _epoch_ms(value: object) -> Optional[int]:
    """A data point's ``timestamp`` as epoch milliseconds.

    CloudTrail logs it as epoch milliseconds (the documented shape). Numbers below 10^11 are
    taken as epoch *seconds* (10^11 ms is 1973, 10^11 s is the year 5138), and ISO-8601 strings
    are accepted too, so a file written by another tool still reads. ``None`` when absent or
    unreadable, or outside the years 1-9999.
    """
    if type(value) is int:
        return value if value >= 100_000_000_000 or value <= -100_000_000_000 else value * 1000
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return round(value) if abs(value) >= 1e11 else round(value * 1000)
    if isinstance(value, str) and value:
        try:
            return _epoch_ms(float(value))
        except ValueError:
            pass
        from datetime import datetime, timezone

        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return round(parsed.timestamp() * 1000)
    return None
