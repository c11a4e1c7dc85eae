"""SageMaker's failure events as data rows: which EventBridge events mean "it failed", and how to read them.

SageMaker publishes no CloudWatch metric when a job, an endpoint update or a pipeline fails; it sends an
EventBridge event (``source: aws.sagemaker``) on the account's default bus. Each :class:`EventKind` is one
kind of failure: its ``detail-type``, the field holding the status and the values that mean failure, the
field naming the resource (matched by prefix), the field with the reason, a console link, a default
severity, and the source of those facts with its confidence. The facts table
``tests/facts/sagemaker_events.csv`` repeats every detail-type, field and value; a test compares the two.

Left out, on purpose (:data:`LEFT_OUT`): kinds whose event shape no AWS page shows. A rule on a guessed
field would match nothing and look like silence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

from .evidence import Confidence, Source
from .model import Severity

EVENT_SOURCE = "aws.sagemaker"
"""The ``source`` of every SageMaker service event."""

MatchStyle = Literal["prefix", "arn-wildcard"]
"""How ``name_prefixes`` narrow a kind: ``prefix`` on a name field, or an EventBridge ``wildcard`` on an
ARN field (pipeline events carry the pipeline only inside ``pipelineArn``)."""

EVENTS_PAGE = Source("Events that Amazon SageMaker AI sends to Amazon EventBridge (SageMaker AI developer guide)",
                     "https://docs.aws.amazon.com/sagemaker/latest/dg/automating-sagemaker-with-eventbridge.html")
EVENTS_REFERENCE = Source("Amazon SageMaker AI events (EventBridge events reference)",
                          "https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-sagemaker.html")
API_REFERENCE = Source("Amazon SageMaker API reference (Describe* responses: status values and FailureReason; "
                       "an event's detail mirrors the resource's Describe* response)",
                       "https://docs.aws.amazon.com/sagemaker/latest/APIReference/Welcome.html")
HYPERPOD_EVENTS = Source("SageMaker HyperPod cluster events reference (SageMaker AI developer guide)",
                         "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-hyperpod-cluster-events-reference"
                         ".html")
CONSOLE = Source("SageMaker AI console addresses (inferred from the console's own links; not an API)",
                 "https://console.aws.amazon.com/sagemaker/home")
EVENTBRIDGE_METRICS = Source("Monitoring Amazon EventBridge: AWS/Events metrics TriggeredRules, MatchedEvents, "
                             "FailedInvocations by RuleName (EventBridge user guide)",
                             "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-monitoring.html")


@dataclass(frozen=True)
class Condition:
    """One field of ``detail`` and the values it must hold (any of them)."""

    field: str
    """Dotted path inside ``detail`` (``TrainingJobStatus``, ``EventDetails.EventLevel``)."""
    values: tuple[str, ...]
    ignore_case: bool = False
    """Match with EventBridge's ``equals-ignore-case`` (AWS's pages do not settle the value's casing)."""
    source: Source = EVENTS_PAGE
    confidence: Confidence = "aws-doc"


@dataclass(frozen=True)
class EventKind:
    """One kind of failure event: a row of the events catalog."""

    key: str
    """Configuration key (``events.kinds.<key>``), the rule's and alarm's name part."""
    title: str
    """What failed, for people (``Training job``)."""
    detail_type: str
    status: Condition
    """The status field and its failure values."""
    name_field: str
    """Dotted path inside ``detail`` of the resource's name (or ARN, see ``match``)."""
    match: MatchStyle
    severity: Severity
    console: str
    """Console link, with ``<region>`` and ``<name>`` filled in by the input transformer."""
    source: Source
    confidence: Confidence
    """How sure the detail-type and the name field are."""
    arn_resource: str = ""
    """``arn-wildcard``: the ARN's resource type (``pipeline``)."""
    reason_field: Optional[str] = None
    """Dotted path inside ``detail`` of the failure reason; ``None`` when the event documents none."""
    reason_confidence: Confidence = "aws-doc"
    also: tuple[Condition, ...] = ()
    """Further conditions (a training job stopped for ``MaxRuntimeExceeded``)."""
    step_field: Optional[str] = None
    """Dotted path inside ``detail`` of the pipeline step's name (step events)."""
    note: str = ""

    @property
    def rule_suffix(self) -> str:
        """``TrainingJobFailed``: the rule name after its prefix."""
        return "".join(part[:1].upper() + part[1:] for part in self.key.split("_"))

    @property
    def conditions(self) -> tuple[Condition, ...]:
        return (self.status, *self.also)


