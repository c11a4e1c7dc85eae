"""tools/pip_failure.py: when pip fails, ./dev shows pip's errors, the resolver's conflict and the pins that need
another Python, from the whole ``pip install --verbose`` output (excerpts of real ones, Python 3.11.2)."""

from __future__ import annotations

import subprocess
import sys

from tools_module import ROOT, load

pip_failure = load("pip_failure")


def link(python: str, spec: str, filename: str) -> str:
    """pip --verbose's line for a file of a release that needs another Python."""
    return (f"  Link requires a different Python ({python} not in: '{spec}'): https://example.invalid/packages/{filename}"
            f" (from https://example.invalid/simple/) (requires-python:{spec})")


# pip 26.3 --verbose, Python 3.11.2, constraints.txt pinning pymdown-extensions==13.1.2 (needs >= 3.11.5).
RESOLUTION_IMPOSSIBLE = f"""\
Collecting mkdocs-material>=9.5 (from cdk-sagemaker-monitoring==0.1.0)
{link('3.11.2', '>=3.7,<3.11', 'numpy-1.21.4.zip')}
{link('3.11.2', '>=3.11.5', 'pymdown_extensions-13.1.2-py3-none-any.whl')}
{link('3.11.2', '>=3.11.5', 'pymdown_extensions-13.1.2.tar.gz')}
{link('3.11.2', '>=3.11.5', 'pymdown_extensions-13.0-py3-none-any.whl')}
INFO: pip is looking at multiple versions of mkdocs-material to determine which version is compatible with other requirements.
ERROR: Cannot install cdk-sagemaker-monitoring because these package versions have conflicting dependencies.

The conflict is caused by:
    mkdocs-material 9.8.1 depends on pymdown-extensions>=11.0.1
    The user requested (constraint) pymdown-extensions==13.1.2

Additionally, some packages in these conflicts have no matching distributions available for your environment:
    pymdown-extensions

To fix this you could try to:
1. loosen the range of package versions you've specified
2. remove package versions to allow pip to attempt to solve the dependency conflict

ERROR: ResolutionImpossible: for help visit https://example.invalid/dealing-with-dependency-conflicts
"""

# The same for a requirements file's pin (checkov's closure pinning soupsieve==4.1.3).
NO_MATCHING_DISTRIBUTION = f"""\
{link('3.11.2', '>=3.11.5', 'soupsieve-4.1.3-py3-none-any.whl')}
ERROR: Ignored the following yanked versions: 3.0, 3.0.1
ERROR: Ignored the following versions that require a different python version: 4.1.3 Requires-Python >=3.11.5
ERROR: Could not find a version that satisfies the requirement soupsieve==4.1.3 (from versions: 2.8, 2.9, 2.10)
ERROR: No matching distribution found for soupsieve==4.1.3
"""


def test_a_resolver_conflict_shows_the_conflict_and_the_python_the_pin_needs():
    assert pip_failure.explain(RESOLUTION_IMPOSSIBLE) == [
        "ERROR: Cannot install cdk-sagemaker-monitoring because these package versions have conflicting dependencies.",
        "The conflict is caused by:",
        "    mkdocs-material 9.8.1 depends on pymdown-extensions>=11.0.1",
        "    The user requested (constraint) pymdown-extensions==13.1.2",
        "Additionally, some packages in these conflicts have no matching distributions available for your environment:",
        "    pymdown-extensions",
        "ERROR: ResolutionImpossible: for help visit https://example.invalid/dealing-with-dependency-conflicts",
        "pymdown-extensions==13.1.2 needs Python >=3.11.5 (this is Python 3.11.2)",
    ]


def test_a_pin_without_a_release_for_this_python_names_the_python_it_needs():
    lines = pip_failure.explain(NO_MATCHING_DISTRIBUTION)
    assert lines[-1] == "soupsieve==4.1.3 needs Python >=3.11.5 (this is Python 3.11.2)"
    assert "ERROR: No matching distribution found for soupsieve==4.1.3" in lines
    assert not any("Ignored the following" in line for line in lines)  # every old release of every package


def test_releases_are_read_from_wheel_and_sdist_names():
    assert pip_failure.release_of("https://x.invalid/p/pymdown_extensions-13.1.2-py3-none-any.whl#sha256=0") == (
        "pymdown-extensions", "13.1.2")
    assert pip_failure.release_of("https://x.invalid/p/jsonpath-rw-1.4.0.tar.gz") == ("jsonpath-rw", "1.4.0")
    assert pip_failure.release_of("https://x.invalid/p/numpy-1.21.4.zip") == ("numpy", "1.21.4")
    assert pip_failure.release_of("https://x.invalid/simple/numpy/") is None


def test_without_any_of_those_lines_the_command_shows_the_end_of_the_output(tmp_path):
    log = tmp_path / "pip.log"
    log.write_text("\n".join(f"line {n}" for n in range(100)) + "\n")
    done = subprocess.run([sys.executable, ROOT / "tools" / "pip_failure.py", log], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0
    assert done.stdout.splitlines() == [f"  line {n}" for n in range(70, 100)]


def test_the_command_prints_the_explanation_indented(tmp_path):
    log = tmp_path / "pip.log"
    log.write_text(NO_MATCHING_DISTRIBUTION)
    done = subprocess.run([sys.executable, ROOT / "tools" / "pip_failure.py", log], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.splitlines()[-1] == "  soupsieve==4.1.3 needs Python >=3.11.5 (this is Python 3.11.2)"
