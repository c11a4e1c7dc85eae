"""The CLI guide's cost table, generated: what ``sagemaker-monitoring cost --config`` gives for the bundled
example and for fleets of endpoints, so the figures in the docs cannot drift from the code.

    python -m docs_ext.cost_figures           # print the table
    python -m docs_ext.cost_figures --write   # put it into docs/guides/cli.md between the markers

``tests/test_docs.py`` compares the page with this output. Larger fleets (5,000 endpoints) and the time
each command takes: ``./dev bench cost_table``.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from cdk_sagemaker_monitoring.config.loader import config_from_mapping, load_config
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from cdk_sagemaker_monitoring.cost import count_plan, estimate_cost, load_prices
from cdk_sagemaker_monitoring.generated_section import between, generator_main, replace_between

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "guides" / "cli.md"
EXAMPLE = ROOT / "examples" / "monitoring.yaml"
BEGIN = "<!-- generated:cost-table (python -m docs_ext.cost_figures --write) -->"
END = "<!-- /generated:cost-table -->"
SIZES = (10, 150)


def fleet(count: int, alarm_mode: str) -> MonitoringConfig:
    """``count`` endpoints as in ``bench/fleet_target.py``: one in ten with two variants, one in twenty with GPUs."""
    endpoints: list[object] = []
    for i in range(count):
        name = f"endpoint-{i:05d}"
        if i % 10 == 3:
            endpoints.append({"name": name, "variants": ["AllTraffic", "Canary"]})
        elif i % 20 == 7:
            endpoints.append({"name": name, "gpu": 4})
        else:
            endpoints.append(name)
    return config_from_mapping({"stack_name": f"Cost{count}", "alarm_emails": ["ml-oncall@example.com"],
                                "alarm_mode": alarm_mode, "endpoints": endpoints, "trail": {"enabled": False}})


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


def row(label: str, config: MonitoringConfig) -> str:
    report = estimate_cost(count_plan(config), load_prices("us-east-1"))
    q = {i.item: i.quantity for i in report.items}
    alarms = q.get("alarm_metrics", 0) + q.get("high_resolution_alarm_metrics", 0)
    return (f"| {label} | {alarms:,} | {q.get('composite_alarms', 0):,} | {q.get('metrics_insights_alarm_metrics', 0):,} "
            f"| {q.get('dashboards', 0):,} | {_money(report.monthly_before_free_tier)} | {_money(report.monthly_total)} |")


def cost_table() -> str:
    """The Markdown table (us-east-1 list prices; the trail's data events left out, they depend on use)."""
    lines = [
        "| configuration | alarm metrics | composite alarms | Metrics Insights metrics analyzed | dashboards "
        "| monthly | after free tier |",
        "|---|---:|---:|---:|---:|---:|---:|",
        row("bundled example (`examples/monitoring.yaml`)", load_config(EXAMPLE)),
    ]
    for size in SIZES:
        for mode in ("per_resource", "fleet"):
            lines.append(row(f"{size} endpoints, {mode}", fleet(size, mode)))
    return "\n".join(lines) + "\n"


def replace_section(text: str, generated: str) -> str:
    return replace_between(text, BEGIN, END, generated)


def current_section(text: str) -> str:
    return between(text, BEGIN, END)


if __name__ == "__main__":
    sys.exit(generator_main(None, prog="python -m docs_ext.cost_figures", description=__doc__ or "", page=PAGE,
                            generate=cost_table, replace=replace_section))
