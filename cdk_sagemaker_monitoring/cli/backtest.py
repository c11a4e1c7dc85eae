"""``sagemaker-monitoring backtest -c CONFIG --series FILE``: when would each planned alarm have fired?"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .main import add_aws_options


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "backtest",
        help="replay a metric history against the alarms a configuration plans",
        description="Plan the configuration's alarms (the same alarm objects the templates are written from) and "
        "replay a metric history against them: each alarm's statistic per period, M of N datapoints, its missing-"
        "data treatment, MAX() over several series, and SLO burn rates. Prints when each alarm would have gone to "
        "ALARM and back to OK, and a threshold suggested from the history (never applied). Anomaly-band alarms "
        "cannot be replayed (their model is CloudWatch's) and are named on stderr. The history is a CSV "
        "(timestamp, metric, value, one column per dimension; samples at any spacing) or --from-cloudwatch.",
    )
    parser.add_argument("-c", "--config", metavar="FILE", required=True, help="the YAML configuration")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--series", metavar="FILE",
                        help="CSV: timestamp (ISO 8601, UTC), metric, value, and a column per dimension "
                             "(EndpointName, VariantName...)")
    source.add_argument("--from-cloudwatch", action="store_true",
                        help="fetch the history of every alarmed series with GetMetricData")
    parser.add_argument("--days", type=float, default=14, metavar="N",
                        help="with --from-cloudwatch: days of history (default 14; CloudWatch keeps 5-minute "
                             "values 63 days)")
    parser.add_argument("--format", choices=("table", "json"), default="table",
                        help='output format (default: table); json: {"alarms": [{"name", "metric", "dimensions", '
                             '"transitions": [{"time", "state"}]}]}')
    parser.add_argument("--plot", metavar="FILE",
                        help="also draw each alarm's series, threshold and ALARM spans (.png or .svg; needs the "
                             "plot extra)")
    parser.add_argument("--alarm", metavar="TEXT", action="append",
                        help="only alarms whose name contains TEXT (repeatable; default: every planned alarm)")
    parser.add_argument("--all", action="store_true",
                        help="table: list alarms without transitions too (default: only those that changed state)")
    add_aws_options(parser)
    parser.set_defaults(run=run)


class BacktestUsageError(ValueError):
    """Options that do not go together."""


def run(args: argparse.Namespace) -> int:
    from ..backtest import from_cloudwatch, load_csv, replay_all
    from ..config.loader import load_config
    from ..plan import plan_monitoring
    from .main import EXIT_OK

    if args.days <= 0:
        raise BacktestUsageError(f"--days {args.days:g}: a positive number of days")
    config = load_config(args.config)
    plan = plan_monitoring(config, dashboard_base=config.dashboard_name or getattr(config, "stack_name", None),
                           sharding=False)
    alarms = tuple(a for a in plan.alarms if not args.alarm or any(text in a.name for text in args.alarm))
    if not alarms:
        raise BacktestUsageError(("no planned alarm matches --alarm " + " ".join(args.alarm)) if args.alarm else
                                 f"{args.config} plans no alarm: list resources at its top level (for resources under "
                                 "environments, copy one environment's lists into a file of their own)")
    if args.series:
        history = load_csv(args.series)
    else:
        from ..aws_access import client, session

        history = from_cloudwatch(client(session(args.profile, args.region), "cloudwatch"), alarms, days=args.days)
    replays = replay_all(history, alarms)
    for r in replays:
        if not r.replayable and (r.alarm.anomaly is not None or r.alarm.query is not None):
            print(f"note: {r.alarm.name}: not replayed: {r.note}", file=sys.stderr)
    replayed = [r for r in replays if r.replayable]
    if args.format == "json":
        sys.stdout.write(json.dumps({"alarms": [r.json() for r in replayed]}, indent=2) + "\n")
    else:
        tiers = [c for r in plan.resources for c in r.slo_composites]
        sys.stdout.write(_table(history, replays, show_all=args.all) + _tiers(history, replays, tiers))
    sys.stdout.flush()
    if args.plot:
        from ..backtest.plot import draw

        panels = draw(history, replayed, args.plot)
        print(f"wrote {args.plot} ({panels} alarm(s))", file=sys.stderr)
    return EXIT_OK


def _tiers(history: Any, replays: list[Any], tiers: list[Any]) -> str:
    """Per SLO tier: when its two windows were in ALARM together (its composite alarm pages then)."""
    from ..backtest.evaluate import both_spans
    from ..backtest.series import iso

    by_name = {r.alarm.name: r for r in replays if r.replayable}
    lines = []
    end = int(history.end or 0)
    for tier in tiers:
        if not all(name in by_name for name in tier.children):
            continue
        long, short = (by_name[name] for name in tier.children)
        spans = both_spans(long.alarm_spans(end), short.alarm_spans(end))
        lines.append(f"\n{tier.name} (composite: both windows in ALARM): {len(spans)} page(s)"
                     if tier.severity == "Critical" else
                     f"\n{tier.name} (composite: both windows in ALARM): {len(spans)} ticket(s)")
        lines += [f"  {iso(a)}  ALARM\n  {iso(b)}  OK" for a, b in spans]
    return "\n".join(lines) + ("\n" if lines else "")


def _table(history: Any, replays: list[Any], *, show_all: bool) -> str:
    from ..backtest.series import iso
    from ..backtest.suggest import suggest

    lines = [f"Backtest of {sum(1 for r in replays if r.replayable)} alarm(s) over {history.source}"
             + (f", {iso(history.start)} to {iso(history.end)}" if history.start is not None else "") + "."]
    quiet = 0
    for r in replays:
        if not r.replayable:
            if r.note != "no history of its series" or show_all:
                lines.append(f"\n{r.alarm.name}\n  not replayed: {r.note}")
            continue
        fired = sum(1 for t in r.transitions if t.state == "ALARM")
        if not r.transitions and not show_all:
            quiet += 1
            continue
        dims = ", ".join(f"{k}={v}" for k, v in r.dimensions.items())
        lines.append(f"\n{r.alarm.name}\n  {r.metric} [{dims}]: threshold {r.threshold:g}, "
                     f"{r.alarm.datapoints_to_alarm} of {r.alarm.evaluation_periods} periods of {r.alarm.period} s, "
                     f"missing data {r.alarm.treat_missing_data}: {fired} alarm(s)")
        lines += [f"  {t.json()['time']}  {t.state}" for t in r.transitions]
        hint = suggest(history, r)
        if hint is not None:
            lines.append(f"  suggested threshold: {hint.threshold:g} ({hint.basis}; would have alarmed "
                         f"{hint.alarms} time(s)) - not applied")
    if quiet:
        lines.append(f"\n{quiet} other alarm(s) stayed OK over the history (--all lists them).")
    return "\n".join(lines) + "\n"
