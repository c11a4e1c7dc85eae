"""Endpoint hosting keys: asynchronous, serverless with provisioned concurrency, inference components.

What each kind of endpoint gets follows AWS's exhaustive lists (the facts table), and bad combinations
are refused with the field named, the same from a mapping (YAML, JSON) as from keyword arguments.
"""

from __future__ import annotations

import pytest

from cdk_sagemaker_monitoring import ConfigurationError, ConfigurationErrors
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.config.resources import InferenceComponentSpec, MonitoringConfig
from cdk_sagemaker_monitoring.plan import plan_monitoring


def config(**kwargs) -> MonitoringConfig:
    return validate(MonitoringConfig, kwargs)


def refused(**kwargs) -> ConfigurationError:
    with pytest.raises(ConfigurationErrors) as info:
        config(**kwargs)
    return info.value.errors[0]


def test_inference_components_from_names_and_mappings_inherit_gpu():
    ep = config(endpoints=[{"name": "host", "gpu": 4, "inference_components": [
        "a", {"name": "b", "gpu": False, "alarms": {"ModelLatency": 300_000}}]}]).endpoints[0]
    a, b = ep.inference_components
    assert isinstance(a, InferenceComponentSpec) and (a.name, a.gpu_count, b.gpu_count) == ("a", 4, 0)
    assert b.alarms["ModelLatency"].threshold == 300_000
    assert "inference_components" in ep.features
    assert {r.metric for r in a.metric_rows()} >= {"InvocationsPerCopy", "GPUMemoryUtilizationNormalized"}
    assert not [r for r in b.metric_rows() if r.metric.startswith("GPU")]


@pytest.mark.parametrize("endpoint,field,words", [
    ({"name": "h", "inference_components": ["bad_name"]}, "endpoints[0].inference_components[0].name",
     "not a valid inference component name"),
    ({"name": "h", "inference_components": ["c" * 64]}, "endpoints[0].inference_components[0].name",
     "is 64 characters long; inference component names have 1 to 63 characters"),
    ({"name": "h", "inference_components": ["c", {"name": "c"}]}, "endpoints[0].inference_components[1].name",
     "listed twice"),
    ({"name": "h", "inference_components": [{"name": "c", "alarms": {"Nope": 1}}]},
     "endpoints[0].inference_components[0].alarms.Nope", "not a metric of inference components"),
    ({"name": "h", "inference_components": [{"name": "c", "colour": "red"}]},
     "endpoints[0].inference_components[0].colour", ""),
    ({"name": "h", "serverless": True, "asynchronous": True}, "endpoints[0].asynchronous", "cannot be serverless"),
    ({"name": "h", "provisioned_concurrency": True}, "endpoints[0].provisioned_concurrency", "serverless"),
    ({"name": "h", "asynchronous": True, "inference_components": ["c"]}, "endpoints[0].inference_components",
     "cannot host inference components"),
    ({"name": "h", "alarms": {"ApproximateAgeOfOldestRequest": 60}},
     "endpoints[0].alarms.ApproximateAgeOfOldestRequest", "set asynchronous: true"),
    ({"name": "h", "asynchronous": True, "alarms": {"OverheadLatency": 60}}, "endpoints[0].alarms.OverheadLatency",
     "set asynchronous: false"),
    ({"name": "h", "serverless": True, "alarms": {"ServerlessConcurrentExecutionsUtilization": 0.9}},
     "endpoints[0].alarms.ServerlessConcurrentExecutionsUtilization", "no public source settles the dimensions"),
    ({"name": "h", "asynchronous": "yes"}, "endpoints[0].asynchronous", ""),
])
def test_bad_hosting_is_refused_naming_the_field(endpoint, field, words):
    error = refused(endpoints=[endpoint])
    assert error.field == field
    assert words in str(error)


def test_work_team_alarm_on_a_guessed_dimension_is_refused():
    error = refused(workteams=[{"name": "team", "alarms": {"TasksDeclined": {"threshold": 10}}}])
    assert error.field == "workteams[0].alarms.TasksDeclined" and "graphed with SEARCH" in str(error)
    assert config(workteams=[{"name": "team", "alarms": {"TasksDeclined": False}}]).workteams  # off is fine


def test_one_account_alarm_for_labeling_jobs_and_overrides_must_agree():
    plan = plan_monitoring(config(labeling_jobs=["a", "b", "c"]))
    account = [a for a in plan.fleet_alarms if a.row.metric == "JobsFailed"]
    assert len(account) == 1 and account[0].sources[0].dimensions == ()
    assert not [a for r in plan.resources for a in r.alarms if a.row.metric == "JobsFailed"]
    off = plan_monitoring(config(labeling_jobs=[{"name": n, "alarms": {"JobsFailed": False}} for n in "ab"]))
    assert not [a for a in off.fleet_alarms if a.row.metric == "JobsFailed"]
    with pytest.raises(ConfigurationError) as info:
        plan_monitoring(config(labeling_jobs=["a", {"name": "b", "alarms": {"JobsFailed": {"threshold": 2}}}]))
    assert info.value.field == "labeling_jobs[1].alarms.JobsFailed" and "whole account" in str(info.value)


def test_fleet_mode_skips_what_has_no_documented_dimension_to_group_by():
    plan = plan_monitoring(config(labeling_jobs=["a"], workteams=["t"], alarm_mode="fleet"))
    queries = [a.query for a in plan.fleet_alarms if a.query]
    assert queries and all("GROUP BY LabelingJobName" in q for q in queries)
    assert [a.name for a in plan.fleet_alarms if not a.query] == ["SageMaker/LabelingJob/_account/JobsFailed/Critical"]


def test_asynchronous_alarms_watch_the_queue_by_endpoint_and_failures_per_variant():
    plan = plan_monitoring(config(endpoints=[{"name": "q", "asynchronous": True, "variants": ["A", "B"]}]))
    (resource,) = plan.resources
    by_metric = {a.row.metric: a for a in resource.alarms}
    assert by_metric["HasBacklogWithoutCapacity"].sources[0].dimensions == (("EndpointName", "q"),)
    assert [s.dimensions for s in by_metric["ExpiredRequests"].sources] == [
        (("EndpointName", "q"), ("VariantName", v)) for v in ("A", "B")]
    assert {"Invocations", "InvocationsPerInstance", "OverheadLatency", "InvocationModelErrors"}.isdisjoint(
        {r.metric for r in config(endpoints=[{"name": "q", "asynchronous": True}]).endpoints[0].metric_rows()})
