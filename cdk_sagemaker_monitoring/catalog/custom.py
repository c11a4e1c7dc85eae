"""Rows users add (``custom_metrics``): the catalog's row type, attached to a resource kind.

A custom row's family is a :class:`CustomFamily`: besides the namespace and dimension names it holds
each dimension's value template (``{"EndpointName": "{name}"}``), filled per resource by
:mod:`~cdk_sagemaker_monitoring.plan.sources`. Everything else (graphs, alarms, overrides, shards)
reads the row like a catalog row.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

from .model import Family, MetricDefinition

__all__ = ["CUSTOM_GROUP", "CustomFamily", "PLACEHOLDERS", "SERIES_PLACEHOLDERS", "is_custom", "placeholders_in"]

CUSTOM_GROUP = "Custom"
"""The ``group`` of every custom family."""

SERIES_PLACEHOLDERS: dict[str, str] = {
    "endpoint": "variant", "training_job": "host", "processing_job": "host", "feature_group": "operation",
    "pipeline": "step",
}
"""The placeholder that makes one series per variant, host, operation or step (as catalog rows have)."""

PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    kind: ("name", *((SERIES_PLACEHOLDERS[kind],) if kind in SERIES_PLACEHOLDERS else ()))
    for kind in ("endpoint", "training_job", "processing_job", "transform_job", "feature_group", "pipeline",
                 "labeling_job", "workteam")
}
"""Placeholders a dimension value may hold, per resource kind: ``{name}`` always, and the kind's series one."""


@dataclass(frozen=True)
class CustomFamily(Family):
    """A family of user rows: one namespace, one resource kind, dimension names with value templates."""

    templates: tuple[tuple[str, str], ...] = ()
    """(dimension name, value template) in the order given."""


def is_custom(row: MetricDefinition) -> bool:
    """Whether ``row`` comes from ``custom_metrics`` (not from the catalog)."""
    return isinstance(row.family, CustomFamily)


def placeholders_in(template: str) -> tuple[str, ...]:
    """Field names in ``template`` (``"{name}-x"`` -> ``("name",)``); ``ValueError`` for unbalanced braces."""
    return tuple(field for _, field, _, _ in Formatter().parse(template) if field is not None)
