"""`discover`: SageMaker resources (moto, plus explicit fakes where moto has no API) to a configuration."""

from __future__ import annotations

import json

import pytest
import yaml

from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.config.loader import load_config, parse_config
from cdk_sagemaker_monitoring.discovery import SECTIONS, discover, gpus
from cdk_sagemaker_monitoring.discovery.sagemaker import step_names
from support.sagemaker_account import PIPELINE, FakeLists, MotoGaps, populate, processing_resources

@pytest.fixture
def account(monkeypatch):
    from moto import mock_aws

    for name, value in (("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"),
                        ("AWS_DEFAULT_REGION", "us-east-1")):
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        import boto3

        session = boto3.Session(region_name="us-east-1")
        fakes = FakeLists()
        fakes.install(session)
        session.events.register("after-call.sagemaker.DescribeProcessingJob", processing_resources)
        MotoGaps().install(session)
        populate(session.client("sagemaker"))
        # the command makes its session from the environment: hand it this one, with the fakes
        monkeypatch.setattr("cdk_sagemaker_monitoring.discovery.make_session", lambda profile, region: session)
        yield session, fakes


def by_name(entries):
    return {e["name"]: e for e in entries}


def test_discover_lists_every_kind(account):
    session, fakes = account
    found = discover(boto_session=session, since_days=7)
    doc = found.document
    endpoints = by_name(doc["endpoints"])
    assert endpoints["cpu-two-variants"] == {
        "name": "cpu-two-variants", "variants": ["Blue", "Green"], "multi_model": False, "gpu": False,
        "serverless": False, "instance_count": 2,
    }
    assert endpoints["mme-gpu"]["multi_model"] is True and endpoints["mme-gpu"]["gpu"] == 4
    assert endpoints["serverless-ep"]["serverless"] is True and endpoints["serverless-ep"]["gpu"] is False
    assert endpoints["inferentia-ep"]["gpu"] is False
    # DescribeEndpointConfig: AsyncInferenceConfig, ServerlessConfig.ProvisionedConcurrency
    assert endpoints["async-ep"]["asynchronous"] is True and "asynchronous" not in endpoints["cpu-two-variants"]
    assert endpoints["serverless-pc"]["provisioned_concurrency"] is True
    assert "provisioned_concurrency" not in endpoints["serverless-ep"]
    # ListInferenceComponents (every page; failed components and components of async endpoints left out)
    assert endpoints["ic-host"]["inference_components"] == ["chat", "embed"]
    assert "inference_components" not in endpoints["async-ep"]
    assert fakes.pages["ListInferenceComponents"] == 2
    assert doc["training_jobs"] == [{"name": "gpu-training", "instance_count": 2, "gpu": 4,
                                     "metrics": ["train:loss", "validation:auc"]}]  # its MetricDefinitions
    # DescribeEndpointConfig MetricsConfig, DescribeModel InferenceExecutionConfig (Direct) and its containers
    assert endpoints["mce"]["enhanced_metrics"] is True and endpoints["mce"]["metric_publish_frequency"] == 10
    assert endpoints["mce"]["containers"] == ["tabular", "text"]
    assert "enhanced_metrics" not in endpoints["cpu-two-variants"] and "containers" not in endpoints["mme-gpu"]
    assert doc["processing_jobs"] == [{"name": "features", "instance_count": 3, "gpu": False}]
    assert doc["transform_jobs"] == [{"name": "scoring", "instance_count": 1, "gpu": 1}]
    steps = ["Preprocess", "Train", "CheckAccuracy", "RegisterModel", "Stop"]
    assert doc["pipelines"] == [{"name": "training-pipeline", "steps": steps}]
    assert [g["name"] for g in doc["feature_groups"]] == [f"fg_{i}" for i in range(5)]
    assert {j["name"] for j in doc["labeling_jobs"]} == {"old-but-running", "new-and-done"}
    assert doc["workteams"] == [{"name": "labelers"}, {"name": "oidc-team", "workforce": "oidc-force"}, {"name": "reviewers"}]
    assert doc["env"] == {"account": "123456789012", "region": "us-east-1"}
    # ListClusters + DescribeCluster: EKS-orchestrated only (Slurm clusters publish no Container Insights node health)
    assert doc["hyperpod_clusters"] == [{"name": "pretrain"}]
    # ListMonitoringSchedules: real-time endpoints' schedules with their type; batch and failed ones left out
    assert doc["monitoring_schedules"] == [
        {"name": "churn-data-quality", "endpoint": "cpu-two-variants", "type": "data_quality"},
        {"name": "churn-model-quality", "endpoint": "cpu-two-variants", "type": "model_quality"}]
    assert fakes.pages["ListFeatureGroups"] == 3 and fakes.pages["ListWorkteams"] == 2  # every page was read
    assert not found.partial and found.notes == []


