"""The shape of a catalog row: one documented metric, and its default alarm if it has one.

Rows are data (frozen dataclasses); everything that decides *what* is watched reads them.
Thresholds are in the metric's own unit (``ModelLatency`` in microseconds, pipeline durations in
milliseconds); ``meaning`` repeats the threshold for people ("1 s") and a test checks both agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Optional

from .evidence import WEAK, Confidence, Source
from .units import Ceiling, ValueRange, value_range

AlarmKind = Literal["error", "latency", "saturation", "failure", "throughput", "quality"]
Severity = Literal["Warning", "Critical"]
Comparison = Literal[
    "GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
]
TreatMissingData = Literal["breaching", "notBreaching", "ignore", "missing"]
Unit = Literal["None", "Count", "Microseconds", "Milliseconds", "Seconds", "Percent"]
Feature = Literal["provisioned", "serverless", "synchronous", "asynchronous", "realtime", "multi_model", "gpu",
                  "provisioned_concurrency", "inference_components", "enhanced_metrics", "multi_container",
                  "scale_to_zero"]
"""What decides whether a resource reports a metric. Endpoints: ``provisioned`` (instances: real-time or
asynchronous), ``serverless``, ``synchronous`` (real-time or serverless), ``asynchronous``, ``realtime``
(provisioned and synchronous), ``multi_model``, ``gpu``, ``provisioned_concurrency`` (serverless with
provisioned concurrency), ``inference_components`` (hosts inference components), ``enhanced_metrics``
(``MetricsConfig.EnableEnhancedMetrics``: per-instance and per-GPU series), ``multi_container`` (direct
invocation of named containers). Inference components: ``scale_to_zero`` (may have no instance)."""

#: CloudWatch's statistic names (the spec's "Min", "Sample Count" are "Minimum", "SampleCount").
STATISTICS: tuple[str, ...] = ("Average", "Sum", "Minimum", "Maximum", "SampleCount")

SEVERITIES: tuple[Severity, ...] = ("Warning", "Critical")
COMPARISONS: tuple[Comparison, ...] = (
    "GreaterThanThreshold", "GreaterThanOrEqualToThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
)
TREAT_MISSING_DATA: tuple[TreatMissingData, ...] = ("breaching", "notBreaching", "ignore", "missing")


@dataclass(frozen=True)
class AlarmDefault:
    """The alarm a metric gets unless a resource's ``alarms`` overrides or disables it.

    ``threshold`` is in the metric's unit; with ``scales_with="gpu"`` it is per GPU and the plan
    multiplies it by the resource's GPUs per instance (utilization is percent times GPUs).
    ``treat_missing_data`` ``None`` takes the kind's policy (:data:`~.kinds.KINDS`).
    """

    kind: AlarmKind
    comparison: Comparison
    threshold: float
    meaning: str
    statistic: str
    severity: Severity
    period: int = 60
    evaluation_periods: int = 5
    datapoints_to_alarm: int = 3
    treat_missing_data: Optional[TreatMissingData] = None
    scales_with: Optional[Literal["gpu"]] = None


@dataclass(frozen=True)
class Family:
    """A metric family: where its metrics live and which resource list of the construct watches it."""

    key: str
    title: str
    group: str
    """The spec's grouping (``Ground Truth`` holds two families: labeling jobs and work teams)."""
    resource: str
    """The resource kind (``endpoint``, ``training_job``, ...) whose specs get these metrics."""
    namespace: str
    dimensions: tuple[str, ...]
    """The dimension set SageMaker reports the family's metrics with (``()``: account level, no dimension)."""
    dimensions_documented: bool = True
    """``False`` when no public source settles the dimension set: the family is graphed with SEARCH over
    its namespace and never alarmed per resource on a guessed set."""
    instance_level: bool = False
    """One series per instance (``InstanceId``) or GPU (``AcceleratorId``), whose ids nobody knows before the
    endpoint runs: graphed with Metrics Insights (worst first, grouped by those dimensions only, so the rest of
    the set need not be known) and alarmed by fleet Metrics Insights alarms, never per resource."""
    overridable: bool = True
    """Whether a resource's ``alarms`` (keyed by metric name) apply to its rows: ``False`` for families whose
    metric names repeat another family's of the same resource (``Invocations`` per container)."""


@dataclass(frozen=True)
class MetricDefinition:
    """One documented metric of one family, with the source of its facts."""

    family: Family
    metric: str
    unit: Unit
    statistics: tuple[str, ...]
    """Statistics the documentation calls valid, in CloudWatch's names."""
    description: str
    source: Source
    """Where the namespace, dimension set, metric name, unit and statistics come from."""
    confidence: Confidence
    """How sure those facts are (``aws-doc`` strongest; see :mod:`~.evidence`)."""
    widget: str
    """Title of the dashboard widget the metric is drawn in (rows of a family sharing it share a graph)."""
    dashboard_statistic: str
    percentiles: bool = False
    """The documentation also allows percentiles (``p99``)."""
    requires: frozenset[Feature] = field(default_factory=frozenset)
    """Only resources with all these features have the metric (``multi_model``, ``gpu``, ``serverless``...)."""
    alarm: Optional[AlarmDefault] = None
    ceiling: Optional[Ceiling] = None
    """The most one datapoint can be (:data:`~.units.SHARE` for 0/1-per-request metrics,
    :data:`~.units.PERCENT` for shares of a whole); ``None``: no upper bound known (CPU utilization is
    percent times the cores, counts and durations have none)."""

    def value_range(self, statistic: str, gpus: int = 1) -> ValueRange:
        """The values ``statistic`` of this metric can take (from its unit and ceiling)."""
        return value_range(self.unit, statistic, self.ceiling, gpus)

    @property
    def namespace(self) -> str:
        return self.family.namespace

    @property
    def dimensions(self) -> tuple[str, ...]:
        return self.family.dimensions

    @property
    def weak_evidence(self) -> bool:
        """Its facts rest on evidence weaker than an AWS page."""
        return self.confidence in WEAK

    @property
    def searched(self) -> bool:
        """Graphed with SEARCH over the namespace (its family's dimension set is not documented)."""
        return not self.family.dimensions_documented

    @property
    def key(self) -> tuple[str, str]:
        """(family key, metric name): unique in the catalog."""
        return (self.family.key, self.metric)

    def allows(self, statistic: str) -> bool:
        """Whether ``statistic`` (``Average`` or a percentile such as ``p99``) is valid for this metric."""
        if statistic in self.statistics:
            return True
        return self.percentiles and _is_percentile(statistic)


def _is_percentile(statistic: str) -> bool:
    if not statistic.startswith("p") or len(statistic) < 2:
        return False
    try:
        value = float(statistic[1:])
    except ValueError:
        return False
    return 0 < value <= 100
