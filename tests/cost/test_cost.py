"""`sagemaker-monitoring cost`: counts on hand-built templates, assembly and plan agreeing, prices, bad input.

Expected figures are written out by hand from the templates each test builds (list prices of us-east-1:
$0.10 an alarm metric, $0.30 high resolution, $0.50 a composite alarm, $0.10 a metric a Metrics Insights
query analyzes, $0.30 an anomaly-detection alarm, $3.00 a dashboard, $0.10 per 100,000 data events,
$0.023 a GB-month of S3 Standard, $0.30 a custom metric), never from the code under test.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from support.cloudtrail import write_tree
from support.synth import TEST_ENV, new_app

from cdk_sagemaker_monitoring import MonitoringStack, SageMakerMonitoring, load_config
from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.config.loader import config_from_mapping
from cdk_sagemaker_monitoring.cost import (
    CostInputError, count_assembly, count_config, count_plan, estimate_cost, given_volume, load_prices, measured_volume,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "monitoring.yaml"


# ------------------------------------------------------------------ hand-built templates

def metric(name: str, period: int = 60) -> dict[str, Any]:
    return {"Namespace": "AWS/SageMaker", "MetricName": name, "Dimensions": [{"Name": "EndpointName", "Value": "e"}]}


def plain_alarm(period: int = 60) -> dict[str, Any]:
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, "Threshold": 1,
        "Namespace": "AWS/SageMaker", "MetricName": "ModelLatency", "Period": period, "Statistic": "Average"}}


def math_alarm(count: int, period: int = 60) -> dict[str, Any]:
    metrics: list[dict[str, Any]] = [
        {"Id": f"m{i}", "MetricStat": {"Metric": metric(f"M{i}"), "Period": period, "Stat": "Sum"}, "ReturnData": False}
        for i in range(1, count + 1)]
    metrics.append({"Id": "e1", "Expression": "MAX([" + ",".join(f"m{i}" for i in range(1, count + 1)) + "])",
                    "ReturnData": True})
    metrics.append({"Id": "e2", "Expression": "e1 * 2", "ReturnData": False})  # a second expression: not billed
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, "Threshold": 1, "Metrics": metrics}}


def insights_alarm() -> dict[str, Any]:
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, "Threshold": 1,
        "Metrics": [{"Id": "q", "Period": 300, "ReturnData": True,
                     "Expression": "SELECT MAX(CPUUtilization) FROM SCHEMA(\"/aws/sagemaker/Endpoints\", EndpointName, "
                                   "VariantName) GROUP BY EndpointName ORDER BY MAX() DESC LIMIT 500"}]}}


def anomaly_alarm() -> dict[str, Any]:
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": {
        "ComparisonOperator": "GreaterThanUpperThreshold", "EvaluationPeriods": 1, "ThresholdMetricId": "band",
        "Metrics": [{"Id": "m1", "MetricStat": {"Metric": metric("Invocations"), "Period": 300, "Stat": "Sum"},
                     "ReturnData": True},
                    {"Id": "band", "Expression": "ANOMALY_DETECTION_BAND(m1, 2)", "ReturnData": True}]}}


def composite() -> dict[str, Any]:
    return {"Type": "AWS::CloudWatch::CompositeAlarm", "Properties": {"AlarmName": "c", "AlarmRule": 'ALARM("a")'}}


def dashboard(metrics: int) -> dict[str, Any]:
    widgets = [{"type": "metric", "x": 0, "y": 0, "width": 6, "height": 6, "properties": {
        "metrics": [["AWS/SageMaker", f"M{i}", "EndpointName", "e"] for i in range(metrics)],
        "region": "${AWS::Region}"}},
        {"type": "text", "x": 0, "y": 6, "width": 24, "height": 1, "properties": {"markdown": "# title"}}]
    return {"Type": "AWS::CloudWatch::Dashboard",
            "Properties": {"DashboardBody": {"Fn::Sub": json.dumps({"widgets": widgets})}}}


def data_trail() -> dict[str, Any]:
    return {"Type": "AWS::CloudTrail::Trail", "Properties": {
        "IsLogging": True, "S3BucketName": "b", "AdvancedEventSelectors": [{"FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.type", "Equals": ["AWS::SageMaker::ExperimentTrialComponent"]}]}]}}


def write_assembly(root: Path, templates: dict[str, dict[str, Any]]) -> Path:
    """An assembly directory: manifest.json and the named templates (relative paths, nested ones too)."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.json").write_text(json.dumps({"version": "48.0.0", "artifacts": {}}))
    for name, resources in templates.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"Resources": resources}))
    return root


