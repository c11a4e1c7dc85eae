"""`verify` against a moto account "deployed" from the plan, then broken one way at a time."""

from __future__ import annotations

import json

import pytest

from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.config.loader import parse_config
from cdk_sagemaker_monitoring.verification import checks, expected, verify
from cdk_sagemaker_monitoring.verification.findings import ERROR, MISSING, OK, PROBLEM, SKIPPED, UNKNOWN, WARNING

CONFIG = """
stack_name: VerifyTest
trail:
  name: experiment-metrics
endpoints:
  - name: churn-predictor
    variants: [AllTraffic, Canary]
  - recommender
training_jobs:
  - name: nightly-train
    instance_count: 2
pipelines:
  - name: training-pipeline
    steps: [Train]
"""
TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms"


@pytest.fixture
def config():
    return parse_config(CONFIG, source="test.yaml")


@pytest.fixture
def config_file(tmp_path):
    path = tmp_path / "monitoring.yaml"
    path.write_text(CONFIG)
    return path


def deploy(session, config, *, trail_selector=True, logging=True, trail_name="experiment-metrics"):
    """What a deployment of ``config`` leaves in the account, written with boto3 into moto."""
    names = expected(config)
    cloudwatch = session.client("cloudwatch")
    for name in names.alarm_names:
        cloudwatch.put_metric_alarm(
            AlarmName=name, Namespace="AWS/SageMaker", MetricName="Invocations", Statistic="Sum", Period=60,
            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold", AlarmActions=[TOPIC],
        )
    for name in names.dashboard_names:
        cloudwatch.put_dashboard(DashboardName=name, DashboardBody=json.dumps({"widgets": []}))
    events = session.client("events")
    queue = f"arn:aws:sqs:us-east-1:123456789012:{names.events.queue_name}"
    for rule in names.events.rules:
        events.put_rule(Name=rule.name, EventPattern=rule.pattern_json, State="ENABLED")
        events.put_targets(Rule=rule.name, Targets=[{"Id": "Notify1", "Arn": TOPIC,
                                                     "DeadLetterConfig": {"Arn": queue}}])
    s3 = session.client("s3")
    s3.create_bucket(Bucket="trail-bucket")
    cloudtrail = session.client("cloudtrail")
    cloudtrail.create_trail(Name=trail_name, S3BucketName="trail-bucket", IsMultiRegionTrail=True)
    if trail_selector:
        cloudtrail.put_event_selectors(
            TrailName=trail_name,
            AdvancedEventSelectors=[{
                "Name": "SageMaker Experiments metrics",
                "FieldSelectors": [
                    {"Field": "eventCategory", "Equals": ["Data"]},
                    {"Field": "resources.type", "Equals": ["AWS::SageMaker::ExperimentTrialComponent"]},
                ],
            }],
        )
    if logging:
        cloudtrail.start_logging(Name=trail_name)
    for endpoint, variant in (("churn-predictor", "AllTraffic"), ("churn-predictor", "Canary"), ("recommender", "AllTraffic")):
        cloudwatch.put_metric_data(Namespace="AWS/SageMaker", MetricData=[{
            "MetricName": "Invocations", "Value": 1,
            "Dimensions": [{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": variant}],
        }])
    return names


@pytest.fixture
def session(monkeypatch):
    from moto import mock_aws

    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        import boto3

        yield boto3.Session(region_name="us-east-1")


def statuses(report, check):
    return {f.subject: f.status for f in report.findings if f.check == check}


def test_clean_deployment_passes_and_lists_every_alarm(session, config, config_file, capsys):
    names = deploy(session, config)
    assert len(names.alarm_names) > 10 and len(names.dashboard_names) >= 2
    code = main(["verify", "--config", str(config_file)])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    for name in names.alarm_names + names.dashboard_names:
        assert any(name in line and line.startswith("OK") for line in out.splitlines()), name
    assert "verify passed" in out


def test_a_deleted_alarm_is_missing_and_fails(session, config, config_file, capsys):
    names = deploy(session, config)
    victim = names.alarm_names[3]
    session.client("cloudwatch").delete_alarms(AlarmNames=[victim])
    code = main(["verify", "--config", str(config_file)])
    out, _ = capsys.readouterr()
    assert code == 2
    assert any(victim in line and "MISSING" in line for line in out.splitlines())
    assert "verify FAILED" in out


def test_alarm_without_actions_is_a_problem(session, config):
    names = deploy(session, config)
    cloudwatch = session.client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=names.alarm_names[0], Namespace="AWS/SageMaker", MetricName="Invocations", Statistic="Sum",
        Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold",
    )
    report = verify(config, boto_session=session)
    assert statuses(report, "alarm")[names.alarm_names[0]] == PROBLEM and report.failed


def test_missing_dashboard(session, config):
    names = deploy(session, config)
    session.client("cloudwatch").delete_dashboards(DashboardNames=[names.dashboard_names[-1]])
    report = verify(config, boto_session=session)
    assert statuses(report, "dashboard") == {**{n: OK for n in names.dashboard_names[:-1]}, names.dashboard_names[-1]: MISSING}


@pytest.mark.parametrize(
    "broken, check, status",
    [({"logging": False}, "trail-logging", PROBLEM), ({"trail_selector": False}, "trail-selector", MISSING),
     ({"trail_name": "someone-elses-trail"}, "trail", MISSING)],
)
def test_trail_checks(session, config, broken, check, status):
    deploy(session, config, **broken)
    report = verify(config, boto_session=session)
    assert status in statuses(report, check).values() and report.failed


def test_trail_found_by_its_selector_when_no_name_is_configured(session):
    unnamed = parse_config(CONFIG.replace("trail:\n  name: experiment-metrics\n", ""))
    deploy(session, unnamed, trail_name="whatever-it-is-called")
    report = verify(unnamed, boto_session=session)
    assert statuses(report, "trail") == {"whatever-it-is-called": OK}


def test_silent_resources_are_warnings_and_strict_fails(session, config, config_file, capsys):
    deploy(session, config)
    report = verify(config, boto_session=session)
    metrics = statuses(report, "metrics")
    assert metrics["endpoint recommender"] == WARNING  # instance metrics missing for it
    assert metrics["training_job nightly-train"] == WARNING and "no metrics in the last two weeks" in next(
        f.detail for f in report.findings if f.subject == "training_job nightly-train")
    assert not report.failed
    assert main(["verify", "--config", str(config_file), "--strict"]) == 2
    capsys.readouterr()


def test_a_typo_in_an_endpoint_name_shows_as_no_metrics(session, config):
    deploy(session, config)
    typo = parse_config(CONFIG.replace("- recommender", "- recomender"))
    report = verify(typo, boto_session=session, skip=["alarms", "dashboards", "trail"])
    detail = next(f for f in report.findings if f.subject == "endpoint recomender")
    assert detail.status == WARNING and "no metrics in the last two weeks" in detail.detail
    assert "no metrics in the last two weeks" not in next(
        f.detail for f in report.findings if f.subject == "endpoint churn-predictor")


def test_skip_reports_skipped_checks(session, config, config_file, capsys):
    deploy(session, config)
    code = main(["verify", "--config", str(config_file), "--skip", "dashboards,trail"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert [line.split()[0] for line in out.splitlines() if " dashboard " in f" {line} " or " trail " in f" {line} "] == [
        "SKIPPED", "SKIPPED"]


def test_unknown_skip_is_one_line_error(config_file, capsys):
    code = main(["verify", "--config", str(config_file), "--skip", "alarmz"])
    _, err = capsys.readouterr()
    assert code == 1 and "alarmz" in err and err.count("\n") == 1


def test_emulator_placeholders_are_unknown_not_ok(session, config):
    placeholders = [
        {"ResourceType": "AWS::CloudWatch::Dashboard", "PhysicalResourceId": "unknown"},
        {"ResourceType": "AWS::CloudTrail::Trail", "PhysicalResourceId": "unknown"},
    ]
    unnamed = parse_config(CONFIG.replace("trail:\n  name: experiment-metrics\n", ""))
    cloudwatch, cloudtrail = session.client("cloudwatch"), session.client("cloudtrail")
    dashboards = checks.check_dashboards(cloudwatch, expected(unnamed).dashboard_names, placeholders)
    assert {f.status for f in dashboards} == {UNKNOWN}
    assert [f.status for f in checks.check_trail(cloudtrail, unnamed, placeholders)] == [UNKNOWN]
    assert [f.status for f in checks.check_trail(cloudtrail, config, placeholders)] == [UNKNOWN]  # named, too
    assert [f.status for f in checks.check_trail(cloudtrail, config, [])] == [MISSING]  # no trail, no placeholder
    # without placeholders the same absence is missing
    assert {f.status for f in checks.check_dashboards(cloudwatch, expected(unnamed).dashboard_names, [])} == {MISSING}


def test_describe_alarms_is_batched_by_100(session):
    many = parse_config("stack_name: Many\nendpoints:\n" + "".join(f"  - endpoint-{i:03d}\n" for i in range(26)))
    names = expected(many).alarm_names
    assert len(names) > 200
    cloudwatch = session.client("cloudwatch")
    sizes: list = []
    cloudwatch.meta.events.register("before-parameter-build.cloudwatch.DescribeAlarms",
                                    lambda params, **_: sizes.append(len(params["AlarmNames"])))
    findings = checks.check_alarms(cloudwatch, names)
    assert max(sizes) == 100 and sum(sizes) == len(names)
    assert {f.status for f in findings} == {MISSING} and len(findings) == len(names)


def test_no_configuration_is_one_line_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    code = main(["verify"])
    _, err = capsys.readouterr()
    assert code == 1 and "--config" in err and err.count("\n") == 1


def test_bad_configuration_is_reported_not_a_traceback(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("endpoints:\n  - name: not a valid name!\n")
    code = main(["verify", "--config", str(bad)])
    _, err = capsys.readouterr()
    assert code == 1 and "bad.yaml" in err and "Traceback" not in err


def _raising(error):
    def handler(**_):
        raise error

    return handler


def _client_error(code, operation, status=400):
    from botocore.exceptions import ClientError

    return ClientError({"Error": {"Code": code, "Message": f"{code} here"},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, operation)


def test_a_denied_check_is_an_error_finding_and_the_others_still_run(session, config, config_file, monkeypatch, capsys):
    names = deploy(session, config)
    session.events.register_first("before-call.cloudwatch.ListDashboards",
                                  _raising(_client_error("AccessDenied", "ListDashboards", 403)))
    monkeypatch.setattr("cdk_sagemaker_monitoring.verification.make_session", lambda profile, region: session)
    code = main(["verify", "--config", str(config_file)])
    out, _ = capsys.readouterr()
    assert code == 2 and "verify FAILED" in out
    lines = out.splitlines()
    errors = [line for line in lines if line.startswith("ERROR")]
    assert len(errors) == 1 and "dashboard" in errors[0]
    assert "cloudwatch:ListDashboards" in errors[0] and "denied" in errors[0]
    for name in names.alarm_names:  # the alarms were still checked, one by one
        assert any(name in line and line.startswith("OK") for line in lines), name
    assert any(line.startswith("OK") and "trail" in line for line in lines)
    assert "1 error" in lines[-1]


def test_one_failing_alarm_batch_leaves_the_other_batches_checked(session):
    many = parse_config("stack_name: Many\nendpoints:\n" + "".join(f"  - endpoint-{i:03d}\n" for i in range(26)))
    names = expected(many).alarm_names
    cloudwatch = session.client("cloudwatch")
    for name in names:
        cloudwatch.put_metric_alarm(
            AlarmName=name, Namespace="AWS/SageMaker", MetricName="Invocations", Statistic="Sum", Period=60,
            EvaluationPeriods=1, Threshold=1, ComparisonOperator="GreaterThanThreshold", AlarmActions=[TOPIC],
        )
    calls: list = []

    def second_batch_throttled(params, **_):
        calls.append(params["AlarmNames"][0])
        if len(calls) == 2:
            raise _client_error("Throttling", "DescribeAlarms")

    cloudwatch.meta.events.register("before-parameter-build.cloudwatch.DescribeAlarms", second_batch_throttled)
    findings = checks.check_alarms(cloudwatch, names)
    errors = [f for f in findings if f.status == ERROR]
    assert len(errors) == 1 and errors[0].subject == f"{names[100]} .. {names[199]}"
    assert "cloudwatch:DescribeAlarms" in errors[0].detail and "throttled" in errors[0].detail
    assert [f.subject for f in findings if f.status == OK] == [*names[:100], *names[200:]]


def test_a_failing_metrics_probe_is_an_error_for_that_resource_only(session, config):
    deploy(session, config)

    def fail_for_training_hosts(params, **_):
        if any(d.get("Name") == "Host" for d in params.get("Dimensions", ())):
            raise _client_error("InternalFailure", "ListMetrics", 500)

    session.events.register_first("before-parameter-build.cloudwatch.ListMetrics", fail_for_training_hosts)
    report = verify(config, boto_session=session, skip=["alarms", "dashboards", "trail"])
    metrics = statuses(report, "metrics")
    assert metrics["training_job nightly-train"] == ERROR
    assert metrics["endpoint churn-predictor"] in (OK, WARNING) and metrics["pipeline training-pipeline"] == WARNING
    detail = next(f.detail for f in report.findings if f.subject == "training_job nightly-train")
    assert detail.startswith("cloudwatch:ListMetrics on namespace /aws/sagemaker/TrainingJobs failed: InternalFailure")
    assert report.failed


def test_a_failing_stack_lookup_and_trail_are_findings(session, config):
    deploy(session, config)
    session.events.register_first("before-call.cloudformation.DescribeStackResources",
                                  _raising(_client_error("InternalFailure", "DescribeStackResources", 500)))
    session.events.register_first("before-call.cloudtrail.GetTrailStatus",
                                  _raising(_client_error("UnknownOperationException", "GetTrailStatus")))
    report = verify(config, boto_session=session)
    errors = {f.check: f.detail for f in report.findings if f.status == ERROR}
    assert set(errors) == {"stack", "trail"}
    assert "cloudformation:DescribeStackResources" in errors["stack"]
    assert "cloudtrail:GetTrailStatus" in errors["trail"] and "UnknownOperationException" in errors["trail"]
    assert {f.status for f in report.findings if f.check == "alarm"} == {OK}


def test_rejected_credentials_end_verify_with_one_line(session, config_file, monkeypatch, capsys):
    session.events.register_first("before-call.cloudformation.DescribeStackResources",
                                  _raising(_client_error("ExpiredToken", "DescribeStackResources", 403)))
    monkeypatch.setattr("cdk_sagemaker_monitoring.verification.make_session", lambda profile, region: session)
    code = main(["verify", "--config", str(config_file)])
    out, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1 and "credentials" in err and out == ""


# ------------------------------------------------------------------ does each alarm watch something?


def test_every_alarm_is_checked_against_list_metrics(session, config):
    names = deploy(session, config)
    cloudwatch = session.client("cloudwatch")
    cloudwatch.put_metric_data(Namespace="AWS/SageMaker", MetricData=[{
        "MetricName": "ModelLatency", "Value": 1000,
        "Dimensions": [{"Name": "EndpointName", "Value": "churn-predictor"}, {"Name": "VariantName", "Value": v}],
    } for v in ("AllTraffic", "Canary")] + [{
        "MetricName": "ModelLatency", "Value": 1000,  # a different dimension set: does not count
        "Dimensions": [{"Name": "EndpointName", "Value": "recommender"}],
    }])
    report = verify(config, boto_session=session, skip=["trail", "alarms", "dashboards", "metrics"])
    watched = statuses(report, "alarm-metrics")
    # every metric alarm; not the failure events' (AWS/Events lists a rule's metrics only once it matched)
    assert set(watched) == {n for n in names.alarm_names
                            if not n.endswith("/Composite") and n not in names.events.alarm_names}
    assert watched["SageMaker/Endpoint/churn-predictor/ModelLatency/Warning"] == OK
    assert watched["SageMaker/Endpoint/recommender/ModelLatency/Warning"] == WARNING
    subject = "SageMaker/Endpoint/recommender/ModelLatency/Warning"
    detail = next(f.detail for f in report.findings if f.subject == subject)
    assert "watches nothing" in detail and "EndpointName=recommender, VariantName=AllTraffic" in detail
    assert not report.failed  # warnings: a resource that has not run has no metrics yet


SIGNALS = """\
stack_name: Signals
endpoints:
  - name: llm
    enhanced_metrics: true
    inference_components: [{name: chat, scale_to_zero: true}]
  - {name: mce, containers: [tabular, text]}
training_jobs:
  - {name: job, metrics: [{name: "train:loss", threshold: 5, silent_minutes: 30}]}
hyperpod_clusters: [pretrain]
monitoring_schedules:
  - {name: mq, endpoint: llm, type: model_quality, metrics: [{name: auc, threshold: 0.8}]}
"""


def test_the_new_signals_alarms_are_checked_against_list_metrics(session):
    cloudwatch = session.client("cloudwatch")

    def put(namespace, metric, **dimensions):
        cloudwatch.put_metric_data(Namespace=namespace, MetricData=[{
            "MetricName": metric, "Value": 1, "Dimensions": [{"Name": k, "Value": v} for k, v in dimensions.items()]}])

    for container in ("tabular", "text"):
        put("AWS/SageMaker", "ContainerLatency", EndpointName="mce", VariantName="AllTraffic", ContainerName=container)
    put("AWS/SageMaker", "NoCapacityInvocationFailures", InferenceComponentName="chat")
    put("/aws/sagemaker/TrainingJobs", "train:loss", TrainingJobName="job")
    put("/aws/sagemaker/TrainingJobs", "CPUUtilization", Host="job/algo-1")
    put("ContainerInsights", "hyperpod_node_health_status_unschedulable_pending_reboot", ClusterName="pretrain")
    put("aws/sagemaker/Endpoints/model-metrics", "auc", Endpoint="llm", MonitoringSchedule="mq")  # the SDK's spelling
    put("/aws/sagemaker/Endpoints", "MemoryUtilization", EndpointName="llm", VariantName="AllTraffic", InstanceId="i-1")
    config = parse_config(SIGNALS, source="signals.yaml")
    report = verify(config, boto_session=session, skip=["trail", "alarms", "dashboards", "metrics"])
    watched = statuses(report, "alarm-metrics")
    for name in ("SageMaker/Endpoint/mce/ContainerLatency/Warning",
                 "SageMaker/InferenceComponent/chat/NoCapacityInvocationFailures/Warning",
                 "SageMaker/TrainingJob/job/train:loss/Warning", "SageMaker/TrainingJob/job/train:loss/Silent/Warning",
                 "SageMaker/HyperPodCluster/pretrain/hyperpod_node_health_status_unschedulable_pending_reboot/Warning",
                 "SageMaker/MonitoringSchedule/mq/auc/Warning",
                 "SageMaker/Endpoint/_fleet/MemoryUtilization/WorstInstance/Warning"):
        assert watched[name] == OK, name
    assert watched["SageMaker/Endpoint/_fleet/DiskUtilization/WorstInstance/Critical"] == WARNING  # none listed
    assert watched["SageMaker/HyperPodCluster/pretrain/hyperpod_node_health_status_unschedulable_pending_replacement/"
                   "Critical"] == WARNING


def test_alarms_on_weak_evidence_say_so(session):
    weak = parse_config("stack_name: W\nlabeling_jobs: [images]\nfeature_groups: [customers]\n", source="w.yaml")
    report = verify(weak, boto_session=session, skip=["trail", "alarms", "dashboards", "metrics"])
    findings = {f.subject: f for f in report.findings if f.check == "alarm-metrics"}
    account = findings["SageMaker/LabelingJob/_account/JobsFailed/Critical"]
    assert account.status == WARNING and "no dimension" in account.detail and "third-party" in account.detail
    assert all("third-party" in f.detail for name, f in findings.items() if "/FeatureGroup/" in name)


def test_a_failing_list_metrics_is_a_finding_and_the_rest_is_checked(session, config):
    deploy(session, config)
    calls = {"n": 0}

    def fail_training(params, **_):
        if params.get("Namespace") == "/aws/sagemaker/TrainingJobs":
            from botocore.exceptions import ClientError

            calls["n"] += 1
            raise ClientError({"Error": {"Code": "InternalFailure", "Message": "boom"}}, "ListMetrics")

    session.events.register("before-parameter-build.cloudwatch.ListMetrics", fail_training)
    report = verify(config, boto_session=session, skip=["trail", "alarms", "dashboards", "metrics"])
    watched = statuses(report, "alarm-metrics")
    assert {s for n, s in watched.items() if "/TrainingJob/" in n} == {PROBLEM}
    assert {s for n, s in watched.items() if "/Endpoint/" in n} <= {OK, WARNING}
    assert calls["n"] >= 1 and report.failed


def test_failure_rules_exist_are_enabled_and_have_dead_letters(session, config):
    names = deploy(session, config)
    events = session.client("events")
    first, second, third = names.rule_names[:3]
    events.disable_rule(Name=first)
    events.remove_targets(Rule=second, Ids=["Notify1"])
    events.put_targets(Rule=second, Targets=[{"Id": "Notify1", "Arn": TOPIC}])
    events.remove_targets(Rule=third, Ids=["Notify1"])
    events.delete_rule(Name=third)
    found = statuses(verify(config, boto_session=session), "event-rule")
    assert found[first] == PROBLEM and found[second] == WARNING and found[third] == MISSING
    assert {found[n] for n in names.rule_names[3:]} == {OK}
    assert set(names.events.alarm_names) <= set(names.alarm_names)
    assert names.events.dashboard_name in names.dashboard_names
    skipped = statuses(verify(config, boto_session=session, skip=["events"]), "event-rule")
    assert list(skipped.values()) == [SKIPPED]
