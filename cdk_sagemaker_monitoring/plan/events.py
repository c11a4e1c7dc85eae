"""The plan of ``SageMakerFailureEvents``: a rule per failure kind, its readable message, targets and alarms.

Pure Python (no jsii): from an :class:`~..config.events.EventsConfig`, the severity routes of the alarms
(:func:`.actions.plan_routes`) and the alarm name prefix to :class:`EventsPlan`:

- per enabled kind of :data:`~..catalog.events.EVENT_KINDS`, an :class:`EventRulePlan`: the event pattern
  (failure values of the status field; ``name_prefixes`` as EventBridge ``prefix`` on the name field, or
  as ``wildcard`` on ``pipelineArn``), the input transformer (paths and a plain-text template: kind, name,
  status, reason, account, region, time, console link), the SNS destinations of its severity, and an
  :class:`~.model.AlarmPlan` on the rule's ``AWS/Events`` ``TriggeredRules`` (dimension ``RuleName``), routed
  like every metric alarm;
- one dead-letter queue for every target, with an alarm on its depth;
- the archive log group's name and the failures dashboard.

Sources: EventBridge "Content filtering in event patterns" (``prefix``, ``equals-ignore-case``, ``wildcard``
on string fields; a pattern at most 4,096 characters... PutRule), "Transforming target input" (InputPathsMap
at most 100 variables; a
plain-text template is sent as it is), PutTargets (at most 5 targets per rule).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from ..catalog.events import (
    EVENT_SOURCE, EVENTBRIDGE_METRICS, EVENTS_NAMESPACE, TRIGGERED_RULES, EventKind, kind,
)
from ..catalog.model import Family, MetricDefinition
from ..config.alarm_actions import is_parameter
from ..config.events import EventsConfig
from ..errors import ConfigurationError
from . import ids
from .actions import DEFAULT_ROUTES, Route
from .model import AlarmPlan, MetricSource

MAX_EVENT_PATTERN_CHARS = 4096
MAX_TARGETS_PER_RULE = 5
"""PutTargets: a rule has at most 5 targets (one is the archive log group)."""
MAX_RULE_NAME_CHARS = 64
ALARM_PERIOD = 300

FAILURE_EVENTS = Family(key="failure_events", title="SageMaker failure events", group="Events",
                        resource="event_rule", namespace=EVENTS_NAMESPACE, dimensions=("RuleName",))
TRIGGERED_ROW = MetricDefinition(
    family=FAILURE_EVENTS, metric=TRIGGERED_RULES, unit="Count", statistics=("Sum", "SampleCount"),
    description="Times the rule matched an event (a failure of its kind)", source=EVENTBRIDGE_METRICS,
    confidence="aws-doc", widget="Failures per kind", dashboard_statistic="Sum")
"""``AWS/Events`` ``TriggeredRules`` by ``RuleName``: what each rule's alarm watches."""
DLQ_FAMILY = Family(key="failure_events_dlq", title="Failure events dead-letter queue", group="Events",
                    resource="event_rule", namespace="AWS/SQS", dimensions=("QueueName",))
DLQ_ROW = MetricDefinition(
    family=DLQ_FAMILY, metric="ApproximateNumberOfMessagesVisible", unit="Count", statistics=("Maximum",),
    description="Notifications EventBridge could not deliver", source=EVENTBRIDGE_METRICS, confidence="aws-doc",
    widget="Undelivered notifications", dashboard_statistic="Maximum")

_TAG = re.compile(r"<([A-Za-z0-9_]+)>")


@dataclass(frozen=True)
class EventRulePlan:
    """One EventBridge rule on the default bus: a failure kind, its pattern, its message and where it goes."""

    kind: EventKind
    id: str
    """Construct (and logical) id of the rule, from its name."""
    name: str
    severity: str
    description: str
    pattern: dict[str, Any]
    input_paths: dict[str, str]
    """InputPathsMap: variable -> JSON path of the event."""
    input_template: str
    """InputTemplate: plain text with ``<variable>`` placeholders (sent as it is, never as JSON)."""
    destinations: tuple[str, ...]
    """SNS topics of the severity: ARNs and template parameter names (the alarm topic, topic objects)."""
    alarm: AlarmPlan

    @property
    def pattern_json(self) -> str:
        return json.dumps(self.pattern, separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True)
