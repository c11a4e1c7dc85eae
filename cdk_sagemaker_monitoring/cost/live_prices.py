"""A region's prices read from the AWS Price List API (``cost --live-prices``; ``tools/price_table.py``).

``pricing:GetProducts`` returns ``PriceList``: one JSON string per product, ``{"product": {"attributes":
{"usagetype": ..., "regionCode": ...}}, "terms": {"OnDemand": {<offer>: {"priceDimensions": {<rate>:
{"beginRange": "0", "pricePerUnit": {"USD": "0.10"}, ...}}}}}}`` (Billing user guide, "Using the AWS Price
List Query API"). Each item is matched by the end of its usage type (``USE1-CW:AlarmMonitorUsage`` ->
``CW:AlarmMonitorUsage``); the first tier (``beginRange`` 0) is the price. The API answers in us-east-1.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any, Iterable, Mapping, Optional

from .errors import CostInputError
from .prices import TablePrice

PRICING_REGION = "us-east-1"
"""The Price List Query API's endpoint region."""

#: Item -> (service code, usage type suffix, filter by regionCode). ``None`` suffix: derived (see DERIVED).
USAGE_TYPES: dict[str, tuple[str, str, bool]] = {
    "alarm_metrics": ("AmazonCloudWatch", "CW:AlarmMonitorUsage", True),
    "high_resolution_alarm_metrics": ("AmazonCloudWatch", "CW:HighResAlarmMonitorUsage", True),
    "composite_alarms": ("AmazonCloudWatch", "CW:CompositeAlarmMonitorUsage", True),
    "metrics_insights_alarm_metrics": ("AmazonCloudWatch", "CW:MetricInsightAlarmUsage", True),
    "custom_metrics": ("AmazonCloudWatch", "CW:MetricMonitorUsage", True),
    "dashboards": ("AmazonCloudWatch", "DashboardsUsageHour", False),
    "trail_data_events": ("AWSCloudTrail", "DataEventsRecorded", True),
    "trail_storage": ("AmazonS3", "TimedStorage-ByteHrs", True),
    "kms_keys": ("awskms", "KMS-Keys", True),
    "lambda_arm_requests": ("AWSLambda", "Request-ARM", True),
    "lambda_arm_gb_seconds": ("AWSLambda", "Lambda-GB-Second-ARM", True),
    "logs_ingestion_gb": ("AmazonCloudWatch", "DataProcessing-Bytes", True),
    "logs_storage_gb_month": ("AmazonCloudWatch", "TimedStorage-ByteHrs", True),
    "sqs_requests": ("AWSQueueService", "Requests-Tier1", True),
    "sns_requests": ("AmazonSNS", "Requests-Tier1", True),
}
DERIVED = {"anomaly_detection_alarms": ("alarm_metrics", 3)}
"""An anomaly-detection alarm is billed as three standard alarm metrics (CloudWatch pricing page)."""


def fetch_prices(region: str, *, profile: Optional[str] = None, client: Any = None) -> dict[str, TablePrice]:
    """Item -> price of ``region`` from the Price List API (items it does not find are left out)."""
    if client is None:
        from ..aws_access import client as make_client
        from ..aws_access import session

        client = make_client(session(profile, PRICING_REGION), "pricing")
    today = datetime.now(timezone.utc).date().isoformat()
    out: dict[str, TablePrice] = {}
    by_service: dict[tuple[str, bool], list[str]] = {}
    for item, (service, _, regional) in USAGE_TYPES.items():
        by_service.setdefault((service, regional), []).append(item)
    for (service, regional), items in sorted(by_service.items()):
        filters = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}] if regional else \
            [{"Type": "TERM_MATCH", "Field": "usagetype", "Value": USAGE_TYPES[items[0]][1]}]
        products = list(_products(client, service, filters))
        for item in items:
            price = first_tier_price(products, USAGE_TYPES[item][1])
            if price is not None:
                out[item] = TablePrice(price, f"AWS Price List API, {service}, usagetype *{USAGE_TYPES[item][1]}"
                                       + (f", regionCode {region}" if regional else ", every region"), today)
    for item, (base, factor) in DERIVED.items():
        if base in out:
            out[item] = TablePrice(out[base].usd * factor, f"{factor} x {base} ({out[base].source})", today)
    if not any(USAGE_TYPES[i][0] == "AmazonCloudWatch" and USAGE_TYPES[i][2] for i in out):
        raise CostInputError(f"--live-prices: the AWS Price List API has no CloudWatch prices for region {region!r}")
    return out


def _products(client: Any, service: str, filters: list[dict[str, str]]) -> Iterable[dict[str, Any]]:
    try:
        pages = client.get_paginator("get_products").paginate(ServiceCode=service, Filters=filters,
                                                             FormatVersion="aws_v1")
        for page in pages:
            for text in page.get("PriceList", []):
                yield json.loads(text) if isinstance(text, str) else text
    except Exception as err:  # botocore's errors: credentials, access, network
        from ..aws_access import explain, is_aws_error

        if not is_aws_error(err):
            raise
        raise CostInputError(f"--live-prices: {explain(err, 'pricing:GetProducts', service)}") from None


def first_tier_price(products: Iterable[Mapping[str, Any]], suffix: str) -> Optional[Decimal]:
    """The USD price of the first priced tier (the lowest ``beginRange`` whose price is not 0: a free allowance
    is not the price) of the on-demand terms of the product whose usage type is ``suffix`` or ends with
    ``-<suffix>``."""
    for product in products:
        usagetype = str(product.get("product", {}).get("attributes", {}).get("usagetype", ""))
        if usagetype != suffix and not usagetype.endswith("-" + suffix):
            continue
        tiers: list[tuple[Decimal, Decimal]] = []
        for offer in product.get("terms", {}).get("OnDemand", {}).values():
            for dimension in offer.get("priceDimensions", {}).values():
                usd = dimension.get("pricePerUnit", {}).get("USD")
                if usd is not None and Decimal(str(usd)) != 0:
                    tiers.append((Decimal(str(dimension.get("beginRange", "0"))), Decimal(str(usd))))
        if tiers:
            return min(tiers)[1].normalize()
    return None
