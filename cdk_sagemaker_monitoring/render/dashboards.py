"""Dashboards: the planned body, one ``CfnDashboard`` each."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from ..plan.model import DashboardPlan


def render_dashboard(scope: Construct, dashboard: DashboardPlan) -> cloudwatch.CfnDashboard:
    """A ``CfnDashboard`` whose body is the plan's JSON under ``Fn::Sub`` (for the region and account), or the
    JSON itself when it names no placeholder (the central overview names every account and region)."""
    body = dashboard.body()
    return cloudwatch.CfnDashboard(scope, dashboard.id, dashboard_name=dashboard.name,
                                   dashboard_body=cdk.Fn.sub(body) if "${" in body else body)
