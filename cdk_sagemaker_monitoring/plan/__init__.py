"""The plan: which alarms, widgets and dashboards the configuration produces. Pure Python, no jsii.

``plan_monitoring(config)`` gives a :class:`MonitoringPlan`; ``plan_resource`` plans one resource
(so resources can be sharded and rendered anywhere); ``limits`` holds every service limit.
"""

from __future__ import annotations

from . import limits
from .build import plan_monitoring, plan_resource
from .limits import LimitExceeded
from .model import AlarmPlan, CompositePlan, DashboardPlan, MetricSource, MonitoringPlan, ResourcePlan, SectionPlan, WidgetPlan

__all__ = [
    "AlarmPlan", "CompositePlan", "DashboardPlan", "LimitExceeded", "MetricSource", "MonitoringPlan", "ResourcePlan",
    "SectionPlan", "WidgetPlan", "limits", "plan_monitoring", "plan_resource",
]
