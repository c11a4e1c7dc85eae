"""Count what a configuration would deploy from its plan, without synthesizing (fast for large fleets).

It counts what the bundled app's ``MonitoringStack`` renders from the same configuration: the plan's
alarms, composite alarms and dashboard pages, and the trail when it is enabled; the assembly path
(:mod:`.assembly`) counts the same things in the written templates, and the tests compare the two.
"""

from __future__ import annotations

from typing import Any, Optional

from ..config.resources import SPEC_TYPES, MonitoringConfig, ResourceSpec
from ..plan import AlarmPlan, MonitoringPlan, plan_monitoring
from .usage import Usage


def count_plan(config: MonitoringConfig, plan: Optional[MonitoringPlan] = None, *,
               series_per_query: Optional[int] = None, custom_metrics: int = 0, where: str = "the plan") -> Usage:
    """The billable quantities of ``config`` (an ``AppConfig`` counts its trail too).

    ``plan``: an already made plan of ``config`` (default: planned here as ``MonitoringStack`` does).
    ``series_per_query`` overrides the plan's count of the series each Metrics Insights alarm analyzes."""
    if plan is None:
        plan = plan_monitoring(config, dashboard_base=base_of(config))
    usage = Usage(where=where)
    specs = _specs_by_kind(config)
    for alarm in plan.alarms:
        if alarm.uses_metrics_insights:
            usage.metrics_insights_alarms += 1
            usage.metrics_insights_series.append(series_per_query if series_per_query is not None
                                                 else insights_series(alarm, specs.get(alarm.resource_kind, ())))
        else:
            usage.add_metric(alarm.period, len(alarm.sources))
    usage.composite_alarms = sum(1 for r in plan.resources if r.composite is not None)
    for page in plan.all_dashboards:
        usage.add_dashboard(page.widgets)
    events = getattr(config, "events", None)
    if events is not None and events.enabled:
        _count_events(config, events, base_of(config), usage)
    trail = getattr(config, "trail", None)
    usage.data_event_trails = 1 if trail is not None and trail.enabled else 0
    usage.custom_metrics = custom_metrics
    usage.series_basis = (f"{series_per_query} series per query (--series-per-query)" if series_per_query is not None
                          else "series per query from the plan: the configured resources' series of each metric "
                               "(resources outside the configuration that match the query add to it)")
    usage.custom_metrics_basis = ("--custom-metrics" if custom_metrics else
                                  "none published by this configuration (pass --custom-metrics N)")
    return usage


def base_of(config: MonitoringConfig) -> Optional[str]:
    """The dashboards' first name part, as ``MonitoringStack`` gives it."""
    return config.dashboard_name or getattr(config, "stack_name", None)


def _count_events(config: MonitoringConfig, events: Any, base: Optional[str], usage: Usage) -> None:
    """What ``MonitoringStack``'s failure events add: an alarm per rule and one on the queue, the dashboard,
    the rules, the queue and the archive."""
    import json

    from ..plan.actions import plan_routes
    from ..plan.events import plan_events

    plan = plan_events(events.settings(), routes=plan_routes(config), alarm_name_prefix=config.alarm_name_prefix,
                       dashboard_base=base or "SageMaker", runbook_url=config.runbook_url,
                       stack_name=getattr(config, "stack_name", None))
    for alarm in plan.alarms:
        usage.add_metric(alarm.period, len(alarm.sources))
    if plan.dashboard_name is not None:
        usage.add_dashboard(json.loads(plan.dashboard_body())["widgets"])
    usage.event_rules += len(plan.rules)
    usage.event_queues += 1
    usage.event_archives += 1 if plan.log_group_name else 0


def insights_series(alarm: AlarmPlan, specs: tuple[ResourceSpec, ...]) -> int:
    """Series of the configured resources a fleet alarm's query matches: per resource, the time series it
    has of the alarm's metric (variants, hosts, operations, steps); a transform job one per instance."""
    from ..plan.sources import sources

    total = 0
    for spec in specs:
        if not alarm.row.requires <= spec.features:
            continue
        if spec.kind == "transform_job":
            total += getattr(spec, "instance_count", 1)
        else:
            total += len(sources(spec, alarm.row))
    return total


def _specs_by_kind(config: MonitoringConfig) -> dict[str, tuple[ResourceSpec, ...]]:
    out: dict[str, tuple[ResourceSpec, ...]] = {}
    for key in SPEC_TYPES:
        specs: tuple[ResourceSpec, ...] = getattr(config, key)
        if specs:
            out[specs[0].kind] = specs
    return out
