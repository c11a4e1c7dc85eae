"""EventsConfig: the validated settings of ``SageMakerFailureEvents`` (SageMaker's failure events).

The construct's keyword arguments and the YAML file's ``events:`` section (:class:`EventsSection`, which adds
``enabled``) are both this model, so both refuse the same things with the same messages. No jsii here.
"""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from .. import names
from ..aws_values import LOG_RETENTION_DAYS
from ..catalog.events import EVENT_KINDS, KIND_KEYS, kind
from ..catalog.model import Severity
from .custom_errors import invalid
from .fields import json_pattern, log_retention, unique


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EventKindSettings(_Model):
    """On/off and severity of one kind of failure event."""

    enabled: StrictBool = Field(default=True, description="Watch this kind (a rule, its notification and alarm).")
    severity: Optional[Severity] = Field(
        default=None, description="`Critical` or `Warning`: whose alarm_actions hear it; default the kind's own.",
    )


class EventsConfig(_Model):
    """What ``SageMakerFailureEvents`` watches: SageMaker's failure events on the account's default event bus."""

    name_prefixes: Optional[list[str]] = Field(
        default=None, min_length=1,
        description="Only jobs, endpoints, pipelines and clusters whose name starts with one of these (e.g. "
                    "`churn-`); default: every one of the account and region.",
        json_schema_extra={"items": {"type": "string", **json_pattern(names.SAGEMAKER_NAME_PREFIX)}},
    )
    kinds: dict[str, EventKindSettings] = Field(
        default_factory=dict,
        description="Per kind (" + ", ".join(f"`{k}`" for k in KIND_KEYS) + "): `enabled` and `severity`.",
        json_schema_extra={"propertyNames": {"enum": list(KIND_KEYS)}},
    )
    rule_name_prefix: Optional[str] = Field(
        default=None,
        description="First part of the rule names (`<prefix>-TrainingJobFailed`), the dead-letter queue's and the "
                    "log group's, unique per account and region; default: the stack name (shortened to 40 "
                    "characters with a digest when longer), so two stacks in one account and region never clash.",
        json_schema_extra={"anyOf": [{"type": "string", **json_pattern(names.EVENT_RULE_PREFIX)}, {"type": "null"}]},
    )
    archive: StrictBool = Field(
        default=True,
        description="Keep every matched event in an encrypted CloudWatch Logs group, read by the failures "
                    "dashboard's table of latest failures.",
    )
    log_retention_days: StrictInt = Field(
        default=90, description="Days the archive keeps events; one of CloudWatch Logs' values.",
        json_schema_extra={"enum": list(LOG_RETENTION_DAYS)},
    )
    dashboard: StrictBool = Field(default=True, description="A failures dashboard: failures per kind, latest ones.")

    @field_validator("name_prefixes")
    @classmethod
    def _check_prefixes(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        if value is None:
            return None
        for i, prefix in enumerate(value):
            if not isinstance(prefix, str) or names.SAGEMAKER_NAME_PREFIX.problem(prefix) is not None:
                found = names.SAGEMAKER_NAME_PREFIX.problem(prefix) if isinstance(prefix, str) else None
                raise invalid("invalid_name_prefix",
                              found[0] if found else f"{prefix!r} is not the start of a SageMaker name",
                              found[1] if found else names.SAGEMAKER_NAME_PREFIX.description, (i,))
        unique(value, "prefix")
        return value

    @field_validator("kinds")
    @classmethod
    def _check_kinds(cls, value: dict[str, EventKindSettings]) -> dict[str, EventKindSettings]:
        for key in value:
            if key not in KIND_KEYS:
                raise invalid("unknown_event_kind", f"{key!r} is not a kind of failure event",
                              "one of " + ", ".join(KIND_KEYS), (key,))
        return value

    @field_validator("rule_name_prefix")
    @classmethod
    def _check_rule_prefix(cls, value: Optional[str]) -> Optional[str]:
        if value is None:
            return None
        found = names.EVENT_RULE_PREFIX.problem(value)
        if found is not None:
            raise invalid("invalid_rule_name_prefix", found[0], found[1])
        return value

    @field_validator("log_retention_days")
    @classmethod
    def _check_retention(cls, value: int) -> int:
        return log_retention(value)

    def enabled_kinds(self) -> list[tuple[str, Severity]]:
        """(kind key, severity) of every kind watched, in catalog order."""
        out: list[tuple[str, Severity]] = []
        for row in EVENT_KINDS:
            settings = self.kinds.get(row.key)
            if settings is not None and not settings.enabled:
                continue
            out.append((row.key, (settings.severity if settings and settings.severity else kind(row.key).severity)))
        return out


class EventsSection(EventsConfig):
    """The YAML file's ``events:`` section: SageMaker's failure events as notifications, alarms and a dashboard
    (on by default)."""

    enabled: StrictBool = Field(
        default=True,
        description="Watch SageMaker's failure events (EventBridge rules on the default bus, readable notifications "
                    "to the alarm actions, an AWS/Events alarm per rule, a failures dashboard).",
    )

    def settings(self) -> EventsConfig:
        """The construct's settings (without ``enabled``)."""
        return EventsConfig.model_validate(self.model_dump(exclude={"enabled"}))


__all__ = ["EventKindSettings", "EventsConfig", "EventsSection"]
