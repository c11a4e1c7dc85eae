"""SageMakerMonitoring: CloudWatch dashboards and alarms for every documented SageMaker metric family.

config (validated specs) -> plan (pure Python: alarms, widgets, names, limits) -> render (this
construct: the alarms in one ``CfnInclude`` per scope, one ``CfnDashboard`` per page, the alarm topic).
"""

from __future__ import annotations

import builtins
import re
from typing import Any, Callable, Literal, Mapping, Optional, Sequence, Union

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_sns as sns
from aws_cdk import cloudformation_include as cfn_include
import jsii
from constructs import Construct, IValidation

from ..catalog.model import SEVERITIES, Severity
from ..config.alarm_actions import PARAMETERS_CONTEXT, SeverityActions
from ..config.custom_metrics import CustomMetric
from ..config.validate import validate
from ..config.resources import (
    EndpointSpec, FeatureGroupSpec, HyperPodClusterSpec, LabelingJobSpec, MonitoringConfig, MonitoringScheduleSpec,
    PipelineSpec, ProcessingJobSpec,
    TrainingJobSpec, TransformJobSpec, WorkteamSpec,
)
from ..errors import ConfigurationError, ConfigurationErrors
from ..plan import DashboardPlan, MonitoringPlan, ResourcePlan, plan_monitoring
from ..plan.limits import MAX_OUTPUTS_PER_STACK, MAX_RESOURCES_PER_STACK, LimitExceeded
from ..plan.lookup import find_series
from ..plan.model import TOPIC_PARAMETER
from ..plan.notifications import NOBODY_NOTIFIED, nobody_notified_text, unnotified_severities
from ..plan.shards import ShardLimits, group_stack_suffix
from ..render import AlarmTopic, alarm_topic, render_dashboard, render_resources
from ..render.metrics import metric_object
from ..render.nested import render_layout
from .quiet import without_stack_traces

MAX_STACK_NAME_CHARS = 128
COST_ESTIMATE = "cdk-sagemaker-monitoring:CostEstimate"
"""Id of the cost estimate's info annotation."""

EndpointArg = Union[str, Mapping[str, Any], EndpointSpec]
"""An endpoint: its name, a mapping with :class:`EndpointSpec`'s keys, or an ``EndpointSpec``."""
TrainingJobArg = Union[str, Mapping[str, Any], TrainingJobSpec]
ProcessingJobArg = Union[str, Mapping[str, Any], ProcessingJobSpec]
TransformJobArg = Union[str, Mapping[str, Any], TransformJobSpec]
FeatureGroupArg = Union[str, Mapping[str, Any], FeatureGroupSpec]
PipelineArg = Union[str, Mapping[str, Any], PipelineSpec]
LabelingJobArg = Union[str, Mapping[str, Any], LabelingJobSpec]
WorkteamArg = Union[str, Mapping[str, Any], WorkteamSpec]
HyperPodClusterArg = Union[str, Mapping[str, Any], HyperPodClusterSpec]
MonitoringScheduleArg = Union[Mapping[str, Any], MonitoringScheduleSpec]
CustomMetricArg = Union[CustomMetric, Mapping[str, Any]]
"""A :class:`CustomMetric`, or a mapping with its keys."""
ActionArg = Union[sns.ITopic, str]
"""An SNS topic object, or an action ARN (SNS topic, Lambda function, SSM OpsItem, response plan)."""
SeverityActionsArg = Union[Sequence[ActionArg], Mapping[str, Any], SeverityActions]
"""A list of actions, or ``{"actions": [...], "ok_actions": False}``."""
AlarmModeName = Literal["per_resource", "fleet", "both"]
ListKey = Literal["endpoints", "training_jobs", "processing_jobs", "transform_jobs", "feature_groups", "pipelines",
                  "labeling_jobs", "workteams", "hyperpod_clusters", "monitoring_schedules"]
Placement = Callable[[Union[ResourcePlan, DashboardPlan]], Construct]
"""The ``placement`` hook: a planned resource or dashboard page -> the scope it goes into."""


