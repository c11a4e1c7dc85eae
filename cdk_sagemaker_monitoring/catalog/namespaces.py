"""CloudWatch namespaces of SageMaker metrics, each written once.

Every other module refers to these constants; a namespace string appears nowhere else.
Sources and confidence: ``shared/spec/aws-facts.md``. The ones public AWS text does not confirm are
listed in :data:`UNCONFIRMED` (and in the monitoring guide of the docs), so a correction is a one-line change here.
"""

from __future__ import annotations

SAGEMAKER = "AWS/SageMaker"
"""Endpoint invocation, multi-model loading and (per public tooling) Feature Store metrics."""

ENDPOINTS = "/aws/sagemaker/Endpoints"
"""Endpoint instance metrics (CPU, memory, GPU, disk) and multi-model ``LoadedModelCount``."""

TRAINING_JOBS = "/aws/sagemaker/TrainingJobs"
PROCESSING_JOBS = "/aws/sagemaker/ProcessingJobs"
TRANSFORM_JOBS = "/aws/sagemaker/TransformJobs"

LABELING_JOBS = "AWS/Sagemaker/LabelingJobs"
"""Ground Truth dataset-object and job metrics (lower-case ``m``, as Grafana and YACE use it)."""

WORKTEAM = "AWS/SageMaker/Workteam"
"""Ground Truth private work-team (worker) metrics."""

FEATURE_STORE = SAGEMAKER
"""Feature Store runtime metrics; AWS's metric page does not name the namespace."""

PIPELINES = "AWS/Sagemaker/ModelBuildingPipeline"
"""SageMaker Pipelines; spelled as the SageMaker guide spells it (the CloudWatch guide has a capital M)."""

UNCONFIRMED: dict[str, str] = {
    LABELING_JOBS: "Ground Truth labeling-job metrics: the namespace is not named in AWS's metric page; "
                   "taken from Grafana and yet-another-cloudwatch-exporter",
    WORKTEAM: "Ground Truth worker metrics: the exact dimension set (Workteam, Workforce) is not documented",
    PIPELINES: "SageMaker Pipelines: the SageMaker guide writes 'Sagemaker', the CloudWatch guide 'SageMaker'",
}
"""Namespaces (or their dimension sets) public AWS text does not confirm, with why (Feature Store
shares ``AWS/SageMaker``, see :data:`UNCONFIRMED_FAMILIES`)."""

UNCONFIRMED_FAMILIES: dict[str, str] = {
    "feature_store": "Feature Store: AWS's metric page names no namespace; AWS/SageMaker is what public tooling uses",
}
"""Families whose namespace is unconfirmed although the namespace itself is a confirmed one."""
