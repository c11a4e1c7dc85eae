"""Many alarms in one jsii call: the planned resources as a CloudFormation template, included with ``CfnInclude``.

Building each ``CfnAlarm`` from Python costs a jsii round trip (about 1 ms); ``CfnInclude`` builds
the same L1 objects (``CfnAlarm``, ``CfnCompositeAlarm``, ``CfnOutput``: cdk-nag and aspects see them
as usual) on the Node.js side from one template, about twice as fast, and keeps the plan's logical
ids exactly (derived from names: stable however the rest of the configuration changes). The alarm
topic comes in as the template parameter :data:`TOPIC_PARAMETER`, which ``CfnInclude`` replaces by the
topic's ARN (a cross-stack reference when the scope is a nested stack).
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any, Iterable, Sequence

from aws_cdk import cloudformation_include as cfn_include
from constructs import Construct

from ..plan.model import AlarmPlan, ResourcePlan

TOPIC_PARAMETER = "AlarmTopicArn"


def template_of(resources: Iterable[ResourcePlan], alarms: Sequence[AlarmPlan] = (), *,
                guardrail_outputs: bool = True) -> dict[str, Any]:
    """The CloudFormation template (a dict) of ``resources`` and extra ``alarms``; actions are the topic parameter."""
    actions = [{"Ref": TOPIC_PARAMETER}]
    body: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    for resource in resources:
        for alarm in resource.alarms:
            body[alarm.id] = {"Type": "AWS::CloudWatch::Alarm", "Properties": alarm.properties(actions)}
        if resource.composite is not None:
            body[resource.composite.id] = {"Type": "AWS::CloudWatch::CompositeAlarm",
                                           "Properties": resource.composite.properties(actions),
                                           "DependsOn": [a.id for a in resource.alarms]}
        if guardrail_outputs and resource.guardrail_alarm_names:
            outputs[f"Guardrails{resource.id}"] = {
                "Description": f"Alarms of endpoint {resource.name} for AutoRollbackConfiguration (comma-separated)",
                "Value": ",".join(resource.guardrail_alarm_names)}
    for alarm in alarms:
        body[alarm.id] = {"Type": "AWS::CloudWatch::Alarm", "Properties": alarm.properties(actions)}
    template: dict[str, Any] = {"Parameters": {TOPIC_PARAMETER: {"Type": "String"}}, "Resources": body}
    if outputs:
        template["Outputs"] = outputs
    return template


def render_resources(scope: Construct, id: str, resources: Sequence[ResourcePlan], topic_arn: str, *,
                     alarms: Sequence[AlarmPlan] = (), guardrail_outputs: bool = True) -> cfn_include.CfnInclude | None:
    """Render ``resources`` (alarms, composite alarms, guardrail outputs) and ``alarms`` into ``scope`` at once.

    Returns the ``CfnInclude`` (``get_resource(logical_id)`` gives an alarm), or ``None`` when there is nothing.
    """
    template = template_of(resources, alarms, guardrail_outputs=guardrail_outputs)
    if not template["Resources"]:
        return None
    handle, path = tempfile.mkstemp(prefix="sagemaker-monitoring-", suffix=".json")
    try:
        with os.fdopen(handle, "w") as out:
            json.dump(template, out, separators=(",", ":"))
        return cfn_include.CfnInclude(scope, id, template_file=path, parameters={TOPIC_PARAMETER: topic_arn})
    finally:
        os.unlink(path)  # CfnInclude reads the file while it is constructed
