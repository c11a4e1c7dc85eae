"""The facts table (tests/facts/sagemaker_metrics.csv): what AWS documents about each SageMaker metric, with its source.

Read once here, for the catalog's tests and the dashboards' coverage test alike.
"""

from __future__ import annotations

import csv
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FACTS_FILE = REPO / "tests" / "facts" / "sagemaker_metrics.csv"
COLUMNS = ["family", "namespace", "dimensions", "metric", "unit", "statistics", "percentiles", "confidence",
           "source_title", "source_url", "note"]


def read_facts() -> dict[tuple[str, str], dict[str, str]]:
    """{(family, metric): fact} of the facts table; the file's own shape is checked on the way."""
    with FACTS_FILE.open(newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        facts: dict[tuple[str, str], dict[str, str]] = {}
        for line in reader:
            key = (line["family"], line["metric"])
            assert key not in facts, f"{key} twice in the facts table"
            facts[key] = line
    return facts


FACTS = read_facts()
