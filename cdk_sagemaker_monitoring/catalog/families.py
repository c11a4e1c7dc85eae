"""The metric families: namespace, dimension set and the resource kind watching each.

A family is one (namespace, dimension set) a resource kind reports. A family whose dimension set no
public source settles has ``dimensions_documented=False``: SEARCH over its namespace, no alarms.
"""

from __future__ import annotations

from . import namespaces as ns
from .model import Family

_EP = ("EndpointName", "VariantName")
_IC = ("InferenceComponentName",)

ENDPOINT_INVOCATION = Family("endpoint_invocation", "Endpoint invocation", "Endpoint invocation",
                             "endpoint", ns.SAGEMAKER, _EP)
ENDPOINT_ASYNC_QUEUE = Family("endpoint_async_queue", "Asynchronous endpoint queue", "Asynchronous inference",
                              "endpoint", ns.SAGEMAKER, ("EndpointName",))
ENDPOINT_ASYNC = Family("endpoint_async", "Asynchronous endpoint requests", "Asynchronous inference",
                        "endpoint", ns.SAGEMAKER, _EP)
ENDPOINT_SERVERLESS = Family("endpoint_serverless", "Serverless endpoint concurrency", "Serverless inference",
                             "endpoint", ns.SAGEMAKER, _EP, dimensions_documented=False)
ENDPOINT_MODEL_LOADING = Family("endpoint_model_loading", "Multi-model endpoint model loading",
                                "Multi-model endpoint model loading", "endpoint", ns.SAGEMAKER, _EP)
ENDPOINT_LOADED_MODELS = Family("endpoint_loaded_models", "Multi-model endpoint loaded models",
                                "Multi-model endpoint instance", "endpoint", ns.ENDPOINTS, _EP)
ENDPOINT_INSTANCE = Family("endpoint_instance", "Endpoint instances", "Instance (endpoint)", "endpoint",
                           ns.ENDPOINTS, _EP)
ENDPOINT_COMPONENT_HOST = Family("endpoint_component_host", "Endpoint instances (inference components)",
                                 "Instance (endpoint)", "endpoint", ns.ENDPOINTS, _EP)
COMPONENT_INVOCATION = Family("component_invocation", "Inference component invocation", "Inference components",
                              "inference_component", ns.SAGEMAKER, _IC)
COMPONENT_UTILIZATION = Family("component_utilization", "Inference component utilization", "Inference components",
                               "inference_component", ns.INFERENCE_COMPONENTS, _IC)
TRAINING_JOB = Family("training_job", "Training job instances", "Instance (training job)", "training_job",
                      ns.TRAINING_JOBS, ("Host",))
PROCESSING_JOB = Family("processing_job", "Processing job instances", "Instance (processing job)",
                        "processing_job", ns.PROCESSING_JOBS, ("Host",))
TRANSFORM_JOB = Family("transform_job", "Transform job instances", "Instance (transform job)", "transform_job",
                       ns.TRANSFORM_JOBS, ("Host",))
INFERENCE_RECOMMENDER = Family("inference_recommender", "Inference Recommender jobs", "Inference Recommender",
                               "", ns.INFERENCE_RECOMMENDER, ("JobName", "EndpointName"), dimensions_documented=False)
LABELING_JOB = Family("labeling_job", "Ground Truth labeling jobs", "Ground Truth", "labeling_job",
                      ns.LABELING_JOBS, ("LabelingJobName",))
LABELING_ACCOUNT = Family("labeling_account", "Ground Truth jobs (account)", "Ground Truth", "labeling_job",
                          ns.LABELING_JOBS, ())
WORKTEAM = Family("workteam", "Ground Truth work teams", "Ground Truth", "workteam", ns.WORKTEAM,
                  ("CognitoUserPool", "LabelingJob", "WorkerId"), dimensions_documented=False)
FEATURE_STORE = Family("feature_store", "Feature Store", "Feature Store", "feature_group", ns.FEATURE_STORE,
                       ("FeatureGroupName", "OperationName"))
PIPELINE_EXECUTION = Family("pipeline_execution", "Pipeline executions", "Pipelines", "pipeline", ns.PIPELINES,
                            ("PipelineName",))
PIPELINE_STEP = Family("pipeline_step", "Pipeline steps", "Pipelines", "pipeline", ns.PIPELINES,
                       ("PipelineName", "StepName"))

ENDPOINT_CONTAINER = Family("endpoint_container", "Multi-container endpoint containers", "Multi-container endpoints",
                            "endpoint", ns.SAGEMAKER, (*_EP, "ContainerName"), overridable=False)
