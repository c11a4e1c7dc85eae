"""What the plan is made of: plain frozen dataclasses, no jsii.

A :class:`ResourcePlan` holds everything one SageMaker resource gets (alarms, its composite alarm,
its dashboard section), so a renderer can put any subset of resources into any scope (a stack, a
nested stack) and the ids stay the same. ``properties()`` gives CloudFormation property dicts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from ..catalog.model import MetricDefinition

if TYPE_CHECKING:  # pragma: no cover
    from .shards import ShardLayout

Dimensions = tuple[tuple[str, str], ...]

SERIES_METADATA = "cdk_sagemaker_monitoring:ExpectedSeries"
"""Template ``Metadata`` key of a Metrics Insights alarm: :attr:`AlarmPlan.expected_series`."""

TOPIC_PARAMETER = "AlarmTopicArn"
"""The template parameter that stands for the alarm topic's ARN in alarm and OK actions."""

DEFAULT_ACTIONS: tuple[str, ...] = (TOPIC_PARAMETER,)
"""Actions of a severity without ``alarm_actions``: the alarm topic."""


def action_values(actions: tuple[str, ...]) -> list[Any]:
    """CloudFormation values of planned actions: an ARN as written, a parameter name as ``{"Ref": name}``."""
    return [a if a.startswith("arn:") else {"Ref": a} for a in actions]


@dataclass(frozen=True)
class MetricSource:
    """One time series: a metric of a namespace with one set of dimension values."""

    namespace: str
    metric: str
    dimensions: Dimensions

    def cfn(self) -> dict[str, Any]:
        """The ``Metric`` structure of CloudFormation."""
        return {"Namespace": self.namespace, "MetricName": self.metric,
                "Dimensions": [{"Name": k, "Value": v} for k, v in self.dimensions]}


ANOMALY_COMPARISONS = {"lower": "LessThanLowerThreshold", "upper": "GreaterThanUpperThreshold",
                       "both": "LessThanLowerOrGreaterThanUpperThreshold"}
"""The comparison of an anomaly-band alarm for each ``direction``."""


@dataclass(frozen=True)
class AnomalyBand:
    """An anomaly-detection threshold: ``ANOMALY_DETECTION_BAND(m1, band)`` (band: standard deviations).

    CloudWatch trains the model of the watched metric when the alarm is created (no
    ``AWS::CloudWatch::AnomalyDetector`` is needed); it cannot be replayed offline (the model is AWS's)."""

    band: float
    direction: str
    """``lower`` (a drop), ``upper`` (a rise) or ``both``."""

    @property
    def comparison(self) -> str:
        return ANOMALY_COMPARISONS[self.direction]

    @property
    def expression(self) -> str:
        return f"ANOMALY_DETECTION_BAND(m1, {self.band:g})"


