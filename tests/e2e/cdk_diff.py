"""Read the resource lines of ``cdk diff`` output (what will be added, removed, changed, replaced).

``cdk diff --method template`` compares the deployed template with the new one and marks
replacements from the CloudFormation resource schemas bundled with the CLI (properties that require
replacement), not from the emulator: LocalStack 4.4.0 performs every update in place, so its
physical ids cannot show a replacement. Resource lines look like::

    [+] AWS::CloudWatch::Alarm Monitoring/ep/ModelLatency/Alarm MonitoringEpModelLatencyAlarm0A1B2C3D
    [~] AWS::CloudTrail::Trail ExperimentMetricsTrail/Trail ExperimentMetricsTrailA5E3BA36 replace

with an optional impact after the logical id: ``replace``, ``may be replaced``, ``destroy`` or
``orphan`` (the CLI's ``formatImpact``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IMPACTS = ("may be replaced", "replace", "destroy", "orphan")

_LINE = re.compile(r"^\[(?P<op>[+\-~])\] (?P<type>[A-Za-z0-9]+::[A-Za-z0-9:]+) (?P<rest>.+?)\s*$")


@dataclass(frozen=True)
class ResourceChange:
    """One resource line: ``op`` is ``+`` (added), ``-`` (removed) or ``~`` (changed)."""

    op: str
    resource_type: str
    path: str
    logical_id: str
    impact: str | None

    @property
    def replaced(self) -> bool:
        """True when the CLI says CloudFormation will or may replace the resource."""
        return self.impact in ("replace", "may be replaced")


def resource_changes(diff_output: str) -> dict[str, ResourceChange]:
    """Every resource line of ``cdk diff`` output, by logical id."""
    changes: dict[str, ResourceChange] = {}
    for line in diff_output.splitlines():
        match = _LINE.match(line)
        if not match:
            continue
        rest = match["rest"]
        impact = next((i for i in IMPACTS if rest.endswith(" " + i)), None)
        if impact:
            rest = rest[: -len(impact) - 1]
        path, _, logical_id = rest.rpartition(" ")
        changes[logical_id] = ResourceChange(match["op"], match["type"], path, logical_id, impact)
    return changes
