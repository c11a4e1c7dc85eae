"""The signals SageMaker added, planned: algorithm metrics by TrainingJobName, enhanced metrics (worst instances and
GPUs by Metrics Insights), NoCapacityInvocationFailures, ContainerLatency by ContainerName, HyperPod node health and
Model Monitor schedules."""

from __future__ import annotations

import json

import pytest

from cdk_sagemaker_monitoring import ConfigurationErrors
from cdk_sagemaker_monitoring.catalog import namespaces as ns
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.plan import plan_monitoring


def plan(**kwargs):
    return plan_monitoring(validate(MonitoringConfig, kwargs))


def widgets(p, kind, name):
    return [w.properties for w in p.resource(kind, name).section.widgets if w.type == "metric"]


def lines(props):
    return props["metrics"]


def alarm(p, name):
    return next(a for a in p.alarms if a.name == name)


# ------------------------------------------------------------------------------------ training jobs

def test_algorithm_metrics_are_graphed_by_training_job_name():
    p = plan(training_jobs=[{"name": "job", "metrics": ["train:loss", "validation:auc"]}])
    graph = next(w for w in widgets(p, "training_job", "job") if w["title"] == "Algorithm metrics")
    assert [line[:4] for line in lines(graph)] == [
        ["/aws/sagemaker/TrainingJobs", "train:loss", "TrainingJobName", "job"],
        ["/aws/sagemaker/TrainingJobs", "validation:auc", "TrainingJobName", "job"]]
    assert not [a for a in p.alarms if "loss" in a.name or "auc" in a.name]  # no threshold, no alarm


def test_a_threshold_makes_an_alarm_on_the_job():
    p = plan(training_jobs=[{"name": "job", "metrics": [
        {"name": "validation:auc", "threshold": 0.7, "comparison": "LessThanThreshold"}]}])
    a = alarm(p, "SageMaker/TrainingJob/job/validation:auc/Warning")
    props = a.properties()
    assert (props["Namespace"], props["MetricName"], props["Dimensions"]) == (
        "/aws/sagemaker/TrainingJobs", "validation:auc", [{"Name": "TrainingJobName", "Value": "job"}])
    assert (props["ComparisonOperator"], props["Threshold"], props["TreatMissingData"]) == (
        "LessThanThreshold", 0.7, "missing")


def test_algorithm_alarms_stay_per_job_in_fleet_mode():
    p = plan(alarm_mode="fleet", training_jobs=[{"name": "job", "metrics": [{"name": "train:loss", "threshold": 5}]}])
    assert alarm(p, "SageMaker/TrainingJob/job/train:loss/Warning").resource_name == "job"


def test_the_silence_guard_fires_when_the_job_runs_but_the_metric_is_silent():
    p = plan(training_jobs=[{"name": "job", "metrics": [{"name": "train:loss", "silent_minutes": 30}]}])
    props = alarm(p, "SageMaker/TrainingJob/job/train:loss/Silent/Warning").properties()
    by_id = {m["Id"]: m for m in props["Metrics"]}
    assert by_id["m1"]["MetricStat"]["Metric"] == {"Namespace": "/aws/sagemaker/TrainingJobs",
                                                    "MetricName": "CPUUtilization",
                                                    "Dimensions": [{"Name": "Host", "Value": "job/algo-1"}]}
    assert by_id["m2"]["MetricStat"]["Metric"]["Dimensions"] == [{"Name": "TrainingJobName", "Value": "job"}]
    assert {by_id["m1"]["MetricStat"]["Stat"], by_id["m2"]["MetricStat"]["Stat"]} == {"SampleCount"}
    assert by_id["m1"]["MetricStat"]["Period"] == 1800
    assert by_id["guard"]["Expression"] == "IF(FILL(m1, 0) > 0 AND FILL(m2, 0) == 0, 1, 0)"
    assert (props["Threshold"], props["ComparisonOperator"], props["TreatMissingData"]) == (
        0, "GreaterThanThreshold", "notBreaching")
    assert "NaN" in props["AlarmDescription"]


