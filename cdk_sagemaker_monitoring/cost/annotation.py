"""The one-line monthly estimate ``SageMakerMonitoring`` adds to its stack at synth (from the plan: cheap)."""

from __future__ import annotations

from typing import Optional

from ..config.resources import MonitoringConfig
from ..plan import MonitoringPlan
from ..wording import counted
from .plan_usage import count_plan
from .prices import DEFAULT_REGION, ITEMS, TABLE, load_prices
from .report import estimate_cost


def annotation_text(config: MonitoringConfig, plan: MonitoringPlan, region: Optional[str] = None) -> str:
    """``Estimated monthly cost of this monitoring: $X ...``, priced in the stack's ``region``; an
    environment-agnostic stack (``None``) is priced in us-east-1 and the text says so; a region without
    prices in the table gets the counts and says so, once."""
    where = region or DEFAULT_REGION
    assumed = "" if region else f" (the stack has no region: {DEFAULT_REGION} assumed)"
    usage = count_plan(config, plan)
    usage.data_event_trails = 0  # the trail's events depend on use: the command prices them
    labels = {i.item: i.label for i in ITEMS}
    tail = ("`sagemaker-monitoring cost` prints the breakdown, trail events included; set cost_annotation to "
            "false to leave this out.")
    if where not in TABLE:
        counts = ", ".join(counted(n, label) for n, label in _counts(usage) if n) or "nothing billed"
        return (f"Estimated monthly cost of this monitoring: no list prices for {where} in the package's price "
                f"table ({counts}); `sagemaker-monitoring cost --region {where} --live-prices` prices them from "
                f"the AWS Price List API. {tail}")
    report = estimate_cost(usage, load_prices(where))
    parts = [counted(i.quantity, labels[i.item]) for i in report.items if i.item in labels]
    unpriced = [labels[i.item] for i in report.items if i.unit_price is None and i.item in labels]
    missing = f"; no {where} list price for {', '.join(unpriced)}, not in the figure" if unpriced else ""
    return (f"Estimated monthly cost of this monitoring: ${report.monthly_before_free_tier:,.2f} "
            f"({', '.join(parts) or 'nothing billed'}; {where} list prices{assumed} as of {report.prices_as_of}"
            f"{missing}; ${report.monthly_total:,.2f} after CloudWatch's free tier, if no other stack uses it). "
            + tail)


def _counts(usage: object) -> list[tuple[int, str]]:
    names = ("alarm_metrics", "high_resolution_alarm_metrics", "composite_alarms", "metrics_insights_alarms",
             "anomaly_detection_alarms", "dashboards", "kms_keys")
    labels = {i.item: i.label for i in ITEMS}
    labels["metrics_insights_alarms"] = "Metrics Insights alarms"
    return [(getattr(usage, n), labels[n]) for n in names]
