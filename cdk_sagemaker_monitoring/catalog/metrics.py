"""Every metric AWS documents for SageMaker, one :class:`~.model.MetricDefinition` each.

To add a metric: add a row (keyword arguments) to the family's tuple below and a line to the facts
table ``tests/facts/sagemaker_metrics.csv`` (its source and confidence), or the test that compares the
two fails. Its widget is named by ``widget``; its default alarm, if any, is an
:class:`~.model.AlarmDefault` with the threshold in the metric's own unit.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Iterable, Optional

from . import evidence as src
from . import families as f
from .evidence import Confidence, Source
from .model import AlarmDefault, Family, Feature, MetricDefinition
from .units import PERCENT, PERCENT_PER_GPU, SHARE, Ceiling

ALL = ("Average", "Sum", "Minimum", "Maximum", "SampleCount")
ALL_BUT_SUM = ("Average", "Minimum", "Maximum", "SampleCount")
AVG_SUM = ("Average", "Sum")
AVG_MIN_MAX = ("Average", "Minimum", "Maximum")
MIN_MAX = ("Minimum", "Maximum")
SUM = ("Sum",)
SUM_COUNT = ("Sum", "SampleCount")
MAX = ("Maximum",)
UTILIZATION = ("Average", "Minimum", "Maximum")
"""The pages list no statistics for utilization metrics; these are the ones that make sense for a percentage."""

_NONE: frozenset[Feature] = frozenset()
_MME: frozenset[Feature] = frozenset({"multi_model"})
_GPU: frozenset[Feature] = frozenset({"gpu"})
_PROVISIONED: frozenset[Feature] = frozenset({"provisioned"})
_PROVISIONED_GPU: frozenset[Feature] = frozenset({"provisioned", "gpu"})
_SERVERLESS: frozenset[Feature] = frozenset({"serverless"})
_PC: frozenset[Feature] = frozenset({"serverless", "provisioned_concurrency"})
_SYNC: frozenset[Feature] = frozenset({"synchronous"})
_REALTIME: frozenset[Feature] = frozenset({"realtime"})
_ASYNC: frozenset[Feature] = frozenset({"asynchronous"})
_IC_HOST: frozenset[Feature] = frozenset({"inference_components"})
_IC_HOST_GPU: frozenset[Feature] = frozenset({"inference_components", "gpu"})
_ENHANCED: frozenset[Feature] = frozenset({"enhanced_metrics"})
_ENHANCED_GPU: frozenset[Feature] = frozenset({"enhanced_metrics", "gpu"})
_MCE: frozenset[Feature] = frozenset({"multi_container"})
_SCALE_TO_ZERO: frozenset[Feature] = frozenset({"scale_to_zero"})

Row = Callable[..., MetricDefinition]


def _family(family: Family, source: Source, confidence: Confidence) -> Row:
    """A row maker for ``family`` whose rows default to ``source`` and ``confidence``."""

    def row(*, metric: str, unit: Any, statistics: tuple[str, ...], widget: str, dashboard: str, description: str,
            requires: frozenset[Feature] = _NONE, alarm: Optional[AlarmDefault] = None, percentiles: bool = False,
            source: Source = source, confidence: Confidence = confidence,
            ceiling: Optional[Ceiling] = None) -> MetricDefinition:
        return MetricDefinition(family=family, metric=metric, unit=unit, statistics=statistics,
                                description=description, source=source, confidence=confidence, widget=widget,
                                dashboard_statistic=dashboard, percentiles=percentiles, requires=requires,
                                alarm=alarm, ceiling=ceiling)

    return row


def _error_rate(rate: float, severity: Any, what: str = "requests") -> AlarmDefault:
    """An alarm on a 0/1-per-request metric's Average: the share of requests that failed."""
    return AlarmDefault(kind="error", comparison="GreaterThanThreshold", threshold=rate,
                        meaning=f"{rate * 100:g} % of {what}", statistic="Average", severity=severity)


def _latency(microseconds: float, meaning: str, severity: Any = "Warning") -> AlarmDefault:
    return AlarmDefault(kind="latency", comparison="GreaterThanThreshold", threshold=microseconds, meaning=meaning,
                        statistic="Average", severity=severity)


def _saturation(percent: float, severity: Any, per_gpu: bool = False) -> AlarmDefault:
    return AlarmDefault(kind="saturation", comparison="GreaterThanThreshold", threshold=percent,
                        meaning=f"{percent:g} %" + (" per GPU" if per_gpu else ""), statistic="Maximum",
                        severity=severity, scales_with="gpu" if per_gpu else None)


def _failure(count: int, statistic: str, severity: Any, what: str, period: int = 300) -> AlarmDefault:
    """Fires on the first period with more than ``count`` failures."""
    return AlarmDefault(kind="failure", comparison="GreaterThanThreshold", threshold=count,
                        meaning=f"{count} {what}", statistic=statistic, severity=severity, period=period,
                        evaluation_periods=1, datapoints_to_alarm=1)


# ------------------------------------------------------------------------------------------ endpoints

