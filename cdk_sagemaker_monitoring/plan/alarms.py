"""Alarms: the catalog's default merged with a resource's override, then one alarm per group of sources.

An alarm over several time series (variants, hosts, operations, steps) uses metric math ``MAX()``
over at most :data:`~.limits.MAX_METRICS_PER_MATH_ALARM` of them: "the worst one crossed the line".
Transform-job hosts are unknown before a job runs and SEARCH cannot back an alarm, so transform
jobs share fleet alarms on Metrics Insights queries.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Mapping, Optional, Sequence

from ..catalog.kinds import KINDS
from ..catalog.metrics import rows_of_kind
from ..catalog.model import AlarmKind, MetricDefinition
from ..catalog.units import humanize
from ..config.custom_metrics import implied_kind
from ..config.resources import AlarmOverride, ResourceSpec
from ..errors import ConfigurationError
from . import ids
from .limits import MAX_ALARM_DESCRIPTION_CHARS, MAX_METRICS_PER_MATH_ALARM
from .actions import DEFAULT_ROUTES, Route
from .model import ANOMALY_COMPARISONS, AlarmPlan, AnomalyBand, MetricSource
from .sources import SOURCE_NOUNS, quoted

_OPERATORS = {"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=", "LessThanThreshold": "<",
              "LessThanOrEqualToThreshold": "<="}


@dataclass(frozen=True)
class AlarmSettings:
    """A metric's alarm on one resource after overrides: what every alarm built from it shares."""

    kind: str
    severity: str
    comparison: str
    threshold: float
    statistic: str
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing_data: str
    meaning: str
    """The threshold for people (``1 s``, ``360 % (90 % per GPU x 4 GPUs)``)."""
    runbook_url: Optional[str] = None
    """The override's runbook, if it has one (the resource's and the top-level one come later)."""
    anomaly: Optional[AnomalyBand] = None
    """An anomaly band instead of the threshold (``comparison`` is then the band's)."""




_NO_OVERRIDE = AlarmOverride()


def override_of(spec: ResourceSpec, row: MetricDefinition) -> Optional[AlarmOverride]:
    """``spec``'s ``alarms`` entry for ``row``: none for rows of families the overrides do not reach (metric names
    repeated per container or per instance)."""
    return spec.alarms.get(row.metric) if row.family.overridable else None


@lru_cache(maxsize=4096)
def settings(row: MetricDefinition, override: Optional[AlarmOverride], gpu_count: int = 0) -> Optional[AlarmSettings]:
    """The effective alarm of ``row`` on a resource, or ``None`` when it has none (or it is disabled).

    A default threshold marked ``scales_with="gpu"`` is per GPU and multiplied by ``gpu_count``; a
    threshold given in an override is taken as written (in the metric's unit).
    """
    if override is not None and not override.enabled:
        return None
    default = row.alarm
    if default is None and (override is None or (override.threshold is None and override.anomaly is None)):
        return None
    o = override or _NO_OVERRIDE
    kind: AlarmKind
    base: dict[str, Any]
    if default is not None:
        threshold = default.threshold * (max(gpu_count, 1) if default.scales_with == "gpu" else 1)
        kind = default.kind
        base = dict(severity=default.severity, comparison=default.comparison, statistic=default.statistic,
                    period=default.period, evaluation_periods=default.evaluation_periods,
                    datapoints_to_alarm=default.datapoints_to_alarm,
                    treat_missing_data=default.treat_missing_data or KINDS[kind].treat_missing_data)
    else:
        threshold = 0.0
        kind = implied_kind(row.unit)  # an alarm a user adds on a metric without a default one
        base = dict(severity="Warning", comparison="GreaterThanThreshold", statistic=row.dashboard_statistic,
                    period=300, evaluation_periods=3, datapoints_to_alarm=3,
                    treat_missing_data=KINDS[kind].treat_missing_data)
    anomaly = None
    if o.anomaly is not None:
        anomaly = AnomalyBand(band=float(o.anomaly.band), direction=o.anomaly.direction)
        threshold = 0.0
        side = {"lower": "under", "upper": "over", "both": "outside"}[anomaly.direction]
        meaning = f"{side} its expected band ({anomaly.band:g} standard deviations, CloudWatch anomaly detection)"
        if default is None:
            base["severity"] = "Warning"
        base["comparison"] = anomaly.comparison
    elif o.threshold is not None:
        threshold = o.threshold
        meaning = humanize(threshold, row.unit)
    elif default is not None and default.scales_with == "gpu" and gpu_count > 1:
        meaning = f"{humanize(threshold, row.unit)} ({default.meaning} x {gpu_count} GPUs)"
    else:
        meaning = default.meaning if default is not None else humanize(threshold, row.unit)
    if anomaly is not None and anomaly.direction == "lower":
        base["treat_missing_data"] = "breaching"  # no data at all is the deepest drop (a metric stops when traffic does)
    merged: dict[str, Any] = {k: (getattr(o, k) if getattr(o, k) is not None else v) for k, v in base.items()}
    evaluation = merged["evaluation_periods"]
    if o.evaluation_periods is not None and o.datapoints_to_alarm is None:
        merged["datapoints_to_alarm"] = min(merged["datapoints_to_alarm"], evaluation)
    if merged["datapoints_to_alarm"] > evaluation:
        merged["evaluation_periods"] = merged["datapoints_to_alarm"]
    return AlarmSettings(kind=kind, threshold=float(threshold), meaning=meaning, runbook_url=o.runbook_url,
                         anomaly=anomaly, **merged)


