"""The trail's and the queries' settings: one model each, used by the YAML file and by the constructs alike.

``ExperimentMetricsTrail`` validates its keyword arguments with :class:`TrailConfig` and
``ExperimentMetricsQueries`` with :class:`QueriesArguments` (:class:`QueriesConfig` plus what only a
construct can take: the trail object or a bucket), so a value the file refuses the construct refuses
with the same message. Values only a construct can pass (a KMS key object) are union members without
JSON Schema (:mod:`.construct_values`). No jsii here.
"""

from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator, model_validator

from .. import names
from ..aws_values import ATHENA_MIN_BYTES_SCANNED_CUTOFF, DEFAULT_BYTES_SCANNED_CUTOFF, LOG_RETENTION_DAYS
from .construct_values import BucketArg, KmsKeyArg, RetentionArg, TrailArg
from .custom_errors import invalid
from .fields import AccountId, RegionCode, each_named, json_pattern, log_retention, name_of, unique

__all__ = ["QueriesArguments", "QueriesConfig", "TrailConfig", "TrailLifecycleConfig"]

_KEY_ARN_FIX = names.KMS_KEY_ARN.description


class _Model(BaseModel):
    """Shared settings: unknown keys are errors and models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _key_arn(value: Any, allowed: str) -> Any:
    if isinstance(value, str) and not names.KMS_KEY_ARN.pattern.fullmatch(value):
        raise invalid("invalid_kms_key", f"{value!r} is neither {allowed} nor a KMS key ARN", _KEY_ARN_FIX)
    return value


#: A number of days (at least one), or ``None`` to leave the step out.
Days = Optional[Annotated[StrictInt, Field(ge=1)]]


class TrailLifecycleConfig(_Model):
    """Lifecycle of the log objects in the trail's bucket (``TrailBucketLifecycle`` of the construct).

    Every log is kept by default (an audit trail): objects move to S3 Glacier Instant Retrieval after
    ``transition_after_days`` and superseded versions expire after ``noncurrent_expiration_days``.
    """

    transition_after_days: Days = Field(default=90, description="Move logs to Glacier Instant Retrieval after "
                                        "this many days; `null`: never.")
    expiration_days: Days = Field(default=None, description="Delete logs after this many days; `null` (default): "
                                  "keep them.")
    noncurrent_expiration_days: Days = Field(default=365, description="Delete superseded object versions after "
                                             "this many days; `null`: never.")
    access_log_expiration_days: Days = Field(default=365, description="Delete the bucket's server access logs "
                                             "after this many days; `null`: never.")

    @model_validator(mode="after")
    def _expire_after_transition(self) -> "TrailLifecycleConfig":
        if self.expiration_days and self.transition_after_days and self.expiration_days <= self.transition_after_days:
            raise invalid("expiration_before_transition", "must come after the storage-class transition",
                          f"more than transition_after_days ({self.transition_after_days})", ("expiration_days",))
        return self


class TrailConfig(_Model):
    """The CloudTrail trail of SageMaker Experiments metric data events (``ExperimentMetricsTrail``)."""

    enabled: StrictBool = Field(default=True, description="Create the trail. `false` leaves it out of the stack.")
    name: Optional[name_of(names.TRAIL)] = Field(  # type: ignore[valid-type]
        default=None,
        description="CloudTrail trail name (3 to 128 letters, digits, '.', '_', '-'); default: derived from the "
                    "stack name, stable across deployments.",
    )
    multi_region: StrictBool = Field(default=True, description="Log the events of every region, not only the stack's.")
    event_names: Optional[list[str]] = Field(
        default=["BatchPutMetrics"],
        description="Only these API calls (data events cost money per event); `null` logs every data event of "
                    "SageMaker Experiments trial components. An empty list is refused: it would log nothing.",
        json_schema_extra={"items": {"type": "string", **json_pattern(names.EVENT_NAME)}, "minItems": 1},
    )
    trial_component_prefixes: Optional[list[str]] = Field(
        default=None,
        description="Only runs (trial components) whose name starts with one of these; default (`null` or `[]`): "
                    "every run.",
        json_schema_extra={"items": {"type": "string", **json_pattern(names.TRIAL_COMPONENT_PREFIX)}},
    )
    include_management_events: StrictBool = Field(
        default=False, description="Also log management events (the trail exists for training metrics; "
                                   "another trail usually logs management events already).")
    s3_key_prefix: Optional[name_of(names.S3_KEY_PREFIX)] = Field(  # type: ignore[valid-type]
        default=None, description="Key prefix of the delivered logs in the bucket (default none).")
    encryption_key: Union[StrictBool, str, KmsKeyArg] = Field(
        default=True,
        description="`true` (default) creates a customer-managed KMS key (with rotation) for the logs, bucket and "
                    "log group, about $1 a month; a KMS key ARN uses that key; `false` uses S3-managed encryption.",
        json_schema_extra=json_pattern(names.KMS_KEY_ARN),
    )
    cloudwatch_logs_retention_days: Union[StrictInt, RetentionArg, None] = Field(
        default=None,
        description="Also deliver the events to a CloudWatch Logs group kept this many days (one of CloudWatch "
                    "Logs' values: " + ", ".join(map(str, LOG_RETENTION_DAYS)) + "); default: no log group.",
        json_schema_extra={"enum": [*LOG_RETENTION_DAYS, None]},
    )
    lifecycle: TrailLifecycleConfig = Field(default_factory=TrailLifecycleConfig,
                                            description="Lifecycle of the log objects in the trail's bucket.")
    organization: StrictBool = Field(
        default=False,
        description="An organization trail: logs every account of the AWS Organization. Deploy it in the "
                    "organization's management account (or a delegated administrator account for CloudTrail); "
                    "needs `organization_id`.",
    )
    organization_id: Optional[name_of(names.ORGANIZATION_ID)] = Field(  # type: ignore[valid-type]
        default=None, description="The organization's id (`o-` and 10 to 32 letters or digits): CloudTrail "
                                  "delivers member accounts' logs under `AWSLogs/<organization id>/`.",
    )

    @field_validator("event_names")
    @classmethod
    def _check_event_names(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        if not value:
            raise invalid("nothing_to_log", "is empty: the trail would log no event at all",
                          "list API calls such as [BatchPutMetrics], or null for every data event")
        return list(unique(each_named(names.EVENT_NAME, value), "event name"))

    @field_validator("trial_component_prefixes")
    @classmethod
    def _check_prefixes(cls, value: list[str] | None) -> list[str] | None:
        if not value:  # [] narrows nothing: every run, as when it is left out
            return None
        return list(unique(each_named(names.TRIAL_COMPONENT_PREFIX, value), "prefix"))

    @field_validator("encryption_key")
    @classmethod
    def _check_key(cls, value: Any) -> Any:
        return _key_arn(value, "true, false")

    @field_validator("cloudwatch_logs_retention_days")
    @classmethod
    def _check_retention(cls, value: Any) -> Any:
        return log_retention(value)

    @model_validator(mode="after")
    def _organization(self) -> "TrailConfig":
        if self.organization and self.organization_id is None:
            raise invalid("missing_organization_id", "is required for an organization trail",
                          "the id the Organizations console shows (aws organizations describe-organization), "
                          "o-...", ("organization_id",))
        if self.organization_id is not None and not self.organization:
            raise invalid("organization_id_without_organization", "is set but organization is false",
                          "set organization: true for an organization trail, or leave organization_id out",
                          ("organization_id",))
        return self


class QueriesConfig(_Model):
    """Athena over the trail's logs (``ExperimentMetricsQueries``): a Glue database and table with partition
    projection, a workgroup with its own results bucket, named queries and a policy to run them."""

    enabled: Optional[StrictBool] = Field(
        default=None,
        description="Create the Glue/Athena layer. Default (`null`): when the trail is enabled. `true` needs "
                    "`trail.enabled: true`: the queries read that trail's logs.",
    )
    database_name: Optional[name_of(names.GLUE_NAME)] = Field(  # type: ignore[valid-type]
        default=None,
        description=f"Glue database ({names.GLUE_NAME.description}); default: derived from the stack name, "
                    "stable across deployments.",
    )
    table_name: name_of(names.GLUE_NAME) = Field(  # type: ignore[valid-type]
        default="cloudtrail_events",
        description=f"Glue table of the raw CloudTrail events ({names.GLUE_NAME.description}).",
    )
    workgroup_name: Optional[name_of(names.ATHENA_WORKGROUP)] = Field(  # type: ignore[valid-type]
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
    results_encryption_key: Union[StrictBool, str, KmsKeyArg, None] = Field(
        default=None,
        description="`null`: the trail's KMS key when it has one, else S3-managed encryption; `true`: a new "
                    "customer-managed key; `false`: S3-managed encryption; or a KMS key ARN.",
        json_schema_extra=json_pattern(names.KMS_KEY_ARN),
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
    regions: Optional[list[RegionCode]] = Field(
        default=None,
        description="Regions whose logs the table projects; default: the stack's region for a single-region trail, "
                    "else every region of the partition. An empty list is refused: it would project nothing.",
        json_schema_extra={"minItems": 1},
    )
    accounts: Optional[list[AccountId]] = Field(
        default=None,
        description="Accounts whose logs the table projects; default: the stack's account, or with environments "
                    "and an organization trail, every configured account. An empty list is refused: it would "
                    "project nothing.",
        json_schema_extra={"minItems": 1},
    )

    @field_validator("results_encryption_key")
    @classmethod
    def _check_key(cls, value: Any) -> Any:
        return _key_arn(value, "null, true, false")

    @field_validator("projection_start", mode="before")
    @classmethod
    def _check_start(cls, value: Any) -> _dt.date | str:
        fix = "a date such as 2024-01-31, or a relative date such as NOW-2YEARS or NOW-90DAYS"
        if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
            return value
        if isinstance(value, str):
            if names.PROJECTION_RELATIVE_DATE.pattern.fullmatch(value):
                return value
            try:
                return _dt.date.fromisoformat(value)
            except ValueError:
                pass
        shown = repr(value.isoformat()) if isinstance(value, _dt.datetime) else repr(value)
        raise invalid("invalid_date", f"{shown} is not a first day Athena can project", fix)

    @field_validator("regions", "accounts")
    @classmethod
    def _not_empty(cls, value: list[str] | None, info: Any) -> list[str] | None:
        if value is None:
            return None
        if not value:
            raise invalid("nothing_to_project", "is empty: the table would project no log folder at all",
                          f"leave {info.field_name} out for the default, or list at least one")
        return list(unique(value, info.field_name.rstrip("s")))


class QueriesArguments(QueriesConfig):
    """:class:`QueriesConfig` and what only ``ExperimentMetricsQueries`` takes: whose logs to read."""

    trail: Optional[TrailArg] = None
    bucket: Optional[BucketArg] = None
    s3_key_prefix: Optional[name_of(names.S3_KEY_PREFIX)] = None  # type: ignore[valid-type]
    logs_key: Optional[KmsKeyArg] = None
    organization_id: Optional[name_of(names.ORGANIZATION_ID)] = None  # type: ignore[valid-type]
    access_logs_bucket: Optional[BucketArg] = None

    @model_validator(mode="after")
    def _one_source(self) -> "QueriesArguments":
        if (self.trail is None) == (self.bucket is None):
            raise invalid("one_source", "give exactly one of trail= and bucket=",
                          "trail=ExperimentMetricsTrail(...), or bucket= the bucket a trail delivers into", ("trail",))
        if self.trail is not None:
            for name in ("s3_key_prefix", "logs_key"):
                if getattr(self, name) is not None:
                    raise invalid("taken_from_trail", "is taken from the trail when trail= is given",
                                  f"leave {name} out", (name,))
        return self
