"""List prices of what the monitoring deploys, as data: one row per priced item, with its unit and source.

The prices are package data (``price_table.json``: per region, each price with its source and the date
it was read, written by ``tools/price_table.py`` from the AWS Price List API or taken from a public record of
its offer files, named in the source). A price no source showed for a region is absent, never copied from
another region (a ``global`` price's source states one price for every region): the estimate then names
the items it could not price (``Prices.missing``). A region the table does not hold is priced from a price
file that names every item (``--prices FILE``) or from the Price List API (``--live-prices``,
:mod:`.live_prices`). A price file can also override single prices of a region that is in the table.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Mapping, Optional

from .errors import CostInputError

CLOUDWATCH_PRICING = "https://aws.amazon.com/cloudwatch/pricing/"
CLOUDTRAIL_PRICING = "https://aws.amazon.com/cloudtrail/pricing/"
S3_PRICING = "https://aws.amazon.com/s3/pricing/"
METRICS_INSIGHTS_LIMITS = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-metrics-insights-limits.html"

DEFAULT_REGION = "us-east-1"
TABLE_FILE = Path(__file__).with_name("price_table.json")

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
    PricedItem("kms_keys", "key", "https://aws.amazon.com/kms/pricing/", "each customer-managed key a month",
               "KMS keys"),
)
ITEM_NAMES: tuple[str, ...] = tuple(i.item for i in ITEMS)

#: Prices of what is billed by use (not counted: the report quotes them beside what it leaves out).
REFERENCE_ITEMS: dict[str, str] = {
    "lambda_arm_requests": "a Lambda request (Arm)",
    "lambda_arm_gb_seconds": "a Lambda GB-second (Arm)",
    "logs_ingestion_gb": "a GB ingested into CloudWatch Logs",
    "logs_storage_gb_month": "a GB-month of CloudWatch Logs storage",
    "sqs_requests": "an SQS request (after the free million)",
    "sns_requests": "an SNS request (after the free million)",
}
FREE_TIER = "free_tier"

@dataclass(frozen=True)
class TablePrice:
    """One price of the table: USD per unit, where it was read and when."""

    usd: Decimal
    source: str
    as_of: str


def _read_table() -> dict[str, dict[str, TablePrice]]:
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))

    def row(entry: Mapping[str, str]) -> TablePrice:
        return TablePrice(Decimal(entry["usd"]), entry["source"], entry["as_of"])

    shared = {item: row(entry) for item, entry in data.get("global", {}).items()}
    return {region: {**shared, **{item: row(entry) for item, entry in items.items()}}
            for region, items in sorted(data["regions"].items())}


#: Region -> item -> its price (global prices included), from ``price_table.json``.
TABLE: dict[str, dict[str, TablePrice]] = _read_table()
#: Region -> item -> USD per unit and month (events: per event).
PRICE_TABLE: dict[str, dict[str, Decimal]] = {r: {i: p.usd for i, p in items.items()} for r, items in TABLE.items()}
#: The latest day a price of the table was read.
PRICES_AS_OF = max(p.as_of for items in TABLE.values() for p in items.values())


@dataclass(frozen=True)
class Prices:
    """The unit prices of one region, and where they came from; ``missing`` items have no price there."""

    region: str
    unit: Mapping[str, Decimal]
    as_of: str
    source: str
    """``list prices``, ``Price List API`` or the price file that set some or all of them."""
    missing: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    """Item -> where its price comes from."""
    reference: Mapping[str, TablePrice] = field(default_factory=dict)
    """Prices of what is billed by use (:data:`REFERENCE_ITEMS`) the region has."""

    def __getitem__(self, item: str) -> Decimal:
        return self.unit[item]

    def get(self, item: str) -> Optional[Decimal]:
        return self.unit.get(item)


def load_prices(region: str = DEFAULT_REGION, overrides: Optional[str | Path] = None, *,
                live: Optional[Mapping[str, TablePrice]] = None) -> Prices:
    """The prices of ``region``: from the table (or ``live``, fetched from the Price List API), with the prices
    of the file ``overrides`` (JSON or YAML, ``{item: USD per unit}``) put over them.

    A region neither in the table nor fetched needs every item in the file; a region in the table may lack
    some items (no public source showed them): they are ``missing``, and the estimate says so."""
    given = _read_overrides(overrides) if overrides is not None else {}
    base = dict(live) if live is not None else TABLE.get(region)
    if base is None:
        missing = [name for name in ITEM_NAMES if name not in given]
        if missing:
            raise CostInputError(
                f"--region {region}: no list prices for this region in the price table (it has "
                f"{', '.join(sorted(TABLE))}); --live-prices reads them from the AWS Price List API (needs AWS "
                f"credentials), or give every price in --prices FILE (missing: {', '.join(missing)})")
        base = {}
    unit: dict[str, Decimal] = {}
    sources: dict[str, str] = {}
    for name in ITEM_NAMES:
        if name in given:
            unit[name], sources[name] = given[name], str(overrides)
        elif name in base:
            unit[name], sources[name] = base[name].usd, base[name].source
    absent = tuple(name for name in ITEM_NAMES if name not in unit)
    kind = "Price List API prices" if live is not None else "list prices"
    source = kind if not given else (f"{overrides}" if not base else f"{kind}, {overrides}")
    dates = [p.as_of for name, p in base.items() if name not in given and name in ITEM_NAMES]
    return Prices(region=region, unit=unit, as_of=max(dates) if dates else "-", source=source, missing=absent,
                  sources=sources, reference={k: v for k, v in base.items() if k in REFERENCE_ITEMS})


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
