"""load_config: every class of bad input is refused with a message naming the file, line and field."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from cdk_sagemaker_monitoring import ConfigurationError, load_config
from cdk_sagemaker_monitoring.config.app_config import LOG_RETENTION_DAYS, AppConfig
from cdk_sagemaker_monitoring.config.loader import ConfigFileError, config_from_mapping, parse_config


def write(tmp_path: Path, text: str, name: str = "monitoring.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> tuple[str, ConfigurationError]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigurationError) as caught:
        load_config(path)
    return str(caught.value), caught.value


# ------------------------------------------------------------------ valid files


def test_minimal_file_gives_the_documented_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "{}"))
    assert config == AppConfig()
    assert config.stack_name == "SageMakerMonitoring"
    assert config.env is None
    assert config.trail.enabled and config.trail.multi_region
    assert config.trail.event_names == ["BatchPutMetrics"]
    assert config.trail.encryption_key is True  # a customer-managed KMS key (CIS CloudTrail.2, checkov CKV_AWS_35)


def test_full_trail_section_is_read(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
        stack_name: Ml-Monitoring
        env: {account: 123456789012, region: eu-west-1}
        trail:
          name: experiments.audit-trail
          multi_region: false
          event_names: null
          trial_component_prefixes: [churn-, fraud]
          encryption_key: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
          cloudwatch_logs_retention_days: 731
    """))
    assert config.stack_name == "Ml-Monitoring"
    assert config.env is not None and config.env.account == "123456789012" and config.env.region == "eu-west-1"
    trail = config.trail
    assert (trail.name, trail.multi_region, trail.event_names) == ("experiments.audit-trail", False, None)
    assert trail.trial_component_prefixes == ["churn-", "fraud"]
    assert trail.encryption_key.endswith(":key/1234abcd-12ab-34cd-56ef-1234567890ab")
    assert trail.cloudwatch_logs_retention_days == 731


def test_queries_follow_the_trail_unless_set(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "{}")).queries_enabled is True
    assert load_config(write(tmp_path, "trail: {enabled: false}\n")).queries_enabled is False
    assert load_config(write(tmp_path, "queries: {enabled: false}\n")).queries_enabled is False
    assert load_config(write(tmp_path, "trail: {enabled: false}\nqueries: {enabled: false}\n")).queries_enabled is False


def test_full_queries_section_is_read(tmp_path: Path) -> None:
    queries = load_config(write(tmp_path, """
        queries:
          enabled: true
          database_name: ml_metrics
          table_name: events
          workgroup_name: ml.metrics-team
          bytes_scanned_cutoff_per_query: 100_000_000
          results_expiration_days: 3
          results_encryption_key: arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
          lookback_days: 30
          projection_start: 2024-01-31
          regions: [eu-west-1, us-east-1]
    """)).queries
    assert (queries.enabled, queries.database_name, queries.table_name, queries.workgroup_name) == (
        True, "ml_metrics", "events", "ml.metrics-team")
    assert (queries.bytes_scanned_cutoff_per_query, queries.results_expiration_days, queries.lookback_days) == (
        100_000_000, 3, 30)
    assert queries.results_encryption_key.endswith(":key/1234abcd-12ab-34cd-56ef-1234567890ab")
    assert queries.projection_start == dt.date(2024, 1, 31) and queries.regions == ["eu-west-1", "us-east-1"]
    assert load_config(write(tmp_path, "queries: {projection_start: NOW-90DAYS}\n")).queries.projection_start == \
        "NOW-90DAYS"
    assert load_config(write(tmp_path, "queries: {projection_start: '2024-02-29'}\n")).queries.projection_start == \
        dt.date(2024, 2, 29)


def test_queries_without_the_trail_are_refused_naming_both(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, """
        trail:
          enabled: false
        queries:
          enabled: true
    """)
    assert error.field == "queries.enabled" and message.startswith(f"{tmp_path / 'monitoring.yaml'}:4: queries.enabled: ")
    assert "trail.enabled is false" in error.problem and "the queries read the trail's logs" in error.problem
    assert error.fix == "set trail.enabled: true, or queries.enabled: false"


