"""Whether two cloud assemblies (cdk.out directories) hold byte-identical templates: the same ``*.template.json``
files, nested assemblies included, with the same bytes. Exit 0 when they do; else the first difference of each
file and exit 1. ``./dev other-pythons`` compares each Python's synthesis with the main one's. Standard library only.

    python tools/same_templates.py REFERENCE-CDK-OUT OTHER-CDK-OUT
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path


def templates(assembly: Path) -> dict[str, bytes]:
    return {str(path.relative_to(assembly)): path.read_bytes() for path in sorted(assembly.rglob("*.template.json"))}


def differences(reference: Path, other: Path) -> list[str]:
    """One line (or a short diff) per template missing, extra or different; empty when they are the same."""
    ours, theirs = templates(reference), templates(other)
    found: list[str] = []
    if not ours:
        found.append(f"{reference}: no templates")
    for name in sorted(ours.keys() - theirs.keys()):
        found.append(f"{other}: {name} is missing")
    for name in sorted(theirs.keys() - ours.keys()):
        found.append(f"{other}: {name} is not in {reference}")
    for name in sorted(ours.keys() & theirs.keys()):
        if ours[name] != theirs[name]:
            diff = difflib.unified_diff(ours[name].decode().splitlines(), theirs[name].decode().splitlines(),
                                        f"{reference}/{name}", f"{other}/{name}", lineterm="", n=1)
            found.append("\n".join(list(diff)[:12]))
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    found = differences(Path(argv[1]), Path(argv[2]))
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
