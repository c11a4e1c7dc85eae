"""Every metric the specification documents, one row each (63 rows).

To add a metric: add a row to the family's tuple below (and to the spec, or the test that compares
the two fails). Its widget is named by ``widget``; its default alarm, if any, is an
:class:`~.model.AlarmDefault` with the threshold in the metric's own unit.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Optional

from . import families as f
from .model import AlarmDefault, Family, Feature, MetricRow
from .units import PERCENT, PERCENT_PER_GPU, SHARE, Ceiling

ALL = ("Average", "Sum", "Minimum", "Maximum", "SampleCount")
AVG_SUM = ("Average", "Sum")
SUM = ("Sum",)
SUM_COUNT = ("Sum", "SampleCount")
MAX = ("Maximum",)
UTILIZATION = ("Average", "Minimum", "Maximum")
"""The spec lists no statistics for instance metrics; these are the ones that make sense for a percentage."""

_NONE = frozenset()
_MME = frozenset({"multi_model"})
_GPU = frozenset({"gpu"})
_PROVISIONED = frozenset({"provisioned"})
_PROVISIONED_GPU = frozenset({"provisioned", "gpu"})
_SERVERLESS = frozenset({"serverless"})


def _rows(family: Family, *rows: tuple) -> tuple[MetricRow, ...]:
    """Rows of one family from (metric, unit, statistics, widget, dashboard statistic, description, then any of:
    requires (a frozenset), alarm (an AlarmDefault), percentiles (a bool), ceiling (a Ceiling); None is skipped)."""
    out = []
    for row in rows:
        metric, unit, stats, widget, dash, description, *rest = row
        requires: frozenset[Feature] = frozenset()
        alarm: Optional[AlarmDefault] = None
        percentiles = False
        ceiling: Optional[Ceiling] = None
        for item in rest:
            if item is None:
                continue
            if isinstance(item, frozenset):
                requires = item
            elif isinstance(item, AlarmDefault):
                alarm = item
            elif isinstance(item, bool):
                percentiles = item
            elif isinstance(item, Ceiling):
                ceiling = item
            else:
                raise TypeError(f"{family.key}.{metric}: unexpected {item!r} in a catalog row")
        out.append(MetricRow(family=family, metric=metric, unit=unit, statistics=stats, description=description,
                             widget=widget, dashboard_statistic=dash, percentiles=percentiles,
                             requires=requires, alarm=alarm, ceiling=ceiling))
    return tuple(out)


def _error_rate(rate: float, severity: str, what: str = "requests") -> AlarmDefault:
    """An alarm on a 0/1-per-request metric's Average: the share of requests that failed."""
    return AlarmDefault(kind="error", comparison="GreaterThanThreshold", threshold=rate,
                        meaning=f"{rate * 100:g} % of {what}", statistic="Average", severity=severity)


def _latency(microseconds: float, meaning: str, severity: str = "Warning") -> AlarmDefault:
    return AlarmDefault(kind="latency", comparison="GreaterThanThreshold", threshold=microseconds, meaning=meaning,
                        statistic="Average", severity=severity)


def _saturation(percent: float, severity: str, per_gpu: bool = False) -> AlarmDefault:
    return AlarmDefault(kind="saturation", comparison="GreaterThanThreshold", threshold=percent,
                        meaning=f"{percent:g} %" + (" per GPU" if per_gpu else ""), statistic="Maximum",
                        severity=severity, scales_with="gpu" if per_gpu else None)


def _failure(count: int, statistic: str, severity: str, what: str, period: int = 300) -> AlarmDefault:
    """Fires on the first period with more than ``count`` failures."""
    return AlarmDefault(kind="failure", comparison="GreaterThanThreshold", threshold=count,
                        meaning=f"{count} {what}", statistic=statistic, severity=severity, period=period,
                        evaluation_periods=1, datapoints_to_alarm=1)


