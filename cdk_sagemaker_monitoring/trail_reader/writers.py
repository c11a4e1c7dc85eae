"""Write metric rows to a file or stream as CSV, JSON lines or Parquet, streaming file by file."""

from __future__ import annotations

import sys
from typing import IO, Any, Optional

from .reader import ReadReport, SourceLike, iter_file_results
from .rows import COLUMNS

FORMATS = ("csv", "jsonl", "parquet")


class OutputError(ValueError):
    """An output format or destination that cannot be written."""


def write_metrics(
    source: SourceLike,
    output: Optional[str] = None,
    *,
    format: str = "csv",
    report: Optional[ReadReport] = None,
    stream: Optional[IO[Any]] = None,
    **options: Any,
) -> ReadReport:
    """Read ``source`` (see :func:`read_metric_rows` for ``options``) and write every row.

    ``output`` is a file path (``None`` or ``"-"``: ``stream``, default stdout). CSV has a header
    line; an absent step or timestamp is an empty field (CSV) or ``null`` (JSON lines). Parquet
    needs pyarrow (the ``parquet`` extra) and a file path. Returns the :class:`ReadReport`.
    """
    if format not in FORMATS:
        raise OutputError(f"format {format!r} is not one of {', '.join(FORMATS)}")
    report = report if report is not None else ReadReport()
    to_stdout = output in (None, "-")
    if format == "parquet":
        if to_stdout:
            raise OutputError("parquet output needs a file: pass -o FILE.parquet")
        _write_parquet(source, output, report, options)  # type: ignore[arg-type]
        return report

    binary = format == "jsonl"
    if to_stdout:
        target = stream if stream is not None else sys.stdout
        handle = getattr(target, "buffer", target) if binary else target
        _write_text(source, handle, format, report, options)
        handle.flush()
    else:
        assert output is not None
        with (open(output, "wb") if binary else open(output, "w", encoding="utf-8", newline="")) as handle:
            _write_text(source, handle, format, report, options)
    return report


def _write_text(source: SourceLike, handle: IO[Any], format: str, report: ReadReport, options: dict) -> None:
    results = iter_file_results(source, encoding=format, report=report, **options)
    # read the first file before writing anything, so a bad source or option fails with no output
    first = next(results, None)
    if format == "csv":
        handle.write(",".join(COLUMNS) + "\n")
    if first is not None and first.payload:
        handle.write(first.payload)
    for result in results:
        if result.payload:
            handle.write(result.payload)


def _write_parquet(source: SourceLike, path: str, report: ReadReport, options: dict) -> None:
    from .table import _pyarrow, metric_record_batches, metric_schema

    _pyarrow()
    import pyarrow.parquet as pq

    with pq.ParquetWriter(path, metric_schema(), compression="zstd") as writer:
        for batch in metric_record_batches(source, report=report, **options):
            writer.write_batch(batch)
