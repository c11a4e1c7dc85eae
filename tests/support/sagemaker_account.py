"""A SageMaker account in moto for the discover tests: endpoints of every kind, jobs, a pipeline, and
paginated fakes for the list calls moto does not implement (ListFeatureGroups, ListLabelingJobs,
ListWorkteams, ListInferenceComponents)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

ROLE = "arn:aws:iam::123456789012:role/SageMaker"
EKS = "arn:aws:eks:us-east-1:123456789012:cluster/hyperpod"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/image:1"
PIPELINE = {
    "Version": "2020-12-01",
    "Steps": [
        {"Name": "Preprocess", "Type": "Processing", "Arguments": {}},
        {"Name": "Train", "Type": "Training", "Arguments": {}},
        {
            "Name": "CheckAccuracy",
            "Type": "Condition",
            "Arguments": {
                "IfSteps": [{"Name": "RegisterModel", "Type": "RegisterModel", "Arguments": {}}],
                "ElseSteps": [{"Name": "Stop", "Type": "Fail", "Arguments": {}}],
            },
        },
    ],
}
NOW = datetime.now(timezone.utc)
#: What moto has no API for (ListFeatureGroups, ListLabelingJobs, ListWorkteams), served by fakes below.
FEATURE_GROUPS = [
    {"FeatureGroupName": f"fg_{i}", "FeatureGroupStatus": "Created"} for i in range(5)
] + [{"FeatureGroupName": "fg-being-deleted", "FeatureGroupStatus": "Deleting"}]
LABELING_JOBS = [
    {"LabelingJobName": "old-but-running", "LabelingJobStatus": "InProgress", "CreationTime": NOW - timedelta(days=90)},
    {"LabelingJobName": "new-and-done", "LabelingJobStatus": "Completed", "CreationTime": NOW - timedelta(days=1)},
    {"LabelingJobName": "old-and-done", "LabelingJobStatus": "Completed", "CreationTime": NOW - timedelta(days=60)},
]
INFERENCE_COMPONENTS = [
    {"InferenceComponentName": "chat", "EndpointName": "ic-host", "InferenceComponentStatus": "InService"},
    {"InferenceComponentName": "embed", "EndpointName": "ic-host", "InferenceComponentStatus": "InService"},
    {"InferenceComponentName": "broken", "EndpointName": "ic-host", "InferenceComponentStatus": "Failed"},
    {"InferenceComponentName": "on-async", "EndpointName": "async-ep", "InferenceComponentStatus": "InService"},
]
MONITORING_SCHEDULES = [
    {"MonitoringScheduleName": "churn-data-quality", "EndpointName": "cpu-two-variants", "MonitoringType": "DataQuality",
     "MonitoringScheduleStatus": "Scheduled"},
    {"MonitoringScheduleName": "churn-model-quality", "EndpointName": "cpu-two-variants",
     "MonitoringType": "ModelQuality", "MonitoringScheduleStatus": "Scheduled"},
    {"MonitoringScheduleName": "batch-quality", "MonitoringType": "DataQuality", "MonitoringScheduleStatus": "Scheduled"},
    {"MonitoringScheduleName": "broken", "EndpointName": "mme-gpu", "MonitoringType": "ModelBias",
     "MonitoringScheduleStatus": "Failed"},
]
WORKTEAMS = [
    {"WorkteamName": "labelers", "WorkforceArn": "arn:aws:sagemaker:us-east-1:123456789012:workforce/default"},
    {"WorkteamName": "oidc-team", "WorkforceArn": "arn:aws:sagemaker:us-east-1:123456789012:workforce/oidc-force"},
    {"WorkteamName": "reviewers", "WorkforceArn": "arn:aws:sagemaker:us-east-1:123456789012:workforce/default"},
]


class FakeLists:
    """Paginated answers (two items a page) for list calls moto does not implement; counts the pages."""

    def __init__(self) -> None:
        self.pages: dict[str, int] = {}
        self._params: dict = {}
        self._answers: dict = {}

    def install(self, session) -> None:
        for op, key, items in (
            ("ListFeatureGroups", "FeatureGroupSummaries", FEATURE_GROUPS),
            ("ListLabelingJobs", "LabelingJobSummaryList", LABELING_JOBS),
            ("ListWorkteams", "Workteams", WORKTEAMS),
            ("ListInferenceComponents", "InferenceComponents", INFERENCE_COMPONENTS),
            ("ListMonitoringSchedules", "MonitoringScheduleSummaries", MONITORING_SCHEDULES),
        ):
            session.events.register(f"before-parameter-build.sagemaker.{op}", self._remember(op))
            self._answers[op] = self._answer(op, key, items)
            session.events.register(f"before-call.sagemaker.{op}", self._answers[op])

    def uninstall(self, session, op: str) -> None:
        """Stop answering ``op``: its requests go out again (to whatever handles ``before-send``)."""
        session.events.unregister(f"before-call.sagemaker.{op}", self._answers.pop(op))

    def _remember(self, op):
        def handler(params, **_):
            self._params[op] = dict(params)

        return handler

    def _answer(self, op, key, items):
        from botocore.awsrequest import AWSResponse

        def handler(**_):
            params = self._params[op]
            chosen = [
                i for i in items
                if ("EndpointNameEquals" not in params or i.get("EndpointName") == params["EndpointNameEquals"])
                and ("StatusEquals" not in params or i.get("LabelingJobStatus") == params["StatusEquals"])
                and ("CreationTimeAfter" not in params or i["CreationTime"] > params["CreationTimeAfter"])
            ]
            start = int(params.get("NextToken") or 0)
            body = {key: chosen[start : start + 2]}
            if start + 2 < len(chosen):
                body["NextToken"] = str(start + 2)
            self.pages[op] = self.pages.get(op, 0) + 1
            return AWSResponse("https://fake", 200, {}, None), body

        return handler


class MotoGaps:
    """What AWS returns and moto drops: a training job's MetricDefinitions (moto answers its own), a model's
    InferenceExecutionConfig, an endpoint config's MetricsConfig; remembered from the create calls, given back by
    the describe calls. Install before :func:`populate`."""

    KEPT = {
        "CreateTrainingJob": ("TrainingJobName", "DescribeTrainingJob"),
        "CreateModel": ("ModelName", "DescribeModel"),
        "CreateEndpointConfig": ("EndpointConfigName", "DescribeEndpointConfig"),
        "CreateCluster": ("ClusterName", "DescribeCluster"),
    }

    def __init__(self) -> None:
        self.created: dict[tuple[str, str], dict] = {}

    def install(self, session) -> None:
        for create, (key, describe) in self.KEPT.items():
            session.events.register(f"before-parameter-build.sagemaker.{create}", self._remember(describe, key))
            session.events.register(f"after-call.sagemaker.{describe}", self._restore(describe, key))

    def _remember(self, describe, key):
        def handler(params, **_):
            self.created[(describe, params[key])] = dict(params)

        return handler

    def _restore(self, describe, key):
        def handler(parsed, **_):
            given = self.created.get((describe, parsed.get(key)), {})
            if describe == "DescribeTrainingJob" and "AlgorithmSpecification" in given:
                parsed["AlgorithmSpecification"] = {
                    **parsed.get("AlgorithmSpecification", {}),
                    "MetricDefinitions": given["AlgorithmSpecification"].get("MetricDefinitions", [])}
            for field in ("InferenceExecutionConfig", "MetricsConfig", "Orchestrator"):
                if field in given:
                    parsed[field] = given[field]

        return handler


def processing_resources(parsed, **_):
    """moto leaves ProcessingResources out of DescribeProcessingJob; AWS returns it."""
    parsed.setdefault("ProcessingResources", {"ClusterConfig": {"InstanceCount": 3, "InstanceType": "ml.m5.xlarge"}})


def populate(sm) -> None:
    """Endpoints (CPU with two variants, multi-model GPU, serverless, Inferentia), three jobs, a pipeline."""
    sm.create_model(ModelName="single", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE})
    sm.create_model(ModelName="multi", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": IMAGE, "Mode": "MultiModel"})
    configs = {
        "cpu-two-variants": [
            {"VariantName": "Blue", "ModelName": "single", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 2},
            {"VariantName": "Green", "ModelName": "single", "InstanceType": "ml.m5.xlarge", "InitialInstanceCount": 1},
        ],
        "mme-gpu": [{"VariantName": "AllTraffic", "ModelName": "multi", "InstanceType": "ml.g4dn.12xlarge",
                     "InitialInstanceCount": 1}],
        "serverless-ep": [{"VariantName": "AllTraffic", "ModelName": "single",
                           "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5}}],
        "serverless-pc": [{"VariantName": "AllTraffic", "ModelName": "single",
                           "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5, "ProvisionedConcurrency": 2}}],
        "ic-host": [{"VariantName": "AllTraffic", "ModelName": "single", "InstanceType": "ml.g4dn.12xlarge",
                     "InitialInstanceCount": 1}],
        "inferentia-ep": [{"VariantName": "AllTraffic", "ModelName": "single", "InstanceType": "ml.inf1.xlarge",
                           "InitialInstanceCount": 1}],
    }
    for name, variants in configs.items():
        sm.create_endpoint_config(EndpointConfigName=f"{name}-config", ProductionVariants=variants)
        sm.create_endpoint(EndpointName=name, EndpointConfigName=f"{name}-config")
    sm.create_endpoint_config(
        EndpointConfigName="async-ep-config", AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://b/async"}},
        ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": "single", "InstanceType": "ml.m5.xlarge",
                             "InitialInstanceCount": 1}])
    sm.create_endpoint(EndpointName="async-ep", EndpointConfigName="async-ep-config")
    sm.create_model(ModelName="ensemble", ExecutionRoleArn=ROLE, InferenceExecutionConfig={"Mode": "Direct"},
                    Containers=[{"Image": IMAGE, "ContainerHostname": "tabular"},
                                {"Image": IMAGE, "ContainerHostname": "text"}])
    sm.create_endpoint_config(
        EndpointConfigName="mce-config", MetricsConfig={"EnableEnhancedMetrics": True, "MetricPublishFrequencyInSeconds": 10},
        ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": "ensemble", "InstanceType": "ml.m5.xlarge",
                             "InitialInstanceCount": 1}])
    sm.create_endpoint(EndpointName="mce", EndpointConfigName="mce-config")
    for cluster, orchestrator in (("pretrain", {"Orchestrator": {"Eks": {"ClusterArn": EKS}}}), ("slurm-cluster", {})):
        sm.create_cluster(ClusterName=cluster, **orchestrator, InstanceGroups=[{
            "InstanceGroupName": "gpus", "InstanceType": "ml.p5.48xlarge", "InstanceCount": 2, "ThreadsPerCore": 1,
            "ExecutionRole": ROLE, "LifeCycleConfig": {"SourceS3Uri": "s3://sagemaker-lifecycle/", "OnCreate": "on_create.sh"}}])
    sm.create_training_job(
        TrainingJobName="gpu-training", RoleArn=ROLE, OutputDataConfig={"S3OutputPath": "s3://b/o"},
        AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File",
                                "MetricDefinitions": [{"Name": "train:loss", "Regex": "loss=(\\S+)"},
                                                      {"Name": "validation:auc", "Regex": "auc=(\\S+)"}]},
        ResourceConfig={"InstanceType": "ml.p3.8xlarge", "InstanceCount": 2, "VolumeSizeInGB": 10},
        StoppingCondition={"MaxRuntimeInSeconds": 60},
    )
    sm.create_processing_job(
        ProcessingJobName="features", RoleArn=ROLE, AppSpecification={"ImageUri": IMAGE},
        ProcessingResources={"ClusterConfig": {"InstanceCount": 3, "InstanceType": "ml.m5.xlarge", "VolumeSizeInGB": 10}},
        StoppingCondition={"MaxRuntimeInSeconds": 60},
    )
    sm.create_transform_job(
        TransformJobName="scoring", ModelName="single",
        TransformInput={"DataSource": {"S3DataSource": {"S3DataType": "S3Prefix", "S3Uri": "s3://b/i"}}},
        TransformOutput={"S3OutputPath": "s3://b/o"},
        TransformResources={"InstanceType": "ml.g4dn.xlarge", "InstanceCount": 1},
    )
    sm.create_pipeline(PipelineName="training-pipeline", PipelineDefinition=json.dumps(PIPELINE), RoleArn=ROLE)
