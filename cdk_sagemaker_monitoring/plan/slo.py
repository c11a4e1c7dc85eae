"""SLO burn-rate alarms of an endpoint: multiwindow, multi-burn-rate alerts, as metric math.

The tiers are the SRE workbook's for a 30-day SLO window ("Alerting on SLOs", "Multiwindow,
Multi-Burn-Rate Alerts", the recommended parameters for a 99.9 % SLO: :data:`TIERS`). Each tier is two
metric-math alarms, one per window, whose value is the burn rate over one period as long as the window
(errors over requests, divided by the error budget), and a composite alarm ``ALARM(long) AND
ALARM(short)`` that notifies. The window alarms notify nothing.

Why not ``AWS::ApplicationSignals::ServiceLevelObjective``: it needs Application Signals (billed per
SLO and per signal) and its burn-rate metrics still need alarms; metric math on SageMaker's own metrics
reads the same data with nothing to enable.

Metric math has no sliding sum, so a window is one alarm period, which CloudWatch slides over the data at
each evaluation (alarms evaluate over a sliding window by default). Periods stay at a day at most, so the
3-day window of the ticket tier is three daily periods that must all burn at 1x or more (it never fires
where the workbook's alert would not). The fast tier's short window (14.4x over 5 minutes) is also a
deployment guardrail: a new fleet burning the budget that fast should roll back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional

from ..catalog.model import MetricDefinition
from ..config.resources import SLO_WINDOW_DAYS, EndpointSpec
from . import ids
from .actions import DEFAULT_ROUTES, Route
from .alarms import with_runbook
from .model import AlarmPlan, BurnRate, CompositePlan, MetricSource, WidgetPlan


@dataclass(frozen=True)
class Tier:
    """One multiwindow alert: ``factor`` times the budget's even burn over ``long`` and over ``short``."""

    factor: float
    long_period: int
    long_periods: int
    """Periods of the long window (3 daily periods for 3 days)."""
    long_label: str
    short_period: int
    short_label: str
    severity: str
    budget_spent: str
    """What the long window spends at that rate, for people."""
    action: str


TIERS: tuple[Tier, ...] = (
    Tier(14.4, 3600, 1, "1h", 300, "5m", "Critical", "2 %", "page"),
    Tier(6.0, 21600, 1, "6h", 1800, "30m", "Critical", "5 %", "page"),
    Tier(1.0, 86400, 3, "3d", 21600, "6h", "Warning", "10 %", "ticket"),
)
"""The SRE workbook's recommended tiers for a 30-day window: page at 14.4x (1 h, 5 min), page at 6x
(6 h, 30 min), ticket at 1x (3 days, 6 h)."""

SRE_WORKBOOK = "https://sre.google/workbook/alerting-on-slos/"


def _title(objective: str) -> str:
    return "SLOAvailability" if objective == "availability" else "SLOLatency"


def _sources(spec: EndpointSpec, row: MetricDefinition) -> tuple[MetricSource, ...]:
    """The row's series per production variant (its family's dimensions: endpoint and variant)."""
    return tuple(MetricSource(row.namespace, row.metric, (("EndpointName", spec.name), ("VariantName", v)))
                 for v in spec.variants)


def signals(spec: EndpointSpec) -> list[tuple[str, float, BurnRate, MetricDefinition]]:
    """``(objective, target percent, burn rate without window, row)`` of each objective of ``spec``."""
    out: list[tuple[str, float, BurnRate, MetricDefinition]] = []
    slo = spec.slo
    if slo is None:
        return out
    rows = {r.metric: r for r in spec.metric_rows()}
    if slo.availability is not None:
        out.append(("availability", slo.availability, BurnRate(
            objective="availability", bad=_sources(spec, rows["Invocation5XXErrors"]), total=_sources(spec, rows["Invocations"]),
            budget=round(1 - slo.availability / 100, 12), window=""), rows["Invocation5XXErrors"]))
    if slo.latency is not None:
        latency = _sources(spec, rows["ModelLatency"])
        out.append(("latency", slo.latency.target, BurnRate(
            objective="latency", bad=latency, total=latency, budget=round(1 - slo.latency.target / 100, 12),
            window="", latency_threshold_us=slo.latency.threshold_ms * 1000), rows["ModelLatency"]))
    return out


def _objective_text(objective: str, target: float, burn: BurnRate) -> str:
    if objective == "availability":
        return f"availability {target:g} % (requests without Invocation5XXErrors)"
    return f"latency {target:g} % of requests within {(burn.latency_threshold_us or 0) / 1000:g} ms (ModelLatency)"


