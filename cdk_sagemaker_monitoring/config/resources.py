"""What users write to say what to watch: one pydantic model per resource kind, and ``MonitoringConfig``.

Every spec accepts a plain name (``"my-endpoint"``) wherever it accepts a mapping or an instance.
Unknown keys are refused (``extra="forbid"``); names are checked against SageMaker's patterns
(:mod:`cdk_sagemaker_monitoring.names`); alarm overrides are checked against the metric catalog.
Validate with :func:`cdk_sagemaker_monitoring.config.validate.validate` to get
:class:`~cdk_sagemaker_monitoring.errors.ConfigurationErrors` naming each field instead of pydantic's
``ValidationError``.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Mapping, Optional, Sequence, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .. import names
from ..catalog import metrics as catalog_metrics
from ..catalog.model import SEVERITIES, AlarmDefault, Comparison, MetricDefinition, Severity, TreatMissingData
from .alarm_actions import SeverityActions
from .custom_errors import LENIENT_METRICS, did_you_mean as _did_you_mean, invalid as _error, matching, raise_all
from .fields import named
from .custom_metrics import CustomMetric

__all__ = [
    "AlarmOverride", "AlgorithmMetric", "AnomalyOverride", "LatencyObjective", "SloSpec", "EndpointSpec",
    "HyperPodClusterSpec", "MonitoringScheduleSpec", "QualityMetric", "FeatureGroupSpec", "InferenceComponentSpec",
    "LabelingJobSpec", "MonitoringConfig",
    "PipelineSpec", "ProcessingJobSpec", "ResourceSpec", "TrainingJobSpec", "TransformJobSpec", "WorkteamSpec",
    "FEATURE_STORE_OPERATIONS", "MAX_VARIANTS",
]

MAX_VARIANTS = 10
"""SageMaker allows at most 10 production variants per endpoint."""

MAX_INFERENCE_COMPONENTS = 100
"""More inference components than one endpoint's dashboard section and composite alarm can hold."""

FeatureStoreOperation = Literal["GetRecord", "PutRecord", "DeleteRecord"]
FEATURE_STORE_OPERATIONS: tuple[FeatureStoreOperation, ...] = ("GetRecord", "PutRecord", "DeleteRecord")
"""Feature Store runtime operations reported per feature group (batch operations carry no group)."""

ALARM_PERIODS_HINT = "10, 30, or a multiple of 60 seconds"

PUBLISH_FREQUENCIES: tuple[int, ...] = (10, 30, 60, 120, 180, 240, 300)
"""``MetricsConfig.MetricPublishFrequencyInSeconds`` values SageMaker accepts (API reference, MetricsConfig)."""

MAX_CONTAINERS = 15
"""A multi-container endpoint hosts at most 15 containers (SageMaker developer guide)."""

Threshold = Annotated[float, Field(strict=True)]
"""A number (int or float), never a string or a boolean."""

_SNS_ARN = names.SNS_TOPIC_ARN.pattern


def _runbook_url(value: Optional[str]) -> Optional[str]:
    return matching(value, names.RUNBOOK_URL.pattern, "invalid_url", "a runbook URL", names.RUNBOOK_URL.description)


def _check_name(rule: names.NameRule, value: Any, loc: tuple[Any, ...] = ()) -> str:
    if not isinstance(value, str):
        article = "an" if rule.noun[:1] in "aeiou" else "a"
        raise _error("string_type", f"expected {article} {rule.noun} (a string), got {type(value).__name__}", loc=loc)
    found = rule.problem(value)
    if found is not None:
        raise _error("invalid_name", found[0], found[1], loc)
    return value


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


AnomalyDirection = Literal["lower", "upper", "both"]


class AnomalyOverride(_Model):
    """An anomaly band instead of a static threshold: CloudWatch learns the metric's hourly, daily and weekly
    pattern and alarms when a period falls outside ``band`` standard deviations of it."""

    band: Annotated[float, Field(strict=False, gt=0, le=100)] = 2
    """Width of the band in standard deviations (2 is CloudWatch's default; wider: fewer alarms)."""
    direction: AnomalyDirection = "both"
    """``lower`` (a drop: traffic that stops), ``upper`` (a rise: latency that drifts) or ``both``."""


class AlarmOverride(_Model):
    """Changes to one metric's alarm on one resource. Unset fields keep the catalog's default.

    Shorthands: ``false`` disables the alarm, a number sets the threshold.
    A metric without a default alarm gets one when ``threshold`` is set.
    """

    enabled: StrictBool = True
    """``false`` turns this metric's alarm off for this resource."""
    threshold: Optional[Threshold] = None
    """In the metric's own unit (microseconds for latencies, percent times GPUs for GPU utilization)."""
    statistic: Optional[str] = None
    """Statistic the alarm evaluates: one the metric allows (``Average``, ``Maximum``, ``Sum``...) or a
    percentile such as ``p99`` where the metric has them."""
    comparison: Optional[Comparison] = None
    """How the statistic is compared with the threshold."""
    period: Optional[StrictInt] = None
    """Seconds per evaluated datapoint: 10, 30 or a multiple of 60."""
    evaluation_periods: Optional[Annotated[StrictInt, Field(ge=1, le=100)]] = None
    """How many recent periods the alarm looks at (1 to 100)."""
    datapoints_to_alarm: Optional[Annotated[StrictInt, Field(ge=1, le=100)]] = None
    """How many of those periods must breach to alarm ("M out of N"; at most ``evaluation_periods``)."""
    treat_missing_data: Optional[TreatMissingData] = None
    """What a period without data counts as (``notBreaching`` suits failure counts, ``missing`` saturation)."""
    severity: Optional[Severity] = None
    """``Warning`` or ``Critical``: part of the alarm name; critical alarms come first among an endpoint's
    rollback guardrails."""
    runbook_url: Optional[str] = None
    """Runbook of this alarm, written into its description (wins over the resource's and the top-level one)."""
    anomaly: Optional[AnomalyOverride] = None
    """An anomaly band instead of the threshold (``{band: 2, direction: lower}``); not with ``threshold`` or
    ``comparison``, and not in fleet alarm mode."""

    @field_validator("runbook_url")
    @classmethod
    def _runbook(cls, value: Optional[str]) -> Optional[str]:
        return _runbook_url(value)

    @model_validator(mode="after")
    def _anomaly_alone(self) -> "AlarmOverride":
        if self.anomaly is not None:
            for field in ("threshold", "comparison"):
                if getattr(self, field) is not None:
                    raise _error("invalid_anomaly", f"{field} does not apply to an anomaly band (the band is the "
                                 "threshold, its direction the comparison)", f"remove {field}, or remove anomaly",
                                 (field,))
        return self

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, bool):
            return {"enabled": data}
        if isinstance(data, (int, float)):
            return {"threshold": data}
        return data

    @field_validator("period")
    @classmethod
    def _period(cls, value: Optional[int]) -> Optional[int]:
        if value is not None and not (value in (10, 30) or (value >= 60 and value % 60 == 0)):
            raise _error("invalid_period", f"{value} is not an alarm period CloudWatch accepts", ALARM_PERIODS_HINT)
        return value

    @model_validator(mode="after")
    def _datapoints(self) -> "AlarmOverride":
        if (self.datapoints_to_alarm is not None and self.evaluation_periods is not None
                and self.datapoints_to_alarm > self.evaluation_periods):
            raise _error("invalid_datapoints", "datapoints_to_alarm is larger than evaluation_periods",
                         "use at most as many datapoints as evaluation periods", ("datapoints_to_alarm",))
        return self


