"""CloudWatch cross-account observability: a sink in the monitoring account, a metrics link in each source account.

A link names its sink by ARN, and a sink's ARN holds an id CloudWatch makes up when the sink is created
(``arn:aws:oam:<region>:<account>:sink/<id>``), so a source account's stack cannot write it down before the
sink exists, and CDK cannot reference a value of a stack in another account. The link therefore looks the
ARN up when it is deployed: the central stack has a role (:func:`sink_lookup_role_name`, a fixed name)
that the configured accounts may assume to call ``oam:ListSinks``, and an account has at most one sink
per region (AWS::Oam::Sink: "An account can have one sink"), so the first item is the sink.

Sources: CloudFormation template reference, AWS::Oam::Sink and AWS::Oam::Link; CloudWatch User Guide,
"CloudWatch cross-account observability" (a regional feature: a source account links in the region of
the sink; sink policies admit accounts for ``oam:CreateLink`` / ``oam:UpdateLink`` and resource types).
"""

from __future__ import annotations

from typing import Sequence

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_oam as oam
from aws_cdk import custom_resources as cr
from constructs import Construct

from ..acknowledge import acknowledge, acknowledge_compliance

__all__ = ["METRIC_RESOURCE_TYPE", "MetricsLink", "MetricsSink", "sink_lookup_role_name"]

#: The OAM resource type of CloudWatch metrics.
METRIC_RESOURCE_TYPE = "AWS::CloudWatch::Metric"
#: IAM role names are at most 64 characters.
_ROLE_NAME_CHARS = 64


def sink_lookup_role_name(stack_name: str) -> str:
    """Name of the role in the monitoring account that source accounts assume to find the sink's ARN."""
    suffix = "-OamSinkLookup"
    return stack_name[: _ROLE_NAME_CHARS - len(suffix)] + suffix


class MetricsSink(Construct):
    """An ``AWS::Oam::Sink`` whose policy lets ``accounts`` link their CloudWatch metrics to it.

    :param name: the sink's name.
    :param accounts: source accounts that may link (CreateLink, UpdateLink), metrics only.
    """

    def __init__(self, scope: Construct, id: str, *, name: str, accounts: Sequence[str]) -> None:
        super().__init__(scope, id)
        self.accounts = tuple(sorted(set(accounts)))
        policy = {
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": {"AWS": list(self.accounts)},
                "Action": ["oam:CreateLink", "oam:UpdateLink"],
                "Resource": "*",
                "Condition": {"ForAllValues:StringEquals": {"oam:ResourceTypes": [METRIC_RESOURCE_TYPE]}},
            }],
        }
        self.sink: oam.CfnSink = oam.CfnSink(self, "Sink", name=name, policy=policy)


def lookup_role(scope: Construct, id: str, *, role_name: str, accounts: Sequence[str]) -> iam.Role:
    """The role ``accounts`` assume to read the monitoring account's sink ARNs (``oam:ListSinks`` only)."""
    principals = [iam.AccountPrincipal(a) for a in sorted(set(accounts))]
    role = iam.Role(
        scope, id, role_name=role_name,
        assumed_by=iam.CompositePrincipal(*principals) if len(principals) > 1 else principals[0],
        description="Lets the monitored accounts' stacks find this account's CloudWatch observability sinks",
    )
    policy = iam.ManagedPolicy(scope, f"{id}Policy", roles=[role], statements=[iam.PolicyStatement(
        actions=["oam:ListSinks"], resources=["*"],
    )])
    acknowledge(policy, "AwsSolutions-IAM5[Resource::*]",
                "oam:ListSinks supports no resource-level permissions (it lists the account's sinks); the role "
                "can do nothing else.")
    return role


class MetricsLink(Construct):
    """An ``AWS::Oam::Link`` sharing this account's CloudWatch metrics with the sink of ``monitoring_account``.

    The sink's ARN is read at deployment through the role :func:`sink_lookup_role_name` of the central stack.

    :param monitoring_account: account of the sink.
    :param region: region of the sink (a link is in the region of its sink).
    :param role_name: the lookup role's name in the monitoring account.
    """

    def __init__(self, scope: Construct, id: str, *, monitoring_account: str, region: str, role_name: str) -> None:
        super().__init__(scope, id)
        stack = cdk.Stack.of(self)
        role_arn = f"arn:{stack.partition}:iam::{monitoring_account}:role/{role_name}"
        self.lookup = cr.AwsCustomResource(
            self, "SinkLookup",
            on_update=cr.AwsSdkCall(
                service="OAM", action="listSinks", region=region, assumed_role_arn=role_arn,
                physical_resource_id=cr.PhysicalResourceId.of(f"oam-sink-{monitoring_account}-{region}"),
                output_paths=["Items.0.Arn"],
            ),
            policy=cr.AwsCustomResourcePolicy.from_statements([
                iam.PolicyStatement(actions=["sts:AssumeRole"], resources=[role_arn]),
            ]),
            install_latest_aws_sdk=False,
        )
        self.sink_arn: str = self.lookup.get_response_field("Items.0.Arn")
        self.link: oam.CfnLink = oam.CfnLink(
            self, "Link", resource_types=[METRIC_RESOURCE_TYPE], sink_identifier=self.sink_arn,
            label_template="$AccountName",
        )
        acknowledge_policy = self.lookup.node.try_find_child("CustomResourcePolicy")
        if acknowledge_policy is not None:
            for rule in ("IAMNoInlinePolicy",):
                acknowledge_compliance(acknowledge_policy, rule,
                                       "CDK's AwsCustomResource writes its one statement (sts:AssumeRole on the "
                                       "lookup role) as the policy of its own function's role.")
        _acknowledge_lookup(stack)


def _acknowledge_lookup(stack: cdk.Stack) -> None:
    """The lookup's Lambda function is CDK's (``AwsCustomResource``): what the compliance packs ask of it."""
    for child in stack.node.children:
        if child.node.id.startswith("AWS679f53fac002430cb0da5b7982bd2287"):  # CDK's singleton provider function
            reason = ("CDK's AwsCustomResource provider: runs once per deployment to read one sink ARN, with no "
                      "data of its own; its runtime, logging and role are CDK's.")
            acknowledge(child, "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                               "AWSLambdaBasicExecutionRole]", reason)
            acknowledge(child, "AwsSolutions-L1", reason)
            for rule in ("LambdaConcurrency", "LambdaDLQ", "LambdaInsideVPC", "IAMNoInlinePolicy"):
                acknowledge_compliance(child, rule, reason)
