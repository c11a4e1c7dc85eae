"""Render an :class:`~..plan.events.EventsPlan`: rules, their targets, the dead-letter queue, the archive, alarms.

The only jsii code of the failure events. Rules are ``AWS::Events::Rule`` (L1) with the plan's pattern, input
transformer and targets as planned, so the template is byte-identical for the same plan; the alarms go
through the same ``CfnInclude`` batch as every metric alarm (:func:`.batch.render_resources`).

EventBridge needs, and gets here: ``sns:Publish`` on the topics it notifies (and ``kms:GenerateDataKey*``,
``kms:Decrypt`` on the alarm topic's key), ``sqs:SendMessage`` on the dead-letter queue, and
``logs:CreateLogStream``/``logs:PutLogEvents`` on the archive log group, which CloudWatch Logs grants only
through an account-level resource policy (``AWS::Logs::ResourcePolicy``, at most 10 per account and region).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import cloudformation_include as cfn_include
from constructs import Construct

from ..acknowledge import acknowledge, acknowledge_compliance, skip_checkov
from ..config.alarm_actions import is_parameter
from ..constructs.experiment_metrics_trail import _retention_days
from ..plan.events import EventRulePlan, EventsPlan
from .batch import render_resources

EVENTS_PRINCIPAL = "events.amazonaws.com"
MAX_EVENT_AGE_SECONDS = 86400
MAX_RETRIES = 185


@dataclass
class RenderedEvents:
    """What :func:`render_events` added."""

    rules: dict[str, events.CfnRule]
    """Rule name -> rule."""
    queue: sqs.Queue
    log_group: Optional[logs.LogGroup]
    alarms: Optional[cfn_include.CfnInclude]
    dashboard: Optional[cloudwatch.CfnDashboard]
    policies: list[Construct] = field(default_factory=list)


def rule_arn_pattern(scope: Construct, plan: EventsPlan) -> str:
    """``arn:<partition>:events:<region>:<account>:rule/<prefix>-*``: this plan's rules (confused-deputy conditions)."""
    stack = cdk.Stack.of(scope)
    return f"arn:{stack.partition}:events:{stack.region}:{stack.account}:rule/{plan.rule_name_prefix}-*"


def render_events(scope: Construct, plan: EventsPlan, parameters: Mapping[str, str], *,
                  topics: Sequence[sns.ITopic] = (), topic_key: Optional[kms.IKey] = None,
                  encryption_key: Optional[kms.IKey] = None,
                  removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY) -> RenderedEvents:
    """Render ``plan`` into ``scope``; ``parameters``: template parameter -> topic ARN (the alarm topic, topic
    objects); ``topics``/``topic_key``: topics (and the alarm topic's key) of this app, given EventBridge's
    permission here. Topics given by ARN must allow EventBridge themselves (see the guide)."""
    stack = cdk.Stack.of(scope)
    rules_arn = rule_arn_pattern(scope, plan)
    source = {"ArnLike": {"aws:SourceArn": rules_arn}, "StringEquals": {"aws:SourceAccount": stack.account}}
    queue = sqs.Queue(scope, "DeadLetterQueue", queue_name=plan.queue_name,
                      encryption=sqs.QueueEncryption.SQS_MANAGED, enforce_ssl=True,
                      retention_period=cdk.Duration.days(14), removal_policy=removal_policy)
    queue.add_to_resource_policy(iam.PolicyStatement(
        sid="EventBridgeDeadLetters", principals=[iam.ServicePrincipal(EVENTS_PRINCIPAL)],
        actions=["sqs:SendMessage"], resources=[queue.queue_arn], conditions={"ArnLike": source["ArnLike"]}))
    acknowledge(queue, "AwsSolutions-SQS3", "This queue is the dead-letter queue of the failure rules' targets.")
    skip_checkov(queue, "CKV_AWS_27", "The queue is encrypted at rest with SQS-managed keys (SqsManagedSseEnabled); "
                 "the check only recognizes a KMS key, which would add a key policy for EventBridge to no gain.")
    rendered = RenderedEvents(rules={}, queue=queue, log_group=None, alarms=None, dashboard=None)

    archive_arn: Optional[str] = None
    if plan.log_group_name is not None:
        group = logs.LogGroup(scope, "Archive", log_group_name=plan.log_group_name,
                              retention=_retention_days(plan.log_retention_days), encryption_key=encryption_key,
                              removal_policy=removal_policy)
        rendered.log_group = group
        archive_arn = stack.format_arn(service="logs", resource="log-group", resource_name=plan.log_group_name,
                                       arn_format=cdk.ArnFormat.COLON_RESOURCE_NAME)
        policy = logs.CfnResourcePolicy(
            scope, "ArchivePolicy", policy_name=str(plan.resource_policy_name),
            policy_document=stack.to_json_string({"Version": "2012-10-17", "Statement": [{
                "Sid": "EventBridgeArchivesFailures", "Effect": "Allow",
                "Principal": {"Service": EVENTS_PRINCIPAL},
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": f"{archive_arn}:*",
                "Condition": {"ArnLike": {"aws:SourceArn": rules_arn}},
            }]}))
        rendered.policies.append(policy)
        if encryption_key is None:
            acknowledge_compliance(group, "CloudWatchLogGroupEncrypted",
                                   "No encryption_key was given; CloudWatch Logs still encrypts at rest with its own "
                                   "key. The archive holds SageMaker status events (names, statuses, reasons).")

    for rule in plan.rules:
        cfn = _rule(scope, rule, parameters, queue.queue_arn, archive_arn)
        for needed in rendered.policies:
            cfn.node.add_dependency(needed)  # the archive accepts events before the rule sends any
        rendered.rules[rule.name] = cfn

    _allow_publish(topics, topic_key, rules_arn, source)
    rendered.alarms = render_resources(scope, "FailureAlarms", [], {p: parameters[p] for p in plan.parameters},
                                       alarms=plan.alarms)
    if plan.dashboard_name is not None:
        rendered.dashboard = cloudwatch.CfnDashboard(scope, "FailuresDashboard", dashboard_name=plan.dashboard_name,
                                                     dashboard_body=cdk.Fn.sub(plan.dashboard_body()))
    return rendered


