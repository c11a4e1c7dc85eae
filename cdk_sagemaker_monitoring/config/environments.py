"""Several accounts and regions in one file: ``environments:`` (one stack each) and ``monitoring_account:``.

An environment is an account and region with the resource lists the top level takes for the single-stack
case (:class:`~.resources.MonitoringConfig`'s keys: ``endpoints`` ... ``alarm_emails``). Its stack is
``<stack_name>-<name>``. Settings of the monitoring that are not lists (``alarm_name_prefix``,
``alarm_mode``, ``shards`` ...) may be written once at the top level: an environment that does not set
one takes the top level's. No jsii here.
"""

from __future__ import annotations

from typing import Any, ClassVar, Sequence

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .. import names
from .custom_errors import invalid
from .fields import AccountId, RegionCode, name_of
from .resources import SPEC_TYPES, MonitoringConfig

__all__ = ["ENVIRONMENT_LISTS", "PER_ENVIRONMENT", "EnvironmentConfig", "MonitoringAccountConfig", "environment_errors",
           "inherited_settings"]

#: Keys that say what one environment monitors and where its alarms go: per environment only.
ENVIRONMENT_LISTS: tuple[str, ...] = (*SPEC_TYPES, "alarm_emails", "alarm_topic_arn")
#: Keys refused at the top level beside environments: the lists, and the names only one stack can have.
PER_ENVIRONMENT: tuple[str, ...] = (*ENVIRONMENT_LISTS, "dashboard_name", "env")


class EnvironmentConfig(MonitoringConfig):
    """One account and region: its own stack ``<stack_name>-<name>`` with its alarms and dashboards.

    Besides ``name``, ``account`` and ``region`` it takes every key of the top level's monitoring
    (``endpoints`` ... ``workteams``, ``alarm_emails``, ``alarm_topic_arn``, ``alarm_mode`` ...).
    """

    own_keys: ClassVar[tuple[str, ...]] = ("name", "account", "region")

    name: name_of(names.ENVIRONMENT) = Field(  # type: ignore[valid-type]
        description=f"The environment's name; its stack is `<stack_name>-<name>` ({names.ENVIRONMENT.description}).",
    )
    account: AccountId = Field(description="AWS account id the environment's stack deploys into (twelve digits).")
    region: RegionCode = Field(description="AWS region the environment's stack deploys into.")


class MonitoringAccountConfig(BaseModel):
    """The central account: a stack ``<stack_name>-Central`` with CloudWatch cross-account observability (a sink
    every environment's account links its metrics to) and an overview dashboard of every environment."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    account: AccountId = Field(description="AWS account id of the monitoring account (twelve digits).")
    region: RegionCode = Field(description="Region of the central stack and its overview dashboard.")


def environment_errors(environments: Sequence[EnvironmentConfig], top_level: BaseModel,
                       monitoring_account: MonitoringAccountConfig | None, organization: bool,
                       left_out: frozenset[str] = frozenset()) -> list[PydanticCustomError]:
    """Duplicate names, top-level lists beside environments, and what needs environments: every such mistake.

    ``left_out`` names top-level keys refused elsewhere in this validation
    (their absence is not a mistake of its own).
    """
    errors: list[PydanticCustomError] = []
    seen: dict[str, int] = {}
    for i, env in enumerate(environments):
        key = env.name.lower()  # stack names are case-insensitive in CloudFormation's console and ARNs
        if key in seen:
            errors.append(invalid("duplicate_environment", f"environment {env.name!r} is listed twice (first at "
                                  f"environments[{seen[key]}])", "give each environment its own name",
                                  ("environments", i, "name")))
        seen.setdefault(key, i)
    if environments:
        for key in PER_ENVIRONMENT:
            if key in top_level.model_fields_set and getattr(top_level, key) not in ((), None):
                errors.append(invalid(
                    "lists_beside_environments",
                    "is set at the top level, but environments are listed: each environment has its own",
                    f"move `{key}` into the entries of `environments` (environments[].{key}), or list no "
                    "environments for a single stack" if key != "env" else
                    "every environment names its own account and region: remove `env`", (key,)))
    elif monitoring_account is not None and "environments" not in left_out:
        errors.append(invalid("monitoring_account_without_environments", "needs environments: the central stack "
                              "shows every environment's resources", "list the accounts and regions under "
                              "`environments`, or remove monitoring_account", ("monitoring_account",)))
    if environments and organization and monitoring_account is None and "monitoring_account" not in left_out:
        errors.append(invalid("organization_trail_without_central_stack", "is true with environments, but there is "
                              "no monitoring_account: the organization trail lives in the central stack",
                              "add monitoring_account: {account: <management account>, region: ...}, or set "
                              "trail.organization: false for a trail in every environment", ("trail", "organization")))
    return errors


def inherited_settings(top_level: BaseModel, env: EnvironmentConfig) -> dict[str, Any]:
    """The top level's monitoring settings an environment takes because it does not set them itself."""
    skip = set(PER_ENVIRONMENT)
    return {key: getattr(top_level, key) for key in MonitoringConfig.model_fields
            if key not in skip and key in top_level.model_fields_set and key not in env.model_fields_set}
