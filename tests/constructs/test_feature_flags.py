"""Every public construct and MonitoringStack synthesize the same, safely, whatever feature flags the user's app has.

Three places a user stands: a bare ``cdk.App()`` (their own app, their pytest, an old ``cdk init``), an app
with every recommended flag of the pinned CLI (this repository's cdk.json), and ``python app.py`` run
without the CLI (context ``config`` only). In each, the buckets are owner-enforced with no ACL, and the
access-log bucket's policy (not an ACL) admits S3 log delivery from exactly the buckets that log into it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import aws_cdk as cdk
import pytest

from cdk_sagemaker_monitoring import (
    ExperimentMetricsQueries,
    ExperimentMetricsStream,
    ExperimentMetricsTrail,
    MonitoringStack,
    SageMakerMonitoring,
)
from support.synth import cfn_lint, new_app, template_of

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "monitoring.yaml"
Resources = dict[str, dict[str, Any]]


def trail_only(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "Trail")
    ExperimentMetricsTrail(stack, "Trail")
    return stack


def trail_with_everything(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "TrailFull")
    ExperimentMetricsTrail(stack, "Trail", encryption_key=True, cloudwatch_logs_retention=30, s3_key_prefix="audit")
    return stack


def queries(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "Queries")
    trail = ExperimentMetricsTrail(stack, "Trail", encryption_key=True)
    ExperimentMetricsQueries(stack, "Queries", trail=trail)
    return stack


def monitoring(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "Monitoring")
    SageMakerMonitoring(stack, "Monitoring", endpoints=["churn", {"name": "fraud", "variants": ["A", "B"]}],
                        training_jobs=["train-1"], alarm_emails=["ops@example.com"])
    return stack


def stream(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "Stream")
    trail = ExperimentMetricsTrail(stack, "Trail", event_names=["BatchPutMetrics"])
    ExperimentMetricsStream(stack, "Stream", trail=trail, metric_names=["train:loss", "validation:loss"],
                            alarms={"validation:loss": {"threshold": 2.5}},
                            alarm_topic="arn:aws:sns:us-east-1:123456789012:runs")
    return stack


def monitoring_stack(app: cdk.App) -> cdk.Stack:
    from cdk_sagemaker_monitoring import load_config

    return MonitoringStack(app, config=load_config(EXAMPLE))


BUILDERS: dict[str, Callable[[cdk.App], cdk.Stack]] = {
    "trail": trail_only,
    "trail-with-key-and-logs": trail_with_everything,
    "queries": queries,
    "monitoring": monitoring,
    "stream": stream,
    "monitoring-stack": monitoring_stack,
}


@pytest.fixture(scope="module")
def templates() -> dict[str, dict[str, dict[str, Any]]]:
    """Each builder's template in a bare app and in an app with every recommended flag."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for variant, flags in (("bare", False), ("flags", True)):
        app = new_app(flags=flags)
        stacks = {name: build(app) for name, build in BUILDERS.items()}
        out[variant] = {name: template_of(stack) for name, stack in stacks.items()}
    return out


def of_type(template: dict[str, Any], resource_type: str) -> Resources:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def assert_buckets_are_safe(template: dict[str, Any]) -> None:
    """Owner-enforced, no ACL, and log delivery granted by the access-log bucket's policy for each logged bucket."""
    buckets = of_type(template, "AWS::S3::Bucket")
    assert buckets
    for logical_id, bucket in buckets.items():
        props = bucket["Properties"]
        assert "AccessControl" not in props, logical_id
        assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}, logical_id
        assert bucket["DeletionPolicy"] == "Retain", logical_id
    policies = {p["Properties"]["Bucket"]["Ref"]: p["Properties"]["PolicyDocument"]["Statement"]
                for p in of_type(template, "AWS::S3::BucketPolicy").values()}
    logged = {k: b["Properties"]["LoggingConfiguration"] for k, b in buckets.items()
              if "LoggingConfiguration" in b["Properties"]}
    assert logged, "no bucket logs its access"
    for source, logging in logged.items():
        target = logging["DestinationBucketName"]["Ref"]
        prefix = logging["LogFilePrefix"]
        grants = [s for s in policies[target] if s.get("Principal") == {"Service": "logging.s3.amazonaws.com"}
                  and s["Condition"]["ArnLike"]["aws:SourceArn"] == {"Fn::GetAtt": [source, "Arn"]}]
        assert len(grants) == 1, f"{target} does not admit log delivery from {source}"
        grant = grants[0]
        assert grant["Effect"] == "Allow" and grant["Action"] == "s3:PutObject"
        assert grant["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
        assert grant["Resource"] == {"Fn::Join": ["", [{"Fn::GetAtt": [target, "Arn"]}, f"/{prefix}*"]]}
    for bucket_id in logged.values():
        assert "LoggingConfiguration" not in buckets[bucket_id["DestinationBucketName"]["Ref"]]["Properties"]


def normalized(value: Any) -> Any:
    """The template with the order of IAM actions, resources and statements made irrelevant.

    ``@aws-cdk/aws-iam:minimizePolicies`` sorts (and may merge) policy statements; nothing else may differ.
    """
    if isinstance(value, dict):
        out = {k: normalized(v) for k, v in value.items()}
        for key in ("Action", "NotAction", "Resource"):
            if isinstance(out.get(key), list):
                out[key] = sorted(out[key], key=json.dumps)
        if isinstance(out.get("Statement"), list):
            out["Statement"] = sorted(out["Statement"], key=json.dumps)
        return out
    if isinstance(value, list):
        return [normalized(v) for v in value]
    return value


@pytest.mark.parametrize("name", [n for n in BUILDERS if n != "monitoring"])
@pytest.mark.parametrize("variant", ["bare", "flags"])
def test_buckets_are_owner_enforced_and_log_delivery_is_by_policy(templates: Any, variant: str, name: str) -> None:
    assert_buckets_are_safe(templates[variant][name])


@pytest.mark.parametrize("name", list(BUILDERS))
def test_bare_app_and_recommended_flags_give_the_same_template(templates: Any, name: str) -> None:
    assert normalized(templates["bare"][name]) == normalized(templates["flags"][name])


@pytest.mark.parametrize("name", list(BUILDERS))
def test_bare_app_templates_are_cfn_lint_clean(templates: Any, name: str) -> None:
    assert cfn_lint(templates["bare"][name]) == []


def test_app_py_without_the_cli_synthesizes_the_example(tmp_path: Path) -> None:
    """``CDK_CONTEXT_JSON='{"config": ...}' python app.py``: no feature flag reaches the app."""
    outdir = tmp_path / "out"
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps({"config": str(EXAMPLE)}), "CDK_OUTDIR": str(outdir)}
    result = subprocess.run([sys.executable, str(ROOT / "app.py")], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    written = sorted(outdir.glob("*.template.json"))
    assert written
    main = json.loads(written[0].read_text())
    assert_buckets_are_safe(main)