class SageMakerMonitoring(Construct):
    """Dashboards and alarms for SageMaker endpoints, jobs, feature groups, pipelines and Ground Truth.

    Every list takes plain names, mappings or spec instances (:class:`EndpointSpec`,
    :class:`TrainingJobSpec`, ...). Bad input raises :class:`ConfigurationErrors` naming the field,
    before anything is added to the app.

    :param endpoints: endpoints (``variants``, ``multi_model``, ``gpu``, ``serverless``, ``provisioned_concurrency``,
        ``asynchronous``, ``inference_components``, ``enhanced_metrics``, ``metric_publish_frequency``, ``containers``,
        ``alarms``).
    :param training_jobs: training jobs (``instance_count``, ``gpu``, ``metrics``: algorithm metrics, ``alarms``).
    :param processing_jobs: processing jobs (``instance_count``, ``gpu``, ``alarms``).
    :param transform_jobs: batch transform jobs (graphs by SEARCH, fleet alarms by Metrics Insights).
    :param feature_groups: Feature Store feature groups (``operations``, ``alarms``).
    :param pipelines: pipelines (``steps``, ``alarms``).
    :param labeling_jobs: Ground Truth labeling jobs (dataset objects per job; one account-level ``JobsFailed`` alarm).
    :param workteams: Ground Truth private work teams (``workforce``): graphed by SEARCH, no alarm (their
        dimension set is not documented).
    :param hyperpod_clusters: SageMaker HyperPod clusters (node health by ``ClusterName``).
    :param monitoring_schedules: Model Monitor schedules (``name``, ``endpoint``, ``type``, ``metrics``).
    :param alarm_emails: addresses subscribed to the alarm topic.
    :param alarm_topic: send alarms to this topic (or topic ARN) instead of creating one.
    :param alarm_actions: actions per severity, ``{"Critical": [pager_topic], "Warning": [chat_topic]}``:
        SNS topics (objects or ARNs), Lambda function ARNs, SSM OpsItem action ARNs
        (``arn:aws:ssm:<region>:<account>:opsitem:<1-4>``), Incident Manager response plan ARNs; a mapping
        ``{"actions": [...], "ok_actions": False}`` turns OK notifications off for that severity. A severity
        left out notifies the alarm topic (``alarm_emails`` / ``alarm_topic``); when every severity has
        actions, no topic is created. Composite alarms notify the actions of their worst child's severity.
    :param custom_metrics: metrics of your own (:class:`CustomMetric` or mappings), each attached to a
        resource kind, graphed, alarmed and overridable (``alarms``) like catalog metrics.
    :param runbook_url: runbook link in every alarm's description (a resource's ``runbook_url``, and an
        alarm override's, win).
    :param dashboard_name: prefix of the dashboard names (default: stack name and construct id).
    :param alarm_name_prefix: first part of every alarm name (default ``SageMaker``).
    :param fleet_overview: add the SEARCH-based overview dashboard (default ``True``).
    :param composite_alarms: a composite alarm per endpoint (default ``True``).
    :param anomaly_alarms: anomaly-band alarms on every endpoint, a traffic drop (``Invocations``) and a latency
        drift (``ModelLatency``), band 2 (default ``False``). Per alarm: ``alarms={"Invocations": {"anomaly":
        {"band": 2, "direction": "lower"}}}``; SLOs: an endpoint's ``slo``.
    :param guardrail_outputs: a stack output per endpoint with its guardrail alarm names (default ``True``).
    :param cost_annotation: add the monthly cost estimate (list prices, from the plan) to the stack as an info
        annotation, which ``cdk synth`` shows (default ``True``).
    :param config: a ready :class:`MonitoringConfig` instead of the keyword arguments above.
    :param alarm_mode: ``per_resource`` (default), ``fleet`` (one Metrics Insights alarm per metric over
        every resource of a kind, each resource a contributor), ``both``, or a mapping per resource list.
    :param metrics_insights_alarm_quota: Metrics Insights alarms allowed in the region (default 200).
    :param shards: nested stacks for the per-resource alarms and dashboard pages (default: automatic,
        none while everything fits in one stack; ``0``: always one stack). See :mod:`..plan.shards`.
    :param shard_limits: per-stack limits sharding keeps to (CloudFormation's; lower them only to test).
    :param removal_policy: of the alarm topic's KMS key (default ``DESTROY``).
    :param placement: where each planned resource's alarms, composite alarm and guardrail output go,
        and each dashboard page: a function of a :class:`ResourcePlan` or :class:`DashboardPlan`
        returning a scope (e.g. a ``NestedStack`` chosen by a hash of the resource's own name); default
        this construct. The topic and the fleet alarms stay here. CloudFormation's per-stack limits
        (500 resources, 200 outputs) are checked per stack before anything is rendered. Replaces sharding.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        endpoints: Sequence[EndpointArg] = (),
        training_jobs: Sequence[TrainingJobArg] = (),
        processing_jobs: Sequence[ProcessingJobArg] = (),
        transform_jobs: Sequence[TransformJobArg] = (),
        feature_groups: Sequence[FeatureGroupArg] = (),
        pipelines: Sequence[PipelineArg] = (),
        labeling_jobs: Sequence[LabelingJobArg] = (),
        workteams: Sequence[WorkteamArg] = (),
        hyperpod_clusters: Sequence[HyperPodClusterArg] = (),
        monitoring_schedules: Sequence[MonitoringScheduleArg] = (),
        alarm_emails: Sequence[str] = (),
        alarm_topic: Union[sns.ITopic, str, None] = None,
        alarm_actions: Optional[Mapping[Severity, SeverityActionsArg]] = None,
        custom_metrics: Sequence[CustomMetricArg] = (),
        runbook_url: Optional[str] = None,
        dashboard_name: Optional[str] = None,
        alarm_name_prefix: str = "SageMaker",
        fleet_overview: bool = True,
        composite_alarms: bool = True,
        anomaly_alarms: bool = False,
        guardrail_outputs: bool = True,
        cost_annotation: bool = True,
        alarm_mode: Union[AlarmModeName, Mapping[ListKey, AlarmModeName]] = "per_resource",
        metrics_insights_alarm_quota: int = 200,
        shards: Optional[int] = None,
        config: Optional[MonitoringConfig] = None,
        shard_limits: Optional[ShardLimits] = None,
        removal_policy: cdk.RemovalPolicy = cdk.RemovalPolicy.DESTROY,
        placement: Optional[Placement] = None,
    ) -> None:
        topic_object = alarm_topic if alarm_topic is not None and not isinstance(alarm_topic, str) else None
        if topic_object is not None and not hasattr(topic_object, "topic_arn"):
            raise ConfigurationError("alarm_topic", f"expected an SNS topic or a topic ARN, got {type(alarm_topic).__name__}",
                                     fix="pass sns.Topic(...), sns.Topic.from_topic_arn(...) or an ARN string")
        actions, topic_objects = _action_arguments(alarm_actions)
        from_arguments = config is None  # else a MonitoringConfig (a YAML file's keys): its words in messages
        if config is None:
            config = _validate_arguments({
                "endpoints": endpoints, "training_jobs": training_jobs, "processing_jobs": processing_jobs,
                "transform_jobs": transform_jobs, "feature_groups": feature_groups, "pipelines": pipelines,
                "labeling_jobs": labeling_jobs, "workteams": workteams, "hyperpod_clusters": hyperpod_clusters,
                "monitoring_schedules": monitoring_schedules, "alarm_emails": alarm_emails,
                "alarm_topic_arn": alarm_topic if isinstance(alarm_topic, str) else None,
                "dashboard_name": dashboard_name, "alarm_name_prefix": alarm_name_prefix,
                "fleet_overview": fleet_overview, "composite_alarms": composite_alarms,
                "anomaly_alarms": anomaly_alarms,
                "guardrail_outputs": guardrail_outputs, "cost_annotation": cost_annotation, "alarm_mode": alarm_mode,
                "metrics_insights_alarm_quota": metrics_insights_alarm_quota, "shards": shards,
                **({"alarm_actions": actions} if actions is not None else {}),
                "custom_metrics": custom_metrics, "runbook_url": runbook_url,
            }, tuple(topic_objects))
        elif not isinstance(config, MonitoringConfig):
            raise ConfigurationError("config", f"expected a MonitoringConfig, got {type(config).__name__}")
        if topic_object is not None and not config.uses_alarm_topic:
            raise ConfigurationError("alarm_topic",
                                     "no alarm would notify it: every severity has its own alarm_actions",
                                     fix="add the topic to alarm_actions, or leave alarm_topic out")
        base = config.dashboard_name or _default_dashboard_base(scope, id)
        # service limits (and the shard layout, when one stack is too small) are checked here, before any construct
        plan = plan_monitoring(config, dashboard_base=base, sharding=placement is None, shard_limits=shard_limits)
        if plan.layout is not None and plan.layout.groups:
            _check_group_stack_names(scope, plan.layout.groups[-1])
        own = _own_resource_count(config, plan, topic_object is not None or config.alarm_topic_arn is not None
                                  or not config.uses_alarm_topic)
        if placement is None and plan.layout is None:
            _check_stack(own + sum(r.resource_count for r in plan.resources),
                         _output_count(config, plan.resources), "this stack")
        super().__init__(scope, id)
        without_stack_traces(self)  # else the CDK CLI prints a jsii frame above each annotation
        self.config: MonitoringConfig = config
        self.plan: MonitoringPlan = plan
        self.dashboard_base: str = base
        """The first part of the dashboard names."""
        targets: list[tuple[ResourcePlan, Construct]] = [(r, placement(r) if placement else self) for r in plan.resources]
        pages: list[tuple[DashboardPlan, Construct]] = [(d, placement(d) if placement else self)
                                                         for d in plan.all_dashboards]
        if placement is not None:
            _check_placement(self, own - len(pages), targets, pages, config)

        if config.cost_annotation:
            _annotate_cost(self, config, plan)
        self.topic: Optional[AlarmTopic] = (_topic(self, config, topic_object, removal_policy)
                                            if config.uses_alarm_topic else None)
        """The alarm topic (``None`` when every severity has its own ``alarm_actions``)."""
        self.notifies_nobody: bool = False
        """Whether alarms notify no one (set at synth, with the warning ``NOBODY_NOTIFIED``)."""
        self.unnotified_severities: tuple[str, ...] = ()
        """The severities of this construct's alarms that notify no one (set with :attr:`notifies_nobody`)."""
        self._other_alarms_on_topic: list[str] = []
        unnotified = unnotified_severities(config, plan, topic_given=topic_object is not None)
        if self.topic is not None and self.topic.topic is not None and not (
                config.alarm_emails or config.alarm_topic_arn or topic_object is not None):
            # decided at synth: subscriptions may still be added to the topic in code
            self.node.add_validation(_NotifiesSomeone(self, self.topic.topic, unnotified, self._other_alarms_on_topic,
                                                      from_arguments))
        parameters: dict[str, str] = {name: value.topic_arn for name, value in topic_objects.items()}
        if self.topic is not None:
            parameters[TOPIC_PARAMETER] = self.topic.topic_arn
        self.action_parameters: dict[str, str] = dict(parameters)
        """Template parameter -> topic ARN: the alarm topic and the topic objects of ``alarm_actions``."""
        self.action_topics: list[sns.ITopic] = list(topic_objects.values())
        """The SNS topic objects given in ``alarm_actions``."""
        self.nested_stacks: dict[str, cdk.NestedStack] = {}
        """Shard key (``Shard007``, ``Overview``) -> nested stack, when sharded."""
        self.shard_stacks: dict[int, cdk.Stack] = {}
        """Shard group (1, 2...) -> the top-level stack beside this one holding its shards (deploy with ``--all``)."""
        self.includes: list[cfn_include.CfnInclude] = []
        """The ``CfnInclude`` of each scope's alarms (``get_resource(logical_id)``; :meth:`alarm` by name)."""
        self.dashboards: list[cloudwatch.CfnDashboard] = []
        if plan.layout is not None:
            rendered = render_layout(self, plan.layout, parameters)
            fleet = render_resources(self, "Alarms", [], parameters, alarms=plan.fleet_alarms)
            self.includes = [*rendered.includes.values(), *([fleet] if fleet is not None else [])]
            self.dashboards = rendered.dashboards
            self.nested_stacks = rendered.stacks
            self.shard_stacks = rendered.group_stacks
            return
        # One CfnInclude per target scope (one jsii call however many alarms); logical ids come from the plan.
        groups: dict[int, tuple[Construct, list[ResourcePlan]]] = {}
        for resource, target in targets:
            groups.setdefault(builtins.id(target), (target, []))[1].append(resource)
        groups.setdefault(builtins.id(self), (self, []))
        include_id = f"{self.node.id}Alarms"
        for target, members in groups.values():
            included = render_resources(target, include_id if target is not self else "Alarms", members,
                                        parameters, alarms=plan.fleet_alarms if target is self else (),
                                        guardrail_outputs=config.guardrail_outputs)
            if included is not None:
                self.includes.append(included)
        self.dashboards = [render_dashboard(target, d) for d, target in pages]

    def nobody_notified_text(self, *, construct: bool = True) -> str:
        """The text of the warning that no one is notified (``construct``: in the construct's argument names,
        else in the configuration file's)."""
        return nobody_notified_text(self.unnotified_severities, construct=construct,
                                    others=tuple(self._other_alarms_on_topic))

    def alarms_also_notify_topic(self, what: str) -> None:
        """Say that other alarms (``what``: "the live-metrics stream's alarms") notify :attr:`topic` too, so the
        warning that no one is notified counts them."""
        self._other_alarms_on_topic.append(what)

    def alarm(self, name: str) -> Union[cloudwatch.CfnAlarm, cloudwatch.CfnCompositeAlarm]:
        """The L1 alarm (or composite alarm) named ``name``: the escape hatch to one alarm.

        Change any property (``monitoring.alarm(n).alarm_actions = [...]``, ``add_property_override``),
        or reference it (``.attr_arn``) from your own composite alarms. Names are in :attr:`alarm_names`.
        """
        logical = {a.name: a.id for a in self.plan.alarms}
        logical.update({r.composite.name: r.composite.id for r in self.plan.resources if r.composite})
        logical.update({c.name: c.id for r in self.plan.resources for c in r.slo_composites})
        if name not in logical:
            raise ConfigurationError("name", f"no alarm named {name!r} here", fix="see alarm_names")
        for included in self.includes:
            try:
                return included.get_resource(logical[name])  # type: ignore[return-value]
            except RuntimeError:
                continue
        raise ConfigurationError("name", f"alarm {name!r} was not rendered")

    def metric(self, resource_name: str, metric_name: str, *, kind: Optional[str] = None,
               statistic: Optional[str] = None, period: Optional[int] = None,
               **dimension_values: str) -> cloudwatch.IMetric:
        """A metric of a monitored resource, for your own widgets and alarms.

        ``metric_name`` is a catalog metric or one of ``custom_metrics``; ``kind`` (``endpoint``,
        ``training_job``...) is needed only when two kinds share the name. ``statistic`` and ``period``
        (seconds) default to the resource's alarm on it, else the dashboard's (300 s).
        ``dimension_values`` pick series (``VariantName="Canary"``, ``Host="job/algo-2"``).

        One series: a ``cloudwatch.Metric``. Several (variants, hosts, operations, steps): a
        ``cloudwatch.MathExpression`` ``MAX([...])`` over them, the worst one (as the alarms read them);
        transform jobs (hosts unknown before they run): a ``SEARCH`` expression, for graphs only.
        Bad names raise :class:`ConfigurationError` naming the argument and the valid values.
        """
        choice = find_series(self.config, resource_name, metric_name, kind=kind, statistic=statistic, period=period,
                             dimension_values=dimension_values)
        return metric_object(choice)

    @property
    def alarm_topic_arn(self) -> Optional[str]:
        """ARN of the alarm topic (``None`` when every severity has its own ``alarm_actions``)."""
        return self.topic.topic_arn if self.topic is not None else None

    @property
    def alarm_names(self) -> tuple[str, ...]:
        """Every alarm name, in plan order."""
        return tuple(n for r in self.plan.resources for n in r.alarm_names) + tuple(a.name for a in self.plan.fleet_alarms)

    @property
    def dashboard_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.plan.all_dashboards)

    def guardrail_alarm_names(self, endpoint_name: str) -> list[str]:
        """Names of ``endpoint_name``'s alarms for ``DeploymentConfig.AutoRollbackConfiguration.Alarms``.

        Its error and latency alarms (the ones a bad deployment trips within minutes), Critical first,
        at most 10 (SageMaker's limit). Raises ``ConfigurationError`` for an endpoint not monitored here.
        """
        try:
            return list(self.plan.guardrail_alarm_names(endpoint_name))
        except KeyError:
            known = ", ".join(r.name for r in self.plan.resources if r.kind == "endpoint") or "none"
            raise ConfigurationError("endpoint_name", f"{endpoint_name!r} is not an endpoint of this monitoring",
                                     fix=f"monitored endpoints: {known}") from None