class EventsPlan:
    """Everything ``SageMakerFailureEvents`` renders."""

    rules: tuple[EventRulePlan, ...]
    rule_name_prefix: str
    queue_name: str
    dlq_alarm: AlarmPlan
    log_group_name: Optional[str]
    """The archive (``None``: ``archive`` is off)."""
    resource_policy_name: Optional[str]
    dashboard_name: Optional[str]
    log_retention_days: int

    @property
    def alarms(self) -> tuple[AlarmPlan, ...]:
        return tuple(r.alarm for r in self.rules) + (self.dlq_alarm,)

    @property
    def rule_names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rules)

    @property
    def alarm_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.alarms)

    @property
    def parameters(self) -> tuple[str, ...]:
        """Template parameters the alarms and targets use (the alarm topic, topic objects), in first-use order."""
        out: list[str] = []
        for alarm in self.alarms:
            for action in (*alarm.alarm_actions, *alarm.ok_actions):
                if is_parameter(action) and action not in out:
                    out.append(action)
        for rule in self.rules:
            for action in rule.destinations:
                if is_parameter(action) and action not in out:
                    out.append(action)
        return tuple(out)

    def dashboard_body(self, region: str = "${AWS::Region}") -> str:
        """The failures dashboard as compact, key-sorted JSON (``${AWS::Region}`` for ``Fn::Sub``)."""
        return dashboard_body(self, region)


# ----------------------------------------------------------------------------------------- patterns


def event_pattern(row: EventKind, name_prefixes: Optional[list[str]] = None) -> dict[str, Any]:
    """The EventBridge pattern of ``row``'s failures (of names starting with one of ``name_prefixes``)."""
    detail: dict[str, Any] = {}
    for condition in row.conditions:
        values: list[Any] = ([{"equals-ignore-case": v} for v in condition.values] if condition.ignore_case
                             else list(condition.values))
        _put(detail, condition.field, values)
    if name_prefixes:
        if row.match == "prefix":
            _put(detail, row.name_field, [{"prefix": p} for p in name_prefixes])
        else:
            # the pipeline's name is only inside its ARN: arn:<partition>:sagemaker:<region>:<account>:pipeline/<name>
            wildcards: list[str] = []
            for prefix in name_prefixes:
                for spelled in (prefix, prefix.lower()):  # ARNs may hold the name lower-cased
                    value = f"arn:*:sagemaker:*:*:{row.arn_resource}/{spelled}*"
                    if value not in wildcards:
                        wildcards.append(value)
            _put(detail, row.name_field, [{"wildcard": w} for w in wildcards])
    pattern = {"source": [EVENT_SOURCE], "detail-type": [row.detail_type], "detail": detail}
    size = len(json.dumps(pattern, separators=(",", ":")))
    if size > MAX_EVENT_PATTERN_CHARS:
        raise ConfigurationError("name_prefixes", f"make the {row.key} pattern {size} characters long, more than the "
                                 f"{MAX_EVENT_PATTERN_CHARS} EventBridge allows", fix="list fewer or shorter prefixes")
    return pattern


def _put(detail: dict[str, Any], path: str, values: list[Any]) -> None:
    node = detail
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = values


# ----------------------------------------------------------------------------------------- messages


def input_paths(row: EventKind) -> dict[str, str]:
    """InputPathsMap of ``row``'s message: what the template reads from the event."""
    paths = {"account": "$.account", "region": "$.region", "time": "$.time",
             "name": f"$.detail.{row.name_field}", "status": f"$.detail.{row.status.field}"}
    if row.reason_field:
        paths["reason"] = f"$.detail.{row.reason_field}"
    if row.step_field:
        paths["step"] = f"$.detail.{row.step_field}"
    if row.match == "arn-wildcard":
        paths["execution"] = "$.detail.pipelineExecutionArn"
    for condition in row.also:
        paths[_variable(condition.field)] = f"$.detail.{condition.field}"
    return paths


