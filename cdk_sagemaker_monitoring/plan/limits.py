"""Service limits generated monitoring must respect, as named constants, and the checks that use them.

Sources: the AWS quota pages of CloudFormation and CloudWatch (dashboards, alarms, metric math,
Metrics Insights) and the SageMaker API reference (``AutoRollbackConfig``). Every check runs on
the plan, before anything is synthesized, and raises :class:`LimitExceeded` naming the field to change.
"""

from __future__ import annotations

from ..errors import ConfigurationError

# CloudFormation
MAX_RESOURCES_PER_STACK = 500
MAX_TEMPLATE_BYTES = 1_000_000
"""Template body uploaded through S3 (the CDK CLI's way); inline bodies stop at 51,200 bytes."""
MAX_OUTPUTS_PER_STACK = 200
MAX_RESOURCES_PER_OPERATION = 2_500
"""Resources one stack operation may create, update or delete, its nested stacks' included (CloudFormation
quota "Nested stacks"): a stack with nested stacks holds at most this many in all."""

# CloudWatch dashboards
MAX_WIDGETS_PER_DASHBOARD = 500
MAX_METRICS_PER_DASHBOARD = 2_500
"""Metrics used only inside math count too; a SEARCH expression counts as one here."""
MAX_METRICS_PER_WIDGET = 500
MAX_SEARCH_EXPRESSION_CHARS = 1_024
MAX_SERIES_PER_SEARCH = 500
MAX_ALARMS_PER_ALARM_WIDGET = 100
MAX_DASHBOARD_NAME_CHARS = 255

# CloudWatch alarms
MAX_METRICS_PER_MATH_ALARM = 10
SEARCH_CAN_BACK_ALARM = False
"""SEARCH() works in graphs only; alarms use metric math over named metrics or Metrics Insights."""
MAX_METRICS_INSIGHTS_ALARMS_PER_REGION = 200
"""Default quota of alarms on Metrics Insights queries, per account and region."""
MAX_ALARM_NAME_CHARS = 255
MAX_ALARM_DESCRIPTION_CHARS = 1_024
MAX_COMPOSITE_RULE_CHARS = 10_240

# SageMaker
MAX_ROLLBACK_ALARMS = 10
"""``AutoRollbackConfig.Alarms``: 1 to 10 alarm names."""


class LimitExceeded(ConfigurationError):
    """The configuration would produce something a service refuses; raised while planning."""


def check(count: int, limit: int, field: str, what: str, fix: str) -> None:
    """Raise :class:`LimitExceeded` on ``field`` when ``count`` exceeds ``limit``."""
    if count > limit:
        raise LimitExceeded(field, f"{what}: {count}, more than the limit of {limit}", fix=fix)
