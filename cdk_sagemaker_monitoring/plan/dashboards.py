"""Dashboard layout and pages: sections packed in order onto pages within CloudWatch's limits.

Widgets flow left to right on CloudWatch's 24-column grid; every section starts on a new row.
A page holds at most :data:`~.limits.MAX_WIDGETS_PER_DASHBOARD` widgets and
:data:`~.limits.MAX_METRICS_PER_DASHBOARD` metrics; a section is never split across pages.
"""

from __future__ import annotations

from typing import Any, Sequence

from . import ids
from .limits import MAX_DASHBOARD_NAME_CHARS, MAX_METRICS_PER_DASHBOARD, MAX_WIDGETS_PER_DASHBOARD, LimitExceeded
from .model import DashboardPlan, SectionPlan, WidgetPlan

GRID_WIDTH = 24


def layout(widgets: Sequence[WidgetPlan], y: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Place ``widgets`` row by row from height ``y``; returns the widget JSON and the next free row."""
    out: list[dict[str, Any]] = []
    x, row_height = 0, 0
    for widget in widgets:
        if x + widget.width > GRID_WIDTH:
            y, x, row_height = y + row_height, 0, 0
        out.append(widget.to_json(x, y))
        x += widget.width
        row_height = max(row_height, widget.height)
    return out, y + row_height


def page_name(base: str, label: str, number: int | None = None) -> str:
    name = f"{base}-{label}" + (f"-{number}" if number is not None else "")
    if len(name) > MAX_DASHBOARD_NAME_CHARS:
        raise LimitExceeded("dashboard_name", f"dashboard name {name[:40]!r}... is too long",
                            fix=f"use a dashboard_name of at most {MAX_DASHBOARD_NAME_CHARS - 20} characters")
    return name


def paginate(sections: Sequence[tuple[str, SectionPlan]], base: str, label: str = "Resources",
             max_widgets: int = MAX_WIDGETS_PER_DASHBOARD,
             max_metrics: int = MAX_METRICS_PER_DASHBOARD) -> list[DashboardPlan]:
    """Pack ``(field, section)`` pairs onto pages named ``<base>-<label>-<n>``, in the order given."""
    pages: list[list[SectionPlan]] = []
    widgets = metrics = 0
    for field, sec in sections:
        if sec.widget_count > max_widgets or sec.metric_count > max_metrics:
            raise LimitExceeded(field, f"its dashboard section needs {sec.widget_count} widgets and "
                                f"{sec.metric_count} metrics, more than one dashboard holds "
                                f"({max_widgets} widgets, {max_metrics} metrics)",
                                fix="fewer instances, variants or steps per resource")
        if not pages or widgets + sec.widget_count > max_widgets or metrics + sec.metric_count > max_metrics:
            pages.append([])
            widgets = metrics = 0
        pages[-1].append(sec)
        widgets += sec.widget_count
        metrics += sec.metric_count
    out = []
    for number, page in enumerate(pages, start=1):
        placed: list[dict[str, Any]] = []
        y = 0
        for sec in page:
            part, y = layout(sec.widgets, y)
            placed += part
        out.append(DashboardPlan(id=f"{label}Dashboard{number}", name=page_name(base, label, number),
                                 widgets=tuple(placed), metric_count=sum(s.metric_count for s in page),
                                 sections=tuple(s.key for s in page)))
    return out


def single(widgets: Sequence[WidgetPlan], base: str, label: str) -> DashboardPlan:
    """One dashboard of ``widgets`` (the overview), checked against the limits."""
    placed, _ = layout(widgets)
    metrics = sum(w.metric_count for w in widgets)
    if len(placed) > MAX_WIDGETS_PER_DASHBOARD or metrics > MAX_METRICS_PER_DASHBOARD:
        raise LimitExceeded("fleet_overview", f"the overview needs {len(placed)} widgets and {metrics} metrics",
                            fix="set fleet_overview to false")
    return DashboardPlan(id=f"{label}Dashboard", name=page_name(base, label), widgets=tuple(placed),
                         metric_count=metrics)


__all__ = ["GRID_WIDTH", "ids", "layout", "page_name", "paginate", "single"]
