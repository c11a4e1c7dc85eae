"""CloudWatch namespaces of SageMaker metrics, each written once.

Every other module refers to these constants; a namespace string appears nowhere else. The source
of each is in the catalog rows (``source``, ``confidence``) and in ``tests/facts/sagemaker_metrics.csv``;
the ones no AWS page names are listed in :data:`UNCONFIRMED` (and in the monitoring guide of the docs),
so a correction is a one-line change here.
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

CONTAINER_INSIGHTS = "ContainerInsights"
"""Container Insights with enhanced observability for Amazon EKS: SageMaker HyperPod node health by
``ClusterName`` (the CloudWatch guide's HyperPod table)."""

MODEL_MONITOR_DATA = "aws/sagemaker/Endpoints/data-metrics"
"""Model Monitor data-quality (per-feature) metrics of real-time endpoints, as AWS's SageMaker Python SDK
writes the namespace (no leading slash). AWS's pages spell it differently, see :data:`MODEL_MONITOR_SPELLINGS`:
Model Monitor graphs therefore SEARCH without a namespace (every spelling matches)."""

MODEL_MONITOR_MODEL = "aws/sagemaker/Endpoints/model-metrics"
"""Model Monitor model-quality metrics (``accuracy``, ``auc``, ``rmse``...), as the SDK writes it."""

MODEL_MONITOR_MODEL_SLASHED = "/" + MODEL_MONITOR_MODEL
"""The SDK's model-quality spelling with the leading slash every SageMaker namespace of AWS's pages has."""

MODEL_MONITOR_MODEL_SPELLINGS: tuple[str, ...] = (MODEL_MONITOR_MODEL, MODEL_MONITOR_MODEL_SLASHED)
"""Where a model-quality metric may be; an alarm takes ``MAX()`` over both, so it fires whichever SageMaker writes."""

MODEL_MONITOR_SPELLINGS: dict[str, str] = {
    MODEL_MONITOR_DATA: "the SageMaker Python SDK's model_monitoring module (chosen for data quality)",
    MODEL_MONITOR_MODEL: "the SageMaker Python SDK's model_monitoring module (chosen for model quality)",
    MODEL_MONITOR_MODEL_SLASHED: "watched beside the SDK's spelling by model-quality alarms (AWS's pages put a "
                                 "leading slash on every SageMaker namespace)",
    "/aws/sagemaker/Endpoints/data-metric": "rejected as the one spelling: AWS's 'CloudWatch Metrics' page of "
                                            "Model Monitor (singular, with EndpointName and ScheduleName dimensions)",
    "/aws/sagemaker/Endpoint/data-metrics": "rejected as the one spelling: AWS's 'CloudWatch Metrics for Bring Your "
                                            "Own Containers' page (singular Endpoint, Endpoint and MonitoringSchedule)",
    "/aws/sagemaker/ModelMonitoring/data-metric": "batch transform monitoring per AWS's Model Monitor page "
                                                  "(not watched: schedules here watch endpoints)",
}
"""Every spelling of the Model Monitor namespaces seen in AWS's text, with where it comes from and whether it
was chosen. The pages disagree, so graphs SEARCH by metric name and schedule without a namespace, and a
model-quality alarm takes the worst of the spellings (``MAX()`` over each), so it fires whichever is real."""

UNCONFIRMED: dict[str, str] = {
    LABELING_JOBS: "Ground Truth labeling-job metrics: the namespace is not named in AWS's metric page; "
                   "taken from Grafana and yet-another-cloudwatch-exporter",
    WORKTEAM: "Ground Truth worker metrics: AWS names the namespace, but no public source shows a work-team "
              "dimension (public dashboards search it by CognitoUserPool, LabelingJob, WorkerId)",
    PIPELINES: "SageMaker Pipelines: the SageMaker guide writes 'Sagemaker', the CloudWatch guide 'SageMaker'",
    MODEL_MONITOR_DATA: "Model Monitor data quality: AWS's pages and SDK spell the namespace three ways "
                        "(see MODEL_MONITOR_SPELLINGS); graphs SEARCH without a namespace",
    MODEL_MONITOR_MODEL: "Model Monitor model quality: the SDK's spelling; alarms take the worst of every spelling",
}
"""Namespaces (or their dimension sets) public AWS text does not confirm, with why (Feature Store
shares ``AWS/SageMaker``, see :data:`UNCONFIRMED_FAMILIES`)."""

UNCONFIRMED_FAMILIES: dict[str, str] = {
    "feature_store": "Feature Store: AWS's metric page names no namespace; AWS/SageMaker is what public tooling uses",
    "endpoint_serverless": "Serverless concurrency: AWS's serverless page names neither namespace nor dimensions; "
                           "AWS/SageMaker by EndpointName, VariantName is inferred from the invocation metrics",
}
"""Families whose namespace is unconfirmed although the namespace itself is a confirmed one."""
