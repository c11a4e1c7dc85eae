"""Count what a configuration would deploy from its plans, without synthesizing (fast for large fleets).

:func:`count_config` counts every stack the bundled app builds from a file (``plan.app_layout``: one
stack, or one per environment and the central ones), each from the plan its construct makes: the
monitoring's alarms, composite alarms and dashboard pages, the alarm topic's key, the trail and its
keys, the queries, the stream's alarms, dashboard and function, the central overview and organization
trail. :mod:`.assembly` counts the same things in the written templates; ``tests/cost/test_agreement.py``
synthesizes each kind of configuration with the app and compares the two.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from ..config.app_config import AppConfig
from ..config.resources import SPEC_TYPES, MonitoringConfig, ResourceSpec
from ..plan import AlarmPlan, MonitoringPlan, plan_monitoring
from .assembly import (CONFIGURED_SERIES_BASIS, DEFAULT_SERIES_PER_QUERY, finish_custom_metrics, is_stream_alarm,
                       series_basis)
from .usage import Usage

PLAN_SERIES_BASIS = CONFIGURED_SERIES_BASIS


def count_plan(config: MonitoringConfig, plan: Optional[MonitoringPlan] = None, *,
               series_per_query: Optional[int] = None, custom_metrics: int = 0, where: str = "the plan") -> Usage:
    """The billable quantities of one ``SageMakerMonitoring`` of ``config`` (its alarms, dashboards and topic).

    ``plan``: an already made plan of ``config`` (default: planned here as the construct does).
    ``series_per_query`` overrides the plan's count of the series each Metrics Insights alarm analyzes.
    A whole file (trail, stream, environments, central stacks) is :func:`count_config`."""
    usage = Usage(where=where)
    _count_monitoring(usage, config, plan, series_per_query)
    usage.series_basis = series_basis(usage.metrics_insights_alarms, 0, None, _fleet_basis(series_per_query))
    finish_custom_metrics(usage, None, custom_metrics)
    return usage


def count_config(config: MonitoringConfig, *, series_per_query: Optional[int] = None, runs: Optional[int] = None,
                 custom_metrics: int = 0, where: str = "the plan") -> Usage:
    """The billable quantities of every stack the bundled app builds from ``config`` (an ``AppConfig``; a plain
    ``MonitoringConfig`` is one ``SageMakerMonitoring``, as :func:`count_plan`).

    ``series_per_query``: series each fleet (Metrics Insights) alarm analyzes, instead of the plan's count;
    ``runs``: runs a month a stream turns into metrics; ``custom_metrics``: custom metrics of your own."""
    from ..plan.app_layout import app_layout

    if not isinstance(config, AppConfig):
        return count_plan(config, series_per_query=series_per_query, custom_metrics=custom_metrics, where=where)
    usage = Usage(where=where)
    layout = app_layout(config)
    stacks = [layout.single] if layout.single is not None else list(layout.environments.values())
    plans = {}
    for stack in stacks:
        assert stack is not None
        plans[stack.stack_name] = _count_stack(usage, stack, series_per_query, runs)
        if stack.env is not None and stack.env.region:
            usage.regions.add(stack.env.region)
    usage.regions.update(central.region for central in layout.central)
    for central in layout.central:
        if not central.main:
            continue  # a further region's sink: free
        from ..plan.app_layout import central_stack_name
        from ..plan.central import EnvironmentPlan, central_dashboards

        envs = [EnvironmentPlan(env.name, env.account, env.region,
                                plans[layout.environments[env.name].stack_name]) for env in config.environments]
        for page in central_dashboards(envs, central_stack_name(config.stack_name)):
            usage.add_dashboard(page.widgets)
        if config.central_trail:
            _count_trail(usage, config)
    fleet = usage.metrics_insights_alarms - usage.stream_alarms
    usage.series_basis = series_basis(fleet, usage.stream_alarms, runs, _fleet_basis(series_per_query))
    finish_custom_metrics(usage, runs, custom_metrics)
    return usage


def _fleet_basis(series_per_query: Optional[int]) -> str:
    return (f"{series_per_query} series per query (--series-per-query)" if series_per_query is not None
            else PLAN_SERIES_BASIS)


def _count_stack(usage: Usage, config: AppConfig, series_per_query: Optional[int],
                 runs: Optional[int]) -> MonitoringPlan:
    """One ``MonitoringStack``: its monitoring, trail, queries and stream; returns the monitoring's plan."""
    monitoring = config if config.dashboard_name else config.model_copy(update={"dashboard_name": config.stack_name})
    plan = _count_monitoring(usage, monitoring, None, series_per_query)
    if config.trail.enabled:
        _count_trail(usage, config)
        if config.stream.enabled:
            _count_stream(usage, config, runs)
    if config.events.enabled:
        _count_events(monitoring, config.events, base_of(monitoring), usage)
    return plan


