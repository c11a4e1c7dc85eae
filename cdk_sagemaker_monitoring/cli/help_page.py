"""The docs page of the command's ``--help``, generated from the parsers (so it is never written twice).

``docs/reference/cli.md`` holds, between two markers, the help text of ``sagemaker-monitoring`` and of
each of its commands, at a fixed width of :data:`WIDTH` columns (the terminal's width does not matter);
a test checks that it is current.

    python -m cdk_sagemaker_monitoring.cli.help_page            # print it
    python -m cdk_sagemaker_monitoring.cli.help_page --write    # refresh the docs page in place
"""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path
from typing import cast

from ..generated_section import between, generator_main, replace_between
from .main import build_parser

BEGIN = "<!-- generated:cli-help (python -m cdk_sagemaker_monitoring.cli.help_page --write) -->"
END = "<!-- /generated:cli-help -->"
#: The docs page that holds the help text (relative to the repository root).
HELP_PAGE = Path("docs/reference/cli.md")
#: Columns the help text is wrapped to.
WIDTH = 80


def help_markdown() -> str:
    """A section per command: its name as a heading, then its ``--help`` text as a code block."""
    parser = build_parser()
    sections = [_section(parser.prog, parser)]
    for name, sub in _commands(parser).items():
        sections.append(_section(f"{parser.prog} {name}", sub))
    return "\n\n".join(sections) + "\n"


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps no public list of subparsers
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _section(title: str, parser: argparse.ArgumentParser) -> str:
    formatter = cast("type[argparse.HelpFormatter]", parser.formatter_class)
    parser.formatter_class = functools.partial(formatter, width=WIDTH)
    text = "\n".join(line.rstrip() for line in parser.format_help().rstrip().splitlines())
    return f"## `{title}`\n\n```text\n{text}\n```"


def replace_section(text: str, generated: str) -> str:
    """``text`` with the part between :data:`BEGIN` and :data:`END` replaced by ``generated``."""
    return replace_between(text, BEGIN, END, generated)


def current_section(text: str) -> str:
    """What ``text`` holds between the markers (as :func:`replace_section` writes it)."""
    return between(text, BEGIN, END)


def main(argv: list[str] | None = None) -> int:
    """Print the help page, or ``--write`` it into the docs page between the markers."""
    return generator_main(argv, prog="python -m cdk_sagemaker_monitoring.cli.help_page",
                          description="The command's --help as a docs page, generated from the parsers.", page=HELP_PAGE,
                          generate=help_markdown, replace=replace_section)


if __name__ == "__main__":
    sys.exit(main())
