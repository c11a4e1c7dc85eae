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


def test_stream_prefixes_outside_the_trails_are_refused_at_load_with_their_line() -> None:
    """Was: refused only while synthesizing, by the stream construct, without the file, line or ``stream.``
    (single_stack seed 20261208)."""
    with pytest.raises(ConfigFileError) as caught:
        parse_config("trail:\n  trial_component_prefixes: [fraud-]\nstream:\n  enabled: true\n"
                     "  metric_names: [loss]\n  trial_component_prefixes: [fraud-a, churn-]\n", source="m.yaml")
    (error,) = caught.value.errors
    assert (error.field, error.source) == ("stream.trial_component_prefixes[1]", "m.yaml:6")
    assert error.problem == "'churn-' is not within the trail's prefixes (fraud-): its runs are never logged"


def test_a_resource_too_large_for_any_nested_stack_is_named_not_the_shards() -> None:
    """Was: "shards: no shard count up to 77 fits" for a training job of 3,653 instances (single_stack seed
    20261668), naming a key the file does not even set."""
    from cdk_sagemaker_monitoring.plan import plan_monitoring
    from cdk_sagemaker_monitoring.plan.limits import LimitExceeded

    config = parse_config("training_jobs: [small, {name: huge, instance_count: 4000}]\n")
    with pytest.raises(LimitExceeded) as caught:
        plan_monitoring(config)
    assert caught.value.field == "training_jobs[1]"
    assert caught.value.problem == ("its alarms and dashboard section alone need 801 CloudFormation resources; "
                                    "a nested stack holds 500")


def test_a_name_of_the_wrong_type_reads_in_english() -> None:
    """Was: "expected a endpoint name" (environments mutants)."""
    assert refused("endpoints: [{name: {a: 1}}]\n") == [
        ("endpoints[0].name", "expected an endpoint name (a string), got dict")]
