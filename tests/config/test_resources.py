"""Resource specs: plain names, mappings and instances accepted; bad specs refused with the field named."""

from __future__ import annotations

import pydantic
import pytest

from cdk_sagemaker_monitoring import ConfigurationError, ConfigurationErrors
from cdk_sagemaker_monitoring.config.validate import field_path, validate
from cdk_sagemaker_monitoring.config.resources import EndpointSpec, MonitoringConfig, PipelineSpec, TrainingJobSpec


def config(**kwargs) -> MonitoringConfig:
    return validate(MonitoringConfig, kwargs)


def refused(**kwargs) -> ConfigurationError:
    with pytest.raises(ConfigurationErrors) as info:
        config(**kwargs)
    return info.value


def test_plain_names_mappings_and_instances_are_equivalent():
    a = config(endpoints=["ep"], training_jobs=["job"])
    b = config(endpoints=[{"name": "ep"}], training_jobs=[{"name": "job"}])
    c = config(endpoints=[EndpointSpec(name="ep")], training_jobs=[TrainingJobSpec.model_validate("job")])
    assert a == b == c
    ep = a.endpoints[0]
    assert (ep.variants, ep.gpu_count, ep.multi_model, ep.serverless, ep.instance_count) == (("AllTraffic",), 0, False, False, 1)
    assert a.training_jobs[0].instance_count == 1


def test_issue_example_spec():
    cfg = config(endpoints=[{"name": "ep", "variants": ["AllTraffic", "Canary"], "multi_model": True, "gpu": True,
                             "serverless": False, "alarms": {"ModelLatency": {"threshold": 2_000_000},
                                                            "Invocation4XXErrors": {"enabled": False}}}],
                 training_jobs=[{"name": "job", "instance_count": 2, "gpu": True}],
                 pipelines=[{"name": "p", "steps": ["Train", "Evaluate"]}])
    ep = cfg.endpoints[0]
    assert ep.features == {"provisioned", "synchronous", "realtime", "multi_model", "gpu"}
    assert ep.alarms["ModelLatency"].threshold == 2_000_000 and not ep.alarms["Invocation4XXErrors"].enabled
    assert cfg.pipelines[0].steps == ("Train", "Evaluate")
    assert cfg.training_jobs[0].gpu_count == 1


def test_alarm_shorthands():
    ep = config(endpoints=[{"name": "ep", "alarms": {"ModelLatency": 500_000, "Invocation4XXErrors": False}}]).endpoints[0]
    assert ep.alarms["ModelLatency"].threshold == 500_000 and ep.alarms["ModelLatency"].enabled
    assert not ep.alarms["Invocation4XXErrors"].enabled


def test_gpu_count():
    assert config(endpoints=[{"name": "ep", "gpu": 4}]).endpoints[0].gpu_count == 4
    assert config(training_jobs=[{"name": "j", "gpu": False}]).training_jobs[0].gpu_count == 0