def items_of(report: Any) -> dict[str, tuple[Any, float]]:
    return {i["item"]: (i["quantity"], i["monthly"]) for i in report.to_json()["items"]}


def cost_of(tmp_path: Path, resources: dict[str, Any], **kwargs: Any) -> dict[str, tuple[Any, float]]:
    usage = count_assembly(write_assembly(tmp_path / "a", {"S.template.json": resources}), **kwargs)
    return items_of(estimate_cost(usage, load_prices()))


def test_a_single_metric_alarm_is_one_alarm_metric(tmp_path: Path) -> None:
    items = cost_of(tmp_path, {"A": plain_alarm()})
    assert items["alarm_metrics"] == (1, 0.10)
    assert items["free_tier"] == (1, -0.10)


def test_a_math_alarm_is_billed_for_every_metric_it_reads_not_for_expressions(tmp_path: Path) -> None:
    items = cost_of(tmp_path, {"A": math_alarm(3)})
    assert items["alarm_metrics"] == (3, pytest.approx(0.30))


def test_a_composite_alarm(tmp_path: Path) -> None:
    items = cost_of(tmp_path, {"C": composite()})
    assert items == {"composite_alarms": (1, 0.50)}


def test_metrics_insights_alarms_take_their_series_from_the_option_and_say_so(tmp_path: Path) -> None:
    resources = {"Q1": insights_alarm(), "Q2": insights_alarm()}
    assert cost_of(tmp_path, resources, series_per_query=40)["metrics_insights_alarm_metrics"] == (80, 8.0)
    usage = count_assembly(tmp_path / "a")
    item = estimate_cost(usage, load_prices()).item("metrics_insights_alarm_metrics")
    assert item is not None and item.quantity == 2 and "assumed 1 series per query" in item.basis
    assert "--series-per-query" in item.basis
    # a query processes at most 10,000 metrics (Metrics Insights quotas)
    assert cost_of(tmp_path, {"Q": insights_alarm()}, series_per_query=25_000)["metrics_insights_alarm_metrics"] \
        == (10_000, 1000.0)
    # and Metrics Insights alarm metrics are not in the free tier
    assert "free_tier" not in cost_of(tmp_path, resources, series_per_query=3)


def test_high_resolution_alarms_plain_and_math(tmp_path: Path) -> None:
    items = cost_of(tmp_path, {"H": plain_alarm(period=10), "M": math_alarm(2, period=30), "S": plain_alarm(60)})
    assert items["high_resolution_alarm_metrics"] == (3, pytest.approx(0.90))
    assert items["alarm_metrics"] == (1, 0.10)
    assert items["free_tier"] == (1, -0.10)  # the free tier covers standard resolution only


def test_an_anomaly_detection_alarm_is_three_metrics(tmp_path: Path) -> None:
    items = cost_of(tmp_path, {"A": anomaly_alarm()})
    assert items == {"anomaly_detection_alarms": (1, 0.30)}


def test_dashboards_and_the_free_tier_of_three_small_ones(tmp_path: Path) -> None:
    resources = {f"D{i}": dashboard(m) for i, m in enumerate((10, 50, 51, 200, 3))}
    items = cost_of(tmp_path, resources)
    assert items["dashboards"] == (5, 15.0)
    assert items["free_tier"] == (1, -9.0)  # 10, 50 and 3 metrics: three free; 51 and 200 are not
    resources = {f"D{i}": dashboard(60) for i in range(2)} | {f"A{i}": plain_alarm() for i in range(14)}
    items = cost_of(tmp_path / "b", resources)
    assert items["free_tier"] == (1, -1.0)  # ten alarm metrics; no dashboard of 50 metrics or fewer


