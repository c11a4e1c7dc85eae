"""Price counted usage: one line per item, the free tier as one negative line, a table or JSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Optional

from . import prices as P
from .trail_volume import TrailVolume
from .usage import Usage

_CENT_FRACTIONS = Decimal("0.0001")


@dataclass(frozen=True)
class CostItem:
    """One line of the estimate: ``monthly`` is ``quantity * unit_price`` (USD, rounded to 1/100 of a cent)."""

    item: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    monthly: Decimal
    basis: str

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item, "quantity": _number(self.quantity), "unit": self.unit,
                "unit_price": float(self.unit_price), "monthly": float(self.monthly), "basis": self.basis}


@dataclass(frozen=True)
class CostReport:
    """The monthly estimate of one assembly or plan."""

    region: str
    prices_as_of: str
    price_source: str
    where: str
    items: tuple[CostItem, ...]
    event_rules: int = 0
    event_queues: int = 0
    event_archives: int = 0

    @property
    def monthly_total(self) -> Decimal:
        return sum((i.monthly for i in self.items), Decimal(0))

    @property
    def monthly_before_free_tier(self) -> Decimal:
        return sum((i.monthly for i in self.items if i.item != P.FREE_TIER), Decimal(0))

    def item(self, name: str) -> Optional[CostItem]:
        return next((i for i in self.items if i.item == name), None)

    def to_json(self) -> dict[str, Any]:
        out = {"currency": "USD", "region": self.region, "prices_as_of": self.prices_as_of,
               "prices": self.price_source, "source": self.where,
               "items": [i.to_json() for i in self.items], "monthly_total": float(self.monthly_total)}
        if self.event_rules:
            out["not_priced"] = {"event_rules": self.event_rules, "event_queues": self.event_queues,
                                 "event_archives": self.event_archives}
        return out

    def json_text(self) -> str:
        return json.dumps(self.to_json(), indent=2) + "\n"

    def table(self) -> str:
        """A plain-text table: item, quantity, unit price, monthly USD, and the basis of each line."""
        rows = [("item", "quantity", "unit price", "monthly USD")]
        for i in self.items:
            rows.append((i.item, _quantity(i.quantity), _price_text(i.unit_price), f"{i.monthly:,.2f}"))
        widths = [max(len(r[c]) for r in rows) for c in range(4)]

        def line(r: tuple[str, ...]) -> str:
            return f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}"

        out = [f"Monthly estimate of {self.where} ({self.region}, {self.price_source} as of {self.prices_as_of}, USD)",
               line(rows[0]), "  ".join("-" * w for w in widths)]
        out += [line(r) for r in rows[1:]]
        out.append("  ".join("-" * w for w in widths))
        out.append(line(("total", "", "", f"{self.monthly_total:,.2f}")))
        out.append(line(("total without the free tier", "", "", f"{self.monthly_before_free_tier:,.2f}")))
        out.append("")
        out += [f"{i.item}: {i.basis}" for i in self.items]
        out.append("Not priced: SNS notifications, KMS keys, CloudWatch Logs delivery of the trail, Athena queries, "
                   "API requests (GetMetricData) and the metrics SageMaker publishes itself (free).")
        if self.event_rules:
            out.append(f"Failure events: {self.event_rules} EventBridge rules on SageMaker's own events (AWS service "
                       "events on the default bus: no charge, input transformation included), "
                       f"{self.event_queues} dead-letter queue(s) (SQS requests: only undelivered notifications, "
                       f"within SQS's free million a month) and {self.event_archives} archive log group(s) "
                       "(CloudWatch Logs ingestion by the GB: a failure event is a few KB); their alarms and "
                       "dashboard are priced above.")
        return "\n".join(out) + "\n"


def estimate_cost(usage: Usage, prices: P.Prices, trail: Optional[TrailVolume] = None) -> CostReport:
    """Price ``usage``; ``trail`` gives the data events a day (without it, a trail's events are not priced)."""
    items: list[CostItem] = []

    def add(name: str, quantity: Decimal | int, basis: str, keep_zero: bool = False) -> None:
        quantity = Decimal(quantity)
        if quantity == 0 and not keep_zero:
            return
        meta = next(i for i in P.ITEMS if i.item == name)
        price = prices[name]
        items.append(CostItem(name, quantity, meta.unit, price, _round(quantity * price), basis))

    add("alarm_metrics", usage.alarm_metrics, "standard-resolution alarm metrics; a metric-math alarm counts every "
        "metric it reads")
    add("high_resolution_alarm_metrics", usage.high_resolution_alarm_metrics, "alarm metrics with a period under 60 s")
    add("composite_alarms", usage.composite_alarms, "composite alarms")
    if usage.metrics_insights_alarms:
        add("metrics_insights_alarm_metrics", usage.metrics_insights_alarm_metrics,
            f"{usage.metrics_insights_alarms} Metrics Insights alarm(s); {usage.series_basis}; at most "
            f"{P.MAX_METRICS_PER_INSIGHTS_QUERY:,} per query", keep_zero=True)
    add("anomaly_detection_alarms", usage.anomaly_detection_alarms,
        "anomaly-detection alarms, three alarm metrics each")
    add("dashboards", usage.dashboards, "custom dashboards")
    if usage.data_event_trails:
        _trail_items(add, usage, trail)
    add("custom_metrics", usage.custom_metrics, usage.custom_metrics_basis)
    free = _free_tier(usage, prices)
    if free:
        items.append(free)
    return CostReport(region=prices.region, prices_as_of=prices.as_of, price_source=prices.source, where=usage.where,
                      items=tuple(items), event_rules=usage.event_rules, event_queues=usage.event_queues,
                      event_archives=usage.event_archives)


def _trail_items(add: Any, usage: Usage, trail: Optional[TrailVolume]) -> None:
    copies = usage.data_event_trails
    per = f" x {copies} trails" if copies > 1 else ""
    if trail is None:
        add("trail_data_events", 0, "the trail's data events are not counted: pass --data-events-per-day N or "
            "--from-trail SOURCE", keep_zero=True)
        return
    events = (trail.events_per_day * P.DAYS_PER_MONTH * copies).to_integral_value(ROUND_HALF_UP)
    add("trail_data_events", events, f"{trail.basis}; x {_number(P.DAYS_PER_MONTH.quantize(Decimal('0.01')))} days"
        f"{per}", keep_zero=True)
    # The bucket keeps logs in S3 Standard for 90 days, then moves them to Glacier Instant Retrieval
    # (ExperimentMetricsTrail's lifecycle): once 90 days have filled, that is what S3 Standard holds.
    gigabytes = (trail.events_per_day * 90 * copies * trail.bytes_per_event / Decimal(2**30)).quantize(_CENT_FRACTIONS)
    add("trail_storage", gigabytes, f"the last 90 days of logs in S3 Standard ({_number(trail.bytes_per_event):.0f} "
        "bytes an event); older logs move to Glacier Instant Retrieval and add a little each month",
        keep_zero=True)


def _free_tier(usage: Usage, prices: P.Prices) -> Optional[CostItem]:
    alarms = min(usage.alarm_metrics, P.FREE_ALARM_METRICS)
    small = sum(1 for m in usage.dashboard_metrics if 0 <= m <= P.FREE_DASHBOARD_MAX_METRICS)
    dashboards = min(small, P.FREE_DASHBOARDS)
    custom = min(usage.custom_metrics, P.FREE_CUSTOM_METRICS)
    amount = (alarms * prices["alarm_metrics"] + dashboards * prices["dashboards"]
              + custom * prices["custom_metrics"])
    if amount == 0:
        return None
    parts = [f"{alarms} alarm metrics", f"{dashboards} dashboards (of at most {P.FREE_DASHBOARD_MAX_METRICS} metrics)"]
    if custom:
        parts.append(f"{custom} custom metrics")
    basis = ("CloudWatch's free tier, once per account (other stacks may use it already): " + ", ".join(parts))
    return CostItem(P.FREE_TIER, Decimal(1), "month", -_round(amount), -_round(amount), basis)


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT_FRACTIONS, rounding=ROUND_HALF_UP)


def _number(value: Decimal) -> Any:
    """An int when whole, else a float (JSON has no decimals)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _quantity(value: Decimal) -> str:
    number = _number(value)
    return f"{number:,}" if isinstance(number, int) else f"{number:,.4f}"


def _price_text(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    if "." not in text:
        return text + ".00"
    return text + "0" * max(0, 2 - len(text.split(".")[1]))