def _instance_rows(family: Family, *, endpoint: bool, disk: bool = True, gpu_alarm: bool = True) -> tuple[MetricRow, ...]:
    """The five instance metrics shared by endpoints and jobs (transform jobs have no disk metric).

    Transform jobs share fleet alarms (one for every job), so no per-GPU threshold there (``gpu_alarm``).
    """
    base = _PROVISIONED if endpoint else _NONE
    gpu = _PROVISIONED_GPU if endpoint else _GPU
    where = "the instances of the variant (summed over containers)" if endpoint else "the job's container on the instance"
    rows = [
        ("CPUUtilization", "Percent", UTILIZATION, "CPU", "Average",
         f"CPU utilization of {where}; percent times the number of cores (4 cores: 0-400 %)", base),
        ("MemoryUtilization", "Percent", UTILIZATION, "Memory and disk", "Maximum",
         f"Memory used by {where}, 0-100 %", base, _saturation(90, "Warning"), PERCENT),
        ("GPUUtilization", "Percent", UTILIZATION, "GPU", "Average",
         f"GPU utilization of {where}; percent times the number of GPUs", gpu, PERCENT_PER_GPU),
        ("GPUMemoryUtilization", "Percent", UTILIZATION, "GPU", "Maximum",
         f"GPU memory used by {where}; percent times the number of GPUs", gpu,
         _saturation(90, "Warning", per_gpu=True) if gpu_alarm else None, PERCENT_PER_GPU),
    ]
    if disk:
        rows.append(("DiskUtilization", "Percent", UTILIZATION, "Memory and disk", "Maximum",
                     f"Disk space used by {where}, 0-100 %", base, _saturation(90, "Critical"), PERCENT))
    return _rows(family, *rows)


ENDPOINT_INVOCATION = _rows(
    f.ENDPOINT_INVOCATION,
    ("Invocation4XXErrors", "None", AVG_SUM, "Errors (share of requests)", "Average",
     "InvokeEndpoint requests the model answered with a 4xx code (1 per 4xx, else 0)", _NONE,
     _error_rate(0.05, "Warning"), SHARE),
    ("Invocation5XXErrors", "None", AVG_SUM, "Errors (share of requests)", "Average",
     "InvokeEndpoint requests the model answered with a 5xx code (1 per 5xx, else 0)", _NONE,
     _error_rate(0.01, "Critical"), SHARE),
    ("InvocationModelErrors", "None", AVG_SUM, "Errors (share of requests)", "Average",
     "Model invocations without a 2xx response (codes, socket errors, timeouts)", _NONE,
     _error_rate(0.02, "Critical"), SHARE),
    ("Invocations", "None", SUM, "Invocations", "Sum", "InvokeEndpoint requests sent to the variant"),
    ("InvocationsPerInstance", "None", SUM, "Invocations", "Sum",
     "Invocations normalized by the variant's instance count"),
    ("ModelLatency", "Microseconds", ALL, "Latency", "Average",
     "Time the model took to respond as seen from SageMaker", _NONE, _latency(1_000_000, "1 s")),
    ("OverheadLatency", "Microseconds", ALL, "Latency", "Average",
     "Time SageMaker added on top of ModelLatency", _NONE, _latency(100_000, "100 ms")),
    ("ModelSetupTime", "Microseconds", ("Average", "Minimum", "Maximum", "SampleCount"), "Serverless cold starts",
     "Maximum", "Time to launch compute for a serverless endpoint (cold start)", _SERVERLESS, None, True),
)

