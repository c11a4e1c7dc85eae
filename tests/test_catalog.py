"""The metric catalog against the specification (shared/spec), and its thresholds against their units.

The expected metrics are derived from the spec file itself, so the catalog and the spec cannot drift.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from cdk_sagemaker_monitoring.catalog import CATALOG, FAMILIES, KINDS, namespaces
from cdk_sagemaker_monitoring.catalog.model import STATISTICS

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO.parent / "shared" / "spec" / "cloudwatch-sagemaker-metrics.md"

# The spec's table titles, and the catalog families each one is (the test's own reading of the spec).
TABLES: dict[str, tuple[str, ...]] = {
    "Endpoint Invocation Metrics": ("endpoint_invocation",),
    "Multi-Model Endpoint Model Loading Metrics": ("endpoint_model_loading",),
    "Multi-Model Endpoint Model Instance Metrics": ("endpoint_loaded_models",),
    "Processing Job, Training Job, Batch Transform Job, and Endpoint Instance Metrics":
        ("processing_job", "training_job", "transform_job", "endpoint_instance"),
    "Ground Truth Metrics": ("ground_truth",),  # split between labeling jobs and work teams below
    "Feature Store Consumption Metrics": ("feature_store",),
    "Feature Store Operational Metrics": ("feature_store",),
    "Pipelines Execution Metrics": ("pipeline_execution",),
    "Pipelines Step Metrics": ("pipeline_step",),
}
# The issue's counts per family group.
GROUP_COUNTS = {
    "endpoint_invocation": 8, "endpoint_model_loading": 5, "endpoint_loaded_models": 1, "endpoint_instance": 5,
    "training_job": 5, "processing_job": 5, "transform_job": 4, "ground_truth": 13, "feature_store": 7,
    "pipelines": 10,
}
GROUP_OF = {"labeling_job": "ground_truth", "workteam": "ground_truth", "pipeline_execution": "pipelines",
            "pipeline_step": "pipelines"}
SPEC_STATISTICS = {"Average": "Average", "Sum": "Sum", "Min": "Minimum", "Max": "Maximum",
                   "Sample Count": "SampleCount"}


def _clean(text: str) -> str:
    return text.replace("\\", "").strip()


def spec_tables() -> dict[str, list[tuple[str, str]]]:
    """{table title: [(metric, description)]} of every metric table of the spec."""
    text = SPEC.read_text()
    tables: dict[str, list[tuple[str, str]]] = {}
    title = None
    for line in text.splitlines():
        bold = re.fullmatch(r"\*\*(.+)\*\*\s*", line.strip())
        if bold:
            title = _clean(bold.group(1))
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")] if line.startswith("|") else []
        if title in TABLES and len(cells) == 2 and cells[0] not in ("Metric", "---", "Dimension"):
            tables.setdefault(title, []).append((_clean(cells[0]), _clean(cells[1])))
    return tables


def _ground_truth_family(metric: str) -> str:
    """Ground Truth worker metrics (private work teams) versus labeling-job metrics."""
    return "workteam" if metric in ("ActiveWorkers", "TimeSpent") or metric.startswith("Tasks") else "labeling_job"


def spec_metrics() -> dict[tuple[str, str], str]:
    """{(family, metric): description}; transform jobs lose what the spec says they do not support."""
    out: dict[tuple[str, str], str] = {}
    for title, rows in spec_tables().items():
        for metric, description in rows:
            for family in TABLES[title]:
                if family == "ground_truth":
                    family = _ground_truth_family(metric)
                if family == "transform_job" and "not supported for batch transform" in description:
                    continue
                out[(family, metric)] = description
    return out


SPEC_METRICS = spec_metrics()
ROWS = {row.key: row for row in CATALOG}


def test_spec_parsed_every_table():
    assert set(spec_tables()) == set(TABLES)


def test_spec_counts_match_the_issue():
    spec_groups = Counter(GROUP_OF.get(family, family) for family, _ in SPEC_METRICS)
    assert spec_groups == GROUP_COUNTS
    assert sum(GROUP_COUNTS.values()) == 63


def test_catalog_counts_per_family_group():
    counts = Counter(GROUP_OF.get(r.family.key, r.family.key) for r in CATALOG)
    assert counts == GROUP_COUNTS
    assert len(CATALOG) == 63 == len(ROWS)


def test_catalog_set_equals_spec_set():
    expected = {(GROUP_OF.get(f, f), m) for f, m in SPEC_METRICS}
    assert {(GROUP_OF.get(r.family.key, r.family.key), r.metric) for r in CATALOG} == expected


def test_ground_truth_split_between_labeling_jobs_and_work_teams():
    for row in CATALOG:
        if row.family.group == "Ground Truth":
            assert row.family.key == _ground_truth_family(row.metric), row.metric
    assert {r.namespace for r in CATALOG if r.family.key == "labeling_job"} == {namespaces.LABELING_JOBS}
    assert {r.namespace for r in CATALOG if r.family.key == "workteam"} == {namespaces.WORKTEAM}
    assert namespaces.LABELING_JOBS != namespaces.WORKTEAM


@pytest.mark.parametrize("family,namespace", [
    ("endpoint_invocation", "AWS/SageMaker"), ("endpoint_model_loading", "AWS/SageMaker"),
    ("endpoint_loaded_models", "/aws/sagemaker/Endpoints"), ("endpoint_instance", "/aws/sagemaker/Endpoints"),
    ("training_job", "/aws/sagemaker/TrainingJobs"), ("processing_job", "/aws/sagemaker/ProcessingJobs"),
    ("transform_job", "/aws/sagemaker/TransformJobs"), ("pipeline_execution", "AWS/Sagemaker/ModelBuildingPipeline"),
    ("pipeline_step", "AWS/Sagemaker/ModelBuildingPipeline"),
])
def test_namespaces_the_spec_names(family, namespace):
    assert namespace in SPEC.read_text()  # the spec really says so
    assert {r.namespace for r in CATALOG if r.family.key == family} == {namespace}


def test_units_match_the_spec():
    for (family, metric), description in SPEC_METRICS.items():
        found = re.search(r"Units?: (\w+)", description)
        assert found, (family, metric)
        assert ROWS[(family, metric)].unit == found.group(1), (family, metric)


def test_statistics_match_the_spec():
    for (family, metric), description in SPEC_METRICS.items():
        row = ROWS[(family, metric)]
        found = re.search(r"Valid [Ss]tatistics: (.+?)\s*$", description)
        if not found:  # instance metrics: the spec lists none
            assert row.unit == "Percent"
            continue
        words = [w.strip() for w in found.group(1).split(",")]
        if words == ["All"]:
            assert set(row.statistics) == set(STATISTICS) and row.percentiles
            continue
        assert row.percentiles == ("Percentiles" in words), metric
        assert set(row.statistics) == {SPEC_STATISTICS[w] for w in words if w != "Percentiles"}, metric


def test_dimensions():
    dims = {f.key: f.dimensions for f in FAMILIES}
    assert dims["endpoint_invocation"] == dims["endpoint_instance"] == ("EndpointName", "VariantName")
    assert dims["training_job"] == dims["processing_job"] == dims["transform_job"] == ("Host",)
    assert dims["labeling_job"] == ("LabelingJobName",)
    assert dims["feature_store"] == ("FeatureGroupName", "OperationName")
    assert dims["pipeline_execution"] == ("PipelineName",)
    assert dims["pipeline_step"] == ("PipelineName", "StepName")


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
        assert alarm.scales_with == ("gpu" if row.metric.startswith("GPU") else None)
    elif alarm.statistic == "Average":  # 0/1 per request: the Average is a share
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
        ("endpoint_instance", "MemoryUtilization"): "saturation", ("training_job", "DiskUtilization"): "saturation",
        ("training_job", "MemoryUtilization"): "saturation", ("processing_job", "DiskUtilization"): "saturation",
        ("feature_store", "Operation5XXErrors"): "error", ("feature_store", "ThrottledRequests"): "error",
        ("feature_store", "Latency"): "latency", ("pipeline_execution", "ExecutionFailed"): "failure",
        ("pipeline_step", "StepFailed"): "failure", ("labeling_job", "JobsFailed"): "failure",
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
        documented.add((metric, threshold, cells[4], cells[5], cells[6]))
    expected = {(r.metric, r.alarm.threshold, r.alarm.kind, r.alarm.severity,
                 r.alarm.treat_missing_data or KINDS[r.alarm.kind].treat_missing_data) for r in ALARMED}
    assert documented == expected
