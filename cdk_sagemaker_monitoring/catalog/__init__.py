"""The metric catalog: every documented SageMaker metric as a row of data.

``CATALOG`` holds the rows (:class:`MetricDefinition`), ``FAMILIES`` the families, ``namespaces`` each
namespace once, ``KINDS`` what an alarm kind means (missing data, guardrail).
"""

from __future__ import annotations

from . import namespaces
from .families import FAMILIES, RESOURCE_KINDS
from .kinds import KINDS, KindPolicy, treat_missing_data
from .metrics import CATALOG, rows_for, rows_of_kind
from .evidence import CONFIDENCES, SOURCES, Confidence, Source
from .model import (
    COMPARISONS, SEVERITIES, STATISTICS, TREAT_MISSING_DATA, AlarmDefault, AlarmKind, Family, MetricDefinition,
    Severity,
)

__all__ = [
    "CATALOG", "COMPARISONS", "CONFIDENCES", "FAMILIES", "KINDS", "RESOURCE_KINDS", "SEVERITIES", "SOURCES",
    "STATISTICS", "TREAT_MISSING_DATA", "Confidence", "Source",
    "AlarmDefault", "AlarmKind", "Family", "KindPolicy", "MetricDefinition", "Severity", "namespaces", "rows_for",
    "rows_of_kind", "treat_missing_data",
]
