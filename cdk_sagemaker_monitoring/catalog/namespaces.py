"""CloudWatch namespaces of SageMaker metrics, each written once.

Every other module refers to these constants; a namespace string appears nowhere else. The source
of each is in the catalog rows (``source``, ``confidence``) and in ``tests/facts/sagemaker_metrics.csv``;
the ones no AWS page names are listed in :data:`UNCONFIRMED` (and in the README), so a correction is a
one-line change here.
"""

from __future__ import annotations

SAGEMAKER = "AWS/SageMaker"
"""Endpoint and inference-component invocations, asynchronous queues, multi-model loading, serverless
concurrency, and (per public tooling) Feature Store."""

ENDPOINTS = "/aws/sagemaker/Endpoints"
"""Endpoint instance metrics (CPU, memory, GPU, disk; reservations for inference components) and
multi-model ``LoadedModelCount``."""

INFERENCE_COMPONENTS = "/aws/sagemaker/InferenceComponents"
"""Utilization of each inference component's copies, normalized to its reservation."""

TRAINING_JOBS = "/aws/sagemaker/TrainingJobs"
PROCESSING_JOBS = "/aws/sagemaker/ProcessingJobs"
TRANSFORM_JOBS = "/aws/sagemaker/TransformJobs"

INFERENCE_RECOMMENDER = "/aws/sagemaker/InferenceRecommendationsJobs"
"""Inference Recommender load tests (graphed on the overview only)."""

LABELING_JOBS = "AWS/Sagemaker/LabelingJobs"
"""Ground Truth dataset-object and job metrics (lower-case ``m``, as Grafana and YACE use it)."""

WORKTEAM = "AWS/SageMaker/Workteam"
"""Ground Truth private work-team (worker) metrics (named by AWS's work-team tracking page)."""

FEATURE_STORE = SAGEMAKER
"""Feature Store runtime metrics; no AWS page names the namespace."""

PIPELINES = "AWS/Sagemaker/ModelBuildingPipeline"
"""SageMaker Pipelines; spelled as the SageMaker guide spells it (the CloudWatch guide has a capital M)."""

UNCONFIRMED: dict[str, str] = {
    LABELING_JOBS: "Ground Truth labeling-job metrics: the namespace is not named in AWS's metric page; "
                   "taken from Grafana and yet-another-cloudwatch-exporter",
    WORKTEAM: "Ground Truth worker metrics: AWS names the namespace, but no public source shows a work-team "
              "dimension (public dashboards search it by CognitoUserPool, LabelingJob, WorkerId)",
    PIPELINES: "SageMaker Pipelines: the SageMaker guide writes 'Sagemaker', the CloudWatch guide 'SageMaker'",
}
"""Namespaces (or their dimension sets) public AWS text does not confirm, with why (Feature Store
shares ``AWS/SageMaker``, see :data:`UNCONFIRMED_FAMILIES`)."""

UNCONFIRMED_FAMILIES: dict[str, str] = {
    "feature_store": "Feature Store: AWS's metric page names no namespace; AWS/SageMaker is what public tooling uses",
    "endpoint_serverless": "Serverless concurrency: AWS's serverless page names neither namespace nor dimensions; "
                           "AWS/SageMaker by EndpointName, VariantName is inferred from the invocation metrics",
}
"""Families whose namespace is unconfirmed although the namespace itself is a confirmed one."""
