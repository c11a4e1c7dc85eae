"""The failure events catalog is exactly the facts table (tests/facts/sagemaker_events.csv), with sources."""

from __future__ import annotations

import csv

from cdk_sagemaker_monitoring.catalog.evidence import CONFIDENCES
from cdk_sagemaker_monitoring.catalog.events import EVENT_KINDS, KIND_KEYS, LEFT_OUT
from tests.support.facts import REPO

FACTS_FILE = REPO / "tests" / "facts" / "sagemaker_events.csv"
COLUMNS = ["kind", "detail_type", "field", "role", "values", "match", "confidence", "source_title", "source_url", "note"]


def read_facts() -> list[dict[str, str]]:
    with FACTS_FILE.open(newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def catalog_facts() -> set[tuple[str, ...]]:
    out: set[tuple[str, ...]] = set()
    for k in EVENT_KINDS:
        out.add((k.key, k.detail_type, k.name_field, "name", "", k.match, k.confidence, k.source.url))
        for role, c in [("status", k.status)] + [("condition", c) for c in k.also]:
            out.add((k.key, k.detail_type, c.field, role, " ".join(c.values),
                     "ignore-case" if c.ignore_case else "exact", c.confidence, c.source.url))
        if k.reason_field:
            out.add((k.key, k.detail_type, k.reason_field, "reason", "", "", k.reason_confidence, "*"))
        if k.step_field:
            out.add((k.key, k.detail_type, k.step_field, "step", "", "", k.confidence, k.source.url))
    return out


def test_the_catalog_is_the_facts_table():
    facts = set()
    for row in read_facts():
        url = "*" if row["role"] == "reason" else row["source_url"]
        facts.add((row["kind"], row["detail_type"], row["field"], row["role"], row["values"], row["match"],
                   row["confidence"], url))
    assert facts == catalog_facts()


def test_every_fact_has_a_source_and_a_known_confidence():
    for row in read_facts():
        assert row["source_title"] and row["source_url"].startswith("https://"), row
        assert row["confidence"] in CONFIDENCES, row


def test_weak_kinds_say_why():
    for k in EVENT_KINDS:
        weak = k.confidence != "aws-doc" or k.reason_confidence != "aws-doc" or any(
            c.confidence != "aws-doc" for c in k.conditions)
        assert not weak or k.note, k.key


def test_keys_rule_names_and_detail_types_are_unique_and_from_aws_sagemaker():
    assert len(set(KIND_KEYS)) == len(KIND_KEYS)
    assert len({k.rule_suffix for k in EVENT_KINDS}) == len(EVENT_KINDS)
    assert all(k.detail_type.startswith("SageMaker ") for k in EVENT_KINDS)
    assert {k.detail_type for k in EVENT_KINDS}.isdisjoint(LEFT_OUT)


def test_kinds_left_out_say_why():
    assert LEFT_OUT and all(len(reason) > 40 for reason in LEFT_OUT.values())
