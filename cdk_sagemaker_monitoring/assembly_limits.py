"""Every template of a synthesized cloud assembly (``cdk.out``) against the service limits that bite at deploy time.

Reads the files the CDK CLI would upload (top-level and nested templates, as written) and checks:
CloudFormation's resources, outputs and parameters per template and template bytes, and the resources
of each top-level stack's operation with its nested stacks (2,500); CloudWatch's
widgets and metrics per dashboard and metrics per widget; metrics per metric-math alarm; composite
alarm rules; alarm and dashboard name lengths; and the Metrics Insights alarms of the whole assembly
against the region's quota. The tests and ``bench/fleet_target.py`` use it; so can anyone with a
``cdk.out``::

    python -m cdk_sagemaker_monitoring.assembly_limits cdk.out
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

from .plan import limits as L

MAX_PARAMETERS_PER_STACK = 200
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


@dataclass
class TemplateStats:
    """What one template holds."""

    path: str
    bytes: int
    resources: int
    outputs: int
    parameters: int
    dashboards: int = 0
    max_widgets: int = 0
    """Most widgets on one of its dashboards."""
    max_metrics: int = 0
    """Most metrics on one of its dashboards."""
    alarms: int = 0
    metrics_insights_alarms: int = 0
    operation: int = 0
    """Top-level templates: resources one deployment of it handles, its nested stacks' included (0 for nested)."""


@dataclass
class AssemblyReport:
    """Every template's figures and every limit passed (empty ``violations``: all within limits)."""

    templates: list[TemplateStats] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def resources(self) -> int:
        return sum(t.resources for t in self.templates)

    @property
    def largest(self) -> TemplateStats:
        return max(self.templates, key=lambda t: t.bytes)

    @property
    def metrics_insights_alarms(self) -> int:
        return sum(t.metrics_insights_alarms for t in self.templates)


def templates_of(outdir: str | Path) -> list[Path]:
    """Every template file of the assembly (``*.template.json``, nested ones included, nested assemblies too)."""
    return sorted(Path(outdir).rglob("*.template.json"))


def check_assembly(outdir: str | Path, *, metrics_insights_quota: int = L.MAX_METRICS_INSIGHTS_ALARMS_PER_REGION,
                   max_resources: int = L.MAX_RESOURCES_PER_STACK, max_bytes: int = L.MAX_TEMPLATE_BYTES,
                   max_outputs: int = L.MAX_OUTPUTS_PER_STACK,
                   max_operation: int = L.MAX_RESOURCES_PER_OPERATION) -> AssemblyReport:
    """Check every template under ``outdir``; the per-template limits can be lowered (tests of sharding do)."""
    report = AssemblyReport()
    root = Path(outdir)
    assets = _nested_templates(root)
    for path in templates_of(root):
        stats = _check_template(path, str(path.relative_to(root)), report.violations, max_resources, max_bytes,
                                max_outputs)
        if not path.name.endswith(".nested.template.json"):
            stats.operation = _operation(path, assets)
            if stats.operation > max_operation:
                report.violations.append(f"{stats.path}: one deployment handles {stats.operation:,} resources with its "
                                         f"nested stacks, more than {max_operation:,}")
        report.templates.append(stats)
    if not report.templates:
        report.violations.append(f"{outdir}: no templates")
    insights = report.metrics_insights_alarms
    if insights > metrics_insights_quota:
        report.violations.append(f"{insights} Metrics Insights alarms, more than the quota of {metrics_insights_quota}")
    return report


def _check_template(path: Path, name: str, violations: list[str], max_resources: int, max_bytes: int,
                    max_outputs: int) -> TemplateStats:
    text = path.read_bytes()
    template = json.loads(text)
    resources: dict[str, Any] = template.get("Resources", {})
    stats = TemplateStats(path=name, bytes=len(text), resources=len(resources),
                          outputs=len(template.get("Outputs", {})), parameters=len(template.get("Parameters", {})))
    for count, limit, what in ((stats.resources, max_resources, "resources"), (stats.bytes, max_bytes, "bytes"),
                               (stats.outputs, max_outputs, "outputs"),
                               (stats.parameters, MAX_PARAMETERS_PER_STACK, "parameters")):
        if count > limit:
            violations.append(f"{name}: {count:,} {what}, more than {limit:,}")
    for logical, resource in resources.items():
        kind = resource.get("Type")
        props = resource.get("Properties", {})
        where = f"{name} {logical}"
        if kind == "AWS::CloudWatch::Dashboard":
            stats.dashboards += 1
            widgets, metrics = _check_dashboard(props, where, violations)
            stats.max_widgets, stats.max_metrics = max(stats.max_widgets, widgets), max(stats.max_metrics, metrics)
        elif kind == "AWS::CloudWatch::Alarm":
            stats.alarms += 1
            queries = [m for m in props.get("Metrics", []) if str(m.get("Expression", "")).lstrip().upper()
                       .startswith("SELECT")]
            stats.metrics_insights_alarms += 1 if queries else 0
            stats_count = sum(1 for m in props.get("Metrics", []) if "MetricStat" in m)
            if stats_count > L.MAX_METRICS_PER_MATH_ALARM:
                violations.append(f"{where}: {stats_count} metrics in one metric-math alarm, more than "
                                  f"{L.MAX_METRICS_PER_MATH_ALARM}")
            _check_name(props.get("AlarmName"), L.MAX_ALARM_NAME_CHARS, where, violations)
        elif kind == "AWS::CloudWatch::CompositeAlarm":
            rule = props.get("AlarmRule")
            if isinstance(rule, str) and len(rule) > L.MAX_COMPOSITE_RULE_CHARS:
                violations.append(f"{where}: composite rule of {len(rule)} characters")
            _check_name(props.get("AlarmName"), L.MAX_ALARM_NAME_CHARS, where, violations)
    return stats