"""Per-container invocations of direct-invocation endpoints: the metric names repeat the variant's, so the endpoint's
``alarms`` (keyed by metric name) do not reach them."""
ENDPOINT_CONTAINER_LATENCY = Family("endpoint_container_latency", "Multi-container endpoint container latency",
                                    "Multi-container endpoints", "endpoint", ns.SAGEMAKER, (*_EP, "ContainerName"))
ENDPOINT_INSTANCE_ENHANCED = Family("endpoint_instance_enhanced", "Endpoint instances, one by one (enhanced metrics)",
                                    "Enhanced metrics", "endpoint", ns.ENDPOINTS, (*_EP, "InstanceId"),
                                    instance_level=True, overridable=False)
ENDPOINT_GPU_ENHANCED = Family("endpoint_gpu_enhanced", "Endpoint GPUs, one by one (enhanced metrics)", "Enhanced metrics",
                               "endpoint", ns.ENDPOINTS, (*_EP, "InstanceId", "AcceleratorId"), instance_level=True,
                               overridable=False)
COMPONENT_CONTAINER_ENHANCED = Family("component_container_enhanced",
                                      "Inference component containers, one by one (enhanced metrics)",
                                      "Enhanced metrics", "inference_component", ns.INFERENCE_COMPONENTS,
                                      (*_IC, "ContainerId"), instance_level=True, overridable=False)
HYPERPOD_NODES = Family("hyperpod_nodes", "HyperPod node health", "SageMaker HyperPod", "hyperpod_cluster",
                        ns.CONTAINER_INSIGHTS, ("ClusterName",))

FAMILIES: tuple[Family, ...] = (
    ENDPOINT_INVOCATION, ENDPOINT_ASYNC_QUEUE, ENDPOINT_ASYNC, ENDPOINT_SERVERLESS, ENDPOINT_MODEL_LOADING,
    ENDPOINT_LOADED_MODELS, ENDPOINT_INSTANCE, ENDPOINT_COMPONENT_HOST, COMPONENT_INVOCATION, COMPONENT_UTILIZATION,
    TRAINING_JOB, PROCESSING_JOB, TRANSFORM_JOB, INFERENCE_RECOMMENDER, LABELING_JOB, LABELING_ACCOUNT, WORKTEAM,
    FEATURE_STORE, PIPELINE_EXECUTION, PIPELINE_STEP, ENDPOINT_CONTAINER, ENDPOINT_CONTAINER_LATENCY,
    ENDPOINT_INSTANCE_ENHANCED, ENDPOINT_GPU_ENHANCED, COMPONENT_CONTAINER_ENHANCED, HYPERPOD_NODES,
)
"""Every family, in dashboard order."""

RESOURCE_KINDS: tuple[str, ...] = (
    "endpoint", "training_job", "processing_job", "transform_job", "feature_group", "pipeline",
    "labeling_job", "workteam", "hyperpod_cluster", "monitoring_schedule",
)
"""Resource kinds, in the order of the construct's keyword arguments (inference components are part of
their endpoint; Inference Recommender jobs, ``resource=""``, are on the overview only)."""

# ------------------------------------------------------------------ families whose metric names users give

TRAINING_ALGORITHM = Family("training_algorithm", "Training algorithm metrics", "Training algorithm metrics",
                            "training_job", ns.TRAINING_JOBS, ("TrainingJobName",))
"""What a training job's metric definitions (or built-in algorithm) parse from its logs (``train:loss``): names are
the user's, so its rows are made per job (:func:`~.metrics.algorithm_row`), not listed in the catalog."""
MODEL_MONITOR_DATA = Family("model_monitor_data", "Model Monitor data quality", "Model Monitor", "monitoring_schedule",
                            ns.MODEL_MONITOR_DATA, ("Endpoint", "MonitoringSchedule"), dimensions_documented=False)
"""Per-feature drift and completeness (``feature_baseline_drift_<feature>``): names depend on the features and the
pages disagree on the namespace, so graphs SEARCH by name prefix and schedule, without a namespace."""
MODEL_MONITOR_MODEL = Family("model_monitor_model", "Model Monitor model quality", "Model Monitor",
                             "monitoring_schedule", ns.MODEL_MONITOR_MODEL, ("Endpoint", "MonitoringSchedule"))
"""Model-quality metrics (``accuracy``, ``auc``, ``rmse``...): alarmed where the user gives a threshold, on the worst
of every namespace spelling (:data:`~.namespaces.MODEL_MONITOR_SPELLINGS`)."""

PATTERN_FAMILIES: tuple[Family, ...] = (TRAINING_ALGORITHM, MODEL_MONITOR_DATA, MODEL_MONITOR_MODEL)
"""Families whose metric names come from the configuration (the facts table lists them in
``tests/facts/sagemaker_metric_patterns.csv``)."""
