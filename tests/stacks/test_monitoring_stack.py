"""MonitoringStack from a configuration: lint- and nag-clean, stable logical ids, byte-identical templates."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from support.synth import CDK_CONTEXT, TEST_ENV, cfn_lint, nag_findings, new_app, template_of

from cdk_sagemaker_monitoring import ConfigurationError, MonitoringStack, load_config
from cdk_sagemaker_monitoring.queries.named import metric_queries
from cdk_sagemaker_monitoring.stacks.monitoring_stack import QUERIES_ID, TRAIL_ID

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "monitoring.yaml"
CDK = ROOT / "node_modules" / ".bin" / "cdk"

Template = dict[str, Any]


def synth(config: Any) -> Template:
    app = new_app()
    return template_of(MonitoringStack(app, config=config, env=TEST_ENV))


@pytest.fixture(scope="module")
def example_template() -> Template:
    return synth(load_config(EXAMPLE))


# ------------------------------------------------------------------ the example


def test_example_synthesizes_trail_and_every_family(example_template: Template) -> None:
    resources = example_template["Resources"]
    types = {r["Type"] for r in resources.values()}
    assert {"AWS::CloudTrail::Trail", "AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm",
            "AWS::CloudWatch::Dashboard", "AWS::SNS::Topic", "AWS::SNS::Subscription"} <= types
    config = load_config(EXAMPLE)
    alarm_names = " ".join(r["Properties"]["AlarmName"] for r in resources.values()
                           if r["Type"] == "AWS::CloudWatch::Alarm")
    for spec in config.resources():
        if spec.kind in ("transform_job", "workteam", "training_job"):
            continue  # alarms on these may be fleet-wide or absent by default; their dashboards are checked below
        assert f"/{spec.name}/" in alarm_names, spec.name
    bodies = json.dumps([r["Properties"]["DashboardBody"] for r in resources.values()
                         if r["Type"] == "AWS::CloudWatch::Dashboard"])
    for spec in config.resources():
        assert spec.name in bodies, spec.name


def of_type(template: Template, resource_type: str) -> dict[str, Any]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == resource_type}


def test_example_has_the_athena_layer_over_its_trail(example_template: Template) -> None:
    queries = load_config(EXAMPLE).queries
    (database,) = of_type(example_template, "AWS::Glue::Database").values()
    (table,) = of_type(example_template, "AWS::Glue::Table").values()
    (workgroup,) = of_type(example_template, "AWS::Athena::WorkGroup").values()
    named = of_type(example_template, "AWS::Athena::NamedQuery")
    assert database["Properties"]["DatabaseInput"]["Name"] == queries.database_name
    assert table["Properties"]["DatabaseName"] == queries.database_name
    assert table["Properties"]["TableInput"]["Name"] == queries.table_name
    # The table reads the trail's own bucket.
    (trail_bucket_id,) = [k for k in of_type(example_template, "AWS::S3::Bucket")
                          if k.startswith(f"{TRAIL_ID}Bucket")]
    assert trail_bucket_id in json.dumps(table["Properties"]["TableInput"]["StorageDescriptor"]["Location"])
    config = workgroup["Properties"]["WorkGroupConfiguration"]
    assert workgroup["Properties"]["Name"] == queries.workgroup_name
    assert config["BytesScannedCutoffPerQuery"] == queries.bytes_scanned_cutoff_per_query
    assert config["EnforceWorkGroupConfiguration"] is True
    assert sorted(q["Properties"]["Name"] for q in named.values()) == sorted(q.name for q in metric_queries())
    assert all(f"INTERVAL '{queries.lookback_days}' DAY" in q["Properties"]["QueryString"] for q in named.values())
    assert all(k.startswith(QUERIES_ID) for k in (*named, *of_type(example_template, "AWS::Glue::Table")))


def test_example_is_cfn_lint_clean(example_template: Template) -> None:
    assert cfn_lint(example_template) == []


def test_example_is_cdk_nag_clean_in_four_packs() -> None:
    config = load_config(EXAMPLE)
    assert nag_findings(lambda app: MonitoringStack(app, config=config, env=TEST_ENV)) == []


def test_stack_takes_name_and_environment_from_the_file() -> None:
    app = new_app()
    stack = MonitoringStack(app, config={"stack_name": "Ml-Prod", "env": {"account": "210987654321",
                                                                          "region": "eu-west-1"}})
    assert (stack.stack_name, stack.node.id, stack.account, stack.region) == (
        "Ml-Prod", "Ml-Prod", "210987654321", "eu-west-1")
    dashboards = [r for r in template_of(stack)["Resources"].values() if r["Type"] == "AWS::CloudWatch::Dashboard"]
    assert dashboards and all(d["Properties"]["DashboardName"].startswith("Ml-Prod") for d in dashboards)


def test_a_bad_mapping_is_refused_before_the_stack_exists() -> None:
    app = new_app()
    with pytest.raises(ConfigurationError, match=r"endpoints\[1\]\.name: 'bad_name' is not a valid endpoint name"):
        MonitoringStack(app, config={"endpoints": ["ok", "bad_name"]})
    assert app.node.children == []


def test_trail_can_be_left_out_and_a_kms_key_arn_imported() -> None:
    without = synth({"trail": {"enabled": False}, "endpoints": ["a"]})
    assert not [r for r in without["Resources"].values() if r["Type"] == "AWS::CloudTrail::Trail"]
    assert not [r for r in without["Resources"].values() if r["Type"].startswith(("AWS::Glue::", "AWS::Athena::"))]
    arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    imported = synth({"trail": {"encryption_key": arn}})
    trail = next(r for r in imported["Resources"].values() if r["Type"] == "AWS::CloudTrail::Trail")
    assert trail["Properties"]["KMSKeyId"] == arn
    assert not [r for r in imported["Resources"].values() if r["Type"] == "AWS::KMS::Key"
                and "CloudTrail" in json.dumps(r)]


def test_queries_settings_reach_the_athena_layer() -> None:
    arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    template = synth({"trail": {"multi_region": False}, "queries": {
        "database_name": "ml_metrics", "table_name": "events", "workgroup_name": "ml-metrics",
        "bytes_scanned_cutoff_per_query": 100_000_000, "results_expiration_days": 3, "results_encryption_key": arn,
        "projection_start": "NOW-90DAYS", "regions": ["eu-west-1", "us-east-1"],
    }})
    (table,) = of_type(template, "AWS::Glue::Table").values()
    parameters = table["Properties"]["TableInput"]["Parameters"]
    assert table["Properties"]["DatabaseName"] == "ml_metrics" and table["Properties"]["TableInput"]["Name"] == "events"
    assert json.dumps(parameters).count("eu-west-1,us-east-1") == 1
    assert "NOW-90DAYS,NOW" in parameters.values()
    (workgroup,) = of_type(template, "AWS::Athena::WorkGroup").values()
    config = workgroup["Properties"]["WorkGroupConfiguration"]
    assert workgroup["Properties"]["Name"] == "ml-metrics" and config["BytesScannedCutoffPerQuery"] == 100_000_000
    assert config["ResultConfiguration"]["EncryptionConfiguration"] == {"EncryptionOption": "SSE_KMS", "KmsKey": arn}
    (results,) = [b for k, b in of_type(template, "AWS::S3::Bucket").items() if k.startswith(f"{QUERIES_ID}Results")]
    rules = results["Properties"]["LifecycleConfiguration"]["Rules"]
    assert [r["ExpirationInDays"] for r in rules if "ExpirationInDays" in r] == [3]
    assert cfn_lint(template) == []


# ------------------------------------------------------------------ stable logical ids

BASE: dict[str, Any] = {
    "alarm_emails": ["ops@example.com"],
    "endpoints": ["ep-alpha", {"name": "ep-bravo", "variants": ["AllTraffic", "Canary"]}, "ep-charlie"],
    "training_jobs": ["train-one"],
    "feature_groups": ["fg-one"],
    "pipelines": [{"name": "pipe-one", "steps": ["Train"]}],
}


def with_endpoints(endpoints: list[Any]) -> dict[str, Any]:
    return {**BASE, "endpoints": endpoints}


def mentions(resource: dict[str, Any], endpoint: str) -> bool:
    return f'"{endpoint}"' in json.dumps(resource) or f"/{endpoint}/" in json.dumps(resource)


@pytest.fixture(scope="module")
def variants() -> dict[str, Template]:
    alpha, bravo, charlie = BASE["endpoints"]
    return {
        "base": synth(BASE),
        "insert_first": synth(with_endpoints(["ep-new", alpha, bravo, charlie])),
        "insert_middle": synth(with_endpoints([alpha, "ep-new", bravo, charlie])),
        "remove": synth(with_endpoints([alpha, charlie])),
        "reorder": synth(with_endpoints([charlie, alpha, bravo])),
        "trail_only": synth({}),
        "no_queries": synth({"queries": {"enabled": False}}),
    }


def per_resource_ids(template: Template) -> dict[str, dict[str, Any]]:
    """Logical id -> resource, without dashboards (a dashboard's body lists every endpoint by design)."""
    return {k: v for k, v in template["Resources"].items() if v["Type"] != "AWS::CloudWatch::Dashboard"}


@pytest.mark.parametrize("change", ["insert_first", "insert_middle"])
def test_inserting_an_endpoint_changes_no_other_logical_id(variants: dict[str, Template], change: str) -> None:
    before, after = per_resource_ids(variants["base"]), per_resource_ids(variants[change])
    assert set(before) <= set(after)
    for logical_id, resource in before.items():
        assert after[logical_id] == resource, f"{logical_id} changed"
    added = set(after) - set(before)
    assert added and all(mentions(after[i], "ep-new") for i in added), added
    assert {k for k, v in variants[change]["Resources"].items() if v["Type"] == "AWS::CloudWatch::Dashboard"} == \
           {k for k, v in variants["base"]["Resources"].items() if v["Type"] == "AWS::CloudWatch::Dashboard"}


def test_removing_an_endpoint_removes_only_its_resources(variants: dict[str, Template]) -> None:
    before, after = per_resource_ids(variants["base"]), per_resource_ids(variants["remove"])
    removed = set(before) - set(after)
    assert removed and all(mentions(before[i], "ep-bravo") for i in removed)
    assert not set(after) - set(before)
    for logical_id in after:
        assert after[logical_id] == before[logical_id], f"{logical_id} changed"


def test_reordering_endpoints_changes_no_resource(variants: dict[str, Template]) -> None:
    assert per_resource_ids(variants["reorder"]) == per_resource_ids(variants["base"])


def test_trail_and_its_buckets_keep_their_ids_whatever_else_changes(variants: dict[str, Template],
                                                                    example_template: Template) -> None:
    def trail_part(template: Template) -> dict[str, Any]:
        return {k: v for k, v in template["Resources"].items() if k.startswith(TRAIL_ID)}

    expected = trail_part(variants["trail_only"])
    assert {v["Type"] for v in expected.values()} >= {"AWS::CloudTrail::Trail", "AWS::S3::Bucket"}
    for name, template in variants.items():
        if name != "no_queries":
            assert trail_part(template) == expected, name
    # Adding the queries (on by default) leaves every logical id of the trail and its buckets as it was.
    without_queries = trail_part(variants["no_queries"])
    assert set(without_queries) == set(expected)
    for logical_id, resource in without_queries.items():
        if resource["Type"] != "AWS::S3::BucketPolicy":  # the access-log bucket also takes the results bucket's logs
            assert expected[logical_id] == resource, logical_id
    assert not of_type(variants["no_queries"], "AWS::Glue::Table") and of_type(variants["trail_only"], "AWS::Glue::Table")
    assert {k for k, v in example_template["Resources"].items()  # the queries' results bucket is their own
            if v["Type"] in ("AWS::CloudTrail::Trail", "AWS::S3::Bucket") and not k.startswith(QUERIES_ID)} == \
           {k for k, v in expected.items() if v["Type"] in ("AWS::CloudTrail::Trail", "AWS::S3::Bucket")}


def test_monitoring_ids_derive_from_names(variants: dict[str, Template]) -> None:
    alarms = {k: v for k, v in variants["base"]["Resources"].items() if v["Type"] == "AWS::CloudWatch::Alarm"}
    assert len(alarms) > 10
    for logical_id, alarm in alarms.items():
        resource_name = alarm["Properties"]["AlarmName"].split("/")[2]  # <prefix>/<Kind>/<name>/<metric>/...
        assert re.sub(r"[^a-z0-9]", "", resource_name.lower()) in logical_id.lower(), logical_id


# ------------------------------------------------------------------ determinism


def test_same_configuration_gives_byte_identical_templates(tmp_path: Path) -> None:
    """The real CLI and a second process with another hash seed write the very same bytes."""
    # What the CLI adds to cdk.json's context (path metadata, version reporting), so both runs match it.
    cli_context = {"aws:cdk:enable-path-metadata": True, "aws:cdk:enable-asset-metadata": True,
                   "aws:cdk:version-reporting": True, "aws:cdk:bundling-stacks": ["**"]}
    context = {**CDK_CONTEXT, **cli_context, "config": str(EXAMPLE)}
    outputs = []
    cli = tmp_path / "cli"
    result = subprocess.run(
        [str(CDK), "synth", "--no-notices", "--quiet", "-c", f"config={EXAMPLE}", "-o", str(cli)],
        cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "1", "CDK_DISABLE_CLI_TELEMETRY": "true"},
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outputs.append(cli)
    direct = tmp_path / "direct"
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONHASHSEED": "2", "CDK_OUTDIR": str(direct), "CDK_CONTEXT_JSON": json.dumps(context)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outputs.append(direct)
    templates = [sorted(p.glob("*.template.json")) for p in outputs]
    assert [t.name for t in templates[0]] == [t.name for t in templates[1]] == ["SageMakerMonitoring.template.json"]
    assert templates[0][0].read_bytes() == templates[1][0].read_bytes()


def test_same_configuration_in_process_is_identical(variants: dict[str, Template]) -> None:
    assert json.dumps(synth(BASE), sort_keys=False) == json.dumps(variants["base"], sort_keys=False)
