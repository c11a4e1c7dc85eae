"""The metric history a backtest replays: raw samples from a CSV, or period values from GetMetricData.

CSV columns: ``timestamp`` (ISO 8601, UTC), ``metric``, ``value`` and one column per dimension
(``EndpointName``, ``VariantName``...); an empty dimension cell means the sample lacks that dimension.
Samples may come at any spacing: the evaluator aggregates them into each alarm's periods with its
statistic. GetMetricData already returns one value per period and statistic, kept as such.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable, Optional

from ..plan.model import AlarmPlan, Dimensions, MetricSource

SeriesKey = tuple[str, Dimensions]
"""``(metric, sorted dimension pairs)``: one time series (namespaces are not in the CSV)."""

REQUIRED_COLUMNS = ("timestamp", "metric", "value")
IGNORED_COLUMNS = ("namespace", "unit")
"""Columns read as no dimension (the configuration's metric names say the namespace)."""


class SeriesError(ValueError):
    """A history that cannot be read (with the file, line and fix)."""


def key_of(source: MetricSource) -> SeriesKey:
    return source.metric, tuple(sorted(source.dimensions))


def parse_time(text: str) -> datetime:
    """An ISO 8601 time (``Z`` or an offset; a time without one is taken as UTC), as aware UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def iso(seconds: float) -> str:
    """Epoch seconds as ISO 8601 UTC with ``Z``."""
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class History:
    """Samples per series (epoch seconds, value), and period values fetched from CloudWatch."""

    samples: dict[SeriesKey, list[tuple[float, float]]] = field(default_factory=dict)
    aggregates: dict[tuple[SeriesKey, str, int], dict[int, float]] = field(default_factory=dict)
    """``(series, statistic, period) -> {period start: value}`` (GetMetricData's answer)."""
    start: Optional[float] = None
    end: Optional[float] = None
    """The time the history covers: [start, end) in epoch seconds."""
    source: str = ""

    def add(self, key: SeriesKey, when: float, value: float) -> None:
        self.samples.setdefault(key, []).append((when, value))
        self.start = when if self.start is None else min(self.start, when)
        self.end = when + 1 if self.end is None else max(self.end, when + 1)

    def has(self, source: MetricSource) -> bool:
        key = key_of(source)
        return key in self.samples or any(k[0] == key for k in self.aggregates)

    def sorted(self) -> "History":
        for values in self.samples.values():
            values.sort()
        return self


def load_csv(path: str | Path) -> History:
    """Read a history CSV (see the module's docstring)."""
    history = History(source=str(path))
    with open(path, newline="", encoding="utf-8-sig") as handle:  # a spreadsheet's byte-order mark is no column
        reader = csv.DictReader(handle)
        columns = [c.strip() for c in reader.fieldnames or []]
        reader.fieldnames = columns
        named = {c.lower(): c for c in columns}
        missing = [c for c in REQUIRED_COLUMNS if c not in named]
        if missing:
            raise SeriesError(f"{path}: no column {', '.join(missing)} (columns: timestamp, metric, value, then one "
                              "per dimension such as EndpointName, VariantName)")
        when_at, metric_at, value_at = (named[c] for c in REQUIRED_COLUMNS)
        dimensions = [c for c in columns if c.lower() not in REQUIRED_COLUMNS + IGNORED_COLUMNS]
        for line, row in enumerate(reader, start=2):
            try:
                when = parse_time(row[when_at] or "").timestamp()
                value = float(row[value_at] or "")
            except ValueError as err:
                raise SeriesError(f"{path}:{line}: {err} (timestamp: ISO 8601 such as 2026-01-31T12:00:00Z; value: "
                                  "a number)") from None
            if not math.isfinite(value):
                raise SeriesError(f"{path}:{line}: value {row[value_at]!r} is not a finite number")
            metric = (row[metric_at] or "").strip()
            if not metric:
                raise SeriesError(f"{path}:{line}: empty metric")
            dims = tuple(sorted((d, row[d].strip()) for d in dimensions if row.get(d) and row[d].strip()))
            history.add((metric, dims), when, value)
    if not history.samples:
        raise SeriesError(f"{path}: no samples")
    return history.sorted()


def _stat_queries(alarms: Iterable[AlarmPlan]) -> list[tuple[MetricSource, str, int]]:
    """Every (series, statistic, period) the replayable alarms read, once, in a stable order."""
    seen: dict[tuple[MetricSource, str, int], None] = {}
    for alarm in alarms:
        if alarm.anomaly is not None or alarm.query is not None:
            continue
        if alarm.burn is not None:
            for source in alarm.burn.bad:
                seen[(source, alarm.burn.bad_statistic, alarm.period)] = None
            for source in alarm.burn.total:
                seen[(source, alarm.burn.total_statistic, alarm.period)] = None
        else:
            for source in alarm.sources:
                seen[(source, alarm.statistic, alarm.period)] = None
    return list(seen)


def from_cloudwatch(client: Any, alarms: Iterable[AlarmPlan], *, days: float, now: Optional[datetime] = None) -> History:
    """The period values of every series the ``alarms`` read over the last ``days``, with GetMetricData."""
    end = (now or datetime.now(timezone.utc)).replace(second=0, microsecond=0)
    start = end - timedelta(days=days)
    history = History(source=f"CloudWatch GetMetricData, last {days:g} days", start=start.timestamp(),
                      end=end.timestamp())
    queries = _stat_queries(alarms)
    for offset in range(0, len(queries), 500):
        batch = queries[offset:offset + 500]
        request = [{"Id": f"q{i}", "MetricStat": {"Metric": {
            "Namespace": s.namespace, "MetricName": s.metric,
            "Dimensions": [{"Name": k, "Value": v} for k, v in s.dimensions]}, "Period": period, "Stat": stat},
            "ReturnData": True} for i, (s, stat, period) in enumerate(batch)]
        token = None
        while True:
            kwargs: dict[str, Any] = {"MetricDataQueries": request, "StartTime": start, "EndTime": end,
                                      "ScanBy": "TimestampAscending"}
            if token:
                kwargs["NextToken"] = token
            answer = client.get_metric_data(**kwargs)
            for result in answer.get("MetricDataResults", []):
                source, stat, period = batch[int(result["Id"][1:])]
                values = history.aggregates.setdefault((key_of(source), stat, period), {})
                for when, value in zip(result.get("Timestamps", []), result.get("Values", []), strict=True):
                    values[int(when.timestamp()) // period * period] = float(value)
            token = answer.get("NextToken")
            if not token:
                break
    return history
