"""MonitoringStack: the trail, the queries over it and the monitoring of one configuration, in one deployable stack.

The bundled ``app.py`` builds exactly this from a YAML file; a user's own CDK app can build the same
from a loaded file, a mapping shaped like it, or an :class:`AppConfig`::

    from cdk_sagemaker_monitoring import MonitoringStack, load_config
    MonitoringStack(app, config=load_config("prod.yaml"))

Construct ids are fixed (``ExperimentMetricsTrail``, ``Queries``, ``Monitoring``, ``Stream``, ``FailureEvents``), so
the trail and its buckets keep their logical ids whatever the monitoring holds, and whether the queries are there or
not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Sequence, Union, cast

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from constructs import Construct

from ..config.app_config import AppConfig, EnvConfig, QueriesConfig, TrailConfig
from ..config.loader import config_from_mapping
from ..config.stream import StreamConfig
from ..errors import ConfigurationError
from ..constructs.experiment_metrics_queries import ExperimentMetricsQueries
from ..constructs.experiment_metrics_stream import ExperimentMetricsStream
from ..constructs.sagemaker_failure_events import SageMakerFailureEvents
from ..constructs.experiment_metrics_trail import ExperimentMetricsTrail, TrailBucketLifecycle
from ..constructs.sagemaker_monitoring import SageMakerMonitoring

ConfigArg = Union[AppConfig, Mapping[str, Any]]

TRAIL_ID = "ExperimentMetricsTrail"
QUERIES_ID = "Queries"
MONITORING_ID = "Monitoring"
STREAM_ID = "Stream"
EVENTS_ID = "FailureEvents"


class MonitoringStack(cdk.Stack):
    """A stack with the experiment-metrics trail, Athena queries over it and the SageMaker monitoring of ``config``.

    :param config: a validated :class:`AppConfig` (``load_config(path)``) or a mapping shaped like the
        YAML file (validated here; a bad one raises ConfigurationError naming the field).
    :param id: construct id of the stack; default ``config.stack_name``.
    :param stack_kwargs: passed to ``cdk.Stack`` (``env`` there wins over ``config.env``;
        ``stack_name`` defaults to ``config.stack_name``).
    """

    def __init__(self, scope: Construct, id: str | None = None, *, config: ConfigArg, **stack_kwargs: Any) -> None:
        if not isinstance(config, AppConfig):
            config = config_from_mapping(config)
        if config.environments:
            raise ConfigurationError(
                "environments", "describe several stacks (one per environment and the central ones); "
                "MonitoringStack builds one", fix="build_stacks(app, config) builds them all, or "
                "MonitoringStack(app, config=config.for_environment(name)) one environment's")
        stack_kwargs.setdefault("stack_name", config.stack_name)
        if stack_kwargs.get("env") is None and config.env is not None:
            stack_kwargs["env"] = _environment(config.env)
        stack_kwargs.setdefault("description", "Amazon SageMaker monitoring: experiment-metrics trail, "
                                               "CloudWatch dashboards and alarms (cdk-sagemaker-monitoring)")
        super().__init__(scope, id or config.stack_name, **stack_kwargs)
        self.config: AppConfig = config
        self.trail: ExperimentMetricsTrail | None = (
            self._make_trail(config.trail) if config.trail.enabled else None
        )
        self.queries: ExperimentMetricsQueries | None = (
            self._make_queries(config.queries, self.trail) if self.trail is not None and config.queries_enabled
            else None
        )
        # The whole configuration goes to the construct: what it plans (pages, shards, fleet alarms)
        # is its business; the dashboards are named after the stack unless the file says otherwise.
        monitoring_config = config if config.dashboard_name else config.model_copy(
            update={"dashboard_name": config.stack_name})
        self.monitoring: SageMakerMonitoring = SageMakerMonitoring(self, MONITORING_ID, config=monitoring_config)
        # Live training metrics: alarms go to the monitoring's topic, the log group uses the trail's key.
        self.stream: ExperimentMetricsStream | None = None
        if config.stream.enabled and self.trail is not None:
            settings = StreamConfig.model_validate(config.stream.model_dump(exclude={"enabled"}))
            self.stream = ExperimentMetricsStream(
                self, STREAM_ID, trail=self.trail, config=settings, alarm_topic=self.monitoring.alarm_topic_arn,
                encryption_key=self.trail.encryption_key,
            )
            if self.monitoring.topic is not None:
                self.monitoring.alarms_also_notify_topic("the live-metrics stream's alarms")
        # SageMaker's failure events: notified and alarmed through the monitoring's alarm routing.
        self.failure_events: SageMakerFailureEvents | None = None
        if config.events.enabled:
            self.failure_events = SageMakerFailureEvents(self, EVENTS_ID, config=config.events.settings(),
                                                         monitoring=self.monitoring)
            if self.monitoring.topic is not None:
                self.monitoring.alarms_also_notify_topic("the failure events' notifications")

    def _make_trail(self, trail: TrailConfig) -> ExperimentMetricsTrail:
        return make_trail(self, trail)

    def _make_queries(self, queries: QueriesConfig, trail: ExperimentMetricsTrail) -> ExperimentMetricsQueries:
        return make_queries(self, queries, trail)


def make_trail(scope: Construct, trail: TrailConfig) -> ExperimentMetricsTrail:
    """The trail of a configuration file's ``trail:`` (construct id ``ExperimentMetricsTrail``)."""
    return ExperimentMetricsTrail(
        scope, TRAIL_ID,
        trail_name=trail.name,
        s3_key_prefix=trail.s3_key_prefix,
        multi_region=trail.multi_region,
        event_names=trail.event_names,
        trial_component_prefixes=trail.trial_component_prefixes,
        include_management_events=trail.include_management_events,
        encryption_key=_key(scope, trail.encryption_key, "TrailKey"),
        # a RetentionDays member when a construct passed one (RetentionObject only types it for the model)
        cloudwatch_logs_retention=cast(Any, trail.cloudwatch_logs_retention_days),
        lifecycle=TrailBucketLifecycle(**trail.lifecycle.model_dump()),
        organization=trail.organization,
        organization_id=trail.organization_id,
    )


def make_queries(scope: Construct, queries: QueriesConfig, trail: ExperimentMetricsTrail,
                 accounts: Sequence[str] | None = None) -> ExperimentMetricsQueries:
    """The queries of a file's ``queries:`` over ``trail`` (construct id ``Queries``); ``accounts`` is the
    default of ``queries.accounts``."""
    return ExperimentMetricsQueries(
        scope, QUERIES_ID,
        trail=trail,
        database_name=queries.database_name,
        table_name=queries.table_name,
        workgroup_name=queries.workgroup_name,
        bytes_scanned_cutoff_per_query=queries.bytes_scanned_cutoff_per_query,
        results_expiration_days=queries.results_expiration_days,
        results_encryption_key=_key(scope, queries.results_encryption_key, "QueriesResultsKey"),
        lookback_days=queries.lookback_days,
        projection_start=queries.projection_start,
        regions=queries.regions,
        accounts=queries.accounts or accounts,
    )


def _key(scope: Construct, value: Any, id: str) -> Any:
    """A key ARN of the file as an imported key (construct id ``id``, as before); other values unchanged."""
    return kms.Key.from_key_arn(scope, id, value) if isinstance(value, str) else value


def _environment(env: EnvConfig) -> cdk.Environment:
    return cdk.Environment(account=env.account, region=env.region)