def test_totals_with_and_without_the_free_tier(tmp_path: Path) -> None:
    resources = {"A": plain_alarm(), "M": math_alarm(3), "C": composite(), "D": dashboard(5), "D2": dashboard(80)}
    usage = count_assembly(write_assembly(tmp_path / "a", {"S.template.json": resources}))
    report = estimate_cost(usage, load_prices())
    data = report.to_json()
    assert data["monthly_total"] == pytest.approx(sum(i["monthly"] for i in data["items"]))
    # 4 alarm metrics 0.40 + composite 0.50 + 2 dashboards 6.00 = 6.90; free: 4 x 0.10 + 1 x 3.00
    assert float(report.monthly_before_free_tier) == pytest.approx(6.90)
    assert data["monthly_total"] == pytest.approx(6.90 - 3.40)
    assert set(data) == {"currency", "region", "prices_as_of", "prices", "source", "items", "monthly_total",
                         "not_priced"}
    assert data["currency"] == "USD" and data["region"] == "us-east-1"
    table = report.table()
    assert "total without the free tier" in table and "6.90" in table and "3.50" in table


def test_nested_stacks_and_nested_assemblies_are_counted(tmp_path: Path) -> None:
    root = write_assembly(tmp_path / "a", {
        "Top.template.json": {"A": plain_alarm(), "N": {"Type": "AWS::CloudFormation::Stack",
                                                      "Properties": {"TemplateURL": "x"}}},
        "TopShards0Shard001ABCD.nested.template.json": {"B": math_alarm(2), "C": composite()},
        "assembly-Stage/Stage-Other.template.json": {"D": dashboard(100)},
    })
    usage = count_assembly(root)
    assert usage.templates == 3
    assert (usage.alarm_metrics, usage.composite_alarms, usage.dashboards) == (3, 1, 1)


# ------------------------------------------------------------------ the trail

def test_data_events_and_storage_from_a_daily_count(tmp_path: Path) -> None:
    usage = count_assembly(write_assembly(tmp_path / "a", {"S.template.json": {"T": data_trail()}}))
    report = estimate_cost(usage, load_prices(), given_volume(100_000))
    events, storage = report.item("trail_data_events"), report.item("trail_storage")
    assert events is not None and storage is not None
    # 100,000 a day x 730 h / 24 h = 3,041,667 events at $0.10 per 100,000
    assert events.quantity == 3_041_667 and float(events.monthly) == pytest.approx(3.0417)
    # 90 days of 100,000 events of 400 bytes in S3 Standard
    assert float(storage.quantity) == pytest.approx(90 * 100_000 * 400 / 2**30, abs=1e-4)
    assert float(storage.monthly) == pytest.approx(90 * 100_000 * 400 / 2**30 * 0.023, abs=1e-4)
    untold = estimate_cost(usage, load_prices()).item("trail_data_events")
    assert untold is not None and untold.quantity == 0 and "--data-events-per-day" in untold.basis


def test_data_events_measured_from_delivered_logs(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "logs", damaged=(), seed=5)
    data = management = size = in_window = 0
    for path in tree.log_files:  # an independent count of what was written
        size += path.stat().st_size
        for record in json.loads(gzip.decompress(path.read_bytes()))["Records"]:
            if record["eventCategory"] == "Data":
                data += 1
                in_window += "2024-05-01" <= record["eventTime"] < "2024-05-03"
            else:
                management += 1
    assert management > 0
    volume = measured_volume(str(tree.root))
    # the generator's events lie on 2024-04-30 (delivered after midnight) to 2024-05-03: four days
    assert float(volume.events_per_day) == pytest.approx(data / 4)
    assert float(volume.bytes_per_event) == pytest.approx(size / data)
    assert "measured" in volume.basis and not volume.skipped
    window = measured_volume(str(tree.root), since="2024-05-01", until="2024-05-02")
    assert float(window.events_per_day) == pytest.approx(in_window / 2)  # two whole days


