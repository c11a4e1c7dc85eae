"""SageMakerMonitoring synthesized: one resource of every family, per-family assertions, coverage of
every catalog metric (and the catalog against the facts table), alarm actions, guardrail outputs,
cfn-lint, the four cdk-nag packs and snapshots.

One app is synthesized per module (jsii start-up is the slow part).
"""

from __future__ import annotations

import json
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk.assertions import Match, Template

from cdk_sagemaker_monitoring import ConfigurationError, ConfigurationErrors, SageMakerMonitoring
from cdk_sagemaker_monitoring.catalog import CATALOG
from cdk_sagemaker_monitoring.catalog import namespaces as ns
from cdk_sagemaker_monitoring.plan import LimitExceeded
from support.synth import TEST_ENV, cfn_lint, nag_findings, new_app
from support.facts import FACTS

EVERY_FAMILY = dict(
    endpoints=[
        {"name": "mme", "variants": ["AllTraffic", "Canary"], "multi_model": True, "gpu": 4,
         "alarms": {"ModelLatency": {"threshold": 2_000_000}, "Invocation4XXErrors": {"enabled": False}}},
        {"name": "sls", "serverless": True},
        {"name": "sls-pc", "serverless": True, "provisioned_concurrency": True},
        {"name": "queue", "asynchronous": True, "variants": ["AllTraffic", "Blue"],
         "alarms": {"ApproximateAgeOfOldestRequest": {"threshold": 600}}},
        {"name": "llm", "gpu": 8, "inference_components": [
            "chat", {"name": "embed", "gpu": False, "alarms": {"ModelLatency": {"threshold": 250_000}}}]},
    ],
    training_jobs=[{"name": "train", "instance_count": 2, "gpu": True}],
    processing_jobs=["proc"],
    transform_jobs=[{"name": "batch", "gpu": True}],
    feature_groups=[{"name": "fg", "operations": ["GetRecord", "PutRecord"]}],
    pipelines=[{"name": "pipe", "steps": ["Train", "Evaluate"]}],
    labeling_jobs=["label"],
    workteams=["team"],
    alarm_emails=["ops@example.com"],
    dashboard_name="ml",
)


def build_every_family(app: cdk.App, stack_id: str = "Every") -> SageMakerMonitoring:
    stack = cdk.Stack(app, stack_id, env=TEST_ENV)
    return SageMakerMonitoring(stack, "Monitoring", **EVERY_FAMILY)


def build_caller_topic(app: cdk.App) -> SageMakerMonitoring:
    stack = cdk.Stack(app, "CallerTopic", env=TEST_ENV)
    topic = sns.Topic(stack, "Alerts", master_key=kms.Key(stack, "Key", enable_key_rotation=True), enforce_ssl=True)
    return SageMakerMonitoring(stack, "Monitoring", endpoints=["ep"], alarm_topic=topic, alarm_emails=["a@example.com"])


@pytest.fixture(scope="module")
def synthesized():
    app = new_app()
    every = build_every_family(app)
    build_every_family(app, "Twin")  # a second copy in the same app: names and ids must not collide
    caller = build_caller_topic(app)
    assembly = app.synth()
    return {
        "every": every, "caller": caller,
        "template": assembly.get_stack_by_name("Every").template,
        "twin": assembly.get_stack_by_name("Twin").template,
        "caller_template": assembly.get_stack_by_name("CallerTopic").template,
    }


@pytest.fixture(scope="module")
def template(synthesized):
    return synthesized["template"]


@pytest.fixture(scope="module")
def assertions(template):
    return Template.from_json(template)


def resources(template, kind):
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def alarms(template):
    return [r["Properties"] for r in resources(template, "AWS::CloudWatch::Alarm").values()]


def alarm(template, name):
    (props,) = [a for a in alarms(template) if a["AlarmName"] == name]
    return props


def dashboard_widgets(template):
    out = []
    for r in resources(template, "AWS::CloudWatch::Dashboard").values():
        out += json.loads(r["Properties"]["DashboardBody"]["Fn::Sub"])["widgets"]
    return out


def dashboard_pairs(template):
    pairs = set()
    for widget in dashboard_widgets(template):
        for line in widget["properties"].get("metrics", []):
            if isinstance(line[0], dict):
                e = line[0]["expression"]
                namespace = re.search(r'\{"?([^",}]+)"?[,}]', e) or re.search(r'Namespace="([^"]+)"', e)
                pairs.add((namespace.group(1), re.search(r'MetricName="([^"]+)"', e).group(1)))
            else:
                pairs.add((line[0], line[1]))
    return pairs


