"""One file, many accounts and regions: environments, the central stack, the organization trail, stability.

The configuration of the issue: three accounts in two regions plus a monitoring account (the
organization's management account, holding the organization trail).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.synth import cfn_lint, nag_findings, new_app

from cdk_sagemaker_monitoring import ConfigurationError
from cdk_sagemaker_monitoring.catalog.events import EVENT_KINDS
from cdk_sagemaker_monitoring.config.loader import config_from_mapping, parse_config
from cdk_sagemaker_monitoring.constructs.observability import METRIC_RESOURCE_TYPE, sink_lookup_role_name
from cdk_sagemaker_monitoring.stacks.app_stacks import build_stacks

ROOT = Path(__file__).resolve().parents[2]
ORG_ID = "o-a1b2c3d4e5"
CENTRAL = "111111111111"

CONFIG: dict[str, Any] = {
    "stack_name": "Org",
    "trail": {"organization": True, "organization_id": ORG_ID, "encryption_key": True,
              "cloudwatch_logs_retention_days": 365},
    "monitoring_account": {"account": CENTRAL, "region": "us-east-1"},
    "alarm_name_prefix": "Org",
    "environments": [
        {"name": "prod", "account": "222222222222", "region": "us-east-1", "endpoints": ["churn", "fraud"],
         "alarm_emails": ["ops@example.com"]},
        {"name": "prod-eu", "account": "222222222222", "region": "eu-west-1", "endpoints": ["churn-eu"]},
        {"name": "staging", "account": "333333333333", "region": "us-east-1",
         "training_jobs": [{"name": "nightly", "instance_count": 2}]},
        {"name": "sandbox", "account": "444444444444", "region": "eu-west-1", "pipelines": ["etl"],
         "alarm_name_prefix": "Sandbox"},
    ],
}

Templates = dict[str, dict[str, Any]]


def synth_with_envs(config: dict[str, Any]) -> tuple[Templates, dict[str, tuple[str, str]]]:
    app = new_app()
    build_stacks(app, config)
    stacks = app.synth().stacks
    return ({s.stack_name: s.template for s in stacks},
            {s.stack_name: (s.environment.account, s.environment.region) for s in stacks})


def synth(config: dict[str, Any]) -> Templates:
    return synth_with_envs(config)[0]


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


@pytest.fixture(scope="module")
def synthesized() -> tuple[Templates, dict[str, tuple[str, str]]]:
    return synth_with_envs(CONFIG)


@pytest.fixture(scope="module")
def templates(synthesized) -> Templates:
    return synthesized[0]


@pytest.fixture(scope="module")
def assembly_envs(synthesized) -> dict[str, tuple[str, str]]:
    return synthesized[1]


# ------------------------------------------------------------------ the stacks


def test_each_environment_is_its_own_stack_in_its_account_and_region(assembly_envs) -> None:
    assert assembly_envs == {
        "Org-prod": ("222222222222", "us-east-1"),
        "Org-prod-eu": ("222222222222", "eu-west-1"),
        "Org-staging": ("333333333333", "us-east-1"),
        "Org-sandbox": ("444444444444", "eu-west-1"),
        "Org-Central": (CENTRAL, "us-east-1"),
        "Org-Central-eu-west-1": (CENTRAL, "eu-west-1"),
    }


def test_environment_stacks_hold_their_own_resources_only(templates: Templates) -> None:
    def alarm_names(stack: str) -> str:
        return " ".join(r["Properties"]["AlarmName"] for r in resources(templates[stack], "AWS::CloudWatch::Alarm")
                        .values())
    assert "churn" in alarm_names("Org-prod") and "fraud" in alarm_names("Org-prod")
    assert "churn-eu" not in alarm_names("Org-prod") and "nightly" not in alarm_names("Org-prod")
    assert "churn-eu" in alarm_names("Org-prod-eu") and "fraud" not in alarm_names("Org-prod-eu")
    assert "nightly" in alarm_names("Org-staging")
    # a setting of the top level is every environment's default; an environment's own wins
    assert all(n.startswith("Org/") for n in alarm_names("Org-prod").split())
    assert alarm_names("Org-sandbox") and all(n.startswith("Sandbox/") for n in alarm_names("Org-sandbox").split())
    subscriptions = resources(templates["Org-prod"], "AWS::SNS::Subscription")
    assert [s["Properties"]["Endpoint"] for s in subscriptions.values()] == ["ops@example.com"]
    assert not resources(templates["Org-prod-eu"], "AWS::SNS::Subscription")
    for name in ("Org-prod", "Org-prod-eu", "Org-staging", "Org-sandbox"):
        assert not resources(templates[name], "AWS::CloudTrail::Trail"), "the organization trail is central"
        dashboards = [r["Properties"]["DashboardName"] for r in resources(templates[name],
                                                                            "AWS::CloudWatch::Dashboard").values()]
        assert dashboards and all(d.startswith(f"{name}-") for d in dashboards)


def test_sinks_admit_exactly_the_accounts_that_link_in_their_region(templates: Templates) -> None:
    def sink(stack: str) -> dict[str, Any]:
        (found,) = resources(templates[stack], "AWS::Oam::Sink").values()
        return found["Properties"]
    for stack, accounts in (("Org-Central", ["222222222222", "333333333333"]),
                            ("Org-Central-eu-west-1", ["222222222222", "444444444444"])):
        (statement,) = sink(stack)["Policy"]["Statement"]
        assert statement["Principal"] == {"AWS": accounts}
        assert statement["Action"] == ["oam:CreateLink", "oam:UpdateLink"]
        assert statement["Condition"] == {"ForAllValues:StringEquals": {"oam:ResourceTypes": [METRIC_RESOURCE_TYPE]}}
    assert sink("Org-Central")["Name"] == sink("Org-Central-eu-west-1")["Name"] == "Org-Sink"


def test_every_environment_links_its_metrics_to_the_sink_of_its_region(templates: Templates,
                                                                       assembly_envs) -> None:
    role = resources(templates["Org-Central"], "AWS::IAM::Role")
    (lookup,) = [r for r in role.values() if r["Properties"].get("RoleName") == sink_lookup_role_name("Org")]
    trusted = json.dumps(lookup["Properties"]["AssumeRolePolicyDocument"])
    for account in ("222222222222", "333333333333", "444444444444"):
        assert account in trusted
    for stack in ("Org-prod", "Org-prod-eu", "Org-staging", "Org-sandbox"):
        (link,) = resources(templates[stack], "AWS::Oam::Link").values()
        assert link["Properties"]["ResourceTypes"] == [METRIC_RESOURCE_TYPE]
        (logical, _), = [(k, r) for k, r in templates[stack]["Resources"].items() if r["Type"] == "Custom::AWS"]
        assert link["Properties"]["SinkIdentifier"] == {"Fn::GetAtt": [logical, "Items.0.Arn"]}
        call = json.dumps(templates[stack]["Resources"][logical]["Properties"]["Create"])
        region = assembly_envs[stack][1]
        assert '\\"action\\":\\"listSinks\\"' in call and f'\\"region\\":\\"{region}\\"' in call
        assert f":iam::{CENTRAL}:role/{sink_lookup_role_name('Org')}" in call


def test_no_link_from_the_monitoring_account_itself() -> None:
    config = copy.deepcopy(CONFIG)
    config["environments"].append({"name": "ops", "account": CENTRAL, "region": "us-east-1", "endpoints": ["ops"]})
    found = synth(config)
    assert not resources(found["Org-ops"], "AWS::Oam::Link")
    (sink,) = resources(found["Org-Central"], "AWS::Oam::Sink").values()
    assert CENTRAL not in sink["Properties"]["Policy"]["Statement"][0]["Principal"]["AWS"]


def test_central_dashboard_covers_every_environment_in_its_account_and_region(templates: Templates) -> None:
    bodies = [json.loads(r["Properties"]["DashboardBody"])
              for r in resources(templates["Org-Central"], "AWS::CloudWatch::Dashboard").values()]
    assert bodies
    seen: set[tuple[str, str, str]] = set()
    for body in bodies:
        for widget in body["widgets"]:
            if widget["type"] != "metric":
                continue
            for line in widget["properties"]["metrics"]:
                options = line[-1]
                assert options["accountId"] and options["region"]
                names = [str(v) for v in line[:-1]]
                seen.update((options["accountId"], options["region"], n) for n in names)
    for env in CONFIG["environments"]:
        for key in ("endpoints", "training_jobs", "pipelines"):
            for entry in env.get(key, ()):
                name = entry if isinstance(entry, str) else entry["name"]
                assert any(a == env["account"] and r == env["region"] and (v == name or v.startswith(f"{name}/"))
                           for a, r, v in seen), (env["name"], name)


def test_organization_trail_and_queries_live_in_the_central_stack(templates: Templates) -> None:
    central = templates["Org-Central"]
    (trail,) = resources(central, "AWS::CloudTrail::Trail").values()
    assert trail["Properties"]["IsOrganizationTrail"] is True
    (table,) = resources(central, "AWS::Glue::Table").values()
    parameters = table["Properties"]["TableInput"]["Parameters"]
    assert parameters["projection.account.values"] == "111111111111,222222222222,333333333333,444444444444"
    assert f"/AWSLogs/{ORG_ID}/${{account}}/CloudTrail/${{region}}/${{day}}" in json.dumps(
        parameters["storage.location.template"])


def test_organization_trail_bucket_and_key_policies(templates: Templates) -> None:
    central = templates["Org-Central"]
    (trail_logical,) = resources(central, "AWS::CloudTrail::Trail")
    statements = [s for p in resources(central, "AWS::S3::BucketPolicy").values()
                  for s in p["Properties"]["PolicyDocument"]["Statement"]]
    (write,) = [s for s in statements if s.get("Sid") == "AWSCloudTrailWrite"]
    written = json.dumps(write["Resource"])
    assert f"/AWSLogs/{CENTRAL}/*" in written and f"/AWSLogs/{ORG_ID}/*" in written
    source_arn = json.dumps(write["Condition"]["StringEquals"]["aws:SourceArn"])
    trail_name = central["Resources"][trail_logical]["Properties"]["TrailName"]
    assert f":cloudtrail:us-east-1:{CENTRAL}:trail/{trail_name}" in source_arn
    key_statements = {s.get("Sid"): s for k in resources(central, "AWS::KMS::Key").values()
                      for s in k["Properties"]["KeyPolicy"]["Statement"]}
    org_decrypt = key_statements["AllowOrganizationToDecryptLogs"]
    assert org_decrypt["Condition"]["StringEquals"] == {"aws:PrincipalOrgID": ORG_ID}
    encrypt = key_statements["AllowCloudTrailToEncryptLogs"]
    assert f":cloudtrail:us-east-1:{CENTRAL}:trail/{trail_name}" in json.dumps(encrypt["Condition"])


@pytest.mark.parametrize("stack", ["Org-prod", "Org-prod-eu", "Org-staging", "Org-sandbox", "Org-Central",
                                   "Org-Central-eu-west-1"])
def test_cfn_lint_finds_no_errors(templates: Templates, assembly_envs, stack: str) -> None:
    assert cfn_lint(templates[stack], regions=[assembly_envs[stack][1]]) == []


def test_cdk_nag_packs_are_clean() -> None:
    assert nag_findings(lambda app: build_stacks(app, CONFIG)) == []


# ------------------------------------------------------------------ stability


def test_adding_an_environment_changes_no_other_environment(templates: Templates) -> None:
    config = copy.deepcopy(CONFIG)
    config["environments"].insert(1, {"name": "research", "account": "555555555555", "region": "eu-west-1",
                                      "endpoints": ["llm"]})
    grown = synth(config)
    for stack in ("Org-prod", "Org-prod-eu", "Org-staging", "Org-sandbox"):
        assert json.dumps(grown[stack], sort_keys=True) == json.dumps(templates[stack], sort_keys=True), stack
    assert "Org-research" in grown
    assert grown["Org-Central-eu-west-1"] != templates["Org-Central-eu-west-1"]  # the sink admits the new account


def test_a_resource_added_in_one_environment_changes_no_other(templates: Templates) -> None:
    config = copy.deepcopy(CONFIG)
    config["environments"][0]["endpoints"].append("upsell")
    grown = synth(config)
    assert grown["Org-prod"] != templates["Org-prod"]
    for stack in ("Org-prod-eu", "Org-staging", "Org-sandbox", "Org-Central-eu-west-1"):
        assert json.dumps(grown[stack], sort_keys=True) == json.dumps(templates[stack], sort_keys=True), stack


def test_synthesis_is_deterministic(templates: Templates) -> None:
    again = synth(CONFIG)
    assert {k: json.dumps(v, sort_keys=True) for k, v in again.items()} == \
           {k: json.dumps(v, sort_keys=True) for k, v in templates.items()}


# ------------------------------------------------------------------ refusals


def refused(config: dict[str, Any]) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        config_from_mapping(config)
    return caught.value


def one(err: ConfigurationError) -> ConfigurationError:
    errors = getattr(err, "errors", [err])
    assert len(errors) == 1, errors
    return errors[0]


def env(name: str = "prod", account: Any = "222222222222", region: str = "us-east-1", **more: Any) -> dict:
    return {"name": name, "account": account, "region": region, **more}


def test_duplicate_environment_names_are_refused() -> None:
    error = one(refused({"environments": [env("prod"), env("Prod", region="eu-west-1")]}))
    assert error.field == "environments[1].name"
    assert "'Prod' is listed twice (first at environments[0])" in error.problem


@pytest.mark.parametrize("account", ["22222222222", "2222222222222", "22222222222a", 22222222222])
def test_an_account_that_is_not_12_digits_is_refused(account: Any) -> None:
    error = one(refused({"environments": [env(account=account)]}))
    assert error.field == "environments[0].account"
    assert "is not a valid AWS account id" in error.problem and "twelve digits" in (error.fix or "")


def test_an_unquoted_account_number_is_its_digits() -> None:
    config = config_from_mapping({"environments": [env(account=222222222222)]})
    assert config.environments[0].account == "222222222222"


@pytest.mark.parametrize("region, hint", [("us-east-7", "did you mean"), ("xx-north-1", "botocore"),
                                          ("US-EAST-1", "region code")])
def test_a_region_that_does_not_exist_is_refused(region: str, hint: str) -> None:
    error = one(refused({"environments": [env(region=region)]}))
    assert error.field == "environments[0].region"
    assert hint in f"{error.problem} {error.fix}"
    error = one(refused({"monitoring_account": {"account": CENTRAL, "region": region}, "environments": [env()]}))
    assert error.field == "monitoring_account.region"


@pytest.mark.parametrize("org_id", ["o-abc", "o-ABCDEFGHIJ", "org-abcdefghij", "o-" + "a" * 33])
def test_an_organization_id_that_does_not_match_is_refused(org_id: str) -> None:
    error = one(refused({"trail": {"organization": True, "organization_id": org_id}}))
    assert error.field == "trail.organization_id"
    assert "o-" in (error.fix or "")


def test_organization_trail_needs_its_id() -> None:
    error = one(refused({"trail": {"organization": True}}))
    assert error.field == "trail.organization_id" and "required" in error.problem


@pytest.mark.parametrize("key, value", [("endpoints", ["churn"]), ("alarm_emails", ["ops@example.com"]),
                                        ("training_jobs", ["nightly"]), ("env", {"region": "us-east-1"}),
                                        ("dashboard_name", "Fleet")])
def test_top_level_lists_beside_environments_are_refused_with_how(key: str, value: Any) -> None:
    error = one(refused({key: value, "environments": [env()]}))
    assert error.field == key
    assert "environments" in error.problem and ("environments[]." in (error.fix or "") or key == "env")


def test_empty_top_level_lists_beside_environments_are_fine() -> None:
    config = config_from_mapping({"endpoints": [], "alarm_emails": [], "environments": [env()]})
    assert config.environments[0].name == "prod"


def test_monitoring_account_needs_environments_and_the_central_organization_trail_needs_it() -> None:
    assert one(refused({"monitoring_account": {"account": CENTRAL, "region": "us-east-1"}})).field == \
        "monitoring_account"
    error = one(refused({"trail": {"organization": True, "organization_id": ORG_ID}, "environments": [env()]}))
    assert error.field == "trail.organization" and "monitoring_account" in (error.fix or "")


def test_yaml_refusals_name_file_and_line() -> None:
    text = "environments:\n  - {name: prod, account: '222222222222', region: us-east-1}\n" \
           "  - {name: prod, account: '333333333333', region: eu-west-1}\n"
    with pytest.raises(ConfigurationError) as caught:
        parse_config(text, source="org.yaml")
    assert str(caught.value).startswith("org.yaml:3: environments[1].name: environment 'prod' is listed twice")


# ------------------------------------------------------------------ the bundled app


def test_app_py_builds_every_stack(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(yaml.safe_dump(CONFIG), encoding="utf-8")
    outdir = tmp_path / "out"
    context = json.dumps({"config": str(path)})
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "CDK_CONTEXT_JSON": context, "CDK_OUTDIR": str(outdir)})
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in outdir.glob("*.template.json")) == sorted(
        f"{name}.template.json" for name in ["Org-Central", "Org-Central-eu-west-1", "Org-prod", "Org-prod-eu",
                                             "Org-sandbox", "Org-staging"])


def test_monitoring_stack_points_a_configuration_with_environments_to_build_stacks() -> None:
    from cdk_sagemaker_monitoring import MonitoringStack

    app = new_app()
    with pytest.raises(ConfigurationError) as caught:
        MonitoringStack(app, config=CONFIG)
    assert caught.value.field == "environments" and "build_stacks" in (caught.value.fix or "")
    assert not app.node.children
    one = MonitoringStack(app, config=config_from_mapping(CONFIG).for_environment("staging"))
    assert one.stack_name == "Org-staging" and one.account == "333333333333"


# ------------------------------------------------------------------ the stream in environments


def test_each_environment_with_its_own_trail_gets_its_own_stream() -> None:
    templates = synth({"stack_name": "Fleet", "stream": {"enabled": True, "metric_names": ["validation:loss"]},
                       "environments": [env("prod", endpoints=["churn"]), env("dev", account="333333333333")]})
    for name in ("Fleet-prod", "Fleet-dev"):
        assert resources(templates[name], "AWS::CloudTrail::Trail"), name
        rules = resources(templates[name], "AWS::Events::Rule")
        stream = [r for r in rules.values() if r["Properties"]["EventPattern"]["source"] == ["aws.metrics-sagemaker"]]
        assert len(stream) == 1, name
        # the rest are the failure events' rules (on by default), one per kind
        assert len(rules) - 1 == len(EVENT_KINDS), name


def test_a_stream_beside_an_organization_trail_in_the_central_stack_is_refused() -> None:
    config = {**CONFIG, "stream": {"enabled": True}}
    error = one(refused(config))
    assert error.field == "stream.enabled"
    assert "central stack" in error.problem and "trail.organization: false" in (error.fix or "")


# ------------------------------------------------------------------ failure events in environments


def test_each_environment_watches_its_own_failures_and_the_central_dashboard_graphs_them(templates: Templates,
                                                                                          assembly_envs) -> None:
    for env in CONFIG["environments"]:
        name = f"Org-{env['name']}"
        rules = resources(templates[name], "AWS::Events::Rule")
        assert len(rules) == len(EVENT_KINDS), name
        assert assembly_envs[name] == (env["account"], env["region"])
        for rule in rules.values():  # the environment's default bus, its own account and region
            assert "EventBusName" not in rule["Properties"]
            assert rule["Properties"]["Name"].startswith(f"{name}-")  # the stack's name: environments never clash
        prefix = env.get("alarm_name_prefix", CONFIG["alarm_name_prefix"])
        alarms = [a["Properties"]["AlarmName"] for a in resources(templates[name], "AWS::CloudWatch::Alarm").values()]
        assert sum(a.startswith(f"{prefix}/FailureEvents/") for a in alarms) == len(EVENT_KINDS) + 1, name
    seen = set()
    for body in (json.loads(r["Properties"]["DashboardBody"])
                 for r in resources(templates["Org-Central"], "AWS::CloudWatch::Dashboard").values()):
        for widget in body["widgets"]:
            for line in widget.get("properties", {}).get("metrics", []):
                if line[:2] == ["AWS/Events", "TriggeredRules"]:
                    seen.add((line[-1]["accountId"], line[-1]["region"], line[3]))
    for env in CONFIG["environments"]:
        assert (env["account"], env["region"], f"Org-{env['name']}-TrainingJobFailed") in seen, env["name"]
