"""AppConfig: what the deployable app's YAML file holds (stack, environment, trail, queries and monitoring).

The keys are the constructs' keyword names. This model is the single source of truth for the file:
:func:`~cdk_sagemaker_monitoring.config.loader.load_config` validates against it, the JSON Schema in
``schema/`` is exported from it and the README's configuration reference is generated from it.
No jsii here: loading and checking a configuration never starts the CDK runtime.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Annotated, Any, ClassVar, Optional, Union

from pydantic import (
    AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator,
)

from .. import names
from ..aws_values import (
    ATHENA_MIN_BYTES_SCANNED_CUTOFF, DEFAULT_BYTES_SCANNED_CUTOFF, LOG_RETENTION_DAYS, PROJECTION_RELATIVE_DATE,
)
from ..errors import ConfigurationError
from .custom_errors import invalid, matching
from .resources import MonitoringConfig


#: CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 characters.
STACK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,127}")
#: An AWS account id: twelve digits.
ACCOUNT = re.compile(r"\d{12}")
#: An AWS region code such as ``us-east-1``, ``eu-central-2``, ``us-gov-west-1``.
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
#: A KMS key ARN (``arn:<partition>:kms:<region>:<account>:key/<id>``).
KMS_KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]{1,128}")


def _pattern(pattern: re.Pattern[str]) -> dict[str, Any]:
    """A JSON Schema ``pattern`` for editors (JSON Schema patterns are searches: anchor them)."""
    return {"pattern": f"^(?:{pattern.pattern})$"}


def _named(rule: names.NameRule, value: Any) -> str:
    """Check ``value`` against an AWS name rule, as a pydantic error (the field path comes from pydantic)."""
    try:
        return rule.check("", value)
    except ConfigurationError as err:
        raise invalid("invalid_name", err.problem, err.fix) from None


def _name_of(rule: names.NameRule) -> Any:
    """The type of a string checked against ``rule``, with the rule's pattern in the JSON Schema."""
    schema = {**_pattern(rule.pattern), "minLength": rule.min_length, "maxLength": rule.max_length}
    return Annotated[str, AfterValidator(functools.partial(_named, rule)), Field(json_schema_extra=schema)]


def _account_id(value: Any) -> Any:
    # YAML reads an unquoted 123456789012 as a number; an account id is the same twelve digits.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