BUILT_IN_ANOMALIES: dict[str, AnomalyBand] = {
    "Invocations": AnomalyBand(band=2, direction="lower"),
    "ModelLatency": AnomalyBand(band=2, direction="upper"),
}
"""``anomaly_alarms: true``: a traffic drop and a latency drift per endpoint (band of 2 standard deviations)."""


def built_in_anomaly(row: MetricDefinition, s: Optional[AlarmSettings]) -> Optional[AlarmSettings]:
    """The anomaly alarm ``anomaly_alarms`` adds for ``row`` beside its static one (``None``: none, or the
    override already makes it an anomaly alarm)."""
    band = BUILT_IN_ANOMALIES.get(row.metric)
    if band is None or (s is not None and s.anomaly is not None):
        return None
    kind = s.kind if s is not None else implied_kind(row.unit)
    side = {"lower": "under", "upper": "over", "both": "outside"}[band.direction]
    return AlarmSettings(kind=kind, severity="Warning", comparison=band.comparison, threshold=0.0,
                         statistic=row.dashboard_statistic if row.metric == "Invocations" else "Average",
                         period=300, evaluation_periods=3, datapoints_to_alarm=3,
                         treat_missing_data="breaching" if band.direction == "lower" else "missing",
                         meaning=f"{side} its expected band ({band.band:g} standard deviations, CloudWatch anomaly "
                                 "detection)", anomaly=band)


def describe(subject: str, row: MetricDefinition, s: AlarmSettings, extra: str = "", runbook_url: Optional[str] = None) -> str:
    """A one-paragraph alarm description people can act on, ending with the runbook link (never cut off)."""
    op = "is" if s.comparison in ANOMALY_COMPARISONS.values() else _OPERATORS[s.comparison]
    text = (f"{subject}: {row.metric} ({s.statistic}) {op} {s.meaning}"
            f" for {s.datapoints_to_alarm} of {s.evaluation_periods} periods of {s.period} s. "
            f"{row.description}. {s.severity}, {s.kind}.{(' ' + extra) if extra else ''}")
    return with_runbook(text, runbook_url)


def with_runbook(text: str, runbook_url: Optional[str]) -> str:
    """``text`` and `` Runbook: <url>``, within CloudWatch's description limit (the text is shortened, not the link)."""
    tail = f" Runbook: {runbook_url}" if runbook_url else ""
    room = MAX_ALARM_DESCRIPTION_CHARS - len(tail)
    return (text if len(text) <= room else text[:room - 1] + "…") + tail


