"""The plan of ``ExperimentMetricsStream``: rule pattern, alarms, dashboard and custom-metric count (pure Python).

Sources:
- EventBridge reference, "SageMaker metrics events": CloudTrail delivers SageMaker metrics API calls
  with ``source`` ``aws.metrics-sagemaker``, ``detail-type`` ``AWS API Call via CloudTrail`` and
  ``detail.eventSource`` ``metrics-sagemaker.amazonaws.com``, best effort, when a trail logs them.
- EventBridge ``PutRule``: an event pattern is at most 4,096 characters.
- CloudWatch "Metrics Insights query components and syntax": ``SELECT FUNCTION(metric) FROM
  SCHEMA(namespace, dims) GROUP BY dim ORDER BY FUNCTION() DESC LIMIT n``; namespaces, metric names
  and labels with characters other than letters, digits and ``_`` (or reserved words) in double quotes.
- CloudWatch pricing: every combination of namespace, metric name and dimension values is a custom metric.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..config.stream import StreamAlarm, StreamConfig
from ..errors import ConfigurationError
from ..live.handler import DIMENSION, NON_FINITE
from . import ids

EVENT_SOURCE = "aws.metrics-sagemaker"
DETAIL_TYPE = "AWS API Call via CloudTrail"
API_SOURCE = "metrics-sagemaker.amazonaws.com"
EVENT_NAME = "BatchPutMetrics"
MAX_EVENT_PATTERN_CHARS = 4096
MAX_SERIES = 500
"""A Metrics Insights alarm evaluates at most 500 series (runs); the worst 500 are kept."""
_FUNCTIONS = {"Maximum": "MAX", "Minimum": "MIN", "Average": "AVG", "Sum": "SUM", "SampleCount": "COUNT"}
_SEARCH_STAT = "Maximum"


def custom_metric_count(runs: int, metric_names: int, *, non_finite: bool = True) -> int:
    """Custom metrics a stream creates: one per run and logged metric name, plus a run's ``NonFiniteValues``.

    ``NonFiniteValues`` exists only for runs that logged a non-finite value; ``non_finite=True`` counts it for
    every run (the upper bound). CloudWatch bills each custom metric per month, prorated by the hour.
    """
    if runs < 0 or metric_names < 0:
        raise ValueError("runs and metric_names are counts (>= 0)")
    return runs * (metric_names + (1 if non_finite else 0))


stream_custom_metric_count = custom_metric_count
"""The public name of :func:`custom_metric_count` (package root): what a cost counter reads."""


def mi_quoted(identifier: str) -> str:
    """A namespace, metric or dimension name as a Metrics Insights identifier: always double-quoted."""
    return '"' + identifier.replace("\\", "\\\\").replace('"', '\\"') + '"'


def event_pattern(config: StreamConfig) -> dict[str, Any]:
    """The EventBridge pattern of the ``BatchPutMetrics`` events the stream reads."""
    detail: dict[str, Any] = {"eventSource": [API_SOURCE], "eventName": [EVENT_NAME]}
    params: dict[str, Any] = {}
    if config.trial_component_prefixes:
        params["trialComponentName"] = [{"prefix": p} for p in config.trial_component_prefixes]
    if config.metric_names:
        # metricData is a list of objects: the event matches when any entry has one of the names
        params["metricData"] = {"metricName": list(config.metric_names)}
    if params:
        detail["requestParameters"] = params
    pattern = {"source": [EVENT_SOURCE], "detail-type": [DETAIL_TYPE], "detail": detail}
    size = len(json.dumps(pattern, separators=(",", ":"), ensure_ascii=False))
    if size > MAX_EVENT_PATTERN_CHARS:
        raise ConfigurationError("metric_names", f"make the EventBridge pattern {size} characters long, more than "
                                 f"the {MAX_EVENT_PATTERN_CHARS} EventBridge allows",
                                 fix="list fewer metric names or prefixes, or none (every name)")
    return pattern


@dataclass(frozen=True)
class StreamAlarmPlan:
    """One Metrics Insights alarm over every run of the namespace for one logged metric name."""

    id: str
    name: str
    metric: str
    query: str
    settings: StreamAlarm
    description: str

    def properties(self, actions: list[Any]) -> dict[str, Any]:
        """``AWS::CloudWatch::Alarm`` properties (``actions`` as alarm and OK actions)."""
        s = self.settings
        return {
            "AlarmName": self.name,
            "AlarmDescription": self.description,
            "ActionsEnabled": True,
            "AlarmActions": list(actions),
            "OKActions": list(actions),
            "ComparisonOperator": s.comparison,
            "Threshold": s.threshold,
            "EvaluationPeriods": s.evaluation_periods,
            "DatapointsToAlarm": s.datapoints_to_alarm or s.evaluation_periods,
            # no data = no run logged that metric in the period: nothing is wrong
            "TreatMissingData": "notBreaching",
            "Metrics": [{"Id": "runs", "Expression": self.query, "Period": s.period, "ReturnData": True,
                         "Label": self.metric}],
        }


def alarm_query(namespace: str, metric: str, settings: StreamAlarm) -> str:
    function = _FUNCTIONS[settings.statistic]
    order = "ASC" if settings.comparison.startswith("Less") else "DESC"
    return (f"SELECT {function}({mi_quoted(metric)}) FROM SCHEMA({mi_quoted(namespace)}, {mi_quoted(DIMENSION)}) "
            f"GROUP BY {mi_quoted(DIMENSION)} ORDER BY {function}() {order} LIMIT {MAX_SERIES}")


def plan_alarms(config: StreamConfig, salt: str = "") -> list[StreamAlarmPlan]:
    """The stream's alarms: ``NonFiniteValues`` > 0 by default, then one per configured metric name (sorted)."""
    out = []
    for metric, settings in config.alarmed.items():
        what = ("a run logged a value that is not a finite number (NaN, infinity, null): it diverged"
                if metric == NON_FINITE else
                f"a run's {settings.statistic.lower()} {metric} is {_comparison_words(settings.comparison)} "
                f"{settings.threshold:g}")
        out.append(StreamAlarmPlan(
            id=ids.construct_id("RunsAlarm", metric, salt=salt + config.namespace),
            name=_alarm_name(config.alarm_name_prefix, metric),
            metric=metric,
            query=alarm_query(config.namespace, metric, settings),
            settings=settings,
            description=(f"SageMaker Experiments runs in {config.namespace}: alarms when {what}. Metrics Insights "
                         f"grouped by {DIMENSION}: each run is a contributor (the worst {MAX_SERIES} are evaluated)."),
        ))
    return out


