"""ExperimentMetricsQueries: Glue table, Athena workgroup and named queries over the metric trail.

Athena reads the trail's CloudTrail files in place. The Glue table uses partition projection on
account, region and day, so no crawler and no ``MSCK REPAIR TABLE`` is ever needed: a day's folder
is queryable as soon as CloudTrail writes into it. Query results land in a bucket of their own that
forgets them after ``results_expiration_days``; the workgroup enforces that location, its
encryption and a bytes-scanned limit per query.

The named queries are the ``.sql`` files of :mod:`cdk_sagemaker_monitoring.queries.named`, the same
SQL ``sagemaker-monitoring query`` runs locally with DuckDB.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Sequence, Union

import aws_cdk as cdk
from aws_cdk import aws_athena as athena
from aws_cdk import aws_glue as glue
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import region_info
from constructs import Construct

from ..queries import named as metric_queries
from ..acknowledge import acknowledge
from ..aws_values import ATHENA_MIN_BYTES_SCANNED_CUTOFF, DEFAULT_BYTES_SCANNED_CUTOFF
from ..config.validate import validate_arguments
from ..config.trail_config import QueriesArguments
from ..queries import glue_table as ct
from .experiment_metrics_trail import ExperimentMetricsTrail
from .hardened_buckets import access_logs_bucket as hardened_access_logs_bucket
from .hardened_buckets import data_bucket

MIN_BYTES_SCANNED_CUTOFF = ATHENA_MIN_BYTES_SCANNED_CUTOFF
ENGINE_VERSION = "Athena engine version 3"
RESULTS_PREFIX = "results/"


ResultsKeyArg = Union[bool, str, kms.IKey, None]


class ExperimentMetricsQueries(Construct):
    """Athena over the experiment-metrics trail: Glue database and table, workgroup, named queries, policy.

    Give either ``trail`` (an :class:`ExperimentMetricsTrail`) or ``bucket`` (the bucket another
    trail delivers into, with ``s3_key_prefix`` and ``logs_key`` as that trail uses them).

    :param trail: the trail whose logs to query.
    :param bucket: or the bucket a trail delivers into.
    :param s3_key_prefix: with ``bucket``: the trail's key prefix (default none).
    :param logs_key: with ``bucket``: the KMS key the trail encrypts its logs with (default SSE-S3).
    :param organization_id: the logs are an organization trail's (``o-...``): keys carry it after ``AWSLogs/``.
    :param accounts: accounts whose logs to project (default: this stack's account).
    :param regions: regions to project (default: this stack's region for a single-region ``trail``,
        otherwise every region of the stack region's partition that aws-cdk-lib knows).
    :param projection_start: first day to project: a :class:`datetime.date` or a relative date such as
        ``"NOW-2YEARS"`` (default ``"NOW-1YEARS"``). Days before it are invisible to queries.
    :param database_name: Glue database (default derived from the construct path).
    :param table_name: Glue table of the raw CloudTrail events (default ``cloudtrail_events``).
    :param workgroup_name: Athena workgroup (default derived from the construct path).
    :param bytes_scanned_cutoff_per_query: Athena cancels a query that scans more (default 10 GiB).
    :param results_expiration_days: query results are deleted after this many days (default 7).
    :param results_encryption_key: ``None`` (default): the trail's KMS key when it has one, else SSE-S3;
        ``True``: a new customer-managed key; ``False``: SSE-S3; or a key.
    :param lookback_days: named queries read only the last that many days of log folders (default:
        every projected day). Keeps the cost of a named query flat as the trail grows.
    :param access_logs_bucket: where the results bucket's server access logs go (default: the
        trail's access-log bucket when it has one in this stack, else a new bucket).
    :param removal_policy: of the results bucket and key (default ``RETAIN``).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        trail: ExperimentMetricsTrail | None = None,
        bucket: s3.IBucket | None = None,
        s3_key_prefix: str | None = None,
        logs_key: kms.IKey | None = None,
        organization_id: str | None = None,
        accounts: Sequence[str] | None = None,
        regions: Sequence[str] | None = None,
        projection_start: Union[str, _dt.date] = "NOW-1YEARS",
        database_name: str | None = None,
        table_name: str = "cloudtrail_events",
        workgroup_name: str | None = None,
        bytes_scanned_cutoff_per_query: int = DEFAULT_BYTES_SCANNED_CUTOFF,
        results_expiration_days: int = 7,
        results_encryption_key: ResultsKeyArg = None,
        lookback_days: int | None = None,
        access_logs_bucket: s3.IBucket | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        settings = validate_arguments(QueriesArguments, {
            "trail": trail, "bucket": bucket, "s3_key_prefix": s3_key_prefix, "logs_key": logs_key,
            "organization_id": organization_id, "accounts": _listed(accounts), "regions": _listed(regions),
            "projection_start": projection_start, "database_name": database_name, "table_name": table_name,
            "workgroup_name": workgroup_name, "bytes_scanned_cutoff_per_query": bytes_scanned_cutoff_per_query,
            "results_expiration_days": results_expiration_days, "results_encryption_key": results_encryption_key,
            "lookback_days": lookback_days, "access_logs_bucket": access_logs_bucket,
        })
        super().__init__(scope, id)
        stack = cdk.Stack.of(self)

        if trail is not None:
            bucket, s3_key_prefix, logs_key = trail.bucket, trail.s3_key_prefix, trail.encryption_key
            organization_id = organization_id or trail.organization_id
        assert bucket is not None
        self.logs_bucket: s3.IBucket = bucket
        """The bucket the trail delivers into."""
        self.logs_key: kms.IKey | None = logs_key
        """The KMS key of the logs, if they are encrypted with one."""
        self.s3_key_prefix: str | None = s3_key_prefix.strip("/") if s3_key_prefix else None
        self.organization_id = organization_id
        self.database_name: str = database_name or _derived_name(self, "_", 64).lower()
        self.table_name: str = table_name
        self.workgroup_name: str = workgroup_name or _derived_name(self, "-", 128)
        self.lookback_days = lookback_days

        self.results_key: kms.IKey | None = self._results_key(results_encryption_key, removal_policy)  # validated above
        self.results_bucket: s3.Bucket = self._results_bucket(
            results_expiration_days, removal_policy, access_logs_bucket, trail,
        )
        self.database: glue.CfnDatabase = glue.CfnDatabase(
            self, "Database",
            catalog_id=stack.account,
            database_input=glue.CfnDatabase.DatabaseInputProperty(
                name=self.database_name,
                description="SageMaker Experiments metrics recorded by CloudTrail (BatchPutMetrics data events)",
            ),
        )
        self.table: glue.CfnTable = self._table(
            list(accounts) if accounts else [stack.account],
            list(regions) if regions else _default_regions(stack, trail),
            _projection_range(settings.projection_start),
        )
        self.workgroup: athena.CfnWorkGroup = self._workgroup(bytes_scanned_cutoff_per_query)
        self.named_queries: dict[str, athena.CfnNamedQuery] = self._named_queries()
        self.query_policy: iam.ManagedPolicy = self._query_policy()

    # ----------------------------------------------------------------- public helpers

    @property
    def logs_location(self) -> str:
        """``s3://`` URL of the folder that holds every account's logs (the table's location)."""
        return f"s3://{self.logs_bucket.bucket_name}/{self._logs_key_root()}"

    def athena_sql(self, sql: str) -> str:
        """SQL written against ``metrics`` (as ``sagemaker-monitoring query`` runs it) as Athena runs it here."""
        return metric_queries.athena_sql(sql, self.table_name, lookback_days=self.lookback_days)

    def query_policy_statements(self) -> list[iam.PolicyStatement]:
        """The least privilege to run queries in the workgroup: read the table and logs, write results."""
        stack = cdk.Stack.of(self)
        workgroup_arn = stack.format_arn(service="athena", resource="workgroup", resource_name=self.workgroup_name)
        glue_arns = [
            stack.format_arn(service="glue", resource="catalog"),
            stack.format_arn(service="glue", resource="database", resource_name=self.database_name),
            stack.format_arn(service="glue", resource="table", resource_name=f"{self.database_name}/{self.table_name}"),
        ]
        statements = [
            iam.PolicyStatement(
                sid="RunQueriesInTheWorkgroup",
                actions=[
                    "athena:StartQueryExecution", "athena:StopQueryExecution", "athena:GetQueryExecution",
                    "athena:GetQueryResults", "athena:GetQueryResultsStream", "athena:BatchGetQueryExecution",
                    "athena:ListQueryExecutions", "athena:GetWorkGroup", "athena:GetNamedQuery",
                    "athena:BatchGetNamedQuery", "athena:ListNamedQueries",
                ],
                resources=[workgroup_arn],
            ),
            iam.PolicyStatement(
                sid="ReadTheTrailTable",
                actions=["glue:GetDatabase", "glue:GetTable", "glue:GetPartition", "glue:GetPartitions"],
                resources=glue_arns,
            ),
            iam.PolicyStatement(
                sid="ListTheBuckets",
                actions=["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"],
                resources=[self.logs_bucket.bucket_arn, self.results_bucket.bucket_arn],
            ),
            iam.PolicyStatement(
                sid="ReadTheTrailLogs",
                actions=["s3:GetObject"],
                resources=[f"{self.logs_bucket.bucket_arn}/{self._logs_key_root()}*"],
            ),
            iam.PolicyStatement(
                sid="ReadAndWriteQueryResults",
                actions=["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                resources=[self.results_bucket.arn_for_objects(f"{RESULTS_PREFIX}*")],
            ),
        ]
        if self.logs_key is not None:
            statements.append(iam.PolicyStatement(
                sid="DecryptTheTrailLogs", actions=["kms:Decrypt"], resources=[self.logs_key.key_arn],
            ))
        if self.results_key is not None:
            statements.append(iam.PolicyStatement(
                sid="EncryptQueryResults",
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=[self.results_key.key_arn],
            ))
        return statements

    def grant_query(self, grantee: iam.IGrantable) -> None:
        """Let ``grantee`` run queries in the workgroup (attaches :attr:`query_policy` to a role, user or group)."""
        principal = grantee.grant_principal
        for attribute, attach in (("role_name", self.query_policy.attach_to_role),
                                  ("user_name", self.query_policy.attach_to_user),
                                  ("group_name", self.query_policy.attach_to_group)):
            if _has(principal, attribute):
                attach(principal)  # type: ignore[arg-type]
                return
        for statement in self.query_policy_statements():
            iam.Grant.add_to_principal(
                grantee=grantee, actions=statement.actions, resource_arns=statement.resources,
            )

    # ----------------------------------------------------------------- building blocks

    def _logs_key_root(self) -> str:
        """Key prefix up to and including ``AWSLogs/[org-id/]``."""
        prefix = f"{self.s3_key_prefix}/" if self.s3_key_prefix else ""
        org = f"{self.organization_id}/" if self.organization_id else ""
        return f"{prefix}AWSLogs/{org}"

    def _results_key(self, arg: ResultsKeyArg, removal_policy: cdk.RemovalPolicy) -> kms.IKey | None:
        if arg is None:
            return self.logs_key
        if arg is False:
            return None
        if isinstance(arg, str):
            return kms.Key.from_key_arn(self, "ImportedResultsKey", arg)
        if arg is True:
            return kms.Key(
                self, "ResultsKey",
                description="Encrypts Athena query results of the SageMaker Experiments metrics workgroup",
                enable_key_rotation=True,
                removal_policy=removal_policy,
            )
        return arg

    def _results_bucket(
        self,
        expiration_days: int,
        removal_policy: cdk.RemovalPolicy,
        access_logs_bucket: s3.IBucket | None,
        trail: ExperimentMetricsTrail | None,
    ) -> s3.Bucket:
        if access_logs_bucket is None and trail is not None and trail.access_logs_bucket is not None \
                and cdk.Stack.of(trail) is cdk.Stack.of(self):
            access_logs_bucket = trail.access_logs_bucket
        if access_logs_bucket is None:
            access_logs_bucket = hardened_access_logs_bucket(
                self, "AccessLogsBucket", logged="the query results bucket", expiration_days=365,
                removal_policy=removal_policy)
        return data_bucket(
            self, "ResultsBucket", key=self.results_key, access_logs=access_logs_bucket,
            access_logs_prefix="athena-results-bucket/",
            lifecycle_rules=[s3.LifecycleRule(
                id="ExpireQueryResults",
                expiration=cdk.Duration.days(expiration_days),
                noncurrent_version_expiration=cdk.Duration.days(1),
                abort_incomplete_multipart_upload_after=cdk.Duration.days(1),
            )],
            removal_policy=removal_policy,
            replication_reason="Holds Athena query results only, which expire and can be recomputed from the trail; "
                               "replicating them would copy a cache.",
            sse_s3_reason="The user chose SSE-S3 for query results (no KMS key on the trail or "
                          "results_encryption_key=False); pass results_encryption_key=True for SSE-KMS.",
        )

    def _table(self, accounts: list[str], regions: list[str], day_range: str) -> glue.CfnTable:
        bucket_name = self.logs_bucket.bucket_name
        root = self._logs_key_root()
        template = f"s3://{bucket_name}/{root}${{{ct.ACCOUNT}}}/CloudTrail/${{{ct.REGION}}}/${{{ct.DAY}}}"
        parameters = {
            "classification": "cloudtrail",
            "EXTERNAL": "TRUE",
            "projection.enabled": "true",
            f"projection.{ct.ACCOUNT}.type": "enum",
            f"projection.{ct.ACCOUNT}.values": cdk.Fn.join(",", accounts),
            f"projection.{ct.REGION}.type": "enum",
            f"projection.{ct.REGION}.values": cdk.Fn.join(",", regions),
            f"projection.{ct.DAY}.type": "date",
            f"projection.{ct.DAY}.format": ct.DAY_FORMAT,
            f"projection.{ct.DAY}.range": day_range,
            f"projection.{ct.DAY}.interval": "1",
            f"projection.{ct.DAY}.interval.unit": "DAYS",
            "storage.location.template": template,
        }
        Column = glue.CfnTable.ColumnProperty
        table = glue.CfnTable(
            self, "Table",
            catalog_id=cdk.Stack.of(self).account,
            database_name=self.database_name,
            table_input=glue.CfnTable.TableInputProperty(
                name=self.table_name,
                description="CloudTrail events of the experiment-metrics trail (partition projection: "
                            "account, region, day)",
                table_type="EXTERNAL_TABLE",
                parameters=parameters,
                partition_keys=[Column(name=name, type="string") for name in (ct.ACCOUNT, ct.REGION, ct.DAY)],
                storage_descriptor=glue.CfnTable.StorageDescriptorProperty(
                    columns=[Column(name=name, type=type_) for name, type_ in ct.COLUMNS],
                    location=f"s3://{bucket_name}/{root}",
                    input_format=ct.INPUT_FORMAT,
                    output_format=ct.OUTPUT_FORMAT,
                    serde_info=glue.CfnTable.SerdeInfoProperty(serialization_library=ct.SERDE),
                ),
            ),
        )
        table.node.add_dependency(self.database)
        return table

    def _workgroup(self, cutoff: int) -> athena.CfnWorkGroup:
        key = self.results_key
        encryption = athena.CfnWorkGroup.EncryptionConfigurationProperty(
            encryption_option="SSE_KMS" if key else "SSE_S3",
            kms_key=key.key_arn if key else None,
        )
        return athena.CfnWorkGroup(
            self, "WorkGroup",
            name=self.workgroup_name,
            description="Queries over the SageMaker Experiments metrics trail",
            state="ENABLED",
            work_group_configuration=athena.CfnWorkGroup.WorkGroupConfigurationProperty(
                enforce_work_group_configuration=True,
                publish_cloud_watch_metrics_enabled=True,
                bytes_scanned_cutoff_per_query=cutoff,
                engine_version=athena.CfnWorkGroup.EngineVersionProperty(selected_engine_version=ENGINE_VERSION),
                result_configuration=athena.CfnWorkGroup.ResultConfigurationProperty(
                    output_location=self.results_bucket.s3_url_for_object(RESULTS_PREFIX),
                    encryption_configuration=encryption,
                    expected_bucket_owner=cdk.Stack.of(self).account,
                ),
            ),
        )

    def _named_queries(self) -> dict[str, athena.CfnNamedQuery]:
        created = {}
        for query in metric_queries.metric_queries():
            named = athena.CfnNamedQuery(
                self, _logical_id(query.name),
                name=query.name,
                description=query.description[:1024],
                database=self.database_name,
                work_group=self.workgroup.ref,
                query_string=query.athena_sql(self.table_name, lookback_days=self.lookback_days),
            )
            named.node.add_dependency(self.table)
            created[query.name] = named
        return created

    def _query_policy(self) -> iam.ManagedPolicy:
        policy = iam.ManagedPolicy(
            self, "QueryPolicy",
            description=f"Run Athena queries over the SageMaker Experiments metrics trail in workgroup {self.workgroup_name}",
            statements=self.query_policy_statements(),
        )
        stack = cdk.Stack.of(self)
        results = _nag_resource(stack, self.results_bucket.arn_for_objects(f"{RESULTS_PREFIX}*"))
        acknowledge(policy, f"AwsSolutions-IAM5[Resource::{results}]",
                    "Athena names each result object after its query id; the grant is limited to the "
                    "results prefix of this workgroup's own bucket.")
        logs = _nag_resource(stack, f"{self.logs_bucket.bucket_arn}/{self._logs_key_root()}*")
        acknowledge(policy, f"AwsSolutions-IAM5[Resource::{logs}]",
                    "CloudTrail names its log objects itself (account, region, date, unique id); the grant is "
                    "read-only and limited to the trail's AWSLogs/ prefix.")
        return policy


# --------------------------------------------------------------------------------------- helpers


def _has(obj: object, attribute: str) -> bool:
    try:
        return getattr(obj, attribute, None) is not None
    except Exception:  # jsii raises for members a proxy does not have
        return False


def _nag_resource(stack: cdk.Stack, value: str) -> str:
    """``value`` as cdk-nag prints it in a finding id: intrinsics become ``<Logical.Arn>``, ``<AWS::Partition>``."""
    def render(node: object) -> str:
        if isinstance(node, str):
            return node
        if isinstance(node, dict) and len(node) == 1:
            (function, argument), = node.items()
            if function == "Ref":
                return f"<{argument}>"
            if function == "Fn::GetAtt":
                return f"<{argument[0]}.{argument[1]}>"
            if function == "Fn::Join":
                return argument[0].join(render(part) for part in argument[1])
        raise ValueError(f"cannot render {node!r} the way cdk-nag does")

    return render(stack.resolve(value))


def _derived_name(construct: Construct, separator: str, max_length: int) -> str:
    return cdk.Names.unique_resource_name(construct, max_length=max_length, separator=separator)


def _logical_id(query_name: str) -> str:
    """``latest-metric-values`` -> ``LatestMetricValuesQuery`` (from the name, never a position)."""
    return "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", query_name) if part) + "Query"


def _projection_range(start: Union[str, _dt.date]) -> str:
    first = start.strftime("%Y/%m/%d") if isinstance(start, _dt.date) else start
    return f"{first},NOW"


def _default_regions(stack: cdk.Stack, trail: ExperimentMetricsTrail | None) -> list[str]:
    if trail is not None and trail.trail.is_multi_region_trail is False:
        return [cdk.Stack.of(trail).region]
    partition = "aws"
    if not cdk.Token.is_unresolved(stack.region):
        partition = region_info.RegionInfo.get(stack.region).partition or "aws"
    return sorted(r.name for r in region_info.RegionInfo.regions if r.partition == partition)


def _listed(values: Sequence[str] | None) -> object:
    """A sequence argument as the list the model takes (a string stays a string: the model refuses it)."""
    return list(values) if isinstance(values, (list, tuple)) else values
