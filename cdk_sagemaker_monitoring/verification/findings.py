"""What ``verify`` reports: one finding per checked thing, and how findings become a table and an exit code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

OK, MISSING, PROBLEM, WARNING, UNKNOWN, SKIPPED = "ok", "missing", "problem", "warning", "unknown", "skipped"
ERROR = "error"
"""A check that could not be made (its AWS call failed): the detail names the call and the error."""
#: Statuses that make ``verify`` exit non-zero (warnings too with ``strict``).
FAILING = frozenset({MISSING, PROBLEM, ERROR})


@dataclass(frozen=True)
class Finding:
    """``check`` (trail, alarm, dashboard, metrics), ``subject`` (a name), ``status``, and what was seen."""

    check: str
    subject: str
    status: str
    detail: str = ""


def failed(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    bad = FAILING | ({WARNING} if strict else set())
    return any(f.status in bad for f in findings)


def table(findings: Iterable[Finding], *, problems_only: bool = False) -> str:
    """A plain-text table: STATUS, CHECK, SUBJECT, DETAIL (one finding a line)."""
    rows = [f for f in findings if not problems_only or f.status not in (OK, SKIPPED)]
    header = ("STATUS", "CHECK", "SUBJECT", "DETAIL")
    cells = [header] + [(f.status.upper(), f.check, f.subject, f.detail) for f in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(3)]
    return "\n".join(
        f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip() for r in cells
    ) + "\n"


def summary(findings: Iterable[Finding]) -> str:
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.status] = counts.get(f.status, 0) + 1
    order = (OK, MISSING, PROBLEM, ERROR, WARNING, UNKNOWN, SKIPPED)
    return ", ".join(f"{counts[s]} {s}" for s in order if counts.get(s))