@pytest.mark.parametrize("text, field, expected", [
    ("queries: {database_name: Metrics}\n", "queries.database_name",
     "'Metrics' is not a valid Glue database or table name (1 to 255 lower-case letters, digits and underscores)"),
    ("queries: {table_name: my-table}\n", "queries.table_name", "is not a valid Glue database or table name"),
    ("queries: {workgroup_name: 'a b'}\n", "queries.workgroup_name", "'a b' is not a valid Athena workgroup name"),
    ("queries: {bytes_scanned_cutoff_per_query: 9999999}\n", "queries.bytes_scanned_cutoff_per_query",
     "greater than or equal to 10000000; got number 9999999"),
    ("queries: {results_expiration_days: 0}\n", "queries.results_expiration_days", "greater than or equal to 1"),
    ("queries: {lookback_days: '30'}\n", "queries.lookback_days", "input should be a valid integer; got text '30'"),
    ("queries: {results_encryption_key: alias/x}\n", "queries.results_encryption_key",
     "'alias/x' is neither null, true, false nor a KMS key ARN"),
    ("queries: {projection_start: yesterday}\n", "queries.projection_start",
     "'yesterday' is not a first day Athena can project (a date such as 2024-01-31, or a relative date"),
    ("queries: {projection_start: 5}\n", "queries.projection_start", "5 is not a first day Athena can project"),
    ("queries: {regions: [us-east-1, Mars]}\n", "queries.regions[1]", "'Mars' is not a valid AWS region code"),
    ("queries: {regions: [us-east-1, us-east-1]}\n", "queries.regions", "lists the region 'us-east-1' twice"),
    ("queries: {tabel_name: x}\n", "queries.tabel_name", "is not a known key (did you mean 'table_name'?)"),
    ("queries: true\n", "queries", "expected a mapping of keys, got boolean True"),
])
def test_bad_queries_values(tmp_path: Path, text: str, field: str, expected: str) -> None:
    message, error = refusal(tmp_path, text)
    assert error.field == field
    assert expected in message


def test_a_mapping_is_validated_like_a_file() -> None:
    assert config_from_mapping({"trail": {"enabled": False}}).trail.enabled is False
    with pytest.raises(ConfigurationError, match=r"<config>: trail\.enabled: input should be a valid boolean"):
        config_from_mapping({"trail": {"enabled": "no"}})


def test_retention_values_are_aws_cdk_libs_own() -> None:
    """Every accepted value maps to the RetentionDays member that synthesizes to that many days, and no member is left out."""
    import aws_cdk as cdk
    from aws_cdk import aws_logs as logs

    from cdk_sagemaker_monitoring.constructs.experiment_metrics_trail import _retention_days

    stack = cdk.Stack()
    for days in LOG_RETENTION_DAYS:
        logs.LogGroup(stack, f"G{days}", retention=_retention_days(days))
    groups = cdk.assertions.Template.from_stack(stack).find_resources("AWS::Logs::LogGroup")
    assert sorted(g["Properties"]["RetentionInDays"] for g in groups.values()) == sorted(LOG_RETENTION_DAYS)
    assert len([m for m in logs.RetentionDays if m.name != "INFINITE"]) == len(LOG_RETENTION_DAYS)


# ------------------------------------------------------------------ the file itself


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigurationError) as caught:
        load_config(missing)
    assert str(caught.value).startswith(f"{missing}: config: the configuration file does not exist")
    assert "-c config=" in str(caught.value)


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="is not a file"):
        load_config(tmp_path)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    message, _ = refusal(tmp_path, """
        stack_name: Good
        trail:
          enabled: true
         multi_region: false
    """)
    assert message.startswith(f"{tmp_path / 'monitoring.yaml'}:4: YAML syntax:")


def test_unclosed_list_is_a_syntax_error(tmp_path: Path) -> None:
    message, _ = refusal(tmp_path, "trail:\n  event_names: [BatchPutMetrics\n")
    assert ":3: YAML syntax:" in message and "expected ',' or ']'" in message


def test_key_written_twice_is_refused(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, """
        trail:
          multi_region: true
          name: first-trail
          multi_region: false
    """)
    assert error.field == "trail.multi_region"
    assert ":4: trail.multi_region: is written twice in the same mapping (lines 2 and 4)" in message