@pytest.mark.parametrize("metrics, problem", [
    (["train:loss", "train:loss"], "listed twice"),
    (["CPUUtilization"], "instance metric of every training job"),
    ([{"name": "x", "silent_minutes": 0}], "greater than or equal to 1"),
    ([{"name": "x", "period": 45, "threshold": 1}], "not an alarm period"),
])
def test_bad_algorithm_metrics_are_refused(metrics, problem):
    with pytest.raises(ConfigurationErrors) as err:
        plan(training_jobs=[{"name": "job", "metrics": metrics}])
    assert "training_jobs[0].metrics" in str(err.value) and problem in str(err.value)


# ---------------------------------------------------------------------------------- enhanced metrics

def test_enhanced_endpoints_graph_the_worst_instances_and_gpus():
    p = plan(endpoints=[{"name": "ep", "gpu": 4, "enhanced_metrics": True, "metric_publish_frequency": 30}])
    graphs = {w["title"]: w for w in widgets(p, "endpoint", "ep")}
    cpu = lines(graphs["Worst instances: CPU"])[0][0]
    assert cpu["expression"] == ('SELECT MAX(CPUUtilization) FROM "/aws/sagemaker/Endpoints" '
                                 "WHERE EndpointName = 'ep' GROUP BY InstanceId ORDER BY MAX() DESC LIMIT 10")
    assert cpu["period"] == 30
    gpu = [line[0]["expression"] for line in lines(graphs["Worst GPUs"])]
    assert all("GROUP BY InstanceId, AcceleratorId" in e for e in gpu) and len(gpu) == 2
    memory = lines(graphs["Worst instances: memory and disk"])[0][0]
    assert memory["period"] == 60  # its alarm's period: never shorter than the publish frequency


def test_periods_follow_a_slow_publish_frequency():
    p = plan(endpoints=[{"name": "ep", "enhanced_metrics": True, "metric_publish_frequency": 300}])
    graphs = {w["title"]: w for w in widgets(p, "endpoint", "ep")}
    assert {line[0]["period"] for line in lines(graphs["Worst instances: memory and disk"])} == {300}
    assert {a.period for a in p.fleet_alarms} == {300}


def test_worst_instance_alarms_are_few_fleet_metrics_insights_alarms():
    many = plan(endpoints=[{"name": f"ep{i}", "enhanced_metrics": True, "gpu": 2} for i in range(300)])
    assert [a.name for a in many.fleet_alarms] == [
        "SageMaker/Endpoint/_fleet/MemoryUtilization/WorstInstance/Warning",
        "SageMaker/Endpoint/_fleet/DiskUtilization/WorstInstance/Critical"]
    assert many.fleet_alarms[0].query == ('SELECT MAX(MemoryUtilization) FROM "/aws/sagemaker/Endpoints" '
                                          "GROUP BY EndpointName, InstanceId ORDER BY MAX() DESC LIMIT 500")
    assert all(a.uses_metrics_insights for a in many.fleet_alarms)
    assert not plan(endpoints=["ep"]).fleet_alarms  # none without enhanced metrics


def test_worst_instance_alarms_count_against_the_quota():
    from cdk_sagemaker_monitoring.plan.limits import LimitExceeded
    with pytest.raises(LimitExceeded, match="metrics_insights_alarm_quota"):
        plan(endpoints=[{"name": "ep", "enhanced_metrics": True}], metrics_insights_alarm_quota=1)


def test_enhanced_rows_do_not_change_the_variant_alarms():
    plain = plan(endpoints=[{"name": "ep", "alarms": {"MemoryUtilization": 80}}])
    enhanced = plan(endpoints=[{"name": "ep", "alarms": {"MemoryUtilization": 80}, "enhanced_metrics": True}])
    assert plain.resource("endpoint", "ep").alarms == enhanced.resource("endpoint", "ep").alarms


