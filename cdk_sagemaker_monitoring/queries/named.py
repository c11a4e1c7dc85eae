"""The SQL that questions the metric trail, shared by Athena (on AWS) and DuckDB (locally).

Every question is a ``.sql`` file in ``cdk_sagemaker_monitoring/queries/sql/``, written against one relation,
``metrics``, with the columns of ``sagemaker-monitoring metrics`` (:data:`METRICS_COLUMNS`). The file
starts with ``-- name:`` and ``-- description:`` lines, which become the Athena named query's name
and description. The SQL sticks to what Trino (Athena engine version 3) and DuckDB both understand.

The one translation between the engines is where ``metrics`` comes from:

* **Athena**: :func:`athena_sql` prepends ``WITH metrics AS (...)``, the flattening of the trail's
  CloudTrail table in ``sql/metrics.athena.sql`` (``requestParameters.metricData`` unnested, one row
  per data point). The construct stores the result as an ``AWS::Athena::NamedQuery``.
* **DuckDB**: ``metrics`` is a table that :mod:`cdk_sagemaker_monitoring.queries.local` fills with the
  rows the ``metrics`` command reads; the question runs as written.

Nothing here imports aws-cdk-lib or DuckDB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .. import names
from ..errors import ConfigurationError

#: Columns (and SQL types) of the ``metrics`` relation, in order, on both engines.
METRICS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_time", "TIMESTAMP"),
    ("account_id", "VARCHAR"),
    ("region", "VARCHAR"),
    ("trial_component", "VARCHAR"),
    ("metric_name", "VARCHAR"),
    ("step", "BIGINT"),
    ("timestamp", "TIMESTAMP"),
    ("value", "DOUBLE"),
)

#: Name of the relation every question reads.
RELATION = "metrics"

_SQL_PACKAGE = "cdk_sagemaker_monitoring.queries"
_SQL_DIR = "sql"
_DEFINITION_FILE = "metrics.athena.sql"
_HEADER = re.compile(r"^--\s*(name|description):\s*(.+?)\s*$")
_LEADING_WITH = re.compile(r"\A\s*WITH\s+(?!RECURSIVE\b)", re.IGNORECASE)


@dataclass(frozen=True)
class MetricQuery:
    """A question about the metrics: its name, what it answers, and its SQL against ``metrics``."""

    name: str
    description: str
    sql: str
    file: str

    def athena_sql(self, table: str, *, lookback_days: int | None = None) -> str:
        """This query as Athena runs it over the CloudTrail table ``table`` (see :func:`athena_sql`)."""
        return athena_sql(self.sql, table, lookback_days=lookback_days)


def _read(name: str) -> str:
    return (resources.files(_SQL_PACKAGE) / _SQL_DIR / name).read_text(encoding="utf-8")


def _strip_comments(sql: str) -> str:
    lines = [line for line in sql.splitlines() if not line.lstrip().startswith("--")]
    return "\n".join(lines).strip().rstrip(";").strip()


@lru_cache(maxsize=None)
def metric_queries() -> tuple[MetricQuery, ...]:
    """The named questions shipped in the package, sorted by name."""
    found = []
    for entry in sorted(resources.files(_SQL_PACKAGE).joinpath(_SQL_DIR).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".sql") or entry.name == _DEFINITION_FILE:
            continue
        text = entry.read_text(encoding="utf-8")
        header = {}
        for line in text.splitlines():
            match = _HEADER.match(line)
            if match:
                header[match.group(1)] = match.group(2)
            elif line.strip() and not line.lstrip().startswith("--"):
                break
        if "name" not in header or "description" not in header:
            raise ValueError(f"{entry.name}: a query file starts with '-- name:' and '-- description:' lines")
        found.append(MetricQuery(header["name"], header["description"], _strip_comments(text), entry.name))
    return tuple(sorted(found, key=lambda q: q.name))


def metric_query(name: str) -> MetricQuery:
    """The shipped question called ``name`` (e.g. ``"latest-metric-values"``)."""
    for query in metric_queries():
        if query.name == name:
            return query
    known = ", ".join(q.name for q in metric_queries())
    raise ConfigurationError("query", f"there is no query named {name!r}", fix=f"one of: {known}")


def metrics_definition(table: str, *, lookback_days: int | None = None) -> str:
    """Athena SQL that produces the ``metrics`` rows from the CloudTrail table ``table``.

    ``lookback_days`` limits it to the last that many days of log folders (a partition filter on the
    projected ``day`` column), so a query scans, and costs, only those days.
    """
    if not names.GLUE_NAME.pattern.fullmatch(table):
        raise ConfigurationError("table_name", f"{table!r} is not a Glue table name Athena can query",
                                 fix="1 to 255 lower-case letters, digits and underscores")
    if lookback_days is not None and (isinstance(lookback_days, bool) or not isinstance(lookback_days, int)
                                      or lookback_days < 1):
        raise ConfigurationError("lookback_days", f"{lookback_days!r} is not a number of days",
                                 fix="a whole number >= 1, or None for every day the table projects")
    partition_filter = ""
    if lookback_days is not None:
        partition_filter = (
            f"\n      AND t.day >= date_format(current_date - INTERVAL '{lookback_days}' DAY, '%Y/%m/%d')"
        )
    sql = _strip_comments(_read(_DEFINITION_FILE))
    return sql.replace("{{table}}", table).replace("{{partition_filter}}", partition_filter)


def athena_sql(sql: str, table: str, *, lookback_days: int | None = None) -> str:
    """Turn SQL written against ``metrics`` into Athena SQL over the CloudTrail table ``table``.

    The one documented translation between the engines: ``metrics`` becomes a common table
    expression (merged into the query's own ``WITH`` clause when it has one).
    """
    definition = metrics_definition(table, lookback_days=lookback_days)
    body = _strip_comments(sql)
    indented = "\n".join("    " + line if line else line for line in definition.splitlines())
    cte = f"{RELATION} AS (\n{indented}\n)"
    match = _LEADING_WITH.match(body)
    if match:
        return f"WITH {cte},\n{body[match.end():]}"
    return f"WITH {cte}\n{body}"