_inv = _family(f.ENDPOINT_INVOCATION, src.METRICS_PAGE, "aws-doc")
ENDPOINT_INVOCATION = (
    _inv(metric="ConcurrentRequestsPerModel", unit="None", statistics=MIN_MAX, widget="Concurrency",
         dashboard="Maximum", description="Concurrent requests the model is receiving", requires=_REALTIME),
    _inv(metric="Invocation4XXErrors", unit="None", statistics=AVG_SUM, widget="Errors (share of requests)",
         dashboard="Average",
         description="InvokeEndpoint requests the model answered with a 4xx code (1 per 4xx, else 0)", ceiling=SHARE,
         alarm=_error_rate(0.05, "Warning")),
    _inv(metric="Invocation5XXErrors", unit="None", statistics=AVG_SUM, widget="Errors (share of requests)",
         dashboard="Average",
         description="InvokeEndpoint requests the model answered with a 5xx code (1 per 5xx, else 0)", ceiling=SHARE,
         alarm=_error_rate(0.01, "Critical")),
    _inv(metric="InvocationModelErrors", unit="None", statistics=AVG_SUM, widget="Errors (share of requests)",
         dashboard="Average", description="Model invocations without a 2xx response (codes, socket errors, timeouts)",
         requires=_REALTIME, alarm=_error_rate(0.02, "Critical"), ceiling=SHARE),
    _inv(metric="Invocations", unit="None", statistics=SUM, widget="Invocations", dashboard="Sum",
         description="InvokeEndpoint requests sent to the variant", requires=_SYNC),
    _inv(metric="InvocationsPerInstance", unit="None", statistics=SUM, widget="Invocations", dashboard="Sum",
         description="Invocations normalized by the variant's instance count", requires=_REALTIME),
    _inv(metric="ModelLatency", unit="Microseconds", statistics=ALL, widget="Latency", dashboard="Average",
         description="Time the model took to respond as seen from SageMaker", percentiles=True,
         alarm=_latency(1_000_000, "1 s")),
    _inv(metric="OverheadLatency", unit="Microseconds", statistics=ALL, widget="Latency", dashboard="Average",
         description="Time SageMaker added on top of ModelLatency (serverless: cold starts included)",
         requires=_SYNC, alarm=_latency(100_000, "100 ms")),
    _inv(metric="ModelSetupTime", unit="Microseconds", statistics=ALL_BUT_SUM, widget="Serverless cold starts",
         dashboard="Maximum", description="Time to launch compute for a serverless endpoint (cold start)",
         requires=_SERVERLESS, percentiles=True),
)

_queue = _family(f.ENDPOINT_ASYNC_QUEUE, src.ASYNC_PAGE, "aws-doc")
ENDPOINT_ASYNC_QUEUE = (
    _queue(metric="ApproximateBacklogSize", unit="Count", statistics=AVG_MIN_MAX, widget="Backlog",
           dashboard="Maximum", description="Requests queued or being processed", requires=_ASYNC),
    _queue(metric="ApproximateBacklogSizePerInstance", unit="Count", statistics=AVG_MIN_MAX, widget="Backlog",
           dashboard="Maximum", description="Queued requests per instance (what autoscaling tracks)", requires=_ASYNC),
    _queue(metric="ApproximateAgeOfOldestRequest", unit="Seconds", statistics=AVG_MIN_MAX, widget="Oldest request",
           dashboard="Maximum", description="Age of the oldest queued request", requires=_ASYNC,
           alarm=AlarmDefault(kind="latency", comparison="GreaterThanThreshold", threshold=1800, meaning="30 min",
                              statistic="Maximum", severity="Warning", period=300, evaluation_periods=3,
                              datapoints_to_alarm=2)),
    _queue(metric="HasBacklogWithoutCapacity", unit="Count", statistics=("Average",), widget="No capacity",
           dashboard="Average", source=src.ASYNC_AUTOSCALE_PAGE, requires=_ASYNC,
           description="1 while requests wait and no instance serves the endpoint (scaled to zero), else 0",
           ceiling=SHARE,
           alarm=AlarmDefault(kind="saturation", comparison="GreaterThanThreshold", threshold=0, meaning="0",
                              statistic="Average", severity="Critical", period=300, evaluation_periods=3,
                              datapoints_to_alarm=3)),
)

_async = _family(f.ENDPOINT_ASYNC, src.ASYNC_PAGE, "aws-doc")
ENDPOINT_ASYNC = (
    _async(metric="RequestDownloadFailures", unit="Count", statistics=SUM, widget="Failures", dashboard="Sum",
           description="Inferences that failed downloading the request from Amazon S3", requires=_ASYNC,
           alarm=_failure(0, "Sum", "Critical", "failed downloads")),
    _async(metric="ResponseUploadFailures", unit="Count", statistics=SUM, widget="Failures", dashboard="Sum",
           description="Inferences that failed uploading the response to Amazon S3", requires=_ASYNC,
           alarm=_failure(0, "Sum", "Critical", "failed uploads")),
    _async(metric="NotificationFailures", unit="Count", statistics=SUM, widget="Failures", dashboard="Sum",
           description="Success or error notifications that could not be published", requires=_ASYNC,
           alarm=_failure(0, "Sum", "Warning", "failed notifications")),
    _async(metric="ExpiredRequests", unit="Count", statistics=SUM, widget="Failures", dashboard="Sum",
           description="Queued requests that failed on reaching their time to live", requires=_ASYNC,
           alarm=_failure(0, "Sum", "Warning", "expired requests")),
    _async(metric="InvocationFailures", unit="Count", statistics=SUM, widget="Failures", dashboard="Sum",
           description="Asynchronous invocations that failed for any reason", requires=_ASYNC,
           alarm=_failure(0, "Sum", "Critical", "failed invocations")),
    _async(metric="InvocationsProcessed", unit="Count", statistics=SUM, widget="Processed", dashboard="Sum",
           description="Asynchronous invocations processed", requires=_ASYNC, source=src.ASYNC_SPELLING,
           confidence="third-party"),
    _async(metric="RequestDownloadLatency", unit="Microseconds", statistics=ALL, widget="Payload transfer",
           dashboard="Average", description="Time to download the request payload", requires=_ASYNC),
    _async(metric="ResponseUploadLatency", unit="Microseconds", statistics=ALL, widget="Payload transfer",
           dashboard="Average", description="Time to upload the response payload", requires=_ASYNC),
    _async(metric="TimeInBacklog", unit="Microseconds", statistics=ALL, widget="Payload transfer and backlog",
           dashboard="Average", description="Time a request waited in the queue before processing", requires=_ASYNC),
    _async(metric="TotalProcessingTime", unit="Milliseconds", statistics=ALL, widget="Total processing time",
           dashboard="Average", description="From receipt to finished processing (backlog, upload, notification)",
           requires=_ASYNC),
)

