"""ExperimentMetricsStream's template: rule pattern, function, role, alarms, dashboard; cfn-lint, cdk-nag, flags."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from cdk_sagemaker_monitoring import ConfigurationError, ExperimentMetricsStream, ExperimentMetricsTrail
from cdk_sagemaker_monitoring.live import handler as live
from cdk_sagemaker_monitoring.plan.stream import custom_metric_count
from support.emf import parse_emf
from support.synth import TEST_ENV, cfn_lint, nag_findings, new_app, template_of

ALARMS = {"validation:loss": {"threshold": 2.5}, "accuracy": {"threshold": 0.2, "comparison": "LessThanThreshold",
                                                             "statistic": "Minimum", "period": 300,
                                                             "evaluation_periods": 3, "datapoints_to_alarm": 2}}


def stream_stack(app: cdk.App, **kwargs: Any) -> tuple[cdk.Stack, ExperimentMetricsStream]:
    stack = cdk.Stack(app, "Runs", env=TEST_ENV)
    return stack, ExperimentMetricsStream(stack, "Stream", **kwargs)


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def only(template: dict, kind: str) -> dict:
    found = list(resources(template, kind).values())
    assert len(found) == 1, (kind, found)
    return found[0]["Properties"]


def ref_id(value: Any) -> str:
    """The logical id a Ref or GetAtt points to."""
    return value["Ref"] if "Ref" in value else value["Fn::GetAtt"][0]


@pytest.fixture(scope="module")
def synthesized() -> tuple[cdk.Stack, ExperimentMetricsStream, dict]:
    stack, stream = stream_stack(new_app(), metric_names=["validation:loss", "train:loss", "accuracy"],
                                 trial_component_prefixes=["exp-1-", "exp-2-"], alarms=ALARMS)
    return stack, stream, template_of(stack)


def test_the_rule_matches_the_batch_put_metrics_events_of_the_prefixes_and_names(synthesized: tuple) -> None:
    _, _, template = synthesized
    rule = only(template, "AWS::Events::Rule")
    assert rule["EventPattern"] == {
        "source": ["aws.metrics-sagemaker"],
        "detail-type": ["AWS API Call via CloudTrail"],
        "detail": {
            "eventSource": ["metrics-sagemaker.amazonaws.com"],
            "eventName": ["BatchPutMetrics"],
            "requestParameters": {
                "trialComponentName": [{"prefix": "exp-1-"}, {"prefix": "exp-2-"}],
                "metricData": {"metricName": ["validation:loss", "train:loss", "accuracy"]},
            },
        },
    }
    (target,) = rule["Targets"]
    functions = resources(template, "AWS::Lambda::Function")
    queues = resources(template, "AWS::SQS::Queue")
    assert ref_id(target["Arn"]) in functions
    assert ref_id(target["DeadLetterConfig"]["Arn"]) in queues
    assert target["RetryPolicy"] == {"MaximumEventAgeInSeconds": 7200, "MaximumRetryAttempts": 8}
    permission = only(template, "AWS::Lambda::Permission")
    assert permission["Principal"] == "events.amazonaws.com" and permission["Action"] == "lambda:InvokeFunction"
    assert ref_id(permission["SourceArn"]) in resources(template, "AWS::Events::Rule")


def test_without_filters_the_rule_takes_every_batch_put_metrics_event() -> None:
    stack, _ = stream_stack(new_app())
    assert only(template_of(stack), "AWS::Events::Rule")["EventPattern"]["detail"] == {
        "eventSource": ["metrics-sagemaker.amazonaws.com"], "eventName": ["BatchPutMetrics"]}


def test_the_function_runs_the_packaged_handler(synthesized: tuple) -> None:
    _, _, template = synthesized
    fn = only(template, "AWS::Lambda::Function")
    assert fn["Runtime"] == "python3.14" and fn["Handler"] == "handler.handler"
    assert fn["Architectures"] == ["arm64"] and fn["Timeout"] == 30
    assert fn["Environment"]["Variables"] == {
        live.NAMESPACE_ENV: "SageMaker/Experiments",
        live.METRIC_NAMES_ENV: json.dumps(["validation:loss", "train:loss", "accuracy"]),
        live.PREFIXES_ENV: json.dumps(["exp-1-", "exp-2-"]),
    }
    assert "ReservedConcurrentExecutions" not in fn
    queue_id = next(iter(resources(template, "AWS::SQS::Queue")))
    assert ref_id(fn["DeadLetterConfig"]["TargetArn"]) == queue_id
    group_id = next(iter(resources(template, "AWS::Logs::LogGroup")))
    assert fn["LoggingConfig"] == {"LogFormat": "Text", "LogGroup": {"Ref": group_id}}
    assert only(template, "AWS::Logs::LogGroup")["RetentionInDays"] == 30
    queue = only(template, "AWS::SQS::Queue")
    assert queue["SqsManagedSseEnabled"] is True and queue["MessageRetentionPeriod"] == 14 * 86400
    invoke = only(template, "AWS::Lambda::EventInvokeConfig")
    assert invoke["MaximumRetryAttempts"] == 2


def test_the_asset_is_the_live_folder_and_its_handler_works_as_lambda_imports_it(synthesized: tuple,
                                                                                  tmp_path: Path) -> None:
    stack, _, template = synthesized
    assembly = cdk.App.of(stack).synth()  # type: ignore[union-attr]
    fn = only(template, "AWS::Lambda::Function")
    digest = fn["Code"]["S3Key"].split(".")[0]
    staged = Path(assembly.directory) / f"asset.{digest}"
    files = sorted(p.relative_to(staged).as_posix() for p in staged.rglob("*") if p.is_file())
    assert files == ["__init__.py", "handler.py"]
    assert (staged / "handler.py").read_bytes() == Path(live.__file__).read_bytes()
    # import it the way the Lambda runtime does: module "handler" from the asset root
    spec = importlib.util.spec_from_file_location("handler", staged / "handler.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    out: list[str] = []
    event = {"detail": {"eventTime": "2024-05-01T00:00:00Z", "requestParameters": {
        "trialComponentName": "exp-1-a", "metricData": [{"metricName": "m", "timestamp": 1714521600000, "value": 2}]}}}
    module.handler(event, None, write=out.append)
    points, _ = parse_emf("".join(out))
    assert [(p.metric, p.value, p.dimensions) for p in points] == [("m", 2.0, (("TrialComponentName", "exp-1-a"),))]


def test_the_role_may_only_write_its_log_group_and_send_dead_letters(synthesized: tuple) -> None:
    _, _, template = synthesized
    role_id, role = next(iter(resources(template, "AWS::IAM::Role").items()))
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]
    assert "Policies" not in role["Properties"] and "ManagedPolicyArns" not in role["Properties"]
    policy = only(template, "AWS::IAM::ManagedPolicy")
    assert policy["Roles"] == [{"Ref": role_id}]
    group_id = next(iter(resources(template, "AWS::Logs::LogGroup")))
    queue_id = next(iter(resources(template, "AWS::SQS::Queue")))
    assert policy["PolicyDocument"]["Statement"] == [
        {"Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Effect": "Allow", "Sid": "WriteItsLogs",
         "Resource": {"Fn::Join": ["", [{"Fn::GetAtt": [group_id, "Arn"]}, ":log-stream:*"]]}},
        {"Action": "sqs:SendMessage", "Effect": "Allow", "Sid": "DeadLetters",
         "Resource": {"Fn::GetAtt": [queue_id, "Arn"]}},
    ]
    # nothing else grants the role anything
    assert resources(template, "AWS::IAM::Policy") == {}
    fn = next(iter(resources(template, "AWS::Lambda::Function").values()))
    assert next(iter(resources(template, "AWS::IAM::ManagedPolicy"))) in fn["DependsOn"]


def test_alarms_across_runs_are_metrics_insights_queries_grouped_by_run(synthesized: tuple) -> None:
    _, stream, template = synthesized
    alarms = {a["Properties"]["AlarmName"]: a["Properties"]
              for a in resources(template, "AWS::CloudWatch::Alarm").values()}
    assert sorted(alarms) == ["SageMaker/ExperimentRuns/NonFiniteValues", "SageMaker/ExperimentRuns/accuracy",
                              "SageMaker/ExperimentRuns/validation:loss"]
    assert set(stream.alarm_names) == set(alarms)
    schema = 'FROM SCHEMA("SageMaker/Experiments", "TrialComponentName") GROUP BY "TrialComponentName"'
    non_finite = alarms["SageMaker/ExperimentRuns/NonFiniteValues"]
    query = f'SELECT MAX("NonFiniteValues") {schema} ORDER BY MAX() DESC LIMIT 500'
    assert non_finite["Metrics"] == [{"Id": "runs", "Label": "NonFiniteValues", "Period": 60, "ReturnData": True,
                                      "Expression": query}]
    assert (non_finite["ComparisonOperator"], non_finite["Threshold"]) == ("GreaterThanThreshold", 0)
    assert non_finite["TreatMissingData"] == "notBreaching"
    loss = alarms["SageMaker/ExperimentRuns/validation:loss"]
    assert loss["Metrics"][0]["Expression"] == f'SELECT MAX("validation:loss") {schema} ORDER BY MAX() DESC LIMIT 500'
    assert (loss["ComparisonOperator"], loss["Threshold"]) == ("GreaterThanThreshold", 2.5)
    assert loss["EvaluationPeriods"] == 1
    accuracy = alarms["SageMaker/ExperimentRuns/accuracy"]
    assert accuracy["Metrics"][0]["Expression"] == f'SELECT MIN("accuracy") {schema} ORDER BY MIN() ASC LIMIT 500'
    assert accuracy["Metrics"][0]["Period"] == 300
    assert (accuracy["ComparisonOperator"], accuracy["Threshold"]) == ("LessThanThreshold", 0.2)
    assert (accuracy["EvaluationPeriods"], accuracy["DatapointsToAlarm"]) == (3, 2)
    assert all("AlarmActions" not in a for a in alarms.values())


def test_the_alarms_notify_the_topic_given() -> None:
    stack, _ = stream_stack(new_app(), alarm_topic="arn:aws:sns:us-east-1:123456789012:runs")
    for alarm in resources(template_of(stack), "AWS::CloudWatch::Alarm").values():
        assert alarm["Properties"]["AlarmActions"] == ["arn:aws:sns:us-east-1:123456789012:runs"]
        assert alarm["Properties"]["OKActions"] == ["arn:aws:sns:us-east-1:123456789012:runs"]


def _dashboard(template: dict) -> tuple[dict, dict]:
    body, variables = only(template, "AWS::CloudWatch::Dashboard")["DashboardBody"]["Fn::Sub"]
    return json.loads(body), variables


def test_the_dashboard_graphs_a_line_per_run_for_each_metric_name(synthesized: tuple) -> None:
    _, _, template = synthesized
    body, variables = _dashboard(template)
    graphs = {w["properties"]["title"]: w["properties"]["metrics"][0][0]["expression"]
              for w in body["widgets"] if w["type"] == "metric" and "expression" in str(w["properties"]["metrics"])}
    schema = '{"SageMaker/Experiments",TrialComponentName}'
    assert graphs == {
        "validation:loss": f"SEARCH('{schema} MetricName=\"validation:loss\"', 'Maximum', 60)",
        "train:loss": f"SEARCH('{schema} MetricName=\"train:loss\"', 'Maximum', 60)",
        "accuracy": f"SEARCH('{schema} MetricName=\"accuracy\"', 'Maximum', 60)",
        "NonFiniteValues (diverged runs)": f"SEARCH('{schema} MetricName=\"NonFiniteValues\"', 'Maximum', 60)",
    }
    alarm_widget = next(w for w in body["widgets"] if w["type"] == "alarm")
    alarm_ids = set(resources(template, "AWS::CloudWatch::Alarm"))
    assert {ref_id(variables[a[2:-1]]) for a in alarm_widget["properties"]["alarms"]} == alarm_ids
    assert ref_id(variables["FunctionName"]) in resources(template, "AWS::Lambda::Function")
    assert ref_id(variables["QueueName"]) in resources(template, "AWS::SQS::Queue")
    # every ${...} of the body is a variable or a pseudo parameter
    placeholders = set(re.findall(r"\$\{([^}!]+)\}", json.dumps(body)))
    assert placeholders <= set(variables) | {"AWS::Region"}
    for widget in body["widgets"]:  # on the 24-column grid, no overlap of rows beyond the grid
        assert widget["x"] + widget["width"] <= 24


def test_without_metric_names_the_dashboard_has_a_graph_of_every_name() -> None:
    stack, _ = stream_stack(new_app(), namespace="Team/Runs", dashboard_name="team-runs")
    template = template_of(stack)
    assert only(template, "AWS::CloudWatch::Dashboard")["DashboardName"] == "team-runs"
    body, _ = _dashboard(template)
    titles = [w["properties"].get("title") for w in body["widgets"] if w["type"] == "metric"]
    assert "Every logged metric" in titles
    every = next(w for w in body["widgets"] if w["properties"].get("title") == "Every logged metric")
    assert "NOT MetricName=\\\"NonFiniteValues\\\"" in json.dumps(every["properties"]["metrics"][0][0]["expression"])


def test_cfn_lint_is_clean(synthesized: tuple) -> None:
    assert cfn_lint(synthesized[2]) == []


@pytest.mark.parametrize("kwargs", [
    {"metric_names": ["validation:loss"], "alarms": {"validation:loss": {"threshold": 2.5}}},
    {"reserved_concurrency": 5, "alarm_topic": "arn:aws:sns:us-east-1:123456789012:t"},
])
def test_the_four_cdk_nag_packs_are_clean(kwargs: dict) -> None:
    assert nag_findings(lambda app: stream_stack(app, **kwargs)) == []


def test_the_template_does_not_depend_on_feature_flags() -> None:
    def build(flags: bool) -> dict:
        stack, _ = stream_stack(new_app(flags=flags), metric_names=["a"], alarms={"a": {"threshold": 1}},
                                alarm_topic="arn:aws:sns:us-east-1:123456789012:t")
        return template_of(stack)

    assert build(False) == build(True)  # exactly, not even the order of statements differs


def test_same_input_same_template_bytes() -> None:
    def text() -> str:
        stack, _ = stream_stack(new_app(), metric_names=["b", "a"],
                                alarms={"a": {"threshold": 1}, "b": {"threshold": 2}})
        return json.dumps(template_of(stack), sort_keys=True)

    assert text() == text()


def test_reserved_concurrency_runtime_and_a_log_key_are_set_when_asked() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Runs", env=TEST_ENV)
    key = cdk.aws_kms.Key(stack, "Key", enable_key_rotation=True)
    ExperimentMetricsStream(stack, "Stream", reserved_concurrency=3, encryption_key=key, log_retention_days=365,
                            python_runtime="python3.12")
    template = template_of(stack)
    assert only(template, "AWS::Lambda::Function")["ReservedConcurrentExecutions"] == 3
    assert only(template, "AWS::Lambda::Function")["Runtime"] == "python3.12"
    group = only(template, "AWS::Logs::LogGroup")
    assert group["RetentionInDays"] == 365 and ref_id(group["KmsKeyId"]) in resources(template, "AWS::KMS::Key")


# ----------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"namespace": "AWS/SageMaker"}, "namespace", "not starting with AWS/"),
    ({"metric_names": ["a", "a"]}, "metric_names", "twice"),
    ({"metric_names": ["NonFiniteValues"]}, "metric_names[0]", "reserved"),
    ({"metric_names": ["a"], "alarms": {"b": {"threshold": 1}}}, "alarms.b", "metric_names leaves out"),
    ({"alarms": {"loss": {"threshold": 1, "period": 90}}}, "alarms.loss.period", "multiple of 60"),
    ({"alarms": {"loss": {"threshold": 1, "comparison": "Above"}}}, "alarms.loss.comparison", ""),
    ({"trial_component_prefixes": ["Exp-"]}, "trial_component_prefixes[0]", "lower-case"),
    ({"log_retention_days": 31}, "log_retention_days", "nearest: 30"),
    ({"python_runtime": "python3.9"}, "python_runtime", "python3.14"),
    ({"metric_names": [f"metric-{i:04d}" for i in range(400)]}, "metric_names", "4096"),
])
def test_bad_arguments_are_refused_naming_the_field(kwargs: dict, field: str, words: str) -> None:
    app = new_app()
    stack = cdk.Stack(app, "Runs", env=TEST_ENV)
    with pytest.raises(ConfigurationError) as caught:
        ExperimentMetricsStream(stack, "Stream", **kwargs)
    assert field in str(caught.value) and words in str(caught.value)
    assert stack.node.try_find_child("Stream") is None  # nothing half-built


def test_the_trail_must_log_batch_put_metrics_and_its_prefixes_bound_the_stream() -> None:
    app = new_app()
    stack = cdk.Stack(app, "Runs", env=TEST_ENV)
    other = ExperimentMetricsTrail(stack, "Other", event_names=["GetMetrics"])
    with pytest.raises(ConfigurationError, match="trail: logs only GetMetrics"):
        ExperimentMetricsStream(stack, "S1", trail=other)
    trail = ExperimentMetricsTrail(stack, "Trail", event_names=["BatchPutMetrics"], trial_component_prefixes=["exp-"])
    with pytest.raises(ConfigurationError, match=r"trial_component_prefixes\[0\]: 'run-' is not within"):
        ExperimentMetricsStream(stack, "S2", trail=trail, trial_component_prefixes=["run-"])
    inherited = ExperimentMetricsStream(stack, "S3", trail=trail)
    assert inherited.config.trial_component_prefixes == ["exp-"]
    narrower = ExperimentMetricsStream(stack, "S4", trail=trail, trial_component_prefixes=["exp-7-"],
                                       namespace="Other/NS", alarm_name_prefix="S4")
    assert narrower.config.trial_component_prefixes == ["exp-7-"]


def test_the_custom_metric_count_a_cost_counter_reads() -> None:
    assert custom_metric_count(10, 3) == 40
    assert custom_metric_count(10, 3, non_finite=False) == 30
    _, stream = stream_stack(new_app(), metric_names=["a", "b"])
    assert stream.custom_metric_count(runs=25) == 75
    _, unbounded = stream_stack(new_app())
    with pytest.raises(ConfigurationError, match="metric_names"):
        unbounded.custom_metric_count(runs=1)


def test_snapshot(synthesized: tuple, snapshot: Any) -> None:
    assert synthesized[2] == snapshot
