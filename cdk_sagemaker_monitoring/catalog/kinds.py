"""Alarm kinds: the policy every alarm of a kind shares, in one place.

A metric's row says which kind its default alarm is; the kind decides how missing data is read
and whether the alarm suits SageMaker's deployment guardrails (``AutoRollbackConfiguration``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import AlarmKind, TreatMissingData


@dataclass(frozen=True)
class KindPolicy:
    """What an alarm kind means for its alarms."""

    treat_missing_data: TreatMissingData
    guardrail: bool
    """Suits ``AutoRollbackConfiguration``: a bad deployment shows in it within minutes."""
    why: str


KINDS: dict[AlarmKind, KindPolicy] = {
    # No requests means no errors: silence is good news.
    "error": KindPolicy("notBreaching", True, "errors are emitted per request; no requests, no errors"),
    # No requests means no latency datapoint: keep the state the last data gave.
    "latency": KindPolicy("missing", True, "latency exists only when requests do; keep the last known state"),
    # An instance that stops reporting is gone or idle, not saturated: keep the state.
    "saturation": KindPolicy("missing", False, "an instance that stops reporting is gone, not full"),
    # Failures are emitted when they happen; nothing emitted means nothing failed.
    "failure": KindPolicy("notBreaching", False, "failures are events; no event, no failure"),
    "throughput": KindPolicy("missing", False, "traffic metrics; missing data means no traffic"),
    # A training or model-quality value exists only when a job or schedule reports one: keep the last state.
    "quality": KindPolicy("missing", False, "model-quality values exist only while a job or schedule reports them"),
}


def treat_missing_data(kind: AlarmKind) -> TreatMissingData:
    """The missing-data policy of ``kind``."""
    return KINDS[kind].treat_missing_data
