"""What the seeded mutants of tests/config/test_config_mutants.py found, one regression test each."""

from __future__ import annotations

import pytest

from cdk_sagemaker_monitoring.config.loader import ConfigFileError, parse_config


def refused(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ConfigFileError) as caught:
        parse_config(text, source="m.yaml")
    return [(e.field, e.problem) for e in caught.value.errors]


@pytest.mark.parametrize("operations", ["[[a, a]]", "[{nested: 1}]", "[GetRecord, [GetRecord]]"])
def test_feature_group_operations_that_are_not_names_are_refused_not_crashed_on(operations: str) -> None:
    """Was: TypeError (unhashable type) from the duplicate check (environments seeds 20261212, 20261303)."""
    errors = refused(f"feature_groups: [{{name: fg, operations: {operations}}}]\n")
    assert errors and all(field.startswith("feature_groups[0].operations[") for field, _ in errors)


def test_an_operation_listed_twice_is_named_with_its_index() -> None:
    assert refused("feature_groups: [{name: fg, operations: [GetRecord, PutRecord, GetRecord]}]\n") == [
        ("feature_groups[0].operations[2]", "operation 'GetRecord' is listed twice")]
