"""Dashboard widgets as plain JSON data: a section per resource, and the SEARCH-based fleet overview.

Rows of a family that share a ``widget`` title share one graph; each line uses the statistic (and
period) of the metric's alarm when it has one, and the alarm's threshold is drawn as an annotation.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional, Sequence

from ..catalog import families as fam
from ..catalog import namespaces as ns
from ..catalog.metrics import CATALOG
from ..catalog.custom import is_custom
from ..catalog.model import MetricDefinition
from ..catalog.units import axis_label
from ..config.resources import EndpointSpec, FeatureGroupSpec, PipelineSpec, ResourceSpec
from . import ids
from .alarms import AlarmSettings, instance_query, settings
from .limits import (
    MAX_ALARMS_PER_ALARM_WIDGET, MAX_METRICS_PER_WIDGET, MAX_SEARCH_EXPRESSION_CHARS, LimitExceeded,
)
from .model import MetricSource, SectionPlan, WidgetPlan
from .sources import name_tokens, namespace_search, search, sources, transform_job_search

REGION = "${AWS::Region}"
"""Placeholder the renderer fills with ``Fn::Sub``."""
DEFAULT_PERIOD = 300
GRAPH_WIDTH, GRAPH_HEIGHT = 8, 6
OVERVIEW_WIDTH = 12
WORST_SHOWN = 10
"""Instances (or GPUs) a worst-instance graph shows."""
MONITOR_PERIOD = 3600
"""Model Monitor schedules run hourly at most: their graphs use hourly periods."""


def _line(source: MetricSource, stat: str, period: int, label: str) -> list[Any]:
    line: list[Any] = [source.namespace, source.metric]
    for key, value in source.dimensions:
        line += [key, value]
    options: dict[str, Any] = {"stat": stat, "label": label}
    if period != DEFAULT_PERIOD:
        options["period"] = period
    line.append(options)
    return line


def _axis(rows: Sequence[MetricDefinition], spec: Optional[ResourceSpec]) -> dict[str, Any]:
    unit = rows[0].unit
    label = axis_label(unit)
    if any(r.metric in ("GPUUtilization", "GPUMemoryUtilization") for r in rows):
        gpus = getattr(spec, "gpu_count", 0) or 1
        label = f"percent, 0-{100 * gpus} ({gpus} GPU{'s' if gpus > 1 else ''})"
    elif any(r.metric == "CPUUtilization" for r in rows):
        label = "percent, 0-100 x cores"
    return {"left": {"label": label, "showUnits": False, "min": 0}}


def _graph(title: str, metrics: list[Any], axis: dict[str, Any], annotations: list[dict[str, Any]],
           count: int) -> WidgetPlan:
    props: dict[str, Any] = {"title": title, "view": "timeSeries", "stacked": False, "region": REGION,
                             "period": DEFAULT_PERIOD, "metrics": metrics, "yAxis": axis}
    if annotations:
        props["annotations"] = {"horizontal": annotations}
    return WidgetPlan("metric", GRAPH_WIDTH, GRAPH_HEIGHT, props, metric_count=count)


def _groups(rows: Iterable[MetricDefinition]) -> list[tuple[str, list[MetricDefinition]]]:
    """Rows grouped by widget title, in catalog order (a family's rows share graphs, families do not)."""
    groups: dict[tuple[str, str], list[MetricDefinition]] = {}
    for row in rows:
        groups.setdefault((row.family.key, row.widget), []).append(row)
    return [(title, members) for (_, title), members in groups.items()]


def _header(spec: ResourceSpec) -> str:
    title = ids.title(spec.kind)
    notes: list[str] = []
    if isinstance(spec, EndpointSpec):
        notes.append("variants " + ", ".join(spec.variants))
        notes += [n for n, on in (("serverless", spec.serverless), ("multi-model", spec.multi_model),
                                  ("asynchronous", spec.asynchronous),
                                  ("provisioned concurrency", spec.provisioned_concurrency)) if on]
        if spec.inference_components:
            notes.append(f"{len(spec.inference_components)} inference components")
    if spec.kind == "workteam":
        notes.append("SEARCH over the namespace: no public source names the team's dimensions")
    if isinstance(spec, EndpointSpec) and spec.enhanced_metrics:
        notes.append(f"enhanced metrics every {spec.metric_publish_frequency} s (worst {WORST_SHOWN} instances, "
                     "Metrics Insights)")
    if isinstance(spec, EndpointSpec) and spec.containers:
        notes.append("containers " + ", ".join(spec.containers))
    if spec.kind == "monitoring_schedule":
        notes.append(f"{spec.type.replace('_', ' ')} of endpoint {spec.endpoint} · SEARCH without a namespace "  # type: ignore[attr-defined]
                     "(AWS spells Model Monitor's namespaces several ways)")
    if isinstance(spec, FeatureGroupSpec):
        notes.append("operations " + ", ".join(spec.operations))
    if isinstance(spec, PipelineSpec) and spec.steps:
        notes.append("steps " + ", ".join(spec.steps))
    if getattr(spec, "instance_count", 1) > 1 and spec.kind != "endpoint":
        notes.append(f"{spec.instance_count} instances")  # type: ignore[attr-defined]
    gpus = getattr(spec, "gpu_count", 0)
    if gpus:
        notes.append(f"{gpus} GPU{'s' if gpus > 1 else ''} per instance")
    return f"### {title} `{spec.name}`" + (" · " + " · ".join(notes) if notes else "")


def section(spec: ResourceSpec, field: str, alarms: Mapping[str, AlarmSettings],
            rows_of_spec: Optional[Sequence[MetricDefinition]] = None,
            parts: Sequence[tuple[ResourceSpec, Mapping[str, AlarmSettings]]] = ()) -> SectionPlan:
    """The dashboard section of one resource: a title and one graph per widget group of its rows, then
    the same for each of its ``parts`` (an endpoint's inference components).

    ``alarms`` maps metric names to the resource's effective alarm settings (for statistic,
    period and threshold annotations); ``rows_of_spec`` are its rows (default: its catalog rows); ``parts``
    pairs each inference component with its effective alarm settings.
    """
    widgets = [WidgetPlan("text", 24, 1, {"markdown": _header(spec)})]
    if spec.kind == "monitoring_schedule":
        widgets += _monitor_graphs(spec)
    widgets += _graphs(spec, field, alarms, rows_of_spec if rows_of_spec is not None else spec.metric_rows())
    for part, part_alarms in parts:
        widgets.append(WidgetPlan("text", 24, 1, {"markdown": _header(part)}))
        widgets += _graphs(part, field, part_alarms, part.metric_rows())
    return SectionPlan(key=f"{spec.kind}/{spec.name}", title=f"{ids.title(spec.kind)} {spec.name}",
                       widgets=tuple(widgets))


def _graphs(spec: ResourceSpec, field: str, alarms: Mapping[str, AlarmSettings],
            rows_of_spec: Sequence[MetricDefinition]) -> list[WidgetPlan]:
    widgets: list[WidgetPlan] = []
    for title, rows in _groups(rows_of_spec):
        lines: list[list[Any]] = []
        annotations: list[dict[str, Any]] = []
        for row in rows:
            # rows the overrides do not reach show their own alarm (worst-instance alarms: the catalog's), if any
            s = alarms.get(row.metric) if row.family.overridable else (
                settings(row, None) if row.family.instance_level and "AcceleratorId" not in row.dimensions else None)
            stat = s.statistic if s else row.dashboard_statistic
            period = s.period if s else DEFAULT_PERIOD
            if s and s.anomaly is None:
                evidence = f" (evidence: {row.confidence})" if row.weak_evidence else ""
                annotations.append({"label": f"{row.metric} {s.severity}: {s.meaning}{evidence}",
                                    "value": s.threshold})
            if row.family.instance_level:  # instance and GPU ids are unknown: the worst ones by Metrics Insights
                frequency = getattr(spec, "metric_publish_frequency", 60)
                key = "InferenceComponentName" if spec.kind == "inference_component" else "EndpointName"
                query = instance_query(row, "MAX", f"{key} = '{spec.name}'", WORST_SHOWN)
                lines.append([{"expression": query, "id": f"q{len(lines) + 1}", "label": row.metric,
                               "period": max(frequency, period if s else frequency)}])
                continue
            if (spec.kind == "transform_job" and not is_custom(row)) or row.searched:
                expression = (namespace_search(spec, row, stat, period) if row.searched
                              else transform_job_search(spec, row, stat, period))
                if len(expression) > MAX_SEARCH_EXPRESSION_CHARS:
                    raise LimitExceeded(f"{field}.name", "the transform job's SEARCH expression is too long",
                                        fix=f"at most {MAX_SEARCH_EXPRESSION_CHARS} characters")
                lines.append([{"expression": expression, "id": f"e{len(lines) + 1}", "label": "", "period": period}])
                continue
            for label, source in sources(spec, row):
                lines.append(_line(source, stat, period, f"{row.metric} {label}"))
                if s and s.anomaly is not None:  # the band the anomaly alarm watches, drawn around its line
                    ident = f"m{len(lines)}"
                    lines[-1][-1]["id"] = ident
                    lines.append([{"expression": f"ANOMALY_DETECTION_BAND({ident}, {s.anomaly.band:g})",
                                   "id": f"ad{len(lines)}", "label": f"{row.metric} {label} expected"}])
        axis = _axis(rows, spec)
        chunks = [lines[i:i + MAX_METRICS_PER_WIDGET] for i in range(0, len(lines), MAX_METRICS_PER_WIDGET)]
        for i, chunk in enumerate(chunks):
            name = title if len(chunks) == 1 else f"{title} ({i + 1}/{len(chunks)})"
            widgets.append(_graph(name, chunk, axis, annotations, len(chunk)))
    return widgets


_MONITOR_SEARCHES: dict[str, tuple[tuple[str, str, str], ...]] = {
    "data_quality": (("Feature drift (baseline distance per feature)", "feature_baseline_drift", "Sum"),
                     ("Feature completeness (non-null values per feature)", "feature_non_null", "Sum")),
    "model_quality": (("Model quality (every metric of the schedule)", "", "Average"),),
    "bias": (("Bias metrics (every metric of the schedule)", "", "Average"),),
    "explainability": (("Feature attribution drift (every metric of the schedule)", "", "Average"),),
}
"""Per schedule type: (title, metric-name prefix, statistic) of its SEARCH graphs. Data-quality names are
``feature_baseline_drift_<feature>`` and ``feature_non_null_<feature>`` (AWS's Model Monitor page); other types'
names depend on the problem type and the analysis, so their graphs show every metric of the schedule."""


def monitor_search(spec: ResourceSpec, prefix: str, statistic: str, period: int = MONITOR_PERIOD) -> str:
    """SEARCH for a schedule's metrics in any namespace: the name prefix's tokens, a schedule dimension under either
    name the pages use (``MonitoringSchedule``, ``ScheduleName``) and the schedule name's tokens."""
    terms = " ".join([*(t for t in prefix.split("_") if t), "(MonitoringSchedule OR ScheduleName)",
                      *name_tokens(spec.name)])
    return f"SEARCH('{terms}', '{statistic}', {period})"


def _monitor_graphs(spec: ResourceSpec) -> list[WidgetPlan]:
    out = []
    for title, prefix, statistic in _MONITOR_SEARCHES[spec.type]:  # type: ignore[attr-defined]
        metrics = [[{"expression": monitor_search(spec, prefix, statistic), "id": "e1", "label": "",
                     "period": MONITOR_PERIOD}]]
        props: dict[str, Any] = {"title": title, "view": "timeSeries", "stacked": False, "region": REGION,
                                 "period": MONITOR_PERIOD, "metrics": metrics,
                                 "yAxis": {"left": {"showUnits": False}}}
        out.append(WidgetPlan("metric", GRAPH_WIDTH, GRAPH_HEIGHT, props, metric_count=1))
    return out


# ----------------------------------------------------------------------------- fleet overview

def _fleet_search(row: MetricDefinition, period: int = DEFAULT_PERIOD) -> str:
    """SEARCH for every series of ``row`` in the account: by its schema where the dimension set is documented
    (a name such as ``Invocations`` is in several families of one namespace); over the namespace when the set is
    open or there is none (so the graph shows whatever SageMaker really emits)."""
    if row.searched or not row.family.dimensions or row.family.instance_level:
        terms = f'Namespace="{row.namespace}" MetricName="{row.metric}"'
        return f"SEARCH('{terms}', '{row.dashboard_statistic}', {period})"
    return search((row.namespace, *row.family.dimensions), f'MetricName="{row.metric}"', row.dashboard_statistic,
                  period)


def _search_graph(title: str, expressions: Sequence[str], label: str,
                  extra_lines: Sequence[list[Any]] = ()) -> WidgetPlan:
    metrics: list[Any] = [[{"expression": e, "id": f"e{i}", "label": ""}] for i, e in enumerate(expressions, 1)]
    metrics += list(extra_lines)
    props = {"title": title, "view": "timeSeries", "stacked": False, "region": REGION, "period": DEFAULT_PERIOD,
             "metrics": metrics, "yAxis": {"left": {"label": label, "showUnits": False, "min": 0}}}
    return WidgetPlan("metric", OVERVIEW_WIDTH, GRAPH_HEIGHT, props, metric_count=len(metrics))


def overview_widgets(composite_alarm_names: Sequence[str]) -> list[WidgetPlan]:
    """The fleet overview: SEARCH graphs of every catalog metric for every resource of the account,
    whatever is configured, one graph per widget group of each family.

    Feature Store batch operations (``OperationName`` only) and account-level pipeline executions
    (no dimension) get their own lines. ``composite_alarm_names`` become alarm-status widgets.
    """
    widgets: list[WidgetPlan] = [WidgetPlan("text", 24, 2, {"markdown": (
        "## SageMaker fleet\nEvery endpoint, inference component, job, feature group, pipeline, labeling job and "
        "work team of this account and region, found by SEARCH (each graph shows at most 500 series).")})]
    for i in range(0, len(composite_alarm_names), MAX_ALARMS_PER_ALARM_WIDGET):
        chunk = composite_alarm_names[i:i + MAX_ALARMS_PER_ALARM_WIDGET]
        arns = [f"arn:${{AWS::Partition}}:cloudwatch:{REGION}:${{AWS::AccountId}}:alarm:{name}" for name in chunk]
        widgets.append(WidgetPlan("alarm", 24, 3, {"title": "Endpoint health (composite alarms)", "alarms": arns,
                                                   "sortBy": "stateUpdatedTimestamp"}))
    for family in fam.FAMILIES:
        for title, rows in _groups(r for r in CATALOG if r.family is family):
            expressions: list[str] = []
            extra: list[list[Any]] = []
            for row in rows:
                expressions.append(_fleet_search(row))
                if family is fam.FEATURE_STORE:  # batch operations carry OperationName only
                    expressions.append(search((ns.FEATURE_STORE, "OperationName"), f'MetricName="{row.metric}"',
                                              row.dashboard_statistic, DEFAULT_PERIOD))
                if family is fam.PIPELINE_EXECUTION:  # account-level executions: no dimension at all
                    extra.append([row.namespace, row.metric,
                                  {"stat": row.dashboard_statistic, "label": f"{row.metric} (all pipelines)"}])
            widgets.append(_search_graph(f"{family.title}: {title}", expressions, axis_label(rows[0].unit), extra))
    return widgets
