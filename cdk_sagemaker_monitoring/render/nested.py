"""A sharded plan rendered into nested stacks: one per shard (alarms in one ``CfnInclude``, dashboard
pages), one for the fleet overview, guardrail outputs in the top-level stack when they fit there.
Shards of group 0 are nested in the monitoring's own stack; each further group gets a top-level stack
``<stack>-ShardsGG`` beside it (same environment; it reads the topic ARN from the monitoring's stack), so
that no stack operation touches more than CloudFormation's 2,500 resources.

The nested stacks live under a construct ``Shards`` whose context makes their templates compact
(``@aws-cdk/core:suppressTemplateIndentation``: the 1 MB template limit counts bytes, indentation
included) and skips per-construct creation stack traces (``aws:cdk:disable-creation-stack-traces``:
debugging metadata that would name no user code for included resources, and costs a stack capture
per alarm).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, cast

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import cloudformation_include as cfn_include
from constructs import Construct

from ..plan.shards import OVERVIEW_STACK, ShardLayout, group_stack_suffix
from ..plan.template import output_entry
from .batch import acknowledge_windows, include_template
from .dashboards import render_dashboard

CONTAINER_ID = "Shards"
SHARD_CONTEXT = {
    "@aws-cdk/core:suppressTemplateIndentation": True,
    "aws:cdk:disable-creation-stack-traces": True,
}


@dataclass
class RenderedLayout:
    """What :func:`render_layout` created."""

    stacks: dict[str, cdk.NestedStack] = field(default_factory=dict)
    """Shard key (``Shard007``, and ``Overview``) -> nested stack."""
    group_stacks: dict[int, cdk.Stack] = field(default_factory=dict)
    """Group (1, 2...) -> its top-level stack."""
    includes: dict[str, cfn_include.CfnInclude] = field(default_factory=dict)
    """Shard key -> the ``CfnInclude`` of its alarms."""
    dashboards: list[cloudwatch.CfnDashboard] = field(default_factory=list)


def render_layout(owner: Construct, layout: ShardLayout, parameters: Mapping[str, str]) -> RenderedLayout:
    """Nested stacks for ``layout`` under ``owner``; guardrail outputs the top level holds go on ``owner``'s stack.

    ``parameters``: template parameter -> topic ARN (the alarm topic, topic objects of ``alarm_actions``)."""
    out = RenderedLayout()
    containers = {0: _container(owner)}
    for shard in layout.shards:
        container = containers.get(shard.group)
        if container is None:
            out.group_stacks[shard.group] = group = _group_stack(owner, shard.group, layout.group_size)
            container = containers[shard.group] = _container(group)
        kinds = sorted({r.kind.replace("_", " ") + "s" for r in shard.resources})
        stack = cdk.NestedStack(container, shard.key, description=(
            f"SageMaker monitoring, {shard.key}: alarms and dashboard of {len(shard.resources)} resources "
            f"({', '.join(kinds)}) assigned by a hash of their kind and name"))
        out.stacks[shard.key] = stack
        if shard.resource_count > len(shard.dashboards):
            out.includes[shard.key] = include_template(stack, "Alarms", shard.template, parameters)
            acknowledge_windows(out.includes[shard.key], shard.resources)
        out.dashboards += [render_dashboard(stack, page) for page in shard.dashboards]
    if layout.overview is not None:
        stack = cdk.NestedStack(containers[0], OVERVIEW_STACK,
                                description="SageMaker monitoring: the fleet overview dashboard")
        out.stacks[OVERVIEW_STACK] = stack
        out.dashboards.append(render_dashboard(stack, layout.overview))
    for resource in layout.parent_outputs:
        entry = output_entry(resource)
        if entry is not None:
            output = cdk.CfnOutput(owner, entry[0], value=entry[1]["Value"], description=entry[1]["Description"])
            output.override_logical_id(entry[0])  # as in one stack: the output keeps its name wherever alarms are
    return out


def _container(scope: Construct) -> Construct:
    container = Construct(scope, CONTAINER_ID)
    for key, value in SHARD_CONTEXT.items():
        container.node.set_context(key, value)
    return container


def _group_stack(owner: Construct, group: int, size: int) -> cdk.Stack:
    """The top-level stack of shard group ``group``, beside the monitoring's own stack."""
    parent = cdk.Stack.of(owner)
    agnostic = cdk.Token.is_unresolved(parent.account) or cdk.Token.is_unresolved(parent.region)
    suffix = group_stack_suffix(group)
    stack = cdk.Stack(
        cdk.Stage.of(parent) or cast(Construct, parent.node.root), f"{parent.node.id}{suffix}",
        stack_name=f"{parent.stack_name}{suffix}",
        env=None if agnostic else cdk.Environment(account=parent.account, region=parent.region),
        description=f"SageMaker monitoring of {parent.stack_name}, shards {group * size} to {group * size + size - 1} "
                    "(one stack operation stays within CloudFormation's 2,500 resources)")
    stack.add_stack_dependency(parent, "the alarms notify the monitoring's topic")
    return stack


__all__ = ["CONTAINER_ID", "RenderedLayout", "SHARD_CONTEXT", "render_layout"]