def _action_arguments(alarm_actions: Optional[Mapping[Severity, SeverityActionsArg]]
                      ) -> tuple[Optional[dict[str, Any]], dict[str, sns.ITopic]]:
    """``alarm_actions`` with each SNS topic object replaced by a template parameter name, and those topics.

    The parameter of the ``n``-th action of ``Critical`` is ``AlarmActionCritical<n>``; the renderer
    replaces it by the topic's ARN (known only at deploy time for a topic of the app)."""
    if alarm_actions is None:
        return None, {}
    if not isinstance(alarm_actions, Mapping):
        raise ConfigurationError("alarm_actions", f"expected a mapping from severity to actions, got "
                                 f"{type(alarm_actions).__name__}", fix='for example {"Critical": [topic]}')
    out: dict[str, Any] = {}
    topics: dict[str, sns.ITopic] = {}
    for severity, value in alarm_actions.items():
        if isinstance(value, SeverityActions):
            out[severity] = value
            continue
        entries = value.get("actions", ()) if isinstance(value, Mapping) else value
        if isinstance(entries, str) or hasattr(entries, "topic_arn"):
            entries = [entries]
        replaced: list[Any] = []
        for i, entry in enumerate(entries if isinstance(entries, (list, tuple)) else [entries]):
            if isinstance(entry, str) or not hasattr(entry, "topic_arn"):
                replaced.append(entry)
                continue
            name = f"AlarmAction{severity}{i + 1}" if severity in SEVERITIES else f"AlarmAction{i + 1}"
            topics[name] = entry
            replaced.append(name)
        out[severity] = {**value, "actions": replaced} if isinstance(value, Mapping) else replaced
    return out, topics


