"""Which stacks one configuration file makes, with the configuration of each (pure Python, no jsii).

``build_stacks`` (the bundled app) builds these stacks, and ``cost --config`` counts them: both read this
one layout, so the estimate of a file is the estimate of the stacks the app synthesizes from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from ..config.app_config import AppConfig

__all__ = ["CENTRAL_SUFFIX", "AppLayout", "CentralLayout", "app_layout", "central_stack_name"]

CENTRAL_SUFFIX = "-Central"


def central_stack_name(stack_name: str, region: str | None = None) -> str:
    """``<stack_name>-Central``, or ``<stack_name>-Central-<region>`` for a further region's sink."""
    return f"{stack_name}{CENTRAL_SUFFIX}" + (f"-{region}" if region else "")


@dataclass(frozen=True)
class CentralLayout:
    """A central stack of the monitoring account: ``main`` (overview, lookup role, organization trail) or the
    sink of a further region."""

    region: str
    sources: tuple[str, ...]
    """Accounts linking to this region's sink (not the monitoring account itself)."""
    main: bool
    all_sources: tuple[str, ...] = ()
    """Every account linking anywhere (trusted by the lookup role; main stack only)."""


@dataclass(frozen=True)
class AppLayout:
    """``single``: the one stack's configuration (no environments); else a configuration per environment,
    the central stacks, and the environments that link their metrics to a sink."""

    single: Optional[AppConfig] = None
    environments: dict[str, AppConfig] = field(default_factory=dict)
    central: tuple[CentralLayout, ...] = ()
    linked: tuple[str, ...] = ()
    """Environments (names) in another account than the monitoring account: each has a link to its region's sink."""


def app_layout(config: AppConfig) -> AppLayout:
    """The stacks of ``config``: see the module docstring and ``stacks.app_stacks.build_stacks``."""
    if not config.environments:
        return AppLayout(single=config)
    environments = {env.name: config.for_environment(env.name) for env in config.environments}
    monitoring = config.monitoring_account
    if monitoring is None:
        return AppLayout(environments=environments)
    sources: dict[str, list[str]] = {}
    for env in config.environments:
        if env.account != monitoring.account:
            sources.setdefault(env.region, []).append(env.account)
    all_sources = tuple(sorted({a for accounts in sources.values() for a in accounts}))
    central = [CentralLayout(monitoring.region, tuple(sources.get(monitoring.region, ())), True, all_sources)]
    central += [CentralLayout(region, tuple(sources[region]), False)
                for region in sorted(sources.keys() - {monitoring.region})]
    linked = tuple(env.name for env in config.environments if env.account != monitoring.account)
    return AppLayout(environments=environments, central=tuple(central), linked=linked)
