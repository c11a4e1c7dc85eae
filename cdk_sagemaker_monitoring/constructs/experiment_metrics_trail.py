"""ExperimentMetricsTrail: a CloudTrail trail of SageMaker Experiments metric data events.

SageMaker Experiments calls ``BatchPutMetrics`` for every training metric a run logs. CloudTrail
records those calls as *data events* of resource type ``AWS::SageMaker::ExperimentTrialComponent``,
which only advanced event selectors can select (aws-cdk-lib's ``Trail`` has none, aws/aws-cdk#19398),
so the trail is built on ``CfnTrail``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Sequence, Union, cast

import aws_cdk as cdk
from aws_cdk import aws_cloudtrail as cloudtrail
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..acknowledge import acknowledge, acknowledge_compliance, skip_checkov
from ..aws_values import LOG_RETENTION_DAYS
from ..config.validate import validate_arguments
from ..config.trail_config import TrailConfig
from .hardened_buckets import access_logs_bucket, data_bucket
from .quiet import without_stack_traces

RESOURCE_TYPE = "AWS::SageMaker::ExperimentTrialComponent"
"""The CloudTrail data-event resource type of SageMaker Experiments runs."""

CLOUDTRAIL_PRINCIPAL = "cloudtrail.amazonaws.com"

#: Why a trail without a KMS key is acknowledged (trail, bucket and log group alike, in every checker).
NO_KEY_REASON = ("The user chose no customer-managed key (encryption_key=False): the logs are encrypted with SSE-S3 "
                 "(a log group with CloudWatch Logs' own key); encryption_key=True, the default, gives them a KMS key.")

#: Why a trail without CloudWatch Logs delivery is acknowledged (the compliance packs' CloudTrailCloudWatchLogsEnabled).
NO_LOG_GROUP_REASON = (
    "CloudWatch Logs delivery is opt-in (cloudwatch_logs_retention): this trail logs SageMaker Experiments data events "
    "only, read from S3 with Athena and, live, through EventBridge; delivering every event again would bill CloudWatch "
    "Logs ingestion. The account's management-events trail is the one CIS metric filters watch.")

#: The construct's keyword for each key of :class:`TrailConfig` that it names differently.
ARGUMENT_NAMES = {"name": "trail_name", "cloudwatch_logs_retention_days": "cloudwatch_logs_retention"}


@dataclass(frozen=True)
class TrailBucketLifecycle:
    """Lifecycle of the log objects in the trail's bucket.

    Defaults keep every log (an audit trail), move objects to S3 Glacier Instant Retrieval after
    ``transition_after_days`` and expire superseded versions after ``noncurrent_expiration_days``.
    Set ``expiration_days`` to delete logs after that many days; ``None`` disables a step.
    """

    transition_after_days: int | None = 90
    expiration_days: int | None = None
    noncurrent_expiration_days: int | None = 365
    access_log_expiration_days: int | None = 365


EncryptionKeyArg = Union[bool, str, kms.IKey]
RetentionArg = Union[int, logs.RetentionDays, None]


class ExperimentMetricsTrail(Construct):
    """A CloudTrail trail that logs SageMaker Experiments metric data events into a hardened bucket.

    :param trail_name: CloudTrail trail name; default derived from the construct path (stable).
    :param bucket: deliver into this bucket instead of creating one. A bucket defined in the same
        app gets the policy CloudTrail needs; an imported bucket must carry it already
        (see :meth:`bucket_policy_statements`).
    :param s3_key_prefix: key prefix of the delivered logs (default none).
    :param multi_region: log every region (default ``True``).
    :param event_names: only these API calls, e.g. ``["BatchPutMetrics"]`` (default: all data events
        of the resource type).
    :param trial_component_prefixes: only trial components (runs) whose name starts with one of these.
        The ARN filter names the stack's region, so with ``multi_region`` it narrows to that region.
    :param include_management_events: also log management events (default ``False``: data events cost
        money, and this trail exists for training metrics).
    :param encryption_key: ``True`` (default) creates a customer-managed KMS key with rotation for the
        logs (and the bucket and log group); or pass a key or a key ARN; ``False`` uses SSE-S3.
    :param cloudwatch_logs_retention: also deliver to a CloudWatch Logs group kept this many days.
    :param lifecycle: lifecycle of the log objects (:class:`TrailBucketLifecycle`).
    :param removal_policy: of the buckets, key and log group (default ``RETAIN``: an audit trail
        survives stack deletion).
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        trail_name: str | None = None,
        bucket: s3.IBucket | None = None,
        s3_key_prefix: str | None = None,
        multi_region: bool = True,
        event_names: Sequence[str] | None = None,
        trial_component_prefixes: Sequence[str] | None = None,
        include_management_events: bool = False,
        encryption_key: EncryptionKeyArg = True,
        cloudwatch_logs_retention: RetentionArg = None,
        lifecycle: TrailBucketLifecycle | None = None,
        organization: bool = False,
        organization_id: str | None = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.RETAIN,
    ) -> None:
        settings = validate_arguments(TrailConfig, {
            "trail_name": trail_name, "s3_key_prefix": s3_key_prefix, "multi_region": multi_region,
            "event_names": _listed(event_names), "trial_component_prefixes": _listed(trial_component_prefixes),
            "include_management_events": include_management_events, "encryption_key": encryption_key,
            "cloudwatch_logs_retention": cloudwatch_logs_retention, "organization": organization,
            "organization_id": organization_id,
            **({} if lifecycle is None else {
                "lifecycle": asdict(lifecycle) if isinstance(lifecycle, TrailBucketLifecycle) else lifecycle}),
        }, ARGUMENT_NAMES)
        super().__init__(scope, id)
        without_stack_traces(self)  # else the CDK CLI prints a jsii frame above its warning
        stack = cdk.Stack.of(self)
        lifecycle = TrailBucketLifecycle(**settings.lifecycle.model_dump())

        self.settings: TrailConfig = settings
        """The validated settings (the model the YAML file's ``trail:`` is validated with)."""
        self.organization_id: str | None = settings.organization_id
        """The organization's id for an organization trail (member accounts' logs are under ``AWSLogs/<id>/``)."""
        self.event_names: tuple[str, ...] | None = tuple(settings.event_names) if settings.event_names else None
        """The API calls the trail logs (``None``: every data event of SageMaker Experiments runs)."""
        self.trial_component_prefixes: tuple[str, ...] | None = (
            tuple(settings.trial_component_prefixes) if settings.trial_component_prefixes else None)
        """The run name prefixes the trail logs (``None``: every run)."""
        self.trail_name: str = settings.name or cdk.Names.unique_resource_name(self, max_length=128, separator="-")
        self.s3_key_prefix: str | None = settings.s3_key_prefix.strip("/") if settings.s3_key_prefix else None
        self.trail_arn: str = stack.format_arn(
            service="cloudtrail", resource="trail", resource_name=self.trail_name,
            arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
        )
        """ARN of the trail, built from its name (so policies need not depend on the trail resource)."""

        self.encryption_key: kms.IKey | None = self._make_key(encryption_key, removal_policy)
        self.access_logs_bucket: s3.IBucket | None = None
        if bucket is None:
            self.access_logs_bucket = self._make_access_logs_bucket(lifecycle, removal_policy)
            bucket = self._make_bucket(lifecycle, removal_policy)
        self.bucket: s3.IBucket = bucket
        policy_added = all(bucket.add_to_resource_policy(s).statement_added for s in self.bucket_policy_statements())
        if not policy_added:
            cdk.Annotations.of(self).add_warning_v2(
                "cdk-sagemaker-monitoring:ImportedTrailBucket",
                "The trail's bucket is imported, so its policy cannot be changed here: give it the statements of "
                "ExperimentMetricsTrail.bucket_policy_statements() or CloudTrail will refuse to deliver.",
            )

        self.log_group: logs.ILogGroup | None = None
        self.cloudwatch_logs_role: iam.IRole | None = None
        self._cloudwatch_logs_policy: iam.ManagedPolicy | None = None
        if cloudwatch_logs_retention is not None:  # validated above (the model's cloudwatch_logs_retention_days)
            self._make_log_group(cloudwatch_logs_retention, removal_policy)

        self.trail: cloudtrail.CfnTrail = cloudtrail.CfnTrail(
            self, "Trail",
            trail_name=self.trail_name,
            s3_bucket_name=bucket.bucket_name,
            s3_key_prefix=self.s3_key_prefix,
            is_logging=True,
            is_multi_region_trail=settings.multi_region,
            # CloudTrail requires global service events on a multi-region trail.
            include_global_service_events=settings.multi_region,
            is_organization_trail=True if settings.organization else None,
            enable_log_file_validation=True,
            kms_key_id=self.encryption_key.key_arn if self.encryption_key else None,
            cloud_watch_logs_log_group_arn=self.log_group.log_group_arn if self.log_group else None,
            cloud_watch_logs_role_arn=self.cloudwatch_logs_role.role_arn if self.cloudwatch_logs_role else None,
            advanced_event_selectors=self._selectors(settings.event_names, settings.trial_component_prefixes,
                                                     settings.include_management_events),
        )
        if self.encryption_key is None:
            acknowledge_compliance(self.trail, "CloudTrailEncryptionEnabled", NO_KEY_REASON)  # checkov's CKV_AWS_35
        if self.log_group is None:
            acknowledge_compliance(self.trail, "CloudTrailCloudWatchLogsEnabled", NO_LOG_GROUP_REASON)
        # CloudTrail checks the bucket policy when the trail is created.
        if isinstance(bucket, s3.Bucket) and bucket.policy is not None:
            self.trail.node.add_dependency(bucket.policy)
        if self._cloudwatch_logs_policy is not None:
            # CloudTrail checks that it may write to the log group when the trail is created.
            self.trail.node.add_dependency(self._cloudwatch_logs_policy)

    # ----------------------------------------------------------------- public helpers

    def bucket_policy_statements(self) -> list[iam.PolicyStatement]:
        """The bucket policy CloudTrail needs, conditioned on this trail's ARN (confused-deputy protection).

        An organization trail also writes every member account's logs under ``AWSLogs/<organization id>/``
        (CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail", organization trails): the write
        statement covers that prefix as well as the account's own, still only for this trail's ARN.
        """
        source = {"aws:SourceArn": self.trail_arn}
        account = cdk.Stack.of(self).account
        key_prefix = f"{self.s3_key_prefix}/" if self.s3_key_prefix else ""
        written = [f"{self.bucket.bucket_arn}/{key_prefix}AWSLogs/{account}/*"]
        if self.organization_id:
            written.append(f"{self.bucket.bucket_arn}/{key_prefix}AWSLogs/{self.organization_id}/*")
        return [
            iam.PolicyStatement(
                sid="AWSCloudTrailAclCheck",
                principals=[iam.ServicePrincipal(CLOUDTRAIL_PRINCIPAL)],
                actions=["s3:GetBucketAcl"],
                resources=[self.bucket.bucket_arn],
                conditions={"StringEquals": source},
            ),
            iam.PolicyStatement(
                sid="AWSCloudTrailWrite",
                principals=[iam.ServicePrincipal(CLOUDTRAIL_PRINCIPAL)],
                actions=["s3:PutObject"],
                resources=written,
                conditions={"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", **source}},
            ),
        ]

    @property
    def logs_root(self) -> str:
        """Key prefix of every account's logs: ``[prefix/]AWSLogs/`` (``AWSLogs/<organization id>/`` for an
        organization trail)."""
        key_prefix = f"{self.s3_key_prefix}/" if self.s3_key_prefix else ""
        org = f"{self.organization_id}/" if self.organization_id else ""
        return f"{key_prefix}AWSLogs/{org}"

    @property
    def logs_prefix(self) -> str:
        """Key prefix under which CloudTrail delivers this account's logs: ``<logs_root><account>/CloudTrail/``."""
        return f"{self.logs_root}{cdk.Stack.of(self).account}/CloudTrail/"

    def grant_read(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` list and read the delivered logs (every account's, for an organization trail),
        and decrypt them, with a KMS key."""
        grant = self.bucket.grant_read(grantee, f"{self.logs_root if self.organization_id else self.logs_prefix}*")
        if self.encryption_key is not None:
            self.encryption_key.grant_decrypt(grantee)
        return grant

    # ----------------------------------------------------------------- building blocks

    def _make_key(self, encryption_key: EncryptionKeyArg, removal_policy: cdk.RemovalPolicy) -> kms.IKey | None:
        if encryption_key is False:
            return None
        if isinstance(encryption_key, str):
            return kms.Key.from_key_arn(self, "ImportedKey", encryption_key)
        if encryption_key is not True:
            return encryption_key
        stack = cdk.Stack.of(self)
        key = kms.Key(
            self, "Key",
            description=f"Encrypts the CloudTrail logs of trail {self.trail_name} (SageMaker Experiments metrics)",
            enable_key_rotation=True,
            removal_policy=removal_policy,
        )
        trail_context = {
            "kms:EncryptionContext:aws:cloudtrail:arn": stack.format_arn(
                service="cloudtrail", resource="trail", resource_name="*", region="*",
                arn_format=cdk.ArnFormat.SLASH_RESOURCE_NAME,
            )
        }
        cloudtrail_principal = iam.ServicePrincipal(CLOUDTRAIL_PRINCIPAL)
        key.add_to_resource_policy(iam.PolicyStatement(
            sid="AllowCloudTrailToEncryptLogs",
            principals=[cloudtrail_principal],
            actions=["kms:GenerateDataKey*"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceArn": self.trail_arn}, "StringLike": trail_context},
        ))
        key.add_to_resource_policy(iam.PolicyStatement(
            sid="AllowCloudTrailToDescribeKey",
            principals=[cloudtrail_principal],
            actions=["kms:DescribeKey"],
            resources=["*"],
            conditions={"StringEquals": {"aws:SourceArn": self.trail_arn}},
        ))
        key.add_to_resource_policy(iam.PolicyStatement(
            sid="AllowAccountToDecryptLogs",
            principals=[iam.AnyPrincipal()],
            actions=["kms:Decrypt", "kms:ReEncryptFrom"],
            resources=["*"],
            conditions={"StringEquals": {"kms:CallerAccount": stack.account}, "StringLike": trail_context},
        ))
        if self.organization_id:
            # An organization trail's member accounts read their own logs (CloudTrail User Guide, "Configure
            # AWS KMS key policies for CloudTrail": decrypt permissions for other accounts).
            key.add_to_resource_policy(iam.PolicyStatement(
                sid="AllowOrganizationToDecryptLogs",
                principals=[iam.AnyPrincipal()],
                actions=["kms:Decrypt", "kms:ReEncryptFrom"],
                resources=["*"],
                conditions={"StringEquals": {"aws:PrincipalOrgID": self.organization_id},
                            "StringLike": trail_context},
            ))
        # "Ensure KMS key policy does not contain wildcard (*) principal"
        skip_checkov(key, "CKV_AWS_33",
                     "AllowAccountToDecryptLogs is the statement CloudTrail's key policy documentation gives for "
                     "reading encrypted logs: the wildcard principal is limited to this account (kms:CallerAccount) "
                     + ("or organization (aws:PrincipalOrgID) " if self.organization_id else "")
                     + "and to CloudTrail's encryption context; IAM policies still decide who may read the logs.")
        key.add_to_resource_policy(iam.PolicyStatement(
            sid="AllowCloudWatchLogsToUseKey",
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources=["*"],
            conditions={"ArnLike": {"kms:EncryptionContext:aws:logs:arn": stack.format_arn(
                service="logs", resource="log-group", resource_name="*", arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME,
            )}},
        ))
        return key

    def _make_access_logs_bucket(self, lifecycle: TrailBucketLifecycle, removal_policy: cdk.RemovalPolicy) -> s3.Bucket:
        return access_logs_bucket(self, "AccessLogsBucket", logged="the trail bucket (the audit bucket)",
                                  expiration_days=lifecycle.access_log_expiration_days, removal_policy=removal_policy)

    def _make_bucket(self, lifecycle: TrailBucketLifecycle, removal_policy: cdk.RemovalPolicy) -> s3.Bucket:
        rules = []
        if lifecycle.transition_after_days or lifecycle.expiration_days or lifecycle.noncurrent_expiration_days:
            rules.append(s3.LifecycleRule(
                id="TrailLogs",
                transitions=[s3.Transition(
                    storage_class=s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
                    transition_after=cdk.Duration.days(lifecycle.transition_after_days),
                )] if lifecycle.transition_after_days else None,
                expiration=cdk.Duration.days(lifecycle.expiration_days) if lifecycle.expiration_days else None,
                noncurrent_version_expiration=(
                    cdk.Duration.days(lifecycle.noncurrent_expiration_days) if lifecycle.noncurrent_expiration_days else None
                ),
            ))
        return data_bucket(
            self, "Bucket", key=self.encryption_key, access_logs=self.access_logs_bucket,
            access_logs_prefix="trail-bucket/", lifecycle_rules=rules, removal_policy=removal_policy,
            replication_reason="Cross-region replication needs a destination bucket the user owns in another region; "
                               "the trail already covers every region and the bucket is versioned and retained.",
            sse_s3_reason=NO_KEY_REASON,
        )

    def _make_log_group(self, retention: Union[int, logs.RetentionDays], removal_policy: cdk.RemovalPolicy) -> None:
        days = retention if isinstance(retention, logs.RetentionDays) else _retention_days(retention)
        log_group = logs.LogGroup(
            self, "LogGroup",
            retention=days,
            encryption_key=self.encryption_key,
            removal_policy=removal_policy,
        )
        role = iam.Role(
            self, "CloudWatchLogsRole",
            assumed_by=iam.ServicePrincipal(CLOUDTRAIL_PRINCIPAL),
            description=f"Lets CloudTrail trail {self.trail_name} deliver to its CloudWatch Logs group",
        )
        policy = iam.ManagedPolicy(
            self, "CloudWatchLogsPolicy",
            roles=[role],
            statements=[iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                resources=[f"{log_group.log_group_arn}:log-stream:*"],
            )],
        )
        log_group_id = cdk.Stack.of(self).get_logical_id(cast(cdk.CfnElement, log_group.node.default_child))
        stream_arn = f"Resource::<{log_group_id}.Arn>:log-stream:*"
        acknowledge(policy, f"AwsSolutions-IAM5[{stream_arn}]",
                    "CloudTrail names its log streams itself (account and region); the grant is scoped to this log group.")
        if self.encryption_key is None:
            acknowledge_compliance(log_group, "CloudWatchLogGroupEncrypted", NO_KEY_REASON)
        self.log_group = log_group
        self.cloudwatch_logs_role = role
        self._cloudwatch_logs_policy = policy

    @staticmethod
    def _selectors(
        event_names: Sequence[str] | None,
        prefixes: Sequence[str] | None,
        include_management_events: bool,
    ) -> list[cloudtrail.CfnTrail.AdvancedEventSelectorProperty]:
        Field = cloudtrail.CfnTrail.AdvancedFieldSelectorProperty
        fields = [
            Field(field="eventCategory", equal_to=["Data"]),
            Field(field="resources.type", equal_to=[RESOURCE_TYPE]),
        ]
        if event_names:
            fields.append(Field(field="eventName", equal_to=list(event_names)))
        if prefixes:
            arn = cdk.Fn.sub("arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:experiment-trial-component/")
            fields.append(Field(field="resources.ARN", starts_with=[cdk.Fn.join("", [arn, p]) for p in prefixes]))
        selectors = [cloudtrail.CfnTrail.AdvancedEventSelectorProperty(
            name="SageMaker Experiments metrics", field_selectors=fields,
        )]
        if include_management_events:
            selectors.append(cloudtrail.CfnTrail.AdvancedEventSelectorProperty(
                name="Management events", field_selectors=[Field(field="eventCategory", equal_to=["Management"])],
            ))
        return selectors


def _retention_days(days: int) -> logs.RetentionDays:
    """The RetentionDays member for a number of days (jsii enums carry names, not numbers)."""
    return getattr(logs.RetentionDays, _RETENTION_NAMES[days])


_RETENTION_NAMES = dict(zip(LOG_RETENTION_DAYS, (
    "ONE_DAY", "THREE_DAYS", "FIVE_DAYS", "ONE_WEEK", "TWO_WEEKS", "ONE_MONTH", "TWO_MONTHS", "THREE_MONTHS",
    "FOUR_MONTHS", "FIVE_MONTHS", "SIX_MONTHS", "ONE_YEAR", "THIRTEEN_MONTHS", "EIGHTEEN_MONTHS", "TWO_YEARS",
    "THREE_YEARS", "FIVE_YEARS", "SIX_YEARS", "SEVEN_YEARS", "EIGHT_YEARS", "NINE_YEARS", "TEN_YEARS",
), strict=True))


def _listed(values: Sequence[str] | None) -> object:
    """A sequence argument as the list the model takes (a string stays a string: the model refuses it)."""
    return list(values) if isinstance(values, (list, tuple)) else values