_sls = _family(f.ENDPOINT_SERVERLESS, src.SERVERLESS_PAGE, "inferred")
ENDPOINT_SERVERLESS = (
    _sls(metric="ServerlessConcurrentExecutionsUtilization", unit="None", statistics=AVG_MIN_MAX,
         widget="Concurrency (share of the maximum)", dashboard="Maximum", requires=_SERVERLESS,
         description="Concurrent executions divided by the endpoint's maximum concurrency"),
    _sls(metric="ServerlessProvisionedConcurrencyUtilization", unit="None", statistics=AVG_MIN_MAX,
         widget="Concurrency (share of the maximum)", dashboard="Maximum", requires=_PC,
         description="Concurrent executions divided by the provisioned concurrency"),
    _sls(metric="ServerlessProvisionedConcurrencyExecutions", unit="Count", statistics=AVG_MIN_MAX,
         widget="Provisioned concurrency", dashboard="Maximum", requires=_PC,
         description="Concurrent executions handled by provisioned concurrency"),
    _sls(metric="ServerlessProvisionedConcurrencyInvocations", unit="Count", statistics=AVG_MIN_MAX,
         widget="Provisioned concurrency", dashboard="Maximum", requires=_PC,
         description="InvokeEndpoint requests handled by provisioned concurrency"),
    _sls(metric="ServerlessProvisionedConcurrencySpilloverInvocations", unit="Count", statistics=AVG_MIN_MAX,
         widget="Provisioned concurrency", dashboard="Maximum", requires=_PC,
         description="Requests beyond the provisioned concurrency, served on demand (with cold starts)"),
)

_mme = _family(f.ENDPOINT_MODEL_LOADING, src.METRICS_PAGE, "aws-doc")
ENDPOINT_MODEL_LOADING = (
    _mme(metric="ModelLoadingWaitTime", unit="Microseconds", statistics=ALL, widget="Model loading",
         dashboard="Average",
         description="Time a request waited for its model to be downloaded and/or loaded", requires=_MME,
         alarm=_latency(10_000_000, "10 s")),
    _mme(metric="ModelUnloadingTime", unit="Microseconds", statistics=ALL, widget="Model loading", dashboard="Average",
         description="Time the container's UnloadModel call took", requires=_MME),
    _mme(metric="ModelDownloadingTime", unit="Microseconds", statistics=ALL, widget="Model loading",
         dashboard="Average", description="Time to download the model from Amazon S3", requires=_MME),
    _mme(metric="ModelLoadingTime", unit="Microseconds", statistics=ALL, widget="Model loading", dashboard="Average",
         description="Time the container's LoadModel call took", requires=_MME),
    _mme(metric="ModelCacheHit", unit="None", statistics=("Average", "Sum", "SampleCount"), widget="Model cache",
         dashboard="Average", description="Requests whose model was already loaded (Average: the hit ratio)",
         ceiling=SHARE,
         requires=_MME),
)

ENDPOINT_LOADED_MODELS = (
    _family(f.ENDPOINT_LOADED_MODELS, src.METRICS_PAGE, "aws-doc")(
        metric="LoadedModelCount", unit="None", statistics=ALL, widget="Loaded models", dashboard="Average",
        description="Models loaded in the containers, per instance (Sum: across instances)", requires=_MME),
)


