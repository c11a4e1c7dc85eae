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

FAMILIES: tuple[Family, ...] = (
    ENDPOINT_INVOCATION, ENDPOINT_ASYNC_QUEUE, ENDPOINT_ASYNC, ENDPOINT_SERVERLESS, ENDPOINT_MODEL_LOADING,
    ENDPOINT_LOADED_MODELS, ENDPOINT_INSTANCE, ENDPOINT_COMPONENT_HOST, COMPONENT_INVOCATION, COMPONENT_UTILIZATION,
    TRAINING_JOB, PROCESSING_JOB, TRANSFORM_JOB, INFERENCE_RECOMMENDER, LABELING_JOB, LABELING_ACCOUNT, WORKTEAM,
    FEATURE_STORE, PIPELINE_EXECUTION, PIPELINE_STEP,
)
"""Every family, in dashboard order."""

RESOURCE_KINDS: tuple[str, ...] = (
    "endpoint", "training_job", "processing_job", "transform_job", "feature_group", "pipeline",
    "labeling_job", "workteam",
)
"""Resource kinds, in the order of the construct's keyword arguments (inference components are part of
their endpoint; Inference Recommender jobs, ``resource=""``, are on the overview only)."""
