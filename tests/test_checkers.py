"""Every acknowledgement reaches every checker users run: cdk-nag 3 (Validations), cdk-nag 2 (as an Aspect, reading
the ``cdk_nag`` metadata) and checkov (its ``Metadata.checkov.skip`` entries), on the same apps.

cdk-nag 2 and checkov run from their own virtual environments (``tests/checkers/setup.sh``, run by ``./dev test``):
these tests fail, never skip, without them.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import aws_cdk as cdk
import pytest

from cdk_sagemaker_monitoring.acknowledge import CHECKOV_METADATA, NAG2_METADATA, acknowledge, skip_checkov
from support.checked_apps import APPS
from support.synth import CDK_CONTEXT, nag_findings, new_app

ROOT = Path(__file__).resolve().parents[1]
NAG2_PYTHON = ROOT / ".venv-nag2" / "bin" / "python"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
SETUP = "tests/checkers/setup.sh"
#: What the checked apps are built with: the suite's default, a bare app (see support.synth.new_app).
CONTEXT: dict = {}


def _tool(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run {SETUP} (./dev test does)", pytrace=False)
    return path


def _run_nag2(context: dict, *apps: str) -> dict:
    done = subprocess.run([str(_tool(NAG2_PYTHON)), "tests/checkers/nag2_findings.py", "--context", json.dumps(context),
                           *apps], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def nag2() -> dict:
    return _run_nag2(CONTEXT)


@pytest.mark.parametrize("name", sorted(APPS))
def test_cdk_nag_3_is_clean(name):
    build, packs = APPS[name]
    assert nag_findings(build, packs=packs) == []


@pytest.mark.parametrize("name", sorted(APPS))
def test_cdk_nag_2_is_clean(nag2, name):
    assert nag2["version"].startswith("2.")
    assert nag2["findings"][name] == []


def test_cdk_nag_2_is_clean_with_every_feature_flag_too():
    assert _run_nag2(CDK_CONTEXT, "bundled_example", "trail_compliant")["findings"] == {
        "bundled_example": [], "trail_compliant": []}


def test_cdk_nag_2_is_not_blind(tmp_path):
    """The same runner reports what the metadata does not cover: a bare bucket, and the acknowledgements removed
    (the findings the issue measured with cdk-nag 2.38 before they were written for it)."""
    script = tmp_path / "blind.py"
    script.write_text(
        "import sys, json\n"
        f"sys.path.insert(0, {str(ROOT / 'tests' / 'checkers')!r})\n"
        "import nag2_findings as runner\n"
        "import aws_cdk as cdk\n"
        "from aws_cdk import aws_s3 as s3\n"
        "from support import checked_apps\n"
        "def bare(app):\n"
        "    checked_apps.trail_defaults(app)\n"
        "    s3.Bucket(cdk.Stack(app, 'Extra', env=checked_apps.ENV), 'Bare')\n"
        "def stripped(app):\n"
        "    checked_apps.trail_compliant(app)\n"
        "    for c in app.node.find_all():\n"
        "        if isinstance(c, cdk.CfnResource) and c.get_metadata('cdk_nag'):\n"
        "            c.add_metadata('cdk_nag', {'rules_to_suppress': []})\n"
        "checked_apps.APPS.update(bare=(bare, ('AwsSolutions',)), stripped=(stripped, checked_apps.ALL_PACKS))\n"
        "print(json.dumps({n: runner.findings(n, json.loads(sys.argv[1])) for n in ('bare', 'stripped')}))\n"
    )
    done = subprocess.run([str(_tool(NAG2_PYTHON)), str(script), json.dumps(CONTEXT)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert "AwsSolutions-S1 Extra/Bare/Resource" in found["bare"]
    stripped = found["stripped"]
    for pack in ("HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321"):
        assert f"{pack}-S3BucketReplicationEnabled TrailCompliant/Trail/Bucket/Resource" in stripped
        assert f"{pack}-S3DefaultEncryptionKMS TrailCompliant/Trail/AccessLogsBucket/Resource" in stripped
    assert any(f.startswith("AwsSolutions-IAM5[Resource::<TrailLogGroup") and ":log-stream:*] " in f for f in stripped)


# --------------------------------------------------------------------------------------------- checkov


def _write_templates(app: cdk.App, directory: Path) -> list[Path]:
    """Every template of the app's assembly (nested stacks included) into ``directory``."""
    assembly = app.synth()
    written = []
    for path in sorted(Path(assembly.directory).glob("*.template.json")):
        target = directory / path.name
        target.write_text(path.read_text())
        written.append(target)
    return written


