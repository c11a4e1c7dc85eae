"""Families whose metric names users give (training algorithm metrics, Model Monitor) against their facts table,
tests/facts/sagemaker_metric_patterns.csv: namespace, dimensions, unit, confidence and source, as for catalog rows."""

from __future__ import annotations

import csv

import pytest

from cdk_sagemaker_monitoring.catalog import namespaces
from cdk_sagemaker_monitoring.catalog.evidence import CONFIDENCES, SOURCES
from cdk_sagemaker_monitoring.catalog.families import PATTERN_FAMILIES
from cdk_sagemaker_monitoring.catalog.metrics import algorithm_row, model_quality_row

from support.facts import REPO

PATTERNS_FILE = REPO / "tests" / "facts" / "sagemaker_metric_patterns.csv"
COLUMNS = ["family", "namespace", "dimensions", "metric_pattern", "unit", "confidence", "source_title", "source_url",
           "note"]


def read_patterns() -> dict[str, dict[str, str]]:
    with PATTERNS_FILE.open(newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return {line["family"]: line for line in reader}


PATTERNS = read_patterns()
ROWS = {"training_algorithm": algorithm_row("train:loss"), "model_monitor_model": model_quality_row("auc")}


def test_every_pattern_family_is_in_the_table_and_nothing_else():
    assert set(PATTERNS) == {f.key for f in PATTERN_FAMILIES}


@pytest.mark.parametrize("family", PATTERN_FAMILIES, ids=lambda f: f.key)
def test_family_says_what_the_table_says(family):
    fact = PATTERNS[family.key]
    assert family.namespace == fact["namespace"]
    assert family.dimensions == tuple(fact["dimensions"].split())
    assert fact["confidence"] in CONFIDENCES and fact["note"], family.key  # weaker than an AWS page: says why
    assert fact["source_url"].startswith("https://")


@pytest.mark.parametrize("key", sorted(ROWS))
def test_rows_made_for_users_carry_the_tables_evidence(key):
    row, fact = ROWS[key], PATTERNS[key]
    assert (row.unit, row.confidence) == (fact["unit"], fact["confidence"])
    assert (row.source.title, row.source.url) == (fact["source_title"], fact["source_url"])
    assert row.source in SOURCES and row.weak_evidence


def test_model_monitor_graphs_do_not_alarm_on_a_guessed_namespace():
    data = next(f for f in PATTERN_FAMILIES if f.key == "model_monitor_data")
    assert not data.dimensions_documented  # SEARCH only
    assert namespaces.MODEL_MONITOR_DATA in namespaces.UNCONFIRMED
    assert namespaces.MODEL_MONITOR_MODEL in namespaces.UNCONFIRMED