# ----------------------------------------------------------------------------- coverage

def test_dashboards_show_every_catalog_metric(template):
    catalog = {(r.namespace, r.metric) for r in CATALOG}
    assert dashboard_pairs(template) == catalog


def test_catalog_pairs_equal_the_facts_table():
    facts = {(fact["namespace"], metric) for (_, metric), fact in FACTS.items()}
    assert {(r.namespace, r.metric) for r in CATALOG} == facts


def test_alarms_for_every_family_all_with_actions(template):
    names = [a["AlarmName"] for a in alarms(template)]
    assert len(names) == len(set(names))
    kinds = {n.split("/")[1] for n in names}
    assert kinds == {"Endpoint", "InferenceComponent", "TrainingJob", "ProcessingJob", "TransformJob", "FeatureGroup",
                     "Pipeline", "LabelingJob"}  # work teams: no documented dimension set, so no alarm
    topic = {"Ref": next(iter(resources(template, "AWS::SNS::Topic")))}
    for props in alarms(template) + [r["Properties"] for r in resources(template, "AWS::CloudWatch::CompositeAlarm").values()]:
        assert props["ActionsEnabled"] is True
        assert props["AlarmActions"] == [topic] and props["OKActions"] == [topic]
        assert len(props["AlarmName"]) <= 255


# ----------------------------------------------------------------------------- per family

def test_endpoint(template, assertions):
    latency = alarm(template, "SageMaker/Endpoint/mme/ModelLatency/Warning")
    assert latency["Threshold"] == 2_000_000  # override, microseconds
    metrics = latency["Metrics"]
    assert [m["MetricStat"]["Metric"]["Dimensions"] for m in metrics[:2]] == [
        [{"Name": "EndpointName", "Value": "mme"}, {"Name": "VariantName", "Value": v}] for v in ("AllTraffic", "Canary")]
    assert all(m["MetricStat"]["Metric"]["Namespace"] == ns.SAGEMAKER for m in metrics[:2])
    assert metrics[2]["Expression"] == "MAX([m1,m2])"
    assert not [a for a in alarms(template) if a["AlarmName"].startswith("SageMaker/Endpoint/mme/Invocation4XX")]
    gpu = alarm(template, "SageMaker/Endpoint/mme/GPUMemoryUtilization/Warning")
    assert gpu["Threshold"] == 360 and gpu["TreatMissingData"] == "missing"  # 90 % x 4 GPUs
    assert gpu["Metrics"][0]["MetricStat"]["Metric"]["Namespace"] == ns.ENDPOINTS
    errors = alarm(template, "SageMaker/Endpoint/sls/Invocation5XXErrors/Critical")
    assert (errors["Statistic"], errors["Threshold"], errors["TreatMissingData"]) == ("Average", 0.01, "notBreaching")
    assert errors["Dimensions"] == [{"Name": "EndpointName", "Value": "sls"}, {"Name": "VariantName", "Value": "AllTraffic"}]
    assertions.has_resource_properties("AWS::CloudWatch::CompositeAlarm", {
        "AlarmName": "SageMaker/Endpoint/mme/Health/Composite",
        "AlarmRule": Match.string_like_regexp(r'ALARM\("SageMaker/Endpoint/mme/ModelLatency/Warning"\)'),
    })
    assert not [a for a in alarms(template) if a["AlarmName"].startswith("SageMaker/Endpoint/sls/")
                and "Utilization" in a["AlarmName"] and "/MemoryUtilization/" not in a["AlarmName"]]  # no instances


@pytest.mark.parametrize("kind,job,namespace", [("TrainingJob", "train", ns.TRAINING_JOBS),
                                                ("ProcessingJob", "proc", ns.PROCESSING_JOBS)])
def test_training_and_processing_jobs(template, kind, job, namespace):
    disk = alarm(template, f"SageMaker/{kind}/{job}/DiskUtilization/Critical")
    assert disk["Threshold"] == 90 and disk["TreatMissingData"] == "missing"
    sources = [m["MetricStat"]["Metric"] for m in disk.get("Metrics", [])[:-1]] or [disk]
    assert {s["Namespace"] for s in sources} == {namespace}
    hosts = [s["Dimensions"][0] for s in sources]
    count = 2 if job == "train" else 1
    assert hosts == [{"Name": "Host", "Value": f"{job}/algo-{n}"} for n in range(1, count + 1)]
    memory = alarm(template, f"SageMaker/{kind}/{job}/MemoryUtilization/Warning")
    assert memory["Threshold"] == 90


