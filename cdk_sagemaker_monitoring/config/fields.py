"""Field types the configuration models share: AWS names (from :mod:`..names`), account ids, regions.

Each type checks its value as a pydantic error (the field path comes from pydantic) and carries its
rule's pattern into the JSON Schema, so editors and the loader refuse the same values.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Sequence

from pydantic import AfterValidator, BeforeValidator, Field

from .. import names
from ..aws_values import LOG_RETENTION_DAYS, known_regions
from ..errors import ConfigurationError
from .custom_errors import did_you_mean, invalid

__all__ = ["AccountId", "RegionCode", "each_named", "json_pattern", "log_retention", "name_of", "named", "unique"]


def json_pattern(rule: names.NameRule) -> dict[str, Any]:
    """A JSON Schema ``pattern`` and the rule's lengths for editors (JSON Schema patterns are searches: anchored)."""
    schema: dict[str, Any] = {"pattern": f"^(?:{rule.pattern.pattern})$"}
    if rule.min_length:
        schema["minLength"] = rule.min_length
    if rule.max_length is not None:
        schema["maxLength"] = rule.max_length
    return schema


def log_retention(value: Any) -> Any:
    """Check a CloudWatch Logs retention in days (anything but an int passes to the field's type), as a pydantic
    error naming the nearest value CloudWatch Logs accepts."""
    if isinstance(value, int) and value not in LOG_RETENTION_DAYS:
        close = min(LOG_RETENTION_DAYS, key=lambda d: (abs(d - value), d))
        raise invalid("invalid_retention", f"{value} is not a retention CloudWatch Logs accepts",
                      f"nearest: {close}; allowed: " + ", ".join(map(str, LOG_RETENTION_DAYS)))
    return value


def named(rule: names.NameRule, value: Any) -> str:
    """Check ``value`` against an AWS name rule, as a pydantic error."""
    try:
        return rule.check("", value)
    except ConfigurationError as err:
        raise invalid(f"invalid_{rule.kind.lower().replace(' ', '_')}", err.problem, err.fix) from None


def each_named(rule: names.NameRule, values: Sequence[Any]) -> list[str]:
    """Every item checked against ``rule``; an error points at the item (``event_names[1]``)."""
    checked = []
    for i, value in enumerate(values):
        try:
            checked.append(rule.check("", value))
        except ConfigurationError as err:
            raise invalid(f"invalid_{rule.kind.lower().replace(' ', '_')}", err.problem, err.fix, (i,)) from None
    return checked


def name_of(rule: names.NameRule) -> Any:
    """The type of a string checked against ``rule``, with the rule's pattern in the JSON Schema."""
    return Annotated[str, AfterValidator(functools.partial(named, rule)), Field(json_schema_extra=json_pattern(rule))]


def _account_id(value: Any) -> Any:
    # YAML reads an unquoted 123456789012 as a number; an account id is the same twelve digits.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _region(value: str) -> str:
    named(names.REGION, value)
    regions = known_regions()
    if value not in regions:
        raise invalid("unknown_region", f"{value!r} is not an AWS region",
                      did_you_mean(value, sorted(regions)) + "one of the regions botocore's endpoint data lists, "
                      "such as 'us-east-1'")
    return value


#: An AWS account id: twelve digits (an unquoted YAML number is read as its digits).
AccountId = Annotated[str, BeforeValidator(_account_id), AfterValidator(functools.partial(named, names.ACCOUNT_ID)),
                      Field(json_schema_extra=json_pattern(names.ACCOUNT_ID))]
#: A region code that exists (botocore's endpoint data).
RegionCode = Annotated[str, AfterValidator(_region), Field(json_schema_extra=json_pattern(names.REGION))]


def unique(values: Sequence[str], kind: str) -> Sequence[str]:
    """``values`` when no value is listed twice, else an error pointing at the second one."""
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise invalid("duplicate", f"lists the {kind} {value!r} twice", "list each once")
        seen.add(value)
    return values