def _variable(field: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", field.split(".")[-1])


def message_lines(row: EventKind, severity: str, rule_name: str) -> list[str]:
    """The notification's lines, with ``<variable>`` where the input transformer puts event values."""
    what = row.title.split(" (")[0]
    if row.key == "training_job_max_runtime":
        headline = f"{severity}: SageMaker training job <name> was stopped: it ran past its MaxRuntimeInSeconds"
    elif row.key == "hyperpod_cluster_error":
        headline = f"{severity}: SageMaker HyperPod cluster <name> reported an error"
    elif row.step_field:
        headline = f"{severity}: SageMaker pipeline step <step> failed"
    else:
        headline = f"{severity}: SageMaker {what[:1].lower() + what[1:]} <name> failed"
    lines = [headline, ""]
    if row.match == "arn-wildcard":
        lines.append("Pipeline: <name>")
        lines.append("Execution: <execution>")
    else:
        lines.append(f"{what}: <name>")
    status = "Status: <status>" + "".join(f" (<{_variable(c.field)}>)" for c in row.also)
    lines.append(status)
    if row.reason_field:
        lines.append("Reason: <reason>")
    lines += ["Account: <account>", "Region: <region>", "Time: <time>",
              "Console: " + row.console, "",
              f"EventBridge rule {rule_name} ({row.detail_type}); alarms and the failures dashboard count these."]
    return lines


def input_template(row: EventKind, severity: str, rule_name: str) -> str:
    """InputTemplate: the message as plain text, not a JSON string literal. EventBridge sends a template that is a
    quoted string with its quotes (and its escapes) to SNS, where mail shows them; a plain-text template is sent
    as it is (InputTransformer API reference: ``"<instance> is in state <status>"``). It starts and ends with a
    line break: an emulator that takes every string template for a quoted one (LocalStack 4.4 drops its first and
    last characters) loses only those."""
    return "\n" + "\n".join(message_lines(row, severity, rule_name)) + "\n"


def render_message(template: str, paths: Mapping[str, str], event: Mapping[str, Any]) -> str:
    """What EventBridge sends for ``event``: the template's text with each ``<variable>`` replaced by the value
    at its path (empty when the event lacks it). For tests and the docs' example notification."""
    values = {name: _at(event, path) for name, path in paths.items()}
    return _TAG.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


def _at(event: Mapping[str, Any], path: str) -> str:
    node: Any = event
    for part in path.removeprefix("$.").split("."):
        if not isinstance(node, Mapping) or part not in node:
            return ""
        node = node[part]
    return node if isinstance(node, str) else json.dumps(node)


# ----------------------------------------------------------------------------------------- the plan


def default_rule_prefix(stack_name: Optional[str]) -> str:
    """The rule name prefix when none is configured: the stack's name (``SageMaker`` without one), its characters
    kept to EventBridge's, at most 40 (a longer one keeps its first 31 and a digest of the whole)."""
    if not stack_name:
        return "SageMaker"
    clean = re.sub(r"[^A-Za-z0-9._-]", "-", stack_name).lstrip("._-") or "SageMaker"
    if len(clean) <= 40:
        return clean
    return f"{clean[:31]}-{ids.digest(stack_name)}"


def rule_name(prefix: str, row: EventKind) -> str:
    name = f"{prefix}-{row.rule_suffix}"
    if len(name) > MAX_RULE_NAME_CHARS:  # the prefix rule keeps this from happening
        raise ConfigurationError("rule_name_prefix", f"makes the rule name {name!r} longer than 64 characters")
    return name


def destinations(route: Route) -> tuple[str, ...]:
    """The SNS topics among a severity's alarm actions (parameters stand for topics; ARNs of ``sns``)."""
    return tuple(a for a in route.alarm if is_parameter(a) or a.split(":")[2:3] == ["sns"])


def plan_events(config: EventsConfig, *, routes: Mapping[str, Route] = DEFAULT_ROUTES,
                alarm_name_prefix: str = "SageMaker", dashboard_base: str = "SageMaker",
                runbook_url: Optional[str] = None, stack_name: Optional[str] = None) -> EventsPlan:
    """The whole plan; every limit is checked here, before anything is rendered. ``stack_name`` gives the rule
    name prefix when the configuration has none (:func:`default_rule_prefix`)."""
    prefix = config.rule_name_prefix or default_rule_prefix(stack_name)
    rules: list[EventRulePlan] = []
    for key, severity in config.enabled_kinds():
        row = kind(key)
        name = rule_name(prefix, row)
        route = routes[severity]
        topics = destinations(route)
        if len(topics) + (1 if config.archive else 0) > MAX_TARGETS_PER_RULE:
            raise ConfigurationError(f"alarm_actions.{severity}",
                                     f"has {len(topics)} SNS topics: with the archive, a rule would need "
                                     f"{len(topics) + 1} targets, more than the {MAX_TARGETS_PER_RULE} EventBridge "
                                     "allows", fix="at most 4 topics per severity")
        scope = (", names starting with " + ", ".join(config.name_prefixes)) if config.name_prefixes else ""
        description = f"SageMaker {row.title.lower()} failures{scope} ({severity})"
        alarm = AlarmPlan(
            id=ids.construct_id("FailureEvents", row.rule_suffix, "Alarm", salt=prefix + alarm_name_prefix),
            name=f"{alarm_name_prefix}/FailureEvents/{row.rule_suffix}/{severity}",
            description=_with_runbook(
                f"{row.title}: a failure event matched rule {name} ({row.detail_type}{scope}). The notification "
                f"names the resource and the reason; the failures dashboard lists the latest.", runbook_url),
            resource_kind="event_rule", resource_name=name, row=TRIGGERED_ROW, kind="failure", severity=severity,
            comparison="GreaterThanOrEqualToThreshold", threshold=1, statistic="Sum", period=ALARM_PERIOD,
            evaluation_periods=1, datapoints_to_alarm=1, treat_missing_data="notBreaching",
            sources=(MetricSource(EVENTS_NAMESPACE, TRIGGERED_RULES, (("RuleName", name),)),),
            alarm_actions=route.alarm, ok_actions=route.ok)
        rules.append(EventRulePlan(
            kind=row, id=ids.construct_id("FailureRule", row.key, salt=prefix), name=name, severity=severity,
            description=description[:512], pattern=event_pattern(row, config.name_prefixes),
            input_paths=input_paths(row), input_template=input_template(row, severity, name),
            destinations=topics, alarm=alarm))
    queue_name = f"{prefix}-FailureEvents-DLQ"
    worst = "Critical" if any(r.severity == "Critical" for r in rules) else "Warning"
    dlq_alarm = AlarmPlan(
        id=ids.construct_id("FailureEvents", "UndeliveredNotifications", "Alarm", salt=prefix + alarm_name_prefix),
        name=f"{alarm_name_prefix}/FailureEvents/UndeliveredNotifications/{worst}",
        description=_with_runbook(
            f"EventBridge could not deliver failure notifications (or archive them) and put them in {queue_name}: "
            "someone may not have heard of a failure. Read the queue's messages (their attributes say why).",
            runbook_url),
        resource_kind="event_rule", resource_name=queue_name, row=DLQ_ROW, kind="failure", severity=worst,
        comparison="GreaterThanOrEqualToThreshold", threshold=1, statistic="Maximum", period=ALARM_PERIOD,
        evaluation_periods=1, datapoints_to_alarm=1, treat_missing_data="notBreaching",
        sources=(MetricSource("AWS/SQS", DLQ_ROW.metric, (("QueueName", queue_name),)),),
        alarm_actions=routes[worst].alarm, ok_actions=routes[worst].ok)
    log_group = f"/aws/events/{prefix}/sagemaker-failures" if config.archive else None
    return EventsPlan(
        rules=tuple(rules), rule_name_prefix=prefix, queue_name=queue_name, dlq_alarm=dlq_alarm, log_group_name=log_group,
        resource_policy_name=f"{prefix}-SageMakerFailureEventsToLogs" if config.archive else None,
        dashboard_name=f"{dashboard_base}-Failures"[:255] if config.dashboard else None,
        log_retention_days=config.log_retention_days)


def _with_runbook(text: str, url: Optional[str]) -> str:
    return f"{text} Runbook: {url}" if url else text


# ----------------------------------------------------------------------------------------- dashboard


def insights_query(plan: EventsPlan) -> str:
    """Logs Insights over the archive: the latest failures with kind, name and reason."""
    names = sorted({f"detail.{r.kind.name_field}" for r in plan.rules})
    reasons = sorted({f"detail.{r.kind.reason_field}" for r in plan.rules if r.kind.reason_field})
    name = f"coalesce({', '.join(names)})" if len(names) > 1 else (names[0] if names else "''")
    reason = f"coalesce({', '.join(reasons)})" if len(reasons) > 1 else (reasons[0] if reasons else "''")
    return (f"SOURCE '{plan.log_group_name}' | fields @timestamp, `detail-type` as kind, {name} as resource, "
            f"detail.stepName as step, {reason} as reason, region | sort @timestamp desc | limit 100")


def dashboard_body(plan: EventsPlan, region: str = "${AWS::Region}") -> str:
    widgets: list[dict[str, Any]] = [{"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {
        "markdown": "## SageMaker failures\nFailure events (EventBridge, default bus) per kind: each rule notifies the "
                    "alarm actions of its severity with a readable message; matched events are archived "
                    + (f"in `{plan.log_group_name}`." if plan.log_group_name else "nowhere (archive off).")}}]
    metrics = [[EVENTS_NAMESPACE, TRIGGERED_RULES, "RuleName", r.name, {"stat": "Sum", "label": r.kind.title}]
               for r in plan.rules]
    widgets.append({"type": "metric", "x": 0, "y": 2, "width": 16, "height": 6, "properties": {
        "title": "Failures per kind", "region": region, "view": "timeSeries", "stacked": True, "period": 300,
        "metrics": metrics or [[EVENTS_NAMESPACE, TRIGGERED_RULES, "RuleName", "none", {"stat": "Sum"}]]}})
    widgets.append({"type": "metric", "x": 16, "y": 2, "width": 8, "height": 6, "properties": {
        "title": "Undelivered notifications (dead letters)", "region": region, "view": "timeSeries",
        "stacked": False, "period": 300,
        "metrics": [["AWS/SQS", DLQ_ROW.metric, "QueueName", plan.queue_name, {"stat": "Maximum"}]]}})
    if plan.log_group_name:
        widgets.append({"type": "log", "x": 0, "y": 8, "width": 24, "height": 8, "properties": {
            "title": "Latest failures", "region": region, "view": "table", "query": insights_query(plan)}})
    return json.dumps({"widgets": widgets}, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


__all__ = ["EventRulePlan", "EventsPlan", "default_rule_prefix", "destinations", "event_pattern", "input_paths", "input_template",
           "insights_query", "message_lines", "plan_events", "render_message", "rule_name"]