class LatencyObjective(_Model):
    """``target`` percent of requests answer within ``threshold_ms`` (ModelLatency), over the SLO window."""

    threshold_ms: Annotated[float, Field(strict=False, gt=0)]
    """A request is good when its ModelLatency is at or under this many milliseconds."""
    target: Annotated[float, Field(strict=False, gt=0, lt=100)]
    """Percent of requests that must be good (``99``)."""


SLO_WINDOW_DAYS = 30
"""The SLO window the burn rates refer to (the SRE workbook's 30 days)."""
MAX_SLO_VARIANTS = 5
"""An SLO alarm reads two metrics per variant, and a metric-math alarm at most 10."""


class SloSpec(_Model):
    """Service level objectives of an endpoint over 30 days, alerted on with multiwindow, multi-burn-rate
    alarms (the SRE workbook's: 14.4x over 1 h and 5 min, 6x over 6 h and 30 min, 1x over 3 days and 6 h)."""

    availability: Optional[Annotated[float, Field(strict=False, gt=0, lt=100)]] = None
    """Percent of requests answered without a server error (``Invocation5XXErrors`` over ``Invocations``),
    for example ``99.9``."""
    latency: Optional[LatencyObjective] = None
    """``{threshold_ms: 300, target: 99}``: 99 % of requests within 300 ms (ModelLatency's ``PR`` statistic)."""

    @model_validator(mode="after")
    def _some(self) -> "SloSpec":
        if self.availability is None and self.latency is None:
            raise _error("missing_objective", "an slo needs an objective",
                         "set availability (for example 99.9) or latency ({threshold_ms: 300, target: 99})")
        return self


class ResourceSpec(_Model):
    """Common to every resource spec: its name and per-metric alarm overrides."""

    kind: ClassVar[str] = ""
    """Resource kind of the catalog (``endpoint``, ``training_job``...)."""
    name_rule: ClassVar[names.NameRule]

    name: str
    """Its name in SageMaker (a plain name in the list stands for a mapping with only this key)."""
    alarms: dict[str, AlarmOverride] = Field(default_factory=dict)
    """Per-metric alarm overrides, keyed by metric name (``ModelLatency``, or a ``custom_metrics`` name)."""
    runbook_url: Optional[str] = None
    """Runbook of this resource's alarms, written into their descriptions (wins over the top-level one)."""

    @field_validator("runbook_url")
    @classmethod
    def _runbook(cls, value: Optional[str]) -> Optional[str]:
        return _runbook_url(value)

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"name": data}
        return data

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        return _check_name(cls.name_rule, value)

    @property
    def features(self) -> frozenset[str]:
        """Features that decide which catalog rows apply (``gpu``, ``multi_model``, ``provisioned``...)."""
        return frozenset()

    def metric_rows(self) -> tuple[MetricDefinition, ...]:
        """The catalog rows this resource gets."""
        return catalog_metrics.rows_for(self.kind, self.features)

    @model_validator(mode="after")
    def _check_alarms(self) -> "ResourceSpec":
        # Metrics outside the catalog may be custom_metrics: MonitoringConfig checks those.
        check_overrides(self, catalog_metrics.rows_of_kind(self.kind), unknown_ok=True)
        return self


def check_overrides(spec: ResourceSpec, possible_rows: Sequence[MetricDefinition], *, unknown_ok: bool = False,
                    loc: tuple[Any, ...] = (), lenient: frozenset[str] = frozenset()) -> None:
    """Refuse ``spec``'s alarm overrides that name no row of ``possible_rows``, one the resource does not
    report, a statistic the metric does not allow, or no threshold for a metric without a default alarm.

    Every override is checked (one error each, all raised together); ``lenient`` names metrics not to
    refuse as unknown (custom metrics whose own entry was refused).
    """
    raise_all(override_errors(spec, possible_rows, unknown_ok=unknown_ok, loc=loc, lenient=lenient))


def override_errors(spec: ResourceSpec, possible_rows: Sequence[MetricDefinition], *, unknown_ok: bool = False,
                    loc: tuple[Any, ...] = (), lenient: frozenset[str] = frozenset()) -> list[PydanticCustomError]:
    """The mistakes :func:`check_overrides` refuses, one per override at most, in the overrides' order."""
    errors: list[PydanticCustomError] = []
    for metric, override in spec.alarms.items():
        try:
            _check_override(spec, possible_rows, metric, override, unknown_ok or metric in lenient, loc)
        except PydanticCustomError as err:
            errors.append(err)
    return errors


def _check_override(spec: ResourceSpec, possible_rows: Sequence[MetricDefinition], metric: str,
                    override: AlarmOverride, unknown_ok: bool, loc: tuple[Any, ...]) -> None:
    possible = {r.metric: r for r in possible_rows if not r.family.overridable}
    possible.update({r.metric: r for r in possible_rows if r.family.overridable})  # alarms reach these rows
    applicable = {r.metric for r in possible_rows if r.requires <= spec.features and r.family.overridable}
    noun = spec.kind.replace("_", " ")
    row = possible.get(metric)
    if row is None:
        if unknown_ok:
            return
        raise _error("unknown_metric", f"{metric!r} is not a metric of {noun}s",
                     _did_you_mean(metric, sorted(possible)) + "metrics: " + ", ".join(sorted(possible))
                     + " (or add it to custom_metrics)", (*loc, "alarms", metric))
    if metric not in applicable:
        need = ", ".join(sorted(row.requires - spec.features))
        raise _error("metric_not_applicable", f"{metric!r} is not reported for this {noun}",
                     f"it needs: {need}" + _feature_hint(row.requires - spec.features), (*loc, "alarms", metric))
    if row.searched and override.enabled:
        what = {"workteam": "work team"}.get(spec.kind, noun)
        raise _error("undocumented_dimensions", f"{metric} cannot alarm per {what}",
                     "no public source settles the dimensions SageMaker reports it with, so an alarm could "
                     "watch nothing; it is graphed with SEARCH instead (set it to false, or leave it out)",
                     (*loc, "alarms", metric))
    if override.statistic is not None and not row.allows(override.statistic):
        valid = ", ".join(row.statistics) + (", or a percentile such as p99" if row.percentiles else "")
        raise _error("invalid_statistic", f"{override.statistic!r} is not a valid statistic of {metric}",
                     f"valid: {valid}", (*loc, "alarms", metric, "statistic"))
    if row.alarm is None and override.enabled and override.threshold is None and override.anomaly is None:
        raise _error("missing_threshold", f"{metric} has no default alarm, so its threshold is required",
                     "set a threshold " + (f"in {row.unit}" if row.unit != "None" else "(a count or a ratio)"),
                     (*loc, "alarms", metric, "threshold"))
    # a custom metric's values are the user's to know
    if override.enabled and override.anomaly is None and row.key in _CATALOG_KEYS:
        _check_crossable(row, override, getattr(spec, "gpu_count", 0), loc)