ENDPOINT_MODEL_LOADING = _rows(
    f.ENDPOINT_MODEL_LOADING,
    ("ModelLoadingWaitTime", "Microseconds", ALL, "Model loading", "Average",
     "Time a request waited for its model to be downloaded and/or loaded", _MME, _latency(10_000_000, "10 s")),
    ("ModelUnloadingTime", "Microseconds", ALL, "Model loading", "Average",
     "Time the container's UnloadModel call took", _MME),
    ("ModelDownloadingTime", "Microseconds", ALL, "Model loading", "Average",
     "Time to download the model from Amazon S3", _MME),
    ("ModelLoadingTime", "Microseconds", ALL, "Model loading", "Average",
     "Time the container's LoadModel call took", _MME),
    ("ModelCacheHit", "None", ("Average", "Sum", "SampleCount"), "Model cache", "Average",
     "Requests whose model was already loaded (Average: the hit ratio)", _MME, SHARE),
)

ENDPOINT_LOADED_MODELS = _rows(
    f.ENDPOINT_LOADED_MODELS,
    ("LoadedModelCount", "None", ALL, "Loaded models", "Average",
     "Models loaded in the containers, per instance (Sum: across instances)", _MME),
)

ENDPOINT_INSTANCE = _instance_rows(f.ENDPOINT_INSTANCE, endpoint=True)
TRAINING_JOB = _instance_rows(f.TRAINING_JOB, endpoint=False)
PROCESSING_JOB = _instance_rows(f.PROCESSING_JOB, endpoint=False)
TRANSFORM_JOB = _instance_rows(f.TRANSFORM_JOB, endpoint=False, disk=False, gpu_alarm=False)

LABELING_JOB = _rows(
    f.LABELING_JOB,
    ("DatasetObjectsAutoAnnotated", "None", MAX, "Dataset objects", "Maximum",
     "Dataset objects auto-annotated (automated labeling only)"),
    ("DatasetObjectsHumanAnnotated", "None", MAX, "Dataset objects", "Maximum",
     "Dataset objects annotated by a human"),
    ("DatasetObjectsLabelingFailed", "None", MAX, "Failed objects", "Maximum",
     "Dataset objects that failed labeling", _NONE, _failure(0, "Maximum", "Warning", "failed objects")),
    ("TotalDatasetObjectsLabeled", "None", MAX, "Dataset objects", "Maximum",
     "Dataset objects labeled successfully"),
    ("JobsFailed", "None", SUM_COUNT, "Jobs", "Sum", "A labeling job failed (1 per job)", _NONE,
     _failure(0, "Sum", "Critical", "failed jobs")),
    ("JobsSucceeded", "None", SUM_COUNT, "Jobs", "Sum", "A labeling job succeeded (1 per job)"),
    ("JobsStopped", "None", SUM_COUNT, "Jobs", "Sum", "A labeling job was stopped (1 per job)"),
)

WORKTEAM = _rows(
    f.WORKTEAM,
    ("ActiveWorkers", "None", SUM_COUNT, "Workers", "Sum",
     "A worker of a private work team submitted, released or declined a task"),
    ("TasksAccepted", "None", SUM_COUNT, "Tasks", "Sum", "A task was accepted by a worker"),
    ("TasksDeclined", "None", SUM_COUNT, "Tasks", "Sum", "A task was declined by a worker", _NONE,
     AlarmDefault(kind="error", comparison="GreaterThanThreshold", threshold=10, meaning="10 tasks",
                  statistic="Sum", severity="Warning", period=3600, evaluation_periods=1, datapoints_to_alarm=1)),
    ("TasksReturned", "None", SUM_COUNT, "Tasks", "Sum", "A task was returned by a worker"),
    ("TasksSubmitted", "None", SUM_COUNT, "Tasks", "Sum", "A task was submitted (completed) by a private worker"),
    ("TimeSpent", "Seconds", SUM_COUNT, "Time spent", "Sum",
     "Time a private worker spent on a completed task (breaks excluded)"),
)

