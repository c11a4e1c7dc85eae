"""``cloudwatch.Metric`` objects for users' own widgets and alarms, from a planned :class:`SeriesChoice`."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch

from ..plan.lookup import SeriesChoice
from ..plan.model import MetricSource

__all__ = ["metric_object"]


def _metric(source: MetricSource, choice: SeriesChoice, label: str) -> cloudwatch.Metric:
    return cloudwatch.Metric(namespace=source.namespace, metric_name=source.metric,
                             dimensions_map=dict(source.dimensions), statistic=choice.statistic,
                             period=cdk.Duration.seconds(choice.period), label=label)


def metric_object(choice: SeriesChoice) -> cloudwatch.IMetric:
    """One series: a ``Metric``; several: ``MAX()`` over them; no known series: the ``SEARCH`` expression."""
    period = cdk.Duration.seconds(choice.period)
    metric = choice.row.metric
    if choice.search is not None:
        return cloudwatch.MathExpression(expression=choice.search, using_metrics={}, period=period,
                                         label=f"{metric} {choice.resource.name}")
    if len(choice.series) == 1:
        label, source = choice.series[0]
        return _metric(source, choice, f"{metric} {label}")
    using = {f"m{i}": _metric(source, choice, f"{metric} {label}")
             for i, (label, source) in enumerate(choice.series, start=1)}
    return cloudwatch.MathExpression(expression=f"MAX([{','.join(using)}])", using_metrics=using, period=period,
                                     label=f"{metric} {choice.resource.name} (worst)")
