#!/usr/bin/env python3
"""`load_config` on files with YAML anchors and aliases: what each takes, against the bundled example.

    ./dev bench config_aliases

Rows: the bundled example (the baseline, measured in the same run); a realistic file whose endpoints share
alarm overrides through anchors and merge keys; the largest expansion a file of a few KB may have
(MAX_EXPANDED_VALUES values, all valid, then all mistakes); alias bombs (nine aliases of nine, eight and
twenty levels deep) and a recursive alias, which are refused. Each row is the best of three runs.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cdk_sagemaker_monitoring.config.loader import parse_config  # noqa: E402
from cdk_sagemaker_monitoring.config.yaml_source import MAX_EXPANDED_VALUES  # noqa: E402
from cdk_sagemaker_monitoring.errors import ConfigurationError  # noqa: E402

EXAMPLE = (ROOT / "examples" / "monitoring.yaml").read_text(encoding="utf-8")


def bomb(levels: int) -> str:
    lines = ["x0: &a0 [" + ", ".join(["lol"] * 9) + "]"]
    lines += [f"x{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def environments_sharing(environments: int, endpoints: int, overrides: str) -> str:
    """A few-KB file that stands for many values: ``environments`` entries, each ``endpoints: *eps``, a list of
    ``endpoints`` endpoints written once, each with ``alarms: *shared`` (``overrides``) and 8 variants."""
    lines = ["monitoring_account: {account: '111111111111', region: us-east-1}", "trail: {organization: false}",
             "environments:", "  - name: env-0", "    account: '123456789012'", "    region: us-east-1",
             "    endpoints: &eps",
             f"      - {{name: ep-0, variants: &v [a, b, c, d, e, f, g, h], alarms: &shared {overrides}}}"]
    lines += [f"      - {{name: ep-{i}, variants: *v, alarms: *shared}}" for i in range(1, endpoints)]
    lines += [f"  - {{name: env-{i}, account: '123456789012', region: us-east-1, endpoints: *eps}}"
              for i in range(1, environments)]
    return "\n".join(lines) + "\n"


VALID = "{ModelLatency: {threshold: 250000, severity: Critical, evaluation_periods: 3}, CPUUtilization: 90}"
WRONG = "{ModelLatency: {threshold: fast, severity: Urgent, evaluation_periods: 0}, CPUUtilization: hot}"


def realistic() -> str:
    lines = ["alarm_emails: [ml-oncall@example.com]", "endpoints:",
             "  - &endpoint {name: ep-0, gpu: true, variants: [AllTraffic, Canary], alarms: &latency "
             "{ModelLatency: {threshold: 250000, severity: Critical}, OverheadLatency: 50000}}"]
    lines += [f"  - {{<<: *endpoint, name: ep-{i}}}" for i in range(1, 40)]
    lines += ["training_jobs:", "  - {name: train-0, alarms: &training {DiskUtilization: {threshold: 80}}}"]
    lines += [f"  - {{name: train-{i}, alarms: *training}}" for i in range(1, 20)]
    return "\n".join(lines) + "\n"


def best_of_three(text: str) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(3):
        started = time.perf_counter()
        try:
            parse_config(text, source="bench.yaml")
            outcome = "loads"
        except ConfigurationError as err:
            count = len(getattr(err, "errors", [err]))
            first = str(getattr(err, "errors", [err])[0])
            outcome = f"refused ({count:,} errors): {first[:110]}" if count > 1 else f"refused: {first[:110]}"
        best = min(best, time.perf_counter() - started)
    return best, outcome


def main() -> None:
    # the largest expansion a few-KB file may have: about 20 values per endpoint, 100 endpoints per environment
    environments = MAX_EXPANDED_VALUES // 2_000
    rows = [
        ("bundled example (baseline)", EXAMPLE),
        ("realistic anchors: 40 endpoints merging one, 20 jobs sharing overrides", realistic()),
        (f"{environments} environments sharing 100 endpoints (close to {MAX_EXPANDED_VALUES:,} values)",
         environments_sharing(environments, 100, VALID)),
        ("the same with every shared value a mistake", environments_sharing(environments, 100, WRONG)),
        ("the same, one more environment than the limit allows",
         environments_sharing(environments * 2 + 1, 100, VALID)),
        ("alias bomb: nine of nine, eight levels", bomb(8)),
        ("alias bomb: nine of nine, twenty levels", bomb(20)),
        ("recursive alias", "endpoints: &a [x, *a]\n"),
    ]
    baseline = best_of_three(EXAMPLE)[0]
    print("| file | bytes | load_config | vs the example | outcome |")
    print("|---|---:|---:|---:|---|")
    for label, text in rows:
        seconds, outcome = best_of_three(text)
        print(f"| {label} | {len(text.encode()):,} | {seconds * 1000:,.1f} ms | {seconds / baseline:,.1f} x | "
              f"{outcome.replace('|', '/')} |")


if __name__ == "__main__":
    main()