# ------------------------------------------------------------------ assembly and plan agree

@pytest.fixture(scope="module")
def example_assembly() -> Path:
    app = new_app()
    MonitoringStack(app, config=load_config(EXAMPLE))
    return Path(app.synth().directory)


def independent_count(root: Path) -> dict[str, int]:
    """Alarms, metrics they read, composites and dashboards of every template, counted here."""
    counts = {"alarms": 0, "metric_stats": 0, "insights": 0, "composites": 0, "dashboards": 0}
    for path in root.rglob("*.template.json"):
        for resource in json.loads(path.read_text())["Resources"].values():
            kind, props = resource["Type"], resource.get("Properties", {})
            if kind == "AWS::CloudWatch::Alarm":
                counts["alarms"] += 1
                entries = props.get("Metrics")
                if entries is None:
                    counts["metric_stats"] += 1
                elif any(str(e.get("Expression", "")).startswith("SELECT") for e in entries):
                    counts["insights"] += 1
                else:
                    counts["metric_stats"] += sum(1 for e in entries if "MetricStat" in e)
            counts["composites"] += kind == "AWS::CloudWatch::CompositeAlarm"
            counts["dashboards"] += kind == "AWS::CloudWatch::Dashboard"
    return counts


def test_example_assembly_and_plan_agree(example_assembly: Path) -> None:
    config = load_config(EXAMPLE)
    planned = count_config(config)
    [series] = set(planned.metrics_insights_series)  # the example's one transform job: one host each
    from_plan = estimate_cost(planned, load_prices(), given_volume(20_000))
    from_assembly = estimate_cost(count_assembly(example_assembly, series_per_query=series), load_prices(),
                             given_volume(20_000))
    assert items_of(from_plan) == items_of(from_assembly)
    assert from_plan.monthly_total == from_assembly.monthly_total
    counts = independent_count(example_assembly)
    items = items_of(from_assembly)
    assert items["alarm_metrics"][0] == counts["metric_stats"] > counts["alarms"] - counts["insights"]
    assert items["metrics_insights_alarm_metrics"][0] == counts["insights"] * series
    assert items["composite_alarms"][0] == counts["composites"] == 6  # one per endpoint of the example
    assert items["dashboards"][0] == counts["dashboards"]
    assert items["trail_data_events"][0] == round(20_000 * 730 / 24)
    from_assembly_usage = count_assembly(example_assembly, series_per_query=series)
    # the failure events (on by default): rules, dead-letter queue and archive are billed by use, named once
    assert planned.by_use == from_assembly_usage.by_use >= {"AWS::Events::Rule", "AWS::SQS::Queue", "AWS::Logs::LogGroup"}
    assert "AWS::Events::Rule: EventBridge: AWS service events on the default bus (SageMaker's failure events) are free" \
        in from_assembly.table()


def test_sharded_assembly_and_plan_agree(tmp_path: Path) -> None:
    data = {"stack_name": "CostShards", "trail": {"enabled": False}, "shards": 2, "alarm_emails": ["a@example.com"],
            "endpoints": [{"name": f"ep-{i}", "variants": ["A", "B"]} for i in range(5)],
            "training_jobs": [{"name": "t-1", "instance_count": 12}],
            "alarm_mode": {"feature_groups": "fleet"}, "feature_groups": ["fg-1", "fg-2"]}
    config = config_from_mapping(data)
    app = new_app()
    MonitoringStack(app, config=config)
    root = Path(app.synth().directory)
    assert list(root.glob("*.nested.template.json")), "expected nested shard stacks"
    planned = count_config(config)
    # three fleet alarms over two feature groups of three operations (GetRecord, PutRecord, DeleteRecord) each
    assert planned.metrics_insights_series == [6, 6, 6]
    from_assembly = count_assembly(root)
    assert items_of(estimate_cost(planned, load_prices())).keys() == \
        items_of(estimate_cost(from_assembly, load_prices())).keys()
    for name in ("alarm_metrics", "high_resolution_alarm_metrics", "composite_alarms", "dashboards",
                 "metrics_insights_alarms", "data_event_trails", "by_use"):
        assert getattr(planned, name) == getattr(from_assembly, name), name
    assert sorted(planned.dashboard_metrics) == sorted(from_assembly.dashboard_metrics)
    counts = independent_count(root)
    assert planned.alarm_metrics == counts["metric_stats"] and planned.composite_alarms == counts["composites"] == 5


