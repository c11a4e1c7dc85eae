"""From a validated ``MonitoringConfig`` to a ``MonitoringPlan``: pure Python, deterministic, fast.

Resources are planned one by one (:func:`plan_resource`), so a caller can plan, shard and render
any subset; :func:`plan_monitoring` plans everything and lays out the dashboards.
"""

from __future__ import annotations

import gc
from dataclasses import replace
from typing import Mapping, Optional, Sequence

from ..catalog.model import MetricDefinition
from ..config.resources import SPEC_TYPES, EndpointSpec, MonitoringConfig, ResourceSpec
from ..errors import ConfigurationError
from . import ids
from .actions import DEFAULT_ROUTES, Route, plan_routes, template_parameters
from ..catalog.families import PATTERN_FAMILIES
from ..catalog.metrics import algorithm_row
from .alarms import (AlarmSettings, account_alarms, built_in_anomaly, fleet_alarms, override_of, resource_alarms,
                     scoped_to_config, settings, silence_alarm, with_runbook, worst_instance_alarms)
from .dashboards import paginate, single
from .limits import MAX_COMPOSITE_RULE_CHARS, MAX_METRICS_INSIGHTS_ALARMS_PER_REGION, MAX_ROLLBACK_ALARMS, LimitExceeded
from .model import AlarmPlan, CompositePlan, DashboardPlan, MonitoringPlan, ResourcePlan, SectionPlan
from .shards import ShardLimits, fits_one_stack, plan_layout
from .slo import budget_widgets, slo_plans
from .sources import configured_series, sources
from .widgets import overview_widgets, section

_SEVERITY_ORDER = {"Critical": 0, "Warning": 1}


