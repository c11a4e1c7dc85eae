#!/usr/bin/env python3
"""The scale target: a fleet of 5,000 endpoints (and jobs, feature groups...) through the real CDK CLI.

    ./dev bench fleet_target [--scale 1.0] [--alarm-mode per_resource] [--runs 1] [--keep DIR] [--enhanced]

Generates a configuration file of 5,000 endpoints, 1,000 training jobs, 200 processing and 200
transform jobs, 300 feature groups, 100 pipelines, 50 labeling jobs and 10 work teams (times
``--scale``; one in ten endpoints has two variants, one in twenty GPUs, one in ten training jobs four
instances), synthesizes it with the project's pinned CLI exactly as a user would
(``cdk synth -c config=FILE``, CDK's built-in validation on), and prints the wall time, stacks, resources,
the largest template and the limit check of every template (``assembly_limits``). The same run also
times ``app.py`` alone (the app process without the CLI) and the validation's share (the same app with
``CDK_VALIDATION=false``), so the figures compare within one run. ``--enhanced`` synthesizes the fleet twice in one
run, as is (the baseline) and with ``enhanced_metrics`` on every endpoint (Metrics Insights graphs of the worst
instances and GPUs, the worst-instance fleet alarms), and prints both. Failure events are on, as in the bundled
app (``--events prefixed`` narrows them to name prefixes, ``--events off`` leaves them out); ``--events-baseline``
also synthesizes the same fleet with them off in the same run and prints the difference. Not a test: the machine is
shared.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = {"endpoints": 5000, "training_jobs": 1000, "processing_jobs": 200, "transform_jobs": 200,
          "feature_groups": 300, "pipelines": 100, "labeling_jobs": 50, "workteams": 10}
GOAL_SECONDS = 60.0


def fleet_yaml(scale: float = 1.0, alarm_mode: str = "per_resource", shards: int | None = None,
               enhanced: bool = False, events: str = "on") -> str:
    """The configuration file's text (deterministic for the same arguments); ``enhanced``: every endpoint has
    enhanced metrics; ``events``: failure events on, narrowed to name prefixes, or off."""
    n = {key: max(1, round(count * scale)) for key, count in TARGET.items()}
    lines = ["stack_name: FleetTarget", "env: {account: '123456789012', region: us-east-1}",
             "alarm_emails: [ml-oncall@example.com]", f"alarm_mode: {alarm_mode}"]
    if events == "off":
        lines.append("events: {enabled: false}")
    elif events == "prefixed":
        lines.append("events: {name_prefixes: [endpoint-, train-, process-, transform-, pipeline-]}")
    if shards is not None:
        lines.append(f"shards: {shards}")
    lines.append("endpoints:")
    for i in range(n["endpoints"]):
        name = f"endpoint-{i:05d}"
        more = ", enhanced_metrics: true" if enhanced else ""
        if i % 10 == 3:
            lines.append(f"  - {{name: {name}, variants: [AllTraffic, Canary]{more}}}")
        elif i % 20 == 7:
            lines.append(f"  - {{name: {name}, gpu: 4{more}}}")
        else:
            lines.append(f"  - {{name: {name}{more}}}" if enhanced else f"  - {name}")
    lines.append("training_jobs:")
    lines += [f"  - {{name: train-{i:05d}, instance_count: 4}}" if i % 10 == 1 else f"  - train-{i:05d}"
              for i in range(n["training_jobs"])]
    for key, prefix in (("processing_jobs", "process"), ("transform_jobs", "transform"),
                        ("feature_groups", "features"), ("pipelines", "pipeline"), ("labeling_jobs", "labels"),
                        ("workteams", "team")):
        lines.append(f"{key}:")
        lines += [f"  - {prefix}-{i:05d}" for i in range(n[key])]
    return "\n".join(lines) + "\n"


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.update(CDK_DISABLE_CLI_TELEMETRY="true", JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION="1", **extra)
    return env


def _timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--alarm-mode", default="per_resource", choices=("per_resource", "fleet", "both"))
    parser.add_argument("--shards", type=int, default=None)
    parser.add_argument("--runs", type=int, default=1, help="CLI runs (the fastest counts)")
    parser.add_argument("--no-app-only", action="store_true", help="skip the app-alone and no-validation runs")
    parser.add_argument("--keep", help="write the configuration and cdk.out under this directory")
    parser.add_argument("--enhanced", action="store_true",
                        help="also synthesize with enhanced_metrics on every endpoint, after the baseline")
    parser.add_argument("--events", default="on", choices=("on", "prefixed", "off"),
                        help="failure events: on (the default app), narrowed to name prefixes, or off")
    parser.add_argument("--events-baseline", action="store_true",
                        help="also synthesize the fleet with failure events off, in the same run, and compare")
    args = parser.parse_args()
    if args.enhanced:
        baseline = _synth_fleet(args, enhanced=False)
        enhanced = _synth_fleet(args, enhanced=True)
        print(f"baseline {baseline:.1f} s; enhanced_metrics on every endpoint {enhanced:.1f} s "
              f"({enhanced - baseline:+.1f} s, {100 * (enhanced - baseline) / baseline:+.0f} %); goal < "
              f"{GOAL_SECONDS:.0f} s: {'met' if enhanced < GOAL_SECONDS else 'NOT met'}")
        return
    _synth_fleet(args, enhanced=False, app_only=not args.no_app_only, exit_code=True)


def _synth_fleet(args: argparse.Namespace, *, enhanced: bool, app_only: bool = False, exit_code: bool = False) -> float:
    """One synthesis of the fleet through the real CLI, printed with its limit check; its wall time."""
    from cdk_sagemaker_monitoring.assembly_limits import check_assembly, format_report

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fleet-target-"))
    work.mkdir(parents=True, exist_ok=True)
    config = work / "fleet.yaml"
    config.write_text(fleet_yaml(args.scale, args.alarm_mode, args.shards, enhanced, args.events))
    counts = {k: max(1, round(v * args.scale)) for k, v in TARGET.items()}
    print(f"configuration {config} ({config.stat().st_size:,} bytes): "
          + ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in counts.items()) + f"; alarm_mode {args.alarm_mode}"
          + ("; enhanced_metrics on every endpoint" if enhanced else "") + f"; failure events {args.events}")

    cli = [str(ROOT / "node_modules" / ".bin" / "cdk"), "synth", "--no-notices", "--quiet", "-c", f"config={config}"]
    times = []
    outdir = work / "cdk.out"
    for _ in range(args.runs):
        shutil.rmtree(outdir, ignore_errors=True)
        times.append(_timed([*cli, "-o", str(outdir)], _env()))
    wall = min(times)
    report = check_assembly(outdir)
    print(f"cdk synth (real CLI, validation on): {wall:.1f} s wall"
          + (f" (runs: {', '.join(f'{t:.1f}' for t in times)})" if len(times) > 1 else "")
          + f"  goal < {GOAL_SECONDS:.0f} s: {'met' if wall < GOAL_SECONDS else 'NOT met'}")
    for line in format_report(report):
        print(line)
    if args.events_baseline:
        baseline_config = work / "fleet-no-events.yaml"
        baseline_config.write_text(fleet_yaml(args.scale, args.alarm_mode, args.shards, enhanced, "off"))
        baseline_out = work / "cdk-no-events.out"
        shutil.rmtree(baseline_out, ignore_errors=True)
        baseline_cli = [*cli[:-1], f"config={baseline_config}", "-o", str(baseline_out)]
        baseline = _timed(baseline_cli, _env())
        base_report = check_assembly(baseline_out)
        print(f"baseline, failure events off (same run): {baseline:.1f} s wall, {base_report.resources:,} "
              f"resources; events {args.events}: {wall - baseline:+.1f} s, "
              f"{report.resources - base_report.resources:+,} resources")
    if app_only:
        app = [str(ROOT / ".venv" / "bin" / "python"), "app.py"]
        app_dir = work / "app.out"
        # the context the CLI would pass: cdk.json's flags, the file, path metadata
        context = json.dumps({**json.loads((ROOT / "cdk.json").read_text())["context"], "config": str(config),
                              "aws:cdk:enable-path-metadata": True})
        shutil.rmtree(app_dir, ignore_errors=True)
        alone = _timed(app, _env(CDK_OUTDIR=str(app_dir), CDK_CONTEXT_JSON=context))
        shutil.rmtree(app_dir, ignore_errors=True)
        unvalidated = _timed(app, _env(CDK_OUTDIR=str(app_dir), CDK_CONTEXT_JSON=context, CDK_VALIDATION="false"))
        print(f"app.py alone: {alone:.1f} s; without CDK's built-in validation: {unvalidated:.1f} s "
              f"(validation's share {alone - unvalidated:+.1f} s); the CLI adds {wall - alone:+.1f} s")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    if exit_code:
        sys.exit(0 if report.ok else 1)
    if not report.ok:
        sys.exit("the assembly breaks a limit (see above)")
    return wall


if __name__ == "__main__":
    main()
