#!/usr/bin/env python3
"""Benchmark: synthesizing the same endpoint monitoring with this project, plain aws-cdk-lib and cdk-monitoring-constructs.

    ./dev bench synth_scale [--sizes 10,150,1000] [--no-cmc] [--variants project,plain,cmc]

For each size, the same fleet of plain endpoints (one variant, CPU instances) gets, in every variant:
the catalog's default alarms of a provisioned endpoint with their thresholds, statistics and
missing-data policies; a composite alarm per endpoint; an encrypted SNS topic with one email
subscription as every alarm's action; and a dashboard section per endpoint (a title and one graph per
widget group of the catalog, thresholds as annotations).

- ``project``: ``MonitoringStack`` from a configuration (no trail, no fleet overview, no outputs, so
  it builds exactly the above).
- ``plain``: a hand-written aws-cdk-lib app: ``cloudwatch.Metric``, ``Alarm``, ``CompositeAlarm``,
  ``GraphWidget``, ``TextWidget``, ``Dashboard``, ``sns.Topic``, ``SnsAction``, one construct per
  thing, as the aws-cdk-lib documentation writes them. It reads the metric list from the catalog so
  both watch the same metrics; everything else is ordinary L2 code. One stack, with CDK's
  resource-count and template-size checks switched off so that it synthesizes at all past about 60
  endpoints (such a template cannot deploy: the "limits" column says so).
- ``cmc``: cdklabs' cdk-monitoring-constructs, ``MonitoringFacade.monitor_custom`` with one metric
  group per widget group and ``add_alarm`` thresholds, its detail dashboard, and a composite alarm
  per endpoint over the alarms it created; installed into a separate virtual environment
  (``bench/.venv-cmc``, never the project's).
- ``empty``: an app with one empty stack: start-up of Python, jsii and Node.js, subtracted to get
  the cost per resource.

Each variant runs in a fresh process (jsii start-up included in wall time) and is timed from the
outside; below 1,000 endpoints the fastest of ``--repeat`` runs counts. Prints wall time, resources,
template bytes, seconds per resource (after start-up) and
the ratios to plain aws-cdk-lib; whether every template is within CloudFormation's limits (500
resources, 1 MB). Figures are for this machine at this moment: compare within one run only.
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
from typing import Any, Iterable

ROOT = Path(__file__).resolve().parents[1]
CMC_VENV = ROOT / "bench" / ".venv-cmc"
CMC_PINS = ["cdk-monitoring-constructs==10.3.3", "aws-cdk-lib==2.275.0", "constructs==10.8.1"]
EMAIL = "oncall@example.com"
ACCOUNT, REGION = "123456789012", "us-east-1"
MAX_RESOURCES, MAX_TEMPLATE_BYTES = 500, 1_000_000


def endpoint_names(count: int) -> list[str]:
    return [f"endpoint-{i:05d}" for i in range(count)]


# ------------------------------------------------------------------------------------ variants


def build_project(app: Any, count: int) -> None:
    from cdk_sagemaker_monitoring import MonitoringStack

    MonitoringStack(app, config={
        "stack_name": "Bench", "env": {"account": ACCOUNT, "region": REGION},
        "trail": {"enabled": False}, "alarm_emails": [EMAIL], "endpoints": endpoint_names(count),
        "fleet_overview": False, "guardrail_outputs": False,
    })


def _endpoint_rows() -> list[Any]:
    """Rows of a plain provisioned endpoint (the data both hand-written variants draw)."""
    from cdk_sagemaker_monitoring.config.resources import EndpointSpec

    return list(EndpointSpec(name="plain").metric_rows())


def _groups(rows: list[Any]) -> list[tuple[str, list[Any]]]:
    groups: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        groups.setdefault((row.family.key, row.widget), []).append(row)
    return [(title, members) for (_, title), members in groups.items()]


def _metric(row: Any, dims: dict[str, str]) -> Any:
    """The graphed metric of a catalog row, with its alarm's statistic and period (the dashboard's without one)."""
    import aws_cdk as cdk
    from aws_cdk import aws_cloudwatch as cw

    default = row.alarm
    return cw.Metric(
        namespace=row.namespace, metric_name=row.metric, dimensions_map=dims,
        statistic=default.statistic if default else row.dashboard_statistic,
        period=cdk.Duration.seconds(default.period if default else 300), label=row.metric,
    )


def _stack_with_topic(app: Any) -> tuple[Any, Any]:
    """The benchmark stack and its alarm topic (KMS-encrypted, SSL-only, one email), as the project makes it."""
    import aws_cdk as cdk
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_sns as sns
    from aws_cdk import aws_sns_subscriptions as subs

    stack = cdk.Stack(app, "Bench", env=cdk.Environment(account=ACCOUNT, region=REGION))
    key = kms.Key(stack, "AlarmTopicKey", enable_key_rotation=True)
    topic = sns.Topic(stack, "AlarmTopic", master_key=key, enforce_ssl=True)
    topic.add_subscription(subs.EmailSubscription(EMAIL))
    return stack, topic


def build_plain(app: Any, count: int) -> None:
    from aws_cdk import aws_cloudwatch as cw
    from aws_cdk import aws_cloudwatch_actions as cw_actions

    from cdk_sagemaker_monitoring.catalog.kinds import KINDS

    rows = _endpoint_rows()
    stack, topic = _stack_with_topic(app)
    action = cw_actions.SnsAction(topic)
    dashboard = cw.Dashboard(stack, "Dashboard", dashboard_name="Bench-Endpoints")
    missing = {"notBreaching": cw.TreatMissingData.NOT_BREACHING, "missing": cw.TreatMissingData.MISSING,
               "breaching": cw.TreatMissingData.BREACHING, "ignore": cw.TreatMissingData.IGNORE}
    comparisons = {"GreaterThanThreshold": cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
                   "LessThanThreshold": cw.ComparisonOperator.LESS_THAN_THRESHOLD}
    for name in endpoint_names(count):
        dims = {"EndpointName": name, "VariantName": "AllTraffic"}
        alarms: list[cw.Alarm] = []
        widgets: list[cw.IWidget] = [cw.TextWidget(markdown=f"### Endpoint `{name}`", width=24, height=1)]
        for title, members in _groups(rows):
            lines, annotations = [], []
            for row in members:
                default = row.alarm
                metric = _metric(row, dims)
                lines.append(metric)
                if default is None:
                    continue
                alarm = metric.create_alarm(
                    stack, f"{name}-{row.metric}",
                    alarm_name=f"Bench/Endpoint/{name}/{row.metric}/{default.severity}",
                    alarm_description=f"{name}: {row.metric} {default.comparison} {default.meaning}",
                    threshold=default.threshold, comparison_operator=comparisons[default.comparison],
                    evaluation_periods=default.evaluation_periods, datapoints_to_alarm=default.datapoints_to_alarm,
                    treat_missing_data=missing[default.treat_missing_data or KINDS[default.kind].treat_missing_data],
                )
                alarm.add_alarm_action(action)
                alarm.add_ok_action(action)
                alarms.append(alarm)
                annotations.append(cw.HorizontalAnnotation(value=default.threshold, label=f"{row.metric} {default.meaning}"))
            widgets.append(cw.GraphWidget(title=title, left=lines, left_annotations=annotations or None,
                                          width=8, height=6))
        composite = cw.CompositeAlarm(
            stack, f"{name}-Composite", composite_alarm_name=f"Bench/Endpoint/{name}/Any",
            alarm_rule=cw.AlarmRule.any_of(*(cw.AlarmRule.from_alarm(a, cw.AlarmState.ALARM) for a in alarms)),
        )
        composite.add_alarm_action(action)
        dashboard.add_widgets(*widgets)


def build_cmc(app: Any, count: int) -> None:
    import cdk_monitoring_constructs as cmc
    import jsii
    from aws_cdk import aws_cloudwatch as cw
    from aws_cdk import aws_cloudwatch_actions as cw_actions

    rows = _endpoint_rows()
    stack, topic = _stack_with_topic(app)
    facade = cmc.MonitoringFacade(
        stack, "Monitoring",
        alarm_factory_defaults=cmc.AlarmFactoryDefaults(
            alarm_name_prefix="Bench", actions_enabled=True,
            action=cmc.SnsAlarmActionStrategy(on_alarm_topic=topic, on_ok_topic=topic),
        ),
        metric_factory_defaults=cmc.MetricFactoryDefaults(),
        dashboard_factory=cmc.DefaultDashboardFactory(
            stack, "Dashboards", dashboard_name_prefix="Bench", create_dashboard=True,
            create_summary_dashboard=False, create_alarm_dashboard=False),
    )

    @jsii.implements(cmc.IAlarmConsumer)
    class Created:
        """Receives the alarms one ``monitor_custom`` call created (for the endpoint's composite alarm)."""

        alarms: list[Any] = []

        def consume(self, alarms: list[Any]) -> None:
            Created.alarms = list(alarms)

    action = cw_actions.SnsAction(topic)
    missing = {"notBreaching": cw.TreatMissingData.NOT_BREACHING, "missing": cw.TreatMissingData.MISSING,
               "breaching": cw.TreatMissingData.BREACHING, "ignore": cw.TreatMissingData.IGNORE}
    from cdk_sagemaker_monitoring.catalog.kinds import KINDS

    for name in endpoint_names(count):
        dims = {"EndpointName": name, "VariantName": "AllTraffic"}
        groups = []
        for title, members in _groups(rows):
            metrics: list[Any] = []
            for row in members:
                default = row.alarm
                metric = _metric(row, dims)
                if default is None:
                    metrics.append(metric)
                    continue
                metrics.append(cmc.CustomMetricWithAlarm(
                    metric=metric, alarm_friendly_name=row.metric,
                    add_alarm={default.severity: cmc.CustomThreshold(
                        threshold=default.threshold,
                        comparison_operator=cw.ComparisonOperator.GREATER_THAN_THRESHOLD,
                        evaluation_periods=default.evaluation_periods,
                        datapoints_to_alarm=default.datapoints_to_alarm,
                        treat_missing_data_override=missing[default.treat_missing_data
                                                            or KINDS[default.kind].treat_missing_data],
                    )},
                ))
            groups.append(cmc.CustomMetricGroup(title=title, metrics=metrics))
        facade.monitor_custom(metric_groups=groups, alarm_friendly_name=name, human_readable_name=name,
                              use_created_alarms=Created())
        composite = cw.CompositeAlarm(
            stack, f"{name}-Composite", composite_alarm_name=f"Bench/Endpoint/{name}/Any",
            alarm_rule=cw.AlarmRule.any_of(*(cw.AlarmRule.from_alarm(a.alarm, cw.AlarmState.ALARM)
                                             for a in Created.alarms)),
        )
        composite.add_alarm_action(action)


def build_empty(app: Any, count: int) -> None:
    import aws_cdk as cdk

    cdk.Stack(app, "Bench", env=cdk.Environment(account=ACCOUNT, region=REGION))


BUILDERS = {"project": build_project, "plain": build_plain, "cmc": build_cmc, "empty": build_empty}


# ------------------------------------------------------------------------------------ worker


def worker(variant: str, count: int, outdir: str) -> None:
    """Build and synthesize one variant in this process; print what it made as one JSON line."""
    started = time.perf_counter()
    import aws_cdk as cdk

    context = {k: v for k, v in json.loads((ROOT / "cdk.json").read_text())["context"].items()
               if k.startswith("@aws-cdk")}
    if variant in ("plain", "cmc"):
        # Let them synthesize past CloudFormation's limits (500 resources, 1 MB): the figures are about
        # synthesis speed; the "limits" column says whether the result could deploy.
        context["@aws-cdk/core:stackResourceLimit"] = 0
        context.pop("@aws-cdk/core:validateAgainstDefaultRules", None)
    imported = time.perf_counter()
    app = cdk.App(outdir=outdir, context=context)
    BUILDERS[variant](app, count)
    built = time.perf_counter()
    app.synth()
    done = time.perf_counter()
    templates = sorted(Path(outdir).glob("*.template.json"))
    per_template = []
    for path in templates:
        body = json.loads(path.read_text())
        per_template.append((len(body.get("Resources", {})), path.stat().st_size))
    print(json.dumps({
        "import_s": imported - started, "construct_s": built - imported, "synth_s": done - built,
        "resources": sum(r for r, _ in per_template), "bytes": sum(b for _, b in per_template),
        "templates": len(per_template),
        "within_limits": all(r <= MAX_RESOURCES and b <= MAX_TEMPLATE_BYTES for r, b in per_template),
    }))


# ------------------------------------------------------------------------------------ driver


def cmc_python(install: bool) -> str | None:
    """The Python of the separate cdk-monitoring-constructs environment, installing it if asked."""
    python = CMC_VENV / "bin" / "python"
    if python.exists():
        return str(python)
    if not install:
        return None
    print(f"[bench] installing {' '.join(CMC_PINS)} into {CMC_VENV.relative_to(ROOT)} (once)", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(CMC_VENV)], check=True)
    result = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *CMC_PINS],
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(f"[bench] cdk-monitoring-constructs did not install; skipping it:\n{result.stderr[-2000:]}", file=sys.stderr)
        shutil.rmtree(CMC_VENV, ignore_errors=True)
        return None
    return str(python)