def resource_alarms(spec: ResourceSpec, prefix: str, row: MetricDefinition, s: AlarmSettings,
                    labelled: Sequence[tuple[str, MetricSource]], *, routes: Mapping[str, Route] = DEFAULT_ROUTES,
                    runbook_url: Optional[str] = None) -> list[AlarmPlan]:
    """Alarms of one metric of one resource: one per group of at most 10 time series.

    ``routes``: actions per severity; ``runbook_url``: the resource's (or top-level) runbook, unless the
    override has its own."""
    if not labelled:
        return []
    route = routes[s.severity]
    runbook = s.runbook_url or runbook_url
    title = ids.title(spec.kind)
    if s.anomaly is not None:  # the band is learnt per time series: one alarm per series
        return [AlarmPlan(
            id=ids.construct_id("Anomaly", spec.kind, spec.name, row.metric, *((label,) if len(labelled) > 1 else ()),
                                salt=prefix),
            name=ids.alarm_name(prefix, spec.kind, spec.name, row.metric, s.severity,
                                *((label,) if len(labelled) > 1 else ()), "Anomaly"),
            description=describe(f"{title} {spec.name}", row, s, " ".join(
                p for p in (f"Watches {label}.", evidence_note(row)) if p), runbook),
            resource_kind=spec.kind, resource_name=spec.name, row=row, kind=s.kind, severity=s.severity,
            comparison=s.comparison, threshold=0.0, statistic=s.statistic, period=s.period,
            evaluation_periods=s.evaluation_periods, datapoints_to_alarm=s.datapoints_to_alarm,
            treat_missing_data=s.treat_missing_data, sources=(source,), anomaly=s.anomaly,
            guardrail=False, alarm_actions=route.alarm, ok_actions=route.ok,
        ) for label, source in labelled]
    chunks = [labelled[i:i + MAX_METRICS_PER_MATH_ALARM] for i in range(0, len(labelled), MAX_METRICS_PER_MATH_ALARM)]
    out = []
    for i, chunk in enumerate(chunks):
        extra: tuple[str, ...] = ()
        if len(chunks) > 1:
            noun = SOURCE_NOUNS.get(spec.kind, "series")
            first, last = i * MAX_METRICS_PER_MATH_ALARM + 1, i * MAX_METRICS_PER_MATH_ALARM + len(chunk)
            extra = (f"{noun}-{first}-{last}",)
        labels = ", ".join(label for label, _ in chunk)
        watched = f"worst of {labels}" if len(chunk) > 1 else labels
        out.append(AlarmPlan(
            id=ids.construct_id("Alarm", spec.kind, spec.name, row.metric, *extra, salt=prefix),
            name=ids.alarm_name(prefix, spec.kind, spec.name, row.metric, s.severity, *extra),
            description=describe(f"{title} {spec.name}", row, s, " ".join(
                p for p in (f"Watches {watched}.", evidence_note(row)) if p), runbook),
            resource_kind=spec.kind, resource_name=spec.name, row=row, kind=s.kind, severity=s.severity,
            comparison=s.comparison, threshold=s.threshold, statistic=s.statistic, period=s.period,
            evaluation_periods=s.evaluation_periods, datapoints_to_alarm=s.datapoints_to_alarm,
            treat_missing_data=s.treat_missing_data, sources=tuple(src for _, src in chunk),
            guardrail=spec.kind == "endpoint" and KINDS[s.kind].guardrail,  # type: ignore[index]
            alarm_actions=route.alarm, ok_actions=route.ok,
        ))
    return out


_MI_FUNCTIONS = {"Average": "AVG", "Maximum": "MAX", "Minimum": "MIN", "Sum": "SUM", "SampleCount": "COUNT"}

FLEET_RESOURCE_NAME = "_fleet"
"""Stands for the resource in fleet alarm names: no SageMaker name starts with ``_``, so no per-resource
alarm can have the same name (transform jobs keep their ``AllJobs``)."""
MAX_FLEET_SERIES = 500
"""A Metrics Insights alarm evaluates at most 500 series (more: PARTIAL_DATA); the worst 500 are kept."""
ACCOUNT_RESOURCE_NAME = "_account"
"""Stands for the resource in names of account-level alarms (metrics SageMaker reports without dimensions)."""


def fleet_query(row: MetricDefinition, function: str, comparison: str) -> str:
    """Metrics Insights query of a fleet alarm: one series per resource (the contributors), worst first."""
    dimensions = row.family.dimensions
    source = f"SCHEMA({', '.join(quoted(d) for d in (row.namespace, *dimensions))})"
    order = "ASC" if comparison.startswith("Less") else "DESC"
    return (f"SELECT {function}({row.metric}) FROM {source} GROUP BY {quoted(dimensions[0])} "
            f"ORDER BY {function}() {order} LIMIT {MAX_FLEET_SERIES}")


