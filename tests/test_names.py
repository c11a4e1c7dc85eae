"""A name rule is its pattern and its length limits: names SageMaker's patterns admit but its length limits refuse
(hyphens repeat freely in ``[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}``) are refused, naming the field and the range."""

from __future__ import annotations

import aws_cdk as cdk
import botocore.session
import pytest

from cdk_sagemaker_monitoring import (ConfigurationError, ConfigurationErrors, ExperimentMetricsTrail,
                                      SageMakerMonitoring, names)
from cdk_sagemaker_monitoring.config.validate import validate
from cdk_sagemaker_monitoring.config.loader import parse_config
from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
from support.synth import new_app

#: rule -> the SageMaker API shape that states it (botocore's service model: the API reference's own data)
SAGEMAKER_SHAPES = {
    "ENDPOINT": "EndpointName", "VARIANT": "VariantName", "TRAINING_JOB": "TrainingJobName",
    "PROCESSING_JOB": "ProcessingJobName", "TRANSFORM_JOB": "TransformJobName", "LABELING_JOB": "LabelingJobName",
    "WORKTEAM": "WorkteamName", "PIPELINE": "PipelineName", "FEATURE_GROUP": "FeatureGroupName",
    "PIPELINE_STEP": "StepName",
}

#: configuration list -> the rule of its names
LISTS = {
    "endpoints": names.ENDPOINT, "training_jobs": names.TRAINING_JOB, "processing_jobs": names.PROCESSING_JOB,
    "transform_jobs": names.TRANSFORM_JOB, "feature_groups": names.FEATURE_GROUP, "pipelines": names.PIPELINE,
    "labeling_jobs": names.LABELING_JOB, "workteams": names.WORKTEAM,
}


def hyphenated(length: int) -> str:
    """A name of ``length`` characters every SageMaker pattern here matches: letter, hyphens, letter."""
    return "a" + "-" * (length - 2) + "b"


@pytest.mark.parametrize("rule_name, shape", sorted(SAGEMAKER_SHAPES.items()))
def test_lengths_are_the_apis(rule_name, shape):
    model = botocore.session.get_session().get_service_model("sagemaker").shape_for(shape)
    rule = getattr(names, rule_name)
    assert rule.max_length == model.metadata["max"]
    assert rule.min_length == max(1, model.metadata.get("min", 0))  # a pattern with a first character needs one
    if rule_name != "PIPELINE_STEP":  # the API's step pattern is [A-Za-z0-9\-_]*: ours bounds it in the pattern too
        assert rule.pattern.pattern == model.metadata["pattern"].removeprefix("^").removesuffix("$")  # older models
        # anchor their patterns


def test_other_services_lengths_are_the_apis():
    session = botocore.session.get_session()
    athena = session.get_service_model("athena").operation_model("CreateWorkGroup").input_shape.members["Name"]
    assert names.ATHENA_WORKGROUP.pattern.pattern == athena.metadata["pattern"]  # [a-zA-Z0-9._-]{1,128}
    glue = session.get_service_model("glue").operation_model("CreateTable").input_shape.members["TableInput"]
    assert names.GLUE_NAME.max_length == glue.members["Name"].metadata["max"]
    trial = session.get_service_model("sagemaker").shape_for("ExperimentEntityName")
    assert names.TRIAL_COMPONENT_PREFIX.max_length == trial.metadata["max"]


@pytest.mark.parametrize("key, rule", sorted(LISTS.items()))
def test_a_name_the_pattern_admits_but_too_long_is_refused(key, rule):
    too_long = hyphenated(rule.max_length + 1)
    assert rule.pattern.fullmatch(too_long)  # what was accepted before
    with pytest.raises(ConfigurationErrors) as info:
        validate(MonitoringConfig, {key: [too_long]})
    (error,) = info.value.errors
    assert error.field == f"{key}[0].name"
    assert f"is {rule.max_length + 1} characters long" in error.problem
    assert f"have 1 to {rule.max_length} characters" in error.problem
    assert error.fix == f"shorten it to {rule.max_length} characters or fewer"
    validate(MonitoringConfig, {key: [hyphenated(rule.max_length)]})  # the longest valid name is accepted


def test_variant_and_step_and_workforce_lengths():
    cases = [
        ({"endpoints": [{"name": "ep", "variants": ["AllTraffic", hyphenated(64)]}]}, "endpoints[0].variants[1]", 63),
        ({"pipelines": [{"name": "p", "steps": ["x" * 65]}]}, "pipelines[0].steps[0]", 64),
        ({"workteams": [{"name": "t", "workforce": hyphenated(64)}]}, "workteams[0].workforce", 63),
    ]
    for spec, field, maximum in cases:
        with pytest.raises(ConfigurationErrors) as info:
            validate(MonitoringConfig, spec)
        assert info.value.errors[0].field == field
        assert f"have 1 to {maximum} characters" in info.value.errors[0].problem


def test_the_yaml_file_names_the_line_and_the_range():
    with pytest.raises(ConfigurationError) as info:
        parse_config(f"endpoints:\n  - ok\n  - {hyphenated(80)}\n", source="m.yaml")
    text = str(info.value)
    assert "m.yaml:3" in text and "endpoints[1].name" in text and "1 to 63 characters" in text


def test_the_construct_refuses_before_adding_anything():
    app = new_app()
    stack = cdk.Stack(app, "S")
    with pytest.raises(ConfigurationError) as info:
        SageMakerMonitoring(stack, "Monitoring", endpoints=[hyphenated(64)])
    assert "endpoints[0].name" in str(info.value) and "1 to 63 characters" in str(info.value)
    assert stack.node.try_find_child("Monitoring") is None


def test_trail_prefix_length():
    app = new_app()
    stack = cdk.Stack(app, "S")
    with pytest.raises(ConfigurationError) as info:
        ExperimentMetricsTrail(stack, "Trail", trial_component_prefixes=["a" * 121])
    assert "121 characters long" in str(info.value) and "1 to 120 characters" in str(info.value)
