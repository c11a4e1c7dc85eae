"""A generated part of a text file, between two marker lines (the docs pages that code keeps current).

``replace_between`` writes it, ``between`` reads it back; the tests compare what a page holds with
what the generator gives now.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable


def replace_between(text: str, begin: str, end: str, generated: str) -> str:
    """``text`` with the part between the markers ``begin`` and ``end`` replaced by ``generated``."""
    start = text.find(begin)
    stop = text.find(end)
    if start < 0 or stop < start:
        raise ValueError(f"the markers {begin!r} and {end!r} are missing")
    return text[: start + len(begin)] + "\n\n" + generated + "\n" + text[stop:]


def between(text: str, begin: str, end: str) -> str:
    """What ``text`` holds between the markers (as :func:`replace_between` writes it)."""
    start = text.index(begin) + len(begin)
    return text[start: text.index(end)]


def generator_main(argv: list[str] | None, *, prog: str, description: str, page: Path,
                   generate: Callable[[], str], replace: Callable[[str, str], str]) -> int:
    """The command line of a generator: print what ``generate`` gives, or ``--write [PATH]`` it into ``page``
    (or PATH) with ``replace(text, generated)``."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--write", nargs="?", const=str(page), metavar="PATH",
                        help=f"replace the generated part of PATH (default {page})")
    args = parser.parse_args(argv)
    generated = generate()
    if args.write:
        target = Path(args.write)
        target.write_text(replace(target.read_text(encoding="utf-8"), generated), encoding="utf-8")
        print(f"updated {target}", file=sys.stderr)
    else:
        sys.stdout.write(generated)
    return 0