_OPERATORS = {"GreaterThanThreshold": ">", "GreaterThanOrEqualToThreshold": ">=", "LessThanThreshold": "<",
              "LessThanOrEqualToThreshold": "<="}


_CATALOG_KEYS = frozenset(row.key for row in catalog_metrics.CATALOG)


def _check_crossable(row: MetricDefinition, override: AlarmOverride, gpu_count: int,
                     loc: tuple[Any, ...] = ()) -> None:
    """Refuse an alarm whose threshold no value of the metric can cross: it would never fire, or never clear.

    The values a statistic can take come from the catalog (unit and ceiling, :mod:`..catalog.units`); the
    threshold, statistic and comparison are the override's, else the catalog default's (as the plan merges them).
    """
    default = row.alarm
    statistic = override.statistic or (default.statistic if default is not None else row.dashboard_statistic)
    comparison = override.comparison or (default.comparison if default is not None else "GreaterThanThreshold")
    if override.threshold is not None:
        threshold = float(override.threshold)
    elif default is not None:
        threshold = default.threshold * (max(gpu_count, 1) if default.scales_with == "gpu" else 1)
    else:
        return
    values = row.value_range(statistic, gpu_count)
    if values.crossable(threshold, comparison):
        return
    op = _OPERATORS[comparison]
    never_true = not any(_compare(v, op, threshold) for v in (values.low, values.high if values.high is not None
                                                                   else max(threshold, values.low) + 1))
    outcome = "could never fire" if never_true else "would always be in alarm"
    field = "threshold" if override.threshold is not None else "comparison" if override.comparison else "statistic"
    raise _error("impossible_threshold",
                 f"{row.metric} ({statistic}) is {values} ({values.why}): with {comparison} ({op}) a threshold of "
                 f"{threshold:g} {outcome}",
                 f"valid thresholds for {comparison}: {values.thresholds(comparison)}",
                 (*loc, "alarms", row.metric, field))


def _compare(value: float, op: str, threshold: float) -> bool:
    return {">": value > threshold, ">=": value >= threshold, "<": value < threshold, "<=": value <= threshold}[op]


def _feature_hint(missing: frozenset[str]) -> str:
    hints = {"multi_model": "set multi_model: true", "gpu": "set gpu: true (or the number of GPUs)",
             "serverless": "set serverless: true", "provisioned": "set serverless: false",
             "asynchronous": "set asynchronous: true", "synchronous": "set asynchronous: false",
             "realtime": "set serverless: false and asynchronous: false",
             "provisioned_concurrency": "set provisioned_concurrency: true (serverless endpoints)",
             "inference_components": "list the endpoint's inference_components"}
    return "".join(f"; {hints[m]}" for m in sorted(missing) if m in hints)


def _publish_frequency(value: int) -> int:
    if value not in PUBLISH_FREQUENCIES:
        raise _error("invalid_frequency", f"{value} is not a publish frequency SageMaker accepts",
                     "one of " + ", ".join(map(str, PUBLISH_FREQUENCIES)) + " seconds")
    return value


def _gpu_count(value: Any) -> Any:
    """``gpu``: ``true``/``false`` or the number of GPUs per instance."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value >= 0:
        return value
    raise _error("invalid_gpu", f"expected true, false or a number of GPUs per instance, got {value!r}",
                 "for example gpu: true, or gpu: 4 for four GPUs per instance")


GpuArg = Annotated[Union[StrictBool, Annotated[StrictInt, Field(ge=0)]], Field(union_mode="left_to_right")]


class _GpuMixin(_Model):
    gpu: GpuArg = False
    """GPU instances: ``true`` (one GPU), or the number of GPUs per instance (GPU thresholds scale with it)."""

    @field_validator("gpu", mode="before")
    @classmethod
    def _gpu(cls, value: Any) -> Any:
        return _gpu_count(value)

    @property
    def gpu_count(self) -> int:
        """GPUs per instance (0: none)."""
        return int(self.gpu) if not isinstance(self.gpu, bool) else (1 if self.gpu else 0)


class InferenceComponentSpec(_GpuMixin, ResourceSpec):
    """An inference component hosted on an endpoint: its invocation metrics (``AWS/SageMaker`` by
    ``InferenceComponentName``) and the utilization of its copies (``/aws/sagemaker/InferenceComponents``).

    ``gpu`` defaults to its endpoint's; ``alarms`` overrides this component's alarms only.
    """

    kind: ClassVar[str] = "inference_component"
    name_rule: ClassVar[names.NameRule] = names.INFERENCE_COMPONENT

    gpu: GpuArg = False
    """GPUs per instance its copies use (``true``, a number or ``false``); default: its endpoint's ``gpu``."""
    scale_to_zero: StrictBool = False
    """Its copies may scale to zero (``MinInstanceCount: 0``): adds ``NoCapacityInvocationFailures``, the requests
    that arrived while no copy was running, and an alarm on it."""
    enhanced_metrics: StrictBool = False
    """Per-copy (``ContainerId``) utilization of the worst copies, by Metrics Insights; default: its endpoint's."""
    metric_publish_frequency: StrictInt = 60
    """Seconds between its enhanced metrics (its endpoint config's); default: its endpoint's."""

    @field_validator("metric_publish_frequency")
    @classmethod
    def _frequency(cls, value: int) -> int:
        return _publish_frequency(value)

    @model_validator(mode="after")
    def _check_alarms(self) -> "InferenceComponentSpec":
        # custom_metrics have no inference-component kind: every override must name a catalog row
        check_overrides(self, catalog_metrics.rows_of_kind(self.kind))
        return self

    @property
    def features(self) -> frozenset[str]:
        out = {"gpu"} if self.gpu_count else set()
        if self.scale_to_zero:
            out.add("scale_to_zero")
        if self.enhanced_metrics:
            out.add("enhanced_metrics")
        return frozenset(out)


