"""``sagemaker-monitoring``: entry point, subcommand registry, and the one place errors become exit codes.

Exit codes: 0 clean; 2 partial: the ``metrics`` read skipped a damaged file, ``discover`` could not
list a section or an entry, ``verify`` found something missing or could not run a check; 1 any error
(bad arguments, AWS access, a bad configuration), always reported as one line on stderr, never a
traceback (``--debug`` shows it).

Each subcommand is a module of this package with ``register(subparsers)``, which adds its parser
and sets ``run=<function(args) -> int>`` as a default.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys
from typing import Any, Optional, Sequence

#: Subcommand modules, in help order; a module that is not there is left out.
COMMANDS = ("metrics", "query", "plot", "discover", "verify", "cost", "backtest")

EXIT_OK, EXIT_ERROR, EXIT_INCOMPLETE = 0, 1, 2


class HelpFormatter(argparse.HelpFormatter):
    """argparse's help, with options listed as ``-o, --output FILE`` on every Python version.

    (Python 3.13 changed the default from ``-o FILE, --output FILE``; the docs page of the help text
    is generated, so it must not depend on the Python that generates it.)
    """

    def _format_action_invocation(self, action: argparse.Action) -> str:
        if not action.option_strings or action.nargs == 0:
            return super()._format_action_invocation(action)
        metavar = self._format_args(action, self._get_default_metavar_for_optional(action))
        return f"{', '.join(action.option_strings)} {metavar}"


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on bad usage; here 2 means a partial read, so usage errors exit 1."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(
        prog="sagemaker-monitoring",
        description="Read SageMaker Experiments metrics from the CloudTrail trail, discover an account's "
        "SageMaker resources into a configuration, and verify a deployed monitoring set-up.",
        epilog="Exit status: 0 clean, 2 partial (metrics: a damaged file skipped; discover: a section or entry not "
        "listed; verify: something missing or a check that failed), 1 error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module_name = f"{__package__}.{name}"
        if importlib.util.find_spec(module_name) is None:
            continue
        importlib.import_module(module_name).register(subparsers)
    return parser


def add_aws_options(parser: argparse.ArgumentParser) -> None:
    """``--profile`` and ``--region`` (the rest of the AWS configuration comes from the environment)."""
    group = parser.add_argument_group("AWS (standard configuration: AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL, ...)")
    group.add_argument("--profile", help="named profile from ~/.aws/config")
    group.add_argument("--region", help="AWS region (default: AWS_REGION or the profile's region)")


def error_line(err: BaseException) -> Optional[str]:
    """The one-line message of an error the user can fix, or None for an unexpected one."""
    from ..aws_access import AwsAccessError, explain, is_aws_error
    from ..errors import ConfigurationError

    if isinstance(err, (AwsAccessError, ConfigurationError)):
        return str(err)
    if is_aws_error(err):
        return str(explain(err, "an AWS call", "your account"))
    if isinstance(err, (FileNotFoundError, IsADirectoryError, PermissionError)):
        return str(err) if err.filename is None else f"{err.filename}: {err.strerror}"
    if isinstance(err, (ImportError, ValueError)) and type(err).__module__.startswith("cdk_sagemaker_monitoring"):
        return str(err)
    if isinstance(err, ValueError) and getattr(err, "user_facing", False):
        return str(err)
    return None


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line ``argv`` (default ``sys.argv[1:]``) and return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (`| head`): stop quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_ERROR
    except Exception as err:  # noqa: BLE001 - the one place errors become exit codes
        line = error_line(err)
        if line is None:
            if args.debug:
                raise
            line = f"unexpected {type(err).__name__}: {err} (run with --debug for the traceback, and please report it)"
        print(f"error: {line}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
