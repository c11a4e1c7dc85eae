"""Which time series a resource has for a metric: one per variant, host, operation or step.

This is the only place that knows how SageMaker fills dimensions in (``Host`` is ``<job>/algo-<n>``
for training and processing jobs; transform-job hosts carry instance ids, so they have none here).
Families whose dimension set is not documented have no known series either: they are graphed with
SEARCH over their namespace (:func:`namespace_search`) and never alarmed per resource.
"""

from __future__ import annotations

import re

from ..catalog.custom import SERIES_PLACEHOLDERS, CustomFamily
from ..catalog.model import MetricDefinition
from ..config.resources import ResourceSpec
from ..catalog.namespaces import MODEL_MONITOR_MODEL_SPELLINGS as MODEL_QUALITY_SPELLINGS
from .model import AlarmPlan, MetricSource

#: What one source of a kind is called, for labels and for names of grouped alarms.
SOURCE_NOUNS: dict[str, str] = {
    "endpoint": "variants", "training_job": "hosts", "processing_job": "hosts", "feature_group": "operations",
    "pipeline": "steps", "inference_component": "components", "monitoring_schedule": "spellings",
}


def sources(spec: ResourceSpec, row: MetricDefinition) -> tuple[tuple[str, MetricSource], ...]:
    """``(label, source)`` pairs of ``spec`` for ``row``: empty when the dimensions cannot be known."""
    ns, metric, kind = row.namespace, row.metric, spec.kind  # dispatch on the kind: isinstance is slow on models
    if isinstance(row.family, CustomFamily):
        return custom_sources(spec, row, row.family)
    if row.searched or row.family.instance_level:  # instance ids are unknown: Metrics Insights (or SEARCH) instead
        return ()
    if not row.dimensions:  # account level: one series for the whole account
        return (("account", MetricSource(ns, metric, ())),)
    if kind == "endpoint" and "ContainerName" in row.dimensions:
        return tuple((f"{c} ({v})" if len(spec.variants) > 1 else c,  # type: ignore[attr-defined]
                      MetricSource(ns, metric, (("EndpointName", spec.name), ("VariantName", v), ("ContainerName", c))))
                     for v in spec.variants for c in spec.containers)  # type: ignore[attr-defined]
    if kind == "endpoint":
        if row.dimensions == ("EndpointName",):
            return ((spec.name, MetricSource(ns, metric, (("EndpointName", spec.name),))),)
        return tuple((v, MetricSource(ns, metric, (("EndpointName", spec.name), ("VariantName", v))))
                     for v in spec.variants)  # type: ignore[attr-defined]
    if kind == "inference_component":
        return ((spec.name, MetricSource(ns, metric, (("InferenceComponentName", spec.name),))),)
    if row.dimensions == ("TrainingJobName",):
        return ((spec.name, MetricSource(ns, metric, (("TrainingJobName", spec.name),))),)
    if kind == "hyperpod_cluster":
        return ((spec.name, MetricSource(ns, metric, (("ClusterName", spec.name),))),)
    if kind == "monitoring_schedule":  # the worst of every namespace spelling (the pages disagree)
        endpoint = spec.endpoint  # type: ignore[attr-defined]
        return tuple((spelling, MetricSource(spelling, metric, (("Endpoint", endpoint), ("MonitoringSchedule", spec.name))))
                     for spelling in MODEL_QUALITY_SPELLINGS)
    if kind in ("training_job", "processing_job"):
        return tuple((f"algo-{n}", MetricSource(ns, metric, (("Host", f"{spec.name}/algo-{n}"),)))
                     for n in range(1, spec.instance_count + 1))  # type: ignore[attr-defined]
    if kind == "feature_group":
        return tuple((op, MetricSource(ns, metric, (("FeatureGroupName", spec.name), ("OperationName", op))))
                     for op in spec.operations)  # type: ignore[attr-defined]
    if kind == "pipeline":
        if "StepName" in row.dimensions:
            return tuple((step, MetricSource(ns, metric, (("PipelineName", spec.name), ("StepName", step))))
                         for step in spec.steps)  # type: ignore[attr-defined]
        return ((spec.name, MetricSource(ns, metric, (("PipelineName", spec.name),))),)
    if kind == "labeling_job":
        return ((spec.name, MetricSource(ns, metric, (("LabelingJobName", spec.name),))),)
    return ()  # transform jobs: hosts are <job>/<instance-id>, unknown before the job runs