def slo_plans(spec: EndpointSpec, prefix: str, *, routes: Mapping[str, Route] = DEFAULT_ROUTES,
              runbook_url: Optional[str] = None) -> tuple[list[AlarmPlan], list[CompositePlan]]:
    """The window alarms and the tier composites of ``spec``'s SLOs (empty without ``slo``)."""
    alarms: list[AlarmPlan] = []
    composites: list[CompositePlan] = []
    for objective, target, base, row in signals(spec):
        what = _objective_text(objective, target, base)
        metric = _title(objective)
        for tier in TIERS:
            children = []
            for label, period, periods in ((tier.long_label, tier.long_period, tier.long_periods),
                                           (tier.short_label, tier.short_period, 1)):
                burn = BurnRate(objective=base.objective, bad=base.bad, total=base.total, budget=base.budget,
                                window=label, latency_threshold_us=base.latency_threshold_us)
                burn_name = f"Burn{tier.factor:g}x-{label}"
                span = (f"each of {periods} periods of {period} s" if periods > 1 else f"one period of {period} s")
                alarm = AlarmPlan(
                    id=ids.construct_id("Slo", spec.kind, spec.name, objective, burn_name, salt=prefix),
                    name=ids.alarm_name(prefix, spec.kind, spec.name, metric, tier.severity, burn_name),
                    description=with_runbook(
                        f"Endpoint {spec.name}: SLO {what} over {SLO_WINDOW_DAYS} days burns its error budget at "
                        f"{tier.factor:g}x or more over {label} ({span}). Window of the {tier.factor:g}x tier: "
                        f"notifies nothing alone, its composite alarm does.", runbook_url),
                    resource_kind=spec.kind, resource_name=spec.name, row=row,
                    kind="error" if objective == "availability" else "latency", severity=tier.severity,
                    comparison="GreaterThanOrEqualToThreshold", threshold=tier.factor,
                    statistic=burn.bad_statistic, period=period, evaluation_periods=periods,
                    datapoints_to_alarm=periods, treat_missing_data="notBreaching",
                    sources=burn.bad + (burn.total if objective == "availability" else ()), burn=burn,
                    guardrail=tier is TIERS[0] and label == tier.short_label,  # the fast burn: a rollback signal
                    alarm_actions=(), ok_actions=())
                alarms.append(alarm)
                children.append(alarm)
            route = routes[tier.severity].for_composite()
            composites.append(CompositePlan(
                id=ids.construct_id("SloTier", spec.kind, spec.name, objective, f"{tier.factor:g}", salt=prefix),
                name=ids.alarm_name(prefix, spec.kind, spec.name, metric, tier.severity, f"Burn{tier.factor:g}x"),
                description=with_runbook(
                    f"Endpoint {spec.name}: SLO {what} is burning its {SLO_WINDOW_DAYS}-day error budget at "
                    f"{tier.factor:g}x or more over {tier.long_label} and still over the last {tier.short_label}: "
                    f"{tier.budget_spent} of the budget gone in {tier.long_label} ({tier.action}; SRE workbook "
                    f"multiwindow, multi-burn-rate alert, {SRE_WORKBOOK}).", runbook_url),
                rule=" AND ".join(f'ALARM("{a.name}")' for a in children), children=tuple(a.name for a in children),
                severity=tier.severity, alarm_actions=route.alarm, ok_actions=route.ok))
    return alarms, composites


def budget_widgets(spec: EndpointSpec) -> tuple[WidgetPlan, ...]:
    """Per objective: the error budget left over the last 30 days (percent), and the burn rate over an hour."""
    out: list[WidgetPlan] = []
    for objective, target, base, _ in signals(spec):
        what = _objective_text(objective, target, base)
        burn = BurnRate(objective=base.objective, bad=base.bad, total=base.total, budget=base.budget,
                        window=f"{SLO_WINDOW_DAYS}d", latency_threshold_us=base.latency_threshold_us)
        metrics: list[list[object]] = []
        for prefix, sources, stat in (("b", burn.bad, burn.bad_statistic), ("t", burn.total, burn.total_statistic)):
            for i, s in enumerate(sources, start=1):
                metrics.append([s.namespace, s.metric, *[x for kv in s.dimensions for x in kv],
                                {"id": f"{prefix}{i}", "stat": stat, "visible": False}])
        metrics.append([{"expression": f"100*(1-({burn.expression()}))", "id": "left",
                         "label": "error budget left (%)"}])
        out.append(WidgetPlan("metric", 6, 6, {
            "title": f"Error budget left, {SLO_WINDOW_DAYS} days: {what}", "view": "singleValue",
            "region": "${AWS::Region}", "metrics": metrics, "setPeriodToTimeRange": True,
            "start": f"-PT{SLO_WINDOW_DAYS * 24}H", "period": 300,
        }, metric_count=len(metrics)))
    return tuple(out)
