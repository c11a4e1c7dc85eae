"""AppConfig: what the deployable app's YAML file holds (stack, environment, trail, queries and monitoring).

The keys are the constructs' keyword names. This model is the single source of truth for the file:
:func:`~cdk_sagemaker_monitoring.config.loader.load_config` validates against it, the JSON Schema in
``schema/`` is exported from it and the README's configuration reference is generated from it.
No jsii here: loading and checking a configuration never starts the CDK runtime.
"""

from __future__ import annotations

from typing import ClassVar, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .. import names
from ..aws_values import LOG_RETENTION_DAYS
from .custom_errors import invalid
from .fields import AccountId, RegionCode, json_pattern, named
from .resources import MonitoringConfig
from .trail_config import QueriesConfig, TrailConfig, TrailLifecycleConfig

__all__ = ["LOG_RETENTION_DAYS", "AppConfig", "EnvConfig", "QueriesConfig", "TrailConfig", "TrailLifecycleConfig"]


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
    own_keys: ClassVar[tuple[str, ...]] = ("stack_name", "env", "trail", "queries")

    stack_name: str = Field(
        default="SageMakerMonitoring",
        description="CloudFormation stack name (a letter, then letters, digits and hyphens; at most 128).",
        json_schema_extra=json_pattern(names.STACK_NAME),
    )
    env: Optional[EnvConfig] = Field(default=None, description="Account and region to deploy into (optional).")
    trail: TrailConfig = Field(default_factory=TrailConfig, description="The experiment-metrics CloudTrail trail.")
    queries: QueriesConfig = Field(default_factory=QueriesConfig,
                                   description="Athena over the trail: Glue table, workgroup and named queries.")

    @field_validator("stack_name")
    @classmethod
    def _check_stack_name(cls, value: str) -> str:
        return named(names.STACK_NAME, value)

    @model_validator(mode="after")
    def _queries_need_the_trail(self) -> "AppConfig":
        if self.queries.enabled and not self.trail.enabled:
            raise invalid("queries_without_trail", "is true, but trail.enabled is false: the queries read the trail's logs",
                          "set trail.enabled: true, or queries.enabled: false", ("queries", "enabled"))
        return self

    @property
    def queries_enabled(self) -> bool:
        """Whether the stack gets the Athena layer: ``queries.enabled``, by default the trail's ``enabled``."""
        return self.trail.enabled if self.queries.enabled is None else self.queries.enabled
