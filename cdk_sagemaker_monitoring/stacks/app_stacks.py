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
from ..plan.app_layout import app_layout
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
    layout = app_layout(config)
    if layout.single is not None:
        return AppStacks(single=MonitoringStack(scope, config=layout.single))
    stacks = AppStacks()
    for name, env_config in layout.environments.items():
        stacks.environments[name] = MonitoringStack(scope, config=env_config)
    monitoring = config.monitoring_account
    if monitoring is None:
        return stacks
    plans = [EnvironmentPlan(env.name, env.account, env.region, stacks.environments[env.name].monitoring.plan,
                             failure_rules=_failure_rules(stacks.environments[env.name]))
             for env in config.environments]
    for central in layout.central:
        stacks.central[central.region] = CentralStack(
            scope, config=config, region=central.region, sources=central.sources,
            environments=plans if central.main else (), all_sources=central.all_sources)
    for name in layout.linked:
        env = config.environment(name)
        stack = stacks.environments[name]
        MetricsLink(stack, LINK_ID, monitoring_account=monitoring.account, region=env.region,
                    role_name=sink_lookup_role_name(config.stack_name))
        stack.node.add_dependency(stacks.central[env.region])  # links to the sink of its region
        if env.region != monitoring.region:
            stack.node.add_dependency(stacks.central[monitoring.region])  # finds the sink through the lookup role
    return stacks