def _instance_rows(family: Family, *, endpoint: bool, disk: bool = True, gpu_alarm: bool = True
                   ) -> tuple[MetricDefinition, ...]:
    """The five instance metrics shared by endpoints and jobs (transform jobs have no disk metric).

    Transform jobs share fleet alarms (one for every job), so no per-GPU threshold there (``gpu_alarm``).
    Serverless endpoints report ``MemoryUtilization`` only.
    """
    row = _family(family, src.METRICS_PAGE, "aws-doc")
    base = _PROVISIONED if endpoint else _NONE
    gpu = _PROVISIONED_GPU if endpoint else _GPU
    where = ("the instances of the variant (summed over containers)" if endpoint
             else "the job's container on the instance")
    rows = [
        row(metric="CPUUtilization", unit="Percent", statistics=UTILIZATION, widget="CPU", dashboard="Average",
            description=f"CPU utilization of {where}; percent times the number of cores (4 cores: 0-400 %)",
            requires=base),
        row(metric="MemoryUtilization", unit="Percent", statistics=UTILIZATION, widget="Memory and disk",
            dashboard="Maximum", description=f"Memory used by {where}, 0-100 %", ceiling=PERCENT,
            alarm=_saturation(90, "Warning"),
            source=src.SERVERLESS_PAGE if endpoint else src.METRICS_PAGE),
        row(metric="GPUUtilization", unit="Percent", statistics=UTILIZATION, widget="GPU", dashboard="Average",
            description=f"GPU utilization of {where}; percent times the number of GPUs",
            ceiling=PERCENT_PER_GPU, requires=gpu),
        row(metric="GPUMemoryUtilization", unit="Percent", statistics=UTILIZATION, widget="GPU", dashboard="Maximum",
            description=f"GPU memory used by {where}; percent times the number of GPUs",
            ceiling=PERCENT_PER_GPU, requires=gpu,
            alarm=_saturation(90, "Warning", per_gpu=True) if gpu_alarm else None),
    ]
    if disk:
        rows.append(row(metric="DiskUtilization", unit="Percent", statistics=UTILIZATION, widget="Memory and disk",
                        dashboard="Maximum", description=f"Disk space used by {where}, 0-100 %",
                        ceiling=PERCENT, requires=base,
                        alarm=_saturation(90, "Critical")))
    return tuple(rows)


ENDPOINT_INSTANCE = _instance_rows(f.ENDPOINT_INSTANCE, endpoint=True)

_host = _family(f.ENDPOINT_COMPONENT_HOST, src.METRICS_PAGE, "aws-doc")
ENDPOINT_COMPONENT_HOST = (
    _host(metric="CPUReservation", unit="Percent", statistics=UTILIZATION, widget="Reserved", dashboard="Maximum",
          description="Share of the instance's CPUs reserved by inference components, 0-100 %",
          ceiling=PERCENT, requires=_IC_HOST),
    _host(metric="MemoryReservation", unit="Percent", statistics=UTILIZATION, widget="Reserved", dashboard="Maximum",
          description="Share of the instance's memory reserved by inference components, 0-100 %",
          ceiling=PERCENT, requires=_IC_HOST),
    _host(metric="GPUReservation", unit="Percent", statistics=UTILIZATION, widget="Reserved", dashboard="Maximum",
          description="Share of the instance's GPUs reserved by inference components, 0-100 %", ceiling=PERCENT,
          requires=_IC_HOST_GPU),
    _host(metric="CPUUtilizationNormalized", unit="Percent", statistics=UTILIZATION, widget="Normalized utilization",
          dashboard="Average", description="CPU utilization over all cores, 0-100 %",
          ceiling=PERCENT, requires=_IC_HOST),
    _host(metric="GPUUtilizationNormalized", unit="Percent", statistics=UTILIZATION,
          widget="Normalized utilization", dashboard="Average", description="GPU utilization over all GPUs, 0-100 %",
          ceiling=PERCENT,
          requires=_IC_HOST_GPU),
    _host(metric="GPUMemoryUtilizationNormalized", unit="Percent", statistics=UTILIZATION,
          widget="Normalized utilization", dashboard="Maximum",
          description="GPU memory used over all GPUs, 0-100 %", ceiling=PERCENT, requires=_IC_HOST_GPU),
)

# ------------------------------------------------------------------------------ inference components

_ici = _family(f.COMPONENT_INVOCATION, src.METRICS_PAGE, "aws-doc")
COMPONENT_INVOCATION = (
    _ici(metric="ConcurrentRequestsPerCopy", unit="None", statistics=MIN_MAX, widget="Concurrency",
         dashboard="Maximum", description="Concurrent requests per copy of the inference component"),
    _ici(metric="Invocation4XXErrors", unit="None", statistics=AVG_SUM, widget="Errors (share of requests)",
         dashboard="Average", description="Requests to the component answered with a 4xx code (1 per 4xx, else 0)",
         ceiling=SHARE),
    _ici(metric="Invocation5XXErrors", unit="None", statistics=AVG_SUM, widget="Errors (share of requests)",
         dashboard="Average", description="Requests to the component answered with a 5xx code (1 per 5xx, else 0)",
         ceiling=SHARE,
         alarm=_error_rate(0.01, "Critical")),
    _ici(metric="InvocationModelErrors", unit="None", statistics=AVG_SUM, widget="Errors (share of requests)",
         dashboard="Average", description="Requests to the component's model without a 2xx response",
         alarm=_error_rate(0.02, "Critical"), ceiling=SHARE),
    _ici(metric="Invocations", unit="None", statistics=SUM, widget="Invocations", dashboard="Sum",
         description="Requests sent to the inference component"),
    _ici(metric="InvocationsPerCopy", unit="None", statistics=SUM, widget="Invocations", dashboard="Sum",
         description="Invocations normalized by the component's copy count"),
    _ici(metric="ModelLatency", unit="Microseconds", statistics=ALL, widget="Latency", dashboard="Average",
         description="Time the component's model took to respond", percentiles=True,
         alarm=_latency(1_000_000, "1 s")),
    _ici(metric="OverheadLatency", unit="Microseconds", statistics=ALL, widget="Latency", dashboard="Average",
         description="Time SageMaker added on top of the component's ModelLatency"),
    _ici(metric="NoCapacityInvocationFailures", unit="None", statistics=("Sum", "Maximum"), widget="No capacity",
         dashboard="Sum", source=src.SCALE_TO_ZERO_PAGE, requires=_SCALE_TO_ZERO,
         description="Requests that failed because the component had no copy on any instance (scaled to zero)",
         alarm=AlarmDefault(kind="failure", comparison="GreaterThanThreshold", threshold=0,
                            meaning="0 failed requests", statistic="Sum", severity="Warning", period=60,
                            evaluation_periods=1, datapoints_to_alarm=1)),
)

