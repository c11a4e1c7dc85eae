"""Write cdk_sagemaker_monitoring/cost/price_table.json from the AWS Price List API (needs AWS credentials).

    .venv/bin/python tools/price_table.py eu-west-1 ap-southeast-1 ...    # regions to (re)read
    .venv/bin/python tools/price_table.py --all                            # every region CloudWatch prices

Each price is written with its source (service code, usage type, region code) and today's date; an item
the Price List does not give for a region is left out of that region (the estimate then says so), and a
region the Price List has no CloudWatch prices for is left out entirely. Regions not named keep the rows
they have. The dashboards' price is the Price List's one global product (location Any).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cdk_sagemaker_monitoring.cost.errors import CostInputError  # noqa: E402
from cdk_sagemaker_monitoring.cost.live_prices import fetch_prices  # noqa: E402
from cdk_sagemaker_monitoring.cost.prices import TABLE_FILE  # noqa: E402

GLOBAL = ("dashboards",)


def regions_with_cloudwatch(profile: str | None) -> list[str]:
    """Every regionCode the Price List has AmazonCloudWatch products for (GetAttributeValues)."""
    from cdk_sagemaker_monitoring.aws_access import client, session

    pricing = client(session(profile, "us-east-1"), "pricing")
    values = []
    for page in pricing.get_paginator("get_attribute_values").paginate(ServiceCode="AmazonCloudWatch",
                                                                       AttributeName="regionCode"):
        values += [v["Value"] for v in page["AttributeValues"]]
    return sorted(v for v in values if not v.startswith(("cn-", "us-gov-", "us-iso", "eu-isoe")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("regions", nargs="*")
    parser.add_argument("--all", action="store_true", help="every commercial region CloudWatch prices")
    parser.add_argument("--profile")
    args = parser.parse_args(argv)
    regions = regions_with_cloudwatch(args.profile) if args.all else args.regions
    data = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    for region in regions:
        try:
            prices = fetch_prices(region, profile=args.profile)
        except CostInputError as err:
            print(f"{region}: left out ({err})", file=sys.stderr)
            data["regions"].pop(region, None)
            continue
        rows = {item: {"usd": f"{p.usd}", "source": p.source, "as_of": p.as_of} for item, p in sorted(prices.items())}
        for item in GLOBAL:
            if item in rows:
                data["global"][item] = rows.pop(item)
        data["regions"][region] = rows
        print(f"{region}: {len(rows)} prices", file=sys.stderr)
    data["regions"] = dict(sorted(data["regions"].items()))
    TABLE_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
