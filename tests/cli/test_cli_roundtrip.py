"""discover -> YAML -> load_config -> MonitoringStack synth; and verify expects exactly what synth makes.

One jsii synthesis for the module.
"""

from __future__ import annotations

import pytest

from support.synth import cfn_lint, new_app, template_of

from support.sagemaker_account import FakeLists, MotoGaps, populate, processing_resources


@pytest.fixture(scope="module")
def discovered(tmp_path_factory):
    import os

    from moto import mock_aws

    from cdk_sagemaker_monitoring.cli.main import main
    import cdk_sagemaker_monitoring.discovery as discovery

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    path = tmp_path_factory.mktemp("discover") / "discovered.yaml"
    original = discovery.make_session
    try:
        with mock_aws():
            import boto3

            session = boto3.Session(region_name="us-east-1")
            FakeLists().install(session)
            session.events.register("after-call.sagemaker.DescribeProcessingJob", processing_resources)
            MotoGaps().install(session)
            populate(session.client("sagemaker"))
            discovery.make_session = lambda profile, region: session
            assert main(["discover", "-o", str(path), "--stack-name", "Discovered"]) == 0
    finally:
        discovery.make_session = original
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return path


@pytest.fixture(scope="module")
def synthesized(discovered):
    from cdk_sagemaker_monitoring import MonitoringStack, load_config

    config = load_config(discovered)
    app = new_app()
    stack = MonitoringStack(app, config=config)
    return config, template_of(stack)


def test_discovered_configuration_synthesizes_lint_clean(synthesized):
    config, template = synthesized
    assert cfn_lint(template) == []
    types = {r["Type"] for r in template["Resources"].values()}
    assert {"AWS::CloudTrail::Trail", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard"} <= types
    names = " ".join(str(r.get("Properties", {}).get("AlarmName", "")) for r in template["Resources"].values())
    for endpoint in config.endpoints:
        assert endpoint.name in names


def test_verify_expects_exactly_the_synthesized_names(synthesized):
    from cdk_sagemaker_monitoring.verification import expected

    config, template = synthesized
    resources = template["Resources"].values()
    alarm_types = ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")
    alarms = {r["Properties"]["AlarmName"] for r in resources if r["Type"] in alarm_types}
    dashboards = {r["Properties"]["DashboardName"] for r in resources if r["Type"] == "AWS::CloudWatch::Dashboard"}
    names = expected(config)
    assert set(names.alarm_names) == alarms and len(names.alarm_names) == len(alarms)
    assert set(names.dashboard_names) == dashboards
