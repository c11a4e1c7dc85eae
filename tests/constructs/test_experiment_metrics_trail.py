"""ExperimentMetricsTrail: the synthesized trail, buckets, key and log group, for defaults and every option."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template

from cdk_sagemaker_monitoring import ConfigurationError, ExperimentMetricsTrail
from cdk_sagemaker_monitoring.constructs.experiment_metrics_trail import RESOURCE_TYPE, TrailBucketLifecycle
from support.synth import TEST_ENV, arn_in_bare_app, cfn_lint, nag_findings, new_app

FULL_OPTIONS = dict(
    trail_name="ml-metrics-trail",
    s3_key_prefix="audit",
    multi_region=False,
    event_names=["BatchPutMetrics"],
    trial_component_prefixes=["churn-", "fraud-model"],
    include_management_events=True,
    encryption_key=True,
    cloudwatch_logs_retention=90,
    lifecycle=TrailBucketLifecycle(transition_after_days=30, expiration_days=400, noncurrent_expiration_days=60),
)


def build_default(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "TrailDefaults", env=TEST_ENV)
    ExperimentMetricsTrail(stack, "Trail")
    return stack


def build_full(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "Full", env=TEST_ENV)
    ExperimentMetricsTrail(stack, "Trail", **FULL_OPTIONS)
    return stack


@pytest.fixture(scope="module")
def default_template() -> dict:
    return Template.from_stack(build_default(new_app())).to_json()


@pytest.fixture(scope="module")
def full_template() -> dict:
    return Template.from_stack(build_full(new_app())).to_json()


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def only(template: dict, kind: str) -> dict:
    found = resources(template, kind)
    assert len(found) == 1, f"expected one {kind}, found {sorted(found)}"
    return next(iter(found.values()))


def field_selectors(trail: dict) -> dict[str, dict]:
    (selector,) = [s for s in trail["Properties"]["AdvancedEventSelectors"] if s["Name"] == "SageMaker Experiments metrics"]
    return {f["Field"]: {k: v for k, v in f.items() if k != "Field"} for f in selector["FieldSelectors"]}


# ----------------------------------------------------------------------------- the trail


def test_default_trail_logs_only_experiment_trial_component_data_events(default_template):
    trail = only(default_template, "AWS::CloudTrail::Trail")
    props = trail["Properties"]
    assert "EventSelectors" not in props, "a trail cannot have basic and advanced selectors"
    assert len(props["AdvancedEventSelectors"]) == 1, "no management events unless asked"
    assert field_selectors(trail) == {
        "eventCategory": {"Equals": ["Data"]},
        "resources.type": {"Equals": [RESOURCE_TYPE]},
    }
    assert props["IsLogging"] is True
    assert props["EnableLogFileValidation"] is True
    assert props["IsMultiRegionTrail"] is True
    assert props["IncludeGlobalServiceEvents"] is True
    (key_id,) = resources(default_template, "AWS::KMS::Key")  # a customer-managed key by default (CIS CloudTrail.2)
    assert props["KMSKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert "CloudWatchLogsLogGroupArn" not in props


def test_default_key_rotates_and_lets_cloudtrail_encrypt_and_the_account_decrypt(default_template):
    (key,) = resources(default_template, "AWS::KMS::Key").values()
    assert key["Properties"]["EnableKeyRotation"] is True and key["DeletionPolicy"] == "Retain"
    statements = {s.get("Sid"): s for s in key["Properties"]["KeyPolicy"]["Statement"]}
    assert set(statements) == {None, "AllowCloudTrailToEncryptLogs", "AllowCloudTrailToDescribeKey",
                               "AllowAccountToDecryptLogs", "AllowCloudWatchLogsToUseKey"}
    assert statements[None]["Principal"] == {"AWS": {"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":iam::123456789012:root"]]}}  # IAM policies decide (queries, readers)
    context = "kms:EncryptionContext:aws:cloudtrail:arn"
    encrypt = statements["AllowCloudTrailToEncryptLogs"]["Condition"]
    assert set(encrypt) == {"StringEquals", "StringLike"} and context in encrypt["StringLike"]
    assert "aws:SourceArn" in encrypt["StringEquals"]
    decrypt = statements["AllowAccountToDecryptLogs"]
    assert decrypt["Condition"]["StringEquals"] == {"kms:CallerAccount": "123456789012"}
    assert set(decrypt["Condition"]["StringLike"]) == {context}


def test_default_trail_meets_the_cis_cloudtrail_controls_a_default_can(default_template):
    """Security Hub's CIS AWS Foundations controls: CloudTrail.2 (KMS), .4 (log file validation), .6 (bucket not
    public), .7 (bucket access logging), KMS.4 (rotation). CloudTrail.1 (management events) and .5 (CloudWatch
    Logs) are the user's choice: include_management_events, cloudwatch_logs_retention."""
    trail = only(default_template, "AWS::CloudTrail::Trail")["Properties"]
    (key_id, key), = resources(default_template, "AWS::KMS::Key").items()
    bucket = default_template["Resources"][trail_bucket_id(default_template)]["Properties"]
    assert trail["KMSKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}  # CloudTrail.2
    assert trail["EnableLogFileValidation"] is True  # CloudTrail.4
    assert all(bucket["PublicAccessBlockConfiguration"].values())  # CloudTrail.6
    assert "DestinationBucketName" in bucket["LoggingConfiguration"]  # CloudTrail.7
    assert key["Properties"]["EnableKeyRotation"] is True  # KMS.4


def test_the_default_is_what_encryption_key_true_gave_byte_for_byte(default_template):
    """Users who wrote encryption_key=True keep their template (and the key's logical id) unchanged."""
    stack = cdk.Stack(new_app(), "TrailDefaults", env=TEST_ENV)
    ExperimentMetricsTrail(stack, "Trail", encryption_key=True)
    assert json.dumps(Template.from_stack(stack).to_json(), sort_keys=True) == json.dumps(default_template,
                                                                                            sort_keys=True)
    assert "TrailKey31F874A3" in default_template["Resources"]


def build_without_key(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "TrailDefaults", env=TEST_ENV)  # the same stack and construct ids as build_default
    ExperimentMetricsTrail(stack, "Trail", encryption_key=False)
    return stack


def test_a_deployment_of_the_former_default_gets_its_key_without_replacing_anything(default_template):
    """Before, the default had no key: the key is added beside the same trail and buckets (same logical ids),
    and every property that changes is one CloudFormation updates in place (not createOnly in its schema)."""
    from cfnlint.schema import PROVIDER_SCHEMA_MANAGER

    before = Template.from_stack(build_without_key(new_app())).to_json()["Resources"]
    after = default_template["Resources"]
    assert set(before) < set(after)
    assert {after[i]["Type"] for i in set(after) - set(before)} == {"AWS::KMS::Key"}
    changed = {}
    for logical_id, resource in before.items():
        old, new = resource["Properties"], after[logical_id]["Properties"]
        keys = {k for k in set(old) | set(new) if old.get(k) != new.get(k)}
        if keys:
            changed[resource["Type"]] = keys
            create_only = PROVIDER_SCHEMA_MANAGER.get_resource_schema("us-east-1", resource["Type"]).schema.get(
                "createOnlyProperties", [])
            assert not keys & {p.rsplit("/", 1)[-1] for p in create_only}, (logical_id, keys)
    assert changed == {"AWS::CloudTrail::Trail": {"KMSKeyId"},
                       "AWS::S3::Bucket": {"BucketEncryption"}}


def test_default_trail_name_is_stable_and_valid(default_template):
    name = only(default_template, "AWS::CloudTrail::Trail")["Properties"]["TrailName"]
    again = only(Template.from_stack(build_default(new_app())).to_json(), "AWS::CloudTrail::Trail")
    assert again["Properties"]["TrailName"] == name
    from cdk_sagemaker_monitoring.names import TRAIL

    assert TRAIL.pattern.fullmatch(name)


def test_full_trail_selectors(full_template):
    trail = only(full_template, "AWS::CloudTrail::Trail")
    props = trail["Properties"]
    assert props["TrailName"] == "ml-metrics-trail"
    assert props["S3KeyPrefix"] == "audit"
    assert props["IsMultiRegionTrail"] is False
    assert props["IncludeGlobalServiceEvents"] is False
    fields = field_selectors(trail)
    assert fields["eventName"] == {"Equals": ["BatchPutMetrics"]}
    starts = fields["resources.ARN"]["StartsWith"]
    assert len(starts) == 2
    rendered = json.dumps(starts)
    assert "experiment-trial-component/" in rendered and "churn-" in rendered and "fraud-model" in rendered
    assert "AWS::Region" in rendered and "AWS::AccountId" in rendered and "AWS::Partition" in rendered
    management = [s for s in props["AdvancedEventSelectors"] if s["Name"] == "Management events"]
    assert management == [{"Name": "Management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]


def test_full_trail_encryption_and_cloudwatch_logs(full_template):
    props = only(full_template, "AWS::CloudTrail::Trail")["Properties"]
    (key_id,) = resources(full_template, "AWS::KMS::Key")
    assert props["KMSKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    (group_id,) = resources(full_template, "AWS::Logs::LogGroup")
    assert props["CloudWatchLogsLogGroupArn"] == {"Fn::GetAtt": [group_id, "Arn"]}
    (role_id,) = resources(full_template, "AWS::IAM::Role")
    assert props["CloudWatchLogsRoleArn"] == {"Fn::GetAtt": [role_id, "Arn"]}
    group = full_template["Resources"][group_id]
    assert group["Properties"]["RetentionInDays"] == 90
    assert group["Properties"]["KmsKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}
    assert group["DeletionPolicy"] == "Retain"
    role = full_template["Resources"][role_id]
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    (policy_id,) = resources(full_template, "AWS::IAM::ManagedPolicy")
    assert policy_id in only(full_template, "AWS::CloudTrail::Trail")["DependsOn"], "CloudTrail checks log delivery at create"
    policy = full_template["Resources"][policy_id]["Properties"]
    assert policy["Roles"] == [{"Ref": role_id}]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert sorted(statement["Action"]) == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert statement["Resource"] == {"Fn::Join": ["", [{"Fn::GetAtt": [group_id, "Arn"]}, ":log-stream:*"]]}


def test_full_key_rotation_and_policy(full_template):
    (key,) = resources(full_template, "AWS::KMS::Key").values()
    assert key["Properties"]["EnableKeyRotation"] is True
    assert key["DeletionPolicy"] == "Retain"
    statements = {s.get("Sid"): s for s in key["Properties"]["KeyPolicy"]["Statement"]}
    encrypt = statements["AllowCloudTrailToEncryptLogs"]
    assert encrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert encrypt["Action"] == "kms:GenerateDataKey*"
    source_arn = json.dumps(encrypt["Condition"]["StringEquals"]["aws:SourceArn"])
    assert "trail/ml-metrics-trail" in source_arn
    assert "kms:EncryptionContext:aws:cloudtrail:arn" in encrypt["Condition"]["StringLike"]
    assert statements["AllowCloudTrailToDescribeKey"]["Action"] == "kms:DescribeKey"
    decrypt = statements["AllowAccountToDecryptLogs"]
    assert decrypt["Condition"]["StringEquals"] == {"kms:CallerAccount": "123456789012"}
    logs_stmt = statements["AllowCloudWatchLogsToUseKey"]
    assert logs_stmt["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}


# ----------------------------------------------------------------------------- the buckets


def trail_bucket_id(template: dict) -> str:
    return only(template, "AWS::CloudTrail::Trail")["Properties"]["S3BucketName"]["Ref"]


@pytest.mark.parametrize("which", ["default", "full"])
def test_buckets_are_hardened_and_retained(which, default_template, full_template):
    template = default_template if which == "default" else full_template
    buckets = resources(template, "AWS::S3::Bucket")
    assert len(buckets) == 2
    trail_bucket = trail_bucket_id(template)
    (logs_bucket,) = [b for b in buckets if b != trail_bucket]
    for logical_id, bucket in buckets.items():
        props = bucket["Properties"]
        assert bucket["DeletionPolicy"] == "Retain" and bucket["UpdateReplacePolicy"] == "Retain", logical_id
        assert props["PublicAccessBlockConfiguration"] == {
            "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
        }
        assert props["VersioningConfiguration"] == {"Status": "Enabled"}
        assert props["LifecycleConfiguration"]["Rules"], logical_id
    trail_props = buckets[trail_bucket]["Properties"]
    assert trail_props["LoggingConfiguration"]["DestinationBucketName"] == {"Ref": logs_bucket}
    sse = trail_props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    (key_id,) = resources(template, "AWS::KMS::Key")
    assert sse == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]}}
    assert trail_props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["BucketKeyEnabled"] is True
    logs_sse = buckets[logs_bucket]["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert logs_sse["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}


@pytest.mark.parametrize("which", ["default", "full"])
def test_every_bucket_policy_denies_plain_http(which, default_template, full_template):
    template = default_template if which == "default" else full_template
    policies = resources(template, "AWS::S3::BucketPolicy").values()
    assert len(policies) == 2
    for policy in policies:
        denies = [s for s in policy["Properties"]["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
        assert any(s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in denies)


def cloudtrail_statements(template: dict) -> dict[str, dict]:
    bucket = trail_bucket_id(template)
    (policy,) = [p for p in resources(template, "AWS::S3::BucketPolicy").values() if p["Properties"]["Bucket"] == {"Ref": bucket}]
    return {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"] if "Sid" in s}


def test_bucket_policy_is_what_cloudtrail_needs_with_source_arn(default_template):
    statements = cloudtrail_statements(default_template)
    trail_name = only(default_template, "AWS::CloudTrail::Trail")["Properties"]["TrailName"]
    assert trail_name.startswith("TrailDefaults-Trail-"), "default names carry the stack name, unique per account"
    expected_arn = arn_in_bare_app(f"arn:aws:cloudtrail:us-east-1:123456789012:trail/{trail_name}")
    acl = statements["AWSCloudTrailAclCheck"]
    assert acl["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert acl["Action"] == "s3:GetBucketAcl"
    assert acl["Condition"] == {"StringEquals": {"aws:SourceArn": expected_arn}}
    write = statements["AWSCloudTrailWrite"]
    assert write["Action"] == "s3:PutObject"
    assert write["Condition"] == {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": expected_arn}}
    assert json.dumps(write["Resource"]).endswith('"/AWSLogs/123456789012/*"]]}')


def test_bucket_policy_never_references_the_trail_resource(default_template, full_template):
    for template in (default_template, full_template):
        trail_id = next(iter(resources(template, "AWS::CloudTrail::Trail")))
        for policy in resources(template, "AWS::S3::BucketPolicy").values():
            assert trail_id not in json.dumps(policy), "policy -> trail -> policy would be a cycle"


def test_key_prefix_goes_into_the_write_statement(full_template):
    write = cloudtrail_statements(full_template)["AWSCloudTrailWrite"]
    assert json.dumps(write["Resource"]).endswith('"/audit/AWSLogs/123456789012/*"]]}')


def test_trail_waits_for_the_bucket_policy(default_template):
    trail = only(default_template, "AWS::CloudTrail::Trail")
    bucket = trail_bucket_id(default_template)
    (policy_id,) = [k for k, p in resources(default_template, "AWS::S3::BucketPolicy").items()
                    if p["Properties"]["Bucket"] == {"Ref": bucket}]
    assert policy_id in trail["DependsOn"]


def test_lifecycle_rules_follow_the_arguments(default_template, full_template):
    def rule(template):
        (r,) = resources(template, "AWS::S3::Bucket")[trail_bucket_id(template)]["Properties"]["LifecycleConfiguration"]["Rules"]
        return r

    default = rule(default_template)
    assert default["Transitions"] == [{"StorageClass": "GLACIER_IR", "TransitionInDays": 90}]
    assert "ExpirationInDays" not in default, "audit logs are kept unless the user asks otherwise"
    assert default["NoncurrentVersionExpiration"] == {"NoncurrentDays": 365}
    full = rule(full_template)
    assert full["Transitions"] == [{"StorageClass": "GLACIER_IR", "TransitionInDays": 30}]
    assert full["ExpirationInDays"] == 400
    assert full["NoncurrentVersionExpiration"] == {"NoncurrentDays": 60}


def test_callers_bucket_is_used_and_gets_the_policy():
    app = new_app()
    stack = cdk.Stack(app, "Own", env=TEST_ENV)
    bucket = s3.Bucket(stack, "MyBucket", enforce_ssl=True)
    trail = ExperimentMetricsTrail(stack, "Trail", bucket=bucket)
    template = Template.from_stack(stack).to_json()
    assert len(resources(template, "AWS::S3::Bucket")) == 1, "no bucket of our own when the caller gives one"
    assert trail.bucket is bucket
    assert "AWSCloudTrailWrite" in cloudtrail_statements(template)


def test_imported_bucket_warns_that_the_policy_is_the_callers_job():
    app = new_app()
    stack = cdk.Stack(app, "Imported", env=TEST_ENV)
    bucket = s3.Bucket.from_bucket_name(stack, "Existing", "existing-audit-bucket")
    ExperimentMetricsTrail(stack, "Trail", bucket=bucket)
    warnings = cdk.assertions.Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp("bucket_policy_statements"))
    assert warnings
    assert not warnings[0].entry.trace  # the CDK CLI would print the trace's jsii frame as a stray line


def test_existing_key_is_used():
    app = new_app()
    stack = cdk.Stack(app, "OwnKey", env=TEST_ENV)
    key = kms.Key(stack, "MyKey", enable_key_rotation=True)
    trail = ExperimentMetricsTrail(stack, "Trail", encryption_key=key)
    template = Template.from_stack(stack).to_json()
    assert trail.encryption_key is key
    assert len(resources(template, "AWS::KMS::Key")) == 1
    key_id = stack.get_logical_id(key.node.default_child)
    assert only(template, "AWS::CloudTrail::Trail")["Properties"]["KMSKeyId"] == {"Fn::GetAtt": [key_id, "Arn"]}


def test_grant_read_covers_the_logs_and_the_key():
    from aws_cdk import aws_iam as iam

    app = new_app()
    stack = cdk.Stack(app, "Grant", env=TEST_ENV)
    trail = ExperimentMetricsTrail(stack, "Trail", encryption_key=True)
    role = iam.Role(stack, "Reader", assumed_by=iam.AccountRootPrincipal())
    trail.grant_read(role)
    template = Template.from_stack(stack).to_json()
    policy = json.dumps(only(template, "AWS::IAM::Policy"))
    assert "s3:GetObject*" in policy and "s3:List*" in policy
    assert "AWSLogs/123456789012/CloudTrail/*" in policy
    assert "kms:Decrypt" in policy


def test_trail_arn_names_the_trail():
    app = new_app()
    stack = cdk.Stack(app, "Arn", env=TEST_ENV)
    trail = ExperimentMetricsTrail(stack, "Trail", trail_name="abc")
    assert stack.resolve(trail.trail_arn) == arn_in_bare_app("arn:aws:cloudtrail:us-east-1:123456789012:trail/abc")
    agnostic = cdk.Stack(app, "Agnostic")
    assert agnostic.resolve(ExperimentMetricsTrail(agnostic, "Trail", trail_name="abc").trail_arn) == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":cloudtrail:", {"Ref": "AWS::Region"}, ":",
                          {"Ref": "AWS::AccountId"}, ":trail/abc"]]
    }


# ----------------------------------------------------------------------------- lint, nag, snapshots


@pytest.mark.parametrize("which", ["default", "full"])
def test_cfn_lint_is_clean(which, default_template, full_template):
    assert cfn_lint(default_template if which == "default" else full_template) == []


def test_nag_all_packs_clean_for_defaults():
    assert nag_findings(build_default) == []


def test_nag_all_packs_clean_without_a_key_with_the_choice_acknowledged():
    assert nag_findings(build_without_key) == []
    sse = Template.from_stack(build_without_key(new_app())).to_json()
    bucket = sse["Resources"][trail_bucket_id(sse)]["Properties"]["BucketEncryption"]
    assert bucket["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert "KMSKeyId" not in only(sse, "AWS::CloudTrail::Trail")["Properties"]


def test_nag_all_packs_clean_with_encryption_and_cloudwatch_logs():
    assert nag_findings(build_full) == []


def test_nag_catches_what_the_construct_fixes():
    """The nag helper is not blind: a bare bucket next to the trail is reported."""

    def build(app):
        stack = build_default(app)
        s3.Bucket(stack, "Bare")

    findings = nag_findings(build, packs=["AwsSolutions"])
    assert any(f.startswith("AwsSolutions-S1 ") and "/Bare/" in f for f in findings)


def test_snapshot_default(default_template, snapshot):
    assert default_template == snapshot


def test_snapshot_full(full_template, snapshot):
    assert full_template == snapshot


def test_synthesis_is_deterministic(default_template, full_template):
    again = Template.from_stack(build_full(new_app())).to_json()
    assert json.dumps(again, sort_keys=True) == json.dumps(full_template, sort_keys=True)


# ----------------------------------------------------------------------------- bad arguments


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"trail_name": "ab"}, "trail_name"),
        ({"trail_name": "-starts-with-dash"}, "trail_name"),
        ({"trail_name": "has space"}, "trail_name"),
        ({"trail_name": "two..dots"}, "trail_name"),
        ({"trail_name": "x" * 129}, "trail_name"),
        ({"trail_name": "192.168.1.1"}, "trail_name"),
        ({"event_names": []}, "event_names"),
        ({"event_names": "BatchPutMetrics"}, "event_names"),
        ({"event_names": ["batch put"]}, "event_names[0]"),
        ({"event_names": ["BatchPutMetrics", "BatchPutMetrics"]}, "event_names"),
        ({"trial_component_prefixes": ["ok", "bad/prefix"]}, "trial_component_prefixes[1]"),
        ({"trial_component_prefixes": ["-leading"]}, "trial_component_prefixes[0]"),
        ({"trial_component_prefixes": ["Churn-"]}, "trial_component_prefixes[0]"),
        ({"trial_component_prefixes": ["a" * 121]}, "trial_component_prefixes[0]"),
        ({"cloudwatch_logs_retention": 42}, "cloudwatch_logs_retention"),
        ({"cloudwatch_logs_retention": "30"}, "cloudwatch_logs_retention"),
        ({"encryption_key": "yes"}, "encryption_key"),
        ({"s3_key_prefix": "a//b"}, "s3_key_prefix"),
        ({"lifecycle": TrailBucketLifecycle(transition_after_days=0)}, "lifecycle.transition_after_days"),
        ({"lifecycle": TrailBucketLifecycle(transition_after_days=90, expiration_days=30)}, "lifecycle.expiration_days"),
        ({"organization": True}, "organization_id"),
        ({"organization": True, "organization_id": "o-short"}, "organization_id"),
        ({"organization_id": "o-a1b2c3d4e5"}, "organization_id"),
        ({"encryption_key": 3}, "encryption_key"),
    ],
)
def test_bad_arguments_are_refused_naming_the_argument(kwargs, field):
    app = new_app()
    stack = cdk.Stack(app, "Bad", env=TEST_ENV)
    with pytest.raises(ConfigurationError) as caught:
        ExperimentMetricsTrail(stack, "Trail", **kwargs)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")
    assert "Trail" not in [c.node.id for c in stack.node.children], "nothing half-built is left in the tree"


def test_valid_edge_names_are_accepted():
    app = new_app()
    stack = cdk.Stack(app, "Edges", env=TEST_ENV)
    ExperimentMetricsTrail(stack, "A", trail_name="abc", trial_component_prefixes=["a"], cloudwatch_logs_retention=1)
    ExperimentMetricsTrail(stack, "B", trail_name="a.b_c-d" + "x" * 121, event_names=["BatchPutMetrics", "BatchGetMetrics"])
    assert len(Template.from_stack(stack).find_resources("AWS::CloudTrail::Trail")) == 2


# ----------------------------------------------------------------------------- empty means none, one path


def test_empty_prefixes_narrow_nothing():
    app = new_app()
    stack = cdk.Stack(app, "EmptyPrefixes", env=TEST_ENV)
    ExperimentMetricsTrail(stack, "Trail", trial_component_prefixes=[])
    selectors = only(Template.from_stack(stack).to_json(), "AWS::CloudTrail::Trail")["Properties"][
        "AdvancedEventSelectors"]
    fields = [f["Field"] for s in selectors for f in s["FieldSelectors"]]
    assert fields == ["eventCategory", "resources.type"]  # no resources.ARN filter: every run


def test_empty_event_names_would_log_nothing():
    app = new_app()
    stack = cdk.Stack(app, "NoEvents", env=TEST_ENV)
    with pytest.raises(ConfigurationError) as caught:
        ExperimentMetricsTrail(stack, "Trail", event_names=[])
    assert caught.value.field == "event_names" and "would log no event" in caught.value.problem


@pytest.mark.parametrize(("kwargs", "yaml_text"), [
    ({"trail_name": "ab"}, "trail: {name: ab}"),
    ({"event_names": []}, "trail: {event_names: []}"),
    ({"event_names": ["batch put"]}, "trail: {event_names: [batch put]}"),
    ({"trial_component_prefixes": ["Churn-"]}, "trail: {trial_component_prefixes: [Churn-]}"),
    ({"cloudwatch_logs_retention": 42}, "trail: {cloudwatch_logs_retention_days: 42}"),
    ({"encryption_key": "yes"}, "trail: {encryption_key: 'yes'}"),
    ({"organization": True, "organization_id": "o-short"}, "trail: {organization: true, organization_id: o-short}"),
])
def test_the_construct_and_the_file_refuse_alike(kwargs, yaml_text):
    """One validation path: the same problem and fix from the keyword argument and from the YAML key."""
    from cdk_sagemaker_monitoring.config.loader import parse_config

    stack = cdk.Stack(new_app(), "Alike", env=TEST_ENV)
    with pytest.raises(ConfigurationError) as construct:
        ExperimentMetricsTrail(stack, "Trail", **kwargs)
    with pytest.raises(ConfigurationError) as file:
        parse_config(yaml_text + "\n", source="t.yaml")
    (from_file,) = file.value.errors
    assert from_file.field.startswith("trail.")
    assert (construct.value.problem, construct.value.fix) == (from_file.problem, from_file.fix)


# ----------------------------------------------------------------------------- organization trail


@pytest.fixture(scope="module")
def org_template() -> dict:
    stack = cdk.Stack(new_app(), "Management", env=TEST_ENV)
    ExperimentMetricsTrail(stack, "Trail", trail_name="org-metrics", organization=True,
                           organization_id="o-a1b2c3d4e5", encryption_key=True, cloudwatch_logs_retention=365)
    return Template.from_stack(stack).to_json()


def test_organization_trail_is_one(org_template):
    props = only(org_template, "AWS::CloudTrail::Trail")["Properties"]
    assert props["IsOrganizationTrail"] is True and props["IsMultiRegionTrail"] is True


def test_organization_trail_bucket_policy(org_template):
    trail_arn = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"},
                                   ":cloudtrail:us-east-1:123456789012:trail/org-metrics"]]}
    statements = [s for p in resources(org_template, "AWS::S3::BucketPolicy").values()
                  for s in p["Properties"]["PolicyDocument"]["Statement"]
                  if s.get("Sid", "").startswith("AWSCloudTrail")]
    (acl,) = [s for s in statements if s["Sid"] == "AWSCloudTrailAclCheck"]
    (write,) = [s for s in statements if s["Sid"] == "AWSCloudTrailWrite"]
    assert acl["Condition"] == {"StringEquals": {"aws:SourceArn": trail_arn}}
    assert write["Condition"] == {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                                   "aws:SourceArn": trail_arn}}
    written = [r["Fn::Join"][1][1] for r in write["Resource"]]
    assert written == ["/AWSLogs/123456789012/*", "/AWSLogs/o-a1b2c3d4e5/*"]


