"""How many data events the trail delivers a day, and how many bytes they take in its bucket.

Either given (``--data-events-per-day N``) or measured from delivered log files (``--from-trail
SOURCE``: a directory or ``s3://bucket/prefix``, the same sources ``metrics`` reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Optional

from .errors import CostInputError

DEFAULT_BYTES_PER_EVENT = Decimal(400)
"""Bytes one BatchPutMetrics event takes in the bucket (gzip JSON) when no logs are measured. Measured on
the real-shaped events of ``tests/support/cloudtrail.py`` (1 to 30 data points each): 577 bytes at 4 events
a file, 383 at 20, 339 at 100 (``bench/cost_table.py`` prints it)."""


@dataclass(frozen=True)
class TrailVolume:
    """Data events a day and their stored size; ``basis`` says where the figures come from."""

    events_per_day: Decimal
    bytes_per_event: Decimal
    basis: str
    skipped: tuple[str, ...] = ()
    """Log files that could not be read (the measure is then partial)."""


def given_volume(events_per_day: float) -> TrailVolume:
    """``--data-events-per-day N``."""
    if events_per_day < 0:
        raise CostInputError(f"--data-events-per-day {events_per_day}: negative (a number of events, 0 or more)")
    count = Decimal(str(events_per_day))
    return TrailVolume(count, DEFAULT_BYTES_PER_EVENT, f"--data-events-per-day {count.normalize():,f}; about "
                       f"{DEFAULT_BYTES_PER_EVENT} bytes stored per event")


def measured_volume(source: str, *, since: Any = None, until: Any = None, profile: Optional[str] = None,
                    region: Optional[str] = None) -> TrailVolume:
    """Count the records and bytes of every delivered log file of ``source`` (in the ``since``/``until``
    window); events a day are over the days from the first to the last event (or the window, when both
    bounds are given)."""
    from ..trail_reader.parse import DamagedFile, NotALogFile, decode_records
    from ..trail_reader.sources import open_source
    from ..trail_reader.window import TimeWindow

    window = TimeWindow.of(since, until)
    src = open_source(source, profile=profile, region=region)
    events = size = files = 0
    skipped: list[str] = []
    first: Optional[date] = None
    last: Optional[date] = None
    for file in src.files(window):
        try:
            data = src.read(file)
            records = decode_records(data)
        except (DamagedFile, FileNotFoundError) as err:
            skipped.append(f"{file.name}: {err}")
            continue
        except NotALogFile:
            continue
        files += 1
        size += len(data)
        for record in records:
            when = _day(record)
            if when is not None and not _inside(record, window):
                continue
            if isinstance(record, dict) and record.get("eventCategory", "Data") != "Data":
                continue  # management events: the first copy is free
            events += 1
            if when is not None:
                first = when if first is None or when < first else first
                last = when if last is None or when > last else last
    if events == 0:
        raise CostInputError(f"--from-trail {source}: no CloudTrail events in its log files"
                             + (" in the --since/--until window" if not window.unbounded else ""))
    if window.since is not None and window.until is not None:
        days = Decimal((window.until - window.since).total_seconds()) / Decimal(86400)
    else:
        days = Decimal(((last - first).days + 1) if first is not None and last is not None else 1)
    return TrailVolume(Decimal(events) / days, Decimal(size) / Decimal(events),
                       f"measured: {events:,} data events in {files:,} log files over {days:g} day(s) of {source}",
                       skipped=tuple(skipped))


def _day(record: Any) -> Optional[date]:
    text = record.get("eventTime") if isinstance(record, dict) else None
    if not isinstance(text, str) or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _inside(record: dict[str, Any], window: Any) -> bool:
    text = record["eventTime"]
    return (window.since_text is None or text >= window.since_text) and (window.until_text is None
                                                                        or text < window.until_text)
