"""Deploy the bundled app into LocalStack with the real CDK CLI, fire an alarm, redeploy, verify, destroy.

One scenario, in order (each stage is a module fixture that needs the one before it):

1. ``cdk bootstrap`` and ``cdk deploy`` of a small configuration (two endpoints, a feature group,
   a pipeline; the stack creates the alarm topic);
2. every alarm exists with its actions; a breaching ``PutMetricData`` turns an endpoint alarm to
   ``ALARM`` and its notification reaches an SQS queue subscribed to the alarm topic, while data that
   does not breach leaves another alarm ``OK``;
3. a new configuration (an endpoint added first in the list, another removed): ``cdk diff`` marks no
   resource of the unchanged endpoint for replacement, the deploy keeps their physical ids and the
   trail bucket;
4. ``sagemaker-monitoring verify`` finds every alarm, reports the emulator's gaps as such, and a
   deleted alarm as missing (non-zero exit);
5. ``cdk destroy`` keeps the audit bucket and its objects.

What LocalStack 4.4.0 does not do (dashboards and the trail are accepted, not created; updates are
in place) is worked around as the docs' contributing page describes; no check here passes
because the emulator skipped the work.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from cdk_sagemaker_monitoring.config.loader import load_config
from cdk_sagemaker_monitoring.plan import MonitoringPlan, plan_monitoring
from cdk_sagemaker_monitoring.verification.expected import events_plan

from .aws_clients import Aws
from .cdk_cli import CdkCli
from .cdk_diff import ResourceChange, resource_changes
from .stack_state import Deployment, read_deployment
from .timings import STEPS

pytestmark = pytest.mark.e2e

STACK = "SageMakerMonitoringE2E"
KEEP, GONE, ADDED = "e2e-keep", "e2e-gone", "e2e-added"  # no name contains another
FEATURE_GROUP, PIPELINE = "e2e-features", "e2e-pipeline"
AUDIT_KEY = "AWSLogs/e2e/kept-after-destroy.json"

# Short alarm periods for the two alarms the test evaluates (LocalStack evaluates an alarm every
# period x evaluation periods; the catalog's defaults would take five minutes).
FAST = {"period": 10, "evaluation_periods": 1, "datapoints_to_alarm": 1}
BREACHED_METRIC = "ModelLatency"  # microseconds; default threshold 1 s
QUIET_METRIC = "OverheadLatency"  # microseconds; default threshold 100 ms
ALARM_TIMEOUT = 90.0


def configuration(endpoints: list[str]) -> dict[str, Any]:
    """The app's YAML configuration for this scenario."""
    return {
        "stack_name": STACK,
        "endpoints": [{"name": name, "alarms": {BREACHED_METRIC: FAST, QUIET_METRIC: FAST}} for name in endpoints],
        "feature_groups": [FEATURE_GROUP],
        "pipelines": [{"name": PIPELINE, "steps": ["train"]}],
    }


def write_configuration(path: Path, endpoints: list[str]) -> Path:
    path.write_text(yaml.safe_dump(configuration(endpoints), sort_keys=False))
    return path


def planned(config_path: Path, dashboard_base: str | None = None) -> MonitoringPlan:
    """What the library plans for a configuration file (the expectation, computed without the emulator)."""
    return plan_monitoring(load_config(str(config_path)), dashboard_base=dashboard_base)


def planned_alarm_names(plan: MonitoringPlan) -> set[str]:
    """Every metric and composite alarm name of a plan."""
    return {a.name for a in plan.alarms} | {r.composite.name for r in plan.resources if r.composite}


def planned_alarm(plan: MonitoringPlan, endpoint: str, metric: str) -> str:
    """The name of the endpoint's alarm on ``metric``."""
    names = [a.name for a in plan.resource("endpoint", endpoint).alarms if a.row.metric == metric]
    assert len(names) == 1, f"expected one {metric} alarm of {endpoint} in the plan, found {names}"
    return names[0]


# --------------------------------------------------------------------------------------------- stages


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e2e-app")


@pytest.fixture(scope="module")
def first(bootstrapped: None, cdk: CdkCli, aws: Aws, workdir: Path) -> Deployment:
    """Stage 1: ``cdk deploy`` of the first configuration (endpoints KEEP and GONE)."""
    config = write_configuration(workdir / "v1.yaml", [KEEP, GONE])
    out = workdir / "cdk.out.v1"
    cdk.run("cdk deploy (first)", "deploy", STACK, "--require-approval", "never",
            "-c", f"config={config}", "--output", str(out))
    return read_deployment(aws.client("cloudformation"), out, STACK)


