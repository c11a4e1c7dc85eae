"""Render a plan into CDK constructs, with as few jsii calls as possible.

Each function takes a scope, so any subset of resources can go into any stack or nested stack:
``render_resources`` (many resources' alarms, composite alarms and guardrail outputs in one
``CfnInclude``: one jsii call), ``render_dashboard`` (the body built in Python, passed once through
``Fn::Sub``), ``alarm_topic``; :mod:`.metrics` builds ``cloudwatch.Metric`` objects for users' widgets.
"""

from __future__ import annotations

from .batch import TOPIC_PARAMETER, render_resources, template_of
from .dashboards import render_dashboard
from .topic import AlarmTopic, alarm_topic

__all__ = ["TOPIC_PARAMETER", "AlarmTopic", "alarm_topic", "render_dashboard", "render_resources", "template_of"]
