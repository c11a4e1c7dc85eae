"""The one-line monthly estimate ``SageMakerMonitoring`` adds to its stack at synth (from the plan: cheap)."""

from __future__ import annotations

from typing import Optional

from ..config.resources import MonitoringConfig
from ..plan import MonitoringPlan
from ..wording import counted
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

