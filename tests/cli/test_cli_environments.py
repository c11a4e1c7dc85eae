"""`discover --environment` appends to a file's environments; `verify` checks one environment or every reachable one."""

from __future__ import annotations

import json

import pytest
import yaml
from test_cli_discover import account  # noqa: F401 - the moto account with SageMaker resources (a fixture)
from test_cli_verify import session  # noqa: F401 - a bare moto session (a fixture)

from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.config.loader import load_config
from cdk_sagemaker_monitoring.verification import expected

MOTO_ACCOUNT = "123456789012"
STAGING = {"name": "staging", "account": "333333333333", "region": "eu-west-1", "endpoints": ["churn-staging"]}


def test_discover_appends_an_environment_and_keeps_the_others(account, tmp_path, capsys):  # noqa: F811
    target = tmp_path / "org.yaml"
    target.write_text(yaml.safe_dump({"stack_name": "Org", "alarm_name_prefix": "Org", "environments": [STAGING]}))
    assert main(["discover", "--environment", "prod", "-o", str(target)]) == 0
    capsys.readouterr()
    config = load_config(target)
    assert config.stack_name == "Org" and config.alarm_name_prefix == "Org"
    assert [e.name for e in config.environments] == ["staging", "prod"]
    assert config.environments[0].model_dump(exclude_unset=True) == \
        load_config_entry(STAGING).model_dump(exclude_unset=True)
    prod = config.environment("prod")
    assert (prod.account, prod.region) == (MOTO_ACCOUNT, "us-east-1")
    assert {"cpu-two-variants", "mme-gpu"} <= {e.name for e in prod.endpoints}
    # discovering again replaces the entry instead of adding a second one
    assert main(["discover", "--environment", "prod", "-o", str(target)]) == 0
    assert [e.name for e in load_config(target).environments] == ["staging", "prod"]


def test_discover_environment_into_a_new_file(account, tmp_path, capsys):  # noqa: F811
    target = tmp_path / "new.yaml"
    assert main(["discover", "--environment", "prod", "--stack-name", "Fleet", "-o", str(target)]) == 0
    config = load_config(target)
    assert config.stack_name == "Fleet" and [e.name for e in config.environments] == ["prod"]
    assert target.read_text().startswith("# Discovered by `sagemaker-monitoring discover`")


def test_discover_environment_refuses_a_single_stack_file(account, tmp_path, capsys):  # noqa: F811
    target = tmp_path / "single.yaml"
    before = "stack_name: One\nendpoints: [churn]\n"
    target.write_text(before)
    assert main(["discover", "--environment", "prod", "-o", str(target)]) == 1
    _, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and "endpoints" in err and "environments" in err
    assert target.read_text() == before


def load_config_entry(entry: dict):
    from cdk_sagemaker_monitoring.config.environments import EnvironmentConfig

    return EnvironmentConfig.model_validate(entry)


# ------------------------------------------------------------------ verify


@pytest.fixture
def org_file(tmp_path):
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump({
        "stack_name": "Org",
        "environments": [{"name": "prod", "account": MOTO_ACCOUNT, "region": "us-east-1",
                          "endpoints": ["churn"]}, STAGING],
    }))
    return path


def deploy_environment(session, config, name: str) -> list[str]:  # noqa: F811
    names = expected(config.for_environment(name))
    env = config.environment(name)
    cloudwatch = session.client("cloudwatch", region_name=env.region)
    for alarm in names.alarm_names:
        cloudwatch.put_metric_alarm(AlarmName=alarm, Namespace="AWS/SageMaker", MetricName="Invocations",
                                    Statistic="Sum", Period=60, EvaluationPeriods=1, Threshold=1,
                                    ComparisonOperator="GreaterThanThreshold",
                                    AlarmActions=[f"arn:aws:sns:{env.region}:{env.account}:alarms"])
    for dashboard in names.dashboard_names:
        cloudwatch.put_dashboard(DashboardName=dashboard, DashboardBody=json.dumps({"widgets": []}))
    events = session.client("events", region_name=env.region)
    queue = f"arn:aws:sqs:{env.region}:{env.account}:{names.events.queue_name}"
    for rule in names.events.rules:  # the failure events, on by default
        events.put_rule(Name=rule.name, EventPattern=rule.pattern_json, State="ENABLED")
        events.put_targets(Rule=rule.name, Targets=[{"Id": "Notify1", "Arn": f"arn:aws:sns:{env.region}:{env.account}:"
                                                     "alarms", "DeadLetterConfig": {"Arn": queue}}])
    return list(names.alarm_names)


def test_verify_checks_every_environment_the_credentials_reach(session, org_file, capsys):  # noqa: F811
    alarms = deploy_environment(session, load_config(org_file), "prod")
    code = main(["verify", "--config", str(org_file), "--skip", "trail,metrics"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert f"== environment prod (account {MOTO_ACCOUNT}, us-east-1)" in out and "staging" not in out
    assert all(any(a in line and line.startswith("OK") for line in out.splitlines()) for a in alarms)


def test_verify_one_named_environment(session, org_file, capsys):  # noqa: F811
    deploy_environment(session, load_config(org_file), "prod")
    code = main(["verify", "--config", str(org_file), "--skip", "trail,metrics", "--environment", "staging"])
    out, _ = capsys.readouterr()
    assert code == 2
    assert "== environment staging (account 333333333333, eu-west-1)" in out and "== environment prod" not in out
    assert "verify FAILED" in out and "MISSING" in out


def test_verify_refuses_an_unknown_environment_in_one_line(session, org_file, capsys):  # noqa: F811
    assert main(["verify", "--config", str(org_file), "--environment", "nope"]) == 1
    _, err = capsys.readouterr()
    assert err.strip().splitlines() == [f"error: {org_file} has no environment 'nope' (environments: prod, staging)"]