def _checkov(directory: Path) -> dict:
    done = subprocess.run(
        [str(_tool(CHECKOV)), "-d", str(directory), "--framework", "cloudformation", "--skip-download", "-o", "json"],
        capture_output=True, text=True, timeout=600, cwd=directory)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert isinstance(report, dict) and report["check_type"] == "cloudformation", done.stdout[:500]
    return report


def test_checkov_passes_the_bundled_example_with_the_reasons_carried(tmp_path):
    app = new_app()
    APPS["bundled_example"][0](app)
    templates = _write_templates(app, tmp_path)
    assert templates
    report = _checkov(tmp_path)
    results = report["results"]
    assert [(c["check_id"], c["resource"]) for c in results["failed_checks"]] == []
    assert report["summary"]["passed"] > 40
    skipped = {(c["check_id"], c["resource"].split(".")[0]): c["check_result"]["suppress_comment"]
               for c in results["skipped_checks"]}
    assert set(skipped) == {("CKV_AWS_18", "AWS::S3::Bucket"), ("CKV_AWS_33", "AWS::KMS::Key"),
                            # the failure events (on by default): their dead-letter queue and archive
                            ("CKV_AWS_27", "AWS::SQS::Queue"), ("CKV_AWS_158", "AWS::Logs::LogGroup")}
    assert "would loop" in skipped[("CKV_AWS_18", "AWS::S3::Bucket")]
    assert "kms:CallerAccount" in skipped[("CKV_AWS_33", "AWS::KMS::Key")]
    assert "SQS-managed keys" in skipped[("CKV_AWS_27", "AWS::SQS::Queue")]
    assert "CloudWatch Logs still encrypts" in skipped[("CKV_AWS_158", "AWS::Logs::LogGroup")]


def test_checkov_passes_the_default_trail_of_a_bare_app_with_its_key(tmp_path):
    """The issue's measurement: CKV_AWS_35 (CloudTrail logs encrypted with KMS) failed on the default trail."""
    app = cdk.App()
    APPS["trail_bare"][0](app)
    _write_templates(app, tmp_path)
    report = _checkov(tmp_path)
    results = report["results"]
    assert [(c["check_id"], c["resource"]) for c in results["failed_checks"]] == []
    passed = {(c["check_id"], c["resource"].split(".")[0]) for c in results["passed_checks"]}
    assert {("CKV_AWS_35", "AWS::CloudTrail::Trail"), ("CKV_AWS_36", "AWS::CloudTrail::Trail"),
            ("CKV_AWS_7", "AWS::KMS::Key")} <= passed  # KMS, log file validation, key rotation
    skipped = {(c["check_id"], c["resource"].split(".")[0]) for c in results["skipped_checks"]}
    assert skipped == {("CKV_AWS_18", "AWS::S3::Bucket"), ("CKV_AWS_33", "AWS::KMS::Key")}


