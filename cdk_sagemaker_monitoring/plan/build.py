"""From a validated ``MonitoringConfig`` to a ``MonitoringPlan``: pure Python, deterministic, fast.

Resources are planned one by one (:func:`plan_resource`), so a caller can plan, shard and render
any subset; :func:`plan_monitoring` plans everything and lays out the dashboards.
"""

from __future__ import annotations

import gc
from typing import Optional, Sequence

from ..config.resources import SPEC_TYPES, MonitoringConfig, ResourceSpec
from . import ids
from .alarms import AlarmSettings, account_alarms, fleet_alarms, resource_alarms, settings
from .dashboards import paginate, single
from .limits import MAX_COMPOSITE_RULE_CHARS, MAX_METRICS_INSIGHTS_ALARMS_PER_REGION, MAX_ROLLBACK_ALARMS, LimitExceeded
from .model import AlarmPlan, CompositePlan, DashboardPlan, MonitoringPlan, ResourcePlan
from .shards import ShardLimits, fits_one_stack, plan_layout
from .sources import sources
from .widgets import overview_widgets, section

_SEVERITY_ORDER = {"Critical": 0, "Warning": 1}


def plan_resource(spec: ResourceSpec, field: str, *, alarm_name_prefix: str = "SageMaker",
                  composite: bool = True, alarms: bool = True) -> ResourcePlan:
    """Everything one resource gets: its alarms (not for transform jobs: see fleet alarms), its
    endpoint composite alarm and guardrail names, and its dashboard section.

    ``alarms=False`` (fleet alarm mode): no alarms of its own, but its graphs still show the thresholds."""
    effective: dict[str, AlarmSettings] = {}
    planned: list[AlarmPlan] = []
    parts: list[tuple[ResourceSpec, dict[str, AlarmSettings]]] = []
    for part in (spec, *getattr(spec, "inference_components", ())):
        part_effective = effective if part is spec else {}
        gpu_count = getattr(part, "gpu_count", 0)
        for row in part.metric_rows():
            s = settings(row, part.alarms.get(row.metric), gpu_count)
            if s is None:
                continue
            part_effective[row.metric] = s
            if alarms and row.family.dimensions:  # account-level metrics: one alarm for all (account_alarms)
                planned += resource_alarms(part, alarm_name_prefix, row, s, sources(part, row))
        if part is not spec:
            parts.append((part, part_effective))
    composite_plan: Optional[CompositePlan] = None
    guardrails: tuple[str, ...] = ()
    if spec.kind == "endpoint":
        ranked = sorted((a for a in planned if a.guardrail), key=lambda a: (_SEVERITY_ORDER[a.severity], a.name))
        guardrails = tuple(a.name for a in ranked[:MAX_ROLLBACK_ALARMS])
        if composite and planned:
            rule = " OR ".join(f'ALARM("{a.name}")' for a in planned)
            if len(rule) > MAX_COMPOSITE_RULE_CHARS:
                raise LimitExceeded(f"{field}.alarms", f"the composite alarm rule would be {len(rule)} characters",
                                    fix=f"at most {MAX_COMPOSITE_RULE_CHARS}; disable some alarms")
            composite_plan = CompositePlan(
                id=ids.construct_id("Composite", spec.kind, spec.name, salt=alarm_name_prefix),
                name=ids.alarm_name(alarm_name_prefix, spec.kind, spec.name, "Health", "Composite"),
                description=f"Endpoint {spec.name}: in ALARM while any of its {len(planned)} alarms is.",
                rule=rule, children=tuple(a.name for a in planned))
    return ResourcePlan(kind=spec.kind, name=spec.name, field=field,
                        id=ids.construct_id(spec.kind, spec.name, salt=alarm_name_prefix),
                        alarms=tuple(planned), composite=composite_plan,
                        section=section(spec, field, effective, parts=parts),
                        guardrail_alarm_names=guardrails)


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
    fields = _fields(config)
    if resources is None:
        own = {kind: config.alarm_mode_of(kind) != "fleet" for kind in ids.KIND_TITLES}
        resources = [plan_resource(spec, field, alarm_name_prefix=config.alarm_name_prefix,
                                   composite=config.composite_alarms, alarms=own[spec.kind]) for field, spec in fields]
    fleet: list[AlarmPlan] = []
    for kind in ids.KIND_TITLES:
        of_kind = [(f, s) for f, s in fields if s.kind == kind]
        fleet += account_alarms(of_kind, config.alarm_name_prefix, kind)
        if config.alarm_mode_of(kind) != "per_resource":
            fleet += fleet_alarms(of_kind, config.alarm_name_prefix, kind)
    insights = sum(1 for a in fleet if a.uses_metrics_insights)
    if insights > config.metrics_insights_alarm_quota:
        raise LimitExceeded("alarm_mode", f"fleet alarms need {insights} Metrics Insights alarms, more than the "
                            f"{config.metrics_insights_alarm_quota} of metrics_insights_alarm_quota (CloudWatch's "
                            f"default quota is {MAX_METRICS_INSIGHTS_ALARMS_PER_REGION} per account and region)",
                            fix="use alarm_mode per_resource for some resource lists, or raise "
                                "metrics_insights_alarm_quota once the region's quota is raised")
    top_level = (0 if config.alarm_topic_arn else 3) + len(config.alarm_emails) + len(fleet)
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
                             overview_widgets=widgets)
        dashboards = [page for s in layout.shards for page in s.dashboards]
        overview = layout.overview
    return MonitoringPlan(resources=tuple(resources), fleet_alarms=tuple(fleet), dashboards=tuple(dashboards),
                          overview=overview, layout=layout)