def test_transform_jobs(template):
    (props,) = [a for a in alarms(template) if a["AlarmName"].startswith("SageMaker/TransformJob/")]
    assert props["Metrics"][0]["Expression"].startswith("SELECT MAX(MemoryUtilization) FROM SCHEMA(")
    searches = [w for w in dashboard_widgets(template) for line in w["properties"].get("metrics", [])
                if isinstance(line[0], dict) and "TransformJobs" in line[0]["expression"] and "batch" in line[0]["expression"]]
    assert searches and not any("DiskUtilization" in json.dumps(w) for w in searches)


def test_feature_store(template):
    for metric, threshold in (("Operation5XXErrors", 0.01), ("ThrottledRequests", 0.01), ("Latency", 100_000)):
        (props,) = [a for a in alarms(template) if a["AlarmName"].startswith(f"SageMaker/FeatureGroup/fg/{metric}/")]
        assert props["Threshold"] == threshold
        dims = [m["MetricStat"]["Metric"]["Dimensions"] for m in props["Metrics"][:-1]]
        assert dims == [[{"Name": "FeatureGroupName", "Value": "fg"}, {"Name": "OperationName", "Value": op}]
                        for op in ("GetRecord", "PutRecord")]


def test_pipelines(template):
    failed = alarm(template, "SageMaker/Pipeline/pipe/ExecutionFailed/Critical")
    assert (failed["Namespace"], failed["Statistic"], failed["Threshold"], failed["TreatMissingData"]) == (
        ns.PIPELINES, "Sum", 0, "notBreaching")
    steps = alarm(template, "SageMaker/Pipeline/pipe/StepFailed/Warning")
    assert [m["MetricStat"]["Metric"]["Dimensions"][1]["Value"] for m in steps["Metrics"][:-1]] == ["Train", "Evaluate"]


def test_ground_truth(template):
    failed = alarm(template, "SageMaker/LabelingJob/_account/JobsFailed/Critical")  # one, for the account
    assert (failed["Namespace"], failed["Dimensions"]) == (ns.LABELING_JOBS, [])
    assert failed["TreatMissingData"] == "notBreaching"
    assert "third-party" in failed["AlarmDescription"]  # says what it rests on
    objects = alarm(template, "SageMaker/LabelingJob/label/DatasetObjectsLabelingFailed/Warning")
    assert objects["Dimensions"] == [{"Name": "LabelingJobName", "Value": "label"}]
    names = [a["AlarmName"] for a in alarms(template)]
    assert not [n for n in names if "/Workteam/" in n or n.endswith("/JobsFailed/Critical") and "_account" not in n]
    team = [w for w in dashboard_widgets(template) if ns.WORKTEAM in json.dumps(w) and "TasksDeclined" in json.dumps(w)]
    expressions = [line[0]["expression"] for w in team for line in w["properties"]["metrics"]]
    assert expressions and all(e.startswith(f"SEARCH('Namespace=\"{ns.WORKTEAM}\"") for e in expressions)
    assert not any("Workteam=" in e for e in expressions)


def test_asynchronous_endpoint(template):
    oldest = alarm(template, "SageMaker/Endpoint/queue/ApproximateAgeOfOldestRequest/Warning")
    assert (oldest["Namespace"], oldest["Threshold"], oldest["Statistic"]) == (ns.SAGEMAKER, 600, "Maximum")
    assert oldest["Dimensions"] == [{"Name": "EndpointName", "Value": "queue"}]  # the queue has no variant
    capacity = alarm(template, "SageMaker/Endpoint/queue/HasBacklogWithoutCapacity/Critical")
    assert (capacity["Threshold"], capacity["ComparisonOperator"]) == (0, "GreaterThanThreshold")
    failures = alarm(template, "SageMaker/Endpoint/queue/InvocationFailures/Critical")
    variants = [m["MetricStat"]["Metric"]["Dimensions"][1]["Value"] for m in failures["Metrics"][:-1]]
    assert variants == ["AllTraffic", "Blue"]
    assert (failures["Metrics"][0]["MetricStat"]["Stat"], failures["Threshold"]) == ("Sum", 0)
    names = {a["AlarmName"] for a in alarms(template) if a["AlarmName"].startswith("SageMaker/Endpoint/queue/")}
    for absent in ("OverheadLatency", "InvocationModelErrors"):  # async endpoints do not publish them
        assert not [n for n in names if f"/{absent}/" in n]