def _name_list(value: Any, rule: names.NameRule, noun: str, counted: str, bounds: tuple[int, int], fix: str) -> Any:
    """A list of names (one string is a list of one): between ``bounds`` of them, each valid for ``rule``, none
    twice; ``noun`` names one in errors (``variant``), ``counted`` several (``production variants``)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return value
    low, high = bounds
    if not low <= len(value) <= high:
        raise _error(f"invalid_{noun}s", f"{len(value)} {counted}", fix)
    seen: set[str] = set()
    for i, item in enumerate(value):
        _check_name(rule, item, (i,))
        if item in seen:
            raise _error("duplicate", f"{noun} {item!r} is listed twice", f"list each {noun} once", (i,))
        seen.add(item)
    return value


class EndpointSpec(_GpuMixin, ResourceSpec):
    """A SageMaker endpoint: its production variants and what kind of hosting it is."""

    kind: ClassVar[str] = "endpoint"
    name_rule: ClassVar[names.NameRule] = names.ENDPOINT

    variants: tuple[str, ...] = ("AllTraffic",)
    """Production variant names (default ``AllTraffic``, SageMaker's own default)."""
    multi_model: StrictBool = False
    """A multi-model endpoint: adds the model loading metrics (``ModelLoadingWaitTime``, ``ModelCacheHit``...)
    and ``LoadedModelCount``."""
    serverless: StrictBool = False
    """A serverless endpoint: adds ``ModelSetupTime`` and the serverless concurrency metrics, keeps
    ``MemoryUtilization`` and leaves out the other instance metrics (it has no instances)."""
    provisioned_concurrency: StrictBool = False
    """A serverless endpoint with provisioned concurrency: adds the ``ServerlessProvisionedConcurrency*`` metrics."""
    asynchronous: StrictBool = False
    """An asynchronous inference endpoint (``AsyncInferenceConfig``): adds the queue metrics (backlog, oldest
    request, ``HasBacklogWithoutCapacity``) and the per-variant failure and latency metrics, and leaves out
    the real-time metrics it does not publish (``Invocations``, ``OverheadLatency``...)."""
    inference_components: tuple[InferenceComponentSpec, ...] = ()
    """Inference components the endpoint hosts (names, or mappings with ``name``, ``alarms`` and ``gpu``):
    each gets its invocation and utilization metrics, and the endpoint its reservation metrics."""
    instance_count: Annotated[StrictInt, Field(ge=1)] = 1
    """Instances per variant (informational: endpoint instance metrics are per variant)."""
    slo: Optional[SloSpec] = None
    """Service level objectives (``{availability: 99.9}``, ``{latency: {threshold_ms: 300, target: 99}}``):
    burn-rate alarms and an error-budget widget."""
    enhanced_metrics: StrictBool = False
    """The endpoint config enables enhanced metrics (``MetricsConfig.EnableEnhancedMetrics``): adds graphs of the
    worst instances (``InstanceId``) and GPUs (``AcceleratorId``) by Metrics Insights, and fleet alarms on the worst
    instance's memory and disk."""
    metric_publish_frequency: StrictInt = 60
    """``MetricsConfig.MetricPublishFrequencyInSeconds`` of the endpoint config (10, 30, 60, 120, 180, 240 or 300):
    per-instance graphs and alarms use periods no shorter than it."""
    containers: tuple[str, ...] = ()
    """Container hostnames of a multi-container endpoint with direct invocation (``ContainerHostname``, 2 to 15):
    adds ``ContainerLatency``, invocations and errors per container (dimension ``ContainerName``)."""
    endpoint_config: Optional[str] = None
    """The endpoint config a blue/green update deploys: its error and latency guardrails are repeated over that
    config's series only (dimension ``EndpointConfigName``, alarms ``.../<metric>/NewFleet/<severity>``), and those are
    the guardrail outputs, so ``AutoRollbackConfiguration`` watches the new fleet alone. Change it for each deployment:
    the alarms are updated in place."""

    @field_validator("endpoint_config", mode="before")
    @classmethod
    def _endpoint_config(cls, value: Any) -> Any:
        return None if value is None else _check_name(names.ENDPOINT_CONFIG, value)

    @field_validator("metric_publish_frequency")
    @classmethod
    def _frequency(cls, value: int) -> int:
        return _publish_frequency(value)

    @field_validator("containers", mode="before")
    @classmethod
    def _containers(cls, value: Any) -> Any:
        return _name_list(value, names.CONTAINER, "container", "containers", (2, MAX_CONTAINERS),
                          f"a multi-container endpoint has 2 to {MAX_CONTAINERS} containers (leave containers out "
                          "for a single-container endpoint)")

    @model_validator(mode="before")
    @classmethod
    def _components_inherit_gpu(cls, data: Any) -> Any:
        """An inference component without its own ``gpu`` runs on its endpoint's instances."""
        if not isinstance(data, Mapping) or not isinstance(data.get("inference_components"), (list, tuple)):
            return data
        inherited = {key: data[key] for key in ("gpu", "enhanced_metrics", "metric_publish_frequency") if key in data}
        components = []
        for item in data["inference_components"]:
            if isinstance(item, str):
                item = {"name": item}
            if isinstance(item, Mapping):
                item = {**inherited, **item}
            components.append(item)
        return {**data, "inference_components": components}

    @field_validator("inference_components", mode="before")
    @classmethod
    def _components(cls, value: Any) -> Any:
        if isinstance(value, (str, Mapping)):
            value = [value]
        if not isinstance(value, (list, tuple)):
            return value
        if len(value) > MAX_INFERENCE_COMPONENTS:
            raise _error("too_long", f"{len(value)} inference components",
                         f"list at most {MAX_INFERENCE_COMPONENTS}; monitor the rest on another endpoint entry")
        seen: set[str] = set()
        for i, item in enumerate(value):
            name = item.get("name") if isinstance(item, Mapping) else getattr(item, "name", item)
            if isinstance(name, str) and name in seen:
                raise _error("duplicate", f"inference component {name!r} is listed twice", "list each component once",
                             (i, "name"))
            if isinstance(name, str):
                seen.add(name)
        return value

    @field_validator("variants", mode="before")
    @classmethod
    def _variants(cls, value: Any) -> Any:
        return _name_list(value, names.VARIANT, "variant", "production variants", (1, MAX_VARIANTS),
                          f"an endpoint has 1 to {MAX_VARIANTS} variants")

    @model_validator(mode="after")
    def _hosting(self) -> "EndpointSpec":
        if self.serverless and self.multi_model:
            raise _error("invalid_hosting", "a serverless endpoint cannot be multi-model",
                         "set serverless or multi_model, not both", ("multi_model",))
        if self.serverless and self.gpu_count:
            raise _error("invalid_hosting", "serverless endpoints have no GPUs",
                         "set gpu: false for a serverless endpoint", ("gpu",))
        if self.serverless and self.asynchronous:
            raise _error("invalid_hosting", "an asynchronous endpoint runs on instances, it cannot be serverless",
                         "set serverless or asynchronous, not both", ("asynchronous",))
        if self.provisioned_concurrency and not self.serverless:
            raise _error("invalid_hosting", "provisioned concurrency is a setting of serverless endpoints",
                         "set serverless: true, or leave provisioned_concurrency out", ("provisioned_concurrency",))
        if self.slo is not None:
            reported = {r.metric for r in self.metric_rows()}
            for objective, metric in (("availability", "Invocations"), ("latency", "ModelLatency")):
                if getattr(self.slo, objective) is not None and metric not in reported:
                    raise _error("invalid_slo", f"this endpoint does not report {metric}, which its {objective} "
                                 "objective needs", "asynchronous endpoints publish no Invocations: remove the "
                                 f"{objective} objective", ("slo", objective))
            if len(self.variants) > MAX_SLO_VARIANTS:
                raise _error("invalid_slo", f"{len(self.variants)} variants: an SLO alarm reads two metrics per "
                             "variant and a metric-math alarm at most 10",
                             f"at most {MAX_SLO_VARIANTS} variants for an slo", ("slo",))
        if self.inference_components and (self.serverless or self.asynchronous or self.multi_model):
            what = "serverless" if self.serverless else "asynchronous" if self.asynchronous else "multi-model"
            raise _error("invalid_hosting", f"a {what} endpoint cannot host inference components",
                         "inference components run on real-time endpoints with instances", ("inference_components",))
        if self.enhanced_metrics and (self.serverless or self.multi_model):
            what = "serverless" if self.serverless else "multi-model"
            raise _error("invalid_hosting", f"a {what} endpoint has no enhanced metrics",
                         "enhanced metrics are for real-time endpoints with instances (single-model, multi-container "
                         "or inference components); set enhanced_metrics: false", ("enhanced_metrics",))
        if self.containers and (self.serverless or self.asynchronous or self.multi_model or self.inference_components):
            what = ("serverless" if self.serverless else "asynchronous" if self.asynchronous
                    else "multi-model" if self.multi_model else "inference-component")
            raise _error("invalid_hosting", f"a {what} endpoint cannot invoke containers directly",
                         "containers are for multi-container endpoints with direct invocation", ("containers",))
        return self

    @property
    def features(self) -> frozenset[str]:
        out = {"serverless" if self.serverless else "provisioned",
               "asynchronous" if self.asynchronous else "synchronous"}
        if not self.serverless and not self.asynchronous:
            out.add("realtime")
        if self.provisioned_concurrency:
            out.add("provisioned_concurrency")
        if self.inference_components:
            out.add("inference_components")
        if self.multi_model:
            out.add("multi_model")
        if self.gpu_count:
            out.add("gpu")
        if self.enhanced_metrics:
            out.add("enhanced_metrics")
        if self.containers:
            out.add("multi_container")
        return frozenset(out)


class _MetricThreshold(_Model):
    """A metric named by the user, with an optional alarm threshold (shorthand: the name alone)."""

    name: str
    """The metric's name in CloudWatch (``validation:auc``, ``accuracy``)."""
    threshold: Optional[Threshold] = None
    """Alarm when the metric crosses it (in the metric's own values); no threshold: graphed only."""
    comparison: Comparison = "GreaterThanThreshold"
    """How the statistic is compared with the threshold (``LessThanThreshold`` for a quality that must stay high)."""
    statistic: Literal["Average", "Minimum", "Maximum", "Sum", "SampleCount"] = "Average"
    """Statistic the alarm evaluates."""
    severity: Severity = "Warning"
    """``Warning`` or ``Critical``: part of the alarm name, and whose actions it notifies."""
    period: StrictInt = 300
    """Seconds per evaluated datapoint: 10, 30 or a multiple of 60."""
    evaluation_periods: Annotated[StrictInt, Field(ge=1, le=100)] = 3
    """How many recent periods the alarm looks at (1 to 100)."""
    datapoints_to_alarm: Annotated[StrictInt, Field(ge=1, le=100)] = 2
    """How many of those periods must breach to alarm (at most ``evaluation_periods``)."""

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, data: Any) -> Any:
        return {"name": data} if isinstance(data, str) else data

    @field_validator("period")
    @classmethod
    def _period(cls, value: int) -> int:
        if not (value in (10, 30) or (value >= 60 and value % 60 == 0)):
            raise _error("invalid_period", f"{value} is not an alarm period CloudWatch accepts", ALARM_PERIODS_HINT)
        return value

    @model_validator(mode="after")
    def _datapoints(self) -> "_MetricThreshold":
        if self.datapoints_to_alarm > self.evaluation_periods:
            raise _error("invalid_datapoints", "datapoints_to_alarm is larger than evaluation_periods",
                         "use at most as many datapoints as evaluation periods", ("datapoints_to_alarm",))
        return self

    def alarm_default(self) -> Optional[AlarmDefault]:
        """The alarm the threshold asks for (``None``: graphed only)."""
        if self.threshold is None:
            return None
        return AlarmDefault(kind="quality", comparison=self.comparison, threshold=float(self.threshold),
                            meaning=f"{self.threshold:g}", statistic=self.statistic, severity=self.severity,
                            period=self.period, evaluation_periods=self.evaluation_periods,
                            datapoints_to_alarm=self.datapoints_to_alarm)


