"""AWS-shaped SageMaker events (the shapes of AWS's EventBridge pages), for pattern and message tests.

``event(kind, name, status, ...)`` builds the event a failure kind's rule must (or must not) match; the
detail holds the fields AWS's examples show, filled in for a named resource.
"""

from __future__ import annotations

from typing import Any, Optional

ACCOUNT = "111122223333"
REGION = "us-west-2"
TIME = "2026-12-07T10:00:00Z"


def _envelope(detail_type: str, resources: list[str], detail: dict[str, Any]) -> dict[str, Any]:
    return {"version": "0", "id": "844e2571-85d4-695f-b930-0153b71dcb42", "detail-type": detail_type,
            "source": "aws.sagemaker", "account": ACCOUNT, "time": TIME, "region": REGION, "resources": resources,
            "detail": detail}


def _arn(kind: str, name: str) -> str:
    return f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:{kind}/{name.lower()}"


def training(name: str, status: str, secondary: Optional[str] = None, reason: Optional[str] = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"TrainingJobName": name, "TrainingJobArn": _arn("training-job", name),
                              "TrainingJobStatus": status, "SecondaryStatus": secondary or status,
                              "HyperParameters": {}, "StoppingCondition": {"MaxRuntimeInSeconds": 60},
                              "CreationTime": "1583831889050", "SecondaryStatusTransitions": [], "Tags": {}}
    if reason:
        detail["FailureReason"] = reason
    return _envelope("SageMaker Training Job State Change", [_arn("training-job", name)], detail)


def processing(name: str, status: str, reason: Optional[str] = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"ProcessingJobName": name, "ProcessingJobArn": _arn("processing-job", name),
                              "ProcessingJobStatus": status, "Tags": {}}
    if reason:
        detail["FailureReason"] = reason
    return _envelope("SageMaker Processing Job State Change", [_arn("processing-job", name)], detail)


def transform(name: str, status: str, reason: Optional[str] = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"TransformJobName": name, "TransformJobArn": _arn("transform-job", name),
                              "TransformJobStatus": status, "ModelName": "model", "Tags": {}}
    if reason:
        detail["FailureReason"] = reason
    return _envelope("SageMaker Transform Job State Change", [_arn("transform-job", name)], detail)


def tuning(name: str, status: str, reason: Optional[str] = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"HyperParameterTuningJobName": name,
                              "HyperParameterTuningJobArn": _arn("hyper-parameter-tuning-job", name),
                              "HyperParameterTuningJobStatus": status,
                              "TrainingJobStatusCounters": {"Completed": 1, "InProgress": 0, "RetryableError": 0,
                                                            "NonRetryableError": 0, "Stopped": 0}, "Tags": {}}
    if reason:
        detail["FailureReason"] = reason
    return _envelope("SageMaker HyperParameter Tuning Job State Change",
                     [_arn("hyper-parameter-tuning-job", name)], detail)


def endpoint(name: str, status: str, reason: Optional[str] = None) -> dict[str, Any]:
    detail: dict[str, Any] = {"EndpointName": name, "EndpointArn": _arn("endpoint", name),
                              "EndpointConfigName": f"{name}-config",
                              "ProductionVariants": [{"DesiredWeight": 1.0, "DesiredInstanceCount": 1.0}],
                              "EndpointStatus": status, "CreationTime": 1592411992203.0, "Tags": {}}
    if reason:
        detail["FailureReason"] = reason
    return _envelope("SageMaker Endpoint State Change", [_arn("endpoint", name)], detail)


def pipeline_execution(pipeline: str, status: str) -> dict[str, Any]:
    arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/{pipeline}"
    execution = f"{arn}/execution/p4jn9xou8a8s"
    return _envelope("SageMaker Model Building Pipeline Execution Status Change", [arn, execution], {
        "pipelineExecutionDisplayName": "SomeDisplayName", "currentPipelineExecutionStatus": status,
        "previousPipelineExecutionStatus": "Executing", "executionStartTime": TIME, "executionEndTime": TIME,
        "pipelineExecutionDescription": "nightly", "pipelineArn": arn, "pipelineExecutionArn": execution})


def pipeline_step(pipeline: str, step: str, status: str, reason: Optional[str] = None) -> dict[str, Any]:
    arn = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:pipeline/{pipeline}"
    execution = f"{arn}/execution/p4jn9xou8a8s"
    detail: dict[str, Any] = {
        "metadata": {"processingJob": {"arn": _arn("processing-job", f"pipelines-p4jn9xou8a8s-{step}")}},
        "stepStartTime": TIME, "stepEndTime": TIME, "stepName": step, "stepType": "Processing",
        "previousStepStatus": "Executing", "currentStepStatus": status, "pipelineArn": arn,
        "pipelineExecutionArn": execution}
    if reason:
        detail["failureReason"] = reason
    return _envelope("SageMaker Model Building Pipeline Execution Step Status Change", [arn, execution], detail)