@pytest.mark.parametrize("text, expected", [
    ("", "the configuration is empty"),
    ("# only a comment\n", "the configuration is empty"),
    ("- a\n- b\n", "expected a mapping of keys, got a list"),
    ("just text\n", "expected a mapping of keys, got a string"),
])
def test_file_must_hold_a_mapping(tmp_path: Path, text: str, expected: str) -> None:
    message, error = refusal(tmp_path, text)
    assert error.field == "(top level)" and expected in message


# ------------------------------------------------------------------ keys and values


def test_unknown_key_gets_did_you_mean(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, """
        stack_name: Good
        trial:
          enabled: true
    """)
    assert isinstance(error, ConfigFileError)
    assert message.endswith(":2: trial: is not a known key (did you mean 'trail'?)")


def test_nested_unknown_key_gets_did_you_mean(tmp_path: Path) -> None:
    message, _ = refusal(tmp_path, """
        trail:
          cloudwatch_logs_retention: 30
    """)
    assert "trail.cloudwatch_logs_retention: is not a known key (did you mean 'cloudwatch_logs_retention_days'?)" in message


def test_unknown_key_far_from_any_lists_the_allowed_ones(tmp_path: Path) -> None:
    message, _ = refusal(tmp_path, "env:\n  zzz: 1\n")
    assert "env.zzz: is not a known key (allowed: account, region)" in message


@pytest.mark.parametrize("text, field, expected", [
    ("trail:\n  multi_region: 'yes'\n", "trail.multi_region", "input should be a valid boolean; got text 'yes'"),
    ("trail:\n  enabled: 1\n", "trail.enabled", "input should be a valid boolean; got number 1"),
    ("trail:\n  cloudwatch_logs_retention_days: '30'\n", "trail.cloudwatch_logs_retention_days",
     "expected a whole number, got text '30'"),
    ("trail:\n  event_names: BatchPutMetrics\n", "trail.event_names", "input should be a valid list; got text"),
    ("trail:\n  event_names: []\n", "trail.event_names", "is empty: the trail would log no event at all"),
    ("trail: 3\n", "trail", "expected a mapping of keys, got number 3"),
    # A union (true/false or a key ARN): one message for the value, not one per alternative.
    ("trail:\n  encryption_key: 3\n", "trail.encryption_key", "expected text or true or false, got number 3"),
    ("stack_name: [a]\n", "stack_name", "input should be a valid string; got a list"),
])
def test_wrong_types(tmp_path: Path, text: str, field: str, expected: str) -> None:
    message, error = refusal(tmp_path, text)
    assert error.field == field
    assert len(getattr(error, "errors", [error])) == 1, message
    assert f"{field}: " in message and expected in message


@pytest.mark.parametrize("text, field, expected", [
    ("stack_name: 9lives\n", "stack_name", "is not a valid CloudFormation stack name"),
    ("stack_name: has_underscore\n", "stack_name", "is not a valid CloudFormation stack name"),
    ("trail:\n  name: ab\n", "trail.name",
     "'ab' is 2 characters long; CloudTrail trail names have 3 to 128 characters"),
    ("trail:\n  name: my--trail\n", "trail.name", "is not a valid CloudTrail trail name"),
    ("trail:\n  name: 10.0.0.1\n", "trail.name", "is not a valid CloudTrail trail name"),
    ("trail:\n  event_names: [batchPutMetrics]\n", "trail.event_names[0]", "is not a valid CloudTrail event name"),
    ("trail:\n  trial_component_prefixes: [-bad]\n", "trail.trial_component_prefixes[0]",
     "is not a valid trial component name prefix (1 to 120"),
    ("env:\n  account: '12345678901'\n", "env.account", "is not a valid AWS account id"),
    ("env:\n  account: 12345678901\n", "env.account", "is not a valid AWS account id"),
    ("env:\n  region: US-EAST-1\n", "env.region", "is not a valid AWS region code"),
])
def test_illegal_names(tmp_path: Path, text: str, field: str, expected: str) -> None:
    message, error = refusal(tmp_path, text)
    assert error.field == field
    assert expected in message


def test_duplicate_event_names(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, "trail:\n  event_names: [BatchPutMetrics, BatchPutMetrics]\n")
    assert error.field == "trail.event_names"
    assert "lists the event name 'BatchPutMetrics' twice" in message


def test_bad_kms_key_arn(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, "trail:\n  encryption_key: arn:aws:kms:us-east-1:123:key/x\n")
    assert error.field == "trail.encryption_key"
    assert "is neither true, false nor a KMS key ARN" in message