def test_yaml_loads_as_is(account, tmp_path, capsys):
    target = tmp_path / "discovered.yaml"
    code = main(["discover", "-o", str(target)])
    _, err = capsys.readouterr()
    assert code == 0, err
    config = load_config(target)
    assert {e.name for e in config.endpoints} == {"cpu-two-variants", "mme-gpu", "serverless-ep", "inferentia-ep",
                                                  "serverless-pc", "ic-host", "async-ep", "mce"}
    hosts = {e.name: e for e in config.endpoints}
    assert [c.name for c in hosts["ic-host"].inference_components] == ["chat", "embed"]
    assert hosts["async-ep"].asynchronous and hosts["serverless-pc"].provisioned_concurrency
    assert hosts["mce"].enhanced_metrics and hosts["mce"].containers == ("tabular", "text")
    assert [m.name for m in config.training_jobs[0].metrics] == ["train:loss", "validation:auc"]
    assert config.pipelines[0].steps == ("Preprocess", "Train", "CheckAccuracy", "RegisterModel", "Stop")
    assert config.env.region == "us-east-1"
    assert "discovered in us-east-1: 8 endpoints" in err
    assert target.read_text().startswith("# Discovered by `sagemaker-monitoring discover`")


def test_since_days_limits_jobs_by_age(account, capsys):
    code = main(["discover", "--since-days", "0"])
    out, _ = capsys.readouterr()
    assert code == 0
    doc = yaml.safe_load(out)
    assert "training_jobs" not in doc and "processing_jobs" not in doc and "transform_jobs" not in doc
    assert [j["name"] for j in doc["labeling_jobs"]] == ["old-but-running"]  # still in progress
    assert len(doc["endpoints"]) == 8


def test_denied_section_is_a_note_and_exit_2(account, capsys):
    session, _ = account

    def deny(**_):
        from botocore.exceptions import ClientError

        raise ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "ListPipelines")

    session.events.register("before-call.sagemaker.ListPipelines", deny)
    found = discover(boto_session=session)
    assert found.partial and found.skipped_sections == ["pipelines"]
    assert "sagemaker:ListPipelines" in found.notes[0] and "denied" in found.notes[0]
    assert "pipelines" not in found.document and found.document["endpoints"]


def _http_500(operation):
    """A before-send handler: SageMaker answers ``operation`` with HTTP 500 every time (each request counted)."""
    from botocore.awsrequest import AWSResponse

    sent = []

    class Raw:
        def stream(self, **_):
            yield b""

    def handler(request, **_):
        sent.append(request.url)
        # moto's own before-send handler runs after this one (every handler runs): point the request where
        # moto serves nothing, so the answer is this 500, as from a real server, through botocore's retries
        request.url = "https://fault-injection.invalid/"
        body = json.dumps({"__type": "InternalFailure", "message": "We encountered an internal error."}).encode()
        response = AWSResponse(request.url, 500, {"Content-Type": "application/x-amz-json-1.1"}, Raw())
        response._content = body
        return response

    return handler, sent


@pytest.fixture
def no_backoff(monkeypatch):
    """Retries without their sleeps (three attempts), so a failing call costs no time in the test."""
    import botocore.endpoint

    monkeypatch.setattr("cdk_sagemaker_monitoring.aws_access.RETRY_ATTEMPTS", 3)
    monkeypatch.setattr(botocore.endpoint.time, "sleep", lambda seconds: None)


