"""Deploy the bundled app with the metrics stream into LocalStack and check what the emulator can show.

One stack of its own (``StreamE2E``: the trail and the stream, no monitored resources), deployed with
the real CDK CLI, then:

1. the rule, function, dead-letter queue, log group and Metrics Insights alarms exist as planned;
2. the deployed function's code is the package's handler, byte for byte; run as Lambda imports it
   (module ``handler`` of the downloaded zip), it turns a ``BatchPutMetrics`` event into exactly the
   points the event carries;
3. the emulator's EventBridge matches the deployed pattern against real-shaped events
   (``TestEventPattern``): a listed metric of a listed run prefix matches, other events do not;
4. ``cdk destroy`` removes the stream.

What LocalStack 4.4.0 cannot do here (see the README): run a Lambda function without Docker (the
function is created, not invoked), turn EMF log lines into metrics, or evaluate Metrics Insights
alarms; it has no ``python3.14`` runtime, so this configuration picks ``python3.13``.
"""

from __future__ import annotations

import importlib.util
import io
import json
import urllib.request
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk_sagemaker_monitoring.live import handler as live

from support.emf import EmfPoint, parse_emf
from .aws_clients import Aws
from .cdk_cli import CdkCli
from .stack_state import Deployment, read_deployment

pytestmark = pytest.mark.e2e

STACK = "StreamE2E"
NAMES = ["validation:loss", "train:loss"]
PREFIX = "e2e-run-"
CONFIG = {
    "stack_name": STACK,
    "stream": {"enabled": True, "python_runtime": "python3.13", "metric_names": NAMES,
               "trial_component_prefixes": [PREFIX], "alarms": {"validation:loss": {"threshold": 2.5}}},
}


def record(run: str, data: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "eventVersion": "1.09", "eventTime": "2024-05-01T12:00:00Z", "eventSource": "metrics-sagemaker.amazonaws.com",
        "eventName": "BatchPutMetrics", "awsRegion": "us-east-1", "eventCategory": "Data",
        "requestParameters": {"trialComponentName": run, "metricData": data},
        "resources": [{"accountId": "000000000000", "type": "AWS::SageMaker::ExperimentTrialComponent",
                       "ARN": f"arn:aws:sagemaker:us-east-1:000000000000:experiment-trial-component/{run}"}],
    }


def event(detail: dict[str, Any], source: str = "aws.metrics-sagemaker") -> dict[str, Any]:
    return {"version": "0", "id": "11111111-2222-3333-4444-555555555555", "detail-type": "AWS API Call via CloudTrail",
            "source": source, "account": "000000000000", "time": "2024-05-01T12:00:00Z", "region": "us-east-1",
            "resources": [], "detail": detail}


DATA = [{"metricName": "validation:loss", "timestamp": 1714564800000 + i, "step": i, "value": 3.0 - i / 10}
        for i in range(8)] + [{"metricName": "train:loss", "timestamp": 1714564800100, "step": 1, "value": None},
                              {"metricName": "other", "timestamp": 1714564800200, "step": 1, "value": 1.0}]


