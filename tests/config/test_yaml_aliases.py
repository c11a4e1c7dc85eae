"""YAML anchors and aliases: each node is walked once, expansion is bounded, lines stay right, nothing hangs."""

from __future__ import annotations

import textwrap

import pytest

from cdk_sagemaker_monitoring import ConfigurationError
from cdk_sagemaker_monitoring.config.loader import ConfigFileError, parse_config
from cdk_sagemaker_monitoring.config import yaml_source
from cdk_sagemaker_monitoring.config.yaml_source import (
    MAX_DEPTH,
    MAX_EXPANDED_VALUES,
    MAX_EXPANSION_RATIO,
    parse_yaml,
)
from cdk_sagemaker_monitoring.discovery.environments import with_environment


def bomb(levels: int, width: int = 9, key: str = "x") -> str:
    """``levels`` anchors, each a list of ``width`` aliases of the previous one (a "billion laughs")."""
    lines = [f"{key}0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"{key}{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * width) + "]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def refused(text: str) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as caught:
        parse_config(text, source="bomb.yaml")
    error = caught.value
    return error.errors[0] if isinstance(error, ConfigFileError) else error


# ------------------------------------------------------------------ expansion is bounded


def test_nine_aliases_of_nine_eight_levels_deep_are_refused_naming_the_alias_and_its_line() -> None:
    text = bomb(8)
    assert len(text) < 500
    error = refused(text)
    assert error.field == "*a7"  # the largest alias: it stands for 9**8 values, used on the last line
    assert error.source == "bomb.yaml:9"
    assert f"beyond {MAX_EXPANDED_VALUES:,} values" in error.problem
    assert "this alias stands for 48,427,561 values and is written 9 times" in error.problem


@pytest.mark.parametrize(("levels", "width"), [(20, 9), (40, 2), (60, 3)])
def test_deeper_and_longer_bombs_are_refused_too(levels: int, width: int) -> None:
    error = refused(bomb(levels, width))
    assert error.field == f"*a{levels - 1}"
    assert error.source == f"bomb.yaml:{levels + 1}"


def test_a_bomb_deeper_than_the_nesting_limit_is_refused_for_its_depth() -> None:
    error = refused(bomb(1000, 2))
    assert f"deeper than {MAX_DEPTH} levels" in error.problem
    assert (error.field, error.source) == ("x62[0]", "bomb.yaml:63")  # *a61 there stands for 63 levels


def test_a_bomb_under_a_known_key_is_refused_before_validation() -> None:
    text = textwrap.dedent("""
        endpoints:
          - name: a
            variants: &v0 [v1, v2, v3, v4, v5, v6, v7, v8, v9]
          - name: b
            alarms:
              ModelLatency: &v1 [*v0, *v0, *v0, *v0, *v0, *v0, *v0, *v0, *v0]
              OverheadLatency: &v2 [*v1, *v1, *v1, *v1, *v1, *v1, *v1, *v1, *v1]
              Invocations: &v3 [*v2, *v2, *v2, *v2, *v2, *v2, *v2, *v2, *v2]
              CPUUtilization: &v4 [*v3, *v3, *v3, *v3, *v3, *v3, *v3, *v3, *v3]
              DiskUtilization: &v5 [*v4, *v4, *v4, *v4, *v4, *v4, *v4, *v4, *v4]
    """)
    error = refused(text)
    assert (error.field, error.source) == ("*v4", "bomb.yaml:11")


def test_expansion_is_measured_without_expanding_and_the_index_holds_each_node_once() -> None:
    with pytest.raises(ConfigurationError):  # 66,430 values in x4 alone
        parse_yaml(bomb(4))
    document = parse_yaml(bomb(3))  # 8,303 values: allowed by the YAML reader, looked up through the index
    assert len(document.lines.nodes) == 1 + 4 + 9  # the top, four lists, nine scalars: as written
    assert document.line_of(("x3", 8, 8, 8)) == 2
    assert document.line_of(("x3", 8, 8, 8, 0)) == 1
    assert document.line_of(("x3", 4)) == 4  # an alias in a list: the line it is written on
    assert document.line_of(("x3", 4, 3)) == 3
    assert document.line_of(("x3", 4, 3, "nothing")) == 3
    assert document.data["x3"][8][8][8][0] == "lol"


def test_a_large_file_may_expand_by_the_ratio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_EXPANDED_VALUES", 1_000)  # the same rule, on a smaller file
    # 400 endpoints written out, each sharing a mapping of 4 values: 5 times what is written, beyond the floor
    lines = ["endpoints:", "  - {name: e0, alarms: &shared {A: 1, B: 2, C: 3}}"]
    lines += [f"  - {{name: e{i}, alarms: *shared}}" for i in range(1, 400)]
    document = parse_yaml("\n".join(lines))
    assert len(document.data["endpoints"]) == 400
    written = len(document.lines.nodes)
    assert 1_000 < 6 * 400 <= MAX_EXPANSION_RATIO * written
    with pytest.raises(ConfigurationError) as caught:  # ten times as many uses of it are too many
        parse_yaml("\n".join([*lines, "training_jobs:", *(["  - *shared"] * 4_000)]), "many.yaml")
    assert caught.value.field == "*shared" and caught.value.source == "many.yaml:3"
    assert caught.value.problem.startswith("expands the document beyond 8,070 values: this alias stands for 4 values "
                                           "and is written 4,399 times")


def test_merge_keys_are_resolved_once_even_when_merged_many_times() -> None:
    lines = ["x0: &m0 {a: 1, b: 2}"]
    lines += [f"x{n}: &m{n} {{<<: [" + ", ".join([f"*m{n - 1}"] * 9) + f"], k{n}: {n}}}" for n in range(1, 30)]
    document = parse_yaml("\n".join(lines))
    assert document.data["x29"] == {"a": 1, "b": 2, **{f"k{n}": n for n in range(1, 30)}}


# ------------------------------------------------------------------ what never ends or nests too deep


@pytest.mark.parametrize(("text", "field", "line"), [
    ("endpoints: &a [x, *a]\n", "endpoints[1]", 1),
    ("endpoints:\n  - &a {name: x, alarms: {ModelLatency: *a}}\n", "endpoints[0].alarms.ModelLatency", 2),
    ("endpoints:\n  - &a {name: x, alarms: {<<: *a}}\n", "endpoints[0].alarms", 2),
    ("trail: &t {<<: *t}\n", "trail", 1),
])
def test_an_alias_inside_its_own_anchor_is_refused(text: str, field: str, line: int) -> None:
    error = refused(text)
    assert (error.field, error.source) == (field, f"bomb.yaml:{line}")
    assert "the alias *" in error.problem and "inside its own anchor" in error.problem


def test_nesting_deeper_than_the_limit_is_refused_with_its_line() -> None:
    error = refused("endpoints:\n  - " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n")
    assert error.source == "bomb.yaml:2" and f"deeper than {MAX_DEPTH} levels" in error.problem
    # deeper than Python's stack allows PyYAML's parser
    error = refused("endpoints: " + "[" * 1500 + "]" * 1500 + "\n")
    assert error.field == "YAML syntax" and f"deeper than {MAX_DEPTH} levels" in error.problem


def test_nesting_made_deep_by_an_alias_is_refused_where_the_alias_is_used() -> None:
    half = MAX_DEPTH // 2 + 2
    text = f"endpoints: &a {'[' * half}x{']' * half}\ntraining_jobs: {'[' * half}*a{']' * half}\n"
    error = refused(text)
    assert error.source == "bomb.yaml:1" or error.source == "bomb.yaml:2"
    assert error.field.startswith("training_jobs[0]")


@pytest.mark.parametrize(("text", "field", "problem"), [
    ("endpoints: !!set {a, b}\n", "endpoints", "is a YAML set (!!set), whose order is not kept"),
    ("trail: {<<: 1}\n", "trail", "'<<' merges mappings into this one, but is given the value '1'"),
    ("trail: {<<: [*x]}\n", "YAML syntax", "found undefined alias 'x'"),
    ("endpoints: [{name: a, alarms: {ModelLatency: " + "9" * 5000 + "}}]\n", "endpoints[0].alarms.ModelLatency",
     "is a number of 5,000 digits"),
    ("endpoints:\n  - &e {name: a}\n  - {<<: *e, name: b, name: c}\n", "endpoints[1].name",
     "is written twice in the same mapping (both on line 3)"),
])
def test_what_the_reader_cannot_keep_is_refused_with_the_key(text: str, field: str, problem: str) -> None:
    error = refused(text)
    assert error.field == field and problem in error.problem


# ------------------------------------------------------------------ a realistic file with anchors


REALISTIC = """\
stack_name: Anchored
alarm_emails: [ml-oncall@example.com]
endpoints:
  - &endpoint
    name: churn-predictor
    gpu: true
    variants: [AllTraffic, Canary]
    alarms: &latency
      ModelLatency: {threshold: 250000, severity: Critical}
      OverheadLatency: 50000
  - <<: *endpoint
    name: fraud-detector
  - <<: *endpoint
    name: recommender
    alarms:
      <<: *latency
      Invocation4XXErrors: false
training_jobs:
  - name: llm-finetune
    alarms: &training
      DiskUtilization: {threshold: 80}
  - {name: llm-eval, alarms: *training}
"""


def test_a_realistic_file_with_anchors_loads_as_if_written_out() -> None:
    config = parse_config(REALISTIC, source="anchored.yaml")
    fraud = config.endpoints[1]
    assert (fraud.name, fraud.gpu, list(fraud.variants)) == ("fraud-detector", True, ["AllTraffic", "Canary"])
    assert fraud.alarms == config.endpoints[0].alarms
    assert set(config.endpoints[2].alarms) == {"ModelLatency", "OverheadLatency", "Invocation4XXErrors"}
    assert config.training_jobs[1].alarms == config.training_jobs[0].alarms


def test_errors_in_a_file_with_anchors_name_each_use_and_the_line_the_value_is_written_on() -> None:
    text = REALISTIC.replace("ModelLatency: {threshold: 250000", "ModelLatency: {threshold: fast") \
                    .replace("  - {name: llm-eval, alarms: *training}", "  - {name: llm eval, alarms: *training}") \
                    .replace("    name: recommender\n", "    name: recommender\n    variant: Canary\n")
    with pytest.raises(ConfigFileError) as caught:
        parse_config(text, source="anchored.yaml")
    found = {(e.field, e.source) for e in caught.value.errors}
    assert found == {
        # the anchored value is wrong: every endpoint that uses it is named, each at the line it is written on
        ("endpoints[0].alarms.ModelLatency.threshold", "anchored.yaml:9"),
        ("endpoints[1].alarms.ModelLatency.threshold", "anchored.yaml:9"),
        ("endpoints[2].alarms.ModelLatency.threshold", "anchored.yaml:9"),
        ("endpoints[2].variant", "anchored.yaml:15"),  # a key of the mapping that merges: its own line
        ("training_jobs[1].name", "anchored.yaml:23"),
    }


def test_discover_refuses_a_bomb_in_the_file_it_adds_an_environment_to() -> None:
    with pytest.raises(ConfigurationError) as caught:
        with_environment(bomb(8), {"name": "prod"}, stack_name="S", source="envs.yaml")
    assert caught.value.field == "*a7" and caught.value.source == "envs.yaml:9"


def test_a_long_chain_of_merges_is_refused_before_it_takes_quadratic_time() -> None:
    lines = ["x0: &m0 {k0: 0}"] + [f"x{n}: &m{n} {{<<: *m{n - 1}, k{n}: {n}}}" for n in range(1, 1200)]
    error = refused("\n".join(lines))
    assert "'<<' merges copy more than" in error.problem and error.field.startswith("x")
    # a short chain is fine: each mapping has the keys of every one before it
    document = parse_yaml("\n".join(lines[:50]))
    assert document.data["x49"] == {f"k{n}": n for n in range(50)}
