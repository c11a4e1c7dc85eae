"""Where alarms go: an SNS topic encrypted with its own KMS key and refusing plain HTTP, or the caller's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from ..plan import ids

CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com"


@dataclass
class AlarmTopic:
    """The alarm topic's ARN, and the topic and key when they were created here."""

    topic_arn: str
    topic: Optional[sns.ITopic] = None
    key: Optional[kms.IKey] = None


def _alarm_source_conditions(scope: Construct, alarm_name_prefix: str) -> dict[str, dict[str, str]]:
    """Only CloudWatch alarms of this account and region whose names start with the prefix (confused deputy)."""
    stack = cdk.Stack.of(scope)
    return {
        "StringEquals": {"aws:SourceAccount": stack.account},
        "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:cloudwatch:{stack.region}:{stack.account}"
                                     f":alarm:{alarm_name_prefix}/*"},
    }


def alarm_topic(scope: Construct, *, emails: Sequence[str] = (), existing: Optional[sns.ITopic] = None,
                existing_arn: Optional[str] = None, alarm_name_prefix: str = "SageMaker",
                removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY) -> AlarmTopic:
    """The topic alarms notify, with an email subscription per address.

    Without ``existing``/``existing_arn``, creates a topic encrypted with a new customer-managed KMS
    key (rotated; CloudWatch may use it only for this account's alarms) and a policy that refuses
    requests without TLS and lets those alarms publish.
    """
    if existing is not None or existing_arn is not None:
        arn = existing.topic_arn if existing is not None else str(existing_arn)
        result = AlarmTopic(topic_arn=arn, topic=existing)
    else:
        conditions = _alarm_source_conditions(scope, alarm_name_prefix)
        key = kms.Key(scope, "AlarmTopicKey", enable_key_rotation=True, removal_policy=removal_policy,
                      description="Encrypts the SageMaker monitoring alarm topic")
        key.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudWatchAlarmsEncrypt", principals=[iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"], resources=["*"], conditions=conditions))
        topic = sns.Topic(scope, "AlarmTopic", master_key=key, enforce_ssl=True,
                          display_name="SageMaker monitoring alarms")
        topic.add_to_resource_policy(iam.PolicyStatement(
            sid="CloudWatchAlarmsPublish", principals=[iam.ServicePrincipal(CLOUDWATCH_PRINCIPAL)],
            actions=["sns:Publish"], resources=[topic.topic_arn], conditions=conditions))
        result = AlarmTopic(topic_arn=topic.topic_arn, topic=topic, key=key)
    for email in emails:
        sns.CfnSubscription(scope, ids.construct_id("AlarmEmail", email.lower()), protocol="email",
                            endpoint=email, topic_arn=result.topic_arn)
    return result