def _alarm_name(prefix: str, metric: str) -> str:
    name = f"{prefix}/ExperimentRuns/{metric}"
    if len(name) <= 255:
        return name
    return f"{name[:246]}-{ids.digest(name)}"


def _comparison_words(comparison: str) -> str:
    return {"GreaterThanThreshold": "above", "GreaterThanOrEqualToThreshold": "at or above",
            "LessThanThreshold": "below", "LessThanOrEqualToThreshold": "at or below"}[comparison]


def _search(namespace: str, metric: str | None, period: int = 60) -> str:
    """``SEARCH`` of one metric name (or every metric but NonFiniteValues) of the namespace, a line per run."""
    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    terms = f"MetricName={q(metric)}" if metric else f"NOT MetricName={q(NON_FINITE)}"
    expression = f"SEARCH('{{{q(namespace)},{DIMENSION}}} {terms}', '{_SEARCH_STAT}', {period})"
    return expression.replace("${", "${!")  # Fn::Sub: a literal ${ in a name


def _graph(title: str, expression: str, x: int, y: int, width: int = 12, height: int = 6) -> dict[str, Any]:
    return {"type": "metric", "x": x, "y": y, "width": width, "height": height, "properties": {
        "title": title.replace("${", "${!"), "region": "${AWS::Region}", "view": "timeSeries", "stacked": False,
        "metrics": [[{"expression": expression, "id": "runs"}]], "period": 60,
        "legend": {"position": "right"},
    }}


def dashboard_body(config: StreamConfig, alarm_arns: list[str]) -> str:
    """The dashboard as JSON for ``Fn::Sub``: ``${AWS::Region}``, ``${FunctionName}``, ``${QueueName}`` and
    ``${Alarm0}``... (the alarm ARNs) are filled in by the renderer.

    A graph per known metric name (``metric_names``, else the alarmed ones, plus one graph of every name),
    a line per run; the non-finite counts; the alarms; the function's errors and the dead-letter queue.
    """
    names = list(config.metric_names or [])
    for metric in config.alarmed:
        if metric != NON_FINITE and metric not in names:
            names.append(metric)
    widgets: list[dict[str, Any]] = [{"type": "text", "x": 0, "y": 0, "width": 24, "height": 2, "properties": {
        "markdown": (f"## Training curves: {config.namespace}\nOne line per run (trial component), from the "
                     "trail's BatchPutMetrics events (CloudTrail -> EventBridge -> Lambda -> EMF). "
                     "Best effort: an event CloudTrail does not deliver is missing here but kept in the trail.")
        .replace("${", "${!")}}]
    graphs = [(name, _search(config.namespace, name)) for name in names]
    if config.metric_names is None:
        graphs.append(("Every logged metric", _search(config.namespace, None)))
    graphs.append((f"{NON_FINITE} (diverged runs)", _search(config.namespace, NON_FINITE)))
    y = 2
    for i, (title, expression) in enumerate(graphs):
        widgets.append(_graph(title, expression, 12 * (i % 2), y + 6 * (i // 2)))
    y += 6 * ((len(graphs) + 1) // 2)
    if alarm_arns:
        widgets.append({"type": "alarm", "x": 0, "y": y, "width": 12, "height": 6, "properties": {
            "title": "Alarms across runs", "alarms": [f"${{Alarm{i}}}" for i in range(len(alarm_arns))]}})
    widgets.append({"type": "metric", "x": 12, "y": y, "width": 12, "height": 6, "properties": {
        "title": "Stream health: function errors, throttles, dead letters", "region": "${AWS::Region}",
        "view": "timeSeries", "stacked": False, "period": 300, "metrics": [
            ["AWS/Lambda", "Errors", "FunctionName", "${FunctionName}", {"stat": "Sum"}],
            ["AWS/Lambda", "Throttles", "FunctionName", "${FunctionName}", {"stat": "Sum"}],
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", "${QueueName}", {"stat": "Maximum"}],
        ]}})
    return json.dumps({"widgets": widgets}, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
