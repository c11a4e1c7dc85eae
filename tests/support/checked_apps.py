"""Apps every checker runs on, built the same way in any virtual environment (cdk-nag 3 in .venv, cdk-nag 2 in
.venv-nag2, checkov on their templates): only aws-cdk-lib and the package, no test tooling.

Each builder adds its stacks to ``app``; :data:`APPS` names them with the cdk-nag packs that must be clean on them
(every app in all four packs: the trail's defaults with their KMS key without an acknowledgement; without a key,
with the user's choice acknowledged).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "monitoring.yaml"
ENV = cdk.Environment(account="123456789012", region="us-east-1")
ALL_PACKS = ("AwsSolutions", "HIPAA", "NIST80053R5", "PCIDSS321")


def trail_defaults(app: cdk.App) -> None:
    from cdk_sagemaker_monitoring import ExperimentMetricsTrail

    ExperimentMetricsTrail(cdk.Stack(app, "TrailDefaults", env=ENV), "Trail")


def trail_bare(app: cdk.App) -> None:
    """The issue's measurement: the default trail in an environment-agnostic stack, nothing passed."""
    from cdk_sagemaker_monitoring import ExperimentMetricsTrail

    ExperimentMetricsTrail(cdk.Stack(app, "TrailBare"), "Trail")


def trail_without_key(app: cdk.App) -> None:
    """``encryption_key=False``: SSE-S3, the one choice the compliance packs need acknowledged (with its reason)."""
    from cdk_sagemaker_monitoring import ExperimentMetricsTrail

    ExperimentMetricsTrail(cdk.Stack(app, "TrailWithoutKey", env=ENV), "Trail", encryption_key=False,
                           cloudwatch_logs_retention=90)


def trail_compliant(app: cdk.App) -> None:
    """The issue's measurement: ``encryption_key=True`` and CloudWatch Logs delivery (5 cdk-nag 2 errors before)."""
    from cdk_sagemaker_monitoring import ExperimentMetricsTrail

    ExperimentMetricsTrail(cdk.Stack(app, "TrailCompliant", env=ENV), "Trail", encryption_key=True,
                           cloudwatch_logs_retention=90, event_names=["BatchPutMetrics"])


def queries_compliant(app: cdk.App) -> None:
    from cdk_sagemaker_monitoring import ExperimentMetricsQueries, ExperimentMetricsTrail

    stack = cdk.Stack(app, "QueriesCompliant", env=ENV)
    trail = ExperimentMetricsTrail(stack, "Trail", encryption_key=True, cloudwatch_logs_retention=90)
    ExperimentMetricsQueries(stack, "Queries", trail=trail)


def monitoring_every_family(app: cdk.App) -> None:
    from cdk_sagemaker_monitoring import SageMakerMonitoring

    SageMakerMonitoring(
        cdk.Stack(app, "EveryFamily", env=ENV), "Monitoring",
        endpoints=[{"name": "mme", "variants": ["AllTraffic", "Canary"], "multi_model": True, "gpu": 4},
                   {"name": "sls", "serverless": True}],
        training_jobs=[{"name": "train", "instance_count": 2, "gpu": True}], processing_jobs=["proc"],
        transform_jobs=[{"name": "batch", "gpu": True}], feature_groups=["fg"],
        pipelines=[{"name": "pipe", "steps": ["Train"]}], labeling_jobs=["label"], workteams=["team"],
        alarm_emails=["ops@example.com"],
    )
    stack = cdk.Stack(app, "CallerTopic", env=ENV)
    topic = sns.Topic(stack, "Alerts", master_key=kms.Key(stack, "Key", enable_key_rotation=True), enforce_ssl=True)
    SageMakerMonitoring(stack, "Monitoring", endpoints=["ep"], alarm_topic=topic)


def monitoring_signals(app: cdk.App) -> None:
    """The newer signals (``examples/signals.yaml``): algorithm metrics, enhanced metrics, scale to zero, containers,
    HyperPod, Model Monitor."""
    from cdk_sagemaker_monitoring import MonitoringStack
    from cdk_sagemaker_monitoring.config.loader import load_config

    MonitoringStack(app, config=load_config(ROOT / "examples" / "signals.yaml"), env=ENV)


def stream(app: cdk.App) -> None:
    """The live metrics stream: a Lambda function behind an EventBridge rule, with its alarms."""
    from cdk_sagemaker_monitoring import ExperimentMetricsStream

    ExperimentMetricsStream(cdk.Stack(app, "Stream", env=ENV), "Stream", metric_names=["validation:loss"],
                            alarms={"validation:loss": {"threshold": 2.5}})


def failure_events(app: cdk.App) -> None:
    """SageMaker's failure events: on their own (a topic of their own), and with a monitoring's routing."""
    from cdk_sagemaker_monitoring import SageMakerFailureEvents, SageMakerMonitoring

    SageMakerFailureEvents(cdk.Stack(app, "FailureEvents", env=ENV), "Events", name_prefixes=["churn-"],
                           alarm_emails=["ops@example.com"])
    stack = cdk.Stack(app, "FailureEventsRouted", env=ENV)
    monitoring = SageMakerMonitoring(stack, "Monitoring", endpoints=["churn-endpoint"], alarm_emails=["ops@example.com"])
    SageMakerFailureEvents(stack, "Events", monitoring=monitoring, rule_name_prefix="Routed")


def bundled_example(app: cdk.App) -> None:
    """The bundled app's stack from ``examples/monitoring.yaml`` (trail with a key and logs, queries, monitoring)."""
    from cdk_sagemaker_monitoring import MonitoringStack
    from cdk_sagemaker_monitoring.config.loader import load_config

    MonitoringStack(app, config=load_config(EXAMPLE), env=ENV)


def slo_anomaly(app: cdk.App) -> None:
    """``examples/slo.yaml``: anomaly-band alarms and SLO burn-rate alarms with their composite tiers."""
    from cdk_sagemaker_monitoring import MonitoringStack
    from cdk_sagemaker_monitoring.config.loader import load_config

    MonitoringStack(app, config=load_config(ROOT / "examples" / "slo.yaml"), env=ENV)


APPS: dict[str, tuple[Callable[[cdk.App], None], tuple[str, ...]]] = {
    "trail_defaults": (trail_defaults, ALL_PACKS),
    "trail_bare": (trail_bare, ALL_PACKS),
    "trail_without_key": (trail_without_key, ALL_PACKS),
    "trail_compliant": (trail_compliant, ALL_PACKS),
    "queries_compliant": (queries_compliant, ALL_PACKS),
    "monitoring_every_family": (monitoring_every_family, ALL_PACKS),
    "stream": (stream, ALL_PACKS),
    "failure_events": (failure_events, ALL_PACKS),
    "bundled_example": (bundled_example, ALL_PACKS),
    "slo_anomaly": (slo_anomaly, ALL_PACKS),
    "monitoring_signals": (monitoring_signals, ALL_PACKS),
}
"""name -> (builder, the cdk-nag packs it is clean in)."""
