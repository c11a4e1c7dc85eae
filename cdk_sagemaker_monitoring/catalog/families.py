"""The metric families of the specification: namespace, dimensions and the resource kind watching each."""

from __future__ import annotations

from . import namespaces as ns
from .model import Family

ENDPOINT_INVOCATION = Family("endpoint_invocation", "Endpoint invocation", "Endpoint invocation",
                             "endpoint", ns.SAGEMAKER, ("EndpointName", "VariantName"))
ENDPOINT_MODEL_LOADING = Family("endpoint_model_loading", "Multi-model endpoint model loading",
                                "Multi-model endpoint model loading", "endpoint", ns.SAGEMAKER,
                                ("EndpointName", "VariantName"))
ENDPOINT_LOADED_MODELS = Family("endpoint_loaded_models", "Multi-model endpoint loaded models",
                                "Multi-model endpoint instance", "endpoint", ns.ENDPOINTS,
                                ("EndpointName", "VariantName"))
ENDPOINT_INSTANCE = Family("endpoint_instance", "Endpoint instances", "Instance (endpoint)", "endpoint",
                           ns.ENDPOINTS, ("EndpointName", "VariantName"))
TRAINING_JOB = Family("training_job", "Training job instances", "Instance (training job)", "training_job",
                      ns.TRAINING_JOBS, ("Host",))
PROCESSING_JOB = Family("processing_job", "Processing job instances", "Instance (processing job)",
                        "processing_job", ns.PROCESSING_JOBS, ("Host",))
TRANSFORM_JOB = Family("transform_job", "Transform job instances", "Instance (transform job)", "transform_job",
                       ns.TRANSFORM_JOBS, ("Host",))
LABELING_JOB = Family("labeling_job", "Ground Truth labeling jobs", "Ground Truth", "labeling_job",
                      ns.LABELING_JOBS, ("LabelingJobName",))
WORKTEAM = Family("workteam", "Ground Truth work teams", "Ground Truth", "workteam", ns.WORKTEAM, ("Workteam",))
FEATURE_STORE = Family("feature_store", "Feature Store", "Feature Store", "feature_group", ns.FEATURE_STORE,
                       ("FeatureGroupName", "OperationName"))
PIPELINE_EXECUTION = Family("pipeline_execution", "Pipeline executions", "Pipelines", "pipeline", ns.PIPELINES,
                            ("PipelineName",))
PIPELINE_STEP = Family("pipeline_step", "Pipeline steps", "Pipelines", "pipeline", ns.PIPELINES,
                       ("PipelineName", "StepName"))

FAMILIES: tuple[Family, ...] = (
    ENDPOINT_INVOCATION, ENDPOINT_MODEL_LOADING, ENDPOINT_LOADED_MODELS, ENDPOINT_INSTANCE,
    TRAINING_JOB, PROCESSING_JOB, TRANSFORM_JOB, LABELING_JOB, WORKTEAM, FEATURE_STORE,
    PIPELINE_EXECUTION, PIPELINE_STEP,
)
"""Every family, in dashboard order."""

RESOURCE_KINDS: tuple[str, ...] = (
    "endpoint", "training_job", "processing_job", "transform_job", "feature_group", "pipeline",
    "labeling_job", "workteam",
)
"""Resource kinds, in the order of the construct's keyword arguments."""
