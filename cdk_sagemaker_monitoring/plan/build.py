"""From a validated ``MonitoringConfig`` to a ``MonitoringPlan``: pure Python, deterministic, fast.

Resources are planned one by one (:func:`plan_resource`), so a caller can plan, shard and render
any subset; :func:`plan_monitoring` plans everything and lays out the dashboards.
"""

from __future__ import annotations

import gc
from typing import Optional, Sequence

from ..config.resources import SPEC_TYPES, MonitoringConfig, ResourceSpec
from . import ids
from .alarms import AlarmSettings, fleet_alarms, resource_alarms, settings
from .dashboards import paginate, single
from .limits import MAX_COMPOSITE_RULE_CHARS, MAX_ROLLBACK_ALARMS, LimitExceeded
from .model import AlarmPlan, CompositePlan, MonitoringPlan, ResourcePlan
from .sources import sources
from .widgets import overview_widgets, section

_SEVERITY_ORDER = {"Critical": 0, "Warning": 1}


def plan_resource(spec: ResourceSpec, field: str, *, alarm_name_prefix: str = "SageMaker",
                  composite: bool = True) -> ResourcePlan:
    """Everything one resource gets: its alarms (not for transform jobs: see fleet alarms), its
    endpoint composite alarm and guardrail names, and its dashboard section."""
    effective: dict[str, AlarmSettings] = {}
    alarms: list[AlarmPlan] = []
    gpu_count = getattr(spec, "gpu_count", 0)
    for row in spec.metric_rows():
        s = settings(row, spec.alarms.get(row.metric), gpu_count)
        if s is None:
            continue
        effective[row.metric] = s
        alarms += resource_alarms(spec, alarm_name_prefix, row, s, sources(spec, row))
    composite_plan: Optional[CompositePlan] = None
    guardrails: tuple[str, ...] = ()
    if spec.kind == "endpoint":
        ranked = sorted((a for a in alarms if a.guardrail), key=lambda a: (_SEVERITY_ORDER[a.severity], a.name))
        guardrails = tuple(a.name for a in ranked[:MAX_ROLLBACK_ALARMS])
        if composite and alarms:
            rule = " OR ".join(f'ALARM("{a.name}")' for a in alarms)
            if len(rule) > MAX_COMPOSITE_RULE_CHARS:
                raise LimitExceeded(f"{field}.alarms", f"the composite alarm rule would be {len(rule)} characters",
                                    fix=f"at most {MAX_COMPOSITE_RULE_CHARS}; disable some alarms")
            composite_plan = CompositePlan(
                id=ids.construct_id("Composite", spec.kind, spec.name, salt=alarm_name_prefix),
                name=ids.alarm_name(alarm_name_prefix, spec.kind, spec.name, "Health", "Composite"),
                description=f"Endpoint {spec.name}: in ALARM while any of its {len(alarms)} alarms is.",
                rule=rule, children=tuple(a.name for a in alarms))
    return ResourcePlan(kind=spec.kind, name=spec.name, id=ids.construct_id(spec.kind, spec.name, salt=alarm_name_prefix),
                        field=field,
                        alarms=tuple(alarms), composite=composite_plan, section=section(spec, field, effective),
                        guardrail_alarm_names=guardrails)


def _fields(config: MonitoringConfig) -> list[tuple[str, ResourceSpec]]:
    return [(f"{key}[{i}]", spec) for key in SPEC_TYPES for i, spec in enumerate(getattr(config, key))]


def plan_monitoring(config: MonitoringConfig, *, dashboard_base: Optional[str] = None,
                    resources: Optional[Sequence[ResourcePlan]] = None) -> MonitoringPlan:
    """The whole plan. ``dashboard_base`` (default ``config.dashboard_name`` or ``SageMaker``) prefixes
    dashboard names; pass already planned ``resources`` to skip planning them again."""
    paused = gc.isenabled()
    gc.disable()  # the plan is many small acyclic objects: collections would only slow large fleets down
    try:
        return _plan(config, dashboard_base, resources)
    finally:
        if paused:
            gc.enable()


def _plan(config: MonitoringConfig, dashboard_base: Optional[str],
          resources: Optional[Sequence[ResourcePlan]]) -> MonitoringPlan:
    base = dashboard_base or config.dashboard_name or "SageMaker"
    fields = _fields(config)
    if resources is None:
        resources = [plan_resource(spec, field, alarm_name_prefix=config.alarm_name_prefix,
                                   composite=config.composite_alarms) for field, spec in fields]
    fleet = fleet_alarms([(f, s) for f, s in fields if s.kind == "transform_job"], config.alarm_name_prefix)
    field_of = {(r.kind, r.name): r.field for r in resources}
    dashboards = paginate([(field_of[(r.kind, r.name)], r.section) for r in resources], base) if resources else []
    overview = None
    if config.fleet_overview:
        composites = [r.composite.name for r in resources if r.composite is not None]
        overview = single(overview_widgets(composites), base, "Overview")
    return MonitoringPlan(resources=tuple(resources), fleet_alarms=tuple(fleet), dashboards=tuple(dashboards),
                          overview=overview)
