"""Watch Amazon SageMaker with AWS CDK.

The public API, re-exported here. Names are imported lazily, so that the command-line
tools (which only need boto3) do not pay for starting the jsii runtime behind aws-cdk-lib.

Constructs:
    ExperimentMetricsTrail   CloudTrail trail of SageMaker Experiments BatchPutMetrics data events
    ExperimentMetricsQueries Glue table, Athena workgroup and named queries over that trail
    ExperimentMetricsStream  the trail's BatchPutMetrics events as live CloudWatch metrics, alarms and curves
    SageMakerMonitoring      CloudWatch dashboards and alarms for every documented SageMaker metric family
    SageMakerFailureEvents   SageMaker's failure events (EventBridge) as readable notifications, alarms, dashboard

Stacks and configuration:
    MonitoringStack          the trail, its queries and the monitoring of one configuration (one stack)
    build_stacks             every stack of a configuration: one per environment and the central ones (app.py)
    CentralStack             the monitoring account's observability sink, overview and organization trail
    MetricsSink, MetricsLink CloudWatch cross-account observability (AWS::Oam::Sink, AWS::Oam::Link)
    load_config, AppConfig   the YAML configuration file, validated (errors name file, line and field)
    CustomMetric, SeverityActions   your own metrics, and where each severity's alarms go

Cost:
    count_assembly, count_config, count_plan, estimate_cost   the monthly cost of a cdk.out, of every stack of a
                             file, or of one plan, at list prices

Errors: ConfigurationError(s) for every bad input, ConfigFileError for a configuration file,
LimitExceeded for a service limit. Plan types (what the ``placement`` hook receives, typed
``Placement``): ResourcePlan, DashboardPlan, and the AlarmPlan, CompositePlan, SectionPlan,
MonitoringPlan they are made of.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .errors import ConfigurationError, ConfigurationErrors
from .jsii_node import prepare_jsii_node

prepare_jsii_node()  # before anything imports aws_cdk: which Node runs jsii, and no banner about its version

__version__ = "0.1.0"

# public name -> module that defines it (relative to this package)
_EXPORTS: dict[str, str] = {
    "ExperimentMetricsTrail": ".constructs.experiment_metrics_trail",
    "TrailBucketLifecycle": ".constructs.experiment_metrics_trail",
    "ExperimentMetricsQueries": ".constructs.experiment_metrics_queries",
    "ExperimentMetricsStream": ".constructs.experiment_metrics_stream",
    "StreamConfig": ".config.stream",
    "StreamAlarm": ".config.stream",
    "stream_custom_metric_count": ".plan.stream",
    "SageMakerFailureEvents": ".constructs.sagemaker_failure_events",
    "EventsConfig": ".config.events",
    "MetricRow": ".trail_reader",
    "ReadReport": ".trail_reader",
    "read_metric_rows": ".trail_reader",
    "read_metric_table": ".trail_reader",
    "MonitoringStack": ".stacks.monitoring_stack",
    "build_stacks": ".stacks.app_stacks",
    "AppStacks": ".stacks.app_stacks",
    "CentralStack": ".stacks.central_stack",
    "MetricsSink": ".constructs.observability",
    "MetricsLink": ".constructs.observability",
    "TrailConfig": ".config.trail_config",
    "QueriesConfig": ".config.trail_config",
    "EnvironmentConfig": ".config.environments",
    "MonitoringAccountConfig": ".config.environments",
    "AppConfig": ".config.app_config",
    "load_config": ".config.loader",
    "ConfigFileError": ".config.loader",
    "SageMakerMonitoring": ".constructs.sagemaker_monitoring",
    "Placement": ".constructs.sagemaker_monitoring",
    "MonitoringConfig": ".config.resources",
    "AlarmOverride": ".config.resources",
    "AnomalyOverride": ".config.resources",
    "SloSpec": ".config.resources",
    "LatencyObjective": ".config.resources",
    "EndpointSpec": ".config.resources",
    "InferenceComponentSpec": ".config.resources",
    "TrainingJobSpec": ".config.resources",
    "ProcessingJobSpec": ".config.resources",
    "TransformJobSpec": ".config.resources",
    "FeatureGroupSpec": ".config.resources",
    "PipelineSpec": ".config.resources",
    "LabelingJobSpec": ".config.resources",
    "WorkteamSpec": ".config.resources",
    "HyperPodClusterSpec": ".config.resources",
    "MonitoringScheduleSpec": ".config.resources",
    "AlgorithmMetric": ".config.resources",
    "QualityMetric": ".config.resources",
    "CustomMetric": ".config.custom_metrics",
    "CustomAlarm": ".config.custom_metrics",
    "SeverityActions": ".config.alarm_actions",
    "LimitExceeded": ".plan.limits",
    "AlarmPlan": ".plan.model",
    "CompositePlan": ".plan.model",
    "AnomalyBand": ".plan.model",
    "BurnRate": ".plan.model",
    "DashboardPlan": ".plan.model",
    "MonitoringPlan": ".plan.model",
    "ResourcePlan": ".plan.model",
    "SectionPlan": ".plan.model",
    "ShardLayout": ".plan.shards",
    "ShardPlan": ".plan.shards",
    "ShardLimits": ".plan.shards",
    "check_assembly": ".assembly_limits",
    "CostReport": ".cost",
    "count_assembly": ".cost",
    "count_config": ".cost",
    "count_plan": ".cost",
    "estimate_cost": ".cost",
    "load_prices": ".cost",
    "History": ".backtest",
    "load_csv": ".backtest",
    "replay": ".backtest",
    "AlarmReplay": ".backtest",
}

__all__ = ["ConfigurationError", "ConfigurationErrors", "__version__", *sorted(_EXPORTS)]

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    from .constructs.experiment_metrics_queries import ExperimentMetricsQueries
    from .constructs.experiment_metrics_trail import ExperimentMetricsTrail, TrailBucketLifecycle
    from .constructs.experiment_metrics_stream import ExperimentMetricsStream
    from .config.stream import StreamAlarm, StreamConfig
    from .plan.stream import stream_custom_metric_count
    from .constructs.sagemaker_failure_events import SageMakerFailureEvents
    from .config.events import EventsConfig
    from .trail_reader import MetricRow, ReadReport, read_metric_rows, read_metric_table
    from .stacks.monitoring_stack import MonitoringStack
    from .stacks.app_stacks import AppStacks, build_stacks
    from .stacks.central_stack import CentralStack
    from .constructs.observability import MetricsLink, MetricsSink
    from .config.trail_config import QueriesConfig, TrailConfig
    from .config.environments import EnvironmentConfig, MonitoringAccountConfig
    from .config.app_config import AppConfig
    from .config.loader import ConfigFileError, load_config
    from .config.custom_metrics import CustomAlarm, CustomMetric
    from .config.alarm_actions import SeverityActions
    from .plan.limits import LimitExceeded
    from .plan.model import AlarmPlan, CompositePlan, DashboardPlan, MonitoringPlan, ResourcePlan, SectionPlan
    from .plan.shards import ShardLayout, ShardPlan
    from .constructs.sagemaker_monitoring import Placement, SageMakerMonitoring
    from .config.resources import (
        AlarmOverride, AlgorithmMetric, EndpointSpec, FeatureGroupSpec, HyperPodClusterSpec, InferenceComponentSpec,
        LabelingJobSpec, MonitoringConfig, MonitoringScheduleSpec, PipelineSpec, ProcessingJobSpec, QualityMetric,
        TrainingJobSpec, TransformJobSpec, WorkteamSpec,
    )
    from .plan.shards import ShardLimits
    from .assembly_limits import check_assembly
    from .cost import CostReport, count_assembly, count_config, count_plan, estimate_cost, load_prices


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