def plan_resource(spec: ResourceSpec, field: str, *, alarm_name_prefix: str = "SageMaker",
                  composite: bool = True, alarms: bool = True, rows: Optional[Sequence[MetricDefinition]] = None,
                  routes: Mapping[str, Route] = DEFAULT_ROUTES, runbook_url: Optional[str] = None,
                  anomaly_alarms: bool = False) -> ResourcePlan:
    """Everything one resource gets: its alarms (not for transform jobs: see fleet alarms), its
    endpoint composite alarm and guardrail names, its SLO burn-rate alarms, and its dashboard section.

    ``anomaly_alarms``: add the built-in anomaly-band alarms of endpoints (traffic drop, latency drift).
    ``alarms=False`` (fleet alarm mode): no alarms of its own, but its graphs still show the thresholds.
    ``rows``: its metric rows (default its catalog rows; :meth:`MonitoringConfig.rows_of` adds custom ones);
    ``routes``: actions per severity; ``runbook_url``: the top-level runbook (the resource's own wins)."""
    effective: dict[str, AlarmSettings] = {}
    planned: list[AlarmPlan] = []
    parts: list[tuple[ResourceSpec, dict[str, AlarmSettings]]] = []
    runbook = spec.runbook_url or runbook_url
    for part in (spec, *getattr(spec, "inference_components", ())):
        part_effective = effective if part is spec else {}
        gpu_count = getattr(part, "gpu_count", 0)
        part_rows = (spec.metric_rows() if rows is None else rows) if part is spec else part.metric_rows()
        part_runbook = part.runbook_url or runbook
        for row in part_rows:
            if row.family.instance_level:  # worst-instance alarms are fleet Metrics Insights alarms
                continue
            s = settings(row, override_of(part, row), gpu_count)
            extra = (built_in_anomaly(row, s) if anomaly_alarms and alarms and part is spec and spec.kind == "endpoint"
                     and (s is not None or override_of(part, row) is None) else None)
            if extra is not None and row.family.dimensions:
                planned += resource_alarms(part, alarm_name_prefix, row, extra, sources(part, row), routes=routes,
                                           runbook_url=part.runbook_url or runbook)
            if s is None:
                continue
            if row.family.overridable:
                part_effective[row.metric] = s
            # a user's own thresholds (algorithm, model-quality metrics) stay per resource in fleet alarm mode
            own = alarms or row.family in PATTERN_FAMILIES
            if own and row.family.dimensions:  # account-level metrics: one alarm for all (account_alarms)
                planned += resource_alarms(part, alarm_name_prefix, row, s, sources(part, row), routes=routes,
                                           runbook_url=part_runbook)
        if part is not spec:
            parts.append((part, part_effective))
    for metric in getattr(spec, "metrics", ()):
        minutes = getattr(metric, "silent_minutes", None)
        if minutes:
            planned.append(silence_alarm(spec, alarm_name_prefix, algorithm_row(metric.name, metric.alarm_default()),
                                         minutes, metric.severity, routes=routes, runbook_url=runbook))
    composite_plan: Optional[CompositePlan] = None
    guardrails: tuple[str, ...] = ()
    slo_alarms: list[AlarmPlan] = []
    slo_composites: list[CompositePlan] = []
    if isinstance(spec, EndpointSpec) and spec.slo is not None:
        slo_alarms, slo_composites = slo_plans(spec, alarm_name_prefix, routes=routes, runbook_url=runbook)
    endpoint_config = getattr(spec, "endpoint_config", None)
    scoped: list[AlarmPlan] = []
    if endpoint_config:  # blue/green: the guardrails watch the new fleet alone
        scoped = [scoped_to_config(a, endpoint_config, alarm_name_prefix) for a in planned
                  if a.guardrail and a.row.family.key == "endpoint_invocation"]
        planned += scoped
    if spec.kind == "endpoint":
        candidates = scoped if endpoint_config else [*planned, *slo_alarms]
        ranked = sorted((a for a in candidates if a.guardrail), key=lambda a: (_SEVERITY_ORDER[a.severity], a.name))
        guardrails = tuple(a.name for a in ranked[:MAX_ROLLBACK_ALARMS])
        watched: list[AlarmPlan | CompositePlan] = [*planned, *slo_composites]
        if composite and watched:
            rule = " OR ".join(f'ALARM("{a.name}")' for a in watched)
            if len(rule) > MAX_COMPOSITE_RULE_CHARS:
                raise LimitExceeded(f"{field}.alarms", f"the composite alarm rule would be {len(rule)} characters",
                                    fix=f"at most {MAX_COMPOSITE_RULE_CHARS}; disable some alarms")
            worst = min((a.severity for a in watched), key=lambda severity: _SEVERITY_ORDER[severity])
            route = routes[worst].for_composite()
            if not route.alarm:
                raise ConfigurationError(
                    f"alarm_actions.{worst}", f"the composite alarm of {field} ({spec.name}) would notify nothing: "
                    "composite alarms take no Incident Manager response plan (PutCompositeAlarm)",
                    fix=f"add an SNS topic, Lambda function or OpsItem to {worst}, or set composite_alarms: false")
            composite_plan = CompositePlan(
                id=ids.construct_id("Composite", spec.kind, spec.name, salt=alarm_name_prefix),
                name=ids.alarm_name(alarm_name_prefix, spec.kind, spec.name, "Health", "Composite"),
                description=with_runbook(f"Endpoint {spec.name}: in ALARM while any of its {len(watched)} alarms is.",
                                         runbook),
                rule=rule, children=tuple(a.name for a in watched), severity=worst,
                alarm_actions=route.alarm, ok_actions=route.ok)
    resource_section = section(spec, field, effective, rows, parts=parts)
    if isinstance(spec, EndpointSpec) and spec.slo is not None:
        resource_section = SectionPlan(resource_section.key, resource_section.title,
                                       resource_section.widgets + budget_widgets(spec))
    return ResourcePlan(kind=spec.kind, name=spec.name, field=field,
                        id=ids.construct_id(spec.kind, spec.name, salt=alarm_name_prefix),
                        alarms=tuple(planned) + tuple(slo_alarms), composite=composite_plan,
                        section=resource_section, guardrail_alarm_names=guardrails,
                        slo_composites=tuple(slo_composites))


def _fields(config: MonitoringConfig) -> list[tuple[str, ResourceSpec]]:
    return [(f"{key}[{i}]", spec) for key in SPEC_TYPES for i, spec in enumerate(getattr(config, key))]


def plan_monitoring(config: MonitoringConfig, *, dashboard_base: Optional[str] = None,
                    resources: Optional[Sequence[ResourcePlan]] = None, sharding: bool = True,
                    shard_limits: Optional[ShardLimits] = None) -> MonitoringPlan:
    """The whole plan. ``dashboard_base`` (default ``config.dashboard_name`` or ``SageMaker``) prefixes
    dashboard names; pass already planned ``resources`` to skip planning them again.

    With ``sharding`` (the default), a configuration too large for one stack (or with ``shards`` set)
    gets a :class:`~.shards.ShardLayout` over nested stacks, within ``shard_limits`` (CloudFormation's
    by default); ``sharding=False`` leaves placement to the caller."""
    paused = gc.isenabled()
    gc.disable()  # the plan is many small acyclic objects: collections would only slow large fleets down
    try:
        return _plan(config, dashboard_base, resources, sharding, shard_limits or ShardLimits())
    finally:
        if paused:
            gc.enable()