def test_inference_components_of_enhanced_endpoints_graph_their_worst_copies():
    p = plan(endpoints=[{"name": "ep", "gpu": 1, "enhanced_metrics": True, "metric_publish_frequency": 30,
                         "inference_components": ["chat", {"name": "embed", "enhanced_metrics": False}]}])
    section = p.resource("endpoint", "ep").section
    queries = [line[0]["expression"] for w in section.widgets if w.type == "metric"
               and w.properties["title"] == "Worst copies (containers)" for line in w.properties["metrics"]]
    assert len(queries) == 4 and all("WHERE InferenceComponentName = 'chat' GROUP BY ContainerId" in q for q in queries)
    assert queries[0].startswith('SELECT MAX(CPUUtilizationNormalized) FROM "/aws/sagemaker/InferenceComponents"')
    periods = {line[0]["period"] for w in section.widgets if w.type == "metric"
               and w.properties["title"] == "Worst copies (containers)" for line in w.properties["metrics"]}
    assert periods == {30}


@pytest.mark.parametrize("endpoint, problem", [
    ({"serverless": True}, "a serverless endpoint has no enhanced metrics"),
    ({"multi_model": True}, "a multi-model endpoint has no enhanced metrics"),
    ({"metric_publish_frequency": 45}, "45 is not a publish frequency"),
])
def test_impossible_enhanced_settings_are_refused(endpoint, problem):
    with pytest.raises(ConfigurationErrors, match=problem):
        plan(endpoints=[{"name": "ep", "enhanced_metrics": True, **endpoint}])


# --------------------------------------------------------------------------- scale to zero, containers

def test_scale_to_zero_components_alarm_on_no_capacity_failures():
    p = plan(endpoints=[{"name": "ep", "inference_components": [{"name": "ic", "scale_to_zero": True}, "other"]}])
    a = alarm(p, "SageMaker/InferenceComponent/ic/NoCapacityInvocationFailures/Warning")
    props = a.properties()
    assert (props["Namespace"], props["Dimensions"], props["Statistic"], props["Threshold"]) == (
        "AWS/SageMaker", [{"Name": "InferenceComponentName", "Value": "ic"}], "Sum", 0)
    assert not [x for x in p.alarms if "other/NoCapacity" in x.name]


def test_container_latency_is_graphed_and_alarmed_by_container_name():
    p = plan(endpoints=[{"name": "mce", "containers": ["tabular", "text"]}])
    graph = next(w for w in widgets(p, "endpoint", "mce") if w["title"] == "Latency per container")
    assert [line[:8] for line in lines(graph)] == [
        ["AWS/SageMaker", "ContainerLatency", "EndpointName", "mce", "VariantName", "AllTraffic", "ContainerName", c]
        for c in ("tabular", "text")]
    a = alarm(p, "SageMaker/Endpoint/mce/ContainerLatency/Warning")
    assert [s.dimensions[-1] for s in a.sources] == [("ContainerName", "tabular"), ("ContainerName", "text")]
    assert "Invocations per container" in {w["title"] for w in widgets(p, "endpoint", "mce")}


def test_endpoint_alarms_do_not_reach_per_container_rows():
    p = plan(endpoints=[{"name": "mce", "containers": ["a", "b"], "alarms": {"Invocation4XXErrors": 0.1}}])
    names = [a.name for a in p.alarms]
    assert names.count("SageMaker/Endpoint/mce/Invocation4XXErrors/Warning") == 1
    graph = next(w for w in widgets(p, "endpoint", "mce") if w["title"] == "Errors per container (share)")
    assert "annotations" not in graph


def test_containers_are_checked():
    with pytest.raises(ConfigurationErrors, match="2 to 15 containers"):
        plan(endpoints=[{"name": "mce", "containers": ["only"]}])
    with pytest.raises(ConfigurationErrors, match="cannot invoke containers directly"):
        plan(endpoints=[{"name": "mce", "containers": ["a", "b"], "serverless": True}])