def _validate_arguments(arguments: dict[str, Any], parameters: tuple[str, ...] = ()) -> MonitoringConfig:
    """MonitoringConfig from the keyword arguments; errors name the construct's argument (``alarm_topic``).

    ``parameters``: names standing for topic objects in ``alarm_actions`` (accepted there only)."""
    try:
        return validate(MonitoringConfig, arguments, context={PARAMETERS_CONTEXT: parameters})
    except ConfigurationErrors as err:
        for one in err.errors:
            if one.field.startswith("alarm_topic_arn"):
                one.field = "alarm_topic" + one.field[len("alarm_topic_arn"):]
        raise ConfigurationErrors(err.errors) from None


def _default_dashboard_base(scope: Construct, id: str) -> str:
    stack_name = cdk.Stack.of(scope).stack_name
    base = id if cdk.Token.is_unresolved(stack_name) else f"{stack_name}-{id}"
    return re.sub(r"[^A-Za-z0-9_-]+", "-", base)[:180]


def _check_group_stack_names(scope: Construct, last_group: int) -> None:
    """Group stacks are named ``<stack name>-ShardsGG``: that must still be a stack name (at most 128 characters)."""
    name = cdk.Stack.of(scope).stack_name
    longest = f"{name}{group_stack_suffix(last_group)}"
    if not cdk.Token.is_unresolved(name) and len(longest) > MAX_STACK_NAME_CHARS:
        raise ConfigurationError("stack_name", f"{name[:40]!r}... is too long to name the stacks of its shard "
                                 f"groups ({longest[-12:]!r} makes {len(longest)} characters)",
                                 fix=f"at most {MAX_STACK_NAME_CHARS - len(group_stack_suffix(last_group))} characters")


