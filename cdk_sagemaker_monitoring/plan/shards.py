"""Sharding: planned resources spread over nested stacks, every stack within CloudFormation's limits.

**Assignment.** A resource's shard is the jump consistent hash (Lamping and Veach, 2014) of the first
8 bytes of ``sha256("<kind>\\x1f<name>")`` over the shard count. It depends on the resource's own kind
and name and on the count, never on the other resources: adding or removing a resource changes
its own shard only; raising the count by one moves about 1/(count+1) of the resources, all of them
into the new shard. Shards are named ``Shard000``, ``Shard001``... (only non-empty ones exist), and
the nested stacks' logical ids derive from those names.

**Layout.** A shard's nested stack holds its resources' alarms and composite alarms, their dashboard
page(s) (``<base>-ShardNNN-<n>``, sections sorted by kind and name) and, for fleets with more than
:func:`parent_output_budget` guardrail outputs, those outputs. A nested stack ``Overview`` holds the
fleet overview (with links to every shard page). The top-level stack keeps the alarm topic, the
fleet-wide Metrics Insights alarms, the overview, shards ``0 .. group_size-1`` and (while they fit)
the guardrail outputs.

**Groups.** One stack operation may create, update or delete at most 2,500 resources, nested stacks
included (:data:`~.limits.MAX_RESOURCES_PER_OPERATION`). Shards are therefore grouped by number,
:func:`group_size` to a group (4 with CloudFormation's limits: at most 2,000 alarms): group 0 is
nested in the monitoring's own stack, group ``g`` in a top-level stack ``<stack>-ShardsGG`` of its
own (deployed with ``cdk deploy --all``). A shard's group follows from its number, so growing the
fleet adds groups and never moves a shard to another one.

**Count.** ``shards`` in the configuration, or automatic: none while everything fits in one stack,
else enough shards to fill each to about :data:`AUTO_FILL` of the limits on average (so the largest,
by chance, still fits), raised one by one until every shard fits. An explicit count that overflows a
shard is refused with the count that would fit.

Template bytes are estimated from the same JSON text the renderer includes, with upper bounds for
what CDK adds (the nested-stack parameter that carries the topic ARN, ``aws:cdk:path`` metadata).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Optional, Sequence

from . import ids
from .dashboards import paginate, single
from .limits import (
    MAX_METRICS_PER_DASHBOARD, MAX_OUTPUTS_PER_STACK, MAX_RESOURCES_PER_OPERATION, MAX_RESOURCES_PER_STACK,
    MAX_TEMPLATE_BYTES, MAX_WIDGETS_PER_DASHBOARD, LimitExceeded,
)
from .model import DEFAULT_ACTIONS, DashboardPlan, ResourcePlan, WidgetPlan
from .template import fragment, output_entry, resource_entries, template_text

SHARD_PREFIX = "Shard"
OVERVIEW_STACK = "Overview"
AUTO_FILL = 0.6
"""Automatic shard counts aim at this share of the per-stack limits on average."""
MAX_AUTO_STEPS = 64
"""Automatic counts are raised at most this many times past the first guess before giving up."""

# Upper bounds of what CDK adds to a nested template, per occurrence (bytes).
_REF = '{"Ref":"'
"""Start of a reference to a template parameter (the alarm topic, a topic object) in a compact fragment."""
REFERENCE_NAME_BOUND = 220
"""Extra characters of a topic reference in a nested template: the nested-stack parameter
(``referenceto<path><hash>Ref``), or in a group stack's shards ``Fn::GetStackOutput`` of the monitoring's
stack (about 100 characters plus the stack name)."""
PATH_METADATA_BOUND = 200
"""``aws:cdk:path`` of a resource, without its logical id (``<stack>/<monitoring>/Shards/ShardNNN/Alarms/``)."""
_METADATA = len(',"Metadata":{"aws:cdk:path":""}')
TEMPLATE_OVERHEAD = 2_000
"""Parameters, description, braces."""
DASHBOARD_OVERHEAD = 400
"""A dashboard entry besides its escaped body (type, name, ``Fn::Sub``, metadata)."""
RESERVE_RESOURCES = 30
"""Resources left for the rest of the stack (``MonitoringStack``'s trail and queries take 22) when deciding
whether the monitoring fits in it; a larger stack of your own: set ``shards``."""
RESERVE_BYTES = 60_000
"""Template bytes left for the rest of the stack (the trail and queries take about 45 KB)."""
ONE_STACK_PATH_BOUND = 100
"""``aws:cdk:path`` of a resource in the top-level stack, without its logical id."""


@dataclass(frozen=True)
class ShardLimits:
    """Per-stack limits sharding keeps to: CloudFormation's and CloudWatch's, lowered only in tests."""

    resources: int = MAX_RESOURCES_PER_STACK
    template_bytes: int = MAX_TEMPLATE_BYTES
    outputs: int = MAX_OUTPUTS_PER_STACK
    widgets: int = MAX_WIDGETS_PER_DASHBOARD
    """Per dashboard page."""
    metrics: int = MAX_METRICS_PER_DASHBOARD
    """Per dashboard page."""
    operation: int = MAX_RESOURCES_PER_OPERATION
    """Per stack operation, nested stacks included."""


def group_size(limits: ShardLimits) -> int:
    """Shards per top-level stack: full shards and their nested-stack resources stay within one operation,
    with room for the top-level stack's own resources."""
    return max(1, limits.operation // limits.resources - 1)


def group_stack_suffix(group: int) -> str:
    """Suffix of the name and id of group ``group``'s top-level stack (``-Shards01``); group 0 has none."""
    return f"-Shards{group:02d}"


def parent_output_budget(limits: ShardLimits) -> int:
    """Guardrail outputs the top-level stack holds at most (the rest of its outputs keep a quarter)."""
    return limits.outputs * 3 // 4


def shard_number(kind: str, name: str, count: int) -> int:
    """The shard (0 .. count-1) of the resource ``kind``/``name``: jump consistent hash of its sha256."""
    return jump_hash(int.from_bytes(hashlib.sha256(f"{kind}\x1f{name}".encode()).digest()[:8], "big"), count)


def jump_hash(key: int, count: int) -> int:
    """Lamping and Veach's jump consistent hash of the 64-bit ``key`` over ``count`` buckets (0 .. count-1)."""
    bucket, candidate = -1, 0
    while candidate < count:
        bucket = candidate
        key = (key * 2862933555777941757 + 1) & 0xFFFF_FFFF_FFFF_FFFF
        candidate = int((bucket + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return bucket


def shard_key(number: int) -> str:
    """Construct id of shard ``number`` (``Shard007``); its nested stack's logical id derives from it."""
    return f"{SHARD_PREFIX}{number:03d}"


@dataclass(frozen=True)
class ShardPlan:
    """One nested stack: its resources (sorted by kind and name), dashboard pages and include template."""

    key: str
    number: int
    group: int
    """Which stack holds its nested stack: 0 the monitoring's own, else ``<stack>-ShardsGG``."""
    resources: tuple[ResourcePlan, ...]
    dashboards: tuple[DashboardPlan, ...]
    template: str
    """The alarms, composite alarms (and guardrail outputs, if here) as template JSON for ``CfnInclude``."""
    resource_count: int
    output_count: int
    estimated_bytes: int
    """Upper estimate of the synthesized nested template's size (compact JSON)."""


@dataclass(frozen=True)
class ShardLayout:
    """Where everything goes when the monitoring is sharded."""

    count: int
    """Shard count the assignment used (configured, or automatic)."""
    automatic: bool
    shards: tuple[ShardPlan, ...]
    overview: Optional[DashboardPlan]
    """In its own nested stack :data:`OVERVIEW_STACK`."""
    parent_outputs: tuple[ResourcePlan, ...]
    """Endpoints whose guardrail outputs are in the top-level stack (empty: they are in the shards)."""
    parent_resources: int
    """Resources the top-level stack gets from the monitoring (topic, fleet alarms, nested stacks)."""
    group_size: int = 1
    limits: ShardLimits = field(default_factory=ShardLimits)

    @property
    def groups(self) -> tuple[int, ...]:
        """Groups with shards besides 0 (each a top-level stack of its own)."""
        return tuple(sorted({s.group for s in self.shards} - {0}))

    def shard_of(self, kind: str, name: str) -> ShardPlan:
        number = shard_number(kind, name, self.count)
        for shard in self.shards:
            if shard.number == number:
                return shard
        raise KeyError(f"no {kind} named {name!r} in any shard")


@dataclass
class _Stats:
    """What one resource adds to a shard."""

    resource: ResourcePlan
    fragment: str
    output: str
    resources: int
    extra_bytes: int
    """What CDK adds to the fragment in a nested template: longer topic references, path metadata."""
    widgets: int
    metrics: int
    section_bytes: int


_KIND_ORDER = {kind: i for i, kind in enumerate(ids.KIND_TITLES)}


def _stats(resource: ResourcePlan) -> _Stats:
    entries = resource_entries(resource)
    text = fragment(entries)
    output = output_entry(resource)
    extra = text.count(_REF) * REFERENCE_NAME_BOUND + sum(_METADATA + PATH_METADATA_BOUND + len(logical)
                                                          for logical in entries)
    section = json.dumps([w.to_json(0, 0) for w in resource.section.widgets], separators=(",", ":"), sort_keys=True)
    return _Stats(resource, text, fragment(dict([output])) if output else "", len(entries), extra,
                  resource.section.widget_count, resource.section.metric_count, len(json.dumps(section)) + 16)


def _pages(stats: Sequence[_Stats], limits: ShardLimits) -> tuple[int, int]:
    """Pages (and their escaped bytes) the sections need, packed in order as ``paginate`` does."""
    pages, widgets, metrics, size = 0, 0, 0, 0
    for s in stats:
        if not pages or widgets + s.widgets > limits.widgets or metrics + s.metrics > limits.metrics:
            pages, widgets, metrics = pages + 1, 0, 0
        widgets, metrics, size = widgets + s.widgets, metrics + s.metrics, size + s.section_bytes
    return pages, size + pages * (DASHBOARD_OVERHEAD + PATH_METADATA_BOUND)


def _fill(members: Sequence[_Stats], outputs_here: bool, limits: ShardLimits) -> tuple[int, int, int]:
    """(resources, outputs, estimated bytes) of a shard holding ``members`` (sorted)."""
    pages, page_bytes = _pages(members, limits)
    resources = sum(s.resources for s in members) + pages
    outputs = sum(1 for s in members if s.output) if outputs_here else 0
    size = TEMPLATE_OVERHEAD + sum(len(s.fragment) + 1 + s.extra_bytes for s in members) + page_bytes
    if outputs_here:
        size += sum(len(s.output) + 1 for s in members if s.output)
    return resources, outputs, size


def _assign(stats: Sequence[_Stats], count: int) -> dict[int, list[_Stats]]:
    groups: dict[int, list[_Stats]] = {}
    for s in stats:
        groups.setdefault(shard_number(s.resource.kind, s.resource.name, count), []).append(s)
    for members in groups.values():
        members.sort(key=lambda s: (_KIND_ORDER.get(s.resource.kind, 99), s.resource.name))
    return groups


def _too_large_alone(one: _Stats, outputs_here: bool, limits: ShardLimits) -> None:
    resources, outputs, size = _fill([one], outputs_here, limits)
    if resources > limits.resources:
        need = f"{resources} CloudFormation resources; a nested stack holds {limits.resources}"
    elif outputs > limits.outputs:
        need = f"{outputs} outputs; a nested stack holds {limits.outputs}"
    elif size > limits.template_bytes:
        need = f"a template of about {size:,} bytes; a nested stack holds {limits.template_bytes:,}"
    else:
        return
    raise LimitExceeded(one.resource.field, f"its alarms and dashboard section alone need {need}",
                        fix="fewer instances, variants, operations or steps on this resource")


def _overflow(groups: dict[int, list[_Stats]], outputs_here: bool, limits: ShardLimits) -> Optional[str]:
    """Why the fullest shard does not fit, or ``None``."""
    for number in sorted(groups):
        resources, outputs, size = _fill(groups[number], outputs_here, limits)
        if resources > limits.resources:
            return f"shard {shard_key(number)} would hold {resources} resources, more than {limits.resources}"
        if outputs > limits.outputs:
            return f"shard {shard_key(number)} would hold {outputs} outputs, more than {limits.outputs}"
        if size > limits.template_bytes:
            return f"shard {shard_key(number)} would be about {size:,} bytes, more than {limits.template_bytes:,}"
    return None


def fits_one_stack(resources: Sequence[ResourcePlan], own_resources: int, pages: Sequence[DashboardPlan],
                   outputs: int, limits: ShardLimits, *, reserve: bool = True) -> Optional[str]:
    """``None`` when everything fits in one (indented) stack template, else why not.

    With ``reserve``, :data:`RESERVE_RESOURCES` and :data:`RESERVE_BYTES` are kept for the rest of the stack.
    """
    total = own_resources + sum(r.resource_count for r in resources)
    room = limits.resources - (RESERVE_RESOURCES if reserve else 0)
    if total > room:
        return (f"one stack would hold {total} resources, more than CloudFormation's {limits.resources}"
                + (f" less {RESERVE_RESOURCES} for the rest of the stack" if reserve else ""))
    if outputs > limits.outputs:
        return f"one stack would hold {outputs} guardrail outputs, more than CloudFormation's {limits.outputs}"
    size = (RESERVE_BYTES if reserve else 0) + sum(len(json.dumps(d.body())) + DASHBOARD_OVERHEAD for d in pages)
    for resource in resources:
        for logical, entry in resource_entries(resource).items():
            text = json.dumps({logical: entry}, indent=1)  # CDK writes top-level templates indented by one space
            size += len(text) + text.count("\n") + _METADATA + ONE_STACK_PATH_BOUND + len(logical) + 16
    if size > limits.template_bytes:
        return f"one stack's template would be about {size:,} bytes, more than {limits.template_bytes:,}"
    return None


def _first_count(stats: Sequence[_Stats], outputs_here: bool, limits: ShardLimits) -> int:
    resources = sum(s.resources for s in stats) + sum(s.widgets for s in stats) / max(limits.widgets, 1)
    size = sum(len(s.fragment) + s.extra_bytes + s.section_bytes + (len(s.output) if outputs_here else 0)
               for s in stats)
    outputs = sum(1 for s in stats if s.output) if outputs_here else 0
    return max(1, math.ceil(resources / (limits.resources * AUTO_FILL)),
               math.ceil(size / ((limits.template_bytes - TEMPLATE_OVERHEAD) * AUTO_FILL)),
               math.ceil(outputs / (limits.outputs * AUTO_FILL)))


def plan_layout(resources: Sequence[ResourcePlan], *, base: str, count: Optional[int], limits: ShardLimits,
                guardrail_outputs: bool, top_level_resources: int,
                overview_widgets: Optional[Sequence[WidgetPlan]],
                parameters: Sequence[str] = DEFAULT_ACTIONS) -> ShardLayout:
    """Shard ``resources`` over ``count`` nested stacks (``None``: automatic).

    ``top_level_resources``: what the monitoring keeps in the top-level stack besides the nested
    stacks (topic, subscriptions, fleet alarms). ``overview_widgets``: the fleet overview's widgets
    (``None``: no overview); a widget linking to every shard page is added. ``parameters``: what the
    shard templates declare (the alarm topic, topic objects).
    """
    stats = [_stats(r) for r in resources]
    with_outputs = sum(1 for s in stats if s.output) if guardrail_outputs else 0
    outputs_in_parent = with_outputs <= parent_output_budget(limits)
    outputs_here = guardrail_outputs and not outputs_in_parent
    for one in stats:  # no shard count helps a resource that does not fit a nested stack alone
        _too_large_alone(one, outputs_here, limits)
    automatic = count is None
    if automatic:
        count = _first_count(stats, outputs_here, limits)
        for _ in range(MAX_AUTO_STEPS):
            if _overflow(_assign(stats, count), outputs_here, limits) is None:
                break
            count += 1
        else:
            raise LimitExceeded("shards", f"no shard count up to {count} fits every shard within the limits",
                                fix="set shards explicitly, or split the configuration over several stacks")
    assert count is not None
    groups = _assign(stats, count)
    problem = _overflow(groups, outputs_here, limits)
    if problem is not None:
        needed = count + 1
        while needed < count + MAX_AUTO_STEPS and _overflow(_assign(stats, needed), outputs_here, limits):
            needed += 1
        raise LimitExceeded("shards", f"{problem} (with shards: {count})",
                            fix=f"raise shards (to {needed} or more); every shard must stay within "
                                f"{limits.resources} resources, {limits.template_bytes:,} bytes and "
                                f"{limits.outputs} outputs")
    size = group_size(limits)
    shards = tuple(_shard(number, number // size, groups[number], base, limits, outputs_here, tuple(parameters))
                   for number in sorted(groups))
    overview = None
    if overview_widgets is not None:
        overview = single([*overview_widgets, _links(shards, base)], base, "Overview")
        overview_bytes = TEMPLATE_OVERHEAD + len(json.dumps(overview.body())) + DASHBOARD_OVERHEAD
        if overview_bytes > limits.template_bytes:
            raise LimitExceeded("fleet_overview", f"the overview's nested stack would be about {overview_bytes:,} "
                                f"bytes, more than {limits.template_bytes:,} (it lists every endpoint's composite alarm)",
                                fix="set composite_alarms or fleet_overview to false")
    nested = sum(1 for s in shards if s.group == 0) + (1 if overview else 0)
    parent = top_level_resources + nested
    if parent > limits.resources - RESERVE_RESOURCES:
        raise LimitExceeded("shards", f"the top-level stack would hold {parent} resources ({nested} nested "
                            f"stacks), more than {limits.resources} less {RESERVE_RESOURCES} for the rest of it",
                            fix="split the configuration over several stacks")
    # the top level's own operation: its resources, the rest of the stack, the overview's dashboard
    _check_operations(shards, top_level_resources + RESERVE_RESOURCES + (2 if overview else 0), size, limits)
    parent_outputs = tuple(s.resource for s in stats if s.output) if guardrail_outputs and outputs_in_parent else ()
    return ShardLayout(count=count, automatic=automatic, shards=shards, overview=overview,
                       parent_outputs=parent_outputs, parent_resources=parent, group_size=size, limits=limits)


def _check_operations(shards: Sequence[ShardPlan], parent_own: int, size: int, limits: ShardLimits) -> None:
    """Every top-level stack's operation (its nested stacks included) within ``limits.operation``."""
    totals: dict[int, int] = {}
    for shard in shards:
        totals[shard.group] = totals.get(shard.group, 0) + shard.resource_count + 1  # + its stack resource
    for group, total in sorted(totals.items()):
        total += parent_own if group == 0 else 2  # the top level's own (topic, trail...); a group's metadata
        if total > limits.operation:
            raise LimitExceeded("shards", f"the stack of shard group {group} ({size} shards) would create "
                                f"{total} resources in one operation, more than {limits.operation}",
                                fix="raise shards, so that each shard holds fewer resources")


def _shard(number: int, group: int, members: Sequence[_Stats], base: str, limits: ShardLimits,
           outputs_here: bool, parameters: tuple[str, ...] = DEFAULT_ACTIONS) -> ShardPlan:
    key = shard_key(number)
    pages = paginate([(s.resource.field, s.resource.section) for s in members], base, key,
                     max_widgets=limits.widgets, max_metrics=limits.metrics)
    resources, outputs, _ = _fill(members, outputs_here, limits)
    text = template_text((s.fragment for s in members), (s.output for s in members) if outputs_here else (),
                         parameters)
    size = (TEMPLATE_OVERHEAD + len(text) + sum(s.extra_bytes for s in members)
            + sum(len(json.dumps(p.body())) + DASHBOARD_OVERHEAD + PATH_METADATA_BOUND for p in pages))
    if size > limits.template_bytes or resources > limits.resources:
        raise LimitExceeded("shards", f"shard {key} would be about {size:,} bytes and {resources} resources",
                            fix="raise shards")
    return ShardPlan(key=key, number=number, group=group, resources=tuple(s.resource for s in members),
                     dashboards=tuple(pages),
                     template=text, resource_count=resources, output_count=outputs, estimated_bytes=size)


def _links(shards: Sequence[ShardPlan], base: str) -> WidgetPlan:
    """A text widget linking to every shard's dashboard pages."""
    links = " · ".join(f"[{page.name[len(base) + 1:]}](#dashboards/dashboard/{page.name})"
                       for shard in shards for page in shard.dashboards)
    counts = sum(len(s.resources) for s in shards)
    text = (f"## Resource pages\n{counts} resources in {len(shards)} nested stacks; a resource's page follows "
            f"from a hash of its kind and name (sections sorted by kind and name).\n\n{links}")
    height = 2 + math.ceil(len(links) / 900)
    return WidgetPlan("text", 24, height, {"markdown": text})


__all__ = ["AUTO_FILL", "OVERVIEW_STACK", "SHARD_PREFIX", "ShardLayout", "ShardLimits", "ShardPlan", "fits_one_stack",
           "group_size", "group_stack_suffix", "parent_output_budget", "plan_layout", "shard_key", "shard_number"]