# ----------------------------------------------------------------------------------------- HyperPod

def test_hyperpod_cluster_gets_node_health_graphs_and_alarms():
    p = plan(hyperpod_clusters=["pretrain"])
    graphs = {w["title"]: w for w in widgets(p, "hyperpod_cluster", "pretrain")}
    assert {line[0] for line in lines(graphs["Node health"])} == {"ContainerInsights"}
    assert {tuple(line[2:4]) for line in lines(graphs["Unhealthy nodes"])} == {("ClusterName", "pretrain")}
    replace = alarm(p, "SageMaker/HyperPodCluster/pretrain/hyperpod_node_health_status_unschedulable_pending_replacement/"
                       "Critical").properties()
    assert (replace["Namespace"], replace["Dimensions"], replace["Statistic"]) == (
        "ContainerInsights", [{"Name": "ClusterName", "Value": "pretrain"}], "Maximum")


# ------------------------------------------------------------------------------------ Model Monitor

def test_data_quality_schedule_graphs_drift_by_search_in_any_namespace():
    p = plan(monitoring_schedules=[{"name": "dq-hourly", "endpoint": "ep"}])
    graphs = {w["title"]: w for w in widgets(p, "monitoring_schedule", "dq-hourly")}
    drift = lines(graphs["Feature drift (baseline distance per feature)"])[0][0]["expression"]
    assert drift == "SEARCH('feature baseline drift (MonitoringSchedule OR ScheduleName) dq hourly', 'Sum', 3600)"
    assert "Namespace" not in drift and not p.alarms


def test_model_quality_alarm_takes_the_worst_of_both_spellings():
    p = plan(monitoring_schedules=[{"name": "mq", "endpoint": "ep", "type": "model_quality",
                                    "metrics": [{"name": "auc", "threshold": 0.8}, "f1"]}])
    a = alarm(p, "SageMaker/MonitoringSchedule/mq/auc/Warning")
    assert [s.namespace for s in a.sources] == list(ns.MODEL_MONITOR_MODEL_SPELLINGS)
    assert {s.dimensions for s in a.sources} == {(("Endpoint", "ep"), ("MonitoringSchedule", "mq"))}
    assert (a.comparison, a.threshold) == ("LessThanThreshold", 0.8)
    assert "MAX([m1,m2])" in json.dumps(a.properties())


def test_metrics_only_on_model_quality_schedules():
    with pytest.raises(ConfigurationErrors, match="data_quality schedule has no model-quality metrics"):
        plan(monitoring_schedules=[{"name": "dq", "endpoint": "ep", "metrics": ["auc"]}])
    with pytest.raises(ConfigurationErrors, match="not a monitoring type"):
        plan(monitoring_schedules=[{"name": "dq", "endpoint": "ep", "type": "drift"}])


def test_every_rejected_model_monitor_spelling_is_named():
    assert set(ns.MODEL_MONITOR_MODEL_SPELLINGS) <= set(ns.MODEL_MONITOR_SPELLINGS)
    rejected = [k for k, why in ns.MODEL_MONITOR_SPELLINGS.items() if why.startswith("rejected")]
    assert "/aws/sagemaker/Endpoints/data-metric" in rejected and "/aws/sagemaker/Endpoint/data-metrics" in rejected


# ----------------------------------------------------------------------------------------- sharding

def test_new_kinds_shard_like_the_others():
    p = plan(shards=2, hyperpod_clusters=["hp"], monitoring_schedules=[{"name": "s", "endpoint": "ep"}],
             training_jobs=[{"name": "job", "metrics": [{"name": "train:loss", "silent_minutes": 10}]}],
             endpoints=[{"name": "ep", "enhanced_metrics": True}])
    placed = {(r.kind, r.name) for shard in p.layout.shards for r in shard.resources}
    assert {("hyperpod_cluster", "hp"), ("monitoring_schedule", "s"), ("training_job", "job")} <= placed


