"""Two environments of one configuration file in two accounts of the emulator, with the real CDK CLI.

LocalStack treats a 12-digit access key id as the account it acts in, so each account is bootstrapped
and deployed with its own key: one synthesis (``cdk synth``), then ``cdk deploy <stack_name>-<name>
--app <assembly>`` per account, in parallel. Each account then holds exactly its environment's stack
and alarms (the plan's names) and none of the other's.

What this leaves out, because the emulator (LocalStack 4.4.0, free edition) does not have it: the
monitoring account's CloudWatch cross-account observability (no OAM service, so no sink, no link, no
sink lookup) and the organization trail (no AWS Organizations; trails are accepted, not created).
The configuration has no ``monitoring_account`` and no trail; the synthesis tests cover those parts.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import boto3
import botocore.session
import pytest
import yaml

from cdk_sagemaker_monitoring.config.loader import load_config
from cdk_sagemaker_monitoring.verification import expected

from .cdk_cli import CdkCli
from .emulator_process import REGION, Emulator
from .timings import STEPS

pytestmark = pytest.mark.e2e

STACK = "OrgE2E"
ENVIRONMENTS = {"alpha": "111111111111", "beta": "222222222222"}


def configuration() -> dict[str, Any]:
    return {
        "stack_name": STACK,
        "trail": {"enabled": False},
        "fleet_overview": False,
        "environments": [{"name": name, "account": account, "region": REGION, "endpoints": [f"e2e-{name}"]}
                         for name, account in ENVIRONMENTS.items()],
    }


def client(emulator: Emulator, data_path: Path, account: str, service: str) -> Any:
    core = botocore.session.Session()
    core.set_config_variable("data_path", str(data_path))
    session = boto3.session.Session(botocore_session=core, aws_access_key_id=account,
                                    aws_secret_access_key="test", region_name=REGION)
    return session.client(service, endpoint_url=emulator.endpoint)


def in_parallel(jobs: dict[str, Any]) -> None:
    """Run each job (a callable) in its own thread; re-raise the first failure."""
    failures: list[BaseException] = []

    def run(job: Any) -> None:
        try:
            job()
        except BaseException as err:  # noqa: BLE001 - re-raised below
            failures.append(err)

    threads = [threading.Thread(target=run, args=(job,), name=name) for name, job in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


@pytest.fixture(scope="module")
def deployed(emulator: Emulator, cdk: CdkCli, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Both environments deployed, each into its own account; returns the configuration file."""
    workdir = tmp_path_factory.mktemp("e2e-environments")
    config = workdir / "org.yaml"
    config.write_text(yaml.safe_dump(configuration(), sort_keys=False))
    out = workdir / "cdk.out"
    cdk.run("cdk synth (two environments)", "synth", "-c", f"config={config}", "--output", str(out), "--quiet")

    def account_cli(account: str) -> CdkCli:
        env = {**emulator.client_env(), "AWS_ACCESS_KEY_ID": account, "CDK_DEFAULT_ACCOUNT": account}
        return CdkCli(env, steps=STEPS)

    def deploy(name: str, account: str) -> None:
        cli = account_cli(account)
        cli.run(f"cdk bootstrap (account {name})", "bootstrap", f"aws://{account}/{REGION}",
                cwd=tmp_path_factory.mktemp(f"bootstrap-{name}"))
        cli.run(f"cdk deploy {STACK}-{name} (its account)", "deploy", f"{STACK}-{name}", "--app", str(out),
                "--require-approval", "never")

    in_parallel({name: (lambda n=name, a=account: deploy(n, a)) for name, account in ENVIRONMENTS.items()})
    return config


def test_each_account_holds_its_own_environment_only(deployed: Path, emulator: Emulator,
                                                      botocore_data_path: Path) -> None:
    config = load_config(deployed)
    for name, account in ENVIRONMENTS.items():
        assert client(emulator, botocore_data_path, account, "sts").get_caller_identity()["Account"] == account
        stacks = {s["StackName"] for s in client(emulator, botocore_data_path, account,
                                                  "cloudformation").describe_stacks()["Stacks"]}
        others = {f"{STACK}-{other}" for other in ENVIRONMENTS if other != name}
        assert f"{STACK}-{name}" in stacks and not stacks & others, (account, stacks)
        cloudwatch = client(emulator, botocore_data_path, account, "cloudwatch")
        alarms: set[str] = set()
        for page in cloudwatch.get_paginator("describe_alarms").paginate(AlarmTypes=["MetricAlarm", "CompositeAlarm"]):
            alarms.update(a["AlarmName"] for a in page.get("MetricAlarms", []) + page.get("CompositeAlarms", []))
        want = set(expected(config.for_environment(name)).alarm_names)
        assert want and want <= alarms, (name, sorted(want - alarms))
        assert not any(f"e2e-{other}" in alarm for alarm in alarms for other in ENVIRONMENTS if other != name)


def test_the_other_accounts_stack_is_not_reachable_with_one_accounts_key(deployed: Path, emulator: Emulator,
                                                                          botocore_data_path: Path) -> None:
    alpha = client(emulator, botocore_data_path, ENVIRONMENTS["alpha"], "cloudformation")
    with pytest.raises(Exception) as caught:
        alpha.describe_stacks(StackName=f"{STACK}-beta")
    assert "does not exist" in str(caught.value)

