"""SQL over the metric trail on your own machine: DuckDB with a ``metrics`` table (the ``query`` extra).

:func:`load_metrics` reads a local directory or ``s3://`` prefix of CloudTrail log files with the
same reader as ``sagemaker-monitoring metrics`` and streams the rows into a DuckDB table named
``metrics`` (columns and types: :data:`~cdk_sagemaker_monitoring.queries.named.METRICS_COLUMNS`,
timestamps in UTC without a zone, as Athena's ``TIMESTAMP(3)``). Any SQL written against ``metrics``
then runs unchanged here and, through :func:`~cdk_sagemaker_monitoring.queries.named.athena_sql`,
on Athena; the named queries of :class:`~cdk_sagemaker_monitoring.ExperimentMetricsQueries` are
the same ``.sql`` files::

    from cdk_sagemaker_monitoring.queries.local import load_metrics, run_query

    con = load_metrics("logs/")
    latest = run_query(con, "latest-metric-values").arrow()   # a named query, or any SQL

:func:`write_result` writes a result as CSV, JSON lines or Parquet with DuckDB's own writers.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from typing import IO, Any, Iterable, Optional, Union

from .named import METRICS_COLUMNS, RELATION, metric_queries, metric_query
from ..trail_reader.writers import FORMATS  # output formats of write_result: the metrics command's own

#: How timestamps are printed in CSV and JSON lines: ISO-8601 UTC with milliseconds.
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%gZ"


class QueryError(ValueError):
    """SQL that DuckDB refused, or a query that failed; the message is DuckDB's, on one line."""


def _duckdb() -> Any:
    try:
        import duckdb
    except ImportError:
        from ..trail_reader import MissingExtraError

        from ..install_hint import missing_extra_message

        raise MissingExtraError(missing_extra_message("this", "DuckDB", "query")) from None
    return duckdb


def create_metrics_table(connection: Any, name: str = RELATION) -> None:
    """Create the empty ``metrics`` table (see :data:`METRICS_COLUMNS`) in ``connection``."""
    columns = ", ".join(f'"{column}" {sql_type}' for column, sql_type in METRICS_COLUMNS)
    connection.execute(f'CREATE TABLE "{name}" ({columns})')


def insert_batches(connection: Any, batches: Iterable[Any], name: str = RELATION) -> int:
    """Append Arrow record batches of metric rows (the reader's schema) to the table; returns the row count."""
    import pyarrow as pa
    import pyarrow.compute as pc

    plain = pa.timestamp("ms")  # UTC wall time without a zone, as Athena's TIMESTAMP(3)
    count = 0
    columns = ", ".join(f'"{column}"' for column, _ in METRICS_COLUMNS)
    for batch in batches:
        arrays = [
            pc.cast(array, plain) if pa.types.is_timestamp(array.type) and array.type.tz else array
            for array in batch.columns
        ]
        staged = pa.Table.from_arrays(arrays, names=[column for column, _ in METRICS_COLUMNS])
        connection.register("_metric_batch", staged)
        try:
            connection.execute(f'INSERT INTO "{name}" SELECT {columns} FROM _metric_batch')
        finally:
            connection.unregister("_metric_batch")
        count += batch.num_rows
    return count


def load_metrics(
    source: Any,
    *,
    connection: Any = None,
    threads: Optional[int] = None,
    memory_limit: Optional[str] = None,
    **read_options: Any,
) -> Any:
    """A DuckDB connection with a ``metrics`` table holding every metric data point of ``source``.

    ``source`` and ``read_options`` (``since``, ``until``, ``trial_component_prefix``,
    ``metric_name``, ``workers``, ``report``, ``on_skip``, ``progress``, ``profile``, ``region``)
    are those of :func:`~cdk_sagemaker_monitoring.trail_reader.read_metric_rows`. Rows stream in,
    one Arrow batch at a time; DuckDB keeps them compressed (and spills to disk when
    ``memory_limit`` is reached).
    """
    duckdb = _duckdb()
    from ..trail_reader import metric_record_batches

    batches = metric_record_batches(source, **read_options)
    # Start the reader (and its worker processes) before DuckDB starts its threads.
    first = next(batches, None)
    con = connection if connection is not None else duckdb.connect(":memory:")
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit is not None:
        con.execute("SET memory_limit = ?", [memory_limit])
    create_metrics_table(con)
    if first is not None:
        insert_batches(con, _chain([first], batches))
    return con


