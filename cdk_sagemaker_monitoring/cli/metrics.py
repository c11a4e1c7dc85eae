"""``sagemaker-monitoring metrics SOURCE``: every metric data point of the trail, one row each."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..trail_reader import ReadReport, write_metrics
from .reading import add_read_options, new_progress, output_format, reader_options


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "metrics",
        help="print every metric data point of the trail's BatchPutMetrics events",
        description="Read the CloudTrail log files of the experiment-metrics trail (a local directory, searched "
        "recursively, or s3://bucket/prefix) and write one row per metric data point: "
        "event_time, account_id, region, trial_component, metric_name, step, timestamp, value. "
        "Digest files and other events are skipped; a damaged file is skipped with a warning and the "
        "exit status is 2.",
    )
    add_read_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .main import EXIT_INCOMPLETE, EXIT_OK

    fmt = output_format(args)
    report = ReadReport()
    progress = new_progress(args)
    options = reader_options(args, progress)
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