_CONSOLE = "https://<region>.console.aws.amazon.com/sagemaker/home?region=<region>#/"

EVENT_KINDS: tuple[EventKind, ...] = (
    EventKind(
        key="training_job_failed", title="Training job", detail_type="SageMaker Training Job State Change",
        status=Condition("TrainingJobStatus", ("Failed",)), name_field="TrainingJobName", match="prefix",
        reason_field="FailureReason", severity="Critical", console=_CONSOLE + "jobs/<name>",
        source=EVENTS_PAGE, confidence="aws-doc",
        note="the page: if TrainingJobStatus is Failed, the event contains FailureReason"),
    EventKind(
        key="training_job_max_runtime", title="Training job (stopped: MaxRuntimeExceeded)",
        detail_type="SageMaker Training Job State Change",
        status=Condition("TrainingJobStatus", ("Stopped",), source=API_REFERENCE),
        also=(Condition("SecondaryStatus", ("MaxRuntimeExceeded",), source=API_REFERENCE),),
        name_field="TrainingJobName", match="prefix", reason_field=None, severity="Warning",
        console=_CONSOLE + "jobs/<name>", source=EVENTS_PAGE, confidence="aws-doc",
        note="SecondaryStatus is in the page's example; MaxRuntimeExceeded is a SecondaryStatus value under "
             "Stopped (DescribeTrainingJob)"),
    EventKind(
        key="processing_job_failed", title="Processing job", detail_type="SageMaker Processing Job State Change",
        status=Condition("ProcessingJobStatus", ("Failed",), source=API_REFERENCE, confidence="inferred"),
        name_field="ProcessingJobName", match="prefix", reason_field="FailureReason", reason_confidence="inferred",
        severity="Critical", console=_CONSOLE + "processing-jobs/<name>", source=EVENTS_REFERENCE,
        confidence="inferred",
        note="the detail-type is listed by AWS; its fields are DescribeProcessingJob's, as the other job events' are"),
    EventKind(
        key="transform_job_failed", title="Batch transform job", detail_type="SageMaker Transform Job State Change",
        status=Condition("TransformJobStatus", ("Failed",)), name_field="TransformJobName", match="prefix",
        reason_field="FailureReason", severity="Critical", console=_CONSOLE + "transform-jobs/<name>",
        source=EVENTS_PAGE, confidence="aws-doc",
        note="the page: if TransformJobStatus is Failed, the event contains FailureReason"),
    EventKind(
        key="tuning_job_failed", title="Hyperparameter tuning job",
        detail_type="SageMaker HyperParameter Tuning Job State Change",
        status=Condition("HyperParameterTuningJobStatus", ("Failed",), source=API_REFERENCE),
        name_field="HyperParameterTuningJobName", match="prefix", reason_field="FailureReason",
        reason_confidence="inferred", severity="Critical", console=_CONSOLE + "hyper-tuning-jobs/<name>",
        source=EVENTS_PAGE, confidence="aws-doc",
        note="the page's example shows the status field with a placeholder value; Failed is the API's value; "
             "FailureReason is DescribeHyperParameterTuningJob's"),
    EventKind(
        key="endpoint_failed", title="Endpoint (creation or update)", detail_type="SageMaker Endpoint State Change",
        status=Condition("EndpointStatus", ("Failed", "UpdateRollbackFailed", "UPDATE_ROLLBACK_FAILED"),
                         ignore_case=True, source=EVENTS_PAGE, confidence="aws-doc"),
        name_field="EndpointName", match="prefix", reason_field="FailureReason", reason_confidence="inferred",
        severity="Critical", console=_CONSOLE + "endpoints/<name>", source=EVENTS_PAGE, confidence="aws-doc",
        note="the page's example shows EndpointStatus IN_SERVICE (upper snake case) where the API says InService: "
             "the values are matched ignoring case, in both spellings"),
    EventKind(
        key="pipeline_execution_failed", title="Pipeline execution",
        detail_type="SageMaker Model Building Pipeline Execution Status Change",
        status=Condition("currentPipelineExecutionStatus", ("Failed",)), name_field="pipelineArn",
        match="arn-wildcard", arn_resource="pipeline", reason_field=None, severity="Critical",
        console=_CONSOLE + "pipelines", source=EVENTS_PAGE, confidence="aws-doc",
        note="the event names the pipeline only in pipelineArn and documents no failure reason"),
    EventKind(
        key="pipeline_step_failed", title="Pipeline step",
        detail_type="SageMaker Model Building Pipeline Execution Step Status Change",
        status=Condition("currentStepStatus", ("Failed",)), name_field="pipelineArn", match="arn-wildcard",
        arn_resource="pipeline", reason_field="failureReason", step_field="stepName", severity="Warning",
        console=_CONSOLE + "pipelines", source=EVENTS_PAGE, confidence="aws-doc",
        note="the page: if currentStepStatus is Failed, the event contains failureReason; Warning by default "
             "(the execution's own event is Critical)"),
    EventKind(
        key="hyperpod_cluster_failed", title="HyperPod cluster",
        detail_type="SageMaker HyperPod Cluster State Change",
        status=Condition("ClusterStatus", ("Failed",)), name_field="ClusterName", match="prefix",
        reason_field="FailureMessage", severity="Critical", console=_CONSOLE + "cluster-management/<name>",
        source=EVENTS_PAGE, confidence="aws-doc",
        note="the page's example has ClusterName, ClusterStatus and FailureMessage"),
    EventKind(
        key="hyperpod_cluster_error", title="HyperPod cluster (error event)",
        detail_type="SageMaker HyperPod Cluster Event",
        status=Condition("EventDetails.EventLevel", ("Error",), source=HYPERPOD_EVENTS),
        name_field="EventDetails.ClusterName", match="prefix", reason_field="EventDetails.Description",
        severity="Warning", console=_CONSOLE + "cluster-management/<name>", source=HYPERPOD_EVENTS,
        confidence="aws-doc",
        note="error-level cluster events (instance creation failed...); clusters with NodeProvisioningMode "
             "Continuous only"),
)
"""Every failure kind, in the order rules, alarms and dashboards list them."""