@pytest.mark.parametrize("days, nearest", [(366, 365), (0, 1), (10, 7), (100_000, 3653)])
def test_impossible_retention(tmp_path: Path, days: int, nearest: int) -> None:
    message, error = refusal(tmp_path, f"trail:\n  cloudwatch_logs_retention_days: {days}\n")
    assert error.field == "trail.cloudwatch_logs_retention_days"
    assert f"{days} is not a retention CloudWatch Logs accepts (nearest: {nearest}; allowed: 1, 3, 5" in message


def test_every_mistake_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    path = write(tmp_path, """
        stack_name: 1bad
        trail:
          nmae: x
          cloudwatch_logs_retention_days: 2
        env:
          region: nowhere
    """)
    with pytest.raises(ConfigFileError) as caught:
        load_config(path)
    assert [e.field for e in caught.value.errors] == [
        "stack_name", "trail.nmae", "trail.cloudwatch_logs_retention_days", "env.region",
    ]
    assert [e.source for e in caught.value.errors] == [f"{path}:{n}" for n in (1, 3, 4, 6)]
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{path}: 4 configuration errors:"
    assert lines[2] == f"  {path}:3: trail.nmae: is not a known key (did you mean 'name'?)"


def test_parse_config_names_its_source() -> None:
    with pytest.raises(ConfigurationError, match=r"^inline\.yaml:1: stack_name: "):
        parse_config("stack_name: _x\n", source="inline.yaml")


# ------------------------------------------------------------------ the monitoring keys


def test_example_file_loads_with_every_family() -> None:
    config = load_config(Path(__file__).resolve().parents[2] / "examples" / "monitoring.yaml")
    for key in ("endpoints", "training_jobs", "processing_jobs", "transform_jobs", "feature_groups", "pipelines",
                "labeling_jobs", "workteams"):
        assert getattr(config, key), key
    features = {frozenset(e.features) for e in config.endpoints}
    assert frozenset({"provisioned", "synchronous", "realtime", "gpu"}) in features
    assert frozenset({"serverless", "synchronous", "provisioned_concurrency"}) in features
    assert any("asynchronous" in f for f in features) and any("inference_components" in f for f in features)
    assert any("multi_model" in f for f in features)


def test_plain_names_and_mappings_mix(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, """
        endpoints:
          - churn
          - {name: fraud, variants: [AllTraffic, Canary], alarms: {ModelLatency: 250000, Invocation4XXErrors: false}}
    """))
    assert [e.name for e in config.endpoints] == ["churn", "fraud"]
    assert config.endpoints[0].variants == ("AllTraffic",)
    assert config.endpoints[1].alarms["ModelLatency"].threshold == 250000
    assert config.endpoints[1].alarms["Invocation4XXErrors"].enabled is False


def test_field_path_of_a_bad_variant_list(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, """
        endpoints:
          - a
          - b
          - c
          - name: d
            variants: 7
    """)
    assert error.field == "endpoints[3].variants"
    assert message.endswith(":6: endpoints[3].variants: input should be a valid list; got number 7")


@pytest.mark.parametrize("text, field, expected", [
    # A plain name is the entry's name: the path names that field (as a duplicate's does).
    ("endpoints: [bad_name]\n", "endpoints[0].name", "'bad_name' is not a valid endpoint name (1 to 63 letters"),
    ("training_jobs: [-job]\n", "training_jobs[0].name", "is not a valid training job name"),
    ("endpoints: [{name: bad_name}]\n", "endpoints[0].name", "'bad_name' is not a valid endpoint name"),
    ("feature_groups: [{name: 'a b'}]\n", "feature_groups[0].name", "is not a valid feature group name"),
    ("pipelines: [{name: p, steps: ['bad step']}]\n", "pipelines[0].steps[0]", "is not a valid pipeline step name"),
    ("endpoints: [{name: e, variants: [AllTraffic, 'two words']}]\n", "endpoints[0].variants[1]",
     "is not a valid production variant name"),
])
def test_illegal_sagemaker_names(tmp_path: Path, text: str, field: str, expected: str) -> None:
    message, error = refusal(tmp_path, text)
    assert error.field == field
    assert expected in message


