"""Does each planned alarm watch something? ``ListMetrics`` for its metric with exactly its dimensions.

An alarm on a namespace or dimension set SageMaker never emits looks like protection and watches
nothing. For every alarm of the plan this check asks CloudWatch whether it lists the alarm's metric
with the alarm's dimension set (the last two weeks): ``ok`` when every series is listed, a warning when
some or none are (a resource that has not run has none yet), and the evidence the metric rests on when
it is weaker than an AWS page. A failed ``ListMetrics`` call is a finding for the alarms it concerns;
the other alarms are still checked.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from ..aws_access import error_code, explain
from ..plan.model import AlarmPlan, MetricSource
from .findings import OK, PROBLEM, UNKNOWN, WARNING, Finding

CHECK = "alarm-metrics"
_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}

Series = frozenset[tuple[str, str]]


def _key(source: MetricSource) -> tuple[str, str, Optional[tuple[str, str]]]:
    """What one ListMetrics call is asked: namespace, metric and (when there is one) the first dimension."""
    return source.namespace, source.metric, (source.dimensions[0] if source.dimensions else None)


def _list(cloudwatch: Any, key: tuple[str, str, Optional[tuple[str, str]]]) -> set[Series]:
    namespace, metric, first = key
    kwargs: dict[str, Any] = {"Namespace": namespace, "MetricName": metric}
    if first is not None:
        kwargs["Dimensions"] = [{"Name": first[0], "Value": first[1]}]
    found: set[Series] = set()
    for page in cloudwatch.get_paginator("list_metrics").paginate(**kwargs):
        for m in page.get("Metrics", ()):
            found.add(frozenset((d["Name"], d["Value"]) for d in m.get("Dimensions", ())))
    return found


def _evidence(alarm: AlarmPlan) -> str:
    row = alarm.row
    return f" Evidence for this metric: {row.confidence} ({row.source.title})." if row.weak_evidence else ""


def check_alarm_metrics(cloudwatch: Any, alarms: Iterable[AlarmPlan]) -> list[Finding]:
    """One finding per alarm: does CloudWatch list its metric with its dimensions?"""
    cache: dict[tuple[str, str, Optional[tuple[str, str]]], set[Series]] = {}
    failed: dict[tuple[str, str, Optional[tuple[str, str]]], str] = {}
    denied: Optional[str] = None
    findings: list[Finding] = []
    for alarm in alarms:
        sources = alarm.sources or (MetricSource(alarm.row.namespace, alarm.row.metric, ()),)
        if denied is not None:
            findings.append(Finding(CHECK, alarm.name, UNKNOWN, f"not checked: {denied}"))
            continue
        listed, errors = 0, []
        for source in sources:
            key = _key(source)
            if key not in cache and key not in failed:
                try:
                    cache[key] = _list(cloudwatch, key)
                except Exception as err:  # noqa: BLE001 - a finding, the rest is checked
                    failed[key] = str(explain(err, "cloudwatch:ListMetrics", f"namespace {source.namespace}"))
                    if error_code(err) in _DENIED:
                        denied = failed[key]
            if key in failed:
                errors.append(failed[key])
                continue
            if alarm.query is not None:  # Metrics Insights: any series of the metric is a contributor
                listed += bool(cache[key])
            elif frozenset(source.dimensions) in cache[key]:
                listed += 1
        findings.append(_finding(alarm, sources, listed, errors))
    return findings


def _finding(alarm: AlarmPlan, sources: tuple[MetricSource, ...], listed: int, errors: list[str]) -> Finding:
    row = alarm.row
    if errors:
        return Finding(CHECK, alarm.name, PROBLEM, f"could not ask CloudWatch: {errors[0]}")
    where = "; ".join(", ".join(f"{k}={v}" for k, v in s.dimensions) or "no dimension" for s in sources[:3])
    if alarm.query is not None:
        if listed:
            return Finding(CHECK, alarm.name, OK, f"{row.namespace} {row.metric} is listed (Metrics Insights)")
        return Finding(CHECK, alarm.name, WARNING, f"CloudWatch lists no {row.metric} in {row.namespace}: the "
                       "alarm has no contributor yet." + _evidence(alarm))
    if listed and row.family.key == "model_monitor_model":  # one series per namespace spelling: one is enough
        return Finding(CHECK, alarm.name, OK, f"{row.metric} listed in {listed} of the {len(sources)} namespace "
                       "spellings Model Monitor may use")
    if listed == len(sources):
        return Finding(CHECK, alarm.name, OK, f"{row.namespace} {row.metric} listed for {len(sources)} series")
    if listed:
        return Finding(CHECK, alarm.name, WARNING, f"{row.namespace} {row.metric} listed for {listed} of "
                       f"{len(sources)} series ({where})." + _evidence(alarm))
    return Finding(CHECK, alarm.name, WARNING, f"CloudWatch lists no {row.metric} in {row.namespace} with {where} "
                   "(last two weeks): this alarm watches nothing yet, or ever if SageMaker does not report it so."
                   + _evidence(alarm))
