"""What the commands that read the trail (``metrics``, ``query``) share: their options, the output
format, and the reader's keyword arguments with skip warnings and a progress line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..trail_reader.progress import Progress
from ..trail_reader.writers import FORMATS

_SUFFIX_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """SOURCE, the output options, the time window and filters, parallelism, progress and AWS options."""
    parser.add_argument("source", metavar="SOURCE", help="directory, log file, or s3://BUCKET[/PREFIX]")
    parser.add_argument("--format", choices=FORMATS, help="output format (default: from -o's suffix, else csv)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout (parquet needs a file)")
    add_filter_options(parser)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    """The time window and filters, parallelism, progress and AWS options (what every reader of SOURCE takes)."""
    from .main import add_aws_options

    parser.add_argument("--since", metavar="TIME",
                        help="events at or after TIME (2024-05-01 or 2024-05-01T13:00Z; narrows what is read)")
    parser.add_argument("--until", metavar="TIME", help="events before TIME (a date alone includes that whole day)")
    parser.add_argument("--trial-component", metavar="PREFIX", help="trial components whose name starts with PREFIX")
    parser.add_argument("--metric", metavar="NAME", action="append", help="only this metric name (repeat for several)")
    parser.add_argument("--workers", type=int, metavar="N", help="parallel parsers (default: one per CPU)")
    parser.add_argument("--no-progress", action="store_true", help="no progress line on stderr")
    add_aws_options(parser)


def output_format(args: argparse.Namespace) -> str:
    """``--format``, else the one ``-o``'s suffix names, else CSV."""
    if args.format:
        return args.format
    if args.output and args.output != "-":
        for suffix, name in _SUFFIX_FORMATS.items():
            if args.output.lower().endswith(suffix):
                return name
    return "csv"


def reader_options(args: argparse.Namespace, progress: Progress) -> dict[str, Any]:
    """Keyword arguments of the trail reader from the parsed options; skipped files are warned about on stderr."""

    def warn(skipped: Any) -> None:
        if progress.enabled:
            sys.stderr.write("\r\x1b[K")
        print(f"warning: skipped {skipped.name}: {skipped.reason}", file=sys.stderr)

    return dict(
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


def new_progress(args: argparse.Namespace) -> Progress:
    """The progress line: on a terminal unless ``--no-progress``."""
    return Progress(enabled=False if args.no_progress else None)