def _rule(scope: Construct, rule: EventRulePlan, parameters: Mapping[str, str], dlq_arn: str,
          archive_arn: Optional[str]) -> events.CfnRule:
    dead_letters = events.CfnRule.DeadLetterConfigProperty(arn=dlq_arn)
    retry = events.CfnRule.RetryPolicyProperty(maximum_event_age_in_seconds=MAX_EVENT_AGE_SECONDS,
                                               maximum_retry_attempts=MAX_RETRIES)
    transformer = events.CfnRule.InputTransformerProperty(input_paths_map=dict(rule.input_paths),
                                                          input_template=rule.input_template)
    targets = [events.CfnRule.TargetProperty(
        id=f"Notify{i}", arn=parameters[action] if is_parameter(action) else action,
        input_transformer=transformer, dead_letter_config=dead_letters, retry_policy=retry)
        for i, action in enumerate(rule.destinations, start=1)]
    if archive_arn is not None:
        targets.append(events.CfnRule.TargetProperty(id="Archive", arn=archive_arn, dead_letter_config=dead_letters,
                                                     retry_policy=retry))
    return events.CfnRule(scope, rule.id, name=rule.name, description=rule.description,
                          event_pattern=rule.pattern, state="ENABLED", targets=targets)


def _allow_publish(topics: Sequence[sns.ITopic], key: Optional[kms.IKey], rules_arn: str,
                   source: dict[str, dict[str, str]]) -> None:
    for topic in topics:
        topic.add_to_resource_policy(iam.PolicyStatement(
            sid="SageMakerFailureEventsPublish", principals=[iam.ServicePrincipal(EVENTS_PRINCIPAL)],
            actions=["sns:Publish"], resources=[topic.topic_arn], conditions={"ArnLike": source["ArnLike"]}))
    if key is not None:
        # No source condition here: AWS documents none for the KMS requests made when EventBridge publishes to an
        # encrypted topic, and a condition that does not match would send every notification to the dead letters.
        # What may publish is bounded by the topic policy (these rules only).
        key.add_to_resource_policy(iam.PolicyStatement(
            sid="SageMakerFailureEventsEncrypt", principals=[iam.ServicePrincipal(EVENTS_PRINCIPAL)],
            actions=["kms:Decrypt", "kms:GenerateDataKey*"], resources=["*"]))


__all__ = ["RenderedEvents", "render_events", "rule_arn_pattern"]