def run(variant: str, count: int, python: str) -> dict[str, Any]:
    outdir = tempfile.mkdtemp(prefix=f"bench-{variant}-{count}-")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1",
           "PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}
    started = time.perf_counter()
    result = subprocess.run([python, __file__, "--worker", variant, str(count), outdir],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - started
    shutil.rmtree(outdir, ignore_errors=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip() and "!!" not in line]
        return {"variant": variant, "count": count, "error": (lines or ["failed"])[-1][:160], "wall_s": wall}
    line = [line for line in result.stdout.splitlines() if line.startswith("{")][-1]
    return {"variant": variant, "count": count, "wall_s": wall, **json.loads(line)}


def best(runs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The fastest successful run (the machine is shared: slower runs measure the neighbours)."""
    runs = list(runs)
    ok = [r for r in runs if "error" not in r]
    return min(ok, key=lambda r: r["wall_s"]) if ok else runs[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,150,1000", help="endpoint counts (default 10,150,1000)")
    parser.add_argument("--variants", default="project,plain,cmc")
    parser.add_argument("--no-cmc", action="store_true", help="do not install or run cdk-monitoring-constructs")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs per variant and size below 1,000 endpoints; the fastest counts (default 2)")
    parser.add_argument("--worker", nargs=3, metavar=("VARIANT", "COUNT", "OUTDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), args.worker[2])
        return 0

    sizes = [int(s) for s in args.sizes.split(",")]
    variants = [v for v in args.variants.split(",") if not (args.no_cmc and v == "cmc")]
    pythons = {v: str(ROOT / ".venv" / "bin" / "python") for v in variants}
    if "cmc" in variants:
        python = cmc_python(install=True)
        if python is None:
            variants.remove("cmc")
        else:
            pythons["cmc"] = python
    startup = min(run("empty", 0, str(ROOT / ".venv" / "bin" / "python"))["wall_s"] for _ in range(3))
    print(f"start-up (empty app, one stack; best of 3): {startup:.2f} s wall")
    header = (f"{'endpoints':>9}  {'variant':<8} {'wall s':>8} {'resources':>9} {'templates':>9} {'bytes':>11} "
              f"{'ms/res':>7} {'limits':>6}   {'wall / plain':>12} {'ms/res / plain':>14} {'bytes / plain':>13}")
    print(header)
    print("-" * len(header))
    for count in sizes:
        repeat = args.repeat if count < 1000 else 1
        results = {v: best(run(v, count, pythons[v]) for _ in range(max(repeat, 1))) for v in variants}
        plain = results.get("plain")
        for variant in variants:
            r = results[variant]
            if "error" in r:
                print(f"{count:>9}  {variant:<8} {r['wall_s']:>8.2f}  failed: {r['error']}")
                continue
            per = (r["wall_s"] - startup) / max(r["resources"], 1) * 1000
            ratios = ""
            if plain and "error" not in plain and variant != "plain":
                plain_per = (plain["wall_s"] - startup) / max(plain["resources"], 1) * 1000
                ratios = (f"{r['wall_s'] / plain['wall_s']:>12.2f} {per / plain_per:>14.2f} "
                          f"{r['bytes'] / plain['bytes']:>13.2f}")
            print(f"{count:>9}  {variant:<8} {r['wall_s']:>8.2f} {r['resources']:>9} {r['templates']:>9} "
                  f"{r['bytes']:>11,} {per:>7.2f} {'ok' if r['within_limits'] else 'OVER':>6}   {ratios}")
        sys.stdout.flush()
    print("ms/res: (wall - start-up) / resources. limits: every template <= 500 resources and <= 1 MB.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
