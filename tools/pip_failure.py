"""Why pip failed, in a few lines, from the whole output of ``pip install --verbose`` (tools/python.sh keeps it).

Shows pip's errors, the resolver's conflict ("The conflict is caused by: ..."), and for each pinned release the
failure names that needs another Python, the Python it needs ("Requires-Python"): the lines a user needs to
choose another Python or another pin, without pip's hundreds of other lines. Standard library only.

    python tools/pip_failure.py .venv/.dev-pip.log
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# pip --verbose, for each file of a release the running Python cannot install:
#   Link requires a different Python (3.11.2 not in: '>=3.11.5'): https://.../pymdown_extensions-13.1.2-py3-none-any.whl ...
LINK = re.compile(r"Link requires a different Python \((?P<python>[^ ]+) not in: '(?P<spec>[^']*)'\): (?P<url>\S+)")
PIN = re.compile(r"(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[0-9][^\s,;)'\"]*)")
# Blocks of the resolver's explanation: the header line, then indented lines.
BLOCKS = ("The conflict is caused by:", "Additionally, some packages in these conflicts have no matching distributions")
TAIL = 30


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def release_of(url: str) -> tuple[str, str] | None:
    """(normalized name, version) of a distribution file's URL: name-version-...whl or name-version.tar.gz/.zip."""
    filename = url.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if filename.endswith(".whl"):
        parts = filename[: -len(".whl")].split("-")
        return (normalize(parts[0]), parts[1]) if len(parts) >= 2 else None
    for suffix in (".tar.gz", ".zip", ".tar.bz2"):
        if filename.endswith(suffix):
            name, _, version = filename[: -len(suffix)].rpartition("-")
            return (normalize(name), version) if name else None
    return None


def explain(output: str) -> list[str]:
    """The lines of pip's output that say why it failed (empty when it has none of them)."""
    lines = output.splitlines()
    shown: list[str] = []
    block = False
    for line in lines:
        if any(line.startswith(header) for header in BLOCKS):
            block = True
            shown.append(line)
        elif block and line.startswith("    "):
            shown.append(line)
        else:
            block = False
            # "Ignored the following versions that require a different python version" lists every old release
            # of every package looked at: the pins that matter are named below instead.
            if line.startswith("ERROR:") and "Ignored the following" not in line:
                shown.append(line)
    pins = {(normalize(m["name"]), m["version"]): f"{m['name']}=={m['version']}" for line in shown for m in PIN.finditer(line)}
    needs: dict[str, str] = {}
    for line in lines:
        link = LINK.search(line)
        if link is None:
            continue
        release = release_of(link["url"])
        if release in pins:
            needs.setdefault(pins[release], f"{pins[release]} needs Python {link['spec']} (this is Python {link['python']})")
    shown.extend(needs[pin] for pin in sorted(needs))
    return shown


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    output = Path(argv[1]).read_text(encoding="utf-8", errors="replace")
    lines = explain(output) or output.splitlines()[-TAIL:]
    print("\n".join(f"  {line}" for line in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
