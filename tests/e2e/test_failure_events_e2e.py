"""Deploy the bundled app with failure events into LocalStack: a failed training job is heard, in words.

One stack of its own (``EventsE2E``: the monitoring's alarm topic and the failure events, no trail), deployed with
the real CDK CLI; an SQS queue subscribed to the alarm topic (raw delivery) stands for a person's inbox. Then a
failed training-job event and a completed one go on the emulator's default bus (``PutEvents``, AWS's event shape):
the failed one's readable message arrives, naming the job and the reason; nothing arrives for the completed one.
The emulator JSON-encodes what it publishes for a string template (see the test); EventBridge sends the text.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import yaml

from .aws_clients import Aws
from .cdk_cli import CdkCli
from .stack_state import Deployment, read_deployment

pytestmark = pytest.mark.e2e

STACK = "EventsE2E"
CONFIG = {"stack_name": STACK, "trail": {"enabled": False}, "events": {"name_prefixes": ["churn-"]}}
JOB = "churn-train-2026-12-07-10-00"
REASON = "AlgorithmError: ExecuteUserScriptError: exit code 1"


def training_event(name: str, status: str, reason: str | None = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"TrainingJobName": name, "TrainingJobStatus": status, "SecondaryStatus": status,
                              "TrainingJobArn": f"arn:aws:sagemaker:us-east-1:000000000000:training-job/{name}"}
    if reason:
        detail["FailureReason"] = reason
    return {"Source": "aws.sagemaker", "DetailType": "SageMaker Training Job State Change",
            "Detail": json.dumps(detail), "Resources": [detail["TrainingJobArn"]]}


@pytest.fixture(scope="module")
def deployed(bootstrapped: None, cdk: CdkCli, aws: Aws, tmp_path_factory: pytest.TempPathFactory) -> Deployment:
    workdir = tmp_path_factory.mktemp("e2e-events")
    config = workdir / "events.yaml"
    config.write_text(yaml.safe_dump(CONFIG, sort_keys=False))
    out = workdir / "cdk.out"
    cdk.run("cdk deploy (failure events)", "deploy", STACK, "--require-approval", "never", "-c", f"config={config}",
            "--output", str(out))
    deployment = read_deployment(aws.client("cloudformation"), out, STACK)
    yield deployment
    cdk.run("cdk destroy (failure events)", "destroy", STACK, "--app", str(out), "--force")


def receive(sqs: Any, url: str, wait_s: float) -> list[str]:
    bodies: list[str] = []
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        for message in sqs.receive_message(QueueUrl=url, WaitTimeSeconds=1, MaxNumberOfMessages=10).get("Messages", []):
            bodies.append(message["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        if bodies:
            break
    return bodies


def test_a_failed_training_job_reaches_the_inbox_as_text_and_a_completed_one_does_not(deployed: Deployment,
                                                                                       aws: Aws) -> None:
    topic_arn = deployed.physical_ids[deployed.by_path("Monitoring/AlarmTopic/Resource")]
    events = aws.client("events")
    rule = events.describe_rule(Name="EventsE2E-TrainingJobFailed")
    assert rule["State"] == "ENABLED"
    targets = events.list_targets_by_rule(Rule="EventsE2E-TrainingJobFailed")["Targets"]
    assert all(t.get("DeadLetterConfig", {}).get("Arn") for t in targets)
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="events-e2e-inbox")["QueueUrl"]
    inbox = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    aws.client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=inbox,
                                Attributes={"RawMessageDelivery": "true"})

    put = events.put_events(Entries=[training_event("churn-train-ok", "Completed")])
    assert put["FailedEntryCount"] == 0
    assert receive(sqs, url, 5) == []  # a success notifies nobody

    put = events.put_events(Entries=[training_event(JOB, "Failed", REASON)])
    assert put["FailedEntryCount"] == 0
    (body,) = receive(sqs, url, 30)
    # LocalStack 4.4 publishes a string template's result to SNS JSON-encoded (SnsTargetSender: to_json_str) after
    # dropping its first and last characters (the template's line breaks); EventBridge sends the text as it is.
    # Undone here, and only this: what remains must be the message exactly.
    text = json.loads(body)
    lines = text.splitlines()
    assert lines[0] == f"Critical: SageMaker training job {JOB} failed"
    assert f"Reason: {REASON}" in lines and "Status: Failed" in lines
    assert f"#/jobs/{JOB}" in text and "{" not in text  # readable text with a console link, never the raw event
    assert lines[-1].startswith("EventBridge rule EventsE2E-TrainingJobFailed")
