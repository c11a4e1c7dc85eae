"""Planned alarms as CloudFormation template text: what ``CfnInclude`` reads, and what sharding measures.

The alarm topic is the template parameter :data:`TOPIC_PARAMETER` (the renderer replaces it by the
topic's ARN), and so is each SNS topic object given in ``alarm_actions``; ARNs are written as they
are. Each resource's entries are serialized once, as compact JSON fragments; a template is those
fragments joined, so the bytes a shard will hold are known before anything is rendered, and
the text rendered is exactly the text measured.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Optional, Sequence

from .model import DEFAULT_ACTIONS, SERIES_METADATA, TOPIC_PARAMETER, AlarmPlan, ResourcePlan

_COMPACT = (",", ":")


def alarm_entry(alarm: AlarmPlan) -> dict[str, Any]:
    entry: dict[str, Any] = {"Type": "AWS::CloudWatch::Alarm", "Properties": alarm.properties()}
    if alarm.expected_series is not None:
        entry["Metadata"] = {SERIES_METADATA: alarm.expected_series}
    return entry


def resource_entries(resource: ResourcePlan) -> dict[str, dict[str, Any]]:
    """Logical id -> template entry of ``resource``'s alarms and composite alarm (created after its children)."""
    body = {alarm.id: alarm_entry(alarm) for alarm in resource.alarms}
    ids = {a.name: a.id for a in resource.alarms}
    for tier in resource.slo_composites:
        body[tier.id] = {"Type": "AWS::CloudWatch::CompositeAlarm", "Properties": tier.properties(),
                         "DependsOn": [ids[name] for name in tier.children]}
    if resource.composite is not None:
        body[resource.composite.id] = {"Type": "AWS::CloudWatch::CompositeAlarm",
                                       "Properties": resource.composite.properties(),
                                       "DependsOn": [a.id for a in resource.alarms]
                                       + [c.id for c in resource.slo_composites]}
    return body


def output_entry(resource: ResourcePlan) -> Optional[tuple[str, dict[str, str]]]:
    """The guardrail output of an endpoint (its rollback alarm names), or ``None``."""
    if not resource.guardrail_alarm_names:
        return None
    return (f"Guardrails{resource.id}", {
        "Description": f"Alarms of endpoint {resource.name} for AutoRollbackConfiguration (comma-separated)",
        "Value": ",".join(resource.guardrail_alarm_names)})


def template_of(resources: Iterable[ResourcePlan], alarms: Sequence[AlarmPlan] = (), *,
                guardrail_outputs: bool = True, parameters: Sequence[str] = DEFAULT_ACTIONS) -> dict[str, Any]:
    """The CloudFormation template (a dict) of ``resources`` and extra ``alarms``, declaring ``parameters``."""
    body: dict[str, Any] = {}
    outputs: dict[str, Any] = {}
    for resource in resources:
        body.update(resource_entries(resource))
        output = output_entry(resource) if guardrail_outputs else None
        if output is not None:
            outputs[output[0]] = output[1]
    for alarm in alarms:
        body[alarm.id] = alarm_entry(alarm)
    template: dict[str, Any] = {"Parameters": {p: {"Type": "String"} for p in parameters}, "Resources": body}
    if outputs:
        template["Outputs"] = outputs
    return template


def fragment(entries: dict[str, Any]) -> str:
    """``"id":{...},"id2":{...}``: entries as compact JSON without the enclosing braces ('' when empty)."""
    return json.dumps(entries, separators=_COMPACT)[1:-1]


def template_text(resource_fragments: Iterable[str], output_fragments: Iterable[str] = (),
                  parameters: Sequence[str] = DEFAULT_ACTIONS) -> str:
    """A whole template from fragments: the same text ``json.dumps(template_of(...))`` gives, compact."""
    resources = ",".join(f for f in resource_fragments if f)
    outputs = ",".join(f for f in output_fragments if f)
    declared = ",".join(f'"{p}":{{"Type":"String"}}' for p in parameters)
    text = f'{{"Parameters":{{{declared}}},"Resources":{{{resources}}}'
    return text + (f',"Outputs":{{{outputs}}}}}' if outputs else "}")


__all__ = ["TOPIC_PARAMETER", "alarm_entry", "fragment", "output_entry", "resource_entries", "template_of",
           "template_text"]
