"""Render a plan into CDK constructs, with as few jsii calls as possible.

Each function takes a scope, so any subset of resources can go into any stack or nested stack:
``render_resource`` (a resource's alarms, composite alarm and guardrail output), ``render_alarm``,
``render_dashboard``, ``alarm_topic``. Alarms are ``CfnAlarm`` built from property dicts in one call
each; dashboard bodies are JSON strings built in Python and passed once through ``Fn::Sub``.
"""

from __future__ import annotations

from .alarms import render_alarm, render_composite, render_resource
from .dashboards import render_dashboard
from .topic import AlarmTopic, alarm_topic

__all__ = ["AlarmTopic", "alarm_topic", "render_alarm", "render_composite", "render_dashboard", "render_resource"]
