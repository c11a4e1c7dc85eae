"""What the monitoring will cost a month, before anyone deploys it (``sagemaker-monitoring cost``).

Two ways to count, one way to price::

    from cdk_sagemaker_monitoring.cost import count_assembly, count_plan, estimate_cost, load_prices

    usage = count_assembly("cdk.out")              # every template of a synthesized assembly
    usage = count_config(load_config("prod.yaml")) # every stack the app builds from it, nothing synthesized
    report = estimate_cost(usage, load_prices("us-east-1"))
    print(report.table())                          # or report.to_json()

Prices are list prices per region (:mod:`.prices`: each with its source and date), or read from the AWS Price
List API (:mod:`.live_prices`).
"""

from __future__ import annotations

from .assembly import count_assembly
from .errors import CostInputError
from .plan_usage import count_config, count_plan
from .prices import DEFAULT_REGION, ITEM_NAMES, PRICE_TABLE, PRICES_AS_OF, Prices, load_prices
from .report import CostItem, CostReport, estimate_cost
from .trail_volume import TrailVolume, given_volume, measured_volume
from .usage import Usage

__all__ = [
    "DEFAULT_REGION", "ITEM_NAMES", "PRICES_AS_OF", "PRICE_TABLE", "CostInputError", "CostItem", "CostReport", "Prices",
    "TrailVolume", "Usage", "count_assembly", "count_config", "count_plan", "estimate_cost", "given_volume", "load_prices",
    "measured_volume",
]
