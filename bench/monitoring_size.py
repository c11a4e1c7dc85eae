#!/usr/bin/env python3
"""Size of SageMakerMonitoring's template for 1, 10 and 100 endpoints (and whatever ``--sizes`` says).

    ./dev bench monitoring_size [--sizes 1,10,100]

Each size is a fresh CDK app with one stack holding ``SageMakerMonitoring`` for that many plain
endpoints (default variant, CPU instances, the catalog's default alarms, a composite alarm and a
guardrail output each, an email subscription, the fleet overview). When that would pass
CloudFormation's 500 resources, the resources go to nested stacks through the construct's
``placement`` hook (a resource's shard from a hash of its own name; the project's ``MonitoringStack``
owns the real sharding, this is only enough to measure). Prints the resources by type, the template
sizes (compact JSON, and every template file as the CDK CLI writes it), the largest dashboard body,
the plan, construct and synth times, and whether every stack is within CloudFormation's limits
(500 resources, 1 MB, 200 outputs). Not a test: figures are for this machine now; compare within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
os.environ.setdefault("JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION", "1")


def measure(count: int) -> dict:
    import aws_cdk as cdk

    from cdk_sagemaker_monitoring import SageMakerMonitoring
    from cdk_sagemaker_monitoring.config.validate import validate
    from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
    from cdk_sagemaker_monitoring.plan import limits, plan_monitoring

    endpoints = [f"endpoint-{i:05d}" for i in range(count)]
    started = time.perf_counter()
    config = validate(MonitoringConfig, {"endpoints": endpoints, "alarm_emails": ["ops@example.com"],
                                         "dashboard_name": "bench"})
    plan = plan_monitoring(config)
    planned = time.perf_counter()
    app = cdk.App(outdir=tempfile.mkdtemp(prefix="bench-size-"))
    stack = cdk.Stack(app, "Bench", env=cdk.Environment(account="123456789012", region="us-east-1"))
    # automatic sharding: past one stack's room, resources go to nested stacks by a hash of their own name
    SageMakerMonitoring(stack, "Monitoring", config=config)
    built = time.perf_counter()
    app.synth()
    synthesized = time.perf_counter()
    templates = {p.name: json.loads(p.read_text()) for p in Path(app.outdir).glob("*.template.json")}
    written = {name: Path(app.outdir, name).stat().st_size for name in templates}
    types = Counter(r["Type"].split("::", 1)[1] for t in templates.values() for r in t["Resources"].values()
                    if r["Type"] != "AWS::CloudFormation::Stack")
    return {
        "endpoints": count, "resources": sum(types.values()), "types": dict(sorted(types.items())),
        "stacks": len(templates), "max_stack_resources": max(len(t["Resources"]) for t in templates.values()),
        "outputs": max(len(t.get("Outputs", {})) for t in templates.values()),
        "bytes": sum(len(json.dumps(t, separators=(",", ":"))) for t in templates.values()),
        "written": sum(written.values()), "max_written": max(written.values()),
        "largest_dashboard": max(len(d.body()) for d in plan.all_dashboards),
        "dashboards": len(plan.all_dashboards),
        "plan_s": planned - started, "construct_s": built - planned, "synth_s": synthesized - built,
        "limits": (limits.MAX_RESOURCES_PER_STACK, limits.MAX_TEMPLATE_BYTES, limits.MAX_OUTPUTS_PER_STACK),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1,10,100")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    rows = [measure(n) for n in sizes]
    print(f"{'endpoints':>9} {'resources':>9} {'stacks':>6} {'max/stack':>9} {'bytes':>9} {'written':>9} "
          f"{'dashboards':>10} {'largest body':>12} {'plan s':>7} {'construct s':>11} {'synth s':>7}  within limits")
    for r in rows:
        max_resources, max_bytes, max_outputs = r["limits"]
        ok = r["max_stack_resources"] <= max_resources and r["max_written"] <= max_bytes and r["outputs"] <= max_outputs
        print(f"{r['endpoints']:>9} {r['resources']:>9} {r['stacks']:>6} {r['max_stack_resources']:>9} {r['bytes']:>9} "
              f"{r['written']:>9} {r['dashboards']:>10} {r['largest_dashboard']:>12} {r['plan_s']:>7.3f} "
              f"{r['construct_s']:>11.3f} {r['synth_s']:>7.3f}  {'yes' if ok else 'NO'}")
    for r in rows:
        print(f"  {r['endpoints']} endpoints: {r['types']}")
    base = rows[0]
    for r in rows[1:]:
        per = (r["resources"] - base["resources"]) / max(r["endpoints"] - base["endpoints"], 1)
        size = (r["bytes"] - base["bytes"]) / max(r["endpoints"] - base["endpoints"], 1)
        print(f"  from {base['endpoints']} to {r['endpoints']} endpoints: {per:.1f} resources and "
              f"{size:,.0f} bytes per endpoint")


if __name__ == "__main__":
    main()