class AlgorithmMetric(_MetricThreshold):
    """A training job's algorithm metric (its metric definition's ``Name``, such as ``train:loss``), graphed by
    ``TrainingJobName``; ``threshold`` adds an alarm, ``silent_minutes`` a guard for NaN, infinite or stalled values.

    CloudWatch refuses NaN and infinite values (PutMetricData), and a NaN printed in the log leaves no datapoint, so a
    diverging loss shows as *silence*: ``silent_minutes`` alarms when the job's first instance reports CPU while this
    metric had no datapoint for that long (metric math ``IF(FILL(cpu, 0) > 0 AND FILL(metric, 0) == 0, 1, 0)`` on both
    sample counts). It catches NaN/inf values, a hung loop and a metric definition that stopped matching; it does not
    see a finite loss that grows (give a ``threshold`` for that)."""

    name_rule: ClassVar[names.NameRule] = names.ALGORITHM_METRIC

    silent_minutes: Optional[Annotated[StrictInt, Field(ge=1, le=1440)]] = None
    """Alarm when the job runs (its first instance reports CPU) but this metric reported nothing for so many minutes."""

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        return _check_name(cls.name_rule, value)


class QualityMetric(_MetricThreshold):
    """A Model Monitor model-quality metric of a schedule (``accuracy``, ``auc``, ``f1``, ``rmse``, ``mae``...), with
    an optional threshold (``comparison`` defaults to ``LessThanThreshold``: quality falling below it)."""

    comparison: Comparison = "LessThanThreshold"
    """How the statistic is compared with the threshold (default: quality falling below it)."""

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: Any) -> str:
        if not isinstance(value, str) or not names.ALGORITHM_METRIC.pattern.fullmatch(value):
            raise _error("invalid_name", f"{value!r} is not a metric name", "a model-quality metric such as auc")
        return value


def _unique_metrics(value: Any, taken: frozenset[str] = frozenset()) -> Any:
    if isinstance(value, (str, Mapping)):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return value
    seen: set[str] = set()
    for i, item in enumerate(value):
        name = item if isinstance(item, str) else item.get("name") if isinstance(item, Mapping) else getattr(item, "name", None)
        if isinstance(name, str) and name in taken:
            raise _error("duplicate", f"{name!r} is an instance metric of every training job",
                         "override its alarm under alarms instead", (i, "name"))
        if isinstance(name, str) and name in seen:
            raise _error("duplicate", f"metric {name!r} is listed twice", "list each metric once", (i, "name"))
        if isinstance(name, str):
            seen.add(name)
    return value


class _JobSpec(_GpuMixin, ResourceSpec):
    instance_count: Annotated[StrictInt, Field(ge=1, le=10_000)] = 1
    """Instances of the job: hosts ``<job>/algo-1`` .. ``<job>/algo-<n>``."""

    @property
    def features(self) -> frozenset[str]:
        return frozenset({"gpu"}) if self.gpu_count else frozenset()


class TrainingJobSpec(_JobSpec):
    """A SageMaker training job (instance metrics per host ``<job>/algo-<n>``, algorithm metrics by job)."""

    kind: ClassVar[str] = "training_job"
    name_rule: ClassVar[names.NameRule] = names.TRAINING_JOB

    metrics: tuple[AlgorithmMetric, ...] = ()
    """Algorithm metrics its metric definitions publish (``train:loss``, or ``{name, threshold, comparison,
    silent_minutes}``): graphed by ``TrainingJobName``, alarmed where a threshold or ``silent_minutes`` is set."""

    @field_validator("metrics", mode="before")
    @classmethod
    def _metrics(cls, value: Any) -> Any:
        return _unique_metrics(value, frozenset(r.metric for r in catalog_metrics.rows_of_kind("training_job")))

    def metric_rows(self) -> tuple[MetricDefinition, ...]:
        return catalog_metrics.rows_for(self.kind, self.features) + tuple(
            catalog_metrics.algorithm_row(m.name, m.alarm_default()) for m in self.metrics)


