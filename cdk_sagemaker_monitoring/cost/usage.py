"""What will be billed, counted (from templates or from the plan) before any price is applied."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

from .prices import MAX_METRICS_PER_INSIGHTS_QUERY

#: Below this period (seconds) an alarm is high-resolution (CloudWatch pricing page).
HIGH_RESOLUTION_BELOW = 60


@dataclass
class Usage:
    """The billable quantities of one assembly or plan; ``where`` says what was counted."""

    where: str
    alarm_metrics: int = 0
    high_resolution_alarm_metrics: int = 0
    composite_alarms: int = 0
    metrics_insights_alarms: int = 0
    metrics_insights_series: list[int] = field(default_factory=list)
    """Series each Metrics Insights alarm analyzes (``None`` entries are not allowed: the caller decides)."""
    series_basis: str = ""
    anomaly_detection_alarms: int = 0
    dashboards: int = 0
    dashboard_metrics: list[int] = field(default_factory=list)
    """Metrics each dashboard references (the free tier covers dashboards of at most 50; -1: unknown)."""
    data_event_trails: int = 0
    """Trails that deliver data events (each delivery is billed)."""
    custom_metrics: int = 0
    custom_metrics_basis: str = ""
    templates: int = 0
    event_rules: int = 0
    """EventBridge rules on SageMaker's own events (``source`` ``aws.sagemaker``, default bus): AWS service events
    are delivered to the default bus at no charge (EventBridge pricing page)."""
    event_queues: int = 0
    """Dead-letter queues of those rules' targets (SQS bills requests: only undelivered notifications)."""
    event_archives: int = 0
    """CloudWatch Logs groups archiving those events (ingestion by the GB: a failure event is a few KB)."""

    @property
    def metrics_insights_alarm_metrics(self) -> int:
        return sum(min(s, MAX_METRICS_PER_INSIGHTS_QUERY) for s in self.metrics_insights_series)

    def add_alarm(self, properties: dict[str, Any], series: Optional[int]) -> None:
        """Count one ``AWS::CloudWatch::Alarm`` by its CloudFormation properties.

        A plain alarm is one metric; a metric-math alarm one per ``MetricStat`` it reads (each at its
        own period); a Metrics Insights alarm the ``series`` its query analyzes; an alarm with
        ``ThresholdMetricId`` is an anomaly-detection alarm (three metrics)."""
        metrics = properties.get("Metrics")
        if not isinstance(metrics, list):
            self._metric(properties.get("Period"))
            return
        stats = [m for m in metrics if isinstance(m, dict) and isinstance(m.get("MetricStat"), dict)]
        if properties.get("ThresholdMetricId"):
            period = _int(stats[0]["MetricStat"].get("Period")) if stats else None
            if period is not None and period < HIGH_RESOLUTION_BELOW:
                self.high_resolution_alarm_metrics += 3
            else:
                self.anomaly_detection_alarms += 1
            return
        if any(is_insights_query(m.get("Expression")) for m in metrics if isinstance(m, dict)):
            self.metrics_insights_alarms += 1
            self.metrics_insights_series.append(series if series is not None else 0)
        for stat in stats:
            self._metric(stat["MetricStat"].get("Period"))

    def add_metric(self, period: Optional[int], count: int = 1) -> None:
        """``count`` alarm metrics at ``period`` seconds."""
        for _ in range(count):
            self._metric(period)

    def _metric(self, period: Any) -> None:
        value = _int(period)
        if value is not None and value < HIGH_RESOLUTION_BELOW:
            self.high_resolution_alarm_metrics += 1
        else:
            self.alarm_metrics += 1

    def add_dashboard(self, widgets: Optional[Iterable[Any]]) -> None:
        """One dashboard with these widgets (``None``: its body is not a literal, so its metrics are unknown)."""
        self.dashboards += 1
        self.dashboard_metrics.append(-1 if widgets is None else dashboard_metric_count(widgets))


def is_insights_query(expression: Any) -> bool:
    """Whether a ``Metrics`` entry's expression is a Metrics Insights query (``SELECT ...``)."""
    return isinstance(expression, str) and expression.lstrip().upper().startswith("SELECT")


def dashboard_metric_count(widgets: Iterable[Any]) -> int:
    """Metrics a dashboard references: the entries of its metric widgets' ``metrics`` arrays."""
    count = 0
    for widget in widgets:
        if isinstance(widget, dict) and widget.get("type") == "metric":
            metrics = widget.get("properties", {}).get("metrics", [])
            count += len(metrics) if isinstance(metrics, list) else 0
    return count


def _int(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