def fleet_alarms(specs: Sequence[tuple[str, ResourceSpec]], prefix: str,
                 kind: str = "transform_job", *, rows: Optional[Sequence[MetricDefinition]] = None,
                 routes: Mapping[str, Route] = DEFAULT_ROUTES, runbook_url: Optional[str] = None) -> list[AlarmPlan]:
    """One Metrics Insights alarm per alarmed metric over every resource of ``kind`` in the account and region.

    Each resource (endpoint, feature group, pipeline...; for transform jobs each host, ``<job>/<instance-id>``)
    is a contributor of the alarm. Overrides must agree across the listed
    resources (there is one alarm for all of them). ``rows``: the kind's rows (default the catalog's);
    ``runbook_url``: the top-level runbook, unless the overrides have their own.
    """
    if not specs:
        return []
    out = []
    noun = kind.replace("_", " ")
    for row in (rows if rows is not None else rows_of_kind(kind)):
        if row.searched or not row.family.dimensions or row.family.instance_level:
            continue  # no documented set to group by; account alarms and worst-instance alarms apart
        chosen: Optional[AlarmSettings] = None
        first_field = ""
        for field, spec in specs:
            if not row.requires <= spec.features:
                continue
            s = settings(row, override_of(spec, row), getattr(spec, "gpu_count", 0))
            if not first_field:
                chosen, first_field = s, field
            elif s != chosen:
                reason = ("their hosts are unknown until a job runs, and SEARCH cannot back an alarm"
                          if kind == "transform_job" else f"{noun}s in fleet alarm mode share one alarm per metric")
                raise ConfigurationError(
                    f"{field}.alarms.{row.metric}",
                    f"differs from {first_field}: {reason}",
                    fix=f"give every {noun} the same {row.metric} alarm settings"
                        + ("" if kind == "transform_job" else f", or alarm_mode per_resource for {noun}s"))
        if chosen is None:
            continue
        if chosen.anomaly is not None:
            raise ConfigurationError(
                f"{first_field}.alarms.{row.metric}.anomaly",
                "an anomaly band cannot watch a Metrics Insights query that groups many series (each resource "
                "would need a model of its own), and fleet alarms are such queries",
                fix=f"use alarm_mode per_resource for {noun}s, or a static threshold")
        function = _MI_FUNCTIONS.get(chosen.statistic)
        if function is None:
            raise ConfigurationError(f"{first_field}.alarms.{row.metric}.statistic",
                                     f"{chosen.statistic!r} cannot be used in a Metrics Insights query",
                                     fix="use Average, Maximum, Minimum, Sum or SampleCount")
        query = fleet_query(row, function, chosen.comparison)
        if kind == "transform_job":
            jobs = ", ".join(spec.name for _, spec in specs)
            name = ids.alarm_name(prefix, kind, "AllJobs", row.metric, chosen.severity)
            description = describe("Transform jobs (every host of the account)", row, chosen,
                                   f"Metrics Insights over all transform-job hosts; configured jobs: {jobs}.",
                                   chosen.runbook_url or runbook_url)
        else:
            by = row.family.dimensions[0]
            name = ids.alarm_name(prefix, kind, FLEET_RESOURCE_NAME, row.metric, chosen.severity)
            description = describe(f"Every {noun} of the account and region", row, chosen,
                                   f"Metrics Insights grouped by {by}: each {by} is a contributor (the worst "
                                   f"{MAX_FLEET_SERIES} are evaluated), configured or not.",
                                   chosen.runbook_url or runbook_url)
        out.append(AlarmPlan(
            id=ids.construct_id("FleetAlarm", kind, row.metric, salt=prefix),
            name=name, description=description,
            resource_kind=kind, resource_name=None, row=row, kind=chosen.kind, severity=chosen.severity,
            comparison=chosen.comparison, threshold=chosen.threshold, statistic=chosen.statistic,
            period=chosen.period, evaluation_periods=chosen.evaluation_periods,
            datapoints_to_alarm=chosen.datapoints_to_alarm, treat_missing_data=chosen.treat_missing_data,
            query=query, alarm_actions=routes[chosen.severity].alarm, ok_actions=routes[chosen.severity].ok,
        ))
    return out


WORST_INSTANCES = 500
"""Contributors a worst-instance alarm evaluates (Metrics Insights' limit for an alarm)."""


def instance_query(row: MetricDefinition, function: str, where: str = "", limit: int = WORST_INSTANCES) -> str:
    """Metrics Insights query of the worst instances (or GPUs) of an instance-level row: grouped by the dimensions
    the enhanced-metrics page names (``InstanceId``, ``AcceleratorId``) over the whole namespace, so the rest of the
    dimension set need not be known."""
    keys = [d for d in row.family.dimensions
            if d in ("EndpointName", "InferenceComponentName", "InstanceId", "AcceleratorId", "ContainerId")]
    if where:
        keys = [k for k in keys if k not in ("EndpointName", "InferenceComponentName")]
    return (f"SELECT {function}({row.metric}) FROM {quoted(row.namespace)}{(' WHERE ' + where) if where else ''} "
            f"GROUP BY {', '.join(keys)} ORDER BY {function}() DESC LIMIT {limit}")