_icu = _family(f.COMPONENT_UTILIZATION, src.METRICS_PAGE, "aws-doc")
COMPONENT_UTILIZATION = (
    _icu(metric="CPUUtilizationNormalized", unit="Percent", statistics=UTILIZATION,
         widget="Utilization of the reservation", dashboard="Average",
         description="CPU used by each copy over its reservation (or limit), 0-100 %", ceiling=PERCENT),
    _icu(metric="MemoryUtilizationNormalized", unit="Percent", statistics=UTILIZATION,
         widget="Utilization of the reservation", dashboard="Maximum",
         description="Memory used by each copy over its reservation (or limit), 0-100 %", ceiling=PERCENT,
         alarm=_saturation(90, "Warning")),
    _icu(metric="GPUUtilizationNormalized", unit="Percent", statistics=UTILIZATION,
         widget="Utilization of the reservation", dashboard="Average",
         description="GPU used by each copy over its reservation (or limit), 0-100 %", ceiling=PERCENT, requires=_GPU),
    _icu(metric="GPUMemoryUtilizationNormalized", unit="Percent", statistics=UTILIZATION,
         widget="Utilization of the reservation", dashboard="Maximum",
         description="GPU memory used by each copy over its reservation, 0-100 %", ceiling=PERCENT, requires=_GPU,
         alarm=_saturation(90, "Warning")),
)

# ------------------------------------------------------------------ multi-container endpoints, enhanced metrics

_mce = _family(f.ENDPOINT_CONTAINER, src.MULTI_CONTAINER_PAGE, "aws-doc")
ENDPOINT_CONTAINER = (
    _mce(metric="Invocations", unit="None", statistics=SUM_COUNT, widget="Invocations per container", dashboard="Sum",
         description="InvokeEndpoint requests sent to the container (direct invocation)", requires=_MCE),
    _mce(metric="Invocation4XXErrors", unit="None", statistics=AVG_SUM, widget="Errors per container (share)",
         dashboard="Average", description="Requests the container answered with a 4xx code (1 per 4xx, else 0)",
         ceiling=SHARE, requires=_MCE),
    _mce(metric="Invocation5XXErrors", unit="None", statistics=AVG_SUM, widget="Errors per container (share)",
         dashboard="Average", description="Requests the container answered with a 5xx code (1 per 5xx, else 0)",
         ceiling=SHARE, requires=_MCE),
)

ENDPOINT_CONTAINER_LATENCY = (
    _family(f.ENDPOINT_CONTAINER_LATENCY, src.MULTI_CONTAINER_PAGE, "aws-doc")(
        metric="ContainerLatency", unit="Microseconds", statistics=ALL, widget="Latency per container",
        dashboard="Average", description="Time the target container took to respond, as seen from SageMaker",
        requires=_MCE, alarm=_latency(1_000_000, "1 s")),
)

_enh = _family(f.ENDPOINT_INSTANCE_ENHANCED, src.ENHANCED_PAGE, "inferred")
ENDPOINT_INSTANCE_ENHANCED = (
    _enh(metric="CPUUtilization", unit="Percent", statistics=UTILIZATION, widget="Worst instances: CPU",
         dashboard="Maximum", description="CPU utilization of one instance; percent times its cores",
         requires=_ENHANCED),
    _enh(metric="MemoryUtilization", unit="Percent", statistics=UTILIZATION, widget="Worst instances: memory and disk",
         dashboard="Maximum", description="Memory used on one instance, 0-100 %", ceiling=PERCENT,
         requires=_ENHANCED, alarm=_saturation(90, "Warning")),
    _enh(metric="DiskUtilization", unit="Percent", statistics=UTILIZATION, widget="Worst instances: memory and disk",
         dashboard="Maximum", description="Disk space used on one instance, 0-100 %", ceiling=PERCENT,
         requires=_ENHANCED, alarm=_saturation(90, "Critical")),
)

_egpu = _family(f.ENDPOINT_GPU_ENHANCED, src.ENHANCED_PAGE, "inferred")
ENDPOINT_GPU_ENHANCED = (
    _egpu(metric="GPUUtilization", unit="Percent", statistics=UTILIZATION, widget="Worst GPUs", dashboard="Maximum",
          description="Utilization of one GPU (AcceleratorId) of one instance, 0-100 %", ceiling=PERCENT,
          requires=_ENHANCED_GPU),
    _egpu(metric="GPUMemoryUtilization", unit="Percent", statistics=UTILIZATION, widget="Worst GPUs",
          dashboard="Maximum", description="Memory used on one GPU (AcceleratorId) of one instance, 0-100 %",
          ceiling=PERCENT, requires=_ENHANCED_GPU),
)

