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

from ..metric_queries import metric_queries

_SUFFIX_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}


def register(subparsers: Any) -> None:
    from ..local_query import FORMATS
    from .main import add_aws_options

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
    parser.add_argument("source", metavar="SOURCE", help="directory, log file, or s3://BUCKET[/PREFIX]")
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--sql", help="the SQL, over the table metrics")
    what.add_argument("--sql-file", metavar="FILE", help="read the SQL from FILE")
    what.add_argument("--named", choices=names, metavar="NAME", help="a named query: " + ", ".join(names))
    parser.add_argument("--format", choices=FORMATS, help="output format (default: from -o's suffix, else csv)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (parquet needs a file)")
    parser.add_argument("--since", metavar="TIME", help="only events at or after TIME (narrows what is read)")
    parser.add_argument("--until", metavar="TIME", help="only events before TIME (a date alone includes that day)")
    parser.add_argument("--trial-component", metavar="PREFIX", help="only trial components whose name starts with PREFIX")
    parser.add_argument("--metric", metavar="NAME", action="append", help="only this metric name (repeat for several)")
    parser.add_argument("--workers", type=int, metavar="N", help="parallel parsers (default: one per CPU)")
    parser.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    add_aws_options(parser)
    parser.set_defaults(run=run)


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.output and args.output != "-":
        for suffix, name in _SUFFIX_FORMATS.items():
            if args.output.lower().endswith(suffix):
                return name
    return "csv"


def _sql(args: argparse.Namespace) -> str:
    if args.named:
        return args.named
    if args.sql_file:
        with open(args.sql_file, encoding="utf-8") as handle:
            return handle.read()
    return args.sql


def run(args: argparse.Namespace) -> int:
    from ..local_query import check_query, load_metrics, run_query, write_result
    from ..trail_reader import ReadReport, SkippedFile
    from ..trail_reader.progress import Progress
    from .main import EXIT_INCOMPLETE, EXIT_OK

    fmt = _format(args)
    sql = _sql(args)
    check_query(sql)  # a typo fails now, not after reading every log file
    report = ReadReport()
    progress = Progress(enabled=False if args.no_progress else None)

    def warn(skipped: SkippedFile) -> None:
        if progress.enabled:
            sys.stderr.write("\r\x1b[K")
        print(f"warning: skipped {skipped.name}: {skipped.reason}", file=sys.stderr)

    try:
        connection = load_metrics(
            args.source,
            since=args.since,
            until=args.until,
            trial_component_prefix=args.trial_component,
            metric_name=args.metric,
            workers=args.workers,
            report=report,
            on_skip=warn,
            progress=progress,
            profile=args.profile,
            region=args.region,
        )
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
