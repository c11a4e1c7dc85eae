"""The JSON Schema and the docs' configuration reference are generated from the model and kept current."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from cdk_sagemaker_monitoring.config.reference import (
    BEGIN, END, REFERENCE_PAGE, current_section, reference_markdown, replace_section,
)
from cdk_sagemaker_monitoring.config.schema import SCHEMA_FILE, config_schema, schema_text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "monitoring.yaml"


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = config_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_committed_schema_is_current() -> None:
    committed = (ROOT / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), "run: python -m cdk_sagemaker_monitoring.config.schema --write"


def test_docs_reference_is_current() -> None:
    page = (ROOT / REFERENCE_PAGE).read_text(encoding="utf-8")
    assert BEGIN in page and END in page
    assert current_section(page) == "\n\n" + reference_markdown() + "\n", \
        "run: python -m cdk_sagemaker_monitoring.config.reference --write"


def test_replace_section_round_trips() -> None:
    text = f"intro\n{BEGIN}\nold\n{END}\noutro\n"
    new = replace_section(text, "| new |\n")
    assert new == f"intro\n{BEGIN}\n\n| new |\n\n{END}\noutro\n"
    assert current_section(new) == "\n\n| new |\n\n"


def test_reference_documents_every_key_of_every_model() -> None:
    text = reference_markdown()
    for heading in ("## Top-level keys", "## `trail`", "## `env`", "## `endpoints[]`", "## `pipelines[]`",
                    "## `alarms.<metric>` of `endpoints[]`"):
        assert heading in text
    for key in ("stack_name", "cloudwatch_logs_retention_days", "alarm_topic_arn", "variants", "multi_model",
                "steps", "operations", "treat_missing_data", "workforce"):
        assert f"| `{key}` |" in text
    assert "| `endpoints` | list of name or mapping | `[]` |" in text
    assert "| `alarms` | mapping of metric to true/false or number or mapping | `{}` |" in text


def test_example_satisfies_the_schema(validator: jsonschema.Draft202012Validator) -> None:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert sorted(e.message for e in validator.iter_errors(data)) == []
    assert EXAMPLE.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schema/monitoring-config.schema.json")


@pytest.mark.parametrize("data, expected", [
    ({"endpontis": ["a"]}, "Additional properties are not allowed"),
    ({"endpoints": ["bad_name"]}, "'bad_name' does not match"),
    ({"endpoints": [{"name": "bad_name"}]}, "'bad_name' does not match"),
    ({"queries": {"database_name": "Bad-Name"}}, "does not match"),
    ({"queries": {"bytes_scanned_cutoff_per_query": 5}}, "less than the minimum"),
    ({"endpoints": [{"name": "a", "instance_count": "two"}]}, "'two' is not of type 'integer'"),
    ({"endpoints": [{"name": "a", "gpu": "yes"}]}, "'yes' is not of type 'boolean'"),
    ({"trail": {"cloudwatch_logs_retention_days": 366}}, "is not one of"),
    ({"trail": {"name": "a..b"}}, "does not match"),
    ({"env": {"region": "Mars"}}, "does not match"),
    ({"stack_name": "9lives"}, "does not match"),
])
def test_schema_refuses_what_the_loader_refuses(validator: jsonschema.Draft202012Validator, data: dict,
                                                expected: str) -> None:
    messages = all_messages(validator.iter_errors(data))
    assert any(expected in m for m in messages), messages


def all_messages(errors) -> list[str]:
    """Messages of the errors and of the alternatives' errors beneath them (anyOf)."""
    out = []
    for error in errors:
        out.append(error.message)
        out.extend(all_messages(error.context or ()))
    return out


def test_schema_accepts_the_shorthands(validator: jsonschema.Draft202012Validator) -> None:
    data = {"endpoints": ["a", {"name": "b", "alarms": {"ModelLatency": 5, "Invocation4XXErrors": False,
                                                         "OverheadLatency": {"threshold": 1}}}],
            "workteams": ["team"], "trail": {"encryption_key": "arn:aws:kms:us-east-1:123456789012:key/abc-123"}}
    assert [e.message for e in validator.iter_errors(data)] == []


def test_schema_describes_fields_documented_by_attribute_docstrings() -> None:
    schema = config_schema()
    assert "Production variant names" in schema["$defs"]["EndpointSpec"]["properties"]["variants"]["description"]
    # one definition, referenced from the top level's and from an environment's `endpoints`
    assert json.dumps(schema).count('"$ref": "#/$defs/EndpointSpec"') == 2
    assert schema["$defs"]["EnvironmentConfig"]["properties"]["endpoints"] == schema["properties"]["endpoints"]


def test_every_key_of_every_model_is_described() -> None:
    """No empty description cell in the reference (a new field needs a docstring or a description)."""
    rows = [line for line in reference_markdown().splitlines() if line.startswith("| `")]
    assert len(rows) > 60
    undescribed = [row.split("|")[1].strip() for row in rows if not row.rstrip("|").split("|")[-1].strip()]
    assert undescribed == []


def test_resource_names_carry_their_naming_rule() -> None:
    schema = config_schema()
    name = schema["$defs"]["PipelineSpec"]["properties"]["name"]
    assert name["pattern"] == "^(?:[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255})$"
    assert "pipeline name has 1 to 256 letters" in name["description"]


def test_the_schema_checks_environments(validator: jsonschema.Draft202012Validator) -> None:
    good = {"environments": [{"name": "prod", "account": "123456789012", "region": "us-east-1", "endpoints": ["e"]}],
            "monitoring_account": {"account": "111111111111", "region": "us-east-1"}}
    assert list(validator.iter_errors(good)) == []
    bad = {"environments": [{"name": "prod", "account": "12345", "region": "us-east-1"}]}
    assert [e.json_path for e in validator.iter_errors(bad)] == ["$.environments[0].account"]
