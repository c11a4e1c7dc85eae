"""The metric catalog against the facts table (tests/facts/sagemaker_metrics.csv), and its thresholds
against their units.

The facts table is data written from AWS's pages (and, where no AWS page says, the named public source):
one line per (family, namespace, dimension set, metric, unit, statistics, source, confidence). The
catalog must say exactly what it says, so neither can drift without the other.
"""

from __future__ import annotations

import re

import pytest

from cdk_sagemaker_monitoring.catalog import CATALOG, CONFIDENCES, FAMILIES, KINDS, SOURCES, namespaces
from cdk_sagemaker_monitoring.catalog.model import STATISTICS

from support.facts import FACTS, REPO

ROWS = {row.key: row for row in CATALOG}


def test_catalog_set_equals_the_facts_set():
    assert set(ROWS) == set(FACTS)
    assert len(CATALOG) == len(ROWS)


@pytest.mark.parametrize("key", sorted(FACTS), ids=lambda k: f"{k[0]}.{k[1]}")
def test_row_says_what_the_facts_table_says(key):
    fact, row = FACTS[key], ROWS[key]
    assert row.namespace == fact["namespace"]
    assert row.dimensions == (() if fact["dimensions"] == "-" else tuple(fact["dimensions"].split()))
    assert row.unit == fact["unit"]
    assert set(row.statistics) == set(fact["statistics"].split()) <= set(STATISTICS)
    assert row.percentiles == (fact["percentiles"] == "yes")
    assert row.confidence == fact["confidence"]
    assert (row.source.title, row.source.url) == (fact["source_title"], fact["source_url"])


def test_every_fact_has_a_source_and_a_known_confidence():
    for key, fact in FACTS.items():
        assert fact["confidence"] in CONFIDENCES, key
        assert fact["source_url"].startswith("https://") and fact["source_title"], key
    assert {row.source for row in CATALOG} <= set(SOURCES)


def test_facts_weaker_than_an_aws_page_say_why():
    for key, fact in FACTS.items():
        if fact["confidence"] != "aws-doc":
            assert fact["note"], f"{key}: {fact['confidence']} without a note"


def test_no_alarm_on_a_guessed_dimension_set():
    """Families whose dimension set no public source settles are graphed by SEARCH, never alarmed per resource."""
    for row in CATALOG:
        if not row.family.dimensions_documented:
            assert row.alarm is None, row.key
            assert FACTS[row.key]["note"], row.key  # the facts table says why the set is open


def test_async_endpoints_do_not_get_what_async_endpoints_do_not_publish():
    from cdk_sagemaker_monitoring.catalog import rows_for
    features = {"provisioned", "asynchronous"}
    metrics = {r.metric for r in rows_for("endpoint", features) if r.family.key == "endpoint_invocation"}
    assert metrics == {"Invocation4XXErrors", "Invocation5XXErrors", "ModelLatency"}  # async page: exhaustive list
    queue = {r.metric: r for r in rows_for("endpoint", features) if r.family.key == "endpoint_async_queue"}
    assert queue["ApproximateAgeOfOldestRequest"].unit == "Seconds" and queue["ApproximateAgeOfOldestRequest"].alarm
    assert queue["HasBacklogWithoutCapacity"].alarm is not None
    assert all(r.dimensions == ("EndpointName",) for r in queue.values())


def test_serverless_endpoints_get_the_serverless_pages_list():
    from cdk_sagemaker_monitoring.catalog import rows_for
    got = {r.metric for r in rows_for("endpoint", {"serverless", "synchronous", "provisioned_concurrency"})}
    assert got == {"Invocation4XXErrors", "Invocation5XXErrors", "Invocations", "ModelLatency", "OverheadLatency",
                   "ModelSetupTime", "MemoryUtilization", "ServerlessConcurrentExecutionsUtilization",
                   "ServerlessProvisionedConcurrencyUtilization", "ServerlessProvisionedConcurrencyExecutions",
                   "ServerlessProvisionedConcurrencyInvocations",
                   "ServerlessProvisionedConcurrencySpilloverInvocations"}
    without_pc = {r.metric for r in rows_for("endpoint", {"serverless", "synchronous"})}
    assert not {m for m in without_pc if m.startswith("ServerlessProvisioned")}


