"""AppConfig: what the deployable app's YAML file holds (stack, environment, trail, queries and monitoring).

The keys are the constructs' keyword names. This model is the single source of truth for the file:
:func:`~cdk_sagemaker_monitoring.config.loader.load_config` validates against it, the JSON Schema in
``schema/`` is exported from it and the docs' configuration reference is generated from it.
No jsii here: loading and checking a configuration never starts the CDK runtime.
"""

from __future__ import annotations

from typing import ClassVar, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from .. import names
from ..aws_values import LOG_RETENTION_DAYS
from .custom_errors import LEFT_OUT_KEYS, invalid, raise_all
from .events import EventsSection
from .environments import EnvironmentConfig, MonitoringAccountConfig, environment_errors, inherited_settings
from .fields import AccountId, RegionCode, json_pattern, named
from .resources import MonitoringConfig
from .stream import StreamSection
from .trail_config import QueriesConfig, TrailConfig, TrailLifecycleConfig

__all__ = ["LOG_RETENTION_DAYS", "AppConfig", "EnvConfig", "EnvironmentConfig", "MonitoringAccountConfig",
           "QueriesConfig", "TrailConfig", "TrailLifecycleConfig"]


class _Model(BaseModel):
    """Shared settings: unknown keys are errors and models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EnvConfig(_Model):
    """Where the stack deploys. Leave it out for an environment-agnostic stack (the CLI's credentials decide)."""

    account: Optional[AccountId] = Field(
        default=None, description="AWS account id (twelve digits); default: the deploying credentials' account.",
        examples=["123456789012"],
    )
    region: Optional[RegionCode] = Field(
        default=None, description="AWS region code; default: the deploying credentials' region.", examples=["us-east-1"],
    )


class AppConfig(MonitoringConfig):
    """The whole configuration file: one stack with the trail, the queries over it and the monitoring.

    The monitoring keys (``endpoints`` ... ``workteams``, ``alarm_emails``, ``alarm_topic_arn`` ...)
    are :class:`MonitoringConfig`'s, the keyword names of ``SageMakerMonitoring``; this adds the stack,
    its environment, the trail and the queries over it.
    """

    #: Keys of this class (not of MonitoringConfig), listed first in the reference.
    own_keys: ClassVar[tuple[str, ...]] = ("stack_name", "env", "trail", "queries", "stream", "events",
                                           "environments", "monitoring_account")

    stack_name: str = Field(
        default="SageMakerMonitoring",
        description="CloudFormation stack name (a letter, then letters, digits and hyphens; at most 128).",
        json_schema_extra=json_pattern(names.STACK_NAME),
    )
    env: Optional[EnvConfig] = Field(default=None, description="Account and region to deploy into (optional).")
    trail: TrailConfig = Field(default_factory=TrailConfig, description="The experiment-metrics CloudTrail trail.")
    queries: QueriesConfig = Field(default_factory=QueriesConfig,
                                   description="Athena over the trail: Glue table, workgroup and named queries.")
    environments: tuple[EnvironmentConfig, ...] = Field(
        default=(),
        description="Accounts and regions, each its own stack `<stack_name>-<name>` with its own resource lists "
                    "(`endpoints` ... `alarm_emails`). With environments the top level lists no resources; its "
                    "other monitoring settings (`alarm_mode`, `shards` ...) are every environment's default.",
    )
    monitoring_account: Optional[MonitoringAccountConfig] = Field(
        default=None,
        description="A central stack `<stack_name>-Central` in this account: a CloudWatch cross-account "
                    "observability sink that every environment links its metrics to, an overview dashboard of "
                    "every environment and, with `trail.organization`, the organization trail and its queries.",
    )
    stream: StreamSection = Field(
        default_factory=StreamSection,
        description="Live training metrics from the trail's events: CloudWatch metrics per run, alarms across "
                    "runs, a dashboard of curves (`ExperimentMetricsStream`; off by default).",
    )
    events: EventsSection = Field(
        default_factory=EventsSection,
        description="SageMaker's failure events (jobs, endpoints, pipelines, HyperPod clusters): EventBridge rules on "
                    "the default bus, readable notifications to the alarm actions, an alarm per rule, a failures "
                    "dashboard (`SageMakerFailureEvents`; on by default).",
    )

    @field_validator("stack_name")
    @classmethod
    def _check_stack_name(cls, value: str) -> str:
        return named(names.STACK_NAME, value)

    @model_validator(mode="after")
    def _across_sections(self, info: ValidationInfo) -> "AppConfig":
        left_out = frozenset((info.context or {}).get(LEFT_OUT_KEYS, ()))
        errors = environment_errors(self.environments, self, self.monitoring_account, self.trail.organization, left_out)
        if self.queries.enabled and not self.trail.enabled:
            errors.append(invalid("queries_without_trail",
                                  "is true, but trail.enabled is false: the queries read the trail's logs",
                                  "set trail.enabled: true, or queries.enabled: false", ("queries", "enabled")))
        if self.stream.enabled and not self.trail.enabled:
            errors.append(invalid("stream_without_trail",
                                  "is true, but trail.enabled is false: EventBridge only receives the BatchPutMetrics "
                                  "data events a trail logs", "set trail.enabled: true, or stream.enabled: false",
                                  ("stream", "enabled")))
        elif self.stream.enabled and self.trail.event_names is not None and "BatchPutMetrics" not in self.trail.event_names:
            errors.append(invalid("stream_without_events",
                                  "is true, but trail.event_names leaves out BatchPutMetrics: the stream would get no "
                                  "events", "add BatchPutMetrics to trail.event_names", ("stream", "enabled")))
        elif self.stream.enabled and self.central_trail:
            errors.append(invalid("stream_with_central_trail",
                                  "is true, but the organization trail lives in the central stack, and each "
                                  "environment's stream needs a trail of its own account (EventBridge sees the events "
                                  "of its account)", "set trail.organization: false to give every environment its own "
                                  "trail and stream, or stream.enabled: false", ("stream", "enabled")))
        trail_prefixes = tuple(self.trail.trial_component_prefixes or ())
        if self.stream.enabled and trail_prefixes:
            for i, prefix in enumerate(self.stream.trial_component_prefixes or ()):
                if not prefix.startswith(trail_prefixes):
                    errors.append(invalid("stream_prefix_outside_trail",
                                          f"{prefix!r} is not within the trail's prefixes ({', '.join(trail_prefixes)}): "
                                          "its runs are never logged", "use prefixes that start with one of trail."
                                          "trial_component_prefixes", ("stream", "trial_component_prefixes", i)))
        raise_all(errors, "AppConfig")
        return self

    @property
    def queries_enabled(self) -> bool:
        """Whether the stack gets the Athena layer: ``queries.enabled``, by default the trail's ``enabled``."""
        return self.trail.enabled if self.queries.enabled is None else self.queries.enabled

    @property
    def central_trail(self) -> bool:
        """Whether the trail and its queries live in the central stack (an organization trail with environments)."""
        return bool(self.environments) and self.trail.organization and self.trail.enabled

    def environment(self, name: str) -> EnvironmentConfig:
        """The environment called ``name``; ``KeyError`` when there is none."""
        for env in self.environments:
            if env.name == name:
                return env
        raise KeyError(name)

    def for_environment(self, name: str) -> "AppConfig":
        """The single-stack configuration of environment ``name``: what its stack ``<stack_name>-<name>`` holds.

        Its monitoring is the environment's entry (with the top level's settings it does not set); the
        trail is the top level's, except that an organization trail lives in the central stack instead.
        """
        env = self.environment(name)
        monitoring = {key: getattr(env, key) for key in env.model_fields_set if key not in env.own_keys}
        monitoring.update(inherited_settings(self, env))
        stack_name = f"{self.stack_name}-{env.name}"
        trail = self.trail.model_copy(update={"enabled": False}) if self.central_trail else self.trail
        queries = self.queries.model_copy(update={"enabled": False}) if self.central_trail else self.queries
        return AppConfig.model_validate({
            **monitoring, "stack_name": stack_name, "env": {"account": env.account, "region": env.region},
            "trail": trail.model_dump(), "queries": queries.model_dump(), "stream": self.stream.model_dump(),
            "events": self.events.model_dump(),
        })

    def accounts(self) -> list[str]:
        """Every account the file names (environments and the monitoring account), sorted, each once."""
        found = {env.account for env in self.environments}
        if self.monitoring_account is not None:
            found.add(self.monitoring_account.account)
        return sorted(found)
