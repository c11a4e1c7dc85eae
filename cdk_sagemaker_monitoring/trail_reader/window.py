"""The ``--since``/``--until`` time window: which events pass, and which day folders can hold them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterator, Optional, Union

TimeBound = Union[str, date, datetime, None]

_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class WindowError(ValueError):
    """A ``since``/``until`` value that cannot be read as a date or time."""


def _parse(value: TimeBound, *, name: str, end_of_day: bool) -> Optional[datetime]:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        start = datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
        return start + timedelta(days=1) if end_of_day else start
    text = str(value).strip()
    try:
        if _DATE_ONLY.match(text):
            return _parse(date.fromisoformat(text), name=name, end_of_day=end_of_day)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise WindowError(
            f"{name}: {value!r} is not a date or time (use 2024-05-01, 2024-05-01T13:00, or 2024-05-01T13:00:00Z)"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def _iso_z(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class TimeWindow:
    """Events whose ``eventTime`` lies in ``[since, until)`` (either end open when ``None``).

    Build it with :meth:`of`: a date alone means midnight UTC for ``since`` and the *end* of that
    day for ``until`` (so ``since=until=2024-05-01`` is the whole of 1 May); times without an
    offset are UTC.

    CloudTrail files sit in the folder of the day they were *delivered*, which is the day of
    their events or later (delivery usually takes minutes). :meth:`days` therefore reaches
    ``delivery_slack`` past ``until``.
    """

    since: Optional[datetime] = None
    until: Optional[datetime] = None
    delivery_slack: timedelta = timedelta(days=1)

    @classmethod
    def of(cls, since: TimeBound = None, until: TimeBound = None) -> "TimeWindow":
        start = _parse(since, name="since", end_of_day=False)
        end = _parse(until, name="until", end_of_day=True)
        if start and end and end <= start:
            raise WindowError(f"until ({_iso_z(end)}) must be later than since ({_iso_z(start)})")
        return cls(start, end)

    @property
    def unbounded(self) -> bool:
        return self.since is None and self.until is None

    # eventTime strings are compared as text: CloudTrail writes them as YYYY-MM-DDTHH:MM:SSZ.
    @property
    def since_text(self) -> Optional[str]:
        return _iso_z(self.since) if self.since else None

    @property
    def until_text(self) -> Optional[str]:
        return _iso_z(self.until) if self.until else None

    def first_day(self) -> Optional[date]:
        return self.since.astimezone(timezone.utc).date() if self.since else None

    def last_day(self) -> Optional[date]:
        if self.until is None:
            return None
        return (self.until.astimezone(timezone.utc) - timedelta(microseconds=1) + self.delivery_slack).date()

    def days(self, today: Optional[date] = None) -> Iterator[date]:
        """The delivery days whose folders can hold events of the window (needs ``since``)."""
        first = self.first_day()
        if first is None:
            raise ValueError("days() needs a since bound")
        last = self.last_day() or (today or datetime.now(timezone.utc).date()) + timedelta(days=1)
        day = first
        while day <= last:
            yield day
            day += timedelta(days=1)

    def may_hold(self, year: int, month: Optional[int] = None, day: Optional[int] = None) -> bool:
        """Whether a ``YYYY[/MM[/DD]]`` delivery folder can hold events of the window."""
        first, last = self.first_day(), self.last_day()
        if month is None:
            lo, hi = date(year, 1, 1), date(year, 12, 31)
        elif day is None:
            lo = date(year, month, 1)
            hi = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        else:
            lo = hi = date(year, month, day)
        return (first is None or hi >= first) and (last is None or lo <= last)