def test_http_500_on_one_family_keeps_the_others_and_exits_2(account, no_backoff, tmp_path, capsys):
    session, fakes = account
    handler, sent = _http_500("ListFeatureGroups")
    fakes.uninstall(session, "ListFeatureGroups")
    session.events.register_first("before-send.sagemaker.ListFeatureGroups", handler)  # ahead of moto
    target = tmp_path / "found.yaml"
    code = main(["discover", "-o", str(target)])
    _, err = capsys.readouterr()
    assert code == 2
    assert len(sent) == 3  # retried, then given up
    warnings = [line for line in err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert "skipped feature_groups" in warnings[0] and "sagemaker:ListFeatureGroups" in warnings[0]
    assert "InternalFailure" in warnings[0]
    assert "(partial: feature_groups skipped)" in err
    config = load_config(target)  # everything else is written, and the app accepts it
    assert config.feature_groups == ()
    assert "cpu-two-variants" in {e.name for e in config.endpoints}
    assert len(config.pipelines) == 1 and len(config.workteams) == 3


def _raising(error):
    def handler(**_):
        raise error

    return handler


def _client_error(code, operation, status=400):
    from botocore.exceptions import ClientError

    return ClientError({"Error": {"Code": code, "Message": f"{code} here"},
                        "ResponseMetadata": {"HTTPStatusCode": status}}, operation)


@pytest.mark.parametrize(
    "operation, section, error, words",
    [
        ("ListEndpoints", "endpoints", _client_error("ThrottlingException", "ListEndpoints"),
         ["throttled", "attempts"]),
        ("ListTrainingJobs", "training_jobs", _client_error("UnknownOperationException", "ListTrainingJobs"),
         ["UnknownOperationException"]),
        ("ListPipelines", "pipelines", NotImplementedError("ListPipelines has not been implemented"),
         ["NotImplementedError"]),
        ("ListWorkteams", "workteams", _client_error("AccessDeniedException", "ListWorkteams", 403), ["denied"]),
    ],
    ids=["throttled", "unknown-operation", "unimplemented", "denied"],
)
def test_any_failure_of_a_listing_skips_only_that_section(account, operation, section, error, words):
    session, _ = account
    session.events.register_first(f"before-call.sagemaker.{operation}", _raising(error))
    found = discover(boto_session=session)
    assert found.partial and found.skipped_sections == [section]
    assert len(found.notes) == 1
    assert found.notes[0].startswith(f"skipped {section}: sagemaker:{operation} on region us-east-1")
    assert all(w in found.notes[0] for w in words), found.notes[0]
    assert "\n" not in found.notes[0]
    assert section not in found.document
    assert set(found.document) - {"stack_name", "env"} == set(SECTIONS) - {section}


def test_not_offered_in_the_region_skips_the_section(account):
    from botocore.exceptions import EndpointConnectionError

    session, _ = account
    unreachable = EndpointConnectionError(endpoint_url="https://api.sagemaker.mars-1.amazonaws.com/")
    session.events.register_first("before-call.sagemaker.ListLabelingJobs", _raising(unreachable))
    found = discover(boto_session=session)
    assert found.skipped_sections == ["labeling_jobs"]
    assert "sagemaker:ListLabelingJobs" in found.notes[0] and "cannot reach" in found.notes[0]


def test_a_failing_describe_leaves_out_that_entry_only(account):
    session, _ = account

    def gone(params, **_):
        if params["EndpointName"] == "mme-gpu":
            raise _client_error("ValidationException", "DescribeEndpoint")

    session.events.register_first("before-parameter-build.sagemaker.DescribeEndpoint", gone)
    found = discover(boto_session=session)
    assert found.partial and found.skipped_sections == [] and found.incomplete_sections == ["endpoints"]
    listed = {e["name"] for e in found.document["endpoints"]}
    assert "mme-gpu" not in listed and {"cpu-two-variants", "serverless-ep", "inferentia-ep"} <= listed
    assert found.notes == ["endpoints: left out 'mme-gpu': sagemaker:DescribeEndpoint on 'mme-gpu' failed: "
                           "ValidationException: ValidationException here"]


def test_rejected_credentials_are_one_error_not_a_partial_file(account, tmp_path, capsys):
    session, _ = account
    session.events.register_first("before-call.sagemaker.ListEndpoints",
                                  _raising(_client_error("ExpiredTokenException", "ListEndpoints", 403)))
    target = tmp_path / "found.yaml"
    code = main(["discover", "-o", str(target)])
    _, err = capsys.readouterr()
    assert code == 1 and not target.exists()
    assert err.count("\n") == 1 and "credentials" in err


def test_entries_the_loader_refuses_are_left_out_with_a_note():
    from cdk_sagemaker_monitoring.discovery.document import build_document, validated

    doc = build_document(
        {"pipelines": [{"name": "ok-pipeline", "steps": ["Train"]}, {"name": "bad pipeline name!", "steps": []}]},
        region="us-east-1",
    )
    kept, notes = validated(doc)
    assert kept["pipelines"] == [{"name": "ok-pipeline", "steps": ["Train"]}]
    assert len(notes) == 1 and "bad pipeline name!" in notes[0]
    parse_config(yaml.safe_dump(kept))


@pytest.mark.parametrize(
    "instance_type, expected",
    [
        ("ml.g5.xlarge", 1), ("ml.g5.48xlarge", 8), ("ml.p4d.24xlarge", 8), ("ml.p3.8xlarge", 4),
        ("ml.g6e.12xlarge", 4), ("ml.g99.xlarge", True), ("ml.p6-b200.48xlarge", True),
        ("ml.inf2.xlarge", False), ("ml.trn1.32xlarge", False), ("ml.m5.xlarge", False), ("ml.c7g.large", False),
        (None, False), ("garbage", False),
    ],
)
def test_gpu_table(instance_type, expected):
    assert gpus(instance_type) == expected


def test_step_names_tolerates_odd_definitions():
    assert step_names("not json") == [] and step_names({"Steps": "x"}) == []
    assert step_names(json.dumps(PIPELINE)) == ["Preprocess", "Train", "CheckAccuracy", "RegisterModel", "Stop"]


def test_no_region_is_one_line_error(tmp_path, monkeypatch, capsys):
    for name in ("AWS_DEFAULT_REGION", "AWS_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    code = main(["discover"])
    _, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1 and "--region" in err


def test_inference_components_that_cannot_be_listed_leave_the_endpoints(account, monkeypatch):
    session, _ = account

    def fail(**_):
        from botocore.exceptions import ClientError

        error = {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}
        raise ClientError(error, "ListInferenceComponents")

    session.events.register_first("before-call.sagemaker.ListInferenceComponents", fail)
    found = discover(boto_session=session, since_days=7)
    endpoints = by_name(found.document["endpoints"])
    assert "ic-host" in endpoints and "inference_components" not in endpoints["ic-host"]
    (note,) = [n for n in found.notes if "inference components" in n]
    assert "ListInferenceComponents" in note and "ThrottlingException" in note
    assert found.partial