@pytest.mark.parametrize("kwargs,field,words", [
    ({"endpoints": [{"name": "ep", "alarms": {"ModelLatancy": {"threshold": 1}}}]},
     "endpoints[0].alarms.ModelLatancy", "did you mean 'ModelLatency'"),
    ({"endpoints": ["a", {"name": "ep", "alarms": {"ModelLatency": {"threshold": "high"}}}]},
     "endpoints[1].alarms.ModelLatency.threshold", "a valid number; got text 'high'"),
    ({"endpoints": [{"name": "ep", "alarms": {"ModelLatency": {"threshold": True}}}]},
     "endpoints[0].alarms.ModelLatency.threshold", "a valid number; got boolean True"),
    ({"endpoints": ["ok", "-bad"]}, "endpoints[1].name", "not a valid endpoint name"),
    ({"endpoints": ["x" * 64]}, "endpoints[0].name", "is 64 characters long; endpoint names have 1 to 63 characters"),
    ({"endpoints": [{"name": "ep", "variants": ["AllTraffic", "b_c"]}]}, "endpoints[0].variants[1]",
     "not a valid production variant name"),
    ({"endpoints": [{"name": "ep", "variants": ["A", "A"]}]}, "endpoints[0].variants[1]", "listed twice"),
    ({"endpoints": [{"name": "ep", "variants": [f"v{i}" for i in range(11)]}]}, "endpoints[0].variants", "1 to 10"),
    ({"endpoints": ["ep", "other", "ep"]}, "endpoints[2].name", "listed twice"),
    ({"training_jobs": ["job", "job"]}, "training_jobs[1].name", "listed twice"),
    ({"endpoints": [{"name": "ep", "varients": ["A"]}]}, "endpoints[0].varients", "did you mean 'variants'"),
    ({"endpoints": [{"name": "ep", "gpu": "yes"}]}, "endpoints[0].gpu", "number of GPUs"),
    ({"endpoints": [{"name": "ep", "serverless": True, "multi_model": True}]}, "endpoints[0].multi_model",
     "serverless"),
    ({"endpoints": [{"name": "ep", "serverless": True, "gpu": True}]}, "endpoints[0].gpu", "serverless"),
    ({"endpoints": [{"name": "ep", "alarms": {"ModelCacheHit": {"threshold": 1}}}]},
     "endpoints[0].alarms.ModelCacheHit", "multi_model"),
    ({"endpoints": [{"name": "ep", "alarms": {"OverheadLatency": {"statistic": "p99"}}}]},
     "endpoints[0].alarms.OverheadLatency.statistic", "valid statistic"),
    ({"endpoints": [{"name": "ep", "alarms": {"Invocations": {"enabled": True}}}]},
     "endpoints[0].alarms.Invocations.threshold", "threshold is required"),
    ({"endpoints": [{"name": "ep", "alarms": {"ModelLatency": {"period": 45}}}]},
     "endpoints[0].alarms.ModelLatency.period", "period"),
    ({"endpoints": [{"name": "ep", "alarms": {"ModelLatency": {"severity": "Fatal"}}}]},
     "endpoints[0].alarms.ModelLatency.severity", "Warning"),
    ({"training_jobs": [{"name": "job", "instance_count": 0}]}, "training_jobs[0].instance_count", "greater than"),
    ({"training_jobs": [{"name": "job", "alarms": {"ModelLatency": 1}}]}, "training_jobs[0].alarms.ModelLatency",
     "not a metric of training jobs"),
    ({"feature_groups": [{"name": "fg", "operations": ["GetRecords"]}]}, "feature_groups[0].operations[0]",
     "GetRecord"),
    ({"feature_groups": ["bad name"]}, "feature_groups[0].name", "not a valid feature group name"),
    ({"pipelines": [{"name": "p", "steps": ["a", "a"]}]}, "pipelines[0].steps[1]", "listed twice"),
    ({"pipelines": [{"name": "p", "steps": ["a b"]}]}, "pipelines[0].steps[0]", "pipeline step"),
    ({"labeling_jobs": ["a_b"]}, "labeling_jobs[0].name", "labeling job"),
    ({"workteams": [{"name": "wt", "workforce": "-x"}]}, "workteams[0].workforce", "not a valid"),
    ({"alarm_emails": ["ops@example.com", "nope"]}, "alarm_emails[1]", "not an email address"),
    ({"alarm_topic_arn": "arn:aws:sqs:us-east-1:123456789012:q"}, "alarm_topic_arn", "SNS topic ARN"),
    ({"dashboard_name": "my dashboard"}, "dashboard_name", "dashboard name"),
    ({"endpoints": 5}, "endpoints", "a valid list; got number 5"),
    ({"endpoints": [5]}, "endpoints[0]", "expected a name or a mapping of keys, got number 5"),
    ({"endpont": ["ep"]}, "endpont", "did you mean 'endpoints'"),
])
def test_bad_specs_name_the_field(kwargs, field, words):
    err = refused(**kwargs)
    assert err.errors[0].field == field, str(err)
    assert words in str(err), str(err)
    assert "Traceback" not in str(err) and "pydantic" not in str(err)


def test_every_error_is_reported_at_once():
    err = refused(endpoints=["-a", "-b"], alarm_emails=["x"])
    assert [e.field for e in err.errors] == ["endpoints[0].name", "endpoints[1].name", "alarm_emails[0]"]


def test_spec_instances_and_tuples_are_located_like_mappings():
    # Instances inside a list, tuples for lists: the paths are still the data's (also once endpoints[1],
    # refused, is left out to find the duplicate, which is only checked when every endpoint is valid).
    err = refused(endpoints=(EndpointSpec(name="ep"), {"name": "other", "varients": ["A"]}, EndpointSpec(name="ep")))
    assert [(e.field, e.problem, e.fix) for e in err.errors] == [
        ("endpoints[1].varients", "is not a known key", "did you mean 'variants'?"),
        ("endpoints[2].name", "endpoint 'ep' is listed twice (first at [0])", "list each name once; merge the two entries"),
    ]
    err = refused(endpoints=(EndpointSpec(name="ep"), "x", EndpointSpec(name="ep")))
    assert err.errors[0].field == "endpoints[2].name" and "'ep' is listed twice (first at [0])" in err.errors[0].problem
    assert err.errors[0].fix == "list each name once; merge the two entries"


def test_a_single_value_for_a_list_is_its_first_item():
    err = refused(endpoints="-bad")
    assert err.errors[0].field == "endpoints[0].name" and "not a valid endpoint name" in err.errors[0].problem


def test_braces_in_a_value_are_shown_as_written():
    err = refused(endpoints=["{fix}"])
    assert err.errors[0].problem == "'{fix}' is not a valid endpoint name"


def test_errors_come_in_the_order_the_values_were_given():
    err = refused(alarm_emails=["x"], endpoints=[{"name": "e", "gpu": "yes", "varients": []}, "-b"])
    assert [e.field for e in err.errors] == ["alarm_emails[0]", "endpoints[0].gpu", "endpoints[0].varients",
                                             "endpoints[1].name"]


def test_field_path():
    assert field_path(("endpoints", 3, "variants")) == "endpoints[3].variants"
    assert field_path(("name",), prefix="monitoring") == "monitoring.name"


def test_pipeline_names_may_be_long():
    name = "p" * 256
    assert PipelineSpec.model_validate(name).name == name
    with pytest.raises(pydantic.ValidationError, match="257 characters long; pipeline names have 1 to 256 characters"):
        PipelineSpec.model_validate("p" * 257)
