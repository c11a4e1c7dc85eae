"""``sagemaker-monitoring query SOURCE --sql ...``: SQL with DuckDB over the trail's metric rows.

The rows are those ``sagemaker-monitoring metrics`` prints, in a table named ``metrics`` with the
same columns; ``--named`` runs one of the Athena named queries of ``ExperimentMetricsQueries``
(the same ``.sql`` files) instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..queries.named import metric_queries
from .reading import add_read_options, new_progress, output_format, reader_options



def register(subparsers: Any) -> None:
    names = [q.name for q in metric_queries()]
    parser = subparsers.add_parser(
        "query",
        help="run SQL (DuckDB) over the trail's metric rows, as a table named metrics",
        description="Read the trail's CloudTrail log files (a local directory or s3://bucket/prefix) into a DuckDB "
        "table named metrics (event_time, account_id, region, trial_component, metric_name, step, timestamp, "
        "value: the rows of the metrics command) and print the result of SQL over it. The Athena named queries "
        "of ExperimentMetricsQueries run here unchanged (--named). Exit status 2 when a damaged log file was "
        "skipped.",
        epilog="Named queries: " + ", ".join(names),
    )
    add_read_options(parser)
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--sql", help="the SQL, over the table metrics")
    what.add_argument("--sql-file", metavar="FILE", help="read the SQL from FILE")
    what.add_argument("--named", choices=names, metavar="NAME", help="a named query: " + ", ".join(names))
    parser.set_defaults(run=run)


def _sql(args: argparse.Namespace) -> str:
    if args.named:
        return args.named
    if args.sql_file:
        with open(args.sql_file, encoding="utf-8") as handle:
            return handle.read()
    return args.sql


def run(args: argparse.Namespace) -> int:
    from ..queries.local import check_query, load_metrics, run_query, write_result
    from ..trail_reader import ReadReport
    from .main import EXIT_INCOMPLETE, EXIT_OK

    fmt = output_format(args)
    sql = _sql(args)
    check_query(sql)  # a typo fails now, not after reading every log file
    report = ReadReport()
    progress = new_progress(args)
    try:
        connection = load_metrics(args.source, report=report, **reader_options(args, progress))
    finally:
        progress.close()
    try:
        relation = run_query(connection, sql)
        write_result(relation, None if args.output in (None, "-") else os.fspath(args.output), fmt)
    finally:
        connection.close()
    if report.partial:
        print(
            f"warning: partial read: {len(report.skipped)} of {report.files} log files could not be read; "
            f"the query ran over the {report.rows} rows of the others",
            file=sys.stderr,
        )
        return EXIT_INCOMPLETE
    return EXIT_OK
