"""ExperimentMetricsQueries: Glue table with partition projection, Athena workgroup, named queries, policy."""

from __future__ import annotations

import datetime as dt
import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from cdk_sagemaker_monitoring import ConfigurationError, ExperimentMetricsQueries, ExperimentMetricsTrail
from cdk_sagemaker_monitoring.queries import glue_table as ct
from cdk_sagemaker_monitoring.queries.named import metric_queries
from support.synth import TEST_ENV, arn_in_bare_app, cfn_lint, nag_findings, new_app, template_of

COMPLIANT_TRAIL = dict(encryption_key=True, cloudwatch_logs_retention=365)


def build_default(app: cdk.App) -> cdk.Stack:
    stack = cdk.Stack(app, "QueriesDefaults", env=TEST_ENV)
    trail = ExperimentMetricsTrail(stack, "Trail")
    ExperimentMetricsQueries(stack, "Queries", trail=trail)
    return stack


def build_full(app: cdk.App) -> cdk.Stack:
    """Every option, on a compliant single-region trail with a key and a prefix; an analyst role."""
    stack = cdk.Stack(app, "QueriesFull", env=TEST_ENV)
    trail = ExperimentMetricsTrail(stack, "Trail", multi_region=False, s3_key_prefix="audit/ml", **COMPLIANT_TRAIL)
    queries = ExperimentMetricsQueries(
        stack, "Queries", trail=trail,
        accounts=["123456789012", "210987654321"],
        projection_start=dt.date(2024, 3, 1),
        database_name="ml_metrics",
        table_name="trail_events",
        workgroup_name="ml-metrics",
        bytes_scanned_cutoff_per_query=50 * 1024**3,
        results_expiration_days=3,
        lookback_days=30,
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    analyst = iam.Role(stack, "Analyst", assumed_by=iam.AccountRootPrincipal())
    queries.grant_query(analyst)
    return stack


def build_bucket_mode(app: cdk.App) -> cdk.Stack:
    """Queries over another (organization) trail's bucket, with a key of its own for the results."""
    stack = cdk.Stack(app, "QueriesOverBucket", env=TEST_ENV)
    bucket = s3.Bucket.from_bucket_name(stack, "OrgTrailBucket", "org-trail-logs")
    ExperimentMetricsQueries(
        stack, "Queries", bucket=bucket, s3_key_prefix="/central/", organization_id="o-a1b2c3d4e5",
        regions=["eu-west-1", "us-east-1"], projection_start="NOW-90DAYS", results_encryption_key=True,
    )
    return stack


def build_agnostic(app: cdk.App) -> cdk.Stack:
    """No account or region at synth: both come from the deployment (tokens)."""
    stack = cdk.Stack(app, "QueriesAgnostic")
    trail = ExperimentMetricsTrail(stack, "Trail", **COMPLIANT_TRAIL)
    ExperimentMetricsQueries(stack, "Queries", trail=trail)
    return stack


def build_compliant(app: cdk.App) -> None:
    build_full(app)
    build_bucket_mode(app)
    build_agnostic(app)
    stack = cdk.Stack(app, "QueriesOnCompliantTrail", env=TEST_ENV)
    trail = ExperimentMetricsTrail(stack, "Trail", **COMPLIANT_TRAIL)
    ExperimentMetricsQueries(stack, "Queries", trail=trail, results_encryption_key=False)


@pytest.fixture(scope="module")
def templates() -> dict[str, dict]:
    app = new_app()
    stacks = {"default": build_default(app), "full": build_full(app), "bucket": build_bucket_mode(app),
              "agnostic": build_agnostic(app)}
    return {name: template_of(stack) for name, stack in stacks.items()}


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def only(template: dict, kind: str) -> tuple[str, dict]:
    found = resources(template, kind)
    assert len(found) == 1, f"expected one {kind}, found {sorted(found)}"
    return next(iter(found.items()))


def logical_id(template: dict, kind: str, startswith: str) -> str:
    ids = [k for k in resources(template, kind) if k.startswith(startswith)]
    assert len(ids) == 1, ids
    return ids[0]


def table_input(template: dict) -> dict:
    return only(template, "AWS::Glue::Table")[1]["Properties"]["TableInput"]


def workgroup_config(template: dict) -> dict:
    return only(template, "AWS::Athena::WorkGroup")[1]["Properties"]["WorkGroupConfiguration"]


def policy_statements(template: dict) -> dict[str, dict]:
    policy = resources(template, "AWS::IAM::ManagedPolicy")[logical_id(template, "AWS::IAM::ManagedPolicy", "QueriesQueryPolicy")]
    return {s["Sid"]: s for s in policy["Properties"]["PolicyDocument"]["Statement"]}


# ----------------------------------------------------------------------------------- Glue table


def test_table_reads_cloudtrail_files_with_the_cloudtrail_serde(templates):
    table = table_input(templates["default"])
    storage = table["StorageDescriptor"]
    assert storage["SerdeInfo"]["SerializationLibrary"] == "com.amazon.emr.hive.serde.CloudTrailSerde"
    assert storage["InputFormat"] == "com.amazon.emr.cloudtrail.CloudTrailInputFormat"
    assert storage["OutputFormat"] == "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
    columns = {c["Name"]: c["Type"] for c in storage["Columns"]}
    # the fields the metrics relation reads
    assert columns["requestparameters"] == "string"
    assert columns["resources"] == "array<struct<arn:string,accountid:string,type:string>>"
    for name in ("eventtime", "eventname", "awsregion", "recipientaccountid"):
        assert columns[name] == "string"
    assert "accountid:string" in columns["useridentity"]
    assert table["TableType"] == "EXTERNAL_TABLE"
    assert table["Name"] == "cloudtrail_events"


def test_table_projects_account_region_and_day_over_the_trail_prefix(templates):
    template = templates["default"]
    table = table_input(template)
    bucket = logical_id(template, "AWS::S3::Bucket", "TrailBucket")
    params = table["Parameters"]
    assert [k["Name"] for k in table["PartitionKeys"]] == ["account", "region", "day"]
    assert params["projection.enabled"] == "true"
    assert params["projection.account.type"] == "enum"
    assert params["projection.account.values"] == TEST_ENV.account
    assert params["projection.region.type"] == "enum"
    regions = params["projection.region.values"].split(",")
    # a multi-region trail: every region of the partition, and only that partition
    assert {"us-east-1", "eu-west-1", "ap-southeast-2"} <= set(regions)
    assert not [r for r in regions if r.startswith(("cn-", "us-gov-", "us-iso"))]
    assert regions == sorted(regions)
    assert params["projection.day.type"] == "date"
    assert params["projection.day.format"] == "yyyy/MM/dd"
    assert params["projection.day.range"] == "NOW-1YEARS,NOW"
    assert params["projection.day.interval.unit"] == "DAYS"
    assert params["storage.location.template"] == {
        "Fn::Join": ["", ["s3://", {"Ref": bucket}, "/AWSLogs/${account}/CloudTrail/${region}/${day}"]]
    }
    assert table["StorageDescriptor"]["Location"] == {"Fn::Join": ["", ["s3://", {"Ref": bucket}, "/AWSLogs/"]]}


def test_options_shape_the_projection(templates):
    params = table_input(templates["full"])["Parameters"]
    assert params["projection.account.values"] == "123456789012,210987654321"
    assert params["projection.region.values"] == "us-east-1"  # a single-region trail logs its own region only
    assert params["projection.day.range"] == "2024/03/01,NOW"
    assert params["storage.location.template"]["Fn::Join"][1][-1] == (
        "/audit/ml/AWSLogs/${account}/CloudTrail/${region}/${day}"
    )
    org = table_input(templates["bucket"])
    assert org["Parameters"]["storage.location.template"] == (
        "s3://org-trail-logs/central/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${day}"
    )
    assert org["Parameters"]["projection.region.values"] == "eu-west-1,us-east-1"
    assert org["Parameters"]["projection.day.range"] == "NOW-90DAYS,NOW"
    assert org["StorageDescriptor"]["Location"] == "s3://org-trail-logs/central/AWSLogs/o-a1b2c3d4e5/"


def test_database_and_names(templates):
    _, database = only(templates["full"], "AWS::Glue::Database")
    assert database["Properties"]["DatabaseInput"]["Name"] == "ml_metrics"
    assert database["Properties"]["CatalogId"] == TEST_ENV.account
    assert table_input(templates["full"])["Name"] == "trail_events"
    _, table = only(templates["full"], "AWS::Glue::Table")
    assert table["Properties"]["DatabaseName"] == "ml_metrics"
    default_name = only(templates["default"], "AWS::Glue::Database")[1]["Properties"]["DatabaseInput"]["Name"]
    assert default_name == default_name.lower() and default_name.replace("_", "").isalnum()


# ----------------------------------------------------------------------------------- workgroup, results


def test_workgroup_enforces_results_location_encryption_and_cutoff(templates):
    template = templates["default"]
    config = workgroup_config(template)
    results = logical_id(template, "AWS::S3::Bucket", "QueriesResultsBucket")
    assert config["EnforceWorkGroupConfiguration"] is True
    assert config["BytesScannedCutoffPerQuery"] == 10 * 1024**3
    assert config["EngineVersion"] == {"SelectedEngineVersion": "Athena engine version 3"}
    assert config["PublishCloudWatchMetricsEnabled"] is True
    assert config["ResultConfiguration"]["OutputLocation"] == {"Fn::Join": ["", ["s3://", {"Ref": results}, "/results/"]]}
    trail_key = logical_id(template, "AWS::KMS::Key", "TrailKey")  # the default trail's key encrypts results too
    assert config["ResultConfiguration"]["EncryptionConfiguration"] == {
        "EncryptionOption": "SSE_KMS", "KmsKey": {"Fn::GetAtt": [trail_key, "Arn"]}}
    assert config["ResultConfiguration"]["ExpectedBucketOwner"] == TEST_ENV.account
    assert workgroup_config(templates["full"])["BytesScannedCutoffPerQuery"] == 50 * 1024**3
    assert only(templates["full"], "AWS::Athena::WorkGroup")[1]["Properties"]["Name"] == "ml-metrics"


def test_results_bucket_is_hardened_and_forgets_results(templates):
    template = templates["default"]
    results_id = logical_id(template, "AWS::S3::Bucket", "QueriesResultsBucket")
    bucket = template["Resources"][results_id]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "BlockPublicPolicy": True, "IgnorePublicAcls": True, "RestrictPublicBuckets": True,
    }
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"] == {
        "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": [logical_id(template, "AWS::KMS::Key", "TrailKey"),
                                                                    "Arn"]}}
    [rule] = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["ExpirationInDays"] == 7 and rule["Status"] == "Enabled"
    assert rule["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1}
    # server access logs go to the trail's access-log bucket
    access_logs = logical_id(template, "AWS::S3::Bucket", "TrailAccessLogsBucket")
    assert bucket["LoggingConfiguration"] == {
        "DestinationBucketName": {"Ref": access_logs}, "LogFilePrefix": "athena-results-bucket/",
    }
    policies = [p["Properties"] for p in resources(template, "AWS::S3::BucketPolicy").values()
                if p["Properties"]["Bucket"] == {"Ref": results_id}]
    [policy] = policies
    [deny] = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    full_rule = next(v for k, v in resources(templates["full"], "AWS::S3::Bucket").items()
                     if k.startswith("QueriesResultsBucket"))["Properties"]["LifecycleConfiguration"]["Rules"][0]
    assert full_rule["ExpirationInDays"] == 3


def test_results_follow_the_trail_key(templates):
    template = templates["full"]
    key = logical_id(template, "AWS::KMS::Key", "TrailKey")
    assert not [k for k in resources(template, "AWS::KMS::Key") if k.startswith("Queries")]
    encryption = workgroup_config(template)["ResultConfiguration"]["EncryptionConfiguration"]
    assert encryption == {"EncryptionOption": "SSE_KMS", "KmsKey": {"Fn::GetAtt": [key, "Arn"]}}
    results = next(v for k, v in resources(template, "AWS::S3::Bucket").items() if k.startswith("QueriesResultsBucket"))
    default = results["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert default["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": {"Fn::GetAtt": [key, "Arn"]}}
    statements = policy_statements(template)
    assert statements["DecryptTheTrailLogs"]["Action"] == "kms:Decrypt"
    assert statements["DecryptTheTrailLogs"]["Resource"] == {"Fn::GetAtt": [key, "Arn"]}
    assert statements["EncryptQueryResults"]["Resource"] == {"Fn::GetAtt": [key, "Arn"]}


def test_a_key_of_its_own_for_results_and_own_access_logs_in_bucket_mode(templates):
    template = templates["bucket"]
    key_id, key = only(template, "AWS::KMS::Key")
    assert key_id.startswith("QueriesResultsKey") and key["Properties"]["EnableKeyRotation"] is True
    encryption = workgroup_config(template)["ResultConfiguration"]["EncryptionConfiguration"]
    assert encryption == {"EncryptionOption": "SSE_KMS", "KmsKey": {"Fn::GetAtt": [key_id, "Arn"]}}
    assert logical_id(template, "AWS::S3::Bucket", "QueriesAccessLogsBucket")
    statements = policy_statements(template)
    assert "DecryptTheTrailLogs" not in statements
    # the stack's region is known, so the partition is a literal (cdk.json: enablePartitionLiterals)
    assert statements["ReadTheTrailLogs"]["Resource"] == arn_in_bare_app(
        "arn:aws:s3:::org-trail-logs/central/AWSLogs/o-a1b2c3d4e5/*")


# ----------------------------------------------------------------------------------- named queries


def test_every_sql_file_becomes_a_named_query_over_the_table(templates):
    template = templates["default"]
    named = {v["Properties"]["Name"]: (k, v["Properties"]) for k, v in resources(template, "AWS::Athena::NamedQuery").items()}
    shipped = {q.name: q for q in metric_queries()}
    assert set(named) == set(shipped) and {"metric-points", "latest-metric-values", "metric-history"} <= set(named)
    workgroup_id, _ = only(template, "AWS::Athena::WorkGroup")
    database = only(template, "AWS::Glue::Database")[1]["Properties"]["DatabaseInput"]["Name"]
    for name, (logical, props) in named.items():
        # logical ids come from the query's name, never its position
        assert logical.startswith("Queries" + "".join(p.capitalize() for p in name.split("-")) + "Query")
        assert props["WorkGroup"] == {"Ref": workgroup_id}
        assert props["Database"] == database
        assert props["Description"] == shipped[name].description
        sql = props["QueryString"]
        assert sql.startswith("WITH metrics AS (")
        assert 'FROM "cloudtrail_events" AS t' in sql
        assert shipped[name].sql in sql
        assert "{{" not in sql and "day >=" not in sql


def test_lookback_days_adds_a_partition_filter(templates):
    for props in (v["Properties"] for v in resources(templates["full"], "AWS::Athena::NamedQuery").values()):
        assert 'FROM "trail_events" AS t' in props["QueryString"]
        assert "t.day >= date_format(current_date - INTERVAL '30' DAY, '%Y/%m/%d')" in props["QueryString"]


# ----------------------------------------------------------------------------------- access


def test_query_policy_is_least_privilege(templates):
    template = templates["default"]
    statements = policy_statements(template)
    workgroup = statements["RunQueriesInTheWorkgroup"]
    assert workgroup["Resource"] == arn_in_bare_app(f"arn:aws:athena:us-east-1:{TEST_ENV.account}:workgroup/" + (
        only(template, "AWS::Athena::WorkGroup")[1]["Properties"]["Name"]))
    assert all(a.startswith("athena:") and not a.startswith(("athena:Create", "athena:Delete", "athena:Update"))
               for a in workgroup["Action"])
    glue = statements["ReadTheTrailTable"]
    assert all(a.startswith("glue:Get") for a in glue["Action"])
    assert len(glue["Resource"]) == 3 and not any("*" in r for r in glue["Resource"])
    trail_bucket = logical_id(template, "AWS::S3::Bucket", "TrailBucket")
    assert statements["ReadTheTrailLogs"] == {
        "Sid": "ReadTheTrailLogs", "Effect": "Allow", "Action": "s3:GetObject",
        "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [trail_bucket, "Arn"]}, "/AWSLogs/*"]]},
    }
    writes = statements["ReadAndWriteQueryResults"]
    assert "s3:DeleteObject" not in writes["Action"] and "s3:PutObject" in writes["Action"]
    assert writes["Resource"]["Fn::Join"][1][-1] == "/results/*"
    every_action = [a for s in statements.values() for a in ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])]
    assert not [a for a in every_action if "*" in a]


def test_grant_query_attaches_the_policy_to_a_role(templates):
    template = templates["full"]
    role = logical_id(template, "AWS::IAM::Role", "Analyst")
    policy = next(v for k, v in resources(template, "AWS::IAM::ManagedPolicy").items() if k.startswith("QueriesQueryPolicy"))
    assert policy["Properties"]["Roles"] == [{"Ref": role}]
    assert not [k for k in resources(template, "AWS::IAM::Policy") if k.startswith("Analyst")]


# ----------------------------------------------------------------------------------- errors


@pytest.mark.parametrize("kwargs, field", [
    (dict(), "trail"),
    (dict(bucket="my-bucket"), "bucket"),
    (dict(with_trail=True, s3_key_prefix="x"), "s3_key_prefix"),
    (dict(with_bucket=True, organization_id="org-1"), "organization_id"),
    (dict(with_bucket=True, accounts=["12345"]), "accounts[0]"),
    (dict(with_bucket=True, accounts="123456789012"), "accounts"),
    (dict(with_bucket=True, regions=["us-east-1", "us-east-1"]), "regions"),
    (dict(with_bucket=True, regions=["Europe"]), "regions[0]"),
    (dict(with_bucket=True, projection_start="yesterday"), "projection_start"),
    (dict(with_bucket=True, projection_start=dt.datetime(2024, 1, 1)), "projection_start"),
    (dict(with_bucket=True, database_name="ML-Metrics"), "database_name"),
    (dict(with_bucket=True, table_name="trail-events"), "table_name"),
    (dict(with_bucket=True, workgroup_name="ml metrics"), "workgroup_name"),
    (dict(with_bucket=True, bytes_scanned_cutoff_per_query=1_000_000), "bytes_scanned_cutoff_per_query"),
    (dict(with_bucket=True, bytes_scanned_cutoff_per_query=True), "bytes_scanned_cutoff_per_query"),
    (dict(with_bucket=True, results_expiration_days=0), "results_expiration_days"),
    (dict(with_bucket=True, results_encryption_key="alias/x"), "results_encryption_key"),
    (dict(with_bucket=True, lookback_days=0), "lookback_days"),
    (dict(with_bucket=True, s3_key_prefix="a//b"), "s3_key_prefix"),
    (dict(with_bucket=True, regions=[]), "regions"),
    (dict(with_bucket=True, accounts=[]), "accounts"),
    (dict(with_bucket=True, regions=["xx-north-1"]), "regions[0]"),
    (dict(with_bucket=True, results_encryption_key=3), "results_encryption_key"),
])
def test_bad_arguments_name_the_field(kwargs, field):
    stack = cdk.Stack(new_app(), "Bad", env=TEST_ENV)
    if kwargs.pop("with_trail", False):
        kwargs["trail"] = ExperimentMetricsTrail(stack, "Trail")
    if kwargs.pop("with_bucket", False):
        kwargs["bucket"] = s3.Bucket.from_bucket_name(stack, "B", "logs")
    with pytest.raises(ConfigurationError) as raised:
        ExperimentMetricsQueries(stack, "Queries", **kwargs)
    assert raised.value.field == field
    assert not [c for c in stack.node.children if c.node.id == "Queries"]  # nothing half-built


@pytest.mark.parametrize("kwargs, yaml_text", [
    (dict(regions=[]), "queries: {regions: []}"),
    (dict(regions=["xx-north-1"]), "queries: {regions: [xx-north-1]}"),
    (dict(database_name="ML-Metrics"), "queries: {database_name: ML-Metrics}"),
    (dict(bytes_scanned_cutoff_per_query=1_000_000), "queries: {bytes_scanned_cutoff_per_query: 1000000}"),
    (dict(projection_start="yesterday"), "queries: {projection_start: yesterday}"),
    (dict(results_encryption_key="alias/x"), "queries: {results_encryption_key: alias/x}"),
])
def test_the_construct_and_the_file_refuse_alike(kwargs, yaml_text):
    """One validation path: the same problem and fix from the keyword argument and from the YAML key."""
    from cdk_sagemaker_monitoring.config.loader import parse_config

    stack = cdk.Stack(new_app(), "Alike", env=TEST_ENV)
    with pytest.raises(ConfigurationError) as construct:
        ExperimentMetricsQueries(stack, "Queries", bucket=s3.Bucket.from_bucket_name(stack, "B", "logs"), **kwargs)
    with pytest.raises(ConfigurationError) as file:
        parse_config(yaml_text + "\n", source="q.yaml")
    (from_file,) = file.value.errors
    assert from_file.field == "queries." + construct.value.field
    assert (construct.value.problem, construct.value.fix) == (from_file.problem, from_file.fix)


def test_the_queries_of_an_organization_trail_read_its_layout():
    stack = cdk.Stack(new_app(), "Org", env=TEST_ENV)
    trail = ExperimentMetricsTrail(stack, "Trail", organization=True, organization_id="o-a1b2c3d4e5")
    queries = ExperimentMetricsQueries(stack, "Queries", trail=trail, accounts=["123456789012", "210987654321"])
    assert queries.organization_id == "o-a1b2c3d4e5"
    params = table_input(template_of(stack))["Parameters"]
    assert "/AWSLogs/o-a1b2c3d4e5/${account}/CloudTrail/${region}/${day}" in json.dumps(
        params["storage.location.template"])
    assert params["projection.account.values"] == "123456789012,210987654321"


# ----------------------------------------------------------------------------------- lint, nag, snapshots


def test_an_environment_agnostic_stack_projects_its_deploy_time_account(templates):
    params = table_input(templates["agnostic"])["Parameters"]
    assert params["projection.account.values"] == {"Ref": "AWS::AccountId"}
    assert "us-east-1" in params["projection.region.values"].split(",")  # partition unknown: the aws partition


@pytest.mark.parametrize("name", ["default", "full", "bucket", "agnostic"])
def test_cfn_lint_finds_no_errors(templates, name):
    assert cfn_lint(templates[name]) == []


def test_cdk_nag_packs_are_clean():
    assert nag_findings(build_compliant) == []


def test_table_columns_are_the_cloudtrail_layout():
    names = [name for name, _ in ct.COLUMNS]
    assert len(names) == len(set(names)) and names == [n.lower() for n in names]
    assert not {ct.ACCOUNT, ct.REGION, ct.DAY} & set(names)


def test_snapshot_default(templates, snapshot):
    assert templates["default"] == snapshot


def test_snapshot_full(templates, snapshot):
    assert templates["full"] == snapshot


def test_snapshot_bucket_mode(templates, snapshot):
    assert json.loads(json.dumps(templates["bucket"])) == snapshot
