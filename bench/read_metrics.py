#!/usr/bin/env python3
"""Benchmark: the metric reader against a naive loop and DuckDB's JSON reader, on the same files.

    ./dev bench read_metrics [--files N] [--events N] [--points N] [--workers N]

Generates a CloudTrail tree (real-shaped BatchPutMetrics events, some other events, digests)
once under a temporary directory, then in one run writes every data point as CSV with:

- ``reader``: ``write_metrics`` of this package (orjson, parallel worker processes),
- ``reader-1``: the same with one worker (no parallelism),
- ``naive``: ``gzip`` + ``json`` + ``csv.writer``, one file after another,
- ``duckdb``: ``COPY (SELECT ... unnest ... FROM read_json(...)) TO`` CSV, DuckDB's own threads.

Prints rows per second for each and the reader's ratio to the others; checks that all of them
wrote the same rows. Figures are for this machine at this moment: compare within one run only.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.cloudtrail import write_tree  # noqa: E402
from duckdb_cloudtrail import POINTS  # noqa: E402  (bench/ is on sys.path: this script runs from it)

from cdk_sagemaker_monitoring.trail_reader import ReadReport, write_metrics  # noqa: E402
from cdk_sagemaker_monitoring.trail_reader.rows import COLUMNS  # noqa: E402


def naive(root: Path, out: Path) -> int:
    rows = 0
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "CloudTrail-Digest")
            for name in sorted(names):
                if not name.endswith(".json.gz"):
                    continue
                with gzip.open(os.path.join(folder, name), "rt", encoding="utf-8") as log:
                    records = json.load(log)["Records"]
                for event in records:
                    if event.get("eventName") != "BatchPutMetrics":
                        continue
                    params = event["requestParameters"]
                    account = event["resources"][0]["accountId"]
                    for point in params["metricData"]:
                        stamp = datetime.fromtimestamp(point["timestamp"] / 1000, tz=timezone.utc)
                        writer.writerow(
                            (
                                event["eventTime"],
                                account,
                                event["awsRegion"],
                                params["trialComponentName"],
                                point["metricName"],
                                point.get("step", ""),
                                stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{point['timestamp'] % 1000:03d}Z",
                                float(point["value"]),
                            )
                        )
                        rows += 1
    return rows


DUCKDB_SQL = """
COPY (
  WITH""" + POINTS + """
  SELECT event_time, account_id, region, trial_component, p.metricName AS metric_name, p.step AS step,
         strftime(epoch_ms(p."timestamp"), '%Y-%m-%dT%H:%M:%S.%gZ') AS "timestamp", p."value" AS "value"
  FROM points
) TO '{out}' (HEADER, DELIMITER ',')
"""


def duckdb_copy(root: Path, out: Path) -> int:
    import duckdb

    con = duckdb.connect()
    glob = f"{root}/AWSLogs/*/CloudTrail/**/*.json.gz"
    con.execute(DUCKDB_SQL.format(glob=glob, out=out))
    return sum(1 for _ in open(out, encoding="utf-8")) - 1


def ours(root: Path, out: Path, workers: int | None) -> int:
    report = ReadReport()
    write_metrics(str(root), str(out), format="csv", report=report, workers=workers)
    assert not report.partial, report.skipped
    return report.rows


MEMORY_PROBE = """
import sys
sys.path.insert(0, {root!r})
from cdk_sagemaker_monitoring.trail_reader import ReadReport, write_metrics
report = ReadReport()
write_metrics({trail!r}, {out!r}, report=report, workers=1, until={until!r})
# VmHWM: this process's peak RSS (ru_maxrss would carry the parent's over from before exec)
peak_kb = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
print(report.rows, peak_kb // 1024)
"""


def peak_memory(trail: Path, out: Path, until: str | None) -> tuple[int, int]:
    """Rows read and peak RSS (MB) of one reader process, reading up to ``until`` (None: everything)."""
    import subprocess

    code = MEMORY_PROBE.format(root=str(ROOT), trail=str(trail), out=str(out), until=until)
    rows, mb = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return int(rows), int(mb)


def timed(label: str, fn, *args) -> tuple[str, int, float]:
    started = time.perf_counter()
    rows = fn(*args)
    return label, rows, time.perf_counter() - started


def rows_of(path: Path) -> list:
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        # DuckDB prints doubles its own way: compare values as numbers
        return sorted((*r[:7], float(r[7])) for r in reader)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--files-per-day", type=int, default=12)
    parser.add_argument("--events", type=int, default=100, help="events per file")
    parser.add_argument("--points", type=int, default=10, help="most data points per event (uniform 1..N; the API allows 10)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR (reused when it exists)")
    parser.add_argument("--repeat", type=int, default=2, help="runs per contender (best is kept)")
    args = parser.parse_args()

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-read-metrics-"))
    root = base / "trail"
    if not root.exists():
        started = time.perf_counter()
        days = [date(2024, 5, 1) + timedelta(days=i) for i in range(args.days)]
        tree = write_tree(
            root, days=days, files_per_day=args.files_per_day, events_per_file=args.events,
            points_per_event=(1, args.points), damaged=(),
        )
        print(f"generated {len(tree.log_files)} files, {len(tree.points):,} data points "
              f"in {time.perf_counter() - started:.1f} s under {root}")
    size = sum(p.stat().st_size for p in root.rglob("*.json.gz"))
    print(f"input: {sum(1 for _ in root.rglob('*.json.gz'))} files, {size / 1e6:.1f} MB gzip; {os.cpu_count()} CPUs")

    contenders = {
        "reader": lambda out: ours(root, out, args.workers),
        "reader-1": lambda out: ours(root, out, 1),
        "naive": lambda out: naive(root, out),
        "duckdb": lambda out: duckdb_copy(root, out),
    }
    results: dict[str, tuple[int, float]] = {}
    for _ in range(args.repeat):
        for label, fn in contenders.items():
            out = base / f"{label}.csv"
            _, rows, seconds = timed(label, fn, out)
            if label not in results or seconds < results[label][1]:
                results[label] = (rows, seconds)

    reference = rows_of(base / "reader.csv")
    for label in contenders:
        same = rows_of(base / f"{label}.csv") == reference
        rows, seconds = results[label]
        print(f"{label:9s} {rows:>10,} rows  {seconds:7.2f} s  {rows / seconds:>12,.0f} rows/s  same rows: {same}")
    ours_rate = results["reader"][0] / results["reader"][1]
    for other in ("naive", "duckdb", "reader-1"):
        rate = results[other][0] / results[other][1]
        print(f"reader / {other}: {ours_rate / rate:.2f}x")

    # memory stays flat: peak RSS of a reader process over the first two days, then over everything
    first = (date(2024, 5, 1) + timedelta(days=1)).isoformat()
    for label, until in (("first 2 days", first), ("all days", None)):
        rows, mb = peak_memory(root, base / "memory.csv", until)
        print(f"peak RSS reading {label}: {rows:>10,} rows  {mb} MB")


if __name__ == "__main__":
    main()