class ProcessingJobSpec(_JobSpec):
    """A SageMaker processing job (instance metrics per host ``<job>/algo-<n>``)."""

    kind: ClassVar[str] = "processing_job"
    name_rule: ClassVar[names.NameRule] = names.PROCESSING_JOB


class TransformJobSpec(_JobSpec):
    """A batch transform job: hosts carry instance ids, so its graphs use SEARCH and its alarms Metrics Insights."""

    kind: ClassVar[str] = "transform_job"
    name_rule: ClassVar[names.NameRule] = names.TRANSFORM_JOB


class FeatureGroupSpec(ResourceSpec):
    """A Feature Store feature group and the runtime operations to watch on it."""

    kind: ClassVar[str] = "feature_group"
    name_rule: ClassVar[names.NameRule] = names.FEATURE_GROUP

    operations: tuple[Literal["GetRecord", "PutRecord", "DeleteRecord"], ...] = FEATURE_STORE_OPERATIONS
    """Runtime operations to graph and alarm on (each is an ``OperationName`` dimension); default all three."""

    @field_validator("operations", mode="before")
    @classmethod
    def _operations(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple)):
            if not value:
                raise _error("too_short", "no operations", "list at least one of " + ", ".join(FEATURE_STORE_OPERATIONS))
            seen: set[str] = set()
            for i, operation in enumerate(value):
                if not isinstance(operation, str):  # its type error is the Literal's, at this index
                    continue
                if operation in seen:
                    raise _error("duplicate", f"operation {operation!r} is listed twice", "list each operation once",
                                 (i,))
                seen.add(operation)
        return value


class PipelineSpec(ResourceSpec):
    """A SageMaker pipeline; ``steps`` names the steps to graph and alarm on one by one."""

    kind: ClassVar[str] = "pipeline"
    name_rule: ClassVar[names.NameRule] = names.PIPELINE

    steps: tuple[str, ...] = ()
    """Step names whose step metrics (``StepFailed``, ``StepDuration``...) get graphs and alarms; default none,
    only the pipeline's execution metrics."""

    @field_validator("steps", mode="before")
    @classmethod
    def _steps(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple)):
            seen: set[str] = set()
            for i, step in enumerate(value):
                _check_name(names.PIPELINE_STEP, step, (i,))
                if step in seen:
                    raise _error("duplicate", f"step {step!r} is listed twice", "list each step once", (i,))
                seen.add(step)
        return value


class LabelingJobSpec(ResourceSpec):
    """A Ground Truth labeling job."""

    kind: ClassVar[str] = "labeling_job"
    name_rule: ClassVar[names.NameRule] = names.LABELING_JOB


class WorkteamSpec(ResourceSpec):
    """A Ground Truth private work team (``workforce``: its workforce, default the account's ``default``).

    No public source shows the dimensions SageMaker reports work-team metrics with (public dashboards
    search ``AWS/SageMaker/Workteam`` by ``CognitoUserPool``, ``LabelingJob``, ``WorkerId``), so a team's
    section graphs the namespace with SEARCH and it gets no alarm on a guessed dimension."""

    kind: ClassVar[str] = "workteam"
    name_rule: ClassVar[names.NameRule] = names.WORKTEAM

    workforce: Optional[str] = None
    """Name of the private workforce the team belongs to, when not the account's ``default`` (shown in the
    team's dashboard section)."""

    @field_validator("workforce", mode="before")
    @classmethod
    def _workforce(cls, value: Any) -> Any:
        return None if value is None else _check_name(names.WORKTEAM, value)


class HyperPodClusterSpec(ResourceSpec):
    """A SageMaker HyperPod cluster (EKS orchestration, Container Insights' HyperPod metrics by ``ClusterName``):
    node health graphs and alarms on nodes waiting for replacement or reboot."""

    kind: ClassVar[str] = "hyperpod_cluster"
    name_rule: ClassVar[names.NameRule] = names.HYPERPOD_CLUSTER


MonitoringType = Literal["data_quality", "model_quality", "bias", "explainability"]
MONITORING_TYPES: tuple[str, ...] = ("data_quality", "model_quality", "bias", "explainability")


class MonitoringScheduleSpec(ResourceSpec):
    """A Model Monitor schedule of an endpoint: drift and quality graphs found by SEARCH (metric names depend on the
    features), and alarms on model-quality ``metrics`` that carry a threshold."""

    kind: ClassVar[str] = "monitoring_schedule"
    name_rule: ClassVar[names.NameRule] = names.MONITORING_SCHEDULE

    endpoint: str
    """The endpoint the schedule monitors."""
    type: MonitoringType = "data_quality"
    """``data_quality`` (feature drift), ``model_quality``, ``bias`` or ``explainability`` (feature attribution)."""
    metrics: tuple[QualityMetric, ...] = ()
    """Model-quality metrics to graph one by one and alarm on where a threshold is given (``model_quality`` only)."""

    @field_validator("endpoint", mode="before")
    @classmethod
    def _endpoint(cls, value: Any) -> str:
        return _check_name(names.ENDPOINT, value)

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: Any) -> Any:
        if isinstance(value, str) and value not in MONITORING_TYPES:
            raise _error("invalid_type", f"{value!r} is not a monitoring type",
                         _did_you_mean(value, MONITORING_TYPES) + "one of " + ", ".join(MONITORING_TYPES))
        return value

    @field_validator("metrics", mode="before")
    @classmethod
    def _metrics(cls, value: Any) -> Any:
        return _unique_metrics(value)

    @model_validator(mode="after")
    def _quality_only(self) -> "MonitoringScheduleSpec":
        if self.metrics and self.type != "model_quality":
            raise _error("invalid_metrics", f"a {self.type} schedule has no model-quality metrics",
                         "list metrics on model_quality schedules only (drift graphs need none)", ("metrics",))
        return self

    def metric_rows(self) -> tuple[MetricDefinition, ...]:
        return tuple(catalog_metrics.model_quality_row(m.name, m.alarm_default()) for m in self.metrics)


#: keyword / configuration key -> spec class, in the construct's argument order.
SPEC_TYPES: dict[str, type[ResourceSpec]] = {
    "endpoints": EndpointSpec,
    "training_jobs": TrainingJobSpec,
    "processing_jobs": ProcessingJobSpec,
    "transform_jobs": TransformJobSpec,
    "feature_groups": FeatureGroupSpec,
    "pipelines": PipelineSpec,
    "labeling_jobs": LabelingJobSpec,
    "workteams": WorkteamSpec,
    "hyperpod_clusters": HyperPodClusterSpec,
    "monitoring_schedules": MonitoringScheduleSpec,
}


_KEY_OF_KIND: dict[str, str] = {spec.kind: key for key, spec in SPEC_TYPES.items()}

AlarmMode = Literal["per_resource", "fleet", "both"]
"""Per-resource alarms, fleet-wide Metrics Insights alarms, or both."""
ALARM_MODES: tuple[str, ...] = ("per_resource", "fleet", "both")

