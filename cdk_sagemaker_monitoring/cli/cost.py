"""``sagemaker-monitoring cost [ASSEMBLY]``: the monthly cost of what a cloud assembly (or a plan) would deploy."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(subparsers: Any) -> None:
    from ..cost.prices import DEFAULT_REGION, ITEM_NAMES

    parser = subparsers.add_parser(
        "cost",
        help="estimate the monthly cost of a synthesized assembly or a configuration",
        description="Count the alarms (alarm metrics: a metric-math alarm is billed for each metric it reads), "
        "composite, Metrics Insights and anomaly-detection alarms, dashboards, the trail's data events and custom "
        "metrics of every template of a cloud assembly (nested stacks included), or of a configuration's plan "
        "(--config, nothing synthesized), and price them at list prices. CloudWatch's free tier is one negative "
        "line. Exit status: 0, 2 when --from-trail could not read some log files, 1 on bad input.",
    )
    parser.add_argument("assembly", metavar="ASSEMBLY", nargs="?", default=None,
                        help="cloud assembly directory (default: cdk.out)")
    parser.add_argument("-c", "--config", metavar="FILE",
                        help="price every stack the bundled app builds from this configuration instead, from their "
                             "plans (synthesizes nothing; fast for large fleets)")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="output format (default: table)")
    parser.add_argument("--region", default=DEFAULT_REGION,
                        help=f"region whose prices apply (default: {DEFAULT_REGION}); the price table's regions, "
                             "or any with --live-prices or --prices FILE")
    parser.add_argument("--live-prices", action="store_true",
                        help="read the region's prices from the AWS Price List API (pricing:GetProducts; needs AWS "
                             "credentials) instead of the table in the package")
    parser.add_argument("--prices", metavar="FILE",
                        help="JSON or YAML {item: USD per unit} over the table's prices; items: "
                             + ", ".join(ITEM_NAMES))
    parser.add_argument("--series-per-query", type=int, metavar="N",
                        help="series each Metrics Insights alarm's query analyzes (default: the plan's count with "
                             "--config, else 1)")
    parser.add_argument("--runs", type=int, metavar="N",
                        help="runs a month a stream (stream: enabled) turns into metrics: its custom metrics and "
                             "the series its alarms analyze (default: not counted)")
    parser.add_argument("--custom-metrics", type=int, metavar="N", default=0,
                        help="custom metrics you publish besides (default: 0)")
    trail = parser.add_mutually_exclusive_group()
    trail.add_argument("--data-events-per-day", type=float, metavar="N", help="data events the trail delivers a day")
    trail.add_argument("--from-trail", metavar="SOURCE",
                       help="measure the data events a day (and bytes stored) from delivered logs: a directory or "
                            "s3://bucket/prefix")
    parser.add_argument("--since", metavar="TIME", help="with --from-trail: events at or after TIME")
    parser.add_argument("--until", metavar="TIME", help="with --from-trail: events before TIME")
    parser.add_argument("--profile", help="with --from-trail s3://... or --live-prices: named profile from "
                                          "~/.aws/config")
    parser.set_defaults(run=run)


class CostUsageError(ValueError):
    """Options that do not go together."""


def run(args: argparse.Namespace) -> int:
    from ..cost import count_assembly, count_config, estimate_cost, given_volume, load_prices, measured_volume
    from .main import EXIT_INCOMPLETE, EXIT_OK

    if args.config and args.assembly:
        raise CostUsageError("give an ASSEMBLY or --config FILE, not both")
    for name in ("series_per_query", "custom_metrics", "runs"):
        value = getattr(args, name)
        if value is not None and value < 0:
            raise CostUsageError(f"--{name.replace('_', '-')} {value}: negative (a count, 0 or more)")
    if (args.since or args.until) and not args.from_trail:
        raise CostUsageError("--since and --until go with --from-trail")
    live = None
    if args.live_prices:
        from ..cost.live_prices import fetch_prices

        live = fetch_prices(args.region, profile=args.profile)
    prices = load_prices(args.region, args.prices, live=live)
    if args.config:
        from ..config.loader import load_config

        usage = count_config(load_config(args.config), series_per_query=args.series_per_query, runs=args.runs,
                             custom_metrics=args.custom_metrics, where=f"the plan of {args.config}")
    else:
        usage = count_assembly(args.assembly or "cdk.out", series_per_query=args.series_per_query, runs=args.runs,
                               custom_metrics=args.custom_metrics)
    trail = None
    if args.data_events_per_day is not None:
        trail = given_volume(args.data_events_per_day)
    elif args.from_trail:
        trail = measured_volume(args.from_trail, since=args.since, until=args.until, profile=args.profile,
                                region=None)
    report = estimate_cost(usage, prices, trail)
    sys.stdout.write(report.json_text() if args.format == "json" else report.table())
    sys.stdout.flush()
    if trail is not None and trail.skipped:
        for line in trail.skipped:
            print(f"warning: skipped {line}", file=sys.stderr)
        print(f"warning: partial measure: {len(trail.skipped)} log file(s) could not be read; the others were "
              "counted", file=sys.stderr)
        return EXIT_INCOMPLETE
    return EXIT_OK
