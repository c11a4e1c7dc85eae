"""Every stack of one configuration file: what the bundled ``app.py`` builds.

Without ``environments``: one :class:`MonitoringStack` (as always). With them: a
:class:`MonitoringStack` ``<stack_name>-<name>`` per environment (its ``env`` that account and region)
and, with ``monitoring_account``, the :class:`CentralStack` ``<stack_name>-Central`` (and a sink stack
``<stack_name>-Central-<region>`` per further region) that every environment's metrics link to.

An environment's stack is built from that environment's entry alone (and the top level's settings), so
adding an environment or a resource elsewhere leaves its template as it was, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Union

import aws_cdk as cdk
from constructs import Construct

from ..config.app_config import AppConfig
from ..config.loader import config_from_mapping
from ..constructs.observability import MetricsLink, sink_lookup_role_name
from ..plan.central import EnvironmentPlan
from .central_stack import CentralStack
from .monitoring_stack import MonitoringStack

__all__ = ["AppStacks", "LINK_ID", "build_stacks"]

LINK_ID = "ObservabilityLink"


@dataclass
class AppStacks:
    """The stacks :func:`build_stacks` made: by environment name, the central ones by region."""

    environments: dict[str, MonitoringStack] = field(default_factory=dict)
    central: dict[str, CentralStack] = field(default_factory=dict)
    single: MonitoringStack | None = None

    @property
    def all(self) -> list[cdk.Stack]:
        return [*([self.single] if self.single else []), *self.environments.values(), *self.central.values()]


def _failure_rules(stack: MonitoringStack) -> tuple[tuple[str, str], ...]:
    events = stack.failure_events
    return tuple((r.name, r.kind.title) for r in events.plan.rules) if events is not None else ()


def build_stacks(scope: Construct, config: Union[AppConfig, Mapping[str, Any]]) -> AppStacks:
    """Every stack of ``config`` in ``scope`` (an ``App``); see the module docstring."""
    if not isinstance(config, AppConfig):
        config = config_from_mapping(config)
    if not config.environments:
        return AppStacks(single=MonitoringStack(scope, config=config))
    stacks = AppStacks()
    for env in config.environments:
        stacks.environments[env.name] = MonitoringStack(scope, config=config.for_environment(env.name))
    monitoring = config.monitoring_account
    if monitoring is None:
        return stacks
    sources: dict[str, list[str]] = {}
    for env in config.environments:
        if env.account != monitoring.account:
            sources.setdefault(env.region, []).append(env.account)
    plans = [EnvironmentPlan(env.name, env.account, env.region, stacks.environments[env.name].monitoring.plan,
                             failure_rules=_failure_rules(stacks.environments[env.name]))
             for env in config.environments]
    all_sources = sorted({a for accounts in sources.values() for a in accounts})
    stacks.central[monitoring.region] = CentralStack(
        scope, config=config, region=monitoring.region, sources=sources.get(monitoring.region, ()),
        environments=plans, all_sources=all_sources)
    for region in sorted(sources.keys() - {monitoring.region}):
        stacks.central[region] = CentralStack(scope, config=config, region=region, sources=sources[region])
    for env in config.environments:
        if env.account == monitoring.account:
            continue  # the monitoring account sees its own metrics
        stack = stacks.environments[env.name]
        MetricsLink(stack, LINK_ID, monitoring_account=monitoring.account, region=env.region,
                    role_name=sink_lookup_role_name(config.stack_name))
        stack.node.add_dependency(stacks.central[env.region])  # links to the sink of its region
        if env.region != monitoring.region:
            stack.node.add_dependency(stacks.central[monitoring.region])  # finds the sink through the lookup role
    return stacks
