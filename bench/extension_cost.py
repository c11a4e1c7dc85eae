#!/usr/bin/env python3
"""What routing per severity, a custom metric and runbook links cost, against the plain configuration.

    ./dev bench extension_cost [--endpoints 1000] [--repeat 3]

Plans the same fleet of plain endpoints four ways in one run: plain (the baseline), with
``alarm_actions`` (Critical and Warning to ARNs), with one alarmed ``custom_metrics`` row, and with all
of that plus ``runbook_url``. Prints, for each, the best plan time of ``--repeat`` runs, the alarms,
the CloudFormation resources and the bytes of the alarm templates (compact JSON, what ``CfnInclude``
reads), each also relative to the baseline. Pure Python (no jsii): the plan is where the cost is
decided. Not a test: figures are for this machine now; compare within one run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ACTIONS = {"Critical": ["arn:aws:lambda:us-east-1:123456789012:function:pager",
                        "arn:aws:ssm-incidents::123456789012:response-plan/ml-outage"],
           "Warning": {"actions": ["arn:aws:sns:us-east-1:123456789012:ml-chat"], "ok_actions": False}}
CUSTOM = {"kind": "endpoint", "namespace": "MyCompany/Inference", "metric": "TokensPerSecond",
          "dimensions": {"EndpointName": "{name}", "VariantName": "{variant}"}, "unit": "Count/Second",
          "alarm": {"threshold": 10, "comparison": "LessThanThreshold"}}


def measure(data: dict[str, Any], repeat: int) -> dict[str, float]:
    from cdk_sagemaker_monitoring.config.validate import validate
    from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
    from cdk_sagemaker_monitoring.plan import plan_monitoring
    from cdk_sagemaker_monitoring.plan.template import template_of

    best = float("inf")
    plan = None
    for _ in range(repeat):
        start = time.perf_counter()
        config = validate(MonitoringConfig, data)
        plan = plan_monitoring(config, sharding=False)
        best = min(best, time.perf_counter() - start)
    assert plan is not None
    size = len(json.dumps(template_of(plan.resources, plan.fleet_alarms, parameters=plan.parameters),
                          separators=(",", ":")))
    return {"seconds": best, "alarms": len(plan.alarms), "resources": sum(r.resource_count for r in plan.resources),
            "bytes": size}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--endpoints", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    endpoints = [f"endpoint-{i:05d}" for i in range(args.endpoints)]
    cases = {
        "plain (baseline)": {"endpoints": endpoints},
        "alarm_actions": {"endpoints": endpoints, "alarm_actions": ACTIONS},
        "custom metric": {"endpoints": endpoints, "custom_metrics": [CUSTOM]},
        "all + runbook_url": {"endpoints": endpoints, "alarm_actions": ACTIONS, "custom_metrics": [CUSTOM],
                              "runbook_url": "https://runbooks.example.com/sagemaker"},
    }
    results = {name: measure(data, args.repeat) for name, data in cases.items()}
    base = results["plain (baseline)"]
    print(f"{args.endpoints} endpoints, best of {args.repeat}")
    print(f"{'case':<20} {'plan s':>8} {'x base':>7} {'alarms':>7} {'resources':>10} {'bytes':>12} {'x base':>7}")
    for name, r in results.items():
        print(f"{name:<20} {r['seconds']:>8.2f} {r['seconds'] / base['seconds']:>7.2f} {r['alarms']:>7} "
              f"{r['resources']:>10} {r['bytes']:>12,} {r['bytes'] / base['bytes']:>7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