def _own_resource_count(config: MonitoringConfig, plan: MonitoringPlan, caller_topic: bool) -> int:
    """Resources this construct puts in its own stack besides the per-resource alarms."""
    topic = 0 if caller_topic else 3  # key, topic, topic policy
    return topic + len(config.alarm_emails) + len(plan.all_dashboards) + len(plan.fleet_alarms)


def _output_count(config: MonitoringConfig, resources: Sequence[ResourcePlan]) -> int:
    return sum(1 for r in resources if r.guardrail_alarm_names) if config.guardrail_outputs else 0


def _check_stack(resources: int, outputs: int, where: str) -> None:
    fix = "spread resources over nested stacks with `placement`, or split the configuration over several stacks"
    if resources > MAX_RESOURCES_PER_STACK:
        raise LimitExceeded("placement", f"{where} would hold {resources} resources, more than CloudFormation's "
                            f"{MAX_RESOURCES_PER_STACK}", fix=fix)
    if outputs > MAX_OUTPUTS_PER_STACK:
        raise LimitExceeded("guardrail_outputs", f"{where} would hold {outputs} guardrail outputs, more than "
                            f"CloudFormation's {MAX_OUTPUTS_PER_STACK}", fix="set guardrail_outputs to false, or " + fix)


def _check_placement(own: Construct, own_count: int, targets: Sequence[tuple[ResourcePlan, Construct]],
                     pages: Sequence[tuple[DashboardPlan, Construct]], config: MonitoringConfig) -> None:
    """Per-stack resource and output counts when resources are placed in other scopes (jsii calls per scope only)."""
    path_of: dict[int, str] = {}

    def stack_path(scope: Construct) -> str:
        path = path_of.get(id(scope))
        if path is None:
            path = path_of[id(scope)] = cdk.Stack.of(scope).node.path
        return path

    resources: dict[str, int] = {stack_path(own): own_count}
    outputs: dict[str, int] = {}
    for resource, target in targets:
        path = stack_path(target)
        resources[path] = resources.get(path, 0) + resource.resource_count
        outputs[path] = outputs.get(path, 0) + _output_count(config, [resource])
    for _, target in pages:
        path = stack_path(target)
        resources[path] = resources.get(path, 0) + 1
    for path, count in resources.items():
        _check_stack(count, outputs.get(path, 0), f"stack {path}")


