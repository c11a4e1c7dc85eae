"""The central overview: every environment's resource sections on dashboards of the monitoring account.

Each graph of an environment's section is drawn from that environment's account and region: every
metric (and expression) carries ``accountId`` and ``region`` (CloudWatch dashboard body structure,
metric widget ``metrics`` options), which the monitoring account can read through its
cross-account observability sink. Sections are the environments' own, so what a resource shows
centrally is what it shows in its own account; pages are packed within the dashboard limits.
Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from .dashboards import paginate
from .model import DashboardPlan, MonitoringPlan, SectionPlan, WidgetPlan

__all__ = ["CENTRAL_LABEL", "EnvironmentPlan", "central_dashboards", "central_section", "failures_section"]

CENTRAL_LABEL = "Overview"


@dataclass(frozen=True)
class EnvironmentPlan:
    """An environment's name, account and region, and the plan its own stack renders."""

    name: str
    account: str
    region: str
    plan: MonitoringPlan
    failure_rules: tuple[tuple[str, str], ...] = ()
    """(rule name, what fails) of the environment's failure events: graphed from ``AWS/Events`` through the sink."""


def _located_line(line: list[Any], account: str, region: str) -> list[Any]:
    """A metric line (``[ns, metric, dim, value, ..., {options}]`` or ``[{expression...}]``) in another account."""
    if line and isinstance(line[-1], dict):
        return [*line[:-1], {**line[-1], "accountId": account, "region": region}]
    return [*line, {"accountId": account, "region": region}]


def _located(widget: WidgetPlan, env: EnvironmentPlan) -> WidgetPlan:
    props = dict(widget.properties)
    if widget.type == "text":
        props["markdown"] = f"{props['markdown']} · **{env.name}** ({env.account}, {env.region})"
    elif widget.type == "metric":
        props["region"] = env.region
        props["metrics"] = [_located_line(line, env.account, env.region) for line in props["metrics"]]
        if "title" in props:
            props["title"] = f"{env.name}: {props['title']}"
    return WidgetPlan(widget.type, widget.width, widget.height, props, metric_count=widget.metric_count)


def central_section(section: SectionPlan, env: EnvironmentPlan) -> SectionPlan:
    """``section`` of environment ``env`` as the monitoring account draws it."""
    return SectionPlan(key=f"{env.name}/{section.key}", title=f"{env.name} {section.title}",
                       widgets=tuple(_located(w, env) for w in section.widgets))


def failures_section(rules: Sequence[tuple[str, str]]) -> SectionPlan:
    """An environment's failure events per kind (``AWS/Events`` ``TriggeredRules`` by ``RuleName``).

    Only metrics cross the observability link (it shares ``AWS::CloudWatch::Metric``): the table of the latest
    failures (Logs Insights over the environment's archive) stays on the environment's own failures dashboard."""
    metrics = [["AWS/Events", "TriggeredRules", "RuleName", name, {"stat": "Sum", "label": title}]
               for name, title in rules]
    graph = WidgetPlan("metric", 24, 6, {"title": "SageMaker failures per kind", "view": "timeSeries",
                                         "stacked": True, "period": 300, "region": "${AWS::Region}",
                                         "metrics": metrics}, metric_count=len(metrics))
    return SectionPlan(key="failures", title="SageMaker failures", widgets=(graph,))


def central_dashboards(environments: Sequence[EnvironmentPlan], base: str) -> list[DashboardPlan]:
    """Pages ``<base>-Overview-<n>`` with every environment's sections, in environment then plan order."""
    sections = []
    for i, env in enumerate(environments):
        if env.failure_rules:
            sections.append((f"environments[{i}].events", central_section(failures_section(env.failure_rules), env)))
        sections += [(f"environments[{i}]", central_section(resource.section, env)) for resource in env.plan.resources]
    if not sections:
        return []
    return paginate(sections, base, CENTRAL_LABEL)