def _nested_templates(root: Path) -> dict[str, Path]:
    """Asset hash -> nested template file, from the assets manifests."""
    out: dict[str, Path] = {}
    for manifest in root.rglob("*.assets.json"):
        for key, asset in json.loads(manifest.read_text()).get("files", {}).items():
            path = asset.get("source", {}).get("path", "")
            if path.endswith(".template.json"):
                out[key] = manifest.parent / path
    return out


def _operation(path: Path, assets: dict[str, Path], depth: int = 0) -> int:
    """Resources of the template at ``path`` plus, recursively, those of its nested stacks."""
    resources = json.loads(path.read_text()).get("Resources", {})
    total = len(resources)
    for resource in resources.values():
        if resource.get("Type") == "AWS::CloudFormation::Stack" and depth < 10:
            url = json.dumps(resource.get("Properties", {}).get("TemplateURL"))
            nested = next((p for key, p in assets.items() if key in url), None)
            if nested is not None:
                total += _operation(nested, assets, depth + 1)
    return total


def _check_name(name: Any, limit: int, where: str, violations: list[str]) -> None:
    if isinstance(name, str) and len(name) > limit:
        violations.append(f"{where}: name of {len(name)} characters, more than {limit}")


def dashboard_body(props: dict[str, Any]) -> Optional[dict[str, Any]]:
    """The dashboard body as data (``${...}`` placeholders blanked), or ``None`` when it is not a literal."""
    body = props.get("DashboardBody")
    if isinstance(body, dict) and "Fn::Sub" in body:
        body = body["Fn::Sub"]
        body = body[0] if isinstance(body, list) else body
    if not isinstance(body, str):
        return None
    return json.loads(_PLACEHOLDER.sub("x", body))


def _check_dashboard(props: dict[str, Any], where: str, violations: list[str]) -> tuple[int, int]:
    _check_name(props.get("DashboardName"), L.MAX_DASHBOARD_NAME_CHARS, where, violations)
    body = dashboard_body(props)
    if body is None:
        violations.append(f"{where}: dashboard body is not a literal, cannot count its widgets")
        return 0, 0
    widgets = body.get("widgets", [])
    metrics = 0
    for i, widget in enumerate(widgets):
        count = len(widget.get("properties", {}).get("metrics", [])) if widget.get("type") == "metric" else 0
        if count > L.MAX_METRICS_PER_WIDGET:
            violations.append(f"{where}: widget {i} has {count} metrics, more than {L.MAX_METRICS_PER_WIDGET}")
        metrics += count
    if len(widgets) > L.MAX_WIDGETS_PER_DASHBOARD:
        violations.append(f"{where}: {len(widgets)} widgets, more than {L.MAX_WIDGETS_PER_DASHBOARD}")
    if metrics > L.MAX_METRICS_PER_DASHBOARD:
        violations.append(f"{where}: {metrics} metrics, more than {L.MAX_METRICS_PER_DASHBOARD}")
    return len(widgets), metrics


def format_report(report: AssemblyReport) -> Iterable[str]:
    largest = report.largest
    top = sum(1 for t in report.templates if not t.path.endswith(".nested.template.json"))
    yield (f"{len(report.templates)} templates ({top} top-level stacks), {report.resources:,} resources; "
           f"largest {largest.path}: "
           f"{largest.bytes:,} bytes, {largest.resources} resources; most resources in one template: "
           f"{max(t.resources for t in report.templates)}; dashboards: "
           f"{sum(t.dashboards for t in report.templates)} (at most {max(t.max_widgets for t in report.templates)} "
           f"widgets, {max(t.max_metrics for t in report.templates)} metrics); Metrics Insights alarms: "
           f"{report.metrics_insights_alarms}; most resources in one deployment: "
           f"{max(t.operation for t in report.templates):,}")
    yield "within every limit" if report.ok else f"{len(report.violations)} limit(s) passed:"
    yield from (f"  {v}" for v in report.violations)


def main(argv: Optional[list[str]] = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    report = check_assembly(args[0] if args else "cdk.out")
    for line in format_report(report):
        print(line)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
