"""``sagemaker-monitoring verify``: check a live account against a configuration."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any


def register(subparsers: Any) -> None:
    from ..verification import CHECKS
    from .main import add_aws_options

    parser = subparsers.add_parser(
        "verify",
        help="check that the trail, alarms, dashboards and failure-event rules of a configuration exist in the account",
        description="Check a live account against a configuration: the trail exists, is logging and selects "
        "ExperimentTrialComponent data events; every alarm exists and has actions; every dashboard exists; and "
        "which configured resources have emitted no metrics (ListMetrics; a warning, since a resource that did "
        "not run in two weeks has none); and, for every alarm, whether CloudWatch lists its metric with its "
        "dimensions (alarm-metrics: which alarms watch nothing, and which rest on evidence weaker than an AWS "
        "page); and that every failure-event rule exists on the default bus, is enabled and has dead-letter "
        "queues on its targets (events). Prints a table; exits 2 when something expected is missing.",
    )
    parser.add_argument("--config", metavar="FILE", help="configuration YAML (default: the 'config' context of ./cdk.json)")
    parser.add_argument(
        "--skip",
        metavar="CHECKS",
        default="",
        help=f"comma-separated checks to leave out: {','.join(CHECKS)} (reported as skipped)",
    )
    parser.add_argument("--strict", action="store_true", help="warnings (resources without metrics) fail too")
    parser.add_argument("--problems-only", action="store_true", help="list only findings that are not ok")
    parser.add_argument(
        "--environment", metavar="NAME",
        help="with `environments:` in the configuration: verify this environment in its account and region "
        "(default: every environment in the account of the current credentials)",
    )
    add_aws_options(parser)
    parser.set_defaults(run=run)


class VerifyUsageError(ValueError):
    """No configuration to verify against."""


def _config_path(args: argparse.Namespace) -> str:
    if args.config:
        return args.config
    try:
        with open("cdk.json", encoding="utf-8") as handle:
            path = json.load(handle).get("context", {}).get("config")
    except (OSError, ValueError):
        path = None
    if not path:
        raise VerifyUsageError("no configuration: pass --config FILE (or run where cdk.json has a 'config' context)")
    return path


def run(args: argparse.Namespace) -> int:
    from ..config.loader import load_config
    from .main import EXIT_INCOMPLETE, EXIT_OK

    path = _config_path(args)
    config = load_config(path)
    if not config.environments:
        if args.environment:
            raise VerifyUsageError(f"{path} lists no environments: leave --environment out")
        return EXIT_INCOMPLETE if _verify_one(args, config, path, args.region) else EXIT_OK
    failed = False
    for name in _environments(args, config, path):
        env = config.environment(name)
        print(f"== environment {name} (account {env.account}, {env.region})", file=sys.stdout)
        try:
            failed |= _verify_one(args, config.for_environment(name), path, env.region)
        except Exception as err:  # noqa: BLE001 - one unreachable environment is a finding, not the end
            from .main import error_line

            line = error_line(err)
            if line is None:
                raise
            print(f"error: environment {name}: {line}", file=sys.stderr)
            failed = True
    sys.stdout.flush()
    return EXIT_INCOMPLETE if failed else EXIT_OK


def _verify_one(args: argparse.Namespace, config: Any, path: str, region: str | None) -> bool:
    """Verify one stack's configuration, print its table and verdict; True when it failed."""
    from ..verification import verify

    skip = [s.strip() for s in args.skip.split(",") if s.strip()]
    report = verify(config, region=region, profile=args.profile, skip=skip, strict=args.strict)
    sys.stdout.write(report.table(problems_only=args.problems_only))
    verdict = "FAILED" if report.failed else "passed"
    print(f"verify {verdict} for {os.path.basename(path)} in {report.region}: {report.summary()}", file=sys.stdout)
    sys.stdout.flush()
    return bool(report.failed)


def _environments(args: argparse.Namespace, config: Any, path: str) -> list[str]:
    """``--environment``, or every environment in the account the credentials reach."""
    names = [env.name for env in config.environments]
    if args.environment:
        if args.environment not in names:
            raise VerifyUsageError(f"{path} has no environment {args.environment!r} (environments: {', '.join(names)})")
        return [args.environment]
    from ..aws_access import client, session

    account = client(session(args.profile, args.region or config.environments[0].region),
                     "sts").get_caller_identity()["Account"]
    reachable = [env.name for env in config.environments if env.account == account]
    if not reachable:
        listed = ", ".join(f"{env.name} ({env.account})" for env in config.environments)
        raise VerifyUsageError(f"the credentials' account {account} holds none of the environments of {path} "
                               f"({listed}): use credentials of one of them, or --environment NAME")
    return reachable
