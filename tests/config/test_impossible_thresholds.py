"""An alarm threshold no value of the metric can cross is refused (it would never fire, or never clear), naming
the field and the valid range; the range comes from the metric's unit and ceiling in the catalog."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from cdk_sagemaker_monitoring import ConfigurationError, ConfigurationErrors, SageMakerMonitoring
from cdk_sagemaker_monitoring.catalog.metrics import CATALOG
from cdk_sagemaker_monitoring.catalog.model import COMPARISONS
from cdk_sagemaker_monitoring.catalog.units import value_range
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.config.loader import parse_config
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from support.synth import new_app


def refusal(spec: dict):
    with pytest.raises(ConfigurationErrors) as info:
        validate(MonitoringConfig, spec)
    (error,) = info.value.errors
    return error


@pytest.mark.parametrize("spec, field, words", [
    # a negative threshold on a count: always above it, the alarm never clears
    ({"pipelines": [{"name": "p", "alarms": {"ExecutionFailed": -1}}]}, "pipelines[0].alarms.ExecutionFailed.threshold",
     ["0 or more", "would always be in alarm", "0 <= threshold"]),
    # on a share of requests
    ({"endpoints": [{"name": "e", "alarms": {"Invocation5XXErrors": -0.01}}]},
     "endpoints[0].alarms.Invocation5XXErrors.threshold", ["0 to 1", "would always be in alarm", "0 <= threshold < 1"]),
    # on a duration
    ({"endpoints": [{"name": "e", "alarms": {"ModelLatency": {"threshold": -1_000}}}]},
     "endpoints[0].alarms.ModelLatency.threshold", ["a duration", "0 <= threshold"]),
    # a share of requests above 1 (5 meant as 5 %): never fires
    ({"endpoints": [{"name": "e", "alarms": {"Invocation4XXErrors": 5}}]},
     "endpoints[0].alarms.Invocation4XXErrors.threshold", ["0 to 1", "could never fire", "0 <= threshold < 1"]),
    ({"feature_groups": [{"name": "f", "alarms": {"ThrottledRequests": {"threshold": 1}}}]},
     "feature_groups[0].alarms.ThrottledRequests.threshold", ["could never fire"]),
    # a percentage of the whole at or above 100 with "greater than"
    ({"training_jobs": [{"name": "t", "alarms": {"DiskUtilization": 100}}]},
     "training_jobs[0].alarms.DiskUtilization.threshold", ["0 to 100", "could never fire", "0 <= threshold < 100"]),
    ({"endpoints": [{"name": "e", "alarms": {"MemoryUtilization": {"threshold": 101,
                                                                   "comparison": "GreaterThanOrEqualToThreshold"}}}]},
     "endpoints[0].alarms.MemoryUtilization.threshold", ["0 < threshold <= 100"]),
    # GPU utilization: 100 % per GPU
    ({"endpoints": [{"name": "e", "gpu": 2, "alarms": {"GPUMemoryUtilization": 250}}]},
     "endpoints[0].alarms.GPUMemoryUtilization.threshold", ["0 to 200", "2 GPUs", "0 <= threshold < 200"]),
    # "less than 0" on a count never fires; the default threshold 0 is what the comparison is judged with
    ({"pipelines": [{"name": "p", "alarms": {"ExecutionFailed": {"comparison": "LessThanThreshold"}}}]},
     "pipelines[0].alarms.ExecutionFailed.comparison", ["could never fire", "0 < threshold"]),
    # ">= 0" on a count is always true
    ({"labeling_jobs": [{"name": "l", "alarms": {"JobsFailed": {"comparison": "GreaterThanOrEqualToThreshold"}}}]},
     "labeling_jobs[0].alarms.JobsFailed.comparison", ["would always be in alarm", "0 < threshold"]),
    # a statistic whose values cannot reach the default threshold's side
    ({"endpoints": [{"name": "e", "multi_model": True,
                     "alarms": {"ModelCacheHit": {"threshold": 1, "statistic": "Average"}}}]},
     "endpoints[0].alarms.ModelCacheHit.threshold", ["0 to 1", "could never fire"]),
])
def test_impossible_thresholds_are_refused(spec, field, words):
    error = refusal(spec)
    assert error.field == field
    text = f"{error.problem} ({error.fix})"
    assert "valid thresholds for" in error.fix
    for word in words:
        assert word in text, text


@pytest.mark.parametrize("spec", [
    {"pipelines": [{"name": "p", "alarms": {"ExecutionFailed": 0}}]},  # more than 0 failures
    {"endpoints": [{"name": "e", "alarms": {"Invocation5XXErrors": {"threshold": 25, "statistic": "Sum"}}}]},  # a count
    {"endpoints": [{"name": "e", "alarms": {"Invocation5XXErrors": {"threshold": 0.999}}}]},
    {"endpoints": [{"name": "e", "alarms": {"CPUUtilization": 350}}]},  # percent times the cores: no known ceiling
    {"endpoints": [{"name": "e", "gpu": 4, "alarms": {"GPUMemoryUtilization": 350}}]},
    {"endpoints": [{"name": "e", "alarms": {"MemoryUtilization": {"threshold": 100,
                                                                  "comparison": "GreaterThanOrEqualToThreshold"}}}]},
    {"endpoints": [{"name": "e", "alarms": {"MemoryUtilization": {"threshold": 5,
                                                                  "comparison": "LessThanThreshold"}}}]},
    {"pipelines": [{"name": "p", "alarms": {"ExecutionSucceeded": {"threshold": 1,
                                                                   "comparison": "LessThanThreshold"}}}]},
    {"endpoints": [{"name": "e", "alarms": {"Invocation5XXErrors": {"enabled": False, "threshold": -1}}}]},  # off
])
def test_possible_thresholds_are_accepted(spec):
    validate(MonitoringConfig, spec)


@pytest.mark.parametrize("gpus", [1, 8])
def test_every_catalog_default_can_be_crossed(gpus):
    for row in CATALOG:
        if row.alarm is None:
            continue
        threshold = row.alarm.threshold * (gpus if row.alarm.scales_with == "gpu" else 1)
        assert row.value_range(row.alarm.statistic, gpus).crossable(threshold, row.alarm.comparison), row.key


def test_ranges_follow_unit_statistic_and_ceiling():
    rows = {row.key: row for row in CATALOG}
    share = rows[("endpoint_invocation", "Invocation5XXErrors")]
    assert (share.value_range("Average").low, share.value_range("Average").high) == (0, 1)
    assert share.value_range("Sum").high is None  # a Sum of 0/1 datapoints is a count
    assert rows[("endpoint_instance", "GPUUtilization")].value_range("Maximum", 4).high == 400
    assert rows[("endpoint_instance", "CPUUtilization")].value_range("Maximum").high is None
    assert value_range("Microseconds", "p99").low == 0
    for row in CATALOG:  # every metric is a count, a duration, a share or a utilization: never negative
        assert row.value_range(row.dashboard_statistic).low == 0


def test_crossable_is_exact_at_the_edges():
    share = value_range("None", "Average", next(r.ceiling for r in CATALOG if r.metric == "Invocation5XXErrors"))
    expected = {  # (threshold, comparison) -> some value in [0, 1] is on each side
        (0, "GreaterThanThreshold"): True, (1, "GreaterThanThreshold"): False,
        (0, "GreaterThanOrEqualToThreshold"): False, (1, "GreaterThanOrEqualToThreshold"): True,
        (0, "LessThanThreshold"): False, (1, "LessThanThreshold"): True,
        (0, "LessThanOrEqualToThreshold"): True, (1, "LessThanOrEqualToThreshold"): False,
    }
    assert {key: share.crossable(*key) for key in expected} == expected
    assert set(COMPARISONS) == {c for _, c in expected}


def test_yaml_and_construct_refuse_the_same():
    with pytest.raises(ConfigurationError) as info:
        parse_config("endpoints:\n  - name: e\n    alarms:\n      ModelLatency: -5\n", source="m.yaml")
    assert "endpoints[0].alarms.ModelLatency.threshold" in str(info.value) and "0 <= threshold" in str(info.value)
    stack = cdk.Stack(new_app(), "S")
    with pytest.raises(ConfigurationError) as info:
        SageMakerMonitoring(stack, "Monitoring", endpoints=[{"name": "e", "alarms": {"ModelLatency": -5}}])
    assert "endpoints[0].alarms.ModelLatency.threshold" in str(info.value)
    assert stack.node.try_find_child("Monitoring") is None