def worst_instance_alarms(specs: Sequence[tuple[str, ResourceSpec]], prefix: str, *,
                          routes: Mapping[str, Route] = DEFAULT_ROUTES, runbook_url: Optional[str] = None
                          ) -> list[AlarmPlan]:
    """One Metrics Insights alarm per alarmed instance-level metric over every endpoint with enhanced metrics,
    each (endpoint, instance) a contributor: the worst instance crosses the line, not the fleet average.

    One alarm for all of them (not one per endpoint): Metrics Insights alarms count against a quota of 200 per region,
    and a fleet of endpoints would exhaust it. The period is the longest publish frequency among them (at least 60 s).
    GPU rows get no alarm: series without ``AcceleratorId`` (the variant's sum over GPUs) would join the groups.
    """
    enhanced = [(field, spec) for field, spec in specs if "enhanced_metrics" in spec.features]
    if not enhanced:
        return []
    period = max(60, *(getattr(spec, "metric_publish_frequency", 60) for _, spec in enhanced))
    out: list[AlarmPlan] = []
    for row in rows_of_kind("endpoint"):
        if not row.family.instance_level or row.alarm is None or "AcceleratorId" in row.family.dimensions:
            continue
        s = settings(row, None)
        if s is None:
            continue
        function = _MI_FUNCTIONS[s.statistic]
        names = ", ".join(spec.name for _, spec in enhanced[:5]) + (" ..." if len(enhanced) > 5 else "")
        out.append(AlarmPlan(
            id=ids.construct_id("WorstInstanceAlarm", "endpoint", row.metric, salt=prefix),
            name=ids.alarm_name(prefix, "endpoint", FLEET_RESOURCE_NAME, row.metric, s.severity, "WorstInstance"),
            description=describe("Every endpoint instance with enhanced metrics", row, s,
                                 f"Metrics Insights grouped by EndpointName and InstanceId: each instance is a "
                                 f"contributor (the worst {WORST_INSTANCES}); configured: {names}. "
                                 + evidence_note(row), runbook_url),
            resource_kind="endpoint", resource_name=None, row=row, kind=s.kind, severity=s.severity,
            comparison=s.comparison, threshold=s.threshold, statistic=s.statistic, period=max(period, s.period),
            evaluation_periods=s.evaluation_periods, datapoints_to_alarm=s.datapoints_to_alarm,
            treat_missing_data=s.treat_missing_data, query=instance_query(row, function),
            alarm_actions=routes[s.severity].alarm, ok_actions=routes[s.severity].ok))
    return out


def silence_alarm(spec: ResourceSpec, prefix: str, row: MetricDefinition, minutes: int, severity: str, *,
                  routes: Mapping[str, Route] = DEFAULT_ROUTES, runbook_url: Optional[str] = None) -> AlarmPlan:
    """The NaN / stall guard of a training job's algorithm metric: in ALARM when the job's first instance reports
    CPU (it runs) but the metric had no datapoint for ``minutes`` (CloudWatch takes no NaN or infinite value, so a
    diverged loss leaves silence). Sample counts of both, filled with 0: ``IF(cpu > 0 AND metric == 0, 1, 0)``."""
    host = MetricSource(row.namespace, "CPUUtilization", (("Host", f"{spec.name}/algo-1"),))
    metric = MetricSource(row.namespace, row.metric, (("TrainingJobName", spec.name),))
    s = AlarmSettings(kind="quality", severity=severity, comparison="GreaterThanThreshold", threshold=0,
                      statistic="SampleCount", period=minutes * 60, evaluation_periods=1, datapoints_to_alarm=1,
                      treat_missing_data="notBreaching", meaning="0 (no datapoint while the job runs)")
    route = routes[severity]
    return AlarmPlan(
        id=ids.construct_id("SilenceAlarm", spec.kind, spec.name, row.metric, salt=prefix),
        name=ids.alarm_name(prefix, spec.kind, spec.name, row.metric, severity, "Silent"),
        description=describe(f"{ids.title(spec.kind)} {spec.name}", row, s,
                             f"No {row.metric} datapoint for {minutes} min while algo-1 reports CPU: a NaN or infinite "
                             "value (CloudWatch takes neither), a hang, or a metric definition that stopped matching. "
                             + evidence_note(row), runbook_url),
        resource_kind=spec.kind, resource_name=spec.name, row=row, kind="quality", severity=severity,
        comparison="GreaterThanThreshold", threshold=0, statistic="SampleCount", period=minutes * 60,
        evaluation_periods=1, datapoints_to_alarm=1, treat_missing_data="notBreaching", sources=(host, metric),
        expression="IF(FILL(m1, 0) > 0 AND FILL(m2, 0) == 0, 1, 0)",
        alarm_actions=route.alarm, ok_actions=route.ok)