def test_signals_assembly_and_plan_agree() -> None:
    """The newer signals: a silence guard (math over two metrics), model-quality MAX() over two spellings, per-container
    MAX(), worst-instance Metrics Insights alarms (one series per instance of each enhanced endpoint)."""
    config = load_config(EXAMPLE.parent / "signals.yaml")
    app = new_app()
    MonitoringStack(app, config=config)
    root = Path(app.synth().directory)
    planned = count_config(config)
    assert planned.metrics_insights_series == [1, 1]  # the one enhanced endpoint: one variant, one instance
    from_assembly = count_assembly(root, series_per_query=1)
    assert items_of(estimate_cost(planned, load_prices())) == items_of(estimate_cost(from_assembly, load_prices()))
    counts = independent_count(root)
    assert planned.alarm_metrics == counts["metric_stats"] and planned.metrics_insights_alarms == counts["insights"] == 2
    assert sorted(planned.dashboard_metrics) == sorted(from_assembly.dashboard_metrics)


# ------------------------------------------------------------------ prices

def test_price_file_overrides_single_prices(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"dashboards": 2.5, "alarm_metrics": "0.2"}))
    prices = load_prices("us-east-1", path)
    assert (float(prices["dashboards"]), float(prices["alarm_metrics"]), float(prices["composite_alarms"])) == \
        (2.5, 0.2, 0.5)
    usage = count_assembly(write_assembly(tmp_path / "a", {"S.template.json": {"A": plain_alarm(),
                                                                               "D": dashboard(80)}}))
    assert items_of(estimate_cost(usage, prices)) == {"alarm_metrics": (1, 0.2), "dashboards": (1, 2.5),
                                                 "free_tier": (1, -0.2)}


def test_a_region_outside_the_table_needs_every_price(tmp_path: Path) -> None:
    with pytest.raises(CostInputError, match="ca-central-1.*no list prices.*--live-prices"):
        load_prices("ca-central-1")
    path = tmp_path / "eu.yaml"
    path.write_text("dashboards: 3\n")
    with pytest.raises(CostInputError, match="missing: alarm_metrics"):
        load_prices("ca-central-1", path)
    every = {"alarm_metrics": 0.1, "high_resolution_alarm_metrics": 0.3, "composite_alarms": 0.5,
             "metrics_insights_alarm_metrics": 0.1, "anomaly_detection_alarms": 0.3, "dashboards": 3,
             "trail_data_events": 0.000001, "trail_storage": 0.024, "custom_metrics": 0.3}
    path.write_text(json.dumps(every))
    every["kms_keys"] = 1
    path.write_text(json.dumps(every))
    prices = load_prices("ca-central-1", path)
    assert prices.region == "ca-central-1" and float(prices["trail_storage"]) == 0.024 and str(path) in prices.source
    assert prices.missing == ()


def test_custom_metrics_are_priced_with_their_free_ten(tmp_path: Path) -> None:
    usage = count_assembly(write_assembly(tmp_path / "a", {"S.template.json": {"C": composite()}}))
    usage.custom_metrics = 25
    items = items_of(estimate_cost(usage, load_prices()))
    assert items["custom_metrics"] == (25, 7.5) and items["free_tier"] == (1, -3.0)


# ------------------------------------------------------------------ the command