MAX_SHARDS = 400
"""Nested stacks are resources of their parent stack (500 at most, with the topic, trail...)."""


def _no_duplicates(items: Sequence[ResourceSpec], what: str) -> None:
    seen: dict[str, int] = {}
    errors: list[PydanticCustomError] = []
    for i, item in enumerate(items):
        if item.name in seen:
            errors.append(_error("duplicate", f"{what} {item.name!r} is listed twice (first at [{seen[item.name]}])",
                                 "list each name once; merge the two entries", (i, "name")))
        seen.setdefault(item.name, i)
    raise_all(errors)


class MonitoringConfig(_Model):
    """Everything ``SageMakerMonitoring`` watches and where its alarms go."""

    endpoints: tuple[EndpointSpec, ...] = ()
    """Real-time, multi-model, serverless and asynchronous endpoints: invocation, error and latency metrics per
    production variant, instance, GPU or model loading metrics by kind, queue metrics for asynchronous
    endpoints, and per inference component its invocations and utilization."""
    training_jobs: tuple[TrainingJobSpec, ...] = ()
    """Training jobs: CPU, memory, disk and GPU metrics per host ``<job>/algo-<n>``."""
    processing_jobs: tuple[ProcessingJobSpec, ...] = ()
    """Processing jobs: CPU, memory, disk and GPU metrics per host ``<job>/algo-<n>``."""
    transform_jobs: tuple[TransformJobSpec, ...] = ()
    """Batch transform jobs: instance metrics, graphed with SEARCH and alarmed fleet-wide (hosts carry
    instance ids unknown before a job runs)."""
    feature_groups: tuple[FeatureGroupSpec, ...] = ()
    """Feature Store feature groups: invocations, errors, throttling, latency and consumed capacity per
    operation."""
    pipelines: tuple[PipelineSpec, ...] = ()
    """SageMaker Pipelines: execution metrics, and step metrics for the steps listed."""
    labeling_jobs: tuple[LabelingJobSpec, ...] = ()
    """Ground Truth labeling jobs: dataset objects labeled and failed, jobs succeeded, failed and stopped."""
    workteams: tuple[WorkteamSpec, ...] = ()
    """Ground Truth private work teams: active workers, tasks accepted, declined, returned and submitted, and
    time spent."""
    hyperpod_clusters: tuple[HyperPodClusterSpec, ...] = ()
    """SageMaker HyperPod clusters (EKS): node health from Container Insights, alarms on unhealthy nodes."""
    monitoring_schedules: tuple[MonitoringScheduleSpec, ...] = ()
    """Model Monitor schedules (``{name, endpoint, type, metrics}``): drift and quality graphs, model-quality alarms."""

    alarm_emails: tuple[str, ...] = ()
    """Email addresses subscribed to the alarm topic (each confirms the subscription by mail)."""
    alarm_topic_arn: Optional[str] = None
    """Send alarms to this existing SNS topic instead of creating one."""
    alarm_actions: dict[Severity, SeverityActions] = Field(default_factory=dict)
    """Actions per severity (``{Critical: [arn...], Warning: {actions: [arn...], ok_actions: false}}``): SNS
    topics, Lambda functions, SSM OpsItems, Incident Manager response plans. A severity listed here notifies
    only these; one left out notifies the alarm topic (``alarm_emails`` / ``alarm_topic_arn``)."""
    custom_metrics: tuple[CustomMetric, ...] = ()
    """Metrics of your own, each attached to a resource kind: graphed, alarmed, overridable under each
    resource's ``alarms`` and sharded like catalog metrics."""
    runbook_url: Optional[str] = None
    """Runbook link written into every alarm's description, unless a resource or an alarm override has its own."""
    dashboard_name: Optional[str] = None
    """Prefix of the dashboards' names (default: the stack name)."""
    alarm_name_prefix: str = "SageMaker"
    """First part of every alarm name; alarm names are unique per account and region."""
    fleet_overview: StrictBool = True
    """Add the fleet overview dashboard (SEARCH widgets over every resource of the account)."""
    composite_alarms: StrictBool = True
    """Roll each endpoint's alarms up into one composite alarm."""
    anomaly_alarms: StrictBool = False
    """Add anomaly-band alarms to every endpoint: traffic drop (``Invocations`` under its band) and latency
    drift (``ModelLatency`` over its band), band 2; an override's own ``anomaly`` wins. Each is billed as three
    alarm metrics."""
    guardrail_outputs: StrictBool = True
    """Output each endpoint's guardrail alarm names (for ``AutoRollbackConfiguration``)."""
    cost_annotation: StrictBool = True
    """Add the monthly cost estimate of the monitoring (list prices) to the stack as an info annotation at synth."""
    alarm_mode: Union[AlarmMode, dict[str, AlarmMode]] = "per_resource"
    """``per_resource`` (alarms per endpoint, job...), ``fleet`` (one Metrics Insights alarm per metric over
    every resource of the kind in the account and region, each resource a contributor) or ``both``; or a
    mapping from list key to mode (``{endpoints: fleet, training_jobs: per_resource}``). Transform jobs
    always get fleet alarms."""
    metrics_insights_alarm_quota: Annotated[StrictInt, Field(ge=0)] = 200
    """Metrics Insights alarms this configuration may create in its region (CloudWatch's default quota is
    200 per account and region, shared by every stack there): refused at synth when fleet alarms need more."""
    shards: Optional[Annotated[StrictInt, Field(ge=0, le=MAX_SHARDS)]] = None
    """Nested stacks the per-resource alarms and dashboard pages are spread over (a resource's nested
    stack follows from a hash of its kind and name). Default: none while everything fits in one stack
    (about 60 endpoints), else one per about 300 alarms. ``0`` keeps everything in one stack.
    Changing it moves resources between nested stacks: set it once for a fleet that grows."""

    @field_validator("endpoints", "training_jobs", "processing_jobs", "transform_jobs", "feature_groups",
                     "pipelines", "labeling_jobs", "workteams", "hyperpod_clusters", "monitoring_schedules",
                     mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        if isinstance(value, (str, Mapping, BaseModel)):
            return [value]
        return value

    @field_validator("endpoints", "training_jobs", "processing_jobs", "transform_jobs", "feature_groups",
                     "pipelines", "labeling_jobs", "workteams", "hyperpod_clusters", "monitoring_schedules")
    @classmethod
    def _unique(cls, value: tuple[ResourceSpec, ...], info: Any) -> tuple[ResourceSpec, ...]:
        _no_duplicates(value, info.field_name.rstrip("s").replace("_", " "))
        return value

    @field_validator("runbook_url")
    @classmethod
    def _runbook(cls, value: Optional[str]) -> Optional[str]:
        return _runbook_url(value)

    @field_validator("alarm_actions", mode="before")
    @classmethod
    def _severities(cls, value: Any) -> Any:
        if isinstance(value, Mapping):
            for key in value:
                if key not in SEVERITIES:
                    raise _error("unknown_severity", f"{key!r} is not a severity",
                                 _did_you_mean(str(key), SEVERITIES) + "severities: " + ", ".join(SEVERITIES), (key,))
        return value

    @field_validator("custom_metrics", mode="before")
    @classmethod
    def _listify_custom(cls, value: Any) -> Any:
        return [value] if isinstance(value, (Mapping, BaseModel)) else value

    @model_validator(mode="after")
    def _check_custom(self, info: ValidationInfo) -> "MonitoringConfig":
        errors: list[PydanticCustomError] = []
        seen: dict[tuple[str, str], int] = {}
        widgets: dict[tuple[str, str], tuple[int, str]] = {}
        for i, custom in enumerate(self.custom_metrics):
            ident = (custom.kind, custom.metric)
            graph = (custom.family.key, custom.row.widget)
            first = widgets.setdefault(graph, (i, custom.unit))
            if any(r.metric == custom.metric for r in catalog_metrics.rows_of_kind(custom.kind)):
                errors.append(_error("duplicate", f"{custom.metric!r} is already a catalog metric of {custom.kind}s",
                                     "change its alarm with the resources' alarms overrides, or name the metric "
                                     "differently", ("custom_metrics", i, "metric")))
            elif ident in seen:
                errors.append(_error("duplicate", f"{custom.kind} metric {custom.metric!r} is listed twice (first at "
                                     f"[{seen[ident]}])", "list each metric of a kind once",
                                     ("custom_metrics", i, "metric")))
            elif first[1] != custom.unit:
                errors.append(_error("invalid_widget", f"shares the graph {custom.row.widget!r} with "
                                     f"custom_metrics[{first[0]}] but its unit is {custom.unit}, not {first[1]}",
                                     "give it a widget title of its own", ("custom_metrics", i, "widget")))
            seen.setdefault(ident, i)
        # custom metrics refused elsewhere in this validation: overrides naming them are not "unknown" too
        lenient = frozenset((info.context or {}).get(LENIENT_METRICS, ()))
        for key in SPEC_TYPES:
            for i, spec in enumerate(getattr(self, key)):
                errors.extend(override_errors(spec, self.possible_rows(spec.kind), loc=(key, i), lenient=lenient))
        if all(severity in self.alarm_actions for severity in SEVERITIES):
            unused = "alarm_emails" if self.alarm_emails else "alarm_topic_arn" if self.alarm_topic_arn else None
            if unused is not None:
                errors.append(_error("unused", "no alarm would notify it: every severity has its own alarm_actions",
                                     f"add its topic's ARN to alarm_actions, or leave {unused} out", (unused,)))
        raise_all(errors, type(self).__name__)
        return self

    def actions_of(self, severity: str) -> Optional[SeverityActions]:
        """The ``alarm_actions`` of ``severity``, or ``None`` when its alarms notify the alarm topic."""
        return self.alarm_actions.get(severity)  # type: ignore[call-overload]

    @property
    def uses_alarm_topic(self) -> bool:
        """Whether some alarm notifies the alarm topic (created here unless ``alarm_topic_arn`` names one)."""
        return any(severity not in self.alarm_actions for severity in SEVERITIES)

    def custom_rows(self, kind: str) -> tuple[MetricDefinition, ...]:
        """The rows of ``custom_metrics`` attached to resources of ``kind``, in the order given."""
        return tuple(c.row for c in self.custom_metrics if c.kind == kind)

    def possible_rows(self, kind: str) -> tuple[MetricDefinition, ...]:
        """Every row (catalog, then custom) a resource of ``kind`` can have, whatever its features."""
        return catalog_metrics.rows_of_kind(kind) + self.custom_rows(kind)

    def rows_of(self, spec: ResourceSpec) -> tuple[MetricDefinition, ...]:
        """The rows ``spec`` gets: its catalog rows, then the custom rows its features allow."""
        custom = tuple(r for r in self.custom_rows(spec.kind) if r.requires <= spec.features)
        return spec.metric_rows() + custom

    @field_validator("alarm_mode", mode="before")
    @classmethod
    def _alarm_mode(cls, value: Any) -> Any:
        modes = ", ".join(ALARM_MODES)
        if isinstance(value, str) and value not in ALARM_MODES:
            raise _error("invalid_alarm_mode", f"{value!r} is not an alarm mode",
                         _did_you_mean(value, ALARM_MODES) + f"one of {modes}, or a mapping such as "
                         "{endpoints: fleet}")
        if not isinstance(value, (str, Mapping)):
            raise _error("invalid_alarm_mode", f"expected an alarm mode or a mapping, got {type(value).__name__}",
                         f"one of {modes}, or a mapping such as {{endpoints: fleet}}")
        if isinstance(value, Mapping):
            for key, mode in value.items():
                if key not in SPEC_TYPES:
                    raise _error("unknown_key", f"{key!r} is not a resource list",
                                 _did_you_mean(str(key), list(SPEC_TYPES)) + "keys: " + ", ".join(SPEC_TYPES), (key,))
                if not isinstance(mode, str) or mode not in ALARM_MODES:
                    raise _error("invalid_alarm_mode", f"{mode!r} is not an alarm mode",
                                 (_did_you_mean(mode, ALARM_MODES) if isinstance(mode, str) else "") + f"one of {modes}",
                                 (key,))
                if key == "transform_jobs" and mode != "fleet":
                    raise _error("invalid_alarm_mode", f"transform jobs cannot have {mode!r} alarms",
                                 "transform-job hosts are unknown until a job runs: their alarms are always fleet "
                                 "alarms (leave transform_jobs out)", (key,))
        return value

    def alarm_mode_of(self, kind: str) -> str:
        """``per_resource``, ``fleet`` or ``both`` for resources of ``kind`` (``endpoint``...)."""
        if kind == "transform_job":
            return "fleet"
        if isinstance(self.alarm_mode, str):
            return self.alarm_mode
        return self.alarm_mode.get(_KEY_OF_KIND[kind], "per_resource")

    @field_validator("alarm_emails", mode="before")
    @classmethod
    def _emails(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, (list, tuple)):
            seen: set[str] = set()
            for i, email in enumerate(value):
                if not isinstance(email, str) or not names.EMAIL.pattern.fullmatch(email):
                    raise _error("invalid_email", f"{email!r} is not an email address", names.EMAIL.description,
                                 (i,))
                if email.lower() in seen:
                    raise _error("duplicate", f"{email!r} is listed twice", "list each address once", (i,))
                seen.add(email.lower())
        return value

    @field_validator("alarm_topic_arn")
    @classmethod
    def _topic(cls, value: Optional[str]) -> Optional[str]:
        return matching(value, _SNS_ARN, "invalid_arn", "an SNS topic ARN",
                        "for example arn:aws:sns:us-east-1:123456789012:alerts")

    @field_validator("dashboard_name")
    @classmethod
    def _dashboard(cls, value: Optional[str]) -> Optional[str]:
        return matching(value, names.DASHBOARD.pattern, "invalid_name", "a valid dashboard name", names.DASHBOARD.description)

    @field_validator("alarm_name_prefix")
    @classmethod
    def _prefix(cls, value: str) -> str:
        return named(names.ALARM_NAME_PREFIX, value)

    def resources(self) -> tuple[ResourceSpec, ...]:
        """Every resource spec, in argument order (endpoints first)."""
        return tuple(spec for key in SPEC_TYPES for spec in getattr(self, key))
