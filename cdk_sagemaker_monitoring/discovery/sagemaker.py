"""List the account's SageMaker resources, one function per kind, each returning config entries.

Every list call is paginated; describe calls run a few at a time. Entries are plain dicts shaped
like the configuration file's (see :mod:`cdk_sagemaker_monitoring.config.resources`).
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, Callable, Iterable, Iterator, Optional

from ..aws_access import failure_note, is_caller_problem
from .instances import gpus, most_gpus

#: Names of the instance metrics every training job has: a metric definition of the same name is left out.
INSTANCE_METRIC_NAMES = frozenset({"CPUUtilization", "MemoryUtilization", "GPUUtilization", "GPUMemoryUtilization",
                                   "DiskUtilization"})
#: Describe calls in flight at once (SageMaker's describe APIs are throttled per account).
DESCRIBE_THREADS = 4
#: Endpoint states that have (or will have) metrics worth watching.
SKIPPED_ENDPOINT_STATES = frozenset({"Failed", "Deleting", "OutOfService"})
#: Inference component states without metrics worth watching.
SKIPPED_COMPONENT_STATES = frozenset({"Failed", "Deleting"})


def _paged(client: Any, operation: str, key: str, **kwargs: Any) -> Iterator[dict]:
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page.get(key, ())


def _describe_all(
    fn: Callable[[Any], Optional[dict]], items: Iterable[Any], name_key: str, notes: Optional[list[str]] = None
) -> list[dict]:
    """``fn`` over every summary, a few at a time. With ``notes``, a summary whose describe calls fail (for any
    reason: deleted since the listing, denied, throttled after retries) is left out with a one-line note naming
    the call; without, the first failure raises."""

    def guarded(summary: Any) -> Optional[dict]:
        try:
            return fn(summary)
        except Exception as err:  # noqa: BLE001 - one entry's failure is a note, not the end of the listing
            if notes is None or is_caller_problem(err):
                raise
            name = summary.get(name_key, "?") if isinstance(summary, dict) else summary
            call = f"sagemaker:{getattr(err, 'operation_name', None) or 'Describe'}"
            notes.append(f"left out {name!r}: " + failure_note(err, call, repr(name)))
            return None

    with ThreadPoolExecutor(max_workers=DESCRIBE_THREADS, thread_name_prefix="describe") as pool:
        return [entry for entry in pool.map(guarded, list(items)) if entry is not None]


# ------------------------------------------------------------------------------------ endpoints


def endpoints(client: Any, notes: Optional[list[str]] = None) -> list[dict]:
    """Endpoints with their production variants, multi-model mode, GPUs, serverless hosting (and provisioned
    concurrency) and asynchronous inference (``AsyncInferenceConfig``)."""
    models: dict[str, dict] = {}

    def model(name: str) -> dict:
        if name not in models:
            models[name] = client.describe_model(ModelName=name)
        return models[name]

    def describe(summary: dict) -> Optional[dict]:
        if summary.get("EndpointStatus") in SKIPPED_ENDPOINT_STATES:
            return None
        endpoint = client.describe_endpoint(EndpointName=summary["EndpointName"])
        config = client.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
        current = {v["VariantName"]: v for v in endpoint.get("ProductionVariants", ())}
        variants, gpu_counts, serverless, multi_model, instances = [], [], [], False, 1
        provisioned_concurrency = False
        direct: list[str] = []
        for variant in config.get("ProductionVariants", ()):
            variants.append(variant["VariantName"])
            gpu_counts.append(gpus(variant.get("InstanceType")))
            serverless.append("ServerlessConfig" in variant)
            provisioned_concurrency = provisioned_concurrency or bool(
                (variant.get("ServerlessConfig") or {}).get("ProvisionedConcurrency"))
            live = current.get(variant["VariantName"], {})
            instances = max(instances, int(live.get("CurrentInstanceCount") or variant.get("InitialInstanceCount") or 1))
            if variant.get("ModelName"):
                described = model(variant["ModelName"])
                containers = [described.get("PrimaryContainer") or {}, *described.get("Containers", ())]
                multi_model = multi_model or any(c.get("Mode") == "MultiModel" for c in containers)
                if (described.get("InferenceExecutionConfig") or {}).get("Mode") == "Direct":
                    direct += [c["ContainerHostname"] for c in containers
                               if c.get("ContainerHostname") and c["ContainerHostname"] not in direct]
        if not variants:  # an endpoint of inference components only: nothing per variant to list
            return None
        all_serverless = all(serverless)
        entry = {
            "name": endpoint["EndpointName"],
            "variants": variants,
            "multi_model": multi_model,
            "gpu": False if all_serverless else most_gpus(gpu_counts),
            "serverless": all_serverless,
            "instance_count": instances,
        }
        if all_serverless and provisioned_concurrency:
            entry["provisioned_concurrency"] = True
        if config.get("AsyncInferenceConfig"):
            entry["asynchronous"] = True
        metrics_config = config.get("MetricsConfig") or {}
        if metrics_config.get("EnableEnhancedMetrics") and not all_serverless and not multi_model:
            entry["enhanced_metrics"] = True
            if metrics_config.get("MetricPublishFrequencyInSeconds", 60) != 60:
                entry["metric_publish_frequency"] = int(metrics_config["MetricPublishFrequencyInSeconds"])
        if len(direct) >= 2 and not all_serverless and not config.get("AsyncInferenceConfig"):
            entry["containers"] = direct  # direct invocation: metrics per ContainerName
        return entry

    return _describe_all(describe, _paged(client, "list_endpoints", "Endpoints"), "EndpointName", notes)


def inference_components(client: Any) -> dict[str, list[str]]:
    """{endpoint name: its inference component names} (``ListInferenceComponents``, every page)."""
    found: dict[str, list[str]] = {}
    for summary in _paged(client, "list_inference_components", "InferenceComponents"):
        if summary.get("InferenceComponentStatus") in SKIPPED_COMPONENT_STATES:
            continue
        found.setdefault(summary["EndpointName"], []).append(summary["InferenceComponentName"])
    return found


def add_inference_components(entries: list[dict], components: dict[str, list[str]]) -> None:
    """Put each endpoint's inference components into its entry (real-time endpoints only host them)."""
    for entry in entries:
        names = components.get(entry["name"])
        if names and not entry.get("serverless") and not entry.get("asynchronous"):
            entry["inference_components"] = sorted(names)


