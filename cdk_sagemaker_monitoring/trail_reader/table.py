"""Metric rows as Apache Arrow (the ``parquet`` extra): record batches, a table, Parquet files.

Column types: ``event_time`` and ``timestamp`` are ``timestamp[ms, tz=UTC]``, ``step`` is a
nullable ``int64``, ``value`` a ``float64``, the rest strings. The CSV and JSON outputs print the
same values as ISO-8601 text.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Optional, Union

from .reader import ReadReport, SourceLike, iter_file_results
from .rows import COLUMNS
from .window import TimeBound

#: Rows gathered from several files before a record batch is made.
BATCH_ROWS = 65_536


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the extra to install."""


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError:
        from ..install_hint import missing_extra_message

        raise MissingExtraError(missing_extra_message("this", "pyarrow", "parquet")) from None
    return pyarrow


def metric_schema() -> Any:
    """The Arrow schema of metric rows."""
    pa = _pyarrow()
    stamp = pa.timestamp("ms", tz="UTC")
    return pa.schema(
        [
            ("event_time", stamp),
            ("account_id", pa.string()),
            ("region", pa.string()),
            ("trial_component", pa.string()),
            ("metric_name", pa.string()),
            ("step", pa.int64()),
            ("timestamp", stamp),
            ("value", pa.float64()),
        ]
    )


def _batch(pa: Any, schema: Any, columns: list) -> Any:
    pc = __import__("pyarrow.compute", fromlist=["compute"])
    event_time = pc.cast(
        pc.strptime(pa.array(columns[0], pa.string()), format="%Y-%m-%dT%H:%M:%SZ", unit="ms", error_is_null=True),
        schema.field("event_time").type,
    )
    steps = []
    for step in columns[5]:
        if step is None or type(step) is int:
            steps.append(step)
        else:
            try:
                steps.append(int(step))
            except (TypeError, ValueError, OverflowError):
                steps.append(None)
    arrays = [
        event_time,
        pa.array(columns[1], pa.string()),
        pa.array(columns[2], pa.string()),
        pa.array(columns[3], pa.string()),
        pa.array(columns[4], pa.string()),
        pa.array(steps, pa.int64()),
        pa.array(columns[6], pa.int64()).cast(schema.field("timestamp").type),
        pa.array(columns[7], pa.float64()),
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)


def metric_record_batches(
    source: SourceLike,
    *,
    since: TimeBound = None,
    until: TimeBound = None,
    trial_component_prefix: Optional[str] = None,
    metric_name: Union[str, Iterable[str], None] = None,
    workers: Optional[int] = None,
    report: Optional[ReadReport] = None,
    **options: Any,
) -> Iterator[Any]:
    """Metric rows as a stream of ``pyarrow.RecordBatch`` (schema :func:`metric_schema`).

    Same arguments as :func:`read_metric_rows`; memory holds one batch at a time, so this is the
    way to feed DuckDB or a Parquet writer with more rows than fit in memory.
    """
    pa = _pyarrow()
    schema = metric_schema()
    gathered: list = [[] for _ in COLUMNS]
    count = 0
    for result in iter_file_results(
        source,
        since=since,
        until=until,
        trial_component_prefix=trial_component_prefix,
        metric_name=metric_name,
        workers=workers,
        encoding="columns",
        report=report,
        **options,
    ):
        if not result.rows:
            continue
        for into, column in zip(gathered, result.payload, strict=True):
            into.extend(column)
        count += result.rows
        if count >= BATCH_ROWS:
            yield _batch(pa, schema, gathered)
            gathered = [[] for _ in COLUMNS]
            count = 0
    if count:
        yield _batch(pa, schema, gathered)


def metric_batch_reader(source: SourceLike, **kwargs: Any) -> Any:
    """A ``pyarrow.RecordBatchReader`` over :func:`metric_record_batches` (DuckDB scans it lazily)."""
    pa = _pyarrow()
    return pa.RecordBatchReader.from_batches(metric_schema(), metric_record_batches(source, **kwargs))


def read_metric_table(source: SourceLike, **kwargs: Any) -> Any:
    """All metric rows of ``source`` as one ``pyarrow.Table`` (arguments of :func:`read_metric_rows`)."""
    pa = _pyarrow()
    return pa.Table.from_batches(list(metric_record_batches(source, **kwargs)), schema=metric_schema())
