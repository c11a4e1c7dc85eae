"""Whether two cloud assemblies (cdk.out directories) hold byte-identical templates: the same ``*.template.json``
files, nested assemblies included, with the same bytes. Exit 0 when they do; else the first difference of each
file and exit 1. ``./dev other-pythons`` compares each Python's synthesis with the main one's. Standard library only.

One part may differ: the CDK's version reporting (``AWS::CDK::Metadata``, ``Analytics``, gzip in base64) names the
language runtime, ``Python/3.11.7``; it is compared decoded, with the Python's version left out.

    python tools/same_templates.py REFERENCE-CDK-OUT OTHER-CDK-OUT
"""

from __future__ import annotations

import base64
import binascii
import difflib
import gzip
import re
import sys
from pathlib import Path


ANALYTICS = re.compile(rb'"Analytics": ?"v2:deflate64:([A-Za-z0-9+/=]+)"')
RUNTIME = re.compile(r"Python/\d+\.\d+\.\d+")


def without_python_version(match: re.Match[bytes]) -> bytes:
    """The version reporting, decoded, with the Python's version left out (as it was when it cannot be decoded)."""
    try:
        reported = gzip.decompress(base64.b64decode(match[1], validate=True)).decode()
    except (binascii.Error, OSError, EOFError, UnicodeDecodeError):
        return match[0]
    return b'"Analytics": "v2:decoded:' + RUNTIME.sub("Python/*", reported).encode() + b'"'


def templates(assembly: Path) -> dict[str, bytes]:
    return {str(path.relative_to(assembly)): ANALYTICS.sub(without_python_version, path.read_bytes())
            for path in sorted(assembly.rglob("*.template.json"))}


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
