"""The package's S3 buckets, hardened one way: for data (trail logs, query results) and for their access logs.

Every bucket blocks public access, refuses plain HTTP, is versioned and owner-enforced. Data buckets
use SSE-KMS with the given key (else SSE-S3) and log their access into an access-log bucket, which
itself uses SSE-S3 (the only encryption S3 server access logging delivers into).

Log delivery is granted by the access-log bucket's policy, never by an ACL, whatever feature flags the
consuming app sets: aws-cdk-lib grants it by policy only under ``@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy``
and otherwise sets the ``LogDeliveryWrite`` ACL, which an owner-enforced bucket refuses. So the data
bucket's ``LoggingConfiguration`` and the policy statement are written here, the same statement the flag
would write (S3 user guide, "Enabling Amazon S3 server access logging": permissions for log delivery).
"""

from __future__ import annotations

from typing import Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..acknowledge import acknowledge, acknowledge_compliance


def access_logs_bucket(scope: Construct, id: str, *, logged: str, expiration_days: int | None,
                       removal_policy: cdk.RemovalPolicy) -> s3.Bucket:
    """A bucket for S3 server access logs of ``logged`` (words for the bucket it serves, used in reasons)."""
    rules = [s3.LifecycleRule(
        id="ExpireAccessLogs",
        expiration=cdk.Duration.days(expiration_days),
        noncurrent_version_expiration=cdk.Duration.days(30),
    )] if expiration_days else None
    bucket = s3.Bucket(
        scope, id,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        versioned=True,
        # S3 server access logging delivers only into SSE-S3 encrypted buckets.
        encryption=s3.BucketEncryption.S3_MANAGED,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycle_rules=rules,
        removal_policy=removal_policy,
    )
    loop = f"This is the server access log bucket of {logged}; logging it into itself would loop."
    acknowledge(bucket, "AwsSolutions-S1", loop)
    acknowledge_compliance(bucket, "S3BucketLoggingEnabled", loop)  # checkov's CKV_AWS_18 too
    acknowledge_compliance(bucket, "S3DefaultEncryptionKMS",
                           "S3 server access logs can only be delivered into an SSE-S3 encrypted bucket.")
    acknowledge_compliance(bucket, "S3BucketReplicationEnabled",
                           f"Access logs of {logged}; replicating them needs a destination bucket the user owns.")
    return bucket


def data_bucket(scope: Construct, id: str, *, key: kms.IKey | None, access_logs: s3.IBucket | None,
                access_logs_prefix: str, lifecycle_rules: Sequence[s3.LifecycleRule] | None,
                removal_policy: cdk.RemovalPolicy, replication_reason: str, sse_s3_reason: str) -> s3.Bucket:
    """A data bucket: SSE-KMS with ``key`` (SSE-S3 without), access logs into ``access_logs``.

    ``replication_reason`` says why cross-region replication is not configured; ``sse_s3_reason`` why
    SSE-S3 is acceptable when there is no key (the user's choice, named).
    """
    bucket = s3.Bucket(
        scope, id,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        enforce_ssl=True,
        versioned=True,
        encryption=s3.BucketEncryption.KMS if key else s3.BucketEncryption.S3_MANAGED,
        encryption_key=key,
        bucket_key_enabled=True if key else None,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        lifecycle_rules=list(lifecycle_rules) if lifecycle_rules else None,
        removal_policy=removal_policy,
    )
    if access_logs is not None:
        _log_access(bucket, access_logs, access_logs_prefix)
    acknowledge_compliance(bucket, "S3BucketReplicationEnabled", replication_reason)
    if key is None:
        acknowledge_compliance(bucket, "S3DefaultEncryptionKMS", sse_s3_reason)
    return bucket


def _log_access(bucket: s3.Bucket, access_logs: s3.IBucket, prefix: str) -> None:
    """Deliver ``bucket``'s server access logs into ``access_logs`` under ``prefix``, granted by bucket policy."""
    cfn_bucket = bucket.node.default_child
    assert isinstance(cfn_bucket, s3.CfnBucket)
    cfn_bucket.logging_configuration = s3.CfnBucket.LoggingConfigurationProperty(
        destination_bucket_name=access_logs.bucket_name, log_file_prefix=prefix)
    stack = cdk.Stack.of(bucket)
    access_logs.add_to_resource_policy(iam.PolicyStatement(
        effect=iam.Effect.ALLOW,
        principals=[iam.ServicePrincipal("logging.s3.amazonaws.com")],
        actions=["s3:PutObject"],
        resources=[access_logs.arn_for_objects(f"{prefix}*")],
        conditions={
            "ArnLike": {"aws:SourceArn": bucket.bucket_arn},
            "StringEquals": {"aws:SourceAccount": stack.account},
        },
    ))