@pytest.mark.parametrize("text, field, expected", [
    ("endpoints: [a, b, a]\n", "endpoints[2].name", "endpoint 'a' is listed twice (first at [0])"),
    ("workteams: [{name: t}, t]\n", "workteams[1].name", "'t' is listed twice"),
    ("alarm_emails: [a@example.com, A@example.com]\n", "alarm_emails[1]", "is listed twice"),
    ("endpoints: [{name: e, variants: [V1, V1]}]\n", "endpoints[0].variants[1]", "variant 'V1' is listed twice"),
])
def test_duplicates(tmp_path: Path, text: str, field: str, expected: str) -> None:
    message, error = refusal(tmp_path, text)
    assert error.field == field
    assert expected in message


@pytest.mark.parametrize("text, field, expected", [
    ("alarm_emails: [ops@example.com, not-an-email]\n", "alarm_emails[1]", "'not-an-email' is not an email address"),
    ("alarm_emails: [a@b]\n", "alarm_emails[0]", "is not an email address (for example ops@example.com)"),
    ("alarm_topic_arn: arn:aws:sns:us-east-1:123:alerts\n", "alarm_topic_arn", "is not an SNS topic ARN"),
    ("alarm_topic_arn: arn:aws:sqs:us-east-1:123456789012:alerts\n", "alarm_topic_arn", "is not an SNS topic ARN"),
])
def test_bad_emails_and_arns(tmp_path: Path, text: str, field: str, expected: str) -> None:
    message, error = refusal(tmp_path, text)
    assert error.field == field
    assert expected in message


def test_unknown_key_in_a_resource_spec_gets_did_you_mean(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, """
        endpoints:
          - churn
          - name: fraud
            variant: [AllTraffic]
    """)
    assert error.field == "endpoints[1].variant"
    assert message.endswith(":4: endpoints[1].variant: is not a known key (did you mean 'variants'?)")


def test_unknown_key_in_an_alarm_override(tmp_path: Path) -> None:
    message, _ = refusal(tmp_path, "endpoints: [{name: e, alarms: {ModelLatency: {treshold: 5}}}]\n")
    assert "endpoints[0].alarms.ModelLatency.treshold: is not a known key (did you mean 'threshold'?)" in message


def test_unknown_metric_in_alarms_names_the_metric(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, "endpoints:\n  - name: e\n    alarms:\n      ModelLatncy: 5\n")
    assert error.field == "endpoints[0].alarms.ModelLatncy"
    assert "did you mean 'ModelLatency'?" in message
    assert message.startswith(f"{tmp_path / 'monitoring.yaml'}:4: ")


def test_a_resource_entry_of_the_wrong_type(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, "endpoints: [churn, 5]\n")
    assert error.field == "endpoints[1]"
    assert "expected a name or a mapping of keys, got number 5" in message


def test_a_threshold_of_the_wrong_type(tmp_path: Path) -> None:
    message, error = refusal(tmp_path, "endpoints: [{name: e, alarms: {ModelLatency: {threshold: '1s'}}}]\n")
    assert error.field == "endpoints[0].alarms.ModelLatency.threshold"
    assert "got text '1s'" in message


def test_empty_means_none() -> None:
    """Empty lists with a natural meaning are accepted: no narrowing, no subscriptions, no resources."""
    from cdk_sagemaker_monitoring.config.loader import parse_config

    config = parse_config("trail: {trial_component_prefixes: []}\nalarm_emails: []\nendpoints: []\n"
                          "training_jobs: []\npipelines: []\n", source="empty.yaml")
    assert config.trail.trial_component_prefixes is None  # every run, as when the key is left out
    assert config.alarm_emails == () and config.endpoints == () and config.resources() == ()


@pytest.mark.parametrize("text, field, words", [
    ("trail: {event_names: []}\n", "trail.event_names", "would log no event at all"),
    ("queries: {regions: []}\n", "queries.regions", "would project no log folder"),
    ("queries: {accounts: []}\n", "queries.accounts", "would project no log folder"),
])
def test_empty_lists_that_contradict_are_refused_saying_why(text: str, field: str, words: str) -> None:
    from cdk_sagemaker_monitoring.config.loader import parse_config

    with pytest.raises(ConfigurationError) as caught:
        parse_config(text, source="c.yaml")
    (error,) = caught.value.errors
    assert error.field == field and words in error.problem
