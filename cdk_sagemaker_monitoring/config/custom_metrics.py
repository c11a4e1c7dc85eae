"""``custom_metrics``: your own metrics, as rows of the catalog's shape attached to a resource kind.

Every resource of the kind gets the row: a graph in its dashboard section, an alarm when the row has
one (overridable per resource under ``alarms`` like any catalog metric), sharded and counted with the
rest. Dimension values are templates: ``{name}`` is the resource's name; ``{variant}`` (endpoints),
``{host}`` (training and processing jobs: ``<job>/algo-<n>``), ``{operation}`` (feature groups) and
``{step}`` (pipelines) make one series per variant, host, operation or step, as catalog rows do.

Units are CloudWatch's (API reference, ``MetricDatum.Unit``); names and dimensions follow CloudWatch's
limits (:mod:`cdk_sagemaker_monitoring.names`).
"""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal, Optional, cast

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator

from .. import names
from ..catalog.custom import CUSTOM_GROUP, PLACEHOLDERS, CustomFamily, placeholders_in
from ..catalog.evidence import CONFIGURATION
from ..catalog.model import (
    STATISTICS, AlarmDefault, AlarmKind, Comparison, Feature, MetricDefinition, Severity, TreatMissingData,
)
from ..catalog.units import humanize
from .custom_errors import did_you_mean, invalid

__all__ = ["CLOUDWATCH_UNITS", "CloudWatchUnit", "CustomAlarm", "CustomMetric", "ResourceKind", "implied_kind"]

CloudWatchUnit = Literal[
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits",
    "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second",
    "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second",
    "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
]
"""CloudWatch's units (API reference, ``StandardUnit``)."""
CLOUDWATCH_UNITS: tuple[str, ...] = CloudWatchUnit.__args__  # type: ignore[attr-defined]

ResourceKind = Literal["endpoint", "training_job", "processing_job", "transform_job", "feature_group", "pipeline",
                       "labeling_job", "workteam"]
"""The resource kinds of the catalog (``endpoint`` is every entry of ``endpoints``...)."""

_PERIODS_HINT = "10, 30, or a multiple of 60 seconds"


def implied_kind(unit: str) -> AlarmKind:
    """Kind of an alarm on a metric of ``unit`` when none is given: percentages saturate, times are latencies."""
    if unit == "Percent":
        return "saturation"
    if unit in ("Microseconds", "Milliseconds", "Seconds"):
        return "latency"
    return "throughput"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CustomAlarm(_Model):
    """The default alarm of a custom metric (each resource may override it under ``alarms``)."""

    threshold: Annotated[float, Field(strict=True)]
    """In the metric's unit."""
    comparison: Comparison = "GreaterThanThreshold"
    """How the statistic is compared with the threshold (``LessThanThreshold`` for a floor)."""
    severity: Severity = "Warning"
    """``Warning`` or ``Critical``: part of the alarm name, and which ``alarm_actions`` it notifies."""
    statistic: Optional[str] = None
    """Default: the metric's ``statistic``."""
    period: StrictInt = 60
    """Seconds per evaluated datapoint: 10, 30 or a multiple of 60."""
    evaluation_periods: Annotated[StrictInt, Field(ge=1, le=100)] = 5
    """How many recent periods the alarm looks at (1 to 100)."""
    datapoints_to_alarm: Annotated[StrictInt, Field(ge=1, le=100)] = 3
    """How many of those periods must breach to alarm (at most ``evaluation_periods``)."""
    treat_missing_data: Optional[TreatMissingData] = None
    """Default: the alarm kind's policy (``missing`` for saturation and throughput, ``notBreaching`` for errors)."""
    kind: Optional[AlarmKind] = None
    """``error``, ``latency``, ``saturation``, ``failure`` or ``throughput`` (default from the unit): decides
    missing data and whether an endpoint's alarm is a deployment guardrail (errors and latencies)."""

    @field_validator("period")
    @classmethod
    def _period(cls, value: int) -> int:
        if not (value in (10, 30) or (value >= 60 and value % 60 == 0)):
            raise invalid("invalid_period", f"{value} is not an alarm period CloudWatch accepts", _PERIODS_HINT)
        return value

    @model_validator(mode="after")
    def _datapoints(self) -> "CustomAlarm":
        if self.datapoints_to_alarm > self.evaluation_periods:
            raise invalid("invalid_datapoints", "datapoints_to_alarm is larger than evaluation_periods",
                          "use at most as many datapoints as evaluation periods", ("datapoints_to_alarm",))
        return self


