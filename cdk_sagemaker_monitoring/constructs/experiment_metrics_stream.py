"""ExperimentMetricsStream: the trail's BatchPutMetrics events as live CloudWatch metrics, alarms and a dashboard.

config (:class:`StreamConfig`, validated) -> plan (:mod:`..plan.stream`: pattern, alarms, dashboard) ->
render (this construct). CloudTrail delivers the data events a trail logs to EventBridge (best effort);
a rule sends ``BatchPutMetrics`` events to a Lambda function (``live/handler.py``, shipped in the
package) that writes CloudWatch embedded metric format records, so CloudWatch Logs makes one data
point per ``metricData`` entry: metric name = the logged name, dimension ``TrialComponentName`` = the run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from .. import live
from ..acknowledge import acknowledge, acknowledge_compliance, skip_checkov
from ..config.validate import validate
from ..config.stream import StreamAlarm, StreamConfig
from ..errors import ConfigurationError
from ..live import handler as live_handler
from ..plan.stream import EVENT_NAME, StreamAlarmPlan, custom_metric_count, dashboard_body, event_pattern, plan_alarms
from .experiment_metrics_trail import ExperimentMetricsTrail, _retention_days

RUNTIMES: dict[str, lambda_.Runtime] = {
    "python3.14": lambda_.Runtime.PYTHON_3_14,
    "python3.13": lambda_.Runtime.PYTHON_3_13,
    "python3.12": lambda_.Runtime.PYTHON_3_12,
}
"""Python 3.14 (the default) is the newest Python runtime of AWS Lambda (Amazon Linux 2023, since November 2025)."""
HANDLER = "handler.handler"
"""``cdk_sagemaker_monitoring.live.handler.handler``: the asset is the ``live`` folder of the package."""
ASSET_DIR = Path(live.__file__).resolve().parent
ASSET_EXCLUDE = ["__pycache__", "*.pyc", "*.pyo"]

AlarmArg = Union[StreamAlarm, Mapping[str, Any]]
TopicArg = Union[sns.ITopic, str, None]

__all__ = ["ExperimentMetricsStream", "custom_metric_count"]


class ExperimentMetricsStream(Construct):
    """Live training metrics: BatchPutMetrics events -> Lambda -> EMF -> CloudWatch metrics, alarms, dashboard.

    The events reach EventBridge only when a CloudTrail trail logs them (``ExperimentMetricsTrail``),
    in the region of the call: deploy a stream in every region runs log metrics from.

    :param trail: the trail that logs the events; its prefixes are the default ``trial_component_prefixes``,
        and a trail that does not log ``BatchPutMetrics`` is refused.
    :param namespace: CloudWatch namespace of the runs' metrics (default ``SageMaker/Experiments``).
    :param trial_component_prefixes: only runs whose name starts with one of these (default: the trail's, else all).
    :param metric_names: only these logged metric names (default: all). Each run x name is a custom metric.
    :param alarms: thresholds per metric name, ``{"validation:loss": {"threshold": 2.5}}`` (see :class:`StreamAlarm`).
    :param non_finite_alarm: the default alarm on ``NonFiniteValues`` > 0 (a diverged run; default ``True``).
    :param alarm_topic: SNS topic (or ARN) the alarms notify; default none (the alarms show on the dashboard).
    :param alarm_name_prefix: first part of the alarm names (``<prefix>/ExperimentRuns/<metric>``).
    :param dashboard: add the dashboard of training curves (default ``True``); ``dashboard_name`` names it.
    :param log_retention_days: of the function's log group (default 30).
    :param reserved_concurrency: reserve this much concurrency for the function (default none, see the live
        training metrics guide).
    :param python_runtime: ``python3.14`` (default), ``python3.13`` or ``python3.12``.
    :param encryption_key: KMS key of the log group (default: CloudWatch Logs' own encryption).
    :param removal_policy: of the log group and dead-letter queue (default ``DESTROY``: the trail keeps the events).
    :param config: a ready :class:`StreamConfig` instead of the keyword arguments above.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        trail: Optional[ExperimentMetricsTrail] = None,
        namespace: str = "SageMaker/Experiments",
        trial_component_prefixes: Optional[Sequence[str]] = None,
        metric_names: Optional[Sequence[str]] = None,
        alarms: Optional[Mapping[str, AlarmArg]] = None,
        non_finite_alarm: bool = True,
        alarm_topic: TopicArg = None,
        alarm_name_prefix: str = "SageMaker",
        dashboard: bool = True,
        dashboard_name: Optional[str] = None,
        log_retention_days: int = 30,
        reserved_concurrency: Optional[int] = None,
        python_runtime: str = "python3.14",
        encryption_key: Optional[kms.IKey] = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY,
        config: Optional[StreamConfig] = None,
    ) -> None:
        if config is None:
            config = validate(StreamConfig, {
                "namespace": namespace, "trial_component_prefixes": _listed(trial_component_prefixes),
                "metric_names": _listed(metric_names),
                "alarms": {k: (v.model_dump() if isinstance(v, StreamAlarm) else v) for k, v in (alarms or {}).items()},
                "non_finite_alarm": non_finite_alarm, "alarm_name_prefix": alarm_name_prefix,
                "dashboard": dashboard, "dashboard_name": dashboard_name, "log_retention_days": log_retention_days,
                "reserved_concurrency": reserved_concurrency, "python_runtime": python_runtime,
            })
        elif not isinstance(config, StreamConfig):
            raise ConfigurationError("config", f"expected a StreamConfig, got {type(config).__name__}")
        if alarm_topic is not None and not isinstance(alarm_topic, str) and not hasattr(alarm_topic, "topic_arn"):
            raise ConfigurationError("alarm_topic",
                                     f"expected an SNS topic or a topic ARN, got {type(alarm_topic).__name__}",
                                     fix="pass sns.Topic(...), sns.Topic.from_topic_arn(...) or an ARN string")
        if encryption_key is not None and not hasattr(encryption_key, "key_arn"):
            raise ConfigurationError("encryption_key", f"expected a KMS key, got {type(encryption_key).__name__}")
        config = _with_trail(config, trail)
        # everything is planned (and refused) before anything is added to the app
        pattern = event_pattern(config)
        alarm_plans = plan_alarms(config)
        super().__init__(scope, id)
        self.config: StreamConfig = config
        self.trail = trail
        self.alarm_plans: list[StreamAlarmPlan] = alarm_plans

        self.dead_letter_queue: sqs.Queue = sqs.Queue(
            self, "DeadLetterQueue",
            encryption=sqs.QueueEncryption.SQS_MANAGED,
            enforce_ssl=True,
            retention_period=cdk.Duration.days(14),
            removal_policy=removal_policy,
        )
        self.log_group: logs.LogGroup = logs.LogGroup(
            self, "LogGroup",
            retention=_retention_days(config.log_retention_days),
            encryption_key=encryption_key,
            removal_policy=removal_policy,
        )
        self.role: iam.Role = self._make_role()
        self.function: lambda_.Function = self._make_function(config)
        self.rule: events.Rule = events.Rule(
            self, "Rule",
            description="SageMaker Experiments BatchPutMetrics calls (CloudTrail data events) to the metrics stream",
            event_pattern=events.EventPattern(
                source=pattern["source"], detail_type=pattern["detail-type"], detail=pattern["detail"]),
            targets=[targets.LambdaFunction(
                self.function, dead_letter_queue=self.dead_letter_queue, retry_attempts=8,
                max_event_age=cdk.Duration.hours(2),
            )],
        )
        actions = _actions(alarm_topic)
        self.alarms: dict[str, cloudwatch.CfnAlarm] = {
            plan.metric: _alarm(self, plan, actions) for plan in alarm_plans
        }
        if not actions:
            for alarm in self.alarms.values():
                acknowledge_compliance(alarm, "CloudWatchAlarmAction",
                                       "No alarm_topic was given: the alarms show their state on the stream's "
                                       "dashboard; pass alarm_topic to be notified.")
        self.dashboard: cloudwatch.CfnDashboard | None = None
        if config.dashboard:
            arns = [a.attr_arn for a in self.alarms.values()]
            variables: dict[str, str] = {"FunctionName": self.function.function_name,
                                         "QueueName": self.dead_letter_queue.queue_name}
            variables.update({f"Alarm{i}": arn for i, arn in enumerate(arns)})
            self.dashboard = cloudwatch.CfnDashboard(
                self, "Dashboard",
                dashboard_name=config.dashboard_name or _default_dashboard_name(self),
                dashboard_body=cdk.Fn.sub(dashboard_body(config, arns), variables),
            )
        self._acknowledge(config)

    # ----------------------------------------------------------------- public helpers

    @property
    def alarm_names(self) -> tuple[str, ...]:
        return tuple(plan.name for plan in self.alarm_plans)

    def custom_metric_count(self, runs: int) -> int:
        """Custom metrics this stream creates for ``runs`` runs: runs x (metric names + NonFiniteValues).

        Needs ``metric_names`` (with every name allowed the count is unbounded): raises ConfigurationError otherwise.
        """
        if self.config.metric_names is None:
            raise ConfigurationError("metric_names", "is not set: every logged name becomes a metric, so the count "
                                     "depends on what runs log", fix="list metric_names to bound the cost")
        return custom_metric_count(runs, len(self.config.metric_names))

    # ----------------------------------------------------------------- building blocks

    def _make_role(self) -> iam.Role:
        stack = cdk.Stack.of(self)
        role = iam.Role(
            self, "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Runs the SageMaker Experiments metrics stream: writes its own log group, sends dead letters",
        )
        # Written out (not grants), so no feature flag decides its shape: only what the function does.
        self.policy: iam.ManagedPolicy = iam.ManagedPolicy(
            self, "Policy",
            description="What the SageMaker Experiments metrics stream's function does, and nothing else",
            roles=[role],
            document=iam.PolicyDocument(minimize=False, statements=[
                iam.PolicyStatement(sid="WriteItsLogs", actions=["logs:CreateLogStream", "logs:PutLogEvents"],
                                    resources=[f"{self.log_group.log_group_arn}:log-stream:*"]),
                iam.PolicyStatement(sid="DeadLetters", actions=["sqs:SendMessage"],
                                    resources=[self.dead_letter_queue.queue_arn]),
            ]),
        )
        group: logs.CfnLogGroup = self.log_group.node.default_child  # type: ignore[assignment]
        stream_arn = f"Resource::<{stack.get_logical_id(group)}.Arn>:log-stream:*"
        acknowledge(self.policy, f"AwsSolutions-IAM5[{stream_arn}]",
                    "Lambda names its log streams itself (date and instance); the grant is scoped to this log group.")
        return role

    def _make_function(self, config: StreamConfig) -> lambda_.Function:
        environment = {live_handler.NAMESPACE_ENV: config.namespace}
        if config.metric_names is not None:
            environment[live_handler.METRIC_NAMES_ENV] = json.dumps(config.metric_names, ensure_ascii=False)
        if config.trial_component_prefixes is not None:
            environment[live_handler.PREFIXES_ENV] = json.dumps(config.trial_component_prefixes)
        function = lambda_.Function(
            self, "Function",
            description=f"SageMaker Experiments BatchPutMetrics events -> CloudWatch EMF metrics ({config.namespace})",
            runtime=RUNTIMES[config.python_runtime],
            architecture=lambda_.Architecture.ARM_64,
            handler=HANDLER,
            code=lambda_.Code.from_asset(str(ASSET_DIR), exclude=ASSET_EXCLUDE),
            role=self.role,
            log_group=self.log_group,
            logging_format=lambda_.LoggingFormat.TEXT,
            memory_size=256,
            timeout=cdk.Duration.seconds(30),
            environment=environment,
            reserved_concurrent_executions=config.reserved_concurrency,
            retry_attempts=2,
            max_event_age=cdk.Duration.hours(6),
        )
        # the asynchronous invocations' dead letters: set on the L1, so no automatic grant widens the role
        cfn: lambda_.CfnFunction = function.node.default_child  # type: ignore[assignment]
        cfn.dead_letter_config = lambda_.CfnFunction.DeadLetterConfigProperty(
            target_arn=self.dead_letter_queue.queue_arn)
        # its permissions exist before it runs
        cfn.node.add_dependency(self.policy)
        return function

    def _acknowledge(self, config: StreamConfig) -> None:
        acknowledge_compliance(self.function, "LambdaInsideVPC",
                               "The function only reads its event and writes its own log group: it reaches no "
                               "network resource, so a VPC would add cost (NAT or endpoints) and protect nothing.")
        if config.reserved_concurrency is None:
            acknowledge_compliance(self.function, "LambdaConcurrency",
                                   "No reserved concurrency by default: reserving takes from the account's pool (and "
                                   "fails on accounts with the minimum), while EventBridge retries throttled "
                                   "invocations and sends what it cannot deliver to the dead-letter queue.")
        acknowledge(self.dead_letter_queue, "AwsSolutions-SQS3",
                    "This queue is the dead-letter queue (of the rule's target and of the function's asynchronous "
                    "invocations).")
        skip_checkov(self.dead_letter_queue, "CKV_AWS_27",
                     "The queue is encrypted at rest with SQS-managed keys (SqsManagedSseEnabled); the check only "
                     "recognizes a KMS key, which would add a key policy for EventBridge and Lambda to no gain.")
        skip_checkov(self.function, "CKV_AWS_173",
                     "The environment holds only the namespace, metric names and run prefixes, no secret; Lambda "
                     "encrypts it at rest with its service key.")
        if self.log_group.node.try_find_child("Resource") is not None:
            cfn_group = self.log_group.node.default_child
            if isinstance(cfn_group, logs.CfnLogGroup) and cfn_group.kms_key_id is None:
                acknowledge_compliance(self.log_group, "CloudWatchLogGroupEncrypted",
                                       "No encryption_key was given; CloudWatch Logs still encrypts at rest with its "
                                       "own key. The records hold training metric values only.")


def _listed(values: Optional[Sequence[str]]) -> Optional[list[str]]:
    if values is None:
        return None
    if isinstance(values, str):
        return [values]  # validation names the field; a bare string is one item, not its characters
    return list(values)


def _with_trail(config: StreamConfig, trail: Optional[ExperimentMetricsTrail]) -> StreamConfig:
    """Check the stream against the trail that feeds it; default the prefixes to the trail's."""
    if trail is None:
        return config
    if not isinstance(trail, ExperimentMetricsTrail):
        raise ConfigurationError("trail", f"expected an ExperimentMetricsTrail, got {type(trail).__name__}")
    if trail.event_names is not None and EVENT_NAME not in trail.event_names:
        raise ConfigurationError("trail", f"logs only {', '.join(trail.event_names)}: EventBridge would get no "
                                 f"{EVENT_NAME} events", fix=f"add {EVENT_NAME} to the trail's event_names")
    if trail.trial_component_prefixes is None:
        return config
    if config.trial_component_prefixes is None:
        return config.model_copy(update={"trial_component_prefixes": list(trail.trial_component_prefixes)})
    for i, prefix in enumerate(config.trial_component_prefixes):
        if not prefix.startswith(trail.trial_component_prefixes):
            raise ConfigurationError(f"trial_component_prefixes[{i}]",
                                     f"{prefix!r} is not within the trail's prefixes "
                                     f"({', '.join(trail.trial_component_prefixes)}): its runs are never logged",
                                     fix="use prefixes that start with one of the trail's")
    return config


def _actions(topic: TopicArg) -> list[str]:
    if topic is None:
        return []
    return [topic if isinstance(topic, str) else topic.topic_arn]


def _alarm(scope: Construct, plan: StreamAlarmPlan, actions: list[str]) -> cloudwatch.CfnAlarm:
    p = plan.properties(actions)
    query = p["Metrics"][0]
    return cloudwatch.CfnAlarm(
        scope, plan.id,
        alarm_name=p["AlarmName"], alarm_description=p["AlarmDescription"], actions_enabled=p["ActionsEnabled"],
        alarm_actions=p["AlarmActions"] or None, ok_actions=p["OKActions"] or None,
        comparison_operator=p["ComparisonOperator"], threshold=p["Threshold"],
        evaluation_periods=p["EvaluationPeriods"], datapoints_to_alarm=p["DatapointsToAlarm"],
        treat_missing_data=p["TreatMissingData"],
        metrics=[cloudwatch.CfnAlarm.MetricDataQueryProperty(
            id=query["Id"], expression=query["Expression"], period=query["Period"], return_data=query["ReturnData"],
            label=query["Label"])],
    )


def _default_dashboard_name(scope: Construct) -> str:
    stack_name = cdk.Stack.of(scope).stack_name
    base = scope.node.id if cdk.Token.is_unresolved(stack_name) else f"{stack_name}-{scope.node.id}"
    return re.sub(r"[^A-Za-z0-9_-]+", "-", base)[:255]
