"""Which series ``SageMakerMonitoring.metric(...)`` means: a resource, one of its rows, statistic, period.

Pure Python (the render layer turns the choice into a ``cloudwatch.Metric``); every mistake is a
:class:`~cdk_sagemaker_monitoring.errors.ConfigurationError` naming the argument and the valid values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

from ..catalog.custom import is_custom
from ..catalog.families import RESOURCE_KINDS
from ..catalog.model import MetricDefinition
from ..config.custom_errors import did_you_mean
from ..config.resources import MonitoringConfig, ResourceSpec
from ..errors import ConfigurationError
from .alarms import settings
from .model import MetricSource
from .sources import sources, transform_job_search
from .widgets import DEFAULT_PERIOD

__all__ = ["SeriesChoice", "find_series"]


@dataclass(frozen=True)
class SeriesChoice:
    """The series of one metric of one resource, with the statistic and period to read them with."""

    resource: ResourceSpec
    row: MetricDefinition
    statistic: str
    period: int
    series: tuple[tuple[str, MetricSource], ...]
    """(label, source) pairs; empty with :attr:`search`."""
    search: Optional[str] = None
    """A SEARCH expression instead of series (transform-job hosts are unknown before a job runs)."""


def _valid_period(period: int) -> bool:
    return period in (1, 5, 10, 30) or (period >= 60 and period % 60 == 0)


def _resource(config: MonitoringConfig, name: str, kind: Optional[str]) -> ResourceSpec:
    if kind is not None and kind not in RESOURCE_KINDS:
        raise ConfigurationError("kind", f"{kind!r} is not a resource kind",
                                 fix=did_you_mean(kind, RESOURCE_KINDS) + "kinds: " + ", ".join(RESOURCE_KINDS))
    found = [s for s in config.resources() if s.name == name and (kind is None or s.kind == kind)]
    if not found:
        names = sorted({s.name for s in config.resources() if kind is None or s.kind == kind})
        what = f"a monitored {kind.replace('_', ' ')}" if kind else "monitored here"
        raise ConfigurationError("resource_name", f"{name!r} is not {what}",
                                 fix=did_you_mean(name, names) + "monitored: " + (", ".join(names[:20]) or "none"))
    if len(found) > 1:
        kinds = ", ".join(s.kind for s in found)
        raise ConfigurationError("kind", f"{name!r} names several resources ({kinds})",
                                 fix=f"pass kind= one of {kinds}")
    return found[0]


def find_series(config: MonitoringConfig, resource_name: str, metric_name: str, *, kind: Optional[str] = None,
                statistic: Optional[str] = None, period: Optional[int] = None,
                dimension_values: Mapping[str, str] = {}) -> SeriesChoice:
    """The series ``metric_name`` of ``resource_name`` has, narrowed to ``dimension_values``."""
    spec = _resource(config, resource_name, kind)
    rows = {r.metric: r for r in config.rows_of(spec)}
    row = rows.get(metric_name)
    if row is None:
        possible = {r.metric for r in config.possible_rows(spec.kind)}
        problem = (f"{metric_name!r} is not reported for this {spec.kind.replace('_', ' ')} (its features)"
                   if metric_name in possible else f"{metric_name!r} is not a metric of {spec.name}")
        raise ConfigurationError("metric_name", problem,
                                 fix=did_you_mean(metric_name, sorted(rows)) + "metrics: " + ", ".join(sorted(rows)))
    alarm = settings(row, spec.alarms.get(row.metric), getattr(spec, "gpu_count", 0))
    stat = statistic or (alarm.statistic if alarm else row.dashboard_statistic)
    if not row.allows(stat):
        valid = ", ".join(row.statistics) + (", or a percentile such as p99" if row.percentiles else "")
        raise ConfigurationError("statistic", f"{stat!r} is not a valid statistic of {row.metric}",
                                 fix=f"valid: {valid}")
    seconds = period if period is not None else (alarm.period if alarm else DEFAULT_PERIOD)
    if isinstance(seconds, bool) or not isinstance(seconds, int) or not _valid_period(seconds):
        raise ConfigurationError("period", f"{seconds!r} is not a period CloudWatch graphs",
                                 fix="1, 5, 10, 30 or a multiple of 60 seconds")
    if spec.kind == "transform_job" and not is_custom(row):
        if dimension_values:
            raise ConfigurationError(next(iter(dimension_values)), "transform-job hosts are unknown before a job runs",
                                     fix="leave dimension values out: the SEARCH finds every host of the job")
        return SeriesChoice(spec, row, stat, seconds, (), transform_job_search(spec, row, stat, seconds))
    series = sources(spec, row)
    for dimension, value in dimension_values.items():
        if dimension not in row.dimensions:
            raise ConfigurationError(dimension, f"is not a dimension of {row.metric}",
                                     fix="dimensions: " + ", ".join(row.dimensions))
        kept = tuple((label, s) for label, s in series if dict(s.dimensions).get(dimension) == value)
        if not kept:
            values = sorted({dict(s.dimensions).get(dimension, "") for _, s in series})
            raise ConfigurationError(dimension, f"{value!r} is not a {dimension} of {spec.name}",
                                     fix=did_you_mean(str(value), values) + "values: " + ", ".join(values))
        series = kept
    if not series:
        raise ConfigurationError("metric_name", f"{spec.name} has no series of {row.metric}",
                                 fix="list the steps (pipelines) or operations whose series you want")
    return SeriesChoice(spec, row, stat, seconds, series)