FEATURE_STORE = _rows(
    f.FEATURE_STORE,
    ("ConsumedReadRequestsUnits", "None", ALL, "Consumed units", "Sum",
     "Read units consumed by the feature group's runtime operation", _NONE, None, True),
    ("ConsumedWriteRequestsUnits", "None", ALL, "Consumed units", "Sum",
     "Write units consumed by the feature group's runtime operation", _NONE, None, True),
    ("Invocations", "None", SUM, "Invocations", "Sum", "Requests to the runtime operation"),
    ("Operation4XXErrors", "None", AVG_SUM, "Errors and throttles (share of requests)", "Average",
     "Requests answered with a 4xx code (1 per 4xx, else 0)", SHARE),
    ("Operation5XXErrors", "None", AVG_SUM, "Errors and throttles (share of requests)", "Average",
     "Requests answered with a 5xx code (1 per 5xx, else 0)", _NONE, _error_rate(0.01, "Critical"), SHARE),
    ("ThrottledRequests", "None", AVG_SUM, "Errors and throttles (share of requests)", "Average",
     "Requests that were throttled (1 per throttled request, else 0)", _NONE, _error_rate(0.01, "Warning"), SHARE),
    ("Latency", "Microseconds", ALL, "Latency", "Average",
     "Time to process a runtime request, from receipt to response", _NONE, _latency(100_000, "100 ms"), True),
)

PIPELINE_EXECUTION = _rows(
    f.PIPELINE_EXECUTION,
    ("ExecutionStarted", "Count", AVG_SUM, "Executions", "Sum", "Pipeline executions that started"),
    ("ExecutionFailed", "Count", AVG_SUM, "Executions", "Sum", "Pipeline executions that failed", _NONE,
     _failure(0, "Sum", "Critical", "failed executions")),
    ("ExecutionSucceeded", "Count", AVG_SUM, "Executions", "Sum", "Pipeline executions that succeeded"),
    ("ExecutionStopped", "Count", AVG_SUM, "Executions", "Sum", "Pipeline executions that stopped"),
    ("ExecutionDuration", "Milliseconds", ALL, "Execution duration", "Maximum",
     "How long the pipeline execution ran"),
)

PIPELINE_STEP = _rows(
    f.PIPELINE_STEP,
    ("StepStarted", "Count", AVG_SUM, "Steps", "Sum", "Steps that started"),
    ("StepFailed", "Count", AVG_SUM, "Steps", "Sum", "Steps that failed", _NONE,
     _failure(0, "Sum", "Warning", "failed steps")),
    ("StepSucceeded", "Count", AVG_SUM, "Steps", "Sum", "Steps that succeeded"),
    ("StepStopped", "Count", AVG_SUM, "Steps", "Sum", "Steps that stopped"),
    ("StepDuration", "Milliseconds", ALL, "Step duration", "Maximum", "How long the step ran"),
)

CATALOG: tuple[MetricRow, ...] = (
    *ENDPOINT_INVOCATION, *ENDPOINT_MODEL_LOADING, *ENDPOINT_LOADED_MODELS, *ENDPOINT_INSTANCE,
    *TRAINING_JOB, *PROCESSING_JOB, *TRANSFORM_JOB, *LABELING_JOB, *WORKTEAM, *FEATURE_STORE,
    *PIPELINE_EXECUTION, *PIPELINE_STEP,
)
"""Every documented metric, in dashboard order."""


def rows_for(resource: str, features: Iterable[str] = ()) -> tuple[MetricRow, ...]:
    """The rows a resource of kind ``resource`` with ``features`` (``gpu``, ``multi_model``...) gets."""
    return _rows_for(resource, frozenset(features))


@lru_cache(maxsize=None)
def _rows_for(resource: str, have: frozenset[str]) -> tuple[MetricRow, ...]:
    return tuple(r for r in CATALOG if r.family.resource == resource and r.requires <= have)


@lru_cache(maxsize=None)
def rows_of_kind(resource: str) -> tuple[MetricRow, ...]:
    """Every row any resource of kind ``resource`` can get, whatever its features."""
    return tuple(r for r in CATALOG if r.family.resource == resource)

