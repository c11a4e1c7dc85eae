"""SageMakerFailureEvents: SageMaker's failure events as readable notifications, alarms and a failures dashboard.

config (:class:`~..config.events.EventsConfig`, validated) -> plan (:mod:`..plan.events`: a rule per failure
kind, its message, targets and alarms) -> render (:mod:`..render.events`). SageMaker sends no metric when a
job, an endpoint or a pipeline fails, only an EventBridge event on the account's default bus: each rule
matches one kind's failures, sends a plain-text message (built by an input transformer) to the SNS topics
of its severity, archives the event in a CloudWatch Logs group, and an alarm on the rule's ``AWS/Events``
``TriggeredRules`` routes like every metric alarm (``alarm_actions``).
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional, Sequence, Union

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from aws_cdk import cloudformation_include as cfn_include
from constructs import Construct

from ..config.events import EventKindSettings, EventsConfig
from ..config.validate import validate_arguments
from ..errors import ConfigurationError
from ..plan import ids
from ..plan.actions import DEFAULT_ROUTES, plan_routes
from ..plan.events import EventsPlan, plan_events
from ..plan.model import TOPIC_PARAMETER
from ..render.events import render_events
from ..render.topic import alarm_topic as make_alarm_topic
from .sagemaker_monitoring import SageMakerMonitoring

KindArg = Union[EventKindSettings, Mapping[str, Any]]
TopicArg = Union[sns.ITopic, str, None]

__all__ = ["SageMakerFailureEvents"]


class SageMakerFailureEvents(Construct):
    """Failure events of SageMaker jobs, endpoints, pipelines and HyperPod clusters, on the default event bus.

    :param name_prefixes: only resources whose name starts with one of these (``["churn-"]``); default all of
        the account and region.
    :param kinds: per kind (``training_job_failed``, ``endpoint_failed``, ``pipeline_step_failed``...):
        ``{"enabled": False}`` or ``{"severity": "Warning"}``.
    :param rule_name_prefix: first part of the rule, queue and log group names, unique per account and region
        (default: the stack's name, ``SageMaker`` when the stack has no name yet; two of these in one stack need
        their own).
    :param archive: keep matched events in a CloudWatch Logs group (default ``True``); ``log_retention_days``
        (default 90) and ``encryption_key`` (default CloudWatch Logs' own encryption) set it up.
    :param dashboard: the failures dashboard (default ``True``), named ``<dashboard_name>-Failures``.
    :param monitoring: a :class:`SageMakerMonitoring` whose alarm routing (``alarm_actions``, alarm topic,
        ``alarm_name_prefix``, ``runbook_url``) the notifications and alarms share. Without it, ``alarm_topic``
        (a topic or ARN) gets everything, else a new encrypted topic with ``alarm_emails`` subscribed.
    :param config: a ready :class:`EventsConfig` instead of the settings above.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        name_prefixes: Optional[Sequence[str]] = None,
        kinds: Optional[Mapping[str, KindArg]] = None,
        rule_name_prefix: Optional[str] = None,
        archive: bool = True,
        log_retention_days: int = 90,
        dashboard: bool = True,
        monitoring: Optional[SageMakerMonitoring] = None,
        alarm_topic: TopicArg = None,
        alarm_emails: Sequence[str] = (),
        alarm_name_prefix: Optional[str] = None,
        dashboard_name: Optional[str] = None,
        encryption_key: Optional[kms.IKey] = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY,
        config: Optional[EventsConfig] = None,
    ) -> None:
        if config is None:
            config = validate_arguments(EventsConfig, {
                "name_prefixes": [name_prefixes] if isinstance(name_prefixes, str) else
                (list(name_prefixes) if name_prefixes is not None else None),
                "kinds": {k: (v.model_dump() if isinstance(v, EventKindSettings) else v)
                          for k, v in (kinds or {}).items()},
                "rule_name_prefix": rule_name_prefix, "archive": archive, "log_retention_days": log_retention_days,
                "dashboard": dashboard,
            })
        elif not isinstance(config, EventsConfig):
            raise ConfigurationError("config", f"expected an EventsConfig, got {type(config).__name__}")
        if monitoring is not None and not isinstance(monitoring, SageMakerMonitoring):
            raise ConfigurationError("monitoring", f"expected a SageMakerMonitoring, got {type(monitoring).__name__}")
        if monitoring is not None and alarm_topic is not None:
            raise ConfigurationError("alarm_topic", "is given with monitoring: the monitoring's alarm routing is used",
                                     fix="leave alarm_topic out, or monitoring")
        if alarm_topic is not None and not isinstance(alarm_topic, str) and not hasattr(alarm_topic, "topic_arn"):
            raise ConfigurationError("alarm_topic", f"expected an SNS topic or a topic ARN, got "
                                     f"{type(alarm_topic).__name__}", fix="pass sns.Topic(...) or an ARN string")
        if encryption_key is not None and not hasattr(encryption_key, "key_arn"):
            raise ConfigurationError("encryption_key", f"expected a KMS key, got {type(encryption_key).__name__}")
        for i, email in enumerate(alarm_emails):
            if not isinstance(email, str) or "@" not in email:
                raise ConfigurationError(f"alarm_emails[{i}]", f"{email!r} is not an email address")
        if monitoring is not None:
            routes = plan_routes(monitoring.config)
            prefix = alarm_name_prefix or monitoring.config.alarm_name_prefix
            runbook = monitoring.config.runbook_url
            base = dashboard_name or monitoring.dashboard_base
        else:
            routes = dict(DEFAULT_ROUTES)
            prefix = alarm_name_prefix or "SageMaker"
            runbook = None
            base = dashboard_name or _default_dashboard_base(scope, id)
        # everything is planned (and refused) before anything is added to the app
        stack_name = cdk.Stack.of(scope).stack_name
        plan = plan_events(config, routes=routes, alarm_name_prefix=prefix, dashboard_base=base, runbook_url=runbook,
                           stack_name=None if cdk.Token.is_unresolved(stack_name) else stack_name)
        super().__init__(scope, id)
        self.config: EventsConfig = config
        self.plan: EventsPlan = plan

        topics: list[sns.ITopic] = []
        key: Optional[kms.IKey] = None
        if monitoring is not None:
            parameters = dict(monitoring.action_parameters)
            topics = list(monitoring.action_topics)
            if monitoring.topic is not None and monitoring.topic.key is not None and monitoring.topic.topic is not None:
                topics.append(monitoring.topic.topic)
                key = monitoring.topic.key
        elif alarm_topic is not None:
            arn = alarm_topic if isinstance(alarm_topic, str) else alarm_topic.topic_arn
            parameters = {TOPIC_PARAMETER: arn}
            if not isinstance(alarm_topic, str):
                topics.append(alarm_topic)
            for email in alarm_emails:
                sns.CfnSubscription(self, ids.construct_id("AlarmEmail", email.lower()), protocol="email",
                                    endpoint=email, topic_arn=arn)
        else:
            made = make_alarm_topic(self, emails=alarm_emails, alarm_name_prefix=prefix, removal_policy=removal_policy)
            parameters = {TOPIC_PARAMETER: made.topic_arn}
            if made.topic is not None:
                topics.append(made.topic)
            key = made.key
        missing = [p for p in plan.parameters if p not in parameters]
        if missing:
            raise ConfigurationError("monitoring", f"plans actions {', '.join(missing)} that have no topic here")
        rendered = render_events(self, plan, parameters, topics=topics, topic_key=key,
                                 encryption_key=encryption_key, removal_policy=removal_policy)
        self.rules: dict[str, events.CfnRule] = rendered.rules
        """Rule name -> ``AWS::Events::Rule``."""
        self.dead_letter_queue: sqs.Queue = rendered.queue
        self.log_group: Optional[logs.LogGroup] = rendered.log_group
        self.alarms_include: Optional[cfn_include.CfnInclude] = rendered.alarms
        self.dashboard: Optional[cloudwatch.CfnDashboard] = rendered.dashboard
        self.alarm_topic_arn: str = parameters.get(TOPIC_PARAMETER, "")

    @property
    def rule_names(self) -> tuple[str, ...]:
        return self.plan.rule_names

    @property
    def alarm_names(self) -> tuple[str, ...]:
        return self.plan.alarm_names

    def alarm(self, name: str) -> cloudwatch.CfnAlarm:
        """The L1 alarm named ``name`` (see :attr:`alarm_names`)."""
        for alarm in self.plan.alarms:
            if alarm.name == name and self.alarms_include is not None:
                return self.alarms_include.get_resource(alarm.id)  # type: ignore[return-value]
        raise ConfigurationError("name", f"no alarm named {name!r} here", fix="see alarm_names")




def _default_dashboard_base(scope: Construct, id: str) -> str:
    stack_name = cdk.Stack.of(scope).stack_name
    base = id if cdk.Token.is_unresolved(stack_name) else f"{stack_name}-{id}"
    return re.sub(r"[^A-Za-z0-9_-]+", "-", base)[:180]