@pytest.fixture(scope="module")
def trail_bucket(first: Deployment, aws: Aws) -> str:
    """The audit bucket, with one object put into it (to prove it survives ``cdk destroy`` with its data)."""
    bucket = first.physical_ids[first.by_path("ExperimentMetricsTrail/Bucket/Resource")]
    assert bucket, "the trail bucket has no physical id"
    aws.client("s3").put_object(Bucket=bucket, Key=AUDIT_KEY, Body=b'{"Records": []}')
    return bucket


@pytest.fixture(scope="module")
def alarm_topic(first: Deployment) -> str:
    topics = [first.physical_ids[lid] for lid in first.of_type("AWS::SNS::Topic")]
    assert len(topics) == 1 and topics[0], f"expected the stack's one alarm topic, found {topics}"
    return str(topics[0])


@pytest.fixture(scope="module")
def alarm_queue(aws: Aws, alarm_topic: str) -> str:
    """An SQS queue subscribed to the alarm topic (as an on-call integration would be)."""
    sqs = aws.client("sqs")
    url = sqs.create_queue(QueueName="e2e-alarm-notifications")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    policy = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage",
        "Resource": arn, "Condition": {"ArnEquals": {"aws:SourceArn": alarm_topic}}}]}
    sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": json.dumps(policy)})
    aws.client("sns").subscribe(TopicArn=alarm_topic, Protocol="sqs", Endpoint=arn)
    return url


@dataclass
class Redeploy:
    diff: dict[str, ResourceChange]
    diff_output: str
    deployment: Deployment


@pytest.fixture(scope="module")
def second(first: Deployment, trail_bucket: str, cdk: CdkCli, aws: Aws, workdir: Path) -> Redeploy:
    """Stage 3: ``cdk diff`` of the second configuration (ADDED first, GONE removed), then its deploy."""
    config = write_configuration(workdir / "v2.yaml", [ADDED, KEEP])
    out = workdir / "cdk.out.v2"
    diff = cdk.run("cdk diff (template method)", "diff", STACK, "--method", "template",
                   "-c", f"config={config}", "--output", str(out))
    cdk.run("cdk deploy (second, same assembly)", "deploy", STACK, "--app", str(out), "--require-approval", "never")
    return Redeploy(resource_changes(diff.output), diff.output, read_deployment(aws.client("cloudformation"), out, STACK))


# ------------------------------------------------------------------------------------ stage 2: alarms


def alarm_names(deployment: Deployment) -> dict[str, str]:
    """Logical id -> deployed alarm name, for every metric and composite alarm of the stack."""
    names = {}
    for resource_type in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"):
        for lid in deployment.of_type(resource_type):
            names[lid] = deployment.physical_ids.get(lid)
    return names


def describe_alarms(aws: Aws, names: list[str]) -> dict[str, dict[str, Any]]:
    """Alarms found by name (metric and composite), at most 100 names per call."""
    found: dict[str, dict[str, Any]] = {}
    cloudwatch = aws.client("cloudwatch")
    for start in range(0, len(names), 100):
        page = cloudwatch.describe_alarms(AlarmNames=names[start:start + 100],
                                          AlarmTypes=["MetricAlarm", "CompositeAlarm"])
        for alarm in page["MetricAlarms"] + page["CompositeAlarms"]:
            found[alarm["AlarmName"]] = alarm
    return found


def test_every_alarm_of_the_configuration_exists_with_its_actions(first: Deployment, alarm_topic: str, aws: Aws,
                                                                  workdir: Path) -> None:
    expected = planned_alarm_names(planned(workdir / "v1.yaml"))
    for resource in (KEEP, GONE, FEATURE_GROUP, PIPELINE):
        assert any(resource in name for name in expected), f"the plan has no alarm of {resource}"
    failures = events_plan(load_config(str(workdir / "v1.yaml")))  # the failure events (on by default)
    assert failures is not None and failures.alarm_names
    expected |= set(failures.alarm_names)
    assert set(alarm_names(first).values()) == expected, "the stack's alarms are not the planned ones"
    found = describe_alarms(aws, sorted(expected))
    missing = sorted(expected - set(found))
    assert not missing, f"alarms planned and in the stack but not in CloudWatch: {missing}"
    for name, alarm in found.items():
        assert alarm["ActionsEnabled"], f"{name}: actions disabled"
        assert alarm_topic in alarm["AlarmActions"], f"{name}: alarm actions {alarm['AlarmActions']} lack the topic"