def configured_series(alarm: AlarmPlan, specs: tuple[ResourceSpec, ...]) -> int:
    """Series of the configured resources a Metrics Insights alarm's query matches: per resource, the time series it
    has of the alarm's metric (variants, hosts, operations, steps); a transform job one per instance; a worst-instance
    alarm one per instance of each variant."""
    total = 0
    for spec in specs:
        if not alarm.row.requires <= spec.features:
            continue
        if spec.kind == "transform_job":
            total += getattr(spec, "instance_count", 1)
        elif alarm.row.family.instance_level:
            total += len(getattr(spec, "variants", ())) * getattr(spec, "instance_count", 1)
        else:
            total += len(sources(spec, alarm.row))
    return total


def series_values(spec: ResourceSpec) -> tuple[str, ...]:
    """The values of the kind's series placeholder: variants, ``<job>/algo-<n>`` hosts, operations, steps."""
    kind = spec.kind
    if kind == "endpoint":
        return tuple(spec.variants)  # type: ignore[attr-defined]
    if kind in ("training_job", "processing_job"):
        return tuple(f"{spec.name}/algo-{n}" for n in range(1, spec.instance_count + 1))  # type: ignore[attr-defined]
    if kind == "feature_group":
        return tuple(spec.operations)  # type: ignore[attr-defined]
    if kind == "pipeline":
        return tuple(spec.steps)  # type: ignore[attr-defined]
    return ()


def custom_sources(spec: ResourceSpec, row: MetricDefinition, family: CustomFamily) -> tuple[tuple[str, MetricSource], ...]:
    """A custom row's series: its dimension templates filled from ``spec`` (one per series value when a
    template holds the kind's series placeholder; none when the resource has no such value, e.g. no steps)."""
    series = SERIES_PLACEHOLDERS.get(spec.kind)
    if series is None or not any("{" + series + "}" in t for _, t in family.templates):
        dims = tuple((k, t.format(name=spec.name)) for k, t in family.templates)
        return ((spec.name, MetricSource(row.namespace, row.metric, dims)),)
    out = []
    for value in series_values(spec):
        dims = tuple((k, t.format(**{"name": spec.name, series: value})) for k, t in family.templates)
        out.append((value.rsplit("/", 1)[-1], MetricSource(row.namespace, row.metric, dims)))
    return tuple(out)


def quoted(name: str) -> str:
    """A namespace or dimension name as SEARCH and Metrics Insights want it (double quotes if not plain)."""
    return name if name.replace("_", "").isalnum() else f'"{name}"'


def search(schema: tuple[str, ...], terms: str, statistic: str, period: int) -> str:
    """``SEARCH('{schema} terms', 'statistic', period)``."""
    return f"SEARCH('{{{','.join(quoted(s) for s in schema)}}} {terms}', '{statistic}', {period})"


def name_tokens(name: str) -> list[str]:
    """The tokens SEARCH matches a dimension value by (``my-job/i-0ab``: ``my``, ``job``, ``i``, ``0ab``)."""
    return [t for t in re.split(r"[^A-Za-z0-9]+", name) if t]


def namespace_search(spec: ResourceSpec, row: MetricDefinition, statistic: str, period: int) -> str:
    """SEARCH over the whole namespace for a metric whose dimension set is not documented.

    Endpoints narrow by their name's tokens (any dimension holding them); a work team's metrics carry no
    team name anyone has seen, so its graph shows every series of the namespace.
    """
    terms = f'Namespace="{row.namespace}" MetricName="{row.metric}"'
    if spec.kind != "workteam":
        terms += "".join(f" {t}" for t in name_tokens(spec.name))
    return f"SEARCH('{terms}', '{statistic}', {period})"


def transform_job_search(spec: ResourceSpec, row: MetricDefinition, statistic: str, period: int) -> str:
    """SEARCH for a transform job's hosts (``<job>/<instance-id>``): every host whose name holds the job's name.

    SEARCH matches dimension values by tokens (``my-job/i-0ab`` has ``my``, ``job``, ``i``, ``0ab``), so
    every token of the job name must match; a job whose name holds all of them (``my-job-2``) shows too,
    and the legend names each host.
    """
    tokens = name_tokens(spec.name)
    terms = f'MetricName="{row.metric}"' + "".join(f" AND Host={t}" for t in tokens)
    return search((row.namespace, "Host"), terms, statistic, period)
