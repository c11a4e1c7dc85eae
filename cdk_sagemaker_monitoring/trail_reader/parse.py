"""Decode one CloudTrail log file and pull the metric data points out of its BatchPutMetrics events.

Everything here is a plain function of bytes, so it runs unchanged in a worker process.
A raw row is the tuple ``(event_time, account_id, region, trial_component, metric_name, step,
timestamp_ms, value)``; the encoders turn a file's raw rows into :class:`MetricRow` objects, CSV
text, JSON lines or columns.
"""

from __future__ import annotations

import csv
import io
import zlib
from dataclasses import dataclass
from typing import Any, Callable, Optional

from .rows import MetricRow, epoch_ms, iso_from_epoch_ms

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


def extract_rows(records: list, keep: RowFilter) -> list:
    """Raw rows of every data point of every BatchPutMetrics event in ``records`` that ``keep`` keeps."""
    rows: list = []
    append = rows.append
    since, until = keep.since_text, keep.until_text
    prefix, names = keep.trial_component_prefix, keep.metric_names
    for event in records:
        if type(event) is not dict or event.get("eventName") != EVENT_NAME:
            continue
        params = event.get("requestParameters")
        if type(params) is not dict:
            continue
        points = params.get("metricData")
        if type(points) is not list:
            continue
        event_time = event.get("eventTime") or ""
        if (since is not None and event_time < since) or (until is not None and event_time >= until):
            continue
        resources = event.get("resources")
        trial_component = _trial_component(params, resources)
        if prefix is not None and not trial_component.startswith(prefix):
            continue
        account = _account(event, resources)
        region = event.get("awsRegion") or ""
        for point in points:
            if type(point) is not dict:
                continue
            name = point.get("metricName")
            if names is not None and name not in names:
                continue
            stamp = point.get("timestamp")
            if type(stamp) is not int or stamp < 100_000_000_000:
                stamp = epoch_ms(stamp)
            value = point.get("value")
            if type(value) is not float and value is not None:
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    value = None
            step = point.get("step")
            append((event_time, account, region, trial_component, name or "", step, stamp, value))
    return rows


# ------------------------------------------------------------------------------------ encoders


def to_metric_rows(raw: list) -> list:
    fmt = iso_from_epoch_ms
    return [
        MetricRow(et, acct, reg, tc, name, step, None if ms is None else fmt(ms), value)
        for et, acct, reg, tc, name, step, ms, value in raw
    ]


def to_csv(raw: list) -> str:
    """CSV lines (``\\n``-terminated, minimal quoting) without a header."""
    fmt = iso_from_epoch_ms
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(
        (et, acct, reg, tc, name, step, None if ms is None else fmt(ms), value)
        for et, acct, reg, tc, name, step, ms, value in raw
    )
    return buffer.getvalue()


def to_jsonl(raw: list) -> bytes:
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
        for et, acct, reg, tc, name, step, ms, value in raw
    )


def to_columns(raw: list) -> tuple:
    """Eight column lists (timestamp as epoch milliseconds), for Arrow."""
    if not raw:
        return tuple([] for _ in range(8))
    return tuple(list(column) for column in zip(*raw))


ENCODERS: dict[str, Callable[[list], Any]] = {
    "rows": to_metric_rows,
    "csv": to_csv,
    "jsonl": to_jsonl,
    "columns": to_columns,
    "raw": lambda raw: raw,
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
    raw = extract_rows(records, keep)
    return FileResult(name, ENCODERS[encoding](raw), len(raw), size)
