"""Alarms, composite alarms and guardrail outputs of planned resources."""

from __future__ import annotations

import re
from typing import Any, Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from ..plan.model import AlarmPlan, CompositePlan, ResourcePlan

_UPPER = re.compile(r"(?<!^)(?=[A-Z])")


def _kwargs(properties: dict[str, Any]) -> dict[str, Any]:
    """CloudFormation properties as L1 keyword arguments: top-level snake_case, nested structs camelCase."""
    return {_UPPER.sub("_", key).lower().replace("o_k_", "ok_"): _camel(value) for key, value in properties.items()}


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {key[:1].lower() + key[1:]: _camel(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_camel(v) for v in value]
    return value


def render_alarm(scope: Construct, alarm: AlarmPlan, actions: Sequence[Any]) -> cloudwatch.CfnAlarm:
    """One ``CfnAlarm`` (a single jsii call), id from the plan."""
    return cloudwatch.CfnAlarm(scope, alarm.id, **_kwargs(alarm.properties(list(actions))))


def render_composite(scope: Construct, composite: CompositePlan, actions: Sequence[Any],
                     children: Sequence[cloudwatch.CfnAlarm]) -> cloudwatch.CfnCompositeAlarm:
    """The composite alarm, created after its children (CloudWatch refuses a rule naming missing alarms)."""
    alarm = cloudwatch.CfnCompositeAlarm(scope, composite.id, **_kwargs(composite.properties(list(actions))))
    if children:
        alarm.node.add_dependency(*children)
    return alarm


def render_resource(scope: Construct, resource: ResourcePlan, actions: Sequence[Any], *,
                    guardrail_output: bool = True) -> list[Construct]:
    """A resource's alarms, composite alarm and (for endpoints) guardrail-names output, into ``scope``."""
    alarms = [render_alarm(scope, a, actions) for a in resource.alarms]
    out: list[Construct] = list(alarms)
    if resource.composite is not None:
        out.append(render_composite(scope, resource.composite, actions, alarms))
    if guardrail_output and resource.guardrail_alarm_names:
        out.append(cdk.CfnOutput(
            scope, f"Guardrails{resource.id}", value=",".join(resource.guardrail_alarm_names),
            description=f"Alarms of endpoint {resource.name} for AutoRollbackConfiguration (comma-separated)"))
    return out
