"""``sagemaker-monitoring discover``: the account's SageMaker resources as a configuration file."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from ..wording import counted


def register(subparsers: Any) -> None:
    from .main import add_aws_options

    parser = subparsers.add_parser(
        "discover",
        help="write a monitoring configuration (YAML) of the account's SageMaker resources",
        description="List the endpoints (variants, multi-model, GPUs, serverless), recent training, processing "
        "and transform jobs, feature groups, pipelines (with their steps), labeling jobs and work teams of one "
        "account and region, and write a configuration the app deploys as it is.",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write the YAML here (default: stdout)")
    parser.add_argument(
        "--since-days", type=_days, default=7, metavar="N", help="jobs created in the last N days (default: 7)"
    )
    parser.add_argument("--stack-name", default=None, help="stack_name of the configuration (default: SageMakerMonitoring)")
    parser.add_argument(
        "--environment", metavar="NAME",
        help="write what was found as environment NAME (this account and region) into the `environments:` of "
        "--output, adding it or replacing the entry of that name; other environments are kept",
    )
    add_aws_options(parser)
    parser.set_defaults(run=run)


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days") from None
    if days < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return days


def run(args: argparse.Namespace) -> int:
    from ..discovery import discover
    from ..discovery.document import DEFAULT_STACK_NAME
    from .main import EXIT_INCOMPLETE, EXIT_OK

    found = discover(
        region=args.region, profile=args.profile, since_days=args.since_days, stack_name=args.stack_name or DEFAULT_STACK_NAME
    )
    text = found.yaml() if not args.environment else _with_environment(args, found)
    if args.output and args.output != "-":
        temporary = f"{args.output}.part-{os.getpid()}"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, args.output)
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    for note in found.notes:
        print(f"warning: {note}", file=sys.stderr)
    counts = ", ".join(counted(n, key.replace("_", " ")) for key, n in found.counts().items())
    gaps = [*(f"{key} skipped" for key in found.skipped_sections),
            *(f"{key} incomplete" for key in found.incomplete_sections)]
    partial = f" (partial: {', '.join(gaps)})" if gaps else ""
    print(f"discovered in {found.region}: {counts}{partial}", file=sys.stderr)
    return EXIT_INCOMPLETE if found.partial else EXIT_OK


def _with_environment(args: argparse.Namespace, found: Any) -> str:
    """The output file's text with the discovered account and region as environment ``--environment``."""
    from ..config.loader import config_from_mapping
    from ..discovery.document import DEFAULT_STACK_NAME, header_text, to_yaml
    from ..discovery.environments import environment_entry, with_environment

    target = args.output if args.output and args.output != "-" else None
    existing = None
    if target and os.path.exists(target):
        with open(target, encoding="utf-8") as handle:
            existing = handle.read()
    source = target or "<stdout>"
    document = with_environment(existing, environment_entry(found.document, args.environment),
                                stack_name=args.stack_name or DEFAULT_STACK_NAME, source=source)
    config_from_mapping(document, source=source)  # the file written is one the app accepts
    header = None if existing else header_text(found.region, found.account, found.since_days)
    return to_yaml(document, header=header)