class CustomMetric(_Model):
    """A metric of your own: every resource of ``kind`` gets it, like a row of the catalog."""

    kind: ResourceKind
    """Resource kind that gets the metric (``endpoint``, ``training_job``, ``feature_group``...)."""
    namespace: str
    """CloudWatch namespace (``MyCompany/Inference``)."""
    metric: str
    """Metric name; unique among the kind's metrics (catalog and custom), the key of per-resource ``alarms``."""
    dimensions: dict[str, str]
    """Dimension name -> value template: ``{name}`` (the resource's name), and ``{variant}``, ``{host}``,
    ``{operation}`` or ``{step}`` for one series each (endpoints, jobs, feature groups, pipelines)."""
    unit: CloudWatchUnit = "None"
    """CloudWatch unit of the values (``Count/Second``, ``Milliseconds``...); thresholds are in it."""
    statistic: str = "Average"
    """Statistic graphed (and alarmed, unless the alarm says otherwise)."""
    statistics: tuple[str, ...] = STATISTICS
    """Statistics valid for the metric (overrides are checked against them)."""
    percentiles: StrictBool = True
    """Percentiles (``p99``) are valid statistics too."""
    widget: Optional[str] = None
    """Dashboard graph title; custom metrics of a kind and namespace with the same title share a graph
    (and must share a unit). Default: the metric name."""
    description: Optional[str] = None
    """What the metric measures, for alarm descriptions. Default: ``<metric> (<namespace>)``."""
    requires: tuple[Feature, ...] = ()
    """Only resources with these features get it (``gpu``, ``multi_model``, ``serverless``, ``provisioned``)."""
    alarm: Optional[CustomAlarm] = None
    """The default alarm; none: graphed only (a resource can still add one with a threshold)."""

    @field_validator("namespace")
    @classmethod
    def _namespace(cls, value: str) -> str:
        return _named(names.CLOUDWATCH_NAMESPACE, value)

    @field_validator("metric")
    @classmethod
    def _metric(cls, value: str) -> str:
        return _named(names.CLOUDWATCH_METRIC, value)

    @field_validator("statistics")
    @classmethod
    def _statistics(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for i, statistic in enumerate(value):
            if statistic not in STATISTICS:
                raise invalid("invalid_statistic", f"{statistic!r} is not a CloudWatch statistic",
                              did_you_mean(statistic, STATISTICS) + "one of " + ", ".join(STATISTICS), (i,))
        if not value:
            raise invalid("too_short", "no statistics", "list at least one of " + ", ".join(STATISTICS))
        return value

    @model_validator(mode="after")
    def _check(self) -> "CustomMetric":
        if not self.dimensions:
            raise invalid("too_short", "no dimensions", "give at least one, such as {EndpointName: '{name}'}",
                          ("dimensions",))
        if len(self.dimensions) > names.MAX_DIMENSIONS:
            raise invalid("too_long", f"{len(self.dimensions)} dimensions",
                          f"a CloudWatch metric has at most {names.MAX_DIMENSIONS}", ("dimensions",))
        allowed = PLACEHOLDERS[self.kind]
        for dimension, template in self.dimensions.items():
            where = ("dimensions", dimension)
            _named(names.CLOUDWATCH_DIMENSION, dimension, where)
            try:
                fields = placeholders_in(template)
            except ValueError:
                raise invalid("invalid_template", f"{template!r} has an unmatched brace",
                              "placeholders are written {name}; a literal brace is {{ or }}", where) from None
            for field in fields:
                if field not in allowed:
                    raise invalid("invalid_placeholder", f"{{{field}}} is not a placeholder of {self.kind}s",
                                  did_you_mean(field, allowed) + "placeholders: "
                                  + ", ".join(f"{{{p}}}" for p in allowed), where)
            if not template or len(template) > names.MAX_DIMENSION_VALUE_CHARS:
                raise invalid("invalid_dimension", "a dimension value is 1 to 1,024 characters",
                              "for example '{name}'", where)
        if not self.allows(self.statistic):
            raise invalid("invalid_statistic", f"{self.statistic!r} is not one of the metric's statistics",
                          "valid: " + self._valid_text(), ("statistic",))
        if self.alarm is not None and self.alarm.statistic is not None and not self.allows(self.alarm.statistic):
            raise invalid("invalid_statistic", f"{self.alarm.statistic!r} is not one of the metric's statistics",
                          "valid: " + self._valid_text(), ("alarm", "statistic"))
        return self

    def allows(self, statistic: str) -> bool:
        """Whether ``statistic`` is valid for this metric."""
        return self.row.allows(statistic)

    def _valid_text(self) -> str:
        return ", ".join(self.statistics) + (", or a percentile such as p99" if self.percentiles else "")

    @cached_property
    def family(self) -> CustomFamily:
        """Its family: kind, namespace and dimension templates (rows with equal families share graphs)."""
        templates = tuple(self.dimensions.items())
        key = f"custom:{self.kind}:{self.namespace}:" + ",".join(f"{k}={v}" for k, v in templates)
        return CustomFamily(key=key, title=self.namespace, group=CUSTOM_GROUP, resource=self.kind,
                            namespace=self.namespace, dimensions=tuple(self.dimensions), templates=templates)

    @cached_property
    def row(self) -> MetricDefinition:
        """The row the plan reads, of the catalog's type."""
        alarm = None
        if self.alarm is not None:
            a = self.alarm
            alarm = AlarmDefault(kind=a.kind or implied_kind(self.unit), comparison=a.comparison,
                                 threshold=float(a.threshold), meaning=humanize(a.threshold, self.unit),
                                 statistic=a.statistic or self.statistic, severity=a.severity, period=a.period,
                                 evaluation_periods=a.evaluation_periods, datapoints_to_alarm=a.datapoints_to_alarm,
                                 treat_missing_data=a.treat_missing_data)
        return MetricDefinition(family=self.family, metric=self.metric, unit=cast(Any, self.unit),
                                statistics=self.statistics,
                                description=self.description or f"{self.metric} ({self.namespace})",
                                source=CONFIGURATION, confidence="configuration",
                                widget=self.widget or self.metric, dashboard_statistic=self.statistic,
                                percentiles=self.percentiles, requires=frozenset(self.requires), alarm=alarm)


def _named(rule: names.NameRule, value: str, loc: tuple[Any, ...] = ()) -> str:
    if not rule.pattern.fullmatch(value):
        raise invalid("invalid_name", f"{value!r} is not a valid {rule.noun}", rule.description, loc)
    return value