# ----------------------------------------------------------------------------------------- jobs


def _job_entry(name: str, groups: list[tuple[Optional[str], int]]) -> dict:
    return {
        "name": name,
        "instance_count": max(1, sum(count for _, count in groups)),
        "gpu": most_gpus([gpus(kind) for kind, _ in groups]),
    }


def training_jobs(client: Any, created_after: datetime, notes: Optional[list[str]] = None) -> list[dict]:
    """Training jobs created after ``created_after``: instance count (all instance groups) and GPUs."""

    def describe(summary: dict) -> dict:
        job = client.describe_training_job(TrainingJobName=summary["TrainingJobName"])
        config = job.get("ResourceConfig", {})
        groups = [(g.get("InstanceType"), int(g.get("InstanceCount", 0))) for g in config.get("InstanceGroups", ())]
        if not groups:
            groups = [(config.get("InstanceType"), int(config.get("InstanceCount", 1)))]
        entry = _job_entry(job["TrainingJobName"], groups)
        definitions = (job.get("AlgorithmSpecification") or {}).get("MetricDefinitions") or ()
        metrics = [d["Name"] for d in definitions if d.get("Name") and d["Name"] not in INSTANCE_METRIC_NAMES]
        if metrics:
            entry["metrics"] = list(dict.fromkeys(metrics))  # graphed by TrainingJobName; thresholds are yours to add
        return entry

    summaries = _paged(client, "list_training_jobs", "TrainingJobSummaries", CreationTimeAfter=created_after)
    return _describe_all(describe, summaries, "TrainingJobName", notes)


def processing_jobs(client: Any, created_after: datetime, notes: Optional[list[str]] = None) -> list[dict]:
    def describe(summary: dict) -> dict:
        job = client.describe_processing_job(ProcessingJobName=summary["ProcessingJobName"])
        cluster = job.get("ProcessingResources", {}).get("ClusterConfig", {})
        return _job_entry(job["ProcessingJobName"], [(cluster.get("InstanceType"), int(cluster.get("InstanceCount", 1)))])

    summaries = _paged(client, "list_processing_jobs", "ProcessingJobSummaries", CreationTimeAfter=created_after)
    return _describe_all(describe, summaries, "ProcessingJobName", notes)


def transform_jobs(client: Any, created_after: datetime, notes: Optional[list[str]] = None) -> list[dict]:
    def describe(summary: dict) -> dict:
        job = client.describe_transform_job(TransformJobName=summary["TransformJobName"])
        resources = job.get("TransformResources", {})
        return _job_entry(job["TransformJobName"], [(resources.get("InstanceType"), int(resources.get("InstanceCount", 1)))])

    summaries = _paged(client, "list_transform_jobs", "TransformJobSummaries", CreationTimeAfter=created_after)
    return _describe_all(describe, summaries, "TransformJobName", notes)


