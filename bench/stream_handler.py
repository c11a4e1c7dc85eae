#!/usr/bin/env python3
"""Benchmark: the stream's Lambda handler (EventBridge event -> EMF lines) against plain ``json.dumps``.

    ./dev bench stream_handler [--events N] [--entries N] [--repeat N]

Builds real-shaped EventBridge events (the CloudTrail record of a ``BatchPutMetrics`` call in
``detail``, from ``tests/support/cloudtrail.py``; BatchPutMetrics takes at most 10 entries) once, then
in one run, best of ``--repeat``:

- ``handler``: ``emf_lines`` of ``cdk_sagemaker_monitoring.live.handler`` (what the function does per
  invocation, without the write to stdout),
- ``baseline``: ``json.dumps`` of every entry of the same events, with nothing checked or built
  (a floor: serializing the data once costs at least this much),

and prints entries per second of each and the handler's ratio to the baseline. It checks that the
handler emitted one record per entry. Figures are for this machine at this moment: compare within one
run only.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.cloudtrail import metric_event  # noqa: E402

from cdk_sagemaker_monitoring.live.handler import emf_lines  # noqa: E402


def events(count: int, entries: int) -> list[dict]:
    rng = random.Random(1)
    start = datetime(2024, 5, 1, tzinfo=timezone.utc)
    out = []
    for i in range(count):
        record, _ = metric_event(rng, "123456789012", "us-east-1", start + timedelta(seconds=i),
                                 f"train-run-{i % 50:03d}", entries)
        out.append(json.loads(json.dumps({"source": "aws.metrics-sagemaker", "detail-type":
                                          "AWS API Call via CloudTrail", "detail": record})))
    return out


def best(repeat: int, work) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--entries", type=int, default=10, help="entries per event (BatchPutMetrics: 1 to 10)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    batch = events(args.events, args.entries)
    total = args.events * args.entries

    def handler() -> None:
        emitted = 0
        for event in batch:
            lines, summary = emf_lines(event)
            emitted += summary["emitted"] + summary["nonFinite"]
        assert emitted == total, (emitted, total)

    def baseline() -> None:
        dumps = json.dumps
        for event in batch:
            for entry in event["detail"]["requestParameters"]["metricData"]:
                dumps(entry)

    seconds = {"handler": best(args.repeat, handler), "baseline": best(args.repeat, baseline)}
    print(f"{args.events:,} events x {args.entries} entries = {total:,} entries, best of {args.repeat}")
    for name, s in seconds.items():
        print(f"  {name:9s} {s * 1000:8.1f} ms  {total / s:12,.0f} entries/s")
    print(f"  handler / baseline time: {seconds['handler'] / seconds['baseline']:.2f}x; "
          f"per 10-entry invocation: {seconds['handler'] / args.events * 1e6:.0f} us")
    written = sum(len(line.encode()) + 1 for event in batch for line in emf_lines(event)[0])
    print(f"  EMF written to the log group: {written / total:.0f} bytes per logged value (cost/billing.py quotes it)")


if __name__ == "__main__":
    main()
