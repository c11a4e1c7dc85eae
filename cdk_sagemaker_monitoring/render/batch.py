"""Many alarms in one jsii call: the planned resources as a CloudFormation template, included with ``CfnInclude``.

Building each ``CfnAlarm`` from Python costs a jsii round trip (about 1 ms); ``CfnInclude`` builds
the same L1 objects (``CfnAlarm``, ``CfnCompositeAlarm``, ``CfnOutput``: cdk-nag and aspects see them
as usual) on the Node.js side from one template, about twice as fast, and keeps the plan's logical
ids exactly (derived from names: stable however the rest of the configuration changes). The alarm
topic comes in as the template parameter :data:`TOPIC_PARAMETER` (and each topic object of
``alarm_actions`` as a parameter of its own), which ``CfnInclude`` replaces by the topic's ARN (a
cross-stack reference when the scope is a nested stack).
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Mapping, Sequence

from aws_cdk import cloudformation_include as cfn_include
from constructs import Construct

from ..acknowledge import acknowledge_compliance
from ..plan.model import AlarmPlan, ResourcePlan
from ..plan.template import TOPIC_PARAMETER, template_of

__all__ = ["TOPIC_PARAMETER", "include_template", "render_resources", "template_of"]


def render_resources(scope: Construct, id: str, resources: Sequence[ResourcePlan], parameters: Mapping[str, str], *,
                     alarms: Sequence[AlarmPlan] = (), guardrail_outputs: bool = True) -> cfn_include.CfnInclude | None:
    """Render ``resources`` (alarms, composite alarms, guardrail outputs) and ``alarms`` into ``scope`` at once.

    ``parameters``: template parameter -> topic ARN (the plan's :attr:`~..plan.MonitoringPlan.parameters`).
    Returns the ``CfnInclude`` (``get_resource(logical_id)`` gives an alarm), or ``None`` when there is nothing.
    """
    template = template_of(resources, alarms, guardrail_outputs=guardrail_outputs, parameters=tuple(parameters))
    if not template["Resources"]:
        return None
    included = include_template(scope, id, json.dumps(template, separators=(",", ":")), parameters)
    acknowledge_windows(included, resources)
    return included


WINDOW_REASON = ("One window of an SLO burn-rate tier: it notifies nothing alone, by design; the tier's composite "
                 "alarm (long window AND short window) notifies the actions of its severity.")


def acknowledge_windows(included: cfn_include.CfnInclude, resources: Sequence[ResourcePlan]) -> None:
    """Acknowledge the compliance packs' "alarm without actions" on SLO window alarms (their composite notifies)."""
    for resource in resources:
        for alarm in resource.alarms:
            if alarm.burn is not None and not alarm.alarm_actions:
                acknowledge_compliance(included.get_resource(alarm.id), "CloudWatchAlarmAction", WINDOW_REASON)


def include_template(scope: Construct, id: str, text: str, parameters: Mapping[str, str]) -> cfn_include.CfnInclude:
    """``CfnInclude`` of a template given as JSON text (one jsii call), its parameters set to topic ARNs."""
    handle, path = tempfile.mkstemp(prefix="sagemaker-monitoring-", suffix=".json")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        return cfn_include.CfnInclude(scope, id, template_file=path, parameters=dict(parameters))
    finally:
        os.unlink(path)  # CfnInclude reads the file while it is constructed