@dataclass
class Evaluation:
    """What the emulator's alarm evaluation did with breaching and non-breaching data."""

    breached: str
    quiet: str
    breached_states: list[str] = field(default_factory=list)
    quiet_states: list[str] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    seconds_to_alarm: float | None = None
    seconds_to_message: float | None = None


def _put(aws: Aws, endpoint: str, metric: str, value: float) -> None:
    aws.client("cloudwatch").put_metric_data(Namespace="AWS/SageMaker", MetricData=[{
        "MetricName": metric, "Value": value, "Unit": "Microseconds", "StorageResolution": 1,
        "Dimensions": [{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": "AllTraffic"}],
    }])


def _notifications(aws: Aws, queue_url: str) -> list[dict[str, Any]]:
    """Alarm notifications waiting on the queue (SNS envelopes whose Message is the alarm's JSON)."""
    sqs = aws.client("sqs")
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
    if messages:  # consumed: not redelivered when the visibility timeout ends
        sqs.delete_message_batch(QueueUrl=queue_url, Entries=[
            {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(messages)])
    return [json.loads(json.loads(m["Body"])["Message"]) for m in messages]


@pytest.fixture(scope="module")
def evaluation(first: Deployment, alarm_queue: str, aws: Aws, workdir: Path) -> Evaluation:
    """Breaching data for one alarm and non-breaching data for another, fed until both are decided.

    Non-breaching data keeps coming for two more evaluation periods after the quiet alarm turns
    ``OK``, so a later evaluation that wrongly alarmed would be seen.
    """
    plan = planned(workdir / "v1.yaml")
    result = Evaluation(planned_alarm(plan, KEEP, BREACHED_METRIC), planned_alarm(plan, KEEP, QUIET_METRIC))
    cloudwatch = aws.client("cloudwatch")
    before = {a["AlarmName"]: a["StateValue"] for a in cloudwatch.describe_alarms(
        AlarmNames=[result.breached, result.quiet])["MetricAlarms"]}
    result.breached_states.append(before.get(result.breached, "MISSING"))
    result.quiet_states.append(before.get(result.quiet, "MISSING"))
    started = time.monotonic()
    quiet_ok_at: float | None = None
    stop = threading.Event()

    def feed() -> None:  # one datapoint per alarm every 2 s: every 10-second period has data
        while not stop.is_set():
            _put(aws, KEEP, BREACHED_METRIC, 5_000_000)  # 5 s: five times the 1 s threshold
            _put(aws, KEEP, QUIET_METRIC, 1_000)  # 1 ms: a hundredth of the 100 ms threshold
            stop.wait(2)

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    try:
        while time.monotonic() - started < ALARM_TIMEOUT:
            states = {a["AlarmName"]: a["StateValue"] for a in cloudwatch.describe_alarms(
                AlarmNames=[result.breached, result.quiet])["MetricAlarms"]}
            now = time.monotonic() - started
            for name, seen in ((result.breached, result.breached_states), (result.quiet, result.quiet_states)):
                if not seen or seen[-1] != states.get(name):
                    seen.append(states.get(name, "MISSING"))
            if states.get(result.breached) == "ALARM" and result.seconds_to_alarm is None:
                result.seconds_to_alarm = now
            if states.get(result.quiet) == "OK" and quiet_ok_at is None:
                quiet_ok_at = now
            for note in _notifications(aws, alarm_queue):
                result.messages.append(note)
                if (note.get("AlarmName") == result.breached and note.get("NewStateValue") == "ALARM"
                        and result.seconds_to_message is None):
                    result.seconds_to_message = time.monotonic() - started
            if (result.seconds_to_message is not None and quiet_ok_at is not None
                    and now - quiet_ok_at >= 2 * FAST["period"] + 2):
                break
    finally:
        stop.set()
        feeder.join(timeout=10)
    if result.seconds_to_alarm is not None:
        STEPS.append(("breaching PutMetricData -> alarm state ALARM", result.seconds_to_alarm))
    if result.seconds_to_message is not None:
        STEPS.append(("breaching PutMetricData -> notification on the SQS queue", result.seconds_to_message))
    return result


def test_breaching_data_turns_the_alarm_to_alarm_and_notifies_the_topic(evaluation: Evaluation) -> None:
    assert evaluation.breached_states[0] == "INSUFFICIENT_DATA", f"before any data: {evaluation.breached_states}"
    assert evaluation.seconds_to_alarm is not None, (
        f"{evaluation.breached} never reached ALARM within {ALARM_TIMEOUT:.0f} s (states: {evaluation.breached_states})")
    received = [m for m in evaluation.messages if m.get("AlarmName") == evaluation.breached]
    assert any(m.get("NewStateValue") == "ALARM" for m in received), (
        f"no ALARM notification of {evaluation.breached} on the queue; received: "
        f"{[(m.get('AlarmName'), m.get('NewStateValue')) for m in evaluation.messages]}")
    note = next(m for m in received if m.get("NewStateValue") == "ALARM")
    assert note["Trigger"]["MetricName"] == BREACHED_METRIC
    assert {"name": "EndpointName", "value": KEEP} in note["Trigger"]["Dimensions"]


def test_data_that_does_not_breach_leaves_the_alarm_ok(evaluation: Evaluation) -> None:
    assert evaluation.quiet_states[0] == "INSUFFICIENT_DATA", f"before any data: {evaluation.quiet_states}"
    assert "OK" in evaluation.quiet_states, f"{evaluation.quiet} never reached OK (states: {evaluation.quiet_states})"
    assert "ALARM" not in evaluation.quiet_states, f"{evaluation.quiet} alarmed: {evaluation.quiet_states}"
    assert evaluation.quiet_states[-1] == "OK", f"{evaluation.quiet} left OK: {evaluation.quiet_states}"
    assert not [m for m in evaluation.messages
                if m.get("AlarmName") == evaluation.quiet and m.get("NewStateValue") == "ALARM"]


# ---------------------------------------------------------------------------------- stage 3: redeploy


def test_diff_before_redeploy_replaces_nothing_of_the_unchanged_endpoint(first: Deployment, second: Redeploy) -> None:
    kept = first.mentioning(KEEP)
    assert kept, f"no resource of {KEEP} in the first template"
    # The diff is read, not assumed: it lists exactly the resources the templates add and remove,
    # and those belong to the added and the removed endpoint.
    added = {c.logical_id for c in second.diff.values() if c.op == "+"}
    removed = {c.logical_id for c in second.diff.values() if c.op == "-"}
    assert added == set(second.deployment.resources) - set(first.resources), second.diff_output
    assert removed == set(first.resources) - set(second.deployment.resources), second.diff_output
    assert added and added <= second.deployment.mentioning(ADDED), sorted(added)
    assert removed and removed <= first.mentioning(GONE), sorted(removed)
    replaced = sorted(lid for lid in kept if lid in second.diff and second.diff[lid].replaced)
    dropped = sorted(lid for lid in kept if lid in second.diff and second.diff[lid].op == "-")
    assert not replaced, f"cdk diff marks resources of the unchanged endpoint {KEEP} for replacement: {replaced}"
    assert not dropped, f"cdk diff removes resources of the unchanged endpoint {KEEP}: {dropped}"
    trail = first.by_path("ExperimentMetricsTrail/Bucket/Resource")
    assert trail not in second.diff or not (second.diff[trail].replaced or second.diff[trail].op == "-")


def test_redeploy_keeps_the_physical_ids_of_unchanged_resources(first: Deployment, second: Redeploy,
                                                                 trail_bucket: str, aws: Aws) -> None:
    after = second.deployment
    kept = sorted(first.mentioning(KEEP))
    assert set(kept) <= set(after.resources), f"logical ids of {KEEP} changed: {sorted(set(kept) - set(after.resources))}"
    # Resources the emulator accepts without creating (dashboards) have no real physical id to compare.
    compared = [lid for lid in kept if first.created(lid)]
    not_created = {first.resources[lid]["Type"] for lid in kept if not first.created(lid)}
    assert not_created <= {"AWS::CloudWatch::Dashboard"}, f"unexpectedly not created by the emulator: {not_created}"
    changed = {lid: (first.physical_ids[lid], after.physical_ids.get(lid))
               for lid in compared if first.physical_ids[lid] != after.physical_ids.get(lid)}
    assert compared and not changed, f"physical ids changed: {changed}"
    trail = first.by_path("ExperimentMetricsTrail/Bucket/Resource")
    assert after.physical_ids[trail] == trail_bucket
    keys = [o["Key"] for o in aws.client("s3").list_objects_v2(Bucket=trail_bucket).get("Contents", [])]
    assert AUDIT_KEY in keys
    # The configuration change itself took effect: ADDED's alarms exist, GONE's are deleted.
    new_names = sorted(after.physical_ids[lid] for lid in after.mentioning(ADDED) if lid in alarm_names(after))
    assert new_names and set(describe_alarms(aws, new_names)) == set(new_names)
    gone_names = sorted(first.physical_ids[lid] for lid in first.mentioning(GONE) if lid in alarm_names(first))
    assert gone_names and not describe_alarms(aws, gone_names)


# ------------------------------------------------------------------------------------ stage 4: verify


def run_verify(aws: Aws, config: Path) -> subprocess.CompletedProcess[str]:
    """``sagemaker-monitoring verify`` (the console script of the project's .venv) against the emulator."""
    script = Path(sys.executable).parent / "sagemaker-monitoring"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(aws.env())  # endpoint, test credentials, region, and AWS_DATA_PATH (CloudWatch over query)
    return subprocess.run([str(script), "verify", "--config", str(config)], env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def verify_rows(output: str) -> dict[tuple[str, str], str]:
    """(check, subject) -> status, from verify's table (columns separated by two or more spaces)."""
    rows = {}
    for line in output.splitlines()[1:]:
        cells = re.split(r"\s{2,}", line.strip(), maxsplit=3)
        if len(cells) >= 3:
            rows[(cells[1], cells[2])] = cells[0]
    return rows


def test_verify_finds_every_alarm_reports_gaps_and_a_deleted_alarm(second: Redeploy, aws: Aws, workdir: Path) -> None:
    config = workdir / "v2.yaml"
    plan = planned(config)
    clean = run_verify(aws, config)
    output = clean.stdout + clean.stderr
    assert clean.returncode == 0, f"verify exited {clean.returncode}:\n{output}"
    rows = verify_rows(clean.stdout)
    not_ok = {name: rows.get(("alarm", name)) for name in planned_alarm_names(plan) if rows.get(("alarm", name)) != "OK"}
    assert not not_ok, f"verify does not report these alarms as found: {not_ok}\n{output}"
    # The emulator's gaps are reported as unknown: not as found, not as missing.
    assert [status for (check, _), status in rows.items() if check == "trail"] == ["UNKNOWN"], output
    dashboards = {d.name for d in planned(config, dashboard_base=STACK).all_dashboards}
    assert dashboards and {rows.get(("dashboard", name)) for name in dashboards} == {"UNKNOWN"}, output

    victim = planned_alarm(plan, KEEP, QUIET_METRIC)
    aws.client("cloudwatch").delete_alarms(AlarmNames=[victim])
    broken = run_verify(aws, config)
    output = broken.stdout + broken.stderr
    assert broken.returncode == 2, f"verify exited {broken.returncode} with {victim} deleted (2 = missing):\n{output}"
    rows = verify_rows(broken.stdout)
    assert rows.get(("alarm", victim)) == "MISSING", output
    assert [k for k, status in rows.items() if status == "MISSING"] == [("alarm", victim)], output


# ----------------------------------------------------------------------------------- stage 5: destroy


def test_destroy_retains_the_audit_bucket_with_its_objects(second: Redeploy, trail_bucket: str, cdk: CdkCli,
                                                           aws: Aws, workdir: Path) -> None:
    cdk.run("cdk destroy", "destroy", STACK, "--app", str(workdir / "cdk.out.v2"), "--force")
    stacks = aws.client("cloudformation").list_stacks()["StackSummaries"]
    assert all(s["StackStatus"] == "DELETE_COMPLETE" for s in stacks if s["StackName"] == STACK)
    keys = [o["Key"] for o in aws.client("s3").list_objects_v2(Bucket=trail_bucket).get("Contents", [])]
    assert AUDIT_KEY in keys, f"the audit bucket {trail_bucket} lost its objects: {keys}"
    # Retention is selective: the stack's alarms (no Retain policy) are gone.
    names = sorted(n for n in alarm_names(second.deployment).values() if n)
    assert not describe_alarms(aws, names), "alarms survived cdk destroy"
