"""Fixtures of the end-to-end tests: one LocalStack emulator per session, AWS clients, the CDK CLI.

The emulator is started once (free loopback port, files in a temporary directory) and stopped by its
own process group at the end. If it cannot start, every end-to-end test fails with its output; none
is skipped. Step durations (emulator start, bootstrap, deploy, diff, destroy, alarm evaluation) are
printed after the run, for the figures of the docs' contributing page; no test asserts on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .aws_clients import Aws
from .cdk_cli import CdkCli
from .cloudwatch_query_model import cloudwatch_protocol, write_query_only_cloudwatch_model
from .emulator_process import ACCOUNT, REGION, Emulator, EmulatorError, start_emulator
from .timings import STEPS



def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the end-to-end tests last (they take minutes; quick failures elsewhere show first)."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if STEPS:
        terminalreporter.section("end-to-end steps (LocalStack, real CDK CLI)")
        for step, seconds in STEPS:
            terminalreporter.write_line(f"{seconds:7.1f} s  {step}")


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """A running LocalStack (fails, never skips, when it cannot start)."""
    try:
        emu = start_emulator(tmp_path_factory.mktemp("localstack"))
    except EmulatorError as err:
        pytest.fail(f"the LocalStack emulator could not start: {err}", pytrace=False)
    STEPS.append(("emulator start until healthy", emu.started_in_s))
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture(scope="session")
def botocore_data_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ``AWS_DATA_PATH`` directory in which CloudWatch speaks the query protocol LocalStack 4.4.0 reads."""
    data_path = write_query_only_cloudwatch_model(tmp_path_factory.mktemp("botocore-data"))
    protocol = cloudwatch_protocol(data_path)
    if protocol != "query":
        pytest.fail(f"botocore ignores the query-only CloudWatch model in {data_path} (protocol {protocol})")
    return data_path


@pytest.fixture(scope="session")
def aws(emulator: Emulator, botocore_data_path: Path) -> Aws:
    return Aws(emulator, botocore_data_path)


@pytest.fixture(scope="session")
def cdk(emulator: Emulator) -> CdkCli:
    """The pinned CDK CLI aimed at the emulator (durations go to the session's step list)."""
    return CdkCli(emulator.client_env(), steps=STEPS)


@pytest.fixture(scope="session")
def bootstrapped(cdk: CdkCli, tmp_path_factory: pytest.TempPathFactory) -> None:
    """``cdk bootstrap`` of the emulator's account (run outside the project: no app to synthesize)."""
    cdk.run("cdk bootstrap", "bootstrap", f"aws://{ACCOUNT}/{REGION}", cwd=tmp_path_factory.mktemp("bootstrap"))
