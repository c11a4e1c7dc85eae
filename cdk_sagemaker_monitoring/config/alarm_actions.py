"""Where alarms of one severity notify: ``alarm_actions: {Critical: [...], Warning: [...]}``.

Each entry is an ARN CloudWatch accepts as an alarm action (CloudWatch API reference, PutMetricAlarm
``AlarmActions``): an SNS topic, a Lambda function (latest, version or alias), an SSM OpsItem
(``arn:aws:ssm:<region>:<account>:opsitem:<severity>``) or an Incident Manager response plan. A severity
left out notifies the default: the topic of ``alarm_emails`` / ``alarm_topic``.

OK notifications (``ok_actions``, default on) go to the severity's SNS topics and Lambda functions only:
an OK transition sent to an OpsItem or response plan action would open another OpsItem or incident.
Composite alarms accept SNS, Lambda and OpsItem alarm actions, and SNS and Lambda OK actions
(PutCompositeAlarm); the plan leaves out what a composite alarm cannot take.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationInfo, field_validator, model_validator

from .. import names
from .custom_errors import invalid

__all__ = ["MAX_ACTIONS", "PARAMETERS_CONTEXT", "SeverityActions", "composite_capable", "is_parameter", "ok_capable"]

PARAMETERS_CONTEXT = "action_parameters"
"""Validation context key: names of template parameters the construct stands in for SNS topic objects
(their ARNs are only known at deploy time). YAML files never have them."""

MAX_ACTIONS = 5
"""CloudWatch takes at most 5 actions per alarm state (PutMetricAlarm ``AlarmActions``: ``ResourceList``, max 5)."""

_KINDS = ", ".join(rule.kind for rule in names.ALARM_ACTION_RULES)


def is_parameter(action: str) -> bool:
    """Whether ``action`` names a template parameter (a topic object's ARN) rather than being an ARN."""
    return not action.startswith("arn:")


def ok_capable(arn: str) -> bool:
    """Whether an OK transition is worth sending to ``arn`` (SNS topics and Lambda functions)."""
    rule = names.action_rule(arn)
    return rule is None or rule in (names.SNS_TOPIC_ARN, names.LAMBDA_FUNCTION_ARN)


def composite_capable(arn: str, ok: bool = False) -> bool:
    """Whether a composite alarm may take ``arn`` as an alarm action (``ok``: as an OK action)."""
    rule = names.action_rule(arn)
    allowed = (names.SNS_TOPIC_ARN, names.LAMBDA_FUNCTION_ARN) + (() if ok else (names.OPSITEM_ARN,))
    return rule is None or rule in allowed


class SeverityActions(BaseModel):
    """The actions of one severity's alarms. A plain list stands for ``{actions: [...]}``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    actions: Annotated[tuple[str, ...], Field(min_length=1)]
    """ARNs notified when an alarm of this severity goes to ALARM (at most 5, each once): SNS topics,
    Lambda functions, SSM OpsItems (``arn:aws:ssm:<region>:<account>:opsitem:<1-4>``), Incident Manager
    response plans (``arn:aws:ssm-incidents::<account>:response-plan/<name>``)."""
    ok_actions: StrictBool = True
    """Also notify this severity's SNS topics and Lambda functions when its alarms return to OK."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"actions": [data]}
        if isinstance(data, (list, tuple)):
            return {"actions": data}
        return data

    @field_validator("actions", mode="before")
    @classmethod
    def _actions(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)):
            return value
        if len(value) > MAX_ACTIONS:
            raise invalid("too_many_actions", f"{len(value)} actions", f"CloudWatch takes at most {MAX_ACTIONS} "
                          "per alarm state; send to one SNS topic and subscribe the rest to it")
        seen: set[str] = set()
        for i, arn in enumerate(value):
            if not isinstance(arn, str):
                raise invalid("invalid_action", f"expected an ARN (a string), got {type(arn).__name__}",
                              "an SNS topic object works only as a construct argument; in YAML give its ARN", (i,))
            if names.action_rule(arn) is None and arn not in ((info.context or {}).get(PARAMETERS_CONTEXT) or ()):
                raise invalid("invalid_action", f"{arn!r} is not an alarm action ARN",
                              f"one of: {_KINDS}; for example arn:aws:sns:us-east-1:123456789012:alerts", (i,))
            if arn in seen:
                raise invalid("duplicate", f"{arn!r} is listed twice", "list each action once", (i,))
            seen.add(arn)
        return value
