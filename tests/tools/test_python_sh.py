"""tools/python.sh, as ./dev uses it: which Python (PYTHON, else python3 on PATH), refused in one line when
requires-python does not admit it, and a venv made by another Python made again. ./dev runs in a copy of the
files it needs, so nothing here touches the checkout's venvs."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tools_module import ROOT

FLOOR = "3.11"


@pytest.fixture
def checkout(tmp_path) -> Path:
    """dev, tools/ and pyproject.toml: what ./dev reads before it installs anything."""
    copy = tmp_path / "checkout"
    (copy / "tools").mkdir(parents=True)
    for name in ("dev", "pyproject.toml", "tools/python.sh", "tools/pip_failure.py"):
        shutil.copy2(ROOT / name, copy / name)
    return copy


def fake_python(directory: Path, version: str, *, venv_module: bool = True, name: str = "python3") -> Path:
    """A script that answers ./dev's questions as a Python of that version would."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    no_venv = "" if venv_module else '*ensurepip*) exit 1 ;;'
    path.write_text(f'#!/bin/sh\ncase "$2" in {no_venv} *) echo "{version} $0" ;; esac\n')
    path.chmod(0o755)
    return path


def dev(checkout: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(["bash", checkout / "dev", *args], capture_output=True, text=True, timeout=120,
                          env=environment)


def test_an_older_python_is_refused_in_one_line_naming_it_the_range_and_the_fix(checkout, tmp_path):
    old = fake_python(tmp_path / "old", "3.10.13")
    done = dev(checkout, "synth", PYTHON=str(old))
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"[dev] Python 3.10.13 ({old}, PYTHON={old}) is not supported; this project needs Python >= {FLOOR} "
        "(requires-python in pyproject.toml): point PYTHON at one, e.g. PYTHON=/usr/bin/python3.12 ./dev synth"]
    assert not (checkout / ".venv").exists()


def test_without_python_set_the_python3_on_path_is_the_one(checkout, tmp_path):
    old = fake_python(tmp_path / "bin", "3.9.18")
    done = dev(checkout, "test", PATH=f"{old.parent}{os.pathsep}{os.environ['PATH']}")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"[dev] Python 3.9.18 ({old}, the python3 on PATH) is not supported; this project needs Python >= {FLOOR} "
        "(requires-python in pyproject.toml): point PYTHON at one, e.g. PYTHON=/usr/bin/python3.12 ./dev test"]


def test_a_python_that_is_not_there_or_cannot_make_venvs_is_refused_in_one_line(checkout, tmp_path):
    missing = dev(checkout, "synth", PYTHON=str(tmp_path / "nowhere" / "python3"))
    assert missing.returncode == 1 and len(missing.stderr.splitlines()) == 1
    assert "no Python found" in missing.stderr and "PYTHON=" in missing.stderr
    without_venv = fake_python(tmp_path / "bare", "3.12.1", venv_module=False)
    done = dev(checkout, "synth", PYTHON=str(without_venv))
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert "cannot create virtual environments" in done.stderr and "python3-venv" in done.stderr


def shell(checkout: Path, script: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), **env}
    return subprocess.run(["bash", "-c", f'set -euo pipefail; ROOT={checkout}; . "$ROOT/tools/python.sh"; {script}'],
                          capture_output=True, text=True, timeout=120, env=environment)


def test_this_python_is_accepted_as_itself(checkout):
    done = shell(checkout, 'use_python; echo "$PYTHON_VERSION $PYTHON"', PYTHON=sys.executable)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [platform.python_version(), sys.executable]


@pytest.mark.parametrize(("have", "want", "admitted"), [
    ("3.11.0", "3.11", True), ("3.12.1", "3.11", True), ("3.10.13", "3.11", False), ("3.9.18", "3.11", False),
    ("4.0.0", "3.11", True), ("3.11.4", "3.11.5", False), ("3.11.10", "3.11.5", True), ("2.7.18", "3.11", False),
])
def test_versions_compare_by_number(checkout, have, want, admitted):
    done = shell(checkout, f"version_at_least {have} {want}")
    assert (done.returncode == 0) is admitted


def test_the_floor_is_read_from_requires_python(checkout):
    assert shell(checkout, "python_floor").stdout.strip() == FLOOR


def test_a_venv_made_by_another_python_is_made_again(checkout, tmp_path):
    venv = checkout / ".venv-other"
    fake_python(venv / "bin", "3.9.0", name="python")  # what an old Python's venv answers
    done = shell(checkout, f'use_python; ensure_venv "{venv}"', PYTHON=sys.executable)
    assert done.returncode == 0, done.stderr
    assert "making .venv-other again: it was made with Python 3.9.0" in done.stderr
    answer = subprocess.run([venv / "bin" / "python", "-c", "import platform, sys; print(platform.python_version())"],
                            capture_output=True, text=True, timeout=60)
    assert answer.stdout.strip() == platform.python_version()
    again = shell(checkout, f'use_python; ensure_venv "{venv}"', PYTHON=sys.executable)
    assert again.returncode == 0 and again.stderr == ""  # the same Python: kept as it is
