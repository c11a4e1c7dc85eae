"""The CPython interpreters on this machine at or above a floor, one per line: ``VERSION PATH``, oldest first.

Looks at ``python3`` and ``python3.N`` in every directory of PATH and in /usr/bin and /usr/local/bin, and at
pyenv's (``$PYENV_ROOT`` or ``~/.pyenv``) and uv's installed versions; asks each its version. One line per
interpreter (a symlink, a pyenv shim or a venv counts as the Python it runs). ``./dev other-pythons`` (CI's
second step) runs the set-up, synthesis and installed-wheel check on each. Standard library only.

    python tools/find_pythons.py --floor 3.11 [--exclude PYTHON]... [--include PYTHON]...
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
from pathlib import Path

NAME = re.compile(r"^python3(\.\d+)?$")
ASK = (
    "import os, platform, sys; base = getattr(sys, '_base_executable', sys.executable) or sys.executable;"
    " print(platform.python_implementation(), platform.python_version(), os.path.realpath(base))"
)


def candidates(include: list[str]) -> list[str]:
    """Paths that may be Python interpreters, the ones named with --include first."""
    found = list(include)
    directories = [Path(d) for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    directories += [Path("/usr/bin"), Path("/usr/local/bin")]
    for directory in directories:
        if directory.is_dir():
            found += [str(p) for p in sorted(directory.iterdir()) if NAME.match(p.name)]
    for root in (Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions",
                 Path.home() / ".local" / "share" / "uv" / "python"):
        if root.is_dir():
            found += [str(p) for p in sorted(root.glob("*/bin/python3"))]
    return found


def describe(path: str) -> tuple[str, tuple[int, ...], str] | None:
    """(implementation, version, the interpreter's own path) of a Python, or None when it is not one that runs."""
    try:
        done = subprocess.run([path, "-c", ASK], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    fields = done.stdout.split(maxsplit=2)
    if done.returncode != 0 or len(fields) != 3:
        return None
    implementation, version, executable = fields
    try:
        numbers = tuple(int(part) for part in version.split(".")[:3])
    except ValueError:
        return None
    return implementation, numbers, executable.strip()


def parse_version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


def find(floor: tuple[int, ...], include: list[str], exclude: list[str]) -> list[tuple[tuple[int, ...], str]]:
    """(version, path) of each CPython at or above the floor, once each, oldest first, the excluded left out."""
    excluded = {described[2] for described in map(describe, exclude) if described}
    seen: dict[str, tuple[int, ...]] = {}
    for path in candidates(include):
        described = describe(path)
        if described is None:
            continue
        implementation, version, executable = described
        if implementation == "CPython" and version >= floor and executable not in excluded:
            seen.setdefault(executable, version)
    return sorted(((version, executable) for executable, version in seen.items()), key=lambda item: (item[0], item[1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--floor", required=True, type=parse_version, help="the lowest version to list, e.g. 3.11")
    parser.add_argument("--exclude", action="append", default=[], help="leave out this Python (its own path or a venv's)")
    parser.add_argument("--include", action="append", default=[], help="look at this Python too")
    args = parser.parse_args(argv)
    for version, path in find(args.floor, args.include, args.exclude):
        print(".".join(map(str, version)), path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
