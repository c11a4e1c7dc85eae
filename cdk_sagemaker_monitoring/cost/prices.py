"""List prices of what the monitoring deploys, as data: one row per priced item, with its unit and source.

Only prices read off AWS's public pricing pages are in :data:`PRICE_TABLE` (taken on
:data:`PRICES_AS_OF`); a region that is not in it is priced from a price file that names every
item (``--prices FILE``), never from another region's figures. A price file can also override
single prices of a region that is in the table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping, Optional

from .errors import CostInputError

CLOUDWATCH_PRICING = "https://aws.amazon.com/cloudwatch/pricing/"
CLOUDTRAIL_PRICING = "https://aws.amazon.com/cloudtrail/pricing/"
S3_PRICING = "https://aws.amazon.com/s3/pricing/"
METRICS_INSIGHTS_LIMITS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html"

#: The day the figures below were read off the pricing pages.
PRICES_AS_OF = "2026-12-01"
DEFAULT_REGION = "us-east-1"

#: CloudWatch's free tier, per account and month (CloudWatch pricing page, "Free tier"): 10 alarm metrics
#: (standard resolution, listing metrics directly, no Metrics Insights query), 3 custom dashboards
#: referencing up to 50 metrics each, 10 custom metrics.
FREE_ALARM_METRICS = 10
FREE_DASHBOARDS = 3
FREE_DASHBOARD_MAX_METRICS = 50
FREE_CUSTOM_METRICS = 10

#: A Metrics Insights query processes at most this many metrics (Metrics Insights quotas page).
MAX_METRICS_PER_INSIGHTS_QUERY = 10_000

#: Hours in a month as AWS prices by the hour (730): a day-based rate times this / 24 is a month.
DAYS_PER_MONTH = Decimal(730) / Decimal(24)


@dataclass(frozen=True)
class PricedItem:
    """What one line of the estimate counts, in which unit, and where its price comes from."""

    item: str
    unit: str
    source: str
    note: str
    label: str
    """What people call the counted things (``alarm metrics``)."""


#: Every priced item, in report order (the free tier line comes after them).
ITEMS: tuple[PricedItem, ...] = (
    PricedItem("alarm_metrics", "alarm metric", CLOUDWATCH_PRICING,
               "standard resolution (period of 60 s or more); a metric-math alarm counts each metric it reads",
               "alarm metrics"),
    PricedItem("high_resolution_alarm_metrics", "alarm metric", CLOUDWATCH_PRICING, "period under 60 s",
               "high-resolution alarm metrics"),
    PricedItem("composite_alarms", "alarm", CLOUDWATCH_PRICING, "each composite alarm", "composite alarms"),
    PricedItem("metrics_insights_alarm_metrics", "metric analyzed", CLOUDWATCH_PRICING,
               "each metric a Metrics Insights query alarm analyzes", "metrics analyzed by Metrics Insights alarms"),
    PricedItem("anomaly_detection_alarms", "alarm", CLOUDWATCH_PRICING,
               "three standard-resolution alarm metrics each (the metric and the band's two bounds)",
               "anomaly-detection alarms"),
    PricedItem("dashboards", "dashboard", CLOUDWATCH_PRICING, "each custom dashboard", "dashboards"),
    PricedItem("trail_data_events", "event", CLOUDTRAIL_PRICING, "$0.10 per 100,000 data events delivered",
               "trail data events"),
    PricedItem("trail_storage", "GB-month", S3_PRICING, "S3 Standard, first 50 TB a month", "GB of trail logs"),
    PricedItem("custom_metrics", "metric", CLOUDWATCH_PRICING, "first 10,000 metrics a month (lower tiers above)",
               "custom metrics"),
)
ITEM_NAMES: tuple[str, ...] = tuple(i.item for i in ITEMS)
FREE_TIER = "free_tier"

#: Region -> item -> USD per unit and month (events: per event). Read off the pages above on PRICES_AS_OF.
PRICE_TABLE: dict[str, dict[str, Decimal]] = {
    "us-east-1": {
        "alarm_metrics": Decimal("0.10"),
        "high_resolution_alarm_metrics": Decimal("0.30"),
        "composite_alarms": Decimal("0.50"),
        "metrics_insights_alarm_metrics": Decimal("0.10"),
        "anomaly_detection_alarms": Decimal("0.30"),
        "dashboards": Decimal("3.00"),
        "trail_data_events": Decimal("0.000001"),
        "trail_storage": Decimal("0.023"),
        "custom_metrics": Decimal("0.30"),
    },
}


@dataclass(frozen=True)
class Prices:
    """The unit prices of one region, and where they came from."""

    region: str
    unit: Mapping[str, Decimal]
    as_of: str
    source: str
    """``list prices`` or the price file that set some or all of them."""

    def __getitem__(self, item: str) -> Decimal:
        return self.unit[item]


def load_prices(region: str = DEFAULT_REGION, overrides: Optional[str | Path] = None) -> Prices:
    """The prices of ``region`` from the table, with the prices of the file ``overrides`` (JSON or YAML,
    ``{item: USD per unit}``) put over them. A region not in the table needs every item in the file."""
    given = _read_overrides(overrides) if overrides is not None else {}
    base = PRICE_TABLE.get(region)
    if base is None:
        missing = [name for name in ITEM_NAMES if name not in given]
        if missing:
            raise CostInputError(
                f"--region {region}: no list prices for this region in the price table (it has "
                f"{', '.join(sorted(PRICE_TABLE))}); give every price in --prices FILE (missing: {', '.join(missing)})")
        base = {}
    unit = {name: given.get(name, base.get(name, Decimal(0))) for name in ITEM_NAMES}
    source = "list prices" if not given else (f"{overrides}" if base == {} else f"list prices, {overrides}")
    return Prices(region=region, unit=unit, as_of=PRICES_AS_OF, source=source)


def _read_overrides(path: str | Path) -> dict[str, Decimal]:
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as err:
        raise CostInputError(f"--prices {path}: cannot be read ({err.strerror or err})") from None
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise CostInputError(f"--prices {path}: not JSON or YAML{where}") from None
    if not isinstance(data, dict) or not data:
        raise CostInputError(f"--prices {path}: expected a mapping of item to price, such as {{dashboards: 3.0}}")
    out: dict[str, Decimal] = {}
    for key, value in data.items():
        if key not in ITEM_NAMES:
            raise CostInputError(f"--prices {path}: unknown item {key!r} (items: {', '.join(ITEM_NAMES)})")
        out[str(key)] = _price(path, str(key), value)
    return out


def _price(path: str | Path, key: str, value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise CostInputError(f"--prices {path}: {key}: {value!r} is not a price (a number of USD per unit)")
    try:
        price = Decimal(str(value))
    except InvalidOperation:
        raise CostInputError(f"--prices {path}: {key}: {value!r} is not a price (a number of USD per unit)") from None
    if not price.is_finite() or (isinstance(value, float) and not math.isfinite(value)):
        raise CostInputError(f"--prices {path}: {key}: {value!r} is not a finite price")
    if price < 0:
        raise CostInputError(f"--prices {path}: {key}: {value} is negative (a price is 0 or more)")
    return price