def _annotate_cost(scope: Construct, config: MonitoringConfig, plan: MonitoringPlan) -> None:
    """The monthly estimate as an info annotation of the stack (``cdk synth`` prints it)."""
    from ..cost.annotation import annotation_text

    stack = cdk.Stack.of(scope)
    region = None if cdk.Token.is_unresolved(stack.region) else stack.region
    annotations = cdk.Annotations.of(scope)
    if hasattr(annotations, "add_info_v2"):  # with an id the CDK CLI offers to acknowledge (aws-cdk-lib 2.270+)
        annotations.add_info_v2(COST_ESTIMATE, annotation_text(config, plan, region))
    else:
        annotations.add_info(annotation_text(config, plan, region))


@jsii.implements(IValidation)
class _NotifiesSomeone:
    """At synth: warn when the alarm topic created here has no subscription (and nothing else notifies)."""

    def __init__(self, monitoring: "SageMakerMonitoring", topic: sns.ITopic, severities: tuple[str, ...],
                 others: list[str], construct_words: bool) -> None:
        self._monitoring, self._topic, self._severities, self._others = monitoring, topic, severities, others
        self._construct_words = construct_words

    def validate(self) -> list[str]:
        if not self._severities and not self._others:
            return []
        subscribed = any(isinstance(c, (sns.Subscription, sns.CfnSubscription)) for c in self._topic.node.find_all())
        if not subscribed:
            self._monitoring.notifies_nobody = True
            self._monitoring.unnotified_severities = self._severities
            cdk.Annotations.of(self._monitoring).add_warning_v2(NOBODY_NOTIFIED, self._monitoring.nobody_notified_text(
                construct=self._construct_words))
        return []


def _topic(scope: Construct, config: MonitoringConfig, topic: Optional[sns.ITopic],
           removal_policy: cdk.RemovalPolicy) -> AlarmTopic:
    return alarm_topic(scope, emails=config.alarm_emails, existing=topic, existing_arn=config.alarm_topic_arn,
                       alarm_name_prefix=config.alarm_name_prefix, removal_policy=removal_policy)


__all__ = [
    "EndpointSpec", "FeatureGroupSpec", "LabelingJobSpec", "MonitoringConfig", "PipelineSpec", "ProcessingJobSpec",
    "SageMakerMonitoring", "TrainingJobSpec", "TransformJobSpec", "WorkteamSpec",
]
