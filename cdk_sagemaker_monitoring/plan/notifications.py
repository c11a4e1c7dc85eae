"""Whether the planned alarms notify anyone: alarms whose actions are only a new topic nobody subscribes to.

Without ``alarm_emails``, ``alarm_topic_arn`` (``alarm_topic`` of the construct) or ``alarm_actions``,
the alarms notify a topic created for them, with no subscription: they change state and no one hears.
That is not an error (subscriptions may be added in code, or later in the console), so the construct
warns at synth and the bundled app prints one line (:data:`NOBODY_NOTIFIED` is the warning's id).
"""

from __future__ import annotations

from ..catalog.model import SEVERITIES
from ..config.resources import MonitoringConfig
from .model import MonitoringPlan

__all__ = ["NOBODY_NOTIFIED", "nobody_notified_text", "unnotified_severities"]

NOBODY_NOTIFIED = "cdk-sagemaker-monitoring:AlarmsNotifyNobody"
"""Id of the warning (acknowledge it with ``cdk.Annotations.of(scope).acknowledge_warning(id)``)."""


def unnotified_severities(config: MonitoringConfig, plan: MonitoringPlan, *, topic_given: bool = False) -> tuple[str, ...]:
    """The severities of planned alarms that notify only a topic created here without subscriptions.

    ``topic_given``: the construct got a topic object (``alarm_topic=sns.Topic(...)``), which reaches whom it
    reaches. Subscriptions added to the created topic in code are the construct's to look for at synth.
    """
    if config.alarm_emails or config.alarm_topic_arn or topic_given:
        return ()
    planned = {a.severity for a in plan.alarms} | {r.composite.severity for r in plan.resources if r.composite}
    return tuple(s for s in SEVERITIES if s in planned and s not in config.alarm_actions)


def nobody_notified_text(severities: tuple[str, ...], *, construct: bool = True, others: tuple[str, ...] = ()) -> str:
    """The warning: which alarms reach no one (``others``: alarms of other constructs on the same topic), and
    the three ways to fix it."""
    parts = (["its alarms" if set(severities) >= set(SEVERITIES) else f"its {' and '.join(severities)} alarms"]
             if severities else [])
    which = " and ".join([*parts, *others])
    if construct:
        fixes = ("alarm_emails, alarm_topic (an SNS topic or its ARN) or alarm_actions, or subscribe to the "
                 "construct's topic (monitoring.topic.topic.add_subscription)")
    else:
        fixes = "alarm_emails, alarm_topic_arn or alarm_actions in the configuration"
    return f"no one is notified: {which} go to a new SNS topic without subscriptions. Set {fixes}."