def hyperpod_cluster(name: str, status: str, message: str = "") -> dict[str, Any]:
    arn = _arn("cluster", name)
    return _envelope("SageMaker HyperPod Cluster State Change", [arn], {
        "ClusterArn": arn, "ClusterName": name, "ClusterStatus": status, "CreationTime": 1745858447412,
        "FailureMessage": message, "InstanceGroups": []})


def hyperpod_event(name: str, level: str, description: str) -> dict[str, Any]:
    arn = _arn("cluster", name)
    return _envelope("SageMaker HyperPod Cluster Event", [arn], {"EventDetails": {
        "EventId": "83ea0bb5-be77-45e8-a458-0a87f778a205", "ClusterArn": arn, "ClusterName": name,
        "InstanceGroupName": "p5Inst", "InstanceId": "i-0391f86fa0fe0d465", "ResourceType": "Instance",
        "EventTime": 1748794825350, "EventLevel": level, "Description": description,
        "EventDetails": {"EventMetadata": {"Instance": {"FailureMessage": description}}}}})


#: kind -> (a failure of ``churn-`` that must match, the name and reason a message must show)
FAILURES: dict[str, tuple[dict[str, Any], str, str]] = {
    "training_job_failed": (training("churn-train-2026-12-07-10-00", "Failed", "Failed",
                                     "AlgorithmError: ExecuteUserScriptError: exit code 1"),
                            "churn-train-2026-12-07-10-00", "AlgorithmError: ExecuteUserScriptError: exit code 1"),
    "training_job_max_runtime": (training("churn-train-long", "Stopped", "MaxRuntimeExceeded"), "churn-train-long",
                                 "MaxRuntimeExceeded"),
    "processing_job_failed": (processing("churn-prep-1", "Failed", "ClientError: no such key"), "churn-prep-1",
                              "ClientError: no such key"),
    "transform_job_failed": (transform("churn-score-1", "Failed", "ModelError: 500"), "churn-score-1",
                             "ModelError: 500"),
    "tuning_job_failed": (tuning("churn-hpo-1", "Failed", "All training jobs failed"), "churn-hpo-1",
                          "All training jobs failed"),
    "endpoint_failed": (endpoint("churn-endpoint", "FAILED", "The primary container failed the ping health check"),
                        "churn-endpoint", "The primary container failed the ping health check"),
    "pipeline_execution_failed": (pipeline_execution("churn-pipeline", "Failed"), "churn-pipeline", ""),
    "pipeline_step_failed": (pipeline_step("churn-pipeline", "TrainModel", "Failed", "Job failed: capacity"),
                             "TrainModel", "Job failed: capacity"),
    "hyperpod_cluster_failed": (hyperpod_cluster("churn-cluster", "Failed", "Insufficient capacity"), "churn-cluster",
                                "Insufficient capacity"),
    "hyperpod_cluster_error": (hyperpod_event("churn-cluster", "Error",
                                              "Instance creation in Cluster churn-cluster failed"),
                               "churn-cluster", "Instance creation in Cluster churn-cluster failed"),
}

#: events no rule may match with ``name_prefixes: [churn-]``: successes, progress, other names' failures
NOT_FAILURES: dict[str, dict[str, Any]] = {
    "training completed": training("churn-train-1", "Completed"),
    "training in progress": training("churn-train-1", "InProgress", "Training"),
    "training stopped by a person": training("churn-train-1", "Stopped", "Stopped"),
    "training of another name failed": training("fraud-train-1", "Failed", "Failed", "boom"),
    "processing completed": processing("churn-prep-1", "Completed"),
    "processing of another name failed": processing("fraud-prep-1", "Failed", "boom"),
    "transform completed": transform("churn-score-1", "Completed"),
    "tuning completed": tuning("churn-hpo-1", "Completed"),
    "endpoint in service": endpoint("churn-endpoint", "IN_SERVICE"),
    "endpoint updating": endpoint("churn-endpoint", "UPDATING"),
    "endpoint of another name failed": endpoint("fraud-endpoint", "FAILED", "boom"),
    "pipeline succeeded": pipeline_execution("churn-pipeline", "Succeeded"),
    "pipeline executing": pipeline_execution("churn-pipeline", "Executing"),
    "pipeline of another name failed": pipeline_execution("fraud-pipeline", "Failed"),
    "pipeline whose name only contains churn- failed": pipeline_execution("fraud-churn-pipeline", "Failed"),
    "step succeeded": pipeline_step("churn-pipeline", "TrainModel", "Succeeded"),
    "step of another pipeline failed": pipeline_step("fraud-pipeline", "TrainModel", "Failed", "boom"),
    "cluster in service": hyperpod_cluster("churn-cluster", "InService"),
    "cluster of another name failed": hyperpod_cluster("fraud-cluster", "Failed", "boom"),
    "cluster info event": hyperpod_event("churn-cluster", "Info", "Instance created"),
}
