#!/usr/bin/env python3
"""`sagemaker-monitoring backtest` on 14 days of one-minute samples, beside a baseline measured in the same run.

    ./dev bench backtest_replay [--days N]

The history: examples/slo.yaml's churn-prod endpoint (two variants), Invocations, Invocation5XXErrors and
ModelLatency once a minute each (the resolution SageMaker publishes at). Measured: reading the CSV into a
History, then replaying every planned alarm (static alarms, MAX() over variants, SLO burn-rate windows).
Baseline: the same file read with the csv module alone (no parsing of times or values).
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START = 1_767_225_600  # 2026-01-01T00:00:00Z


def write_history(path: Path, days: int) -> int:
    rng = random.Random(1)
    rows = 0
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["timestamp", "metric", "value", "EndpointName", "VariantName"])
        for minute in range(days * 24 * 60):
            when = datetime.fromtimestamp(START + minute * 60, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            for variant in ("AllTraffic", "Canary"):
                writer.writerow([when, "Invocations", rng.randint(100, 500), "churn-prod", variant])
                writer.writerow([when, "Invocation5XXErrors", rng.randint(0, 1), "churn-prod", variant])
                writer.writerow([when, "ModelLatency", rng.randint(50_000, 400_000), "churn-prod", variant])
                rows += 3
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=14)
    args = parser.parse_args()

    from cdk_sagemaker_monitoring.backtest import load_csv, replay_all
    from cdk_sagemaker_monitoring.config.loader import load_config
    from cdk_sagemaker_monitoring.plan import plan_monitoring

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.csv"
        rows = write_history(path, args.days)
        began = time.perf_counter()
        with path.open(newline="") as handle:
            baseline_rows = sum(1 for _ in csv.reader(handle)) - 1
        baseline = time.perf_counter() - began
        alarms = plan_monitoring(load_config(ROOT / "examples" / "slo.yaml")).alarms
        began = time.perf_counter()
        history = load_csv(path)
        loaded = time.perf_counter() - began
        began = time.perf_counter()
        replays = replay_all(history, alarms)
        replayed = time.perf_counter() - began
    assert baseline_rows == rows
    done = sum(1 for r in replays if r.replayable)
    print(f"{rows:,} samples over {args.days} days, {done} of {len(alarms)} planned alarms replayed")
    print(f"  baseline: csv.reader alone        {baseline:7.2f} s")
    print(f"  load_csv (times and values parsed) {loaded:7.2f} s  ({loaded / baseline:.1f}x the baseline)")
    print(f"  replay of every alarm              {replayed:7.2f} s  ({replayed / baseline:.1f}x the baseline)")


if __name__ == "__main__":
    main()