def test_a_trail_without_key_carries_the_same_reason_to_every_checker(tmp_path):
    from cdk_sagemaker_monitoring.constructs.experiment_metrics_trail import NO_KEY_REASON

    app = new_app()
    APPS["trail_without_key"][0](app)
    stack = app.node.find_child("TrailWithoutKey")
    trail = stack.node.find_child("Trail").trail
    nag2 = {(rule["id"], rule["reason"]) for rule in trail.get_metadata(NAG2_METADATA)["rules_to_suppress"]}
    assert {(f"{pack}-CloudTrailEncryptionEnabled", NO_KEY_REASON)
            for pack in ("HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")} <= nag2
    assert {"id": "CKV_AWS_35", "comment": NO_KEY_REASON} in trail.get_metadata(CHECKOV_METADATA)["skip"]
    _write_templates(app, tmp_path)
    results = _checkov(tmp_path)["results"]
    assert [(c["check_id"], c["resource"]) for c in results["failed_checks"]] == []
    skipped = {c["check_id"]: c["check_result"]["suppress_comment"] for c in results["skipped_checks"]
               if c["resource"].startswith("AWS::CloudTrail::Trail")}
    assert skipped == {"CKV_AWS_35": NO_KEY_REASON}


@pytest.mark.parametrize("name", ["trail_compliant", "queries_compliant", "monitoring_every_family", "stream",
                                  "trail_defaults", "trail_without_key", "slo_anomaly", "failure_events",
                                  "monitoring_signals"])
def test_checkov_passes_the_other_apps(tmp_path, name):
    app = new_app()
    APPS[name][0](app)
    _write_templates(app, tmp_path)
    assert [(c["check_id"], c["resource"]) for c in _checkov(tmp_path)["results"]["failed_checks"]] == []


# ----------------------------------------------------------------------------------- the metadata itself


def test_both_majors_forms_are_written_on_the_resource():
    stack = cdk.Stack(new_app(), "S")
    from aws_cdk import aws_iam as iam

    policy = iam.ManagedPolicy(stack, "P", statements=[iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"])])
    acknowledge(policy, "AwsSolutions-IAM5[Resource::a/*]", "objects are named by the service itself")
    acknowledge(policy, "AwsSolutions-IAM5[Resource::b/*]", "objects are named by the service too")
    acknowledge(policy, "AwsSolutions-IAM4", "a managed policy of AWS, on purpose")
    skip_checkov(policy, "CKV_AWS_111", "read-only and scoped")
    resource = policy.node.default_child
    assert resource.get_metadata(NAG2_METADATA) == {"rules_to_suppress": [
        {"id": "AwsSolutions-IAM5", "reason": "objects are named by the service itself",
         "applies_to": ["Resource::a/*", "Resource::b/*"]},
        {"id": "AwsSolutions-IAM4", "reason": "a managed policy of AWS, on purpose"},
    ]}
    assert resource.get_metadata(CHECKOV_METADATA) == {
        "skip": [{"id": "CKV_AWS_111", "comment": "read-only and scoped"}]}
    template = cdk.assertions.Template.from_stack(stack).to_json()
    (entry,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    assert set(entry["Metadata"]) >= {NAG2_METADATA, CHECKOV_METADATA}


def test_compliance_acknowledgements_reach_checkov_where_it_has_the_same_check():
    from aws_cdk import aws_logs as logs

    from cdk_sagemaker_monitoring.acknowledge import acknowledge_compliance

    stack = cdk.Stack(new_app(), "S")
    group = logs.LogGroup(stack, "G")
    acknowledge_compliance(group, "CloudWatchLogGroupEncrypted", "the user chose no key for these logs")
    acknowledge_compliance(group, "CloudWatchLogGroupRetentionPeriodSet", "kept as the user asked, on purpose")
    assert group.node.default_child.get_metadata(CHECKOV_METADATA) == {
        "skip": [{"id": "CKV_AWS_158", "comment": "the user chose no key for these logs"}]}


def test_reasons_are_long_enough_for_cdk_nag_2():
    """cdk-nag 2 refuses a suppression whose reason is shorter than 10 characters."""
    app = new_app()
    for build, _ in APPS.values():
        build(app)
    short = [
        (c.node.path, rule["id"])
        for c in app.node.find_all() if isinstance(c, cdk.CfnResource)
        for rule in (c.get_metadata(NAG2_METADATA) or {}).get("rules_to_suppress", [])
        if len(rule["reason"]) < 10
    ]
    assert short == []