def test_serverless_endpoints(template):
    names = {a["AlarmName"] for a in alarms(template) if a["AlarmName"].startswith("SageMaker/Endpoint/sls")}
    assert "SageMaker/Endpoint/sls/MemoryUtilization/Warning" in names  # the serverless page lists it
    assert not [n for n in names if "InvocationModelErrors" in n or "Serverless" in n]
    expressions = [line[0]["expression"] for w in dashboard_widgets(template)
                   for line in w["properties"].get("metrics", []) if isinstance(line[0], dict)]
    searches = [e for e in expressions if "ServerlessProvisionedConcurrencySpilloverInvocations" in e and "pc" in e]
    assert searches and all(" sls pc'" in e for e in searches)


def test_inference_components(template):
    chat = alarm(template, "SageMaker/InferenceComponent/chat/Invocation5XXErrors/Critical")
    assert chat["Namespace"] == ns.SAGEMAKER
    assert chat["Dimensions"] == [{"Name": "InferenceComponentName", "Value": "chat"}]
    embed = alarm(template, "SageMaker/InferenceComponent/embed/ModelLatency/Warning")
    assert embed["Threshold"] == 250_000  # the component's own override
    assert alarm(template, "SageMaker/InferenceComponent/chat/ModelLatency/Warning")["Threshold"] == 1_000_000
    gpu = alarm(template, "SageMaker/InferenceComponent/chat/GPUMemoryUtilizationNormalized/Warning")
    assert (gpu["Namespace"], gpu["Threshold"]) == (ns.INFERENCE_COMPONENTS, 90)  # normalized: not x GPUs
    assert not [a for a in alarms(template) if a["AlarmName"].startswith("SageMaker/InferenceComponent/embed/GPU")]
    composite = next(r["Properties"] for r in resources(template, "AWS::CloudWatch::CompositeAlarm").values()
                     if r["Properties"]["AlarmName"] == "SageMaker/Endpoint/llm/Health/Composite")
    assert 'ALARM("SageMaker/InferenceComponent/chat/Invocation5XXErrors/Critical")' in composite["AlarmRule"]
    reserved = [line for w in dashboard_widgets(template) for line in w["properties"].get("metrics", [])
                if line[:2] == [ns.ENDPOINTS, "GPUReservation"]]
    assert reserved and reserved[0][2:6] == ["EndpointName", "llm", "VariantName", "AllTraffic"]


def test_thresholds_drawn_on_their_graphs(template):
    latency = next(w["properties"] for w in dashboard_widgets(template)
                   if w["properties"].get("title") == "Latency" and "mme" in json.dumps(w))
    assert {"label": "ModelLatency Warning: 2 s", "value": 2_000_000} in latency["annotations"]["horizontal"]
    assert latency["yAxis"]["left"]["label"] == "microseconds"


# ----------------------------------------------------------------------------- guardrails, topic, outputs

def test_guardrail_outputs(synthesized, template):
    monitoring = synthesized["every"]
    names = monitoring.guardrail_alarm_names("mme")
    assert names and len(names) <= 10 and all(n.startswith("SageMaker/Endpoint/mme/") for n in names)
    created = {a["AlarmName"] for a in alarms(template)}
    assert set(names) <= created
    values = {o["Value"] for o in template["Outputs"].values()}
    assert ",".join(names) in values
    with pytest.raises(Exception, match="not an endpoint"):
        monitoring.guardrail_alarm_names("nope")


def test_topic_is_encrypted_ssl_only_with_email_subscription(assertions):
    assertions.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    assertions.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    assertions.has_resource_properties("AWS::SNS::TopicPolicy", {"PolicyDocument": {"Statement": Match.array_with([
        Match.object_like({"Effect": "Deny", "Condition": {"Bool": {"aws:SecureTransport": "false"}}})])}})
    assertions.has_resource_properties("AWS::SNS::Subscription", {"Protocol": "email", "Endpoint": "ops@example.com"})