def _plan(config: MonitoringConfig, dashboard_base: Optional[str], resources: Optional[Sequence[ResourcePlan]],
          sharding: bool, limits: ShardLimits) -> MonitoringPlan:
    base = dashboard_base or config.dashboard_name or "SageMaker"
    if config.anomaly_alarms and config.endpoints and config.alarm_mode_of("endpoint") == "fleet":
        raise ConfigurationError(
            "anomaly_alarms", "endpoints have fleet alarms only (alarm_mode fleet), and an anomaly band cannot watch "
            "a Metrics Insights query that groups many series (each endpoint needs a model of its own)",
            fix="use alarm_mode per_resource or both for endpoints, or leave anomaly_alarms out")
    fields = _fields(config)
    routes = plan_routes(config)
    if resources is None:
        own = {kind: config.alarm_mode_of(kind) != "fleet" for kind in ids.KIND_TITLES}
        resources = [plan_resource(spec, field, alarm_name_prefix=config.alarm_name_prefix,
                                   composite=config.composite_alarms, alarms=own[spec.kind],
                                   rows=config.rows_of(spec), routes=routes, runbook_url=config.runbook_url,
                                   anomaly_alarms=config.anomaly_alarms)
                     for field, spec in fields]
    fleet: list[AlarmPlan] = []
    for kind in ids.KIND_TITLES:
        of_kind = [(f, s) for f, s in fields if s.kind == kind]
        fleet += account_alarms(of_kind, config.alarm_name_prefix, kind, routes=routes, runbook_url=config.runbook_url)
        if config.alarm_mode_of(kind) != "per_resource":
            fleet += fleet_alarms(of_kind, config.alarm_name_prefix, kind, rows=config.possible_rows(kind),
                                  routes=routes, runbook_url=config.runbook_url)
        if kind == "endpoint":
            fleet += worst_instance_alarms(of_kind, config.alarm_name_prefix, routes=routes,
                                           runbook_url=config.runbook_url)
    fleet = [replace(a, expected_series=configured_series(a, tuple(s for _, s in fields if s.kind == a.resource_kind)))
             if a.uses_metrics_insights else a for a in fleet]
    insights = sum(1 for a in fleet if a.uses_metrics_insights)
    if insights > config.metrics_insights_alarm_quota:
        raise LimitExceeded("alarm_mode", f"fleet alarms need {insights} Metrics Insights alarms, more than the "
                            f"{config.metrics_insights_alarm_quota} of metrics_insights_alarm_quota (CloudWatch's "
                            f"default quota is {MAX_METRICS_INSIGHTS_ALARMS_PER_REGION} per account and region)",
                            fix="use alarm_mode per_resource for some resource lists, or raise "
                                "metrics_insights_alarm_quota once the region's quota is raised")
    parameters = template_parameters(config)
    own_topic = config.uses_alarm_topic and not config.alarm_topic_arn
    top_level = (3 if own_topic else 0) + len(config.alarm_emails) + len(fleet)
    composites = [r.composite.name for r in resources if r.composite is not None]
    widgets = overview_widgets(composites) if config.fleet_overview else None
    outputs = sum(1 for r in resources if r.guardrail_alarm_names) if config.guardrail_outputs else 0
    shard = sharding and config.shards != 0 and (
        config.shards is not None or top_level + sum(r.resource_count for r in resources) > limits.resources)
    dashboards: list[DashboardPlan] = []
    overview = None
    if not shard:
        dashboards = paginate([(r.field, r.section) for r in resources], base) if resources else []
        overview = single(widgets, base, "Overview") if widgets is not None else None
        pages = [*dashboards, *([overview] if overview else [])]
        why = (fits_one_stack(resources, top_level + len(pages), pages, outputs, limits, reserve=config.shards is None)
               if sharding else None)
        if why is not None and config.shards == 0:
            raise LimitExceeded("shards", why, fix="leave shards out (nested stacks are then used when needed) or set "
                                "it to a number of nested stacks")
        shard = why is not None
    layout = None
    if shard:
        layout = plan_layout(resources, base=base, count=config.shards, limits=limits,
                             guardrail_outputs=config.guardrail_outputs, top_level_resources=top_level,
                             overview_widgets=widgets, parameters=parameters)
        dashboards = [page for s in layout.shards for page in s.dashboards]
        overview = layout.overview
    return MonitoringPlan(resources=tuple(resources), fleet_alarms=tuple(fleet), dashboards=tuple(dashboards),
                          overview=overview, layout=layout, parameters=parameters)