NEW_FLEET = "NewFleet"
"""The part of the alarm name of a guardrail scoped to an endpoint config (the green fleet of a blue/green update)."""


def scoped_to_config(alarm: AlarmPlan, endpoint_config: str, prefix: str) -> AlarmPlan:
    """``alarm`` over the series of one endpoint config only (dimension ``EndpointConfigName``): during a blue/green
    update the new (green) fleet's invocations carry it, so a rollback alarm watches the new fleet alone. The name does
    not hold the config's name, so changing ``endpoint_config`` for the next deployment updates the alarm in place."""
    base = alarm.name.rsplit("/", 1)[0]
    sources = tuple(MetricSource(s.namespace, s.metric, (*s.dimensions, ("EndpointConfigName", endpoint_config)))
                    for s in alarm.sources)
    note = (f" New fleet only: EndpointConfigName {endpoint_config} (the config a blue/green update deploys; "
            "evidence: AWS's deployment-guardrails alarm examples and public code).")
    return replace(alarm, id=ids.construct_id(NEW_FLEET, alarm.id, salt=prefix),
                   name=f"{base}/{NEW_FLEET}/{alarm.severity}", sources=sources,
                   description=with_runbook(alarm.description.split(" Runbook: ")[0] + note,
                                            alarm.description.split(" Runbook: ")[1]
                                            if " Runbook: " in alarm.description else None))


def account_alarms(specs: Sequence[tuple[str, ResourceSpec]], prefix: str, kind: str, *,
                   routes: Mapping[str, Route] = DEFAULT_ROUTES, runbook_url: Optional[str] = None) -> list[AlarmPlan]:
    """One alarm per alarmed metric that SageMaker reports without dimensions (account level, such as
    Ground Truth's ``JobsFailed``), planned once when any resource of ``kind`` is configured.

    The resources' overrides of such a metric must agree: there is one alarm for all of them.
    """
    out: list[AlarmPlan] = []
    if not specs:
        return out
    title = ids.title(kind)
    for row in rows_of_kind(kind):
        if row.family.dimensions or row.searched:
            continue
        chosen: Optional[AlarmSettings] = None
        first_field = ""
        for field, spec in specs:
            s = settings(row, spec.alarms.get(row.metric), getattr(spec, "gpu_count", 0))
            if not first_field:
                chosen, first_field = s, field
            elif s != chosen:
                raise ConfigurationError(
                    f"{field}.alarms.{row.metric}",
                    f"differs from {first_field}: {row.metric} is reported for the whole account (no dimension), "
                    "so there is one alarm for every " + kind.replace("_", " "),
                    fix=f"give every {kind.replace('_', ' ')} the same {row.metric} alarm settings")
        if chosen is None:
            continue
        source = MetricSource(row.namespace, row.metric, ())
        out.append(AlarmPlan(
            id=ids.construct_id("AccountAlarm", kind, row.metric, salt=prefix),
            name=ids.alarm_name(prefix, kind, ACCOUNT_RESOURCE_NAME, row.metric, chosen.severity),
            description=describe(f"{title}s of the account (no dimension)", row, chosen,
                                 evidence_note(row), chosen.runbook_url or runbook_url),
            resource_kind=kind, resource_name=None, row=row, kind=chosen.kind, severity=chosen.severity,
            comparison=chosen.comparison, threshold=chosen.threshold, statistic=chosen.statistic,
            period=chosen.period, evaluation_periods=chosen.evaluation_periods,
            datapoints_to_alarm=chosen.datapoints_to_alarm, treat_missing_data=chosen.treat_missing_data,
            sources=(source,), alarm_actions=routes[chosen.severity].alarm, ok_actions=routes[chosen.severity].ok,
            anomaly=chosen.anomaly,
        ))
    return out


def evidence_note(row: MetricDefinition) -> str:
    """What an alarm description says when the metric's facts rest on evidence weaker than an AWS page."""
    if not row.weak_evidence:
        return ""
    return f"Evidence: {row.confidence} ({row.source.title})."