KIND_KEYS: tuple[str, ...] = tuple(k.key for k in EVENT_KINDS)

LEFT_OUT: dict[str, str] = {
    "SageMaker HyperPod Cluster Node Health Event": "listed by AWS, but no page here shows its fields or the values "
                                                    "of an unhealthy node; error-level HyperPod cluster events "
                                                    "(hyperpod_cluster_error) cover failed instances",
    "Ground Truth labeling jobs": "AWS lists Ground Truth events, but no page here shows a labeling job state "
                                  "change with its status field (the labeling_jobs JobsFailed alarm covers failures)",
    "MLflow tracking servers": "no EventBridge event of tracking servers is documented",
}
"""Failures the issue asked about that get no rule, and why (no documented event shape)."""

TRIGGERED_RULES = "TriggeredRules"
"""``AWS/Events`` metric (Count, dimension ``RuleName``): rules that matched an event (EVENTBRIDGE_METRICS)."""
EVENTS_NAMESPACE = "AWS/Events"


def kind(key: str) -> EventKind:
    """The catalog row ``key``; ``KeyError`` when there is none."""
    for row in EVENT_KINDS:
        if row.key == key:
            return row
    raise KeyError(key)


__all__ = ["EVENT_KINDS", "EVENT_SOURCE", "KIND_KEYS", "LEFT_OUT", "Condition", "EventKind", "kind"]