def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_json_of_an_assembly(capsys: pytest.CaptureFixture[str], example_assembly: Path) -> None:
    code, out, err = run(capsys, "cost", str(example_assembly), "--format", "json", "--data-events-per-day", "1000")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["monthly_total"] == pytest.approx(sum(i["monthly"] for i in data["items"]))
    names = [i["item"] for i in data["items"]]
    assert names[-1] == "free_tier" and {"alarm_metrics", "composite_alarms", "dashboards",
                                          "trail_data_events", "trail_storage"} <= set(names)
    for item in data["items"]:
        assert item["monthly"] == pytest.approx(item["quantity"] * item["unit_price"], abs=1e-4)


def test_cli_plan_path_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "cost", "--config", str(EXAMPLE))
    assert code == 0 and err == ""
    assert out.startswith(f"Monthly estimate of the plan of {EXAMPLE}") and "alarm_metrics" in out
    assert "series per query from the plan" in out


@pytest.mark.parametrize("setup, argv, message", [
    (lambda d: d.mkdir(), [], "not a cloud assembly (no manifest.json)"),
    (lambda d: None, [], "no such directory"),
    (lambda d: (write_assembly(d, {}), (d / "S.template.json").write_text("{\"Resources\": ")), [],
     "the template does not parse (line 1"),
    (lambda d: write_assembly(d, {"S.template.json": {}}), ["--prices", "{d}/p.json"], "unknown item 'alarms'"),
    (lambda d: write_assembly(d, {"S.template.json": {}}), ["--prices", "{d}/n.json"], "is negative"),
    (lambda d: write_assembly(d, {"S.template.json": {}}), ["--region", "xx-east-9"], "no list prices"),
    (lambda d: write_assembly(d, {"S.template.json": {}}), ["--series-per-query", "-1"], "negative"),
])
def test_cli_bad_input_is_one_line_and_exit_1(capsys: pytest.CaptureFixture[str], tmp_path: Path, setup: Any,
                                              argv: list[str], message: str) -> None:
    target = tmp_path / "out"
    setup(target)
    (tmp_path / "p.json").write_text(json.dumps({"alarms": 1}))
    (tmp_path / "n.json").write_text(json.dumps({"dashboards": -3}))
    argv = [a.replace("{d}", str(tmp_path)) for a in argv]
    code, out, err = run(capsys, "cost", str(target), *argv)
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err and "Traceback" not in err


def test_cli_partial_trail_measure_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                           example_assembly: Path) -> None:
    tree = write_tree(tmp_path / "logs", seed=3)  # with a truncated and a non-JSON log file
    code, out, err = run(capsys, "cost", str(example_assembly), "--from-trail", str(tree.root))
    assert code == 2 and "trail_data_events" in out and "measured" in out
    assert "partial measure: 2 log file(s)" in err


# ------------------------------------------------------------------ the annotation at synth

def test_the_stack_gets_the_estimate_as_info_and_it_can_be_turned_off() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Cost", env=TEST_ENV)
    SageMakerMonitoring(stack, "Monitoring", endpoints=["a", "b"], alarm_emails=["ops@example.com"])
    quiet = cdk.Stack(app, "Quiet", env=TEST_ENV)
    SageMakerMonitoring(quiet, "Monitoring", endpoints=["a", "b"], alarm_emails=["ops@example.com"], cost_annotation=False)
    infos = cdk.assertions.Annotations.from_stack(stack).find_info("*", cdk.assertions.Match.string_like_regexp(
        "Estimated monthly cost"))
    assert len(infos) == 1
    text = infos[0].entry.data
    monitoring = stack.node.find_child("Monitoring")
    planned = estimate_cost(count_plan(monitoring.config, monitoring.plan), load_prices())  # type: ignore[attr-defined]
    assert f"${planned.monthly_before_free_tier:,.2f}" in text and "us-east-1 list prices" in text
    assert not cdk.assertions.Annotations.from_stack(stack).find_warning("*", cdk.assertions.Match.any_value())
    assert not cdk.assertions.Annotations.from_stack(quiet).find_info("*", cdk.assertions.Match.string_like_regexp(
        "Estimated monthly cost"))
    assert config_from_mapping({"cost_annotation": False}).cost_annotation is False