def test_caller_topic_is_used(synthesized):
    t = synthesized["caller_template"]
    (topic_id,) = resources(t, "AWS::SNS::Topic")
    assert topic_id.startswith("Alerts")
    assert all(a["AlarmActions"] == [{"Ref": topic_id}] for a in alarms(t))
    (sub,) = resources(t, "AWS::SNS::Subscription").values()
    assert sub["Properties"]["TopicArn"] == {"Ref": topic_id}


def test_dashboards_named_from_dashboard_name(template):
    names = sorted(r["Properties"]["DashboardName"] for r in resources(template, "AWS::CloudWatch::Dashboard").values())
    assert names == ["ml-Overview", "ml-Resources-1"]


def test_same_configuration_same_template(synthesized):
    assert json.dumps(synthesized["template"], sort_keys=True) == json.dumps(synthesized["twin"], sort_keys=True)


# ----------------------------------------------------------------------------- bad input, lint, nag, snapshot

def test_bad_specs_are_refused_before_anything_is_added():
    app = new_app()
    stack = cdk.Stack(app, "Bad", env=TEST_ENV)
    with pytest.raises(ConfigurationErrors) as info:
        SageMakerMonitoring(stack, "Monitoring", endpoints=["ok", {"name": "ep", "alarms": {"Nope": {"threshold": 1}}}])
    assert info.value.errors[0].field == "endpoints[1].alarms.Nope"
    with pytest.raises(ConfigurationErrors) as info:
        SageMakerMonitoring(stack, "Monitoring", pipelines=["p", "p"])
    assert info.value.errors[0].field == "pipelines[1].name"
    assert stack.node.children == []


def test_cfn_lint_clean(synthesized):
    assert cfn_lint(synthesized["template"]) == []
    assert cfn_lint(synthesized["caller_template"]) == []


def test_cdk_nag_clean():
    assert nag_findings(lambda app: (build_every_family(app), build_caller_topic(app))) == []


def test_snapshot(template, snapshot):
    assert template == snapshot


# ----------------------------------------------------------------------------- stack limits and placement

def test_more_than_500_resources_in_one_stack_is_refused_before_synth():
    app = new_app()
    stack = cdk.Stack(app, "TooBig", env=TEST_ENV)
    with pytest.raises(LimitExceeded) as info:  # shards=0: one stack (by default it would use nested stacks)
        SageMakerMonitoring(stack, "Monitoring", endpoints=[f"ep-{i}" for i in range(70)], shards=0)
    assert isinstance(info.value, ConfigurationError) and info.value.field == "shards"
    assert "565 resources" in str(info.value) and "500" in str(info.value)
    assert stack.node.children == []


def test_placement_spreads_resources_and_pages_over_nested_stacks():
    app = new_app()
    stack = cdk.Stack(app, "Placed", env=TEST_ENV)
    shards = [cdk.NestedStack(stack, f"Shard{i}") for i in range(2)]

    def placement(item):
        return shards[0] if getattr(item, "kind", "") == "endpoint" else shards[1]

    monitoring = SageMakerMonitoring(stack, "Monitoring", endpoints=["a", "b"], pipelines=["p"], placement=placement)
    app.synth()
    parent = Template.from_stack(stack).to_json()
    endpoints, rest = (Template.from_stack(s).to_json() for s in shards)
    assert not resources(parent, "AWS::CloudWatch::Alarm") and not resources(parent, "AWS::CloudWatch::Dashboard")
    assert {a["AlarmName"].split("/")[2] for a in alarms(endpoints)} == {"a", "b"}
    assert {a["AlarmName"].split("/")[2] for a in alarms(rest)} == {"p"}
    assert len(resources(rest, "AWS::CloudWatch::Dashboard")) == len(monitoring.dashboard_names) == 2
    assert cfn_lint(endpoints) == [] and cfn_lint(rest) == []


def test_wrong_alarm_topic_type_is_refused():
    app = new_app()
    stack = cdk.Stack(app, "BadTopic", env=TEST_ENV)
    with pytest.raises(ConfigurationError) as info:
        SageMakerMonitoring(stack, "Monitoring", endpoints=["ep"], alarm_topic=42)
    assert info.value.field == "alarm_topic"
    with pytest.raises(ConfigurationErrors) as info:
        SageMakerMonitoring(stack, "Monitoring", endpoints=["ep"], alarm_topic="arn:aws:sqs:us-east-1:123456789012:q")
    assert info.value.errors[0].field == "alarm_topic" and "alarm_topic:" in str(info.value)
