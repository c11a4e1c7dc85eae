#!/usr/bin/env python3
"""Synthesis time of a configuration with environments, against the same resources in one stack.

    ./dev bench environments_synth [--runs 3]

The configuration is the tests' (``tests/stacks/test_environments.py``): three accounts in two regions
(four environments) plus a monitoring account holding the organization trail, its queries, the
sinks and the overview. The baseline, measured in the same run, is one ``MonitoringStack`` with
every environment's resources and the same trail. Each measurement is a fresh app in this process
(jsii already started: the first, warm-up build is not counted); ``--cli`` also times ``cdk synth``
of the bundled app through the pinned CLI. Not a test: figures are for this machine now.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")


def single_stack(config: dict[str, Any]) -> dict[str, Any]:
    """Every environment's resources in one stack (names kept apart by the environment's name)."""
    merged: dict[str, Any] = {"stack_name": config["stack_name"], "alarm_name_prefix": config["alarm_name_prefix"],
                              "trail": {k: v for k, v in config["trail"].items() if not k.startswith("organization")}}
    for env in config["environments"]:
        for key in ("endpoints", "training_jobs", "pipelines"):
            for entry in env.get(key, ()):
                item = {"name": entry} if isinstance(entry, str) else dict(entry)
                item["name"] = f"{env['name']}-{item['name']}"
                merged.setdefault(key, []).append(item)
    return merged


def synth_seconds(build: Any) -> tuple[float, int]:
    import aws_cdk as cdk

    app = cdk.App(outdir=tempfile.mkdtemp(prefix="bench-env-"))
    started = time.perf_counter()
    build(app)
    assembly = app.synth()
    return time.perf_counter() - started, len(assembly.stacks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cli", action="store_true", help="also time `cdk synth` of app.py through the CLI")
    args = parser.parse_args()

    from test_environments import CONFIG

    from cdk_sagemaker_monitoring import MonitoringStack, build_stacks

    baseline = single_stack(CONFIG)
    synth_seconds(lambda app: build_stacks(app, CONFIG))  # warm-up: jsii start, imports
    rows = []
    for _ in range(args.runs):
        one, one_stacks = synth_seconds(lambda app: MonitoringStack(app, config=baseline))
        many, many_stacks = synth_seconds(lambda app: build_stacks(app, CONFIG))
        rows.append((one, many))
    print(f"{'run':>4} {'one stack (baseline)':>22} {'environments + central':>24}")
    for i, (one, many) in enumerate(rows, 1):
        print(f"{i:>4} {one:>20.2f} s {many:>22.2f} s")
    best_one, best_many = min(r[0] for r in rows), min(r[1] for r in rows)
    print(f"best: baseline {best_one:.2f} s ({one_stacks} stack), environments {best_many:.2f} s "
          f"({many_stacks} stacks), ratio {best_many / best_one:.2f}")
    if args.cli:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "org.yaml"
            path.write_text(json.dumps(CONFIG))  # JSON is YAML
            started = time.perf_counter()
            subprocess.run([str(ROOT / "node_modules" / ".bin" / "cdk"), "synth", "--quiet", "--no-notices",
                            "-c", f"config={path}", "--output", str(Path(tmp) / "out")], cwd=ROOT, check=True)
            print(f"cdk synth of app.py (CLI, jsii start included): {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
