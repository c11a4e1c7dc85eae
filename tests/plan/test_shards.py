"""Scale: sharding over nested stacks, stable assignment, fleet-wide Metrics Insights alarms, limits.

The sharding mechanism is proved on a small fleet with lowered per-stack limits (``ShardLimits``), so
it synthesizes in seconds; the full-size run (5,000 endpoints through the real CLI) is
``bench/fleet_target.py``. Every synthesized template is checked with ``check_assembly``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker_monitoring import MonitoringStack, SageMakerMonitoring, ShardLimits, check_assembly
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from cdk_sagemaker_monitoring.errors import ConfigurationError
from cdk_sagemaker_monitoring.plan import limits as L
from cdk_sagemaker_monitoring.plan import plan_monitoring
from cdk_sagemaker_monitoring.plan.limits import LimitExceeded
from cdk_sagemaker_monitoring.plan.shards import OVERVIEW_STACK, group_stack_suffix, shard_key, shard_number
from cdk_sagemaker_monitoring.verification.expected import expected
from support.synth import TEST_ENV, cfn_lint, nag_findings, new_app

LOW = ShardLimits(resources=50, template_bytes=150_000, outputs=6, widgets=40, metrics=150, operation=150)
"""Lowered per-stack limits: a couple of dozen endpoints need several shards, in several shard groups."""
ENDPOINTS = [f"ep-{i:03d}" for i in range(24)]


def fleet(endpoints: list[str] = ENDPOINTS) -> dict[str, Any]:
    """A small fleet with every family (the keyword arguments / YAML keys)."""
    return {
        "endpoints": [*endpoints[:-2], {"name": endpoints[-2], "variants": ["AllTraffic", "Canary"]},
                      {"name": endpoints[-1], "gpu": 2}],
        "training_jobs": ["train-a", {"name": "train-b", "instance_count": 4}],
        "processing_jobs": ["proc-a"], "transform_jobs": ["xform-a"], "feature_groups": ["fg-a", "fg-b"],
        "pipelines": [{"name": "pipe-a", "steps": ["prep", "train"]}], "labeling_jobs": ["label-a"],
        "workteams": ["team-a"], "alarm_emails": ["oncall@example.com"],
    }


def build_low(app: cdk.App) -> SageMakerMonitoring:
    stack = cdk.Stack(app, "Fleet", env=TEST_ENV)
    return SageMakerMonitoring(stack, "Monitoring", **fleet(), shard_limits=LOW)


def templates(outdir: Path) -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text()) for p in outdir.glob("*.template.json")}


def of_type(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template.get("Resources", {}).items() if r["Type"] == kind}


@pytest.fixture(scope="module")
def low() -> tuple[SageMakerMonitoring, Path]:
    app = new_app()
    monitoring = build_low(app)
    app.synth()
    return monitoring, Path(app.outdir)


# ----------------------------------------------------------------------------- sharding with lowered limits

def test_small_configuration_stays_one_stack() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Small", env=TEST_ENV)
    monitoring = SageMakerMonitoring(stack, "Monitoring", **fleet(ENDPOINTS[:10]))
    assert monitoring.plan.layout is None and monitoring.nested_stacks == {}
    assert not [c for c in stack.node.find_all() if isinstance(c, cdk.NestedStack)]


def test_lowered_limits_shard_and_every_template_is_within_them(low) -> None:
    monitoring, outdir = low
    layout = monitoring.plan.layout
    assert layout is not None and layout.automatic and len(layout.shards) >= 4
    report = check_assembly(outdir, max_resources=LOW.resources, max_bytes=LOW.template_bytes, max_outputs=LOW.outputs,
                            max_operation=LOW.operation)
    assert report.ok, report.violations
    # top level, one top-level stack per further shard group, shards, overview
    assert len(report.templates) == 1 + len(layout.groups) + len(layout.shards) + 1
    for shard in layout.shards:  # resource pages also within the lowered page limits
        assert all(p.widget_count <= LOW.widgets and p.metric_count <= LOW.metrics for p in shard.dashboards)
        assert shard.estimated_bytes >= Path(outdir, monitoring.nested_stacks[shard.key].template_file).stat().st_size


def test_every_alarm_is_rendered_once_somewhere(low) -> None:
    monitoring, outdir = low
    names = [r["Properties"]["AlarmName"] for t in templates(outdir).values() for r in t["Resources"].values()
             if r["Type"] in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")]
    assert sorted(names) == sorted(monitoring.alarm_names)
    dashboards = [r["Properties"]["DashboardName"] for t in templates(outdir).values()
                  for r in of_type(t, "AWS::CloudWatch::Dashboard").values()]
    assert sorted(dashboards) == sorted(monitoring.dashboard_names)


def test_resources_go_to_the_shard_their_name_hashes_to(low) -> None:
    monitoring, outdir = low
    layout = monitoring.plan.layout
    for shard in layout.shards:
        template = json.loads(Path(outdir, monitoring.nested_stacks[shard.key].template_file).read_text())
        held = {r["Properties"]["AlarmName"].split("/")[2]
                for r in of_type(template, "AWS::CloudWatch::Alarm").values()}
        assert held and all(shard_number(r.kind, r.name, layout.count) == shard.number for r in shard.resources)
        assert held == {r.name for r in shard.resources if r.alarms}


def test_alarms_in_shards_are_reachable_as_l1s(low) -> None:
    monitoring, _ = low
    shard = next(s for s in monitoring.plan.layout.shards if s.group > 0 and s.resources[0].alarms)
    alarm = shard.resources[0].alarms[0]
    found = monitoring.alarm(alarm.name)
    assert found.alarm_name == alarm.name and cdk.Stack.of(found) is monitoring.nested_stacks[shard.key]


def test_nested_stack_ids_derive_from_shard_keys(low) -> None:
    monitoring, outdir = low
    layout = monitoring.plan.layout
    for group in (0, *layout.groups):
        name = "Fleet.template.json" if group == 0 else f"Fleet{group_stack_suffix(group)}.template.json"
        stacks = of_type(templates(outdir)[name], "AWS::CloudFormation::Stack")
        keys = {s.key for s in layout.shards if s.group == group} | ({OVERVIEW_STACK} if group == 0 else set())
        assert len(stacks) == len(keys)
        assert {next(k for k in keys if f"Shards{k}NestedStack" in logical) for logical in stacks} == keys


def test_shard_groups_keep_each_deployment_within_the_operation_limit(low) -> None:
    monitoring, outdir = low
    layout = monitoring.plan.layout
    assert layout.group_size == LOW.operation // LOW.resources - 1 and len(layout.groups) >= 2
    assert all(s.group == s.number // layout.group_size for s in layout.shards)
    assert sorted(monitoring.shard_stacks) == list(layout.groups)
    report = check_assembly(outdir, max_operation=LOW.operation)
    deployments = {t.path: t.operation for t in report.templates if t.operation}
    assert len(deployments) == 1 + len(layout.groups) and max(deployments.values()) <= LOW.operation
    assert sum(deployments.values()) == report.resources  # every resource in exactly one deployment
    for group, stack in monitoring.shard_stacks.items():
        assert stack.stack_name == f"Fleet{group_stack_suffix(group)}"
        assert stack.dependencies == [cdk.Stack.of(monitoring)]


def test_guardrail_outputs_live_in_the_shards_when_the_top_level_cannot_hold_them(low) -> None:
    monitoring, outdir = low
    parent = templates(outdir)["Fleet.template.json"]
    assert not [k for k in parent.get("Outputs", {}) if k.startswith("Guardrails")]
    for shard in monitoring.plan.layout.shards:
        template = json.loads(Path(outdir, monitoring.nested_stacks[shard.key].template_file).read_text())
        outputs = {k: v["Value"] for k, v in template.get("Outputs", {}).items() if k.startswith("Guardrails")}
        assert outputs == {f"Guardrails{r.id}": ",".join(r.guardrail_alarm_names)
                           for r in shard.resources if r.guardrail_alarm_names}
        assert len(outputs) <= LOW.outputs


def test_overview_is_one_page_of_search_graphs_linking_every_page(low) -> None:
    monitoring, _ = low
    overview = monitoring.plan.overview
    body = json.loads(overview.body())
    searches = [m[0]["expression"] for w in body["widgets"] if w["type"] == "metric"
                for m in w["properties"]["metrics"] if isinstance(m[0], dict)]
    assert searches and all(e.startswith("SEARCH(") for e in searches)
    links = next(w["properties"]["markdown"] for w in body["widgets"] if "Resource pages" in str(w))
    pages = [d for s in monitoring.plan.layout.shards for d in s.dashboards]
    assert all(f"#dashboards/dashboard/{p.name})" in links for p in pages)


def test_sharded_templates_are_cfn_lint_clean(low) -> None:
    monitoring, outdir = low
    shard = max(monitoring.plan.layout.shards, key=lambda s: s.resource_count)
    grouped = next(s for s in monitoring.plan.layout.shards if s.group > 0)  # reads the topic from the top level
    for name in ("Fleet.template.json", f"Fleet{group_stack_suffix(grouped.group)}.template.json",
                 monitoring.nested_stacks[shard.key].template_file, monitoring.nested_stacks[grouped.key].template_file,
                 monitoring.nested_stacks[OVERVIEW_STACK].template_file):
        assert cfn_lint(json.loads(Path(outdir, name).read_text())) == [], name


def test_sharded_fleet_is_cdk_nag_clean_in_four_packs() -> None:
    assert nag_findings(build_low) == []


def test_an_explicit_shard_count_too_small_is_refused_with_one_that_fits() -> None:
    config = validate(MonitoringConfig, {**fleet(), "shards": 2})
    with pytest.raises(LimitExceeded) as info:
        plan_monitoring(config, shard_limits=LOW)
    assert isinstance(info.value, ConfigurationError) and info.value.field == "shards"
    assert "more than" in info.value.problem and "raise shards (to " in info.value.fix
    suggested = int(info.value.fix.split("raise shards (to ")[1].split(" ")[0])
    fixed = plan_monitoring(config.model_copy(update={"shards": suggested}), shard_limits=LOW)
    assert fixed.layout is not None and fixed.layout.count == suggested


def test_shards_zero_keeps_one_stack_and_refuses_what_does_not_fit() -> None:
    config = validate(MonitoringConfig, {**fleet(), "shards": 0})
    with pytest.raises(LimitExceeded) as info:
        plan_monitoring(config, shard_limits=LOW)
    assert info.value.field == "shards" and "one stack would hold" in info.value.problem


# ----------------------------------------------------------------------------- stable assignment

SHARDS = 5


def _synth_app(endpoints: list[str]) -> tuple[MonitoringStack, Path]:
    app = new_app()
    stack = MonitoringStack(app, config={"stack_name": "Stable", "trail": {"enabled": False}, "shards": SHARDS,
                                         **fleet(endpoints)})
    app.synth()
    return stack, Path(app.outdir)


@pytest.fixture(scope="module")
def variants() -> dict[str, tuple[MonitoringStack, Path]]:
    middle = len(ENDPOINTS) // 2
    return {
        "base": _synth_app(ENDPOINTS),
        "first": _synth_app(["aaa-first", *ENDPOINTS]),
        "middle": _synth_app([*ENDPOINTS[:middle], "ep-011b", *ENDPOINTS[middle:]]),
        "removed": _synth_app([e for e in ENDPOINTS if e != "ep-007"]),
    }


def _nested(stack: MonitoringStack, outdir: Path) -> dict[str, bytes]:
    return {key: Path(outdir, nested.template_file).read_bytes()
            for key, nested in stack.monitoring.nested_stacks.items()}


@pytest.mark.parametrize("variant, endpoint", [("first", "aaa-first"), ("middle", "ep-011b"), ("removed", "ep-007")])
def test_a_change_touches_only_its_own_shard(variants, variant: str, endpoint: str) -> None:
    base, changed = _nested(*variants["base"]), _nested(*variants[variant])
    differing = {k for k in base.keys() | changed.keys() if base.get(k) != changed.get(k)}
    # the overview lists every endpoint's composite alarm: it changes with any endpoint
    assert differing == {shard_key(shard_number("endpoint", endpoint, SHARDS)), OVERVIEW_STACK}
    assert len(base) >= 4


def test_guardrail_outputs_reach_the_top_level_when_they_fit(variants) -> None:
    stack, outdir = variants["base"]
    outputs = templates(outdir)["Stable.template.json"]["Outputs"]
    for resource in stack.monitoring.plan.resources:
        if resource.kind == "endpoint":
            value = outputs[f"Guardrails{resource.id}"]["Value"]
            assert value.split(",") == stack.monitoring.guardrail_alarm_names(resource.name)


def test_verify_expects_the_dashboards_the_sharded_stack_has(variants) -> None:
    stack, outdir = variants["base"]
    synthesized = sorted(r["Properties"]["DashboardName"] for t in templates(outdir).values()
                         for r in of_type(t, "AWS::CloudWatch::Dashboard").values())
    assert synthesized == sorted(expected(stack.config).dashboard_names)
    assert any("-Shard" in name for name in synthesized)


def test_assignment_is_the_same_in_every_process() -> None:
    code = ("from cdk_sagemaker_monitoring.plan.shards import shard_number as s;"
            "print([s('endpoint', f'ep-{i}', 37) for i in range(200)])")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1
    assert json.loads(runs.pop()) == [shard_number("endpoint", f"ep-{i}", 37) for i in range(200)]


def test_one_more_shard_moves_only_what_goes_to_the_new_one() -> None:
    names = [f"endpoint-{i:05d}" for i in range(3000)]
    before = [shard_number("endpoint", n, 40) for n in names]
    after = [shard_number("endpoint", n, 41) for n in names]
    moved = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert all(a == 40 for _, a in moved)
    assert 0.5 / 41 < len(moved) / len(names) < 2 / 41
    assert set(before) == set(range(40))


# ----------------------------------------------------------------------------- fleet alarms and the quota

@pytest.fixture(scope="module")
def fleet_mode() -> tuple[SageMakerMonitoring, dict[str, Any]]:
    app = new_app()
    stack = cdk.Stack(app, "FleetAlarms", env=TEST_ENV)
    monitoring = SageMakerMonitoring(stack, "Monitoring", **fleet(ENDPOINTS[:6]),
                                     alarm_mode={"endpoints": "fleet", "training_jobs": "both"})
    app.synth()
    return monitoring, cdk.assertions.Template.from_stack(stack).to_json()


def test_fleet_alarms_watch_every_resource_as_contributors(fleet_mode) -> None:
    monitoring, template = fleet_mode
    alarms = {r["Properties"]["AlarmName"]: r["Properties"]
              for r in of_type(template, "AWS::CloudWatch::Alarm").values()}
    endpoint_fleet = {n: p for n, p in alarms.items() if n.startswith("SageMaker/Endpoint/")}
    assert endpoint_fleet and all("/_fleet/" in n for n in endpoint_fleet)  # no per-endpoint alarms left
    for props in endpoint_fleet.values():
        (query,) = props["Metrics"]
        assert query["ReturnData"] is True and query["Period"] == 60 * (query["Period"] // 60) > 0
        assert "FROM SCHEMA(" in query["Expression"]
        assert " GROUP BY EndpointName ORDER BY " in query["Expression"]
        assert query["Expression"].endswith(f"LIMIT {L.MAX_SERIES_PER_SEARCH}")
    training = [n for n in alarms if n.startswith("SageMaker/TrainingJob/")]
    assert any("/_fleet/" in n for n in training) and any("/train-a/" in n for n in training)  # both
    assert not of_type(template, "AWS::CloudWatch::CompositeAlarm")  # nothing per endpoint to roll up
    assert monitoring.guardrail_alarm_names(ENDPOINTS[0]) == []


def test_fleet_alarms_are_cfn_lint_clean(fleet_mode) -> None:
    assert cfn_lint(fleet_mode[1]) == []


def test_fleet_alarms_beyond_the_metrics_insights_quota_are_refused() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Quota", env=TEST_ENV)
    with pytest.raises(LimitExceeded) as info:
        SageMakerMonitoring(stack, "Monitoring", **fleet(ENDPOINTS[:3]), alarm_mode="fleet",
                            metrics_insights_alarm_quota=10)
    assert info.value.field == "alarm_mode"
    plan = plan_monitoring(validate(MonitoringConfig, {**fleet(ENDPOINTS[:3]), "alarm_mode": "fleet"}))
    needed = len([a for a in plan.fleet_alarms if a.query])
    assert f"need {needed} Metrics Insights alarms" in info.value.problem and "10" in info.value.problem
    assert stack.node.children == []


def test_the_default_quota_is_cloudwatchs() -> None:
    assert MonitoringConfig().metrics_insights_alarm_quota == L.MAX_METRICS_INSIGHTS_ALARMS_PER_REGION == 200


# ----------------------------------------------------------------------------- dashboards at scale (plan only)

def test_dashboards_of_a_large_fleet_stay_within_cloudwatch_limits() -> None:
    config = validate(MonitoringConfig, {**fleet([f"endpoint-{i:05d}" for i in range(2000)]),
                                         "training_jobs": [f"train-{i:04d}" for i in range(400)]})
    plan = plan_monitoring(config)
    assert plan.layout is not None and plan.overview is not None
    for page in plan.all_dashboards:
        body = json.loads(page.body())
        counts = [len(w["properties"].get("metrics", [])) for w in body["widgets"] if w["type"] == "metric"]
        assert len(body["widgets"]) <= L.MAX_WIDGETS_PER_DASHBOARD and sum(counts) <= L.MAX_METRICS_PER_DASHBOARD
        assert max(counts, default=0) <= L.MAX_METRICS_PER_WIDGET
    shown = [k for s in plan.layout.shards for p in s.dashboards for k in p.sections]
    assert sorted(shown) == sorted(f"{r.kind}/{r.name}" for r in plan.resources)  # every resource on one page
