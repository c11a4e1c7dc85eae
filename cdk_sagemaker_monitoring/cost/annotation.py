"""The one-line monthly estimate ``SageMakerMonitoring`` adds to its stack at synth (from the plan: cheap)."""

from __future__ import annotations

from typing import Optional

from ..config.resources import MonitoringConfig
from ..plan import MonitoringPlan
from .plan_usage import count_plan
from .prices import DEFAULT_REGION, ITEMS, PRICE_TABLE, load_prices
from .report import estimate_cost


def annotation_text(config: MonitoringConfig, plan: MonitoringPlan, region: Optional[str] = None) -> str:
    """``Estimated monthly cost of this monitoring: $X ...``, priced in ``region`` (when the table has it,
    else us-east-1, and the text says which)."""
    region = region if region in PRICE_TABLE else DEFAULT_REGION
    usage = count_plan(config, plan)
    usage.data_event_trails = 0  # the trail's events depend on use: the command prices them
    report = estimate_cost(usage, load_prices(region))
    labels = {i.item: i.label for i in ITEMS}
    parts = [counted(i.quantity, labels[i.item]) for i in report.items if i.item in labels]
    return (f"Estimated monthly cost of this monitoring: ${report.monthly_before_free_tier:,.2f} "
            f"({', '.join(parts) or 'nothing billed'}; {region} list prices as of {report.prices_as_of}; "
            f"${report.monthly_total:,.2f} after CloudWatch's free tier, if no other stack uses it). "
            "`sagemaker-monitoring cost` prints the breakdown, trail events included; set cost_annotation to "
            "false to leave this out.")


def counted(quantity: object, label: str) -> str:
    """``3 composite alarms``, ``1 composite alarm``: the label's head noun agrees with the quantity."""
    words = label.split()
    if quantity == 1:
        head = next((i - 1 for i, w in enumerate(words) if w in ("analyzed", "of", "by") and i > 0), len(words) - 1)
        if words[head].endswith("s") and not words[head].isupper():
            words[head] = words[head][:-1]
    return f"{quantity:,} {' '.join(words)}"
