#!/usr/bin/env python3
"""The README's cost table, measured with `sagemaker-monitoring cost` (list prices of us-east-1).

    ./dev bench cost_table [--skip-synth]

Rows: the bundled example (synthesized with the pinned CDK CLI, then `cost cdk.out`; also `cost --config`,
which must print the same total) and fleets of 10, 150 and 5,000 endpoints (one in ten with two variants,
one in twenty with GPUs, as in bench/fleet_target.py), each with `alarm_mode: per_resource` and `fleet`,
priced with `cost --config FILE` (nothing synthesized). The trail's data events are left out (they depend
on use: $0.10 per 100,000). Each row's command time is printed beside a baseline measured in the same
run: loading and planning the same file in-process. Last, the bytes one BatchPutMetrics event takes
in the trail's bucket, measured on the real-shaped logs of tests/support/cloudtrail.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SIZES = (10, 150, 5000)
EXAMPLE = ROOT / "examples" / "monitoring.yaml"
CLI = ROOT / ".venv" / "bin" / "sagemaker-monitoring"


def endpoints_yaml(count: int, alarm_mode: str) -> str:
    lines = [f"stack_name: Cost{count}", "alarm_emails: [ml-oncall@example.com]", f"alarm_mode: {alarm_mode}",
             "endpoints:"]
    for i in range(count):
        name = f"endpoint-{i:05d}"
        if i % 10 == 3:
            lines.append(f"  - {{name: {name}, variants: [AllTraffic, Canary]}}")
        elif i % 20 == 7:
            lines.append(f"  - {{name: {name}, gpu: 4}}")
        else:
            lines.append(f"  - {name}")
    return "\n".join(lines) + "\n"


def cost(*argv: str) -> tuple[dict, float]:
    env = dict(os.environ, PATH=f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    started = time.perf_counter()
    done = subprocess.run([str(CLI), "cost", *argv, "--format", "json"], cwd=ROOT, env=env, capture_output=True,
                          text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"cost {' '.join(argv)} failed: {done.stderr}")
    return json.loads(done.stdout), elapsed


def plan_seconds(path: Path) -> float:
    from cdk_sagemaker_monitoring.config.loader import load_config
    from cdk_sagemaker_monitoring.plan import plan_monitoring

    started = time.perf_counter()
    config = load_config(path)
    plan_monitoring(config, dashboard_base=config.dashboard_name or config.stack_name)
    return time.perf_counter() - started


def quantities(report: dict) -> dict[str, float]:
    return {i["item"]: i["quantity"] for i in report["items"]}


def row(label: str, report: dict, seconds: float, baseline: float) -> str:
    q = quantities(report)
    before = sum(i["monthly"] for i in report["items"] if i["item"] != "free_tier")
    alarms = int(q.get("alarm_metrics", 0) + q.get("high_resolution_alarm_metrics", 0))
    return (f"| {label} | {alarms:,} | {int(q.get('composite_alarms', 0)):,} | "
            f"{int(q.get('metrics_insights_alarm_metrics', 0)):,} | {int(q.get('dashboards', 0)):,} | "
            f"${before:,.2f} | ${report['monthly_total']:,.2f} | {seconds:.1f} s (plan alone {baseline:.1f} s) |")


def bytes_per_event() -> str:
    from support.cloudtrail import write_tree

    figures = []
    for per_file in (4, 20, 100):
        with tempfile.TemporaryDirectory() as folder:
            tree = write_tree(Path(folder), accounts=("111111111111",), regions=("us-east-1",),
                              days=(date(2024, 5, 1),), files_per_day=20, events_per_file=per_file,
                              other_events=False, digests=False, damaged=())
            size = sum(p.stat().st_size for p in tree.log_files)
            figures.append(f"{size / (20 * per_file):.0f} bytes at {per_file} events a file")
    return "bytes per stored BatchPutMetrics event (gzip JSON, 1 to 30 data points): " + ", ".join(figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-synth", action="store_true", help="price the example by --config only")
    args = parser.parse_args()
    print("| configuration | alarm metrics | composite alarms | Metrics Insights metrics analyzed | dashboards | "
          "monthly | after free tier | command time |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    baseline = plan_seconds(EXAMPLE)
    planned, seconds = cost("--config", str(EXAMPLE))
    if not args.skip_synth:
        with tempfile.TemporaryDirectory() as out:
            env = dict(os.environ, PATH=f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
            subprocess.run([str(ROOT / "dev"), "synth", "--output", out], cwd=ROOT, env=env, check=True,
                           capture_output=True)
            synthesized, assembly_seconds = cost(out)
        if synthesized["monthly_total"] != planned["monthly_total"] or quantities(synthesized) != quantities(planned):
            sys.exit(f"the assembly and the plan disagree:\n{synthesized}\n{planned}")
        print(row("bundled example (`cost cdk.out`)", synthesized, assembly_seconds, baseline))
    print(row("bundled example (`cost --config`)", planned, seconds, baseline))
    with tempfile.TemporaryDirectory() as folder:
        for count in SIZES:
            for mode in ("per_resource", "fleet"):
                path = Path(folder) / f"endpoints-{count}-{mode}.yaml"
                path.write_text(endpoints_yaml(count, mode))
                baseline = plan_seconds(path)
                report, seconds = cost("--config", str(path))
                print(row(f"{count:,} endpoints, {mode}", report, seconds, baseline))
    print()
    print(bytes_per_event())


if __name__ == "__main__":
    main()
