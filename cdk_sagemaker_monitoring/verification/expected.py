"""What a deployed configuration should have created: names from the same plan the constructs render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from ..plan import MonitoringPlan, plan_monitoring
from ..plan.events import EventsPlan


@dataclass(frozen=True)
class Expected:
    plan: MonitoringPlan
    alarm_names: tuple
    dashboard_names: tuple
    events: Optional[EventsPlan] = None
    """The failure events' plan (``events.enabled`` of an ``AppConfig``), else ``None``."""

    @property
    def rule_names(self) -> tuple[str, ...]:
        return self.events.rule_names if self.events is not None else ()


def dashboard_base(config: Any) -> str:
    """The dashboards' name prefix as ``MonitoringStack`` sets it: ``dashboard_name``, else the stack name.

    (A test synthesizes the stack and compares, so the two cannot drift apart.)
    """
    return getattr(config, "dashboard_name", None) or getattr(config, "stack_name", None) or "SageMaker"


def expected(config: Any) -> Expected:
    """Alarm and dashboard names of ``config`` (an ``AppConfig`` or a ``MonitoringConfig``)."""
    plan = plan_monitoring(config, dashboard_base=dashboard_base(config))
    alarms = tuple(n for r in plan.resources for n in r.alarm_names) + tuple(a.name for a in plan.fleet_alarms)
    dashboards = tuple(d.name for d in plan.all_dashboards)
    events = events_plan(config)
    if events is not None:
        alarms += events.alarm_names
        dashboards += (events.dashboard_name,) if events.dashboard_name else ()
    return Expected(plan, alarms, dashboards, events)


def events_plan(config: Any) -> Optional[EventsPlan]:
    """The failure events ``MonitoringStack`` renders for ``config`` (``None`` when off or not an ``AppConfig``)."""
    section = getattr(config, "events", None)
    if section is None or not section.enabled:
        return None
    from ..plan.actions import plan_routes
    from ..plan.events import plan_events

    return plan_events(section.settings(), routes=plan_routes(config), alarm_name_prefix=config.alarm_name_prefix,
                       dashboard_base=dashboard_base(config), runbook_url=config.runbook_url,
                       stack_name=getattr(config, "stack_name", None))
