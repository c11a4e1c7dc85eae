"""`cost --config FILE` equals `cost <assembly>` of the same file synthesized by the bundled app, for every kind
of configuration the app accepts; where they cannot agree, the command says what it leaves out.

Each configuration is synthesized with the app's own build function (``build_stacks``) into a bare
``cdk.App`` and priced both ways through the command line. A resource type the billing table does not know
fails here (add it to ``cost/billing.py`` and count it in ``cost/plan_usage.py``). Add a configuration
here when a feature adds something billed.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.synth import new_app

from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.cost import count_assembly
from cdk_sagemaker_monitoring.cost.billing import BILLING
from cdk_sagemaker_monitoring.stacks.app_stacks import build_stacks

ROOT = Path(__file__).resolve().parents[2]
ORG = "o-a1b2c3d4e5"
CENTRAL = "111111111111"
EMAILS = ["ops@example.com"]
STREAM = {"enabled": True, "metric_names": ["train:loss", "validation:loss"],
          "alarms": {"validation:loss": {"threshold": 2.5}}}
ENVIRONMENTS = [
    {"name": "prod", "account": "222222222222", "region": "us-east-1", "endpoints": ["churn", "fraud"],
     "alarm_emails": EMAILS},
    {"name": "prod-eu", "account": "222222222222", "region": "eu-west-1", "endpoints": ["churn-eu"],
     "alarm_emails": EMAILS},
    {"name": "staging", "account": "333333333333", "region": "us-east-1",
     "training_jobs": [{"name": "nightly", "instance_count": 2}], "alarm_emails": EMAILS},
]
CUSTOM = {"kind": "endpoint", "namespace": "MyCompany/Inference", "metric": "TokensPerSecond",
          "dimensions": {"EndpointName": "{name}", "VariantName": "{variant}"}, "unit": "Count/Second",
          "statistic": "Average", "alarm": {"threshold": 10, "comparison": "LessThanThreshold"}}

CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "plain": {"stack_name": "Plain", "alarm_emails": EMAILS, "endpoints": ["a", {"name": "b", "variants": ["A", "B"]}],
              "training_jobs": ["t"]},
    "no-trail": {"stack_name": "NoTrail", "trail": {"enabled": False}, "alarm_emails": EMAILS, "endpoints": ["a"]},
    "example": yaml.safe_load((ROOT / "examples" / "monitoring.yaml").read_text()),
    "keys-and-logs": {"stack_name": "Keys", "alarm_emails": EMAILS, "endpoints": ["a"],
                      "trail": {"encryption_key": True, "cloudwatch_logs_retention_days": 30},
                      "queries": {"results_encryption_key": True}},
    "stream": {"stack_name": "Stream", "alarm_emails": EMAILS, "endpoints": ["e"], "stream": STREAM},
    "stream-every-name": {"stack_name": "StreamAll", "alarm_emails": EMAILS, "endpoints": ["e"],
                          "stream": {"enabled": True, "dashboard": False}},
    "fleet": {"stack_name": "Fleet", "alarm_emails": EMAILS, "alarm_mode": "fleet",
              "endpoints": ["a", {"name": "b", "variants": ["A", "B"]}], "transform_jobs": ["t"]},
    "custom-metrics": {"stack_name": "Custom", "alarm_emails": EMAILS, "endpoints": ["chat", "embed"],
                       "custom_metrics": [CUSTOM]},
    "sharded": {"stack_name": "Sharded", "trail": {"enabled": False}, "shards": 2, "alarm_emails": EMAILS,
                "endpoints": [{"name": f"ep-{i}", "variants": ["A", "B"]} for i in range(5)],
                "alarm_mode": {"feature_groups": "fleet"}, "feature_groups": ["fg-1", "fg-2"]},
    "environments": {"stack_name": "Envs", "trail": {"cloudwatch_logs_retention_days": 30}, "stream": STREAM,
                     "environments": copy.deepcopy(ENVIRONMENTS)},
    "environments-central": {"stack_name": "Org", "monitoring_account": {"account": CENTRAL, "region": "us-east-1"},
                             "environments": copy.deepcopy(ENVIRONMENTS)},
    "organization-trail": {"stack_name": "OrgTrail", "monitoring_account": {"account": CENTRAL, "region": "us-east-1"},
                           "trail": {"organization": True, "organization_id": ORG, "encryption_key": True,
                                     "cloudwatch_logs_retention_days": 365},
                           "environments": copy.deepcopy(ENVIRONMENTS)},
}
FLEET = {"fleet", "sharded", "example"}
"""Configurations with fleet (Metrics Insights) alarms: their series come from the plan (in a template's Metadata)."""


def synthesize(tmp_path: Path, name: str) -> tuple[Path, Path]:
    """The configuration as a YAML file and the assembly the app synthesizes from it."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(CONFIGURATIONS[name]))
    app = new_app()
    from cdk_sagemaker_monitoring.config.loader import load_config

    build_stacks(app, load_config(path))
    return path, Path(app.synth().directory)


def cost(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    assert main(["cost", "--format", "json", *argv]) == 0
    data = json.loads(capsys.readouterr().out)
    data.pop("source")
    return data


@pytest.mark.parametrize("name", sorted(CONFIGURATIONS))
def test_config_and_assembly_agree(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, assembly = synthesize(tmp_path, name)
    usage = count_assembly(assembly)
    assert usage.unclassified == {}, "resource types missing from cost/billing.py"
    options = ["--data-events-per-day", "5000", "--runs", "40"]
    if name in FLEET:
        options += ["--series-per-query", "7"]
    from_config = cost(capsys, "--config", str(path), *options)
    from_assembly = cost(capsys, str(assembly), *options)
    assert from_config == from_assembly
    # without the options the two agree too: a fleet alarm's template carries the configured resources' series
    plain_config = cost(capsys, "--config", str(path))
    plain_assembly = cost(capsys, str(assembly))
    assert plain_config == plain_assembly
    if name in FLEET:
        lines = {i["item"]: i for i in plain_config["items"]}
        assert "series per query from the plan" in lines["metrics_insights_alarm_metrics"]["basis"]


def test_a_template_without_the_series_says_what_it_assumed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An assembly whose fleet alarms lost their Metadata (an older version, or edited) is counted at one series each,
    and the line says so."""
    from cdk_sagemaker_monitoring.plan.model import SERIES_METADATA

    path, assembly = synthesize(tmp_path, "fleet")
    stripped = 0
    for template in assembly.rglob("*.template.json"):
        data = json.loads(template.read_text())
        for resource in data.get("Resources", {}).values():
            if SERIES_METADATA in (resource.get("Metadata") or {}):
                del resource["Metadata"][SERIES_METADATA]
                stripped += 1
        template.write_text(json.dumps(data))
    assert stripped > 0
    lines = {i["item"]: i for i in cost(capsys, str(assembly))["items"]}
    assert "assumed 1 series per query where a template does not say" in lines["metrics_insights_alarm_metrics"]["basis"]
    configured = {i["item"]: i for i in cost(capsys, "--config", str(path))["items"]}
    assert lines["metrics_insights_alarm_metrics"]["quantity"] < configured["metrics_insights_alarm_metrics"]["quantity"]


def test_what_the_estimate_leaves_out_is_said(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = synthesize(tmp_path, "environments")
    data = cost(capsys, "--config", str(path))
    left_out = "\n".join(data["not_priced"])
    for kind in ("AWS::Lambda::Function", "AWS::Logs::LogGroup", "AWS::SNS::Topic", "AWS::S3::Bucket",
                 "AWS::Events::Rule", "AWS::Athena::WorkGroup"):
        assert kind in left_out
    lines = {i["item"]: i for i in data["items"]}
    assert "pass --runs N" in lines["custom_metrics"]["basis"] and lines["custom_metrics"]["quantity"] == 0
    assert "pass --data-events-per-day" in lines["trail_data_events"]["basis"]
    assert left_out.count("the prices of eu-west-1: some stacks deploy there") == 1
    path, _ = synthesize(tmp_path, "stream-every-name")
    lines = {i["item"]: i for i in cost(capsys, "--config", str(path), "--runs", "10")["items"]}
    assert "without metric_names" in lines["custom_metrics"]["basis"]


def test_the_issue_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """What the app deploys for an environments file with a monitoring account, counted by hand: every
    environment's alarms, the overview dashboards in the central stack, the topic keys."""
    path, assembly = synthesize(tmp_path, "environments-central")
    data = cost(capsys, "--config", str(path))
    names = [json.loads(p.read_text()) for p in assembly.rglob("*.template.json")]
    kinds = [r["Type"] for t in names for r in t["Resources"].values()]
    lines = {i["item"]: i["quantity"] for i in data["items"]}
    assert lines["dashboards"] == kinds.count("AWS::CloudWatch::Dashboard") > 3
    assert lines["kms_keys"] == kinds.count("AWS::KMS::Key") == 6  # per environment: topic key, trail key
    assert lines["composite_alarms"] == kinds.count("AWS::CloudWatch::CompositeAlarm") == 3


def test_every_billed_type_says_how() -> None:
    for billing in BILLING.values():
        assert billing.kind in ("fixed", "use", "free") and billing.note