@pytest.fixture(scope="module")
def deployed(bootstrapped: None, cdk: CdkCli, aws: Aws, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    workdir = tmp_path_factory.mktemp("e2e-stream")
    config = workdir / "stream.yaml"
    config.write_text(yaml.safe_dump(CONFIG, sort_keys=False))
    out = workdir / "cdk.out"
    cdk.run("cdk deploy (stream)", "deploy", STACK, "--require-approval", "never", "-c", f"config={config}",
            "--output", str(out))
    deployment = read_deployment(aws.client("cloudformation"), out, STACK)
    yield deployment
    cdk.run("cdk destroy (stream)", "destroy", STACK, "--app", str(out), "--force")


def physical(deployment: Deployment, path: str) -> str:
    value = deployment.physical_ids[deployment.by_path(path)]
    assert value, f"{path} has no physical id"
    return value


def test_the_stream_resources_exist_as_planned(deployed: Deployment, aws: Aws) -> None:
    function_name = physical(deployed, "Stream/Function/Resource")
    config = aws.client("lambda").get_function(FunctionName=function_name)["Configuration"]
    assert (config["Runtime"], config["Handler"]) == ("python3.13", "handler.handler")
    assert config["Environment"]["Variables"] == {live.NAMESPACE_ENV: "SageMaker/Experiments",
                                                  live.METRIC_NAMES_ENV: json.dumps(NAMES),
                                                  live.PREFIXES_ENV: json.dumps([PREFIX])}
    queue_url = physical(deployed, "Stream/DeadLetterQueue/Resource")
    attributes = aws.client("sqs").get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
    assert config["DeadLetterConfig"]["TargetArn"] == attributes["QueueArn"]
    assert attributes.get("SqsManagedSseEnabled") == "true"
    rule_name = physical(deployed, "Stream/Rule/Resource").split("|")[-1]
    events_client = aws.client("events")
    rule = events_client.describe_rule(Name=rule_name)
    assert json.loads(rule["EventPattern"]) == deployed.resources[deployed.by_path("Stream/Rule/Resource")][
        "Properties"]["EventPattern"]
    (target,) = events_client.list_targets_by_rule(Rule=rule_name)["Targets"]
    assert target["Arn"] == config["FunctionArn"] and target["DeadLetterConfig"]["Arn"] == attributes["QueueArn"]
    groups = aws.client("logs").describe_log_groups(logGroupNamePrefix=physical(deployed, "Stream/LogGroup/Resource"))
    # 4.4.0's log group provider stores no RetentionInDays (the template's 30 is checked by the synthesis tests)
    assert [g["logGroupName"] for g in groups["logGroups"]] == [physical(deployed, "Stream/LogGroup/Resource")]
    alarms = aws.client("cloudwatch").describe_alarms(AlarmNamePrefix="SageMaker/ExperimentRuns/")["MetricAlarms"]
    assert sorted(a["AlarmName"] for a in alarms) == ["SageMaker/ExperimentRuns/NonFiniteValues",
                                                      "SageMaker/ExperimentRuns/validation:loss"]
    for alarm in alarms:
        (query,) = alarm["Metrics"]
        expression = query["Expression"]
        assert expression.startswith("SELECT MAX(") and 'GROUP BY "TrialComponentName"' in expression


def deployed_handler(deployed: Deployment, aws: Aws, tmp_path: Path) -> Any:
    function_name = physical(deployed, "Stream/Function/Resource")
    location = aws.client("lambda").get_function(FunctionName=function_name)["Code"]["Location"]
    with urllib.request.urlopen(location, timeout=30) as response:  # noqa: S310 - the local emulator's URL
        archive = zipfile.ZipFile(io.BytesIO(response.read()))
    assert sorted(archive.namelist()) == ["__init__.py", "handler.py"]
    assert archive.read("handler.py") == Path(live.__file__).read_bytes()
    archive.extractall(tmp_path)
    spec = importlib.util.spec_from_file_location("handler", tmp_path / "handler.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_the_deployed_code_turns_an_event_into_exactly_its_points(deployed: Deployment, aws: Aws,
                                                                   tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    module = deployed_handler(deployed, aws, tmp_path)
    function_name = physical(deployed, "Stream/Function/Resource")
    configuration = aws.client("lambda").get_function(FunctionName=function_name)["Configuration"]
    variables = configuration["Environment"]["Variables"]
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    out: list[str] = []
    summary = module.handler(event(record(f"{PREFIX}7", DATA)), None, write=out.append)
    points, _ = parse_emf("".join(out))
    run = (("TrialComponentName", f"{PREFIX}7"),)
    assert points == [EmfPoint("SageMaker/Experiments", run, "validation:loss", 3.0 - i / 10, 1714564800000 + i)
                      for i in range(8)] + [EmfPoint("SageMaker/Experiments", run, "NonFiniteValues", 1.0,
                                                     1714564800100, "Count")]
    assert summary["filtered"] == 1  # "other" is not among the stream's metric names


def test_the_emulators_eventbridge_matches_the_deployed_pattern(deployed: Deployment, aws: Aws) -> None:
    pattern = json.dumps(deployed.resources[deployed.by_path("Stream/Rule/Resource")]["Properties"]["EventPattern"])
    events_client = aws.client("events")

    def matches(candidate: dict[str, Any]) -> bool:
        return events_client.test_event_pattern(EventPattern=pattern, Event=json.dumps(candidate))["Result"]

    assert matches(event(record(f"{PREFIX}1", DATA)))
    assert matches(event(record(f"{PREFIX}1", [{"metricName": "train:loss", "timestamp": 1, "value": 1.0}])))
    assert not matches(event(record("other-run", DATA)))  # not a stream prefix
    assert not matches(event(record(f"{PREFIX}1", [{"metricName": "other", "timestamp": 1, "value": 1.0}])))
    assert not matches(event(record(f"{PREFIX}1", DATA), source="aws.sagemaker"))
    assert not matches(event({**record(f"{PREFIX}1", DATA), "eventName": "GetMetrics"}))