# ------------------------------------------------------------------------------ blue/green guardrails

def test_guardrails_scoped_to_the_new_endpoint_config():
    p = plan(endpoints=[{"name": "ep", "variants": ["A", "B"], "endpoint_config": "ep-config-v2"}])
    ep = p.resource("endpoint", "ep")
    assert ep.guardrail_alarm_names and all("/NewFleet/" in n for n in ep.guardrail_alarm_names)
    scoped = alarm(p, "SageMaker/Endpoint/ep/ModelLatency/NewFleet/Warning")
    assert [dict(s.dimensions) for s in scoped.sources] == [
        {"EndpointName": "ep", "VariantName": v, "EndpointConfigName": "ep-config-v2"} for v in ("A", "B")]
    assert "SageMaker/Endpoint/ep/ModelLatency/Warning" in {a.name for a in ep.alarms}  # the whole endpoint still
    assert scoped.name in ep.composite.children


def test_a_new_endpoint_config_updates_the_scoped_alarms_in_place():
    def scoped(config):
        ep = plan(endpoints=[{"name": "ep", "endpoint_config": config}]).resource("endpoint", "ep")
        return {a.id: a.name for a in ep.alarms if "/NewFleet/" in a.name}

    assert scoped("ep-config-v2") == scoped("ep-config-v3")  # same ids and names, only the dimension value changes
    with pytest.raises(ConfigurationErrors, match="endpoint config"):
        plan(endpoints=[{"name": "ep", "endpoint_config": "-bad"}])


def test_fleet_alarm_mode_covers_hyperpod_clusters_and_keeps_your_thresholds_per_resource():
    p = plan(alarm_mode="fleet", hyperpod_clusters=["a", "b"],
             monitoring_schedules=[{"name": "mq", "endpoint": "ep", "type": "model_quality",
                                    "metrics": [{"name": "auc", "threshold": 0.8}]}])
    fleet = {a.name: a for a in p.fleet_alarms}
    replacement = fleet["SageMaker/HyperPodCluster/_fleet/hyperpod_node_health_status_unschedulable_pending_replacement/"
                        "Critical"]
    assert "GROUP BY ClusterName" in replacement.query and 'SCHEMA(ContainerInsights, ClusterName)' in replacement.query
    assert not p.resource("hyperpod_cluster", "a").alarms
    assert [a.name for a in p.resource("monitoring_schedule", "mq").alarms] == ["SageMaker/MonitoringSchedule/mq/auc/Warning"]


@pytest.mark.parametrize("mode", ["per_resource", "fleet", "both"])
def test_every_alarm_id_and_name_is_unique_with_every_signal(mode):
    p = plan(alarm_mode=mode, shards=0,
             endpoints=[{"name": "llm", "gpu": 4, "enhanced_metrics": True, "endpoint_config": "llm-v2",
                         "inference_components": [{"name": "chat", "scale_to_zero": True}]},
                        {"name": "mce", "containers": ["a", "b"], "enhanced_metrics": True,
                         "alarms": {"ContainerLatency": 2_000_000}}],
             training_jobs=[{"name": "job", "metrics": [{"name": "train:loss", "threshold": 9, "silent_minutes": 5}]}],
             hyperpod_clusters=["hp"],
             monitoring_schedules=[{"name": "mq", "endpoint": "llm", "type": "model_quality", "metrics": ["auc"]}])
    alarms = p.alarms
    assert len({a.id for a in alarms}) == len(alarms) and len({a.name for a in alarms}) == len(alarms)
    latency = [a for a in alarms if a.row.metric == "ContainerLatency"]
    assert latency and {a.threshold for a in latency} == {2_000_000}  # the endpoint's alarms reach ContainerLatency
    assert ("SageMaker/Endpoint/_fleet/ContainerLatency/Warning" in {a.name for a in alarms}) == (mode != "per_resource")