@dataclass(frozen=True)
class BurnRate:
    """An SLO burn-rate signal over one window: the error-budget burn rate of one period, as metric math.

    ``bad``/``total`` per series (production variants), summed. Availability: ``bad`` are
    ``Invocation5XXErrors`` sums, ``total`` ``Invocations`` sums. Latency: ``bad`` are ``ModelLatency``
    ``PR(:threshold)`` (percent of requests at or under the threshold), ``total`` its ``SampleCount``.
    The value is ``(bad fraction) / budget``: 1 spends the budget exactly over the SLO window."""

    objective: str
    """``availability`` or ``latency``."""
    bad: tuple[MetricSource, ...]
    total: tuple[MetricSource, ...]
    budget: float
    """The error budget as a fraction (``1 - target``: 0.001 for 99.9 %)."""
    window: str
    """Its window for people (``1h``, ``5m``)."""
    latency_threshold_us: Optional[float] = None
    """Latency objective: a request is good at or under this latency (microseconds, ModelLatency's unit)."""

    @property
    def bad_statistic(self) -> str:
        return "Sum" if self.objective == "availability" else f"PR(:{self.latency_threshold_us:g})"

    @property
    def total_statistic(self) -> str:
        return "Sum" if self.objective == "availability" else "SampleCount"

    def expression(self) -> str:
        n = len(self.total)
        total = "+".join(f"FILL(t{i},0)" for i in range(1, n + 1))
        if self.objective == "availability":
            bad = "+".join(f"FILL(b{i},0)" for i in range(1, n + 1))
        else:  # requests over the threshold: (100 - PR) % of each series' samples
            bad = "+".join(f"(100-FILL(b{i},100))*FILL(t{i},0)/100" for i in range(1, n + 1))
        return f"IF(({total}) > 0, ({bad})/({total}), 0)/{self.budget:g}"

    def metrics(self, period: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for prefix, sources, stat in (("b", self.bad, self.bad_statistic), ("t", self.total, self.total_statistic)):
            out += [{"Id": f"{prefix}{i}", "MetricStat": {"Metric": s.cfn(), "Period": period, "Stat": stat},
                     "ReturnData": False} for i, s in enumerate(sources, start=1)]
        out.append({"Id": "burn", "Expression": self.expression(), "Label": f"burn rate ({self.window})",
                    "ReturnData": True})
        return out


@dataclass(frozen=True)
class AlarmPlan:
    """One CloudWatch alarm, fully decided."""

    id: str
    """Construct id (from the resource name, metric and group: never from a position)."""
    name: str
    description: str
    resource_kind: str
    resource_name: Optional[str]
    """``None`` for fleet alarms (one alarm over every resource of a kind)."""
    row: MetricDefinition
    kind: str
    severity: str
    comparison: str
    threshold: float
    statistic: str
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing_data: str
    sources: tuple[MetricSource, ...] = ()
    """One source: a plain metric alarm; several: ``MAX()`` over them (metric math, at most 10)."""
    query: Optional[str] = None
    """A Metrics Insights query instead of sources (for hosts whose names are not known in advance)."""
    expression: Optional[str] = None
    """Metric math over the sources (``m1``, ``m2``...) instead of ``MAX()`` (the silence guard of training metrics)."""
    guardrail: bool = False
    alarm_actions: tuple[str, ...] = DEFAULT_ACTIONS
    """ARNs and template parameter names (topic objects, the alarm topic) notified on ALARM."""
    ok_actions: tuple[str, ...] = DEFAULT_ACTIONS
    """Notified on OK (empty: no OK notification)."""
    expected_series: Optional[int] = None
    """A Metrics Insights alarm: the series its query matches among the configured resources (it analyzes those and
    any others of the account that match). Written into the template's ``Metadata`` (:data:`SERIES_METADATA`), so
    ``cost`` counts the same from a configuration and from its assembly."""
    anomaly: Optional[AnomalyBand] = None
    """An anomaly-band alarm (one source; ``comparison`` and ``threshold`` are unused: the band is the threshold)."""
    burn: Optional[BurnRate] = None
    """An SLO burn-rate alarm over one window (the value is the burn rate; ``threshold`` the factor)."""

    @property
    def uses_metrics_insights(self) -> bool:
        return self.query is not None

    @property
    def metric_count(self) -> int:
        """Metrics CloudWatch bills this alarm for (an anomaly alarm: three; Metrics Insights: see cost)."""
        if self.anomaly is not None:
            return 3
        if self.burn is not None:
            return len(self.burn.bad) + len(self.burn.total)
        return len(self.sources)

    def properties(self, actions: Optional[list[Any]] = None) -> dict[str, Any]:
        """``AWS::CloudWatch::Alarm`` properties; ``actions`` (alarm and OK actions) replaces the planned ones."""
        props: dict[str, Any] = {
            "AlarmName": self.name,
            "AlarmDescription": self.description,
            "ActionsEnabled": True,
            "AlarmActions": list(actions) if actions is not None else action_values(self.alarm_actions),
            "OKActions": list(actions) if actions is not None else action_values(self.ok_actions),
            "ComparisonOperator": self.comparison,
            "Threshold": self.threshold,
            "EvaluationPeriods": self.evaluation_periods,
            "DatapointsToAlarm": self.datapoints_to_alarm,
            "TreatMissingData": self.treat_missing_data,
        }
        if self.anomaly is not None:
            del props["Threshold"]
            props["ComparisonOperator"] = self.anomaly.comparison
            props["ThresholdMetricId"] = "ad1"
            props["Metrics"] = [
                {"Id": "m1", "MetricStat": {"Metric": self.sources[0].cfn(), "Period": self.period,
                                            "Stat": self.statistic}, "ReturnData": True},
                {"Id": "ad1", "Expression": self.anomaly.expression, "Label": f"{self.row.metric} (expected)",
                 "ReturnData": True},
            ]
        elif self.burn is not None:
            props["Metrics"] = self.burn.metrics(self.period)
        elif self.query is not None:
            props["Metrics"] = [{"Id": "q", "Expression": self.query, "Period": self.period, "ReturnData": True,
                                 "Label": self.row.metric}]
        elif self.expression is not None:
            props["Metrics"] = [
                {"Id": f"m{i}", "MetricStat": {"Metric": s.cfn(), "Period": self.period, "Stat": self.statistic},
                 "ReturnData": False}
                for i, s in enumerate(self.sources, start=1)
            ] + [{"Id": "guard", "Expression": self.expression, "Label": f"{self.row.metric} (silent)", "ReturnData": True}]
        elif len(self.sources) == 1:
            source = self.sources[0]
            props.update(Namespace=source.namespace, MetricName=source.metric,
                         Dimensions=[{"Name": k, "Value": v} for k, v in source.dimensions], Period=self.period)
            if self.statistic.startswith("p"):
                props["ExtendedStatistic"] = self.statistic
            else:
                props["Statistic"] = self.statistic
        else:
            metrics: list[dict[str, Any]] = [
                {"Id": f"m{i}", "MetricStat": {"Metric": s.cfn(), "Period": self.period, "Stat": self.statistic},
                 "ReturnData": False}
                for i, s in enumerate(self.sources, start=1)
            ]
            ids = ",".join(f"m{i}" for i in range(1, len(self.sources) + 1))
            metrics.append({"Id": "worst", "Expression": f"MAX([{ids}])", "Label": f"{self.row.metric} (worst)",
                            "ReturnData": True})
            props["Metrics"] = metrics
        return props


@dataclass(frozen=True)
class CompositePlan:
    """A composite alarm rolling a resource's alarms up (``ALARM(a) OR ALARM(b) ...``)."""

    id: str
    name: str
    description: str
    rule: str
    children: tuple[str, ...]
    severity: str = "Warning"
    """The worst severity of its children: whose actions it notifies."""
    alarm_actions: tuple[str, ...] = DEFAULT_ACTIONS
    ok_actions: tuple[str, ...] = DEFAULT_ACTIONS

    def properties(self, actions: Optional[list[Any]] = None) -> dict[str, Any]:
        alarm = list(actions) if actions is not None else action_values(self.alarm_actions)
        ok = list(actions) if actions is not None else action_values(self.ok_actions)
        return {"AlarmName": self.name, "AlarmDescription": self.description, "AlarmRule": self.rule,
                "ActionsEnabled": True, "AlarmActions": alarm, "OKActions": ok}


@dataclass(frozen=True)
class WidgetPlan:
    """One dashboard widget (before layout): type, size and its ``properties`` as plain JSON data."""

    type: str
    width: int
    height: int
    properties: dict[str, Any]
    metric_count: int = 0
    """Metric entries it adds to the dashboard's count (a SEARCH or math expression counts as one)."""

    def to_json(self, x: int, y: int) -> dict[str, Any]:
        return {"type": self.type, "x": x, "y": y, "width": self.width, "height": self.height,
                "properties": self.properties}


@dataclass(frozen=True)
class SectionPlan:
    """A resource's part of a dashboard: a title row and its widgets."""

    key: str
    title: str
    widgets: tuple[WidgetPlan, ...]

    @property
    def widget_count(self) -> int:
        return len(self.widgets)

    @property
    def metric_count(self) -> int:
        return sum(w.metric_count for w in self.widgets)


@dataclass(frozen=True)
class ResourcePlan:
    """Everything one SageMaker resource gets; render any subset of these into any scope."""

    kind: str
    name: str
    id: str
    field: str
    """Where the resource came from in the configuration (``endpoints[3]``), for errors."""
    alarms: tuple[AlarmPlan, ...]
    composite: Optional[CompositePlan]
    section: SectionPlan
    guardrail_alarm_names: tuple[str, ...] = ()
    slo_composites: tuple[CompositePlan, ...] = ()
    """The SLO burn-rate tiers (``ALARM(long window) AND ALARM(short window)``): their window alarms are in ``alarms``."""

    @property
    def alarm_names(self) -> tuple[str, ...]:
        return (tuple(a.name for a in self.alarms) + tuple(c.name for c in self.slo_composites)
                + ((self.composite.name,) if self.composite else ()))

    @property
    def resource_count(self) -> int:
        """CloudFormation resources it renders into (alarms, SLO tiers and the composite alarm)."""
        return len(self.alarms) + len(self.slo_composites) + (1 if self.composite else 0)


@dataclass(frozen=True)
class DashboardPlan:
    """One dashboard page: laid-out widgets, within CloudWatch's limits."""

    id: str
    name: str
    widgets: tuple[dict[str, Any], ...]
    metric_count: int
    sections: tuple[str, ...] = ()
    """Keys of the resource sections on this page."""

    @property
    def widget_count(self) -> int:
        return len(self.widgets)

    def body(self) -> str:
        """The dashboard body JSON, compact and key-sorted (byte-identical for the same plan).

        It holds ``${AWS::Region}`` (and ``${AWS::Partition}``, ``${AWS::AccountId}`` in alarm ARNs),
        to be rendered with ``Fn::Sub``.
        """
        return json.dumps({"widgets": list(self.widgets)}, separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True)
class MonitoringPlan:
    """The whole plan: per-resource plans, fleet-wide alarms and dashboards."""

    resources: tuple[ResourcePlan, ...]
    fleet_alarms: tuple[AlarmPlan, ...]
    dashboards: tuple[DashboardPlan, ...]
    overview: Optional[DashboardPlan] = None
    layout: Optional["ShardLayout"] = None
    """Nested stacks when the monitoring is sharded (``None``: one stack; see :mod:`.shards`)."""
    parameters: tuple[str, ...] = DEFAULT_ACTIONS
    """Template parameters the alarm templates declare: the alarm topic (when used) and topic objects."""

    @property
    def alarms(self) -> tuple[AlarmPlan, ...]:
        return tuple(a for r in self.resources for a in r.alarms) + self.fleet_alarms

    @property
    def all_dashboards(self) -> tuple[DashboardPlan, ...]:
        return ((self.overview,) if self.overview else ()) + self.dashboards

    def resource(self, kind: str, name: str) -> ResourcePlan:
        for r in self.resources:
            if r.kind == kind and r.name == name:
                return r
        raise KeyError(f"no {kind} named {name!r} in the plan")

    def guardrail_alarm_names(self, endpoint_name: str) -> tuple[str, ...]:
        """Alarm names of ``endpoint_name`` that suit ``AutoRollbackConfiguration`` (at most 10)."""
        return self.resource("endpoint", endpoint_name).guardrail_alarm_names
