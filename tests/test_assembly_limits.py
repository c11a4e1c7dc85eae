"""The assembly limit checker flags each limit it knows, on hand-made templates (no synthesis)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from cdk_sagemaker_monitoring.assembly_limits import check_assembly, format_report
from cdk_sagemaker_monitoring.plan import limits as L


def alarm(name: str = "a", metrics: int = 0, query: bool = False) -> dict[str, Any]:
    props: dict[str, Any] = {"AlarmName": name}
    if metrics:
        props["Metrics"] = [{"Id": f"m{i}", "MetricStat": {}} for i in range(metrics)]
    if query:
        props["Metrics"] = [{"Id": "q", "Expression": "SELECT MAX(x) FROM y GROUP BY z ORDER BY MAX() DESC"}]
    return {"Type": "AWS::CloudWatch::Alarm", "Properties": props}


def dashboard(widgets: int, metrics_per_widget: int) -> dict[str, Any]:
    body = {"widgets": [{"type": "metric", "properties": {"region": "${AWS::Region}",
                                                          "metrics": [["ns", "m"]] * metrics_per_widget}}
                        for _ in range(widgets)]}
    return {"Type": "AWS::CloudWatch::Dashboard",
            "Properties": {"DashboardName": "d", "DashboardBody": {"Fn::Sub": json.dumps(body)}}}


def write(tmp_path: Path, name: str, resources: dict[str, Any], outputs: int = 0) -> None:
    template: dict[str, Any] = {"Resources": resources}
    if outputs:
        template["Outputs"] = {f"O{i}": {"Value": "x"} for i in range(outputs)}
    (tmp_path / name).write_text(json.dumps(template))


def test_within_limits_is_ok(tmp_path: Path) -> None:
    write(tmp_path, "Parent.template.json", {"A": alarm(), "D": dashboard(3, 2)}, outputs=2)
    write(tmp_path, "ParentShard.nested.template.json", {"B": alarm("b", metrics=10)})
    report = check_assembly(tmp_path)
    assert report.ok and len(report.templates) == 2 and report.resources == 3
    assert "within every limit" in list(format_report(report))


def test_each_limit_is_flagged(tmp_path: Path) -> None:
    write(tmp_path, "Big.template.json", {f"R{i}": alarm(f"r{i}") for i in range(4)}, outputs=3)
    write(tmp_path, "Math.nested.template.json", {"M": alarm("m", metrics=L.MAX_METRICS_PER_MATH_ALARM + 1),
                                                  "N": alarm("n" * (L.MAX_ALARM_NAME_CHARS + 1))})
    write(tmp_path, "Dash.nested.template.json", {
        "W": dashboard(L.MAX_WIDGETS_PER_DASHBOARD + 1, 1),
        "X": dashboard(1, L.MAX_METRICS_PER_WIDGET + 1),
        "Y": dashboard(6, L.MAX_METRICS_PER_DASHBOARD // 5)})
    report = check_assembly(tmp_path, max_resources=3, max_outputs=2, max_bytes=10_000)
    text = "\n".join(report.violations)
    assert "Big.template.json: 4 resources, more than 3" in text
    assert "Big.template.json: 3 outputs, more than 2" in text
    assert "more than 10,000" in text and "Dash.nested.template.json" in text  # bytes
    assert f"M: {L.MAX_METRICS_PER_MATH_ALARM + 1} metrics in one metric-math alarm" in text
    assert "N: name of 256 characters" in text
    assert f"W: {L.MAX_WIDGETS_PER_DASHBOARD + 1} widgets" in text
    assert f"X: widget 0 has {L.MAX_METRICS_PER_WIDGET + 1} metrics" in text
    assert f"Y: {6 * (L.MAX_METRICS_PER_DASHBOARD // 5)} metrics, more than {L.MAX_METRICS_PER_DASHBOARD}" in text
    assert not report.ok


def test_metrics_insights_alarms_are_counted_across_templates(tmp_path: Path) -> None:
    write(tmp_path, "A.template.json", {"Q1": alarm("q1", query=True), "Q2": alarm("q2", query=True)})
    write(tmp_path, "B.nested.template.json", {"Q3": alarm("q3", query=True), "P": alarm("p")})
    assert check_assembly(tmp_path).metrics_insights_alarms == 3
    report = check_assembly(tmp_path, metrics_insights_quota=2)
    assert report.violations == ["3 Metrics Insights alarms, more than the quota of 2"]


def test_an_empty_directory_is_not_ok(tmp_path: Path) -> None:
    assert not check_assembly(tmp_path).ok


def test_a_deployment_counts_its_nested_stacks(tmp_path: Path) -> None:
    def stack(asset: str) -> dict[str, Any]:
        return {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": {"Fn::Join": ["", [
            "https://s3.", {"Ref": "AWS::URLSuffix"}, f"/bucket/{asset}.json"]]}}}

    write(tmp_path, "Top.template.json", {"A": alarm(), "S1": stack("h1"), "S2": stack("h2")})
    write(tmp_path, "TopOne.nested.template.json", {f"R{i}": alarm(f"r{i}") for i in range(3)})
    write(tmp_path, "TopTwo.nested.template.json", {"Deeper": stack("h3"), "B": alarm("b")})
    write(tmp_path, "TopThree.nested.template.json", {"C": alarm("c"), "D": alarm("d")})
    files = {"h1": "TopOne", "h2": "TopTwo", "h3": "TopThree"}
    (tmp_path / "Top.assets.json").write_text(json.dumps({"files": {
        key: {"source": {"path": f"{name}.nested.template.json", "packaging": "file"}}
        for key, name in files.items()}}))
    report = check_assembly(tmp_path, max_operation=10)
    (top,) = [t for t in report.templates if t.operation]
    assert top.operation == 3 + 3 + 2 + 2 == report.resources
    assert report.ok
    assert check_assembly(tmp_path, max_operation=8).violations == [
        "Top.template.json: one deployment handles 10 resources with its nested stacks, more than 8"]