_ecc = _family(f.COMPONENT_CONTAINER_ENHANCED, src.ENHANCED_PAGE, "inferred")
COMPONENT_CONTAINER_ENHANCED = (
    _ecc(metric="CPUUtilizationNormalized", unit="Percent", statistics=UTILIZATION, widget="Worst copies (containers)",
         dashboard="Maximum", description="CPU used by one copy (ContainerId) over its reservation, 0-100 %",
         ceiling=PERCENT, requires=_ENHANCED),
    _ecc(metric="MemoryUtilizationNormalized", unit="Percent", statistics=UTILIZATION,
         widget="Worst copies (containers)", dashboard="Maximum",
         description="Memory used by one copy (ContainerId) over its reservation, 0-100 %", ceiling=PERCENT,
         requires=_ENHANCED),
    _ecc(metric="GPUUtilizationNormalized", unit="Percent", statistics=UTILIZATION,
         widget="Worst copies (containers)", dashboard="Maximum",
         description="GPU used by one copy (ContainerId) over its reservation, 0-100 %", ceiling=PERCENT,
         requires=_ENHANCED_GPU),
    _ecc(metric="GPUMemoryUtilizationNormalized", unit="Percent", statistics=UTILIZATION,
         widget="Worst copies (containers)", dashboard="Maximum",
         description="GPU memory used by one copy (ContainerId) over its reservation, 0-100 %", ceiling=PERCENT,
         requires=_ENHANCED_GPU),
)

# ------------------------------------------------------------------------------------------- HyperPod

_hp = _family(f.HYPERPOD_NODES, src.HYPERPOD_PAGE, "aws-doc")
HYPERPOD_NODES = (
    _hp(metric="hyperpod_node_health_status_schedulable", unit="Count", statistics=AVG_MIN_MAX,
        widget="Node health", dashboard="Maximum",
        description="Nodes labeled Schedulable: passed health checks, available for workloads"),
    _hp(metric="hyperpod_node_health_status_unschedulable", unit="Count", statistics=AVG_MIN_MAX,
        widget="Node health", dashboard="Maximum",
        description="Nodes labeled Unschedulable: running deep health checks, not available for workloads"),
    _hp(metric="hyperpod_node_health_status_unschedulable_pending_replacement", unit="Count", statistics=AVG_MIN_MAX,
        widget="Unhealthy nodes", dashboard="Maximum",
        description="Nodes that failed health checks and wait for replacement",
        alarm=AlarmDefault(kind="failure", comparison="GreaterThanThreshold", threshold=0, meaning="0 nodes",
                           statistic="Maximum", severity="Critical", period=300, evaluation_periods=1,
                           datapoints_to_alarm=1)),
    _hp(metric="hyperpod_node_health_status_unschedulable_pending_reboot", unit="Count", statistics=AVG_MIN_MAX,
        widget="Unhealthy nodes", dashboard="Maximum",
        description="Nodes that failed health checks and wait for a reboot",
        alarm=AlarmDefault(kind="failure", comparison="GreaterThanThreshold", threshold=0, meaning="0 nodes",
                           statistic="Maximum", severity="Warning", period=300, evaluation_periods=1,
                           datapoints_to_alarm=1)),
)

# ---------------------------------------------------------------------------------------------- jobs

TRAINING_JOB = _instance_rows(f.TRAINING_JOB, endpoint=False)
PROCESSING_JOB = _instance_rows(f.PROCESSING_JOB, endpoint=False)
TRANSFORM_JOB = _instance_rows(f.TRANSFORM_JOB, endpoint=False, disk=False, gpu_alarm=False)

_rec = _family(f.INFERENCE_RECOMMENDER, src.METRICS_PAGE, "aws-doc")
INFERENCE_RECOMMENDER = (
    _rec(metric="ClientInvocations", unit="None", statistics=SUM, widget="Load test", dashboard="Sum",
         description="InvokeEndpoint requests the load test sent"),
    _rec(metric="ClientInvocationErrors", unit="None", statistics=SUM, widget="Load test", dashboard="Sum",
         description="InvokeEndpoint requests of the load test that failed"),
    _rec(metric="ClientLatency", unit="Milliseconds", statistics=ALL, widget="Load test latency", dashboard="Average",
         description="Time from InvokeEndpoint to response, as the load test saw it", percentiles=True),
    _rec(metric="NumberOfUsers", unit="None", statistics=AVG_MIN_MAX, widget="Load test users", dashboard="Maximum",
         description="Concurrent users of the load test"),
)

# ------------------------------------------------------------------------------------- Ground Truth

_label = _family(f.LABELING_JOB, src.GRAFANA_NAMESPACES, "third-party")
LABELING_JOB = (
    _label(metric="DatasetObjectsAutoAnnotated", unit="None", statistics=MAX, widget="Dataset objects",
           dashboard="Maximum", description="Dataset objects auto-annotated (automated labeling only)"),
    _label(metric="DatasetObjectsHumanAnnotated", unit="None", statistics=MAX, widget="Dataset objects",
           dashboard="Maximum", description="Dataset objects annotated by a human"),
    _label(metric="DatasetObjectsLabelingFailed", unit="None", statistics=MAX, widget="Failed objects",
           dashboard="Maximum", description="Dataset objects that failed labeling",
           alarm=_failure(0, "Maximum", "Warning", "failed objects")),
    _label(metric="TotalDatasetObjectsLabeled", unit="None", statistics=MAX, widget="Dataset objects",
           dashboard="Maximum", description="Dataset objects labeled successfully"),
)

