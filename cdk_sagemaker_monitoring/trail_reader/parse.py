"""Decode one CloudTrail log file and pull the metric data points out of its BatchPutMetrics events.

Everything here is a plain function of bytes, so it runs unchanged in a worker process.
A raw row is the tuple ``(event_time, account_id, region, trial_component, metric_name, step,
timestamp_ms, value)``; the encoders turn a file's raw rows into :class:`MetricRow` objects, CSV
text, JSON lines or columns.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .rows import _MILLIS, MAX_MS, MetricRow, _second_cache, _second_text, epoch_ms, iso_from_epoch_ms

try:  # the `fast` extra
    import orjson as _orjson

    _loads: Callable[[bytes], Any] = _orjson.loads
    _JSON_ERRORS: tuple[type[Exception], ...] = (_orjson.JSONDecodeError, UnicodeDecodeError)
except ImportError:  # pragma: no cover - exercised only without orjson
    import json as _json

    _orjson = None  # type: ignore[assignment]
    _loads = _json.loads
    _JSON_ERRORS = (ValueError, UnicodeDecodeError)

EVENT_NAME = "BatchPutMetrics"
_TRIAL_COMPONENT_ARN_MARK = ":experiment-trial-component/"

RawRow = tuple  # (event_time, account_id, region, trial_component, metric_name, step, timestamp_ms, value)


class DamagedFile(Exception):
    """A log file that cannot be read: corrupt or truncated gzip, or not JSON."""


class NotALogFile(Exception):
    """Valid JSON, but not a CloudTrail log file (no ``Records`` list): ignored, not damage."""


@dataclass(frozen=True)
class RowFilter:
    """Which rows to keep. Plain data, so it travels to worker processes."""

    since_text: Optional[str] = None  # eventTime >= since_text (ISO text compare)
    until_text: Optional[str] = None  # eventTime < until_text
    trial_component_prefix: Optional[str] = None
    metric_names: Optional[frozenset] = None


def decompress(data: bytes) -> bytes:
    """Gunzip ``data`` (all members), or return it as is when it is not gzip."""
    if data[:2] != b"\x1f\x8b":
        return data
    parts = []
    while data:
        inflater = zlib.decompressobj(31)
        try:
            parts.append(inflater.decompress(data))
        except zlib.error as err:
            raise DamagedFile(f"corrupt gzip data ({err})") from None
        if not inflater.eof:
            raise DamagedFile("truncated gzip data (the file ends before the compressed stream does)")
        data = inflater.unused_data
        if data and data[:2] != b"\x1f\x8b":
            break  # trailing garbage after the last member, as gzip(1) tolerates
    return b"".join(parts)


def decode_records(data: bytes) -> list:
    """The ``Records`` list of a (gzipped) CloudTrail log file."""
    text = decompress(data)
    try:
        document = _loads(text)
    except _JSON_ERRORS as err:
        raise DamagedFile(f"not valid JSON ({err})") from None
    records = document.get("Records") if isinstance(document, dict) else None
    if not isinstance(records, list):
        raise NotALogFile("no Records list: not a CloudTrail log file")
    return records


def _account(event: dict, resources: Any) -> str:
    if isinstance(resources, list) and resources and isinstance(resources[0], dict):
        account = resources[0].get("accountId")
        if account:
            return account
    account = event.get("recipientAccountId")
    if account:
        return account
    identity = event.get("userIdentity")
    return (identity.get("accountId") if isinstance(identity, dict) else None) or ""


def _trial_component(params: dict, resources: Any) -> str:
    name = params.get("trialComponentName")
    if name:
        return name
    if isinstance(resources, list):
        for resource in resources:
            arn = resource.get("ARN", "") if isinstance(resource, dict) else ""
            if _TRIAL_COMPONENT_ARN_MARK in arn:
                return arn.split(_TRIAL_COMPONENT_ARN_MARK, 1)[1]
    return ""


def extract_events(records: list, keep: RowFilter) -> tuple:
    """The kept data points of ``records``, grouped by event.

    Returns ``(events, count)``: ``events`` is a list of
    ``(event_time, account_id, region, trial_component, points)`` with ``points`` a list of
    ``(metric_name, step, timestamp_ms, value)``; ``count`` the number of points.
    """
    events: list = []
    count = 0
    since, until = keep.since_text, keep.until_text
    prefix, names = keep.trial_component_prefix, keep.metric_names
    for event in records:
        if type(event) is not dict or event.get("eventName") != EVENT_NAME:
            continue
        params = event.get("requestParameters")
        if type(params) is not dict:
            continue
        data = params.get("metricData")
        if type(data) is not list:
            continue
        event_time = event.get("eventTime") or ""
        if (since is not None and event_time < since) or (until is not None and event_time >= until):
            continue
        resources = event.get("resources")
        trial_component = _trial_component(params, resources)
        if prefix is not None and not trial_component.startswith(prefix):
            continue
        points: list[tuple[Any, ...]] = []
        add = points.append
        for point in data:
            if type(point) is not dict:
                continue
            name = point.get("metricName") or ""
            if names is not None and name not in names:
                continue
            stamp = point.get("timestamp")
            if type(stamp) is not int or not 100_000_000_000 <= stamp <= MAX_MS:
                stamp = epoch_ms(stamp)
            value = point.get("value")
            if type(value) is not float and value is not None:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    value = None
            add((name, point.get("step"), stamp, value))
        if points:
            count += len(points)
            events.append((event_time, _account(event, resources), event.get("awsRegion") or "", trial_component, points))
    return events, count


def extract_rows(records: list, keep: RowFilter) -> list:
    """Raw rows ``(event_time, account_id, region, trial_component, metric_name, step, timestamp_ms, value)``."""
    events, _ = extract_events(records, keep)
    return to_raw(events)


# ------------------------------------------------------------------------------------ encoders
# Each takes the grouped events of one file.


def to_raw(events: list) -> list:
    return [(et, acct, reg, tc, *point) for et, acct, reg, tc, points in events for point in points]


def to_metric_rows(events: list) -> list:
    fmt = iso_from_epoch_ms
    return [
        MetricRow(et, acct, reg, tc, name, step, None if ms is None else fmt(ms), value)
        for et, acct, reg, tc, points in events
        for name, step, ms, value in points
    ]


_CSV_SPECIAL = frozenset(',"\r\n')


def csv_field(text: str) -> str:
    """``text`` as a CSV field, quoted only when it has to be (as ``csv.writer`` does)."""
    if _CSV_SPECIAL.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


def _csv_other(value: object) -> str:
    if value is None:
        return ""
    return csv_field(str(value))


def to_csv(events: list) -> str:
    """CSV lines (``\\n``-terminated, minimal quoting) without a header.

    The four per-event fields are joined once per event; per data point only the metric name
    (quoted once per distinct name), step, timestamp and value are formatted.
    """
    seconds, millis, second_text = _second_cache, _MILLIS, _second_text
    names: dict = {}
    lines: list = []
    add = lines.append
    for et, acct, reg, tc, points in events:
        head = f"{csv_field(et)},{csv_field(acct)},{csv_field(reg)},{csv_field(tc)},"
        for name, step, ms, value in points:
            quoted = names.get(name)
            if quoted is None:
                quoted = names[name] = csv_field(name)
            if ms is None:
                stamp = ""
            else:  # iso_from_epoch_ms, inlined: this loop runs once per data point
                second, milli = divmod(ms, 1000)
                stamp = (seconds.get(second) or second_text(second)) + millis[milli]
            add(
                f"{head}{quoted},"
                f"{step if type(step) is int else _csv_other(step)},"
                f"{stamp},"
                f"{'' if value is None else repr(value)}\n"
            )
    return "".join(lines)


def to_jsonl(events: list) -> bytes:
    """One JSON object a line, keys in column order; ``null`` for an absent step or timestamp."""
    fmt = iso_from_epoch_ms
    if _orjson is not None:
        dumps = _orjson.dumps
    else:  # pragma: no cover
        import json

        def dumps(obj: Any) -> bytes:
            return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()

    return b"".join(
        dumps(
            {
                "event_time": et,
                "account_id": acct,
                "region": reg,
                "trial_component": tc,
                "metric_name": name,
                "step": step,
                "timestamp": None if ms is None else fmt(ms),
                "value": value,
            }
        )
        + b"\n"
        for et, acct, reg, tc, points in events
        for name, step, ms, value in points
    )


def to_columns(events: list) -> tuple:
    """Eight column lists (timestamp as epoch milliseconds), for Arrow."""
    columns: tuple = tuple([] for _ in range(8))
    c_et, c_acct, c_reg, c_tc, c_name, c_step, c_ms, c_value = columns
    for et, acct, reg, tc, points in events:
        n = len(points)
        c_et.extend([et] * n)
        c_acct.extend([acct] * n)
        c_reg.extend([reg] * n)
        c_tc.extend([tc] * n)
        for name, step, ms, value in points:
            c_name.append(name)
            c_step.append(step)
            c_ms.append(ms)
            c_value.append(value)
    return columns


ENCODERS: dict[str, Callable[[list], Any]] = {
    "rows": to_metric_rows,
    "csv": to_csv,
    "jsonl": to_jsonl,
    "columns": to_columns,
    "raw": to_raw,
}


@dataclass
class FileResult:
    """What reading one file gave: encoded rows, or why it was skipped."""

    name: str
    payload: Any = None
    rows: int = 0
    size: int = 0
    damaged: Optional[str] = None
    ignored: Optional[str] = None


def parse_bytes(name: str, data: bytes, keep: RowFilter, encoding: str) -> FileResult:
    """Decode, extract and encode one file's content."""
    size = len(data)
    try:
        records = decode_records(data)
    except DamagedFile as err:
        return FileResult(name, None, 0, size, damaged=str(err))
    except NotALogFile as err:
        return FileResult(name, None, 0, size, ignored=str(err))
    events, count = extract_events(records, keep)
    return FileResult(name, ENCODERS[encoding](events), count, size)
