"""tools/find_pythons.py: the CPythons of the machine that ./dev other-pythons (CI's second step) checks."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

import pytest
from tools_module import load

find_pythons = load("find_pythons")
THIS = tuple(int(part) for part in platform.python_version().split("."))


@pytest.fixture(autouse=True)
def only_this_python_on_path(monkeypatch, tmp_path):
    """PATH holds this venv's bin only, and no pyenv or uv: the search sees this Python and /usr/bin's."""
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "no-pyenv"))
    monkeypatch.setenv("HOME", str(tmp_path))


def base_of_this_python() -> str:
    return os.path.realpath(getattr(sys, "_base_executable", sys.executable))


def test_this_python_is_listed_once_as_the_interpreter_its_venv_runs():
    found = find_pythons.find((3, 0), [sys.executable], [])
    assert (THIS, base_of_this_python()) in found
    assert len({path for _, path in found}) == len(found)
    assert found == sorted(found)


def test_the_excluded_python_and_those_below_the_floor_are_left_out():
    assert base_of_this_python() not in {path for _, path in find_pythons.find((3, 0), [sys.executable], [sys.executable])}
    assert find_pythons.find((99,), [sys.executable], []) == []


def test_what_is_not_a_running_python_is_left_out(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    assert find_pythons.describe(str(fake)) is None
    assert find_pythons.describe(str(tmp_path / "missing")) is None
    assert str(fake) not in {path for _, path in find_pythons.find((3, 0), [str(fake)], [])}