def labeling_jobs(client: Any, created_after: datetime) -> list[dict]:
    """Labeling jobs in progress, and those created after ``created_after``."""
    names: dict[str, None] = {}
    for summary in _paged(client, "list_labeling_jobs", "LabelingJobSummaryList", StatusEquals="InProgress"):
        names[summary["LabelingJobName"]] = None
    for summary in _paged(client, "list_labeling_jobs", "LabelingJobSummaryList", CreationTimeAfter=created_after):
        names[summary["LabelingJobName"]] = None
    return [{"name": name} for name in names]


# --------------------------------------------------------------------------- the other kinds


def feature_groups(client: Any) -> list[dict]:
    return [
        {"name": g["FeatureGroupName"]}
        for g in _paged(client, "list_feature_groups", "FeatureGroupSummaries")
        if g.get("FeatureGroupStatus", "Created") == "Created"
    ]


def step_names(definition: Any) -> list[str]:
    """Step names of a pipeline definition (JSON text or parsed), condition steps' branches included."""
    if isinstance(definition, (str, bytes)):
        try:
            definition = json.loads(definition)
        except ValueError:
            return []
    found: dict[str, None] = {}

    def walk(steps: Any) -> None:
        for step in steps if isinstance(steps, list) else ():
            if not isinstance(step, dict):
                continue
            if isinstance(step.get("Name"), str):
                found[step["Name"]] = None
            arguments = step.get("Arguments")
            if isinstance(arguments, dict):
                walk(arguments.get("IfSteps"))
                walk(arguments.get("ElseSteps"))

    walk(definition.get("Steps") if isinstance(definition, dict) else None)
    return list(found)


def pipelines(client: Any, notes: Optional[list[str]] = None) -> list[dict]:
    def describe(summary: dict) -> dict:
        pipeline = client.describe_pipeline(PipelineName=summary["PipelineName"])
        return {"name": pipeline["PipelineName"], "steps": step_names(pipeline.get("PipelineDefinition"))}

    return _describe_all(describe, _paged(client, "list_pipelines", "PipelineSummaries"), "PipelineName", notes)


def workteams(client: Any) -> list[dict]:
    entries = []
    for team in _paged(client, "list_workteams", "Workteams"):
        entry = {"name": team["WorkteamName"]}
        workforce = (team.get("WorkforceArn") or "").rsplit("/", 1)[-1]
        if workforce and workforce != "default":
            entry["workforce"] = workforce
        entries.append(entry)
    return entries


# ------------------------------------------------------------------------ HyperPod, Model Monitor

SKIPPED_CLUSTER_STATES = frozenset({"Failed", "Deleting"})
#: ListMonitoringSchedules' MonitoringType -> the configuration's ``type``.
MONITORING_TYPES = {"DataQuality": "data_quality", "ModelQuality": "model_quality", "ModelBias": "bias",
                    "ModelExplainability": "explainability"}


def hyperpod_clusters(client: Any, notes: Optional[list[str]] = None) -> list[dict]:
    """HyperPod clusters orchestrated by EKS (``DescribeCluster`` ``Orchestrator.Eks``): Container Insights publishes
    their node health; Slurm clusters publish none, so they are not listed."""

    def describe(summary: dict) -> Optional[dict]:
        if summary.get("ClusterStatus") in SKIPPED_CLUSTER_STATES:
            return None
        cluster = client.describe_cluster(ClusterName=summary["ClusterName"])
        return {"name": cluster["ClusterName"]} if (cluster.get("Orchestrator") or {}).get("Eks") else None

    return _describe_all(describe, _paged(client, "list_clusters", "ClusterSummaries"), "ClusterName", notes)


def monitoring_schedules(client: Any) -> list[dict]:
    """Model Monitor schedules of real-time endpoints (batch-transform schedules have no endpoint), with their type."""
    entries = []
    for summary in _paged(client, "list_monitoring_schedules", "MonitoringScheduleSummaries"):
        kind = MONITORING_TYPES.get(summary.get("MonitoringType") or "DataQuality")
        if summary.get("MonitoringScheduleStatus") == "Failed" or not summary.get("EndpointName") or kind is None:
            continue
        entries.append({"name": summary["MonitoringScheduleName"], "endpoint": summary["EndpointName"], "type": kind})
    return entries