def test_ground_truth_families():
    by_family = {f.key: f for f in FAMILIES}
    assert by_family["labeling_job"].dimensions == ("LabelingJobName",)
    assert by_family["labeling_account"].dimensions == ()  # job counts: account level
    assert {r.metric for r in CATALOG if r.family.key == "labeling_account"} == {
        "JobsFailed", "JobsSucceeded", "JobsStopped"}
    assert not by_family["workteam"].dimensions_documented and "Workteam" not in by_family["workteam"].dimensions
    assert {r.namespace for r in CATALOG if r.family.key in ("labeling_job", "labeling_account")} == {
        namespaces.LABELING_JOBS}
    assert {r.namespace for r in CATALOG if r.family.key == "workteam"} == {namespaces.WORKTEAM}


def test_inference_component_families():
    by_family = {f.key: f for f in FAMILIES}
    assert by_family["component_invocation"].dimensions == ("InferenceComponentName",)
    assert by_family["component_invocation"].namespace == namespaces.SAGEMAKER
    assert by_family["component_utilization"].namespace == "/aws/sagemaker/InferenceComponents"
    assert {"InvocationsPerCopy", "ConcurrentRequestsPerCopy"} <= {
        r.metric for r in CATALOG if r.family.key == "component_invocation"}


def test_namespaces_written_once():
    """No namespace string appears in the package outside catalog/namespaces.py."""
    values = {v for k, v in vars(namespaces).items() if k.isupper() and isinstance(v, str)}
    package = REPO / "cdk_sagemaker_monitoring"
    for path in package.rglob("*.py"):
        if path.name == "namespaces.py":
            continue
        text = path.read_text()
        for value in values:
            assert f'"{value}"' not in text and f"'{value}'" not in text, (path, value)


def test_unconfirmed_namespaces_are_flagged():
    assert namespaces.LABELING_JOBS in namespaces.UNCONFIRMED
    assert namespaces.WORKTEAM in namespaces.UNCONFIRMED
    assert namespaces.PIPELINES in namespaces.UNCONFIRMED
    assert "feature_store" in namespaces.UNCONFIRMED_FAMILIES
    for key in namespaces.UNCONFIRMED_FAMILIES:
        assert all(FACTS[k]["confidence"] != "aws-doc" for k in FACTS if k[0] == key)