_jobs = _family(f.LABELING_ACCOUNT, src.LABELING_VENDOR, "third-party")
LABELING_ACCOUNT = (
    _jobs(metric="JobsFailed", unit="None", statistics=SUM_COUNT, widget="Jobs (account)", dashboard="Sum",
          description="A labeling job of the account failed (1 per job)",
          alarm=_failure(0, "Sum", "Critical", "failed jobs")),
    _jobs(metric="JobsSucceeded", unit="None", statistics=SUM_COUNT, widget="Jobs (account)", dashboard="Sum",
          description="A labeling job of the account succeeded (1 per job)"),
    _jobs(metric="JobsStopped", unit="None", statistics=SUM_COUNT, widget="Jobs (account)", dashboard="Sum",
          description="A labeling job of the account was stopped (1 per job)"),
)

_team = _family(f.WORKTEAM, src.WORKTEAM_PAGE, "third-party")
WORKTEAM = (
    _team(metric="ActiveWorkers", unit="None", statistics=SUM_COUNT, widget="Workers", dashboard="Sum",
          description="A worker of a private work team submitted, released or declined a task"),
    _team(metric="TasksAccepted", unit="None", statistics=SUM_COUNT, widget="Tasks", dashboard="Sum",
          description="A task was accepted by a worker"),
    _team(metric="TasksDeclined", unit="None", statistics=SUM_COUNT, widget="Tasks", dashboard="Sum",
          description="A task was declined by a worker"),
    _team(metric="TasksReturned", unit="None", statistics=SUM_COUNT, widget="Tasks", dashboard="Sum",
          description="A task was returned by a worker"),
    _team(metric="TasksSubmitted", unit="None", statistics=SUM_COUNT, widget="Tasks", dashboard="Sum",
          description="A task was submitted (completed) by a private worker", source=src.WORKTEAM_DASHBOARD_CODE),
    _team(metric="TimeSpent", unit="Seconds", statistics=SUM_COUNT, widget="Time spent", dashboard="Sum",
          description="Time a private worker spent on a completed task (breaks excluded)",
          source=src.WORKTEAM_DASHBOARD_CODE),
)

# ------------------------------------------------------------------------------------- Feature Store

_fs = _family(f.FEATURE_STORE, src.FEATURE_STORE_TOOLS, "third-party")
FEATURE_STORE = (
    _fs(metric="ConsumedReadRequestsUnits", unit="None", statistics=ALL, widget="Consumed units (on demand)",
        dashboard="Sum", description="Read request units consumed (on-demand feature groups)", percentiles=True),
    _fs(metric="ConsumedWriteRequestsUnits", unit="None", statistics=ALL, widget="Consumed units (on demand)",
        dashboard="Sum", description="Write request units consumed (on-demand feature groups)", percentiles=True),
    _fs(metric="ConsumedReadCapacityUnits", unit="None", statistics=ALL, widget="Consumed capacity (provisioned)",
        dashboard="Sum", description="Provisioned read capacity units consumed (provisioned feature groups)",
        percentiles=True),
    _fs(metric="ConsumedWriteCapacityUnits", unit="None", statistics=ALL, widget="Consumed capacity (provisioned)",
        dashboard="Sum", description="Provisioned write capacity units consumed (provisioned feature groups)",
        percentiles=True),
    _fs(metric="Invocations", unit="None", statistics=SUM, widget="Invocations", dashboard="Sum",
        description="Requests to the runtime operation"),
    _fs(metric="Operation4XXErrors", unit="None", statistics=AVG_SUM, widget="Errors and throttles (share of requests)",
        dashboard="Average", description="Requests answered with a 4xx code (1 per 4xx, else 0)", ceiling=SHARE),
    _fs(metric="Operation5XXErrors", unit="None", statistics=AVG_SUM, widget="Errors and throttles (share of requests)",
        dashboard="Average", description="Requests answered with a 5xx code (1 per 5xx, else 0)", ceiling=SHARE,
        alarm=_error_rate(0.01, "Critical")),
    _fs(metric="ThrottledRequests", unit="None", statistics=AVG_SUM, widget="Errors and throttles (share of requests)",
        dashboard="Average", description="Requests that were throttled (1 per throttled request, else 0)",
        ceiling=SHARE,
        alarm=_error_rate(0.01, "Warning")),
    _fs(metric="Latency", unit="Microseconds", statistics=ALL, widget="Latency", dashboard="Average",
        description="Time to process a runtime request, from receipt to response", percentiles=True,
        alarm=_latency(100_000, "100 ms")),
)

# ----------------------------------------------------------------------------------------- Pipelines

