"""What a deployed configuration should have created: names from the same plan the constructs render."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..plan import MonitoringPlan, plan_monitoring


@dataclass(frozen=True)
class Expected:
    plan: MonitoringPlan
    alarm_names: tuple
    dashboard_names: tuple


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
    return Expected(plan, alarms, dashboards)
