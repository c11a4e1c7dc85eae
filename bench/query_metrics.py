#!/usr/bin/env python3
"""Benchmark: local SQL over a few million metric data points (``sagemaker-monitoring query``).

    ./dev bench query_metrics [--days N] [--files-per-day N] [--events N] [--keep DIR]

Generates a CloudTrail tree once (real-shaped BatchPutMetrics events of 1 to 10 data points, as
the API allows, some other events, digests), then in one run:

- ``load``: read the logs with the package's reader and stream the rows into DuckDB's ``metrics``
  table (:func:`load_metrics`), rows per second;
- each named query, and an ad-hoc aggregation, on the loaded table (result written as CSV);
- end to end, ``latest-metric-values`` (load + query + CSV) against two baselines on the same files:
  ``duckdb-json`` (DuckDB's own JSON reader over the gzip files, then the same question in SQL) and
  ``python`` (the package's reader, then a dictionary of the latest point per run and metric).

Checks that the three end-to-end answers agree. Figures are for this machine at this moment:
compare within one run only.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from support.cloudtrail import write_tree  # noqa: E402
from duckdb_cloudtrail import POINTS  # noqa: E402  (bench/ is on sys.path: this script runs from it)

from cdk_sagemaker_monitoring.queries.local import load_metrics, run_query, write_result  # noqa: E402
from cdk_sagemaker_monitoring.queries.named import metric_queries  # noqa: E402
from cdk_sagemaker_monitoring.trail_reader import ReadReport, read_metric_rows  # noqa: E402

AD_HOC = """
SELECT metric_name, date_trunc('day', "timestamp") AS day, count(*) AS points, avg(value) AS mean,
       quantile_cont(value, 0.9) AS p90
FROM metrics GROUP BY ALL ORDER BY ALL
"""

DUCKDB_JSON_LATEST = """
WITH""" + POINTS + """,
metrics AS (
  SELECT CAST(event_time AS TIMESTAMP) AS event_time, account_id, region, trial_component,
         p.metricName AS metric_name, p.step AS step,
         make_timestamp(p."timestamp" * 1000) AS "timestamp", p."value" AS value
  FROM points
)
{question}
"""


def latest_in_python(source: Path) -> dict:
    latest: dict = {}
    for row in read_metric_rows(str(source)):
        key = (row.account_id, row.region, row.trial_component, row.metric_name)
        rank = (row.timestamp, -1 if row.step is None else row.step, row.event_time, row.value)
        seen = latest.get(key)
        if seen is None or rank > seen[0]:
            latest[key] = (rank, row.value)
    return {key: value for key, (_, value) in latest.items()}


def timed(fn, *args):
    started = time.perf_counter()
    result = fn(*args)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=10)
    parser.add_argument("--files-per-day", type=int, default=24)
    parser.add_argument("--events", type=int, default=700, help="events per file (1 to 10 data points each)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR (reused when it exists)")
    args = parser.parse_args()

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-query-metrics-"))
    root = base / "trail"
    if not root.exists():
        started = time.perf_counter()
        days = [date(2024, 5, 1) + timedelta(days=i) for i in range(args.days)]
        tree = write_tree(root, days=days, files_per_day=args.files_per_day, events_per_file=args.events,
                          points_per_event=(1, 10), damaged=())
        print(f"generated {len(tree.log_files)} files, {len(tree.points):,} data points "
              f"in {time.perf_counter() - started:.1f} s under {root}")
        del tree
    files = list(root.rglob("*.json.gz"))
    size = sum(p.stat().st_size for p in files)
    print(f"input: {len(files)} files, {size / 1e6:.1f} MB gzip; {os.cpu_count()} CPUs, DuckDB threads: default")

    # ---------------------------------------------------------------- load once, query many times
    report = ReadReport()
    con, load_s = timed(lambda: load_metrics(str(root), workers=args.workers, report=report))
    rows = con.execute("SELECT count(*) FROM metrics").fetchall()[0][0]
    assert rows == report.rows and not report.partial
    print(f"\nload (read + parse + insert): {rows:,} rows in {load_s:.2f} s = {rows / load_s:,.0f} rows/s")
    out = base / "result.csv"
    for name, sql in [(q.name, q.name) for q in metric_queries()] + [("ad-hoc aggregation", AD_HOC)]:
        _, seconds = timed(lambda sql=sql: write_result(run_query(con, sql), out, "csv"))
        lines = sum(1 for _ in open(out, encoding="utf-8")) - 1
        print(f"  {name:22s} {seconds:7.2f} s  {lines:>10,} result rows  ({rows / seconds:,.0f} input rows/s)")
    con.close()

    # ---------------------------------------------------------------- end to end against baselines
    print("\nend to end, latest value per run and metric:")

    def ours():
        connection = load_metrics(str(root), workers=args.workers)
        write_result(run_query(connection, "latest-metric-values"), out, "csv")
        connection.close()
        with open(out, newline="", encoding="utf-8") as handle:
            return {tuple(r[:4]): float(r[6]) for r in list(csv.reader(handle))[1:]}

    def duckdb_json():
        import duckdb

        connection = duckdb.connect()
        question = next(q.sql for q in metric_queries() if q.name == "latest-metric-values")
        glob = f"{root}/AWSLogs/*/CloudTrail/**/*.json.gz"
        result = connection.sql(DUCKDB_JSON_LATEST.format(glob=glob, question=question)).fetchall()
        connection.close()
        return {tuple(r[:4]): r[6] for r in result}

    answers = {}
    timings = {}
    for label, fn in (("query (ours)", ours), ("duckdb-json", duckdb_json), ("python", lambda: latest_in_python(root))):
        answers[label], timings[label] = timed(fn)
        print(f"  {label:14s} {timings[label]:7.2f} s  {rows / timings[label]:>12,.0f} rows/s  "
              f"{len(answers[label]):,} runs x metrics")
    reference = answers["query (ours)"]
    for label in ("duckdb-json", "python"):
        print(f"  ours / {label}: {timings[label] / timings['query (ours)']:.2f}x faster; "
              f"same answers: {answers[label] == reference}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of this process: {peak:,.0f} MB")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
