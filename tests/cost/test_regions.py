"""Prices per region: the package's table (each price with its source and date), the Price List API
(recorded responses: moto does not implement ``pricing``), and the synth annotation in the stack's region."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import boto3
import pytest
from botocore.stub import Stubber
from support.synth import new_app

from cdk_sagemaker_monitoring import SageMakerMonitoring
from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.cost import CostInputError, load_prices
from cdk_sagemaker_monitoring.cost.live_prices import USAGE_TYPES, fetch_prices
from cdk_sagemaker_monitoring.cost.prices import ITEM_NAMES, REFERENCE_ITEMS, TABLE, TABLE_FILE

FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "price_list_eu-west-1.json").read_text())["responses"]


def test_every_price_of_the_table_has_a_source_and_a_date() -> None:
    data = json.loads(TABLE_FILE.read_text())
    rows = [*data["global"].items(), *(row for items in data["regions"].values() for row in items.items())]
    assert rows
    for item, entry in rows:
        assert item in ITEM_NAMES or item in REFERENCE_ITEMS
        assert entry["source"] and len(entry["as_of"]) == 10 and Decimal(entry["usd"]) >= 0
    assert {"us-east-1", "eu-west-1", "ap-southeast-1", "ap-northeast-1"} <= set(TABLE)
    assert set(ITEM_NAMES) <= set(TABLE["us-east-1"])


def test_a_region_with_some_prices_names_the_rest() -> None:
    prices = load_prices("eu-west-1")
    assert prices["alarm_metrics"] == Decimal("0.10") and prices["dashboards"] == Decimal("3.00")
    assert "composite_alarms" in prices.missing and "alarm_metrics" not in prices.missing
    assert "EU-CW:AlarmMonitorUsage" in prices.sources["alarm_metrics"]


@pytest.mark.parametrize("region", ["eu-west-1", "ap-southeast-1", "ap-northeast-1"])
def test_cost_answers_for_a_region_outside_the_us(region: str, capsys: pytest.CaptureFixture[str]) -> None:
    example = str(Path(__file__).resolve().parents[2] / "examples" / "monitoring.yaml")
    assert main(["cost", "--config", example, "--region", region, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["region"] == region
    lines = {i["item"]: i for i in data["items"]}
    assert lines["alarm_metrics"]["unit_price"] == 0.1
    assert lines["composite_alarms"]["unit_price"] is None and lines["composite_alarms"]["monthly"] == 0
    said = [line for line in data["not_priced"] if f"no list price for {region}" in line]
    assert len(said) == 1 and "composite_alarms" in said[0] and "--live-prices" in said[0]


def test_what_is_billed_by_use_is_quoted_at_the_regions_prices(capsys: pytest.CaptureFixture[str],
                                                               tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("stack_name: S\nalarm_emails: [a@example.com]\nendpoints: [a]\n"
                                     "trail: {cloudwatch_logs_retention_days: 30}\n"
                                     "stream: {enabled: true, metric_names: [loss]}\n")
    assert main(["cost", "--config", str(tmp_path / "c.yaml"), "--region", "eu-west-1", "--format", "json"]) == 0
    lines = json.loads(capsys.readouterr().out)["not_priced"]
    [logs] = [line for line in lines if line.startswith("AWS::Logs::LogGroup")]
    assert "(eu-west-1: $0.57 a GB ingested into CloudWatch Logs; $0.03 a GB-month" in logs
    [function] = [line for line in lines if line.startswith("AWS::Lambda::Function")]
    assert "$0.0000002 a Lambda request (Arm)" in function


def stubbed_client() -> tuple[Any, Stubber]:
    client = boto3.client("pricing", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    calls = sorted({(service, regional) for service, _, regional in USAGE_TYPES.values()})
    for service, regional in calls:
        key = f"{service} {'regional' if regional else 'global'}"
        filters = ([{"Type": "TERM_MATCH", "Field": "regionCode", "Value": "eu-west-1"}] if regional else
                   [{"Type": "TERM_MATCH", "Field": "usagetype", "Value": "DashboardsUsageHour"}])
        stubber.add_response("get_products", {"PriceList": FIXTURE[key], "FormatVersion": "aws_v1"},
                             {"ServiceCode": service, "Filters": filters, "FormatVersion": "aws_v1"})
    stubber.activate()
    return client, stubber


def test_live_prices_from_recorded_price_list_responses() -> None:
    client, stubber = stubbed_client()
    live = fetch_prices("eu-west-1", client=client)
    stubber.assert_no_pending_responses()
    usd = {item: price.usd for item, price in live.items()}
    assert usd["alarm_metrics"] == Decimal("0.1") and usd["anomaly_detection_alarms"] == Decimal("0.3")
    assert usd["custom_metrics"] == Decimal("0.32")  # the first tier, not the next
    assert usd["dashboards"] == Decimal("3") and usd["kms_keys"] == Decimal("1")
    assert "regionCode eu-west-1" in live["composite_alarms"].source
    assert usd["sns_requests"] == Decimal("5E-7")  # the first priced tier, past the free million
    assert usd["lambda_arm_gb_seconds"] == Decimal("0.0000133334")
    prices = load_prices("eu-west-1", live=live)
    assert prices.missing == () and prices.source == "Price List API prices"
    assert set(prices.reference) == set(REFERENCE_ITEMS)


def test_cli_live_prices(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    client, _ = stubbed_client()
    monkeypatch.setattr("cdk_sagemaker_monitoring.aws_access.client", lambda session, service, **kw: client)
    (tmp_path / "c.yaml").write_text("stack_name: S\nalarm_emails: [a@example.com]\nendpoints: [a]\n")
    assert main(["cost", "--config", str(tmp_path / "c.yaml"), "--region", "eu-west-1", "--live-prices",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["prices"] == "Price List API prices"
    assert all(i["unit_price"] is not None for i in data["items"])
    assert not any("no list price" in line for line in data["not_priced"])


def test_live_prices_without_a_region_in_the_price_list() -> None:
    client = boto3.client("pricing", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    stubber = Stubber(client)
    for _ in range(len({(service, regional) for service, _, regional in USAGE_TYPES.values()})):
        stubber.add_response("get_products", {"PriceList": [], "FormatVersion": "aws_v1"})
    stubber.activate()
    with pytest.raises(CostInputError, match="no CloudWatch prices for region 'xx-east-9'"):
        fetch_prices("xx-east-9", client=client)


def annotation(env: cdk.Environment | None) -> str:
    app = new_app()
    stack = cdk.Stack(app, "Cost", env=env)
    SageMakerMonitoring(stack, "Monitoring", endpoints=["a", "b"])
    infos = cdk.assertions.Annotations.from_stack(stack).find_info(
        "*", cdk.assertions.Match.string_like_regexp("Estimated monthly cost"))
    assert len(infos) == 1
    return str(infos[0].entry.data)


def test_the_annotation_prices_the_stacks_region() -> None:
    eu = annotation(cdk.Environment(account="123456789012", region="eu-west-1"))
    assert "eu-west-1 list prices" in eu and "no eu-west-1 list price for composite alarms" in eu
    agnostic = annotation(None)
    assert "us-east-1 list prices (the stack has no region: us-east-1 assumed)" in agnostic
    unknown = annotation(cdk.Environment(account="123456789012", region="ca-central-1"))
    assert unknown.count("no list prices for ca-central-1") == 1 and "--live-prices" in unknown
    assert "$" not in unknown.split("no list prices")[0].replace("Estimated monthly cost", "")


def test_the_table_script_writes_what_the_price_list_says(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import importlib.util
    import shutil

    spec = importlib.util.spec_from_file_location("price_table", TABLE_FILE.parents[2] / "tools" / "price_table.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    table = tmp_path / "price_table.json"
    shutil.copy(TABLE_FILE, table)
    monkeypatch.setattr(script, "TABLE_FILE", table)
    client, stubber = stubbed_client()
    monkeypatch.setattr("cdk_sagemaker_monitoring.aws_access.client", lambda session, service, **kw: client)
    assert script.main(["eu-west-1"]) == 0
    stubber.assert_no_pending_responses()
    data = json.loads(table.read_text())
    eu = data["regions"]["eu-west-1"]
    assert eu["composite_alarms"]["usd"] == "0.51" and "regionCode eu-west-1" in eu["composite_alarms"]["source"]
    assert "dashboards" not in eu and "every region" in data["global"]["dashboards"]["source"]
    assert data["regions"]["us-east-1"] == json.loads(TABLE_FILE.read_text())["regions"]["us-east-1"]


def test_the_table_says_its_totals_are_partial(capsys: pytest.CaptureFixture[str]) -> None:
    example = str(Path(__file__).resolve().parents[2] / "examples" / "monitoring.yaml")
    assert main(["cost", "--config", example, "--region", "eu-west-1"]) == 0
    out = capsys.readouterr().out
    assert "line(s) without a eu-west-1 price are not in the totals" in out
    assert out.count("no list price for eu-west-1 in the price table") == 1
    assert main(["cost", "--config", example]) == 0
    assert "partial" not in capsys.readouterr().out


def test_every_entry_of_the_table_says_its_price_source_and_date() -> None:
    from datetime import date

    data = json.loads(TABLE_FILE.read_text())
    today = date.today()
    for region, items in [("global", data["global"]), *data["regions"].items()]:
        for item, entry in items.items():
            where = f"{region} {item}"
            assert set(entry) == {"usd", "source", "as_of"}, where
            usd = Decimal(entry["usd"])
            assert usd.is_finite() and usd >= 0, where
            assert date.fromisoformat(entry["as_of"]) <= today, where
            assert len(entry["source"]) > 20, where
            if region == "global":  # one price for every region: its source must say so
                assert "every region" in entry["source"], where
            elif region != "us-east-1":  # the pricing pages' default region; any other price names its region
                assert region in entry["source"], where


def _example_cost(region: str, capsys: pytest.CaptureFixture[str], *extra: str) -> dict[str, Any]:
    example = str(Path(__file__).resolve().parents[2] / "examples" / "monitoring.yaml")
    assert main(["cost", "--config", example, "--region", region, "--format", "json", *extra]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


#: What no public source priced for the example's items in these regions (the table says why); the rest is priced.
UNPRICED_OUTSIDE_THE_US = {
    "eu-west-2": {"composite_alarms", "metrics_insights_alarm_metrics"},
    "eu-central-1": {"composite_alarms", "metrics_insights_alarm_metrics"},
    "ap-northeast-2": {"metrics_insights_alarm_metrics"},
    "us-west-2": set(),  # complete: a second region besides us-east-1
}


@pytest.mark.parametrize("region", sorted(UNPRICED_OUTSIDE_THE_US))
def test_a_region_outside_the_us_prices_what_public_sources_show(region: str, capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    data = _example_cost(region, capsys)
    lines = {i["item"]: i for i in data["items"]}
    unpriced = {item for item, line in lines.items() if line["unit_price"] is None}
    assert unpriced == UNPRICED_OUTSIDE_THE_US[region]
    assert {"alarm_metrics", "dashboards", "kms_keys", "trail_data_events"} <= set(lines) - unpriced
    assert lines["kms_keys"]["unit_price"] == 1.0 and lines["trail_data_events"]["unit_price"] == 0.000001
    priced = sum(Decimal(str(line["monthly"])) for line in data["items"])
    assert Decimal(str(data["monthly_total"])) == priced
    if not unpriced:
        assert not any("no list price" in line for line in data["not_priced"])
        return
    # Giving what the table lacks completes the estimate: no n/a, no missing-price line.
    prices = tmp_path / "prices.yaml"
    prices.write_text("".join(f"{item}: 0.1\n" for item in sorted(unpriced)))
    full = _example_cost(region, capsys, "--prices", str(prices))
    assert all(line["unit_price"] is not None for line in full["items"])
    assert not any("no list price" in line for line in full["not_priced"])
    added = sum(Decimal(str(lines[i]["quantity"])) * Decimal("0.1") for i in unpriced)
    assert Decimal(str(full["monthly_total"])) == priced + added


def test_the_guide_names_the_regions_of_the_table() -> None:
    import re

    guide = (TABLE_FILE.parents[2] / "docs" / "guides" / "cli.md").read_text()
    [(complete, partial)] = re.findall(r"In the table, (.*?) (?:is|are) complete; (.*?) (?:is|are) partial",
                                       guide.replace("\n", " "))
    codes = r"[a-z]{2}-[a-z]+-\d"
    full = {region for region, items in TABLE.items() if set(ITEM_NAMES) <= set(items)}
    assert set(re.findall(codes, complete)) == full
    assert set(re.findall(codes, partial)) == set(TABLE) - full