def _chain(head: list, rest: Any) -> Any:
    yield from head
    yield from rest


def resolve_sql(sql_or_name: str) -> str:
    """The SQL of a named query (``latest-metric-values``) or ``sql_or_name`` itself."""
    names = {q.name for q in metric_queries()}
    if sql_or_name in names:
        return metric_query(sql_or_name).sql
    return sql_or_name


def run_query(connection: Any, sql_or_name: str) -> Any:
    """Run a named query or SQL against the ``metrics`` table; returns a DuckDB relation."""
    duckdb = _duckdb()
    sql = resolve_sql(sql_or_name)
    try:
        statements = duckdb.extract_statements(sql)
        readable = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
        if len(statements) != 1 or statements[0].type not in readable:
            kinds = ", ".join(str(s.type).rsplit(".", 1)[-1] for s in statements) or "nothing"
            raise QueryError(f"expected one SELECT (or WITH ... SELECT) over {RELATION}, got: {kinds}")
        return connection.sql(sql)
    except duckdb.Error as err:
        raise QueryError(_one_line(err)) from None


def check_query(sql_or_name: str) -> None:
    """Raise :class:`QueryError` now if the SQL cannot run against ``metrics`` (before reading any logs)."""
    duckdb = _duckdb()
    scratch = duckdb.connect(":memory:")
    try:
        create_metrics_table(scratch)
        run_query(scratch, sql_or_name)
    finally:
        scratch.close()


def write_result(relation: Any, output: Union[str, "os.PathLike[str]", IO[bytes], None], fmt: str = "csv") -> None:
    """Write a query result as ``csv`` (with a header), ``jsonl`` or ``parquet``.

    ``output`` is a path, a binary stream, or ``None`` for standard output; Parquet needs a path.
    A path is written whole or not at all (DuckDB writes a temporary file that is then renamed).
    """
    duckdb = _duckdb()
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if fmt == "parquet" and (output is None or hasattr(output, "write")):
        raise QueryError("parquet output needs a file: add -o FILE.parquet")
    options = {
        "csv": f"FORMAT csv, HEADER true, TIMESTAMPFORMAT '{TIMESTAMP_FORMAT}'",
        "jsonl": f"FORMAT json, TIMESTAMPFORMAT '{TIMESTAMP_FORMAT}'",
        "parquet": "FORMAT parquet, COMPRESSION zstd",
    }[fmt]
    if isinstance(output, (str, os.PathLike)):
        target = os.fspath(output)
        directory = os.path.dirname(os.path.abspath(target))
        handle, partial = tempfile.mkstemp(prefix=".query-", suffix=f".{fmt}", dir=directory)
        os.close(handle)
        try:
            _copy(duckdb, relation, partial, options)
            os.replace(partial, target)
        finally:
            if os.path.exists(partial):
                os.unlink(partial)
        return
    stream = output if output is not None else _stdout()
    with tempfile.TemporaryDirectory(prefix="sagemaker-monitoring-query-") as scratch:
        partial = os.path.join(scratch, f"result.{fmt}")
        _copy(duckdb, relation, partial, options)
        with open(partial, "rb") as produced:
            shutil.copyfileobj(produced, stream, 1 << 20)
    stream.flush()


def _copy(duckdb: Any, relation: Any, path: str, options: str) -> None:
    escaped = path.replace("'", "''")
    try:
        relation.query("_result", f"COPY (SELECT * FROM _result) TO '{escaped}' ({options})")
    except duckdb.Error as err:
        raise QueryError(_one_line(err)) from None


def _stdout() -> IO[bytes]:
    import sys

    sys.stdout.flush()
    return sys.stdout.buffer


def _one_line(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return text or type(err).__name__