_pipe = _family(f.PIPELINE_EXECUTION, src.METRICS_PAGE, "aws-doc")
PIPELINE_EXECUTION = (
    _pipe(metric="ExecutionStarted", unit="Count", statistics=AVG_SUM, widget="Executions", dashboard="Sum",
          description="Pipeline executions that started"),
    _pipe(metric="ExecutionFailed", unit="Count", statistics=AVG_SUM, widget="Executions", dashboard="Sum",
          description="Pipeline executions that failed", alarm=_failure(0, "Sum", "Critical", "failed executions")),
    _pipe(metric="ExecutionSucceeded", unit="Count", statistics=AVG_SUM, widget="Executions", dashboard="Sum",
          description="Pipeline executions that succeeded"),
    _pipe(metric="ExecutionStopped", unit="Count", statistics=AVG_SUM, widget="Executions", dashboard="Sum",
          description="Pipeline executions that stopped"),
    _pipe(metric="ExecutionDuration", unit="Milliseconds", statistics=ALL, widget="Execution duration",
          dashboard="Maximum", description="How long the pipeline execution ran"),
)

_step = _family(f.PIPELINE_STEP, src.METRICS_PAGE, "aws-doc")
PIPELINE_STEP = (
    _step(metric="StepStarted", unit="Count", statistics=AVG_SUM, widget="Steps", dashboard="Sum",
          description="Steps that started"),
    _step(metric="StepFailed", unit="Count", statistics=AVG_SUM, widget="Steps", dashboard="Sum",
          description="Steps that failed", alarm=_failure(0, "Sum", "Warning", "failed steps")),
    _step(metric="StepSucceeded", unit="Count", statistics=AVG_SUM, widget="Steps", dashboard="Sum",
          description="Steps that succeeded"),
    _step(metric="StepStopped", unit="Count", statistics=AVG_SUM, widget="Steps", dashboard="Sum",
          description="Steps that stopped"),
    _step(metric="StepDuration", unit="Milliseconds", statistics=ALL, widget="Step duration", dashboard="Maximum",
          description="How long the step ran"),
)

CATALOG: tuple[MetricDefinition, ...] = (
    *ENDPOINT_INVOCATION, *ENDPOINT_ASYNC_QUEUE, *ENDPOINT_ASYNC, *ENDPOINT_SERVERLESS, *ENDPOINT_MODEL_LOADING,
    *ENDPOINT_LOADED_MODELS, *ENDPOINT_INSTANCE, *ENDPOINT_COMPONENT_HOST, *COMPONENT_INVOCATION,
    *COMPONENT_UTILIZATION, *TRAINING_JOB, *PROCESSING_JOB, *TRANSFORM_JOB, *INFERENCE_RECOMMENDER, *LABELING_JOB,
    *LABELING_ACCOUNT, *WORKTEAM, *FEATURE_STORE, *PIPELINE_EXECUTION, *PIPELINE_STEP, *ENDPOINT_CONTAINER,
    *ENDPOINT_CONTAINER_LATENCY, *ENDPOINT_INSTANCE_ENHANCED, *ENDPOINT_GPU_ENHANCED, *COMPONENT_CONTAINER_ENHANCED,
    *HYPERPOD_NODES,
)
"""Every documented metric, in dashboard order."""


def rows_for(resource: str, features: Iterable[str] = ()) -> tuple[MetricDefinition, ...]:
    """The rows a resource of kind ``resource`` with ``features`` (``gpu``, ``multi_model``...) gets."""
    return _rows_for(resource, frozenset(features))


@lru_cache(maxsize=None)
def _rows_for(resource: str, have: frozenset[str]) -> tuple[MetricDefinition, ...]:
    return tuple(r for r in CATALOG if r.family.resource == resource and r.requires <= have)


@lru_cache(maxsize=None)
def rows_of_kind(resource: str) -> tuple[MetricDefinition, ...]:
    """Every row any resource of kind ``resource`` can get, whatever its features."""
    return tuple(r for r in CATALOG if r.family.resource == resource)


# ------------------------------------------------------------------ rows whose metric names users give


def algorithm_row(metric: str, alarm: Optional[AlarmDefault] = None) -> MetricDefinition:
    """The row of one training-job algorithm metric (``train:loss``): its values are what the job's metric
    definition parses from the logs, in whatever unit the algorithm prints (``None`` to CloudWatch)."""
    return _algorithm_row(metric, alarm)


@lru_cache(maxsize=4096)
def _algorithm_row(metric: str, alarm: Optional[AlarmDefault]) -> MetricDefinition:
    return MetricDefinition(family=f.TRAINING_ALGORITHM, metric=metric, unit="None", statistics=ALL,
                            description="Algorithm metric parsed from the training job's logs (metric definition)",
                            source=src.TRAINING_METRICS_PAGE, confidence="third-party", widget="Algorithm metrics",
                            dashboard_statistic="Average", alarm=alarm)


def model_quality_row(metric: str, alarm: Optional[AlarmDefault] = None) -> MetricDefinition:
    """The row of one Model Monitor model-quality metric (``accuracy``, ``auc``, ``rmse``...) of a schedule."""
    return _model_quality_row(metric, alarm)


@lru_cache(maxsize=1024)
def _model_quality_row(metric: str, alarm: Optional[AlarmDefault]) -> MetricDefinition:
    return MetricDefinition(family=f.MODEL_MONITOR_MODEL, metric=metric, unit="None", statistics=ALL,
                            description="Model-quality metric of the schedule's latest monitoring run",
                            source=src.MODEL_MONITOR_PAGE, confidence="aws-sample", widget="Model quality",
                            dashboard_statistic="Average", alarm=alarm)
