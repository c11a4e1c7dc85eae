"""``sagemaker-monitoring metrics SOURCE``: every metric data point of the trail, one row each."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..trail_reader import FORMATS, ReadReport, SkippedFile, write_metrics
from ..trail_reader.progress import Progress

_SUFFIX_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}


def register(subparsers: Any) -> None:
    from .main import add_aws_options

    parser = subparsers.add_parser(
        "metrics",
        help="print every metric data point of the trail's BatchPutMetrics events",
        description="Read the CloudTrail log files of the experiment-metrics trail (a local directory, searched "
        "recursively, or s3://bucket/prefix) and write one row per metric data point: "
        "event_time, account_id, region, trial_component, metric_name, step, timestamp, value. "
        "Digest files and other events are skipped; a damaged file is skipped with a warning and the "
        "exit status is 2.",
    )
    parser.add_argument("source", metavar="SOURCE", help="directory, log file, or s3://BUCKET[/PREFIX]")
    parser.add_argument("--format", choices=FORMATS, help="output format (default: from -o's suffix, else csv)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (parquet needs a file)")
    parser.add_argument("--since", metavar="TIME", help="events at or after TIME (2024-05-01 or 2024-05-01T13:00Z)")
    parser.add_argument(
        "--until", metavar="TIME", help="events before TIME (a date alone includes that whole day)"
    )
    parser.add_argument("--trial-component", metavar="PREFIX", help="trial components whose name starts with PREFIX")
    parser.add_argument(
        "--metric", metavar="NAME", action="append", help="only this metric name (repeat for several)"
    )
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


def run(args: argparse.Namespace) -> int:
    from .main import EXIT_INCOMPLETE, EXIT_OK

    fmt = _format(args)
    report = ReadReport()
    progress = Progress(enabled=False if args.no_progress else None)

    def warn(skipped: SkippedFile) -> None:
        if progress.enabled:
            sys.stderr.write("\r\x1b[K")
        print(f"warning: skipped {skipped.name}: {skipped.reason}", file=sys.stderr)

    options = dict(
        since=args.since,
        until=args.until,
        trial_component_prefix=args.trial_component,
        metric_name=args.metric,
        workers=args.workers,
        on_skip=warn,
        progress=progress,
        profile=args.profile,
        region=args.region,
    )
    to_file = args.output not in (None, "-")
    # write next to the target and rename at the end, so a failed read leaves no half-written file
    target = f"{args.output}.part-{os.getpid()}" if to_file else None
    try:
        write_metrics(args.source, target, format=fmt, report=report, **options)
        if target:
            os.replace(target, args.output)
    finally:
        progress.close()
        if target and os.path.exists(target):
            os.unlink(target)
    if report.files == 0:
        print(
            f"warning: no CloudTrail log files (*.json.gz) under {args.source}"
            + (" in the --since/--until window" if args.since or args.until else "")
            + "; point SOURCE at the trail's bucket, its prefix, or a folder below AWSLogs/",
            file=sys.stderr,
        )
    if report.partial:
        print(
            f"warning: partial read: {len(report.skipped)} of {report.files} log files could not be read; "
            f"the {report.rows} rows of the others were written",
            file=sys.stderr,
        )
        return EXIT_INCOMPLETE
    return EXIT_OK
