"""Where the catalog's facts come from: each public source once, and how sure each kind of source is.

A catalog row names its :class:`Source` and a :data:`Confidence`; the facts table in
``tests/facts/sagemaker_metrics.csv`` repeats both, and a test compares the two. The docs' alarm table, the
alarm descriptions and ``verify`` use the confidence to say which alarms rest on evidence weaker than
an AWS page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Confidence = Literal["aws-doc", "aws-sample", "third-party", "inferred", "configuration"]
"""How sure the row's namespace, dimension set, metric name and unit are, from strongest to weakest:
an AWS documentation page, an AWS sample, a named third-party tool, or our own inference; rows of
``custom_metrics`` are ``configuration`` (the user's own metric: what they write is the fact)."""

CONFIDENCES: tuple[Confidence, ...] = ("aws-doc", "aws-sample", "third-party", "inferred")
"""The confidences of catalog facts, strongest first (``configuration`` is for users' rows only)."""

WEAK: frozenset[Confidence] = frozenset({"aws-sample", "third-party", "inferred"})
"""Evidence weaker than an AWS page."""


@dataclass(frozen=True)
class Source:
    """A public source of facts: a title people can search for and its address."""

    title: str
    url: str


_DG = "https://docs.aws.amazon.com/sagemaker/latest/dg/"

METRICS_PAGE = Source("Amazon SageMaker AI metrics in Amazon CloudWatch (SageMaker AI developer guide)",
                      _DG + "monitoring-cloudwatch.html")
ASYNC_PAGE = Source("Alarms and logs for tracking metrics from asynchronous endpoints (SageMaker AI developer guide)",
                    _DG + "async-inference-monitor.html")
ASYNC_AUTOSCALE_PAGE = Source("Autoscale an asynchronous endpoint (SageMaker AI developer guide)",
                              _DG + "async-inference-autoscale.html")
SERVERLESS_PAGE = Source("Alarms and logs for tracking metrics from serverless endpoints "
                         "(SageMaker AI developer guide)", _DG + "serverless-endpoints-monitoring.html")
WORKTEAM_PAGE = Source("Track worker performance (Ground Truth, SageMaker AI developer guide)",
                       _DG + "workteam-private-tracking.html")
GRAFANA_NAMESPACES = Source("Grafana CloudWatch data source namespace list (AWS/Sagemaker/LabelingJobs, "
                            "AWS/SageMaker/Workteam)", "https://github.com/grafana/grafana")
WORKTEAM_DASHBOARD_CODE = Source("Public CloudWatch dashboard code: SEARCH('{AWS/SageMaker/Workteam,CognitoUserPool,"
                                 "LabelingJob,WorkerId} ...') for TimeSpent and TasksSubmitted",
                                 "https://github.com/search?q=AWS%2FSageMaker%2FWorkteam%2CCognitoUserPool&type=code")
LABELING_VENDOR = Source("AWS metric page's Ground Truth tables (LabelingJobName only for dataset-object metrics) "
                         "and a monitoring vendor's list of job counts with no labeling-job dimension (issue 12)",
                         _DG + "monitoring-cloudwatch.html#cloudwatch-metrics-ground-truth")
ASYNC_SPELLING = Source("Public policy-tool documentation for aws.sagemaker-endpoint and public dashboard code: "
                        "the processed count is InvocationsProcessed (the AWS page spells it InvocationsProcesssed)",
                        "https://github.com/search?q=%22InvocationsProcessed%22+SageMaker&type=code")
FEATURE_STORE_TOOLS = Source("Public tooling code reading Feature Store metrics (ConsumedReadCapacityUnits...) "
                             "from AWS/SageMaker by feature group",
                             "https://github.com/search?q=ConsumedReadRequestsUnits+%22AWS%2FSageMaker%22&type=code")

ENHANCED_PAGE = Source("Amazon SageMaker AI enhanced metrics for inference endpoints (SageMaker AI developer guide)",
                       _DG + "monitoring-cloudwatch-enhanced-metrics.html")
SCALE_TO_ZERO_PAGE = Source("Scale an endpoint to zero instances (SageMaker AI developer guide)",
                            _DG + "endpoint-auto-scaling-zero-instances.html")
MULTI_CONTAINER_PAGE = Source("Metrics for multi-container endpoints with direct invocation (SageMaker AI developer guide)",
                              _DG + "multi-container-metrics.html")
HYPERPOD_PAGE = Source("Amazon EKS and Kubernetes Container Insights metrics: Amazon SageMaker AI HyperPod metrics "
                       "(CloudWatch user guide)",
                       "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-EKS.html")
TRAINING_METRICS_PAGE = Source("Amazon CloudWatch Metrics for Monitoring and Analyzing Training Jobs (SageMaker AI developer "
                               "guide) and public code reading algorithm metrics by TrainingJobName",
                               _DG + "training-metrics.html")
MODEL_MONITOR_PAGE = Source("CloudWatch Metrics of Model Monitor, and CloudWatch Metrics for Bring Your Own Containers "
                            "(SageMaker AI developer guide)", _DG + "model-monitor-interpreting-cloudwatch.html")

CONFIGURATION = Source("The configuration's custom_metrics (a metric of your own)",
                       "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/publishingMetrics.html")
"""Source of every ``custom_metrics`` row."""

SOURCES: tuple[Source, ...] = (
    METRICS_PAGE, ASYNC_PAGE, ASYNC_AUTOSCALE_PAGE, SERVERLESS_PAGE, WORKTEAM_PAGE, GRAFANA_NAMESPACES,
    WORKTEAM_DASHBOARD_CODE, LABELING_VENDOR, ASYNC_SPELLING, FEATURE_STORE_TOOLS, ENHANCED_PAGE, SCALE_TO_ZERO_PAGE,
    MULTI_CONTAINER_PAGE, HYPERPOD_PAGE, TRAINING_METRICS_PAGE, MODEL_MONITOR_PAGE,
)


def weaker_than_aws(confidence: Confidence) -> bool:
    """Whether ``confidence`` is weaker than an AWS page (an AWS sample, a third party, an inference)."""
    return confidence in WEAK