class _Model(BaseModel):
    """Shared settings: unknown keys are errors and models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class EnvConfig(_Model):
    """Where the stack deploys. Leave it out for an environment-agnostic stack (the CLI's credentials decide)."""

    account: Annotated[Optional[str], BeforeValidator(_account_id)] = Field(
        default=None, description="AWS account id (twelve digits); default: the deploying credentials' account.",
        examples=["123456789012"], json_schema_extra=_pattern(ACCOUNT),
    )
    region: Optional[str] = Field(
        default=None, description="AWS region code; default: the deploying credentials' region.", examples=["us-east-1"],
        json_schema_extra=_pattern(REGION),
    )

    @field_validator("account")
    @classmethod
    def _check_account(cls, value: str | None) -> str | None:
        return matching(value, ACCOUNT, "invalid_account", "an AWS account id",
                        "twelve digits, quoted in YAML if it starts with 0")

    @field_validator("region")
    @classmethod
    def _check_region(cls, value: str | None) -> str | None:
        return matching(value, REGION, "invalid_region", "an AWS region code", "for example 'us-east-1'")


class TrailConfig(_Model):
    """The CloudTrail trail of SageMaker Experiments metric data events (``ExperimentMetricsTrail``)."""

    enabled: StrictBool = Field(default=True, description="Create the trail. `false` leaves it out of the stack.")
    name: Optional[_name_of(names.TRAIL)] = Field(
        default=None,
        description="CloudTrail trail name (3 to 128 letters, digits, '.', '_', '-'); default: derived from the "
                    "stack name, stable across deployments.",
    )
    multi_region: StrictBool = Field(default=True, description="Log the events of every region, not only the stack's.")
    event_names: Optional[list[str]] = Field(
        default=["BatchPutMetrics"], min_length=1,
        description="Only these API calls (data events cost money per event); `null` logs every data event of "
                    "SageMaker Experiments trial components.",
        json_schema_extra={"items": {"type": "string", **_pattern(names.EVENT_NAME.pattern)}},
    )
    trial_component_prefixes: Optional[list[str]] = Field(
        default=None, min_length=1,
        description="Only runs (trial components) whose name starts with one of these; default: every run.",
        json_schema_extra={"items": {"type": "string", **_pattern(names.TRIAL_COMPONENT_PREFIX.pattern)}},
    )
    encryption_key: Union[StrictBool, str] = Field(
        default=False,
        description="`true` creates a customer-managed KMS key (with rotation) for the logs, bucket and log group; "
                    "a KMS key ARN uses that key; `false` uses S3-managed encryption.",
        json_schema_extra=_pattern(KMS_KEY_ARN),
    )
    cloudwatch_logs_retention_days: Optional[StrictInt] = Field(
        default=None,
        description="Also deliver the events to a CloudWatch Logs group kept this many days (one of CloudWatch "
                    "Logs' values: " + ", ".join(map(str, LOG_RETENTION_DAYS)) + "); default: no log group.",
        json_schema_extra={"enum": [*LOG_RETENTION_DAYS, None]},
    )

    @field_validator("event_names")
    @classmethod
    def _check_event_names(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _unique([_named(names.EVENT_NAME, v) for v in value], "event name")

    @field_validator("trial_component_prefixes")
    @classmethod
    def _check_prefixes(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _unique([_named(names.TRIAL_COMPONENT_PREFIX, v) for v in value], "prefix")

    @field_validator("encryption_key")
    @classmethod
    def _check_key(cls, value: bool | str) -> bool | str:
        if isinstance(value, str) and not KMS_KEY_ARN.fullmatch(value):
            raise invalid("invalid_kms_key", f"{value!r} is neither true, false nor a KMS key ARN",
                          "arn:aws:kms:<region>:<account>:key/<key id>")
        return value

    @field_validator("cloudwatch_logs_retention_days")
    @classmethod
    def _check_retention(cls, value: int | None) -> int | None:
        if value is not None and value not in LOG_RETENTION_DAYS:
            close = min(LOG_RETENTION_DAYS, key=lambda d: (abs(d - value), d))
            raise invalid("invalid_retention", f"{value} is not a retention CloudWatch Logs accepts",
                          f"nearest: {close}; allowed: " + ", ".join(map(str, LOG_RETENTION_DAYS)))
        return value


class QueriesConfig(_Model):
    """Athena over the trail's logs (``ExperimentMetricsQueries``): a Glue database and table with partition
    projection, a workgroup with its own results bucket, named queries and a policy to run them."""

    enabled: Optional[StrictBool] = Field(
        default=None,
        description="Create the Glue/Athena layer. Default (`null`): when the trail is enabled. `true` needs "
                    "`trail.enabled: true`: the queries read that trail's logs.",
    )
    database_name: Optional[_name_of(names.GLUE_NAME)] = Field(
        default=None,
        description=f"Glue database ({names.GLUE_NAME.description}); default: derived from the stack name, "
                    "stable across deployments.",
    )
    table_name: _name_of(names.GLUE_NAME) = Field(
        default="cloudtrail_events", description=f"Glue table of the raw CloudTrail events ({names.GLUE_NAME.description}).",
    )
    workgroup_name: Optional[_name_of(names.ATHENA_WORKGROUP)] = Field(
        default=None,
        description=f"Athena workgroup ({names.ATHENA_WORKGROUP.description}); default: derived from the stack "
                    "name, stable across deployments.",
    )
    bytes_scanned_cutoff_per_query: StrictInt = Field(
        default=DEFAULT_BYTES_SCANNED_CUTOFF, ge=ATHENA_MIN_BYTES_SCANNED_CUTOFF,
        description=f"Athena cancels a query that scans more bytes than this (at least "
                    f"{ATHENA_MIN_BYTES_SCANNED_CUTOFF:,}, Athena's minimum); default 10 GiB.",
    )
    results_expiration_days: StrictInt = Field(
        default=7, ge=1, description="Query results are deleted from the results bucket after this many days.",
    )
    results_encryption_key: Union[StrictBool, str, None] = Field(
        default=None,
        description="`null`: the trail's KMS key when it has one, else S3-managed encryption; `true`: a new "
                    "customer-managed key; `false`: S3-managed encryption; or a KMS key ARN.",
        json_schema_extra=_pattern(KMS_KEY_ARN),
    )
    lookback_days: Optional[StrictInt] = Field(
        default=None, ge=1,
        description="Named queries read only the last that many days of log folders, so their cost stays flat as "
                    "the trail grows; default: every projected day.",
    )
    projection_start: Union[_dt.date, str] = Field(
        default="NOW-1YEARS",
        description="First day queries can see: a date (`2024-01-31`) or a relative date such as `NOW-2YEARS` or "
                    "`NOW-90DAYS`.",
    )
    regions: Optional[list[str]] = Field(
        default=None, min_length=1,
        description="Regions whose logs the table projects; default: the stack's region for a single-region trail, "
                    "else every region of the partition.",
        json_schema_extra={"items": {"type": "string", **_pattern(REGION)}},
    )

    @field_validator("results_encryption_key")
    @classmethod
    def _check_key(cls, value: bool | str | None) -> bool | str | None:
        if isinstance(value, str) and not KMS_KEY_ARN.fullmatch(value):
            raise invalid("invalid_kms_key", f"{value!r} is neither null, true, false nor a KMS key ARN",
                          "arn:aws:kms:<region>:<account>:key/<key id>")
        return value

    @field_validator("projection_start", mode="before")
    @classmethod
    def _check_start(cls, value: Any) -> _dt.date | str:
        fix = "a date such as 2024-01-31, or a relative date such as NOW-2YEARS or NOW-90DAYS"
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return value
        if isinstance(value, str):
            if PROJECTION_RELATIVE_DATE.fullmatch(value):
                return value
            try:
                return _dt.date.fromisoformat(value)
            except ValueError:
                pass
        shown = repr(value.isoformat()) if isinstance(value, _dt.datetime) else repr(value)
        raise invalid("invalid_date", f"{shown} is not a first day Athena can project", fix)

    @field_validator("regions")
    @classmethod
    def _check_regions(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        for i, region in enumerate(value):
            if not REGION.fullmatch(region):
                raise invalid("invalid_region", f"{region!r} is not an AWS region code", "for example 'us-east-1'", (i,))
        return _unique(value, "region")


def _unique(values: list[str], kind: str) -> list[str]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise invalid("duplicate", f"lists the {kind} {value!r} twice", "list each once")
        seen.add(value)
    return values


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
        json_schema_extra=_pattern(STACK_NAME),
    )
    env: Optional[EnvConfig] = Field(default=None, description="Account and region to deploy into (optional).")
    trail: TrailConfig = Field(default_factory=TrailConfig, description="The experiment-metrics CloudTrail trail.")
    queries: QueriesConfig = Field(default_factory=QueriesConfig,
                                   description="Athena over the trail: Glue table, workgroup and named queries.")

    @field_validator("stack_name")
    @classmethod
    def _check_stack_name(cls, value: str) -> str:
        return matching(value, STACK_NAME, "invalid_stack_name", "a CloudFormation stack name",
                        "a letter, then letters, digits and hyphens; at most 128 characters")

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