def test_organization_trail_key_policy(org_template):
    statements = {s["Sid"]: s for s in only(org_template, "AWS::KMS::Key")["Properties"]["KeyPolicy"]["Statement"]
                  if "Sid" in s}
    org = statements["AllowOrganizationToDecryptLogs"]
    assert org["Action"] == ["kms:Decrypt", "kms:ReEncryptFrom"]
    assert org["Condition"]["StringEquals"] == {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}
    assert "kms:EncryptionContext:aws:cloudtrail:arn" in org["Condition"]["StringLike"]
    encrypt = statements["AllowCloudTrailToEncryptLogs"]
    assert "trail/org-metrics" in json.dumps(encrypt["Condition"]["StringEquals"]["aws:SourceArn"])


def test_organization_trail_grant_read_covers_every_account():
    from aws_cdk import aws_iam as iam

    stack = cdk.Stack(new_app(), "OrgGrant", env=TEST_ENV)
    trail = ExperimentMetricsTrail(stack, "Trail", organization=True, organization_id="o-a1b2c3d4e5")
    assert trail.logs_root == "AWSLogs/o-a1b2c3d4e5/"
    assert trail.logs_prefix == "AWSLogs/o-a1b2c3d4e5/123456789012/CloudTrail/"
    trail.grant_read(iam.Role(stack, "Reader", assumed_by=iam.AccountRootPrincipal()))
    policy = json.dumps(only(Template.from_stack(stack).to_json(), "AWS::IAM::Policy"))
    assert "AWSLogs/o-a1b2c3d4e5/*" in policy


def test_organization_trail_cfn_lint_and_nag_clean(org_template):
    assert cfn_lint(org_template) == []

    def build(app: cdk.App) -> None:
        stack = cdk.Stack(app, "Management", env=TEST_ENV)
        ExperimentMetricsTrail(stack, "Trail", organization=True, organization_id="o-a1b2c3d4e5",
                               encryption_key=True, cloudwatch_logs_retention=365)
    assert nag_findings(build) == []
