"""Where each severity's alarms notify: the configuration's ``alarm_actions`` as planned action values.

An action value is an ARN, written into the template as it is, or the name of a template parameter
(the alarm topic, :data:`~.model.TOPIC_PARAMETER`, and each SNS topic object given to the construct),
which the renderer replaces by the topic's ARN.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..catalog.model import SEVERITIES
from ..config.alarm_actions import composite_capable, is_parameter, ok_capable
from ..config.resources import MonitoringConfig
from .model import DEFAULT_ACTIONS, TOPIC_PARAMETER


@dataclass(frozen=True)
class Route:
    """The alarm and OK actions of one severity."""

    alarm: tuple[str, ...]
    ok: tuple[str, ...]

    def for_composite(self) -> "Route":
        """What a composite alarm may take of it (PutCompositeAlarm: no response plans; OK: SNS and Lambda only)."""
        return Route(tuple(a for a in self.alarm if is_parameter(a) or composite_capable(a)),
                     tuple(a for a in self.ok if is_parameter(a) or composite_capable(a, ok=True)))


DEFAULT_ROUTE = Route(DEFAULT_ACTIONS, DEFAULT_ACTIONS)
DEFAULT_ROUTES: Mapping[str, Route] = {severity: DEFAULT_ROUTE for severity in SEVERITIES}
"""Every severity to the alarm topic, ALARM and OK."""


def plan_routes(config: MonitoringConfig) -> dict[str, Route]:
    """Severity -> its route: ``alarm_actions`` where given, else the alarm topic."""
    routes: dict[str, Route] = {}
    for severity in SEVERITIES:
        actions = config.actions_of(severity)
        if actions is None:
            routes[severity] = DEFAULT_ROUTE
            continue
        ok = tuple(a for a in actions.actions if is_parameter(a) or ok_capable(a)) if actions.ok_actions else ()
        routes[severity] = Route(actions.actions, ok)
    return routes


def template_parameters(config: MonitoringConfig) -> tuple[str, ...]:
    """Parameters the alarm templates declare: the alarm topic when some severity uses it, then topic objects."""
    names = [TOPIC_PARAMETER] if config.uses_alarm_topic else []
    for severity in SEVERITIES:
        actions = config.actions_of(severity)
        names += [a for a in (actions.actions if actions else ()) if is_parameter(a) and a not in names]
    return tuple(names)


__all__ = ["DEFAULT_ROUTE", "DEFAULT_ROUTES", "Route", "plan_routes", "template_parameters"]
