"""``sagemaker-monitoring plot SOURCE -o curves.png``: training curves from the trail (the ``plot`` extra)."""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import Any

from ..curves import PlotError
from ..trail_reader import ReadReport
from ..trail_reader.reader import iter_file_results
from ..wording import counted
from .reading import add_filter_options, new_progress, reader_options

_SIZE = re.compile(r"(\d{2,5})x(\d{2,5})")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "plot",
        help="draw training curves (a panel per metric, a line per run) from the trail",
        description="Read the trail's metric data points like `metrics` does (same SOURCE and filters) and draw "
        "a panel per metric name with a line per run (trial component): x is the step, or the time where a "
        "run logs no step. Writes PNG, SVG or a self-contained HTML page, by the suffix of -o. Needs "
        "matplotlib (the plot extra).",
    )
    parser.add_argument("source", metavar="SOURCE", help="directory, log file, or s3://BUCKET[/PREFIX]")
    parser.add_argument("-o", "--output", metavar="FILE", required=True, help="the image: .png, .svg or .html")
    parser.add_argument("--max-runs", type=int, default=10, metavar="N",
                        help="draw at most N runs, those that logged last (default 10; the rest are named in a note)")
    parser.add_argument("--size", metavar="WxH", help="image size in pixels (default 1600 wide, 450 per row of panels)")
    parser.add_argument("--title", help="title above the panels (default: Training curves)")
    add_filter_options(parser)
    parser.set_defaults(run=run)


def _size(text: str | None) -> tuple[int, int] | None:
    if text is None:
        return None
    match = _SIZE.fullmatch(text)
    if not match:
        raise PlotError(f"--size {text!r}: expected WIDTHxHEIGHT in pixels, e.g. 1600x900")
    return int(match.group(1)), int(match.group(2))


def run(args: argparse.Namespace) -> int:
    from ..curves import _matplotlib, draw_curves, output_format
    from .main import EXIT_INCOMPLETE, EXIT_OK

    output_format(args.output)
    size = _size(args.size)
    if args.max_runs < 1:
        raise PlotError("--max-runs must be at least 1")
    _matplotlib()  # a missing extra is said before anything is read
    report = ReadReport()
    progress = new_progress(args)
    options = reader_options(args, progress)
    rows = []
    try:
        for result in iter_file_results(args.source, encoding="rows", report=report, **options):
            if result.payload:
                rows.extend(result.payload)
    finally:
        progress.close()
    target = f"{args.output}.part-{os.getpid()}{os.path.splitext(args.output)[1]}"
    try:
        curves = draw_curves(rows, target, max_runs=args.max_runs, size=size, title=args.title)
        os.replace(target, args.output)
    finally:
        if os.path.exists(target):
            os.unlink(target)
    drawn = sum(len(s.x) for lines in curves.panels.values() for s in lines)
    print(f"wrote {args.output}: {counted(len(curves.panels), 'metrics')}, {counted(len(curves.runs), 'runs')}, "
          f"{counted(drawn, 'points')}"
          + (f" ({counted(len(curves.left_out), 'more runs')} not drawn)" if curves.left_out else ""), file=sys.stderr)
    if report.partial:
        print(f"warning: partial read: {len(report.skipped)} of {report.files} log files could not be read; "
              "the curves show the others", file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_OK