def _count_monitoring(usage: Usage, config: MonitoringConfig, plan: Optional[MonitoringPlan],
                      series_per_query: Optional[int]) -> MonitoringPlan:
    """``SageMakerMonitoring``: alarms, composite alarms, dashboard pages; the topic (and its key) it creates."""
    if plan is None:
        plan = plan_monitoring(config, dashboard_base=base_of(config))
    specs = _specs_by_kind(config)
    for alarm in plan.alarms:
        # the very properties the template gets, counted by the assembly path's own rule (Usage.add_alarm)
        series = None
        if alarm.uses_metrics_insights:
            series = (series_per_query if series_per_query is not None else alarm.expected_series
                      if alarm.expected_series is not None else insights_series(alarm, specs.get(alarm.resource_kind, ())))
        usage.add_alarm(alarm.properties(), series)
    usage.composite_alarms += sum((1 if r.composite is not None else 0) + len(r.slo_composites) for r in plan.resources)
    for page in plan.all_dashboards:
        usage.add_dashboard(page.widgets)
    if config.uses_alarm_topic and config.alarm_topic_arn is None:
        usage.kms_keys += 1  # render/topic.py: the topic's own key
        usage.add_use("AWS::SNS::Topic")
    return plan


def _count_trail(usage: Usage, config: AppConfig) -> None:
    """``ExperimentMetricsTrail`` (and its ``ExperimentMetricsQueries``): data events, keys, log group, buckets."""
    trail = config.trail
    usage.data_event_trails += 1
    usage.kms_keys += trail.encryption_key is True
    usage.add_use("AWS::S3::Bucket")
    if trail.cloudwatch_logs_retention_days is not None:
        usage.add_use("AWS::Logs::LogGroup")
    if config.queries_enabled:
        usage.add_use("AWS::Athena::WorkGroup")
        usage.kms_keys += config.queries.results_encryption_key is True


def _count_stream(usage: Usage, config: AppConfig, runs: Optional[int]) -> None:
    """``ExperimentMetricsStream``: its Metrics Insights alarms over runs, dashboard, function and log group."""
    from ..config.stream import StreamConfig
    from ..plan.stream import dashboard_body, plan_alarms

    stream = StreamConfig.model_validate(config.stream.model_dump(exclude={"enabled"}))
    alarms = plan_alarms(stream)
    for alarm in alarms:
        properties = alarm.properties([])
        usage.stream_alarms += is_stream_alarm(properties)
        usage.add_alarm(properties, runs if runs is not None else DEFAULT_SERIES_PER_QUERY)
    if stream.dashboard:
        body = json.loads(dashboard_body(stream, ["arn"] * len(alarms)))
        usage.add_dashboard(body["widgets"])
    usage.add_use("AWS::Lambda::Function", "AWS::Logs::LogGroup", "AWS::SQS::Queue", "AWS::Events::Rule")
    usage.stream_metric_names.append(len(stream.metric_names) if stream.metric_names is not None else None)


def base_of(config: MonitoringConfig) -> Optional[str]:
    """The dashboards' first name part, as ``MonitoringStack`` gives it."""
    return config.dashboard_name or getattr(config, "stack_name", None)


def _count_events(config: MonitoringConfig, events: Any, base: Optional[str], usage: Usage) -> None:
    """What ``MonitoringStack``'s failure events add: an alarm per rule and one on the dead-letter queue, the
    failures dashboard (priced); the rules, the queue and the archive log group (billed by use)."""
    from ..plan.actions import plan_routes
    from ..plan.events import plan_events

    plan = plan_events(events.settings(), routes=plan_routes(config), alarm_name_prefix=config.alarm_name_prefix,
                       dashboard_base=base or "SageMaker", runbook_url=config.runbook_url,
                       stack_name=getattr(config, "stack_name", None))
    for alarm in plan.alarms:
        usage.add_alarm(alarm.properties(), None)
    if plan.dashboard_name is not None:
        usage.add_dashboard(json.loads(plan.dashboard_body())["widgets"])
    if plan.rules:
        usage.add_use("AWS::Events::Rule", "AWS::SQS::Queue")
    if plan.log_group_name:
        usage.add_use("AWS::Logs::LogGroup")


def insights_series(alarm: AlarmPlan, specs: tuple[ResourceSpec, ...]) -> int:
    """Series of the configured resources a fleet alarm's query matches (:func:`..plan.sources.configured_series`)."""
    from ..plan.sources import configured_series

    return configured_series(alarm, specs)


def _specs_by_kind(config: MonitoringConfig) -> dict[str, tuple[ResourceSpec, ...]]:
    out: dict[str, tuple[ResourceSpec, ...]] = {}
    for key in SPEC_TYPES:
        specs: tuple[ResourceSpec, ...] = getattr(config, key)
        if specs:
            out[specs[0].kind] = specs
    return out