def test_no_file_reads_outside_the_repository():
    word = "sha" + "red"
    outside = ("../" + word, "/ " + chr(34) + word + chr(34))
    for folder in ("tests", "cdk_sagemaker_monitoring", "bench"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text()
            assert not [m for m in outside if m in text], path


# ------------------------------------------------------------------------------ alarms and units

_TO_SECONDS = {"µs": 1e-6, "ms": 1e-3, "s": 1.0, "min": 60.0, "h": 3600.0}
_UNIT_SECONDS = {"Microseconds": 1e-6, "Milliseconds": 1e-3, "Seconds": 1.0}
ALARMED = [r for r in CATALOG if r.alarm is not None]


def _meaning_value(meaning: str, unit: str) -> float:
    """The test's own reading of an alarm's ``meaning`` ("1 s", "5 % of requests", "90 % per GPU")."""
    number, word = re.match(r"([\d.]+)\s*(\S+)?", meaning).groups()
    value = float(number)
    if unit in _UNIT_SECONDS:
        assert word in _TO_SECONDS, meaning
        return value * _TO_SECONDS[word] / _UNIT_SECONDS[unit]
    if word == "%" and unit != "Percent":  # a share of 0/1-per-request values
        return value / 100
    return value


@pytest.mark.parametrize("row", ALARMED, ids=lambda r: f"{r.family.key}.{r.metric}")
def test_threshold_agrees_with_its_meaning(row):
    assert row.alarm.threshold == pytest.approx(_meaning_value(row.alarm.meaning, row.unit))


@pytest.mark.parametrize("row", ALARMED, ids=lambda r: f"{r.family.key}.{r.metric}")
def test_threshold_is_plausible_in_the_metric_unit(row):
    alarm = row.alarm
    if row.unit in _UNIT_SECONDS:
        seconds = alarm.threshold * _UNIT_SECONDS[row.unit]
        assert 0.001 <= seconds <= 24 * 3600, f"{row.metric}: {alarm.threshold} {row.unit} is {seconds} s"
    elif row.unit == "Percent":
        # utilization thresholds are per core/GPU (0-100) and scaled by the plan, never pre-multiplied
        assert 0 < alarm.threshold <= 100
        per_gpu = row.metric.startswith("GPU") and not row.metric.endswith("Normalized")
        assert alarm.scales_with == ("gpu" if per_gpu else None)
    elif alarm.statistic == "Average" and row.unit == "None":  # 0/1 per request: the Average is a share
        assert 0 < alarm.threshold < 1
    else:
        assert alarm.threshold >= 0 and float(alarm.threshold).is_integer()


@pytest.mark.parametrize("row", CATALOG, ids=lambda r: f"{r.family.key}.{r.metric}")
def test_statistics_are_valid_for_the_metric(row):
    assert row.allows(row.dashboard_statistic)
    if row.alarm:
        assert row.allows(row.alarm.statistic)
        assert row.alarm.datapoints_to_alarm <= row.alarm.evaluation_periods
        assert row.alarm.period in (10, 30) or row.alarm.period % 60 == 0


def test_missing_data_policy_per_kind():
    assert KINDS["failure"].treat_missing_data == "notBreaching"
    assert KINDS["saturation"].treat_missing_data == "missing"
    assert KINDS["error"].treat_missing_data == "notBreaching"
    for row in ALARMED:
        assert row.alarm.treat_missing_data in (None, KINDS[row.alarm.kind].treat_missing_data)


def test_required_default_alarms_exist():
    alarmed = {(r.family.key, r.metric): r.alarm for r in ALARMED}
    required = {
        ("endpoint_invocation", "Invocation5XXErrors"): "error", ("endpoint_invocation", "ModelLatency"): "latency",
        ("endpoint_async_queue", "ApproximateAgeOfOldestRequest"): "latency",
        ("endpoint_async_queue", "HasBacklogWithoutCapacity"): "saturation",
        ("endpoint_async", "InvocationFailures"): "failure", ("component_invocation", "Invocation5XXErrors"): "error",
        ("endpoint_instance", "MemoryUtilization"): "saturation", ("training_job", "DiskUtilization"): "saturation",
        ("training_job", "MemoryUtilization"): "saturation", ("processing_job", "DiskUtilization"): "saturation",
        ("feature_store", "Operation5XXErrors"): "error", ("feature_store", "ThrottledRequests"): "error",
        ("feature_store", "Latency"): "latency", ("pipeline_execution", "ExecutionFailed"): "failure",
        ("pipeline_step", "StepFailed"): "failure", ("labeling_account", "JobsFailed"): "failure",
    }
    for key, kind in required.items():
        assert key in alarmed and alarmed[key].kind == kind, key
    assert {a.severity for a in alarmed.values()} == {"Warning", "Critical"}


def test_metrics_sharing_a_widget_share_a_unit():
    groups: dict[tuple[str, str], set[str]] = {}
    for row in CATALOG:
        groups.setdefault((row.family.key, row.widget), set()).add(row.unit)
    assert all(len(units) == 1 for units in groups.values()), groups



def test_docs_alarm_table_matches_the_catalog():
    text = (REPO / "docs" / "reference" / "alarms.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith("| ") and "`" in line and " > " in line]
    documented = set()
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        metric = cells[1].strip("`")
        threshold = float(re.search(r"> ([\d,.]+)", cells[2]).group(1).replace(",", ""))
        documented.add((metric, threshold, cells[4], cells[5], cells[6], cells[7].strip("*")))
    expected = {(r.metric, r.alarm.threshold, r.alarm.kind, r.alarm.severity,
                 r.alarm.treat_missing_data or KINDS[r.alarm.kind].treat_missing_data, r.confidence) for r in ALARMED}
    assert documented == expected
