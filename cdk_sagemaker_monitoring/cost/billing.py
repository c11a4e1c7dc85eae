"""How each CloudFormation resource type the app writes is billed: the one table both counting paths share.

Every resource type a template of the bundled app holds is listed here once, as one of three kinds:

- ``fixed``: billed by being there, counted into priced items (alarms, dashboards, KMS keys, trails'
  data events): :mod:`.assembly` counts them in templates, :mod:`.plan_usage` from the plans.
- ``use``: billed by what flows through it (a Lambda function's invocations, a log group's ingested
  bytes, an SNS topic's notifications): not in the estimate, and the report names each one present.
- ``free``: no charge for the resource itself (IAM, policies, OAM sinks and links, the Glue catalog's
  first million objects, CDK's deploy-time custom resources).

A new priced thing is one entry here and one count in :mod:`.plan_usage`; the agreement test
(``tests/cost/test_agreement.py``) synthesizes every kind of configuration with the app and fails on a
type missing from this table, or a count the plan path does not make.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Mapping

Kind = Literal["fixed", "use", "free"]


@dataclass(frozen=True)
class Billing:
    """How one resource type is billed; ``note`` says by what (``use``) or why nothing (``free``)."""

    type: str
    kind: Kind
    note: str
    prices: tuple[str, ...] = ()
    """Reference prices (``prices.REFERENCE_ITEMS``) of what it is billed by, quoted in the report."""


def _table(*rows: Billing) -> dict[str, Billing]:
    return {row.type: row for row in rows}


#: Resource type -> how it is billed. Sources: the pricing pages of CloudWatch, CloudTrail, KMS, SNS, SQS,
#: Lambda, EventBridge, Athena, Glue and S3 (see :mod:`.prices`).
BILLING: dict[str, Billing] = _table(
    Billing("AWS::CloudWatch::Alarm", "fixed", "alarm metrics (standard, high resolution, Metrics Insights, "
            "anomaly detection)"),
    Billing("AWS::CloudWatch::CompositeAlarm", "fixed", "composite alarms"),
    Billing("AWS::CloudWatch::Dashboard", "fixed", "dashboards"),
    Billing("AWS::KMS::Key", "fixed", "KMS keys (a month each; requests are billed by use)"),
    Billing("AWS::CloudTrail::Trail", "fixed", "data events delivered (counted with --data-events-per-day or "
            "--from-trail)"),
    Billing("AWS::Lambda::Function", "use", "the stream function's requests and duration (GB-seconds)",
            ("lambda_arm_requests", "lambda_arm_gb_seconds")),
    Billing("AWS::Logs::LogGroup", "use", "CloudWatch Logs ingestion and storage of what is written to it (a "
            "stream writes about 235 bytes of EMF per logged value, bench/stream_handler.py)",
            ("logs_ingestion_gb", "logs_storage_gb_month")),
    Billing("AWS::SNS::Topic", "use", "notifications delivered (email: first 1,000 a month free) and the KMS "
            "requests of an encrypted topic", ("sns_requests",)),
    Billing("AWS::SQS::Queue", "use", "requests (dead letters only; first million a month free)", ("sqs_requests",)),
    Billing("AWS::Athena::WorkGroup", "use", "Athena queries, by data scanned"),
    Billing("AWS::S3::Bucket", "use", "S3 storage and requests of the trail's logs, access logs and query results"),
    Billing("AWS::Events::Rule", "use", "EventBridge: AWS service events on the default bus (SageMaker's failure "
            "events) are free, input transformation included; the stream reads CloudTrail data events, which "
            "EventBridge may bill per event delivered"),
    Billing("AWS::SNS::Subscription", "free", "a subscription (its deliveries are the topic's)"),
    Billing("AWS::SNS::TopicPolicy", "free", "a policy"),
    Billing("AWS::SQS::QueuePolicy", "free", "a policy"),
    Billing("AWS::S3::BucketPolicy", "free", "a policy"),
    Billing("AWS::Logs::ResourcePolicy", "free", "a policy (lets EventBridge write the failure events' archive)"),
    Billing("AWS::IAM::Role", "free", "IAM"),
    Billing("AWS::IAM::Policy", "free", "IAM"),
    Billing("AWS::IAM::ManagedPolicy", "free", "IAM"),
    Billing("AWS::Lambda::Permission", "free", "a permission"),
    Billing("AWS::Lambda::EventInvokeConfig", "free", "a setting of the function"),
    Billing("AWS::Glue::Database", "free", "Glue Data Catalog: the first million objects are free"),
    Billing("AWS::Glue::Table", "free", "Glue Data Catalog: the first million objects are free"),
    Billing("AWS::Athena::NamedQuery", "free", "a saved query (running it is the workgroup's)"),
    Billing("AWS::Oam::Sink", "free", "CloudWatch cross-account observability: no charge for sharing metrics"),
    Billing("AWS::Oam::Link", "free", "CloudWatch cross-account observability: no charge for sharing metrics"),
    Billing("Custom::AWS", "free", "CDK's AwsCustomResource: one API call per deployment"),
    Billing("AWS::CloudFormation::Stack", "free", "a nested stack (its template is counted on its own)"),
    Billing("AWS::CDK::Metadata", "free", "CDK's version metadata"),
)

DEPLOY_TIME_FUNCTION = Billing("AWS::Lambda::Function", "free",
                               "CDK's custom-resource provider: runs only while a stack deploys")
"""A function no EventBridge rule of its template invokes (CDK's custom-resource providers)."""


def billing_of(logical_id: str, resource: Mapping[str, Any], rule_targets: frozenset[str]) -> Billing | None:
    """How the resource ``logical_id`` of a template is billed (``None``: its type is not in :data:`BILLING`).

    ``rule_targets``: logical ids of the functions an ``AWS::Events::Rule`` of the same template invokes;
    any other function is a deploy-time provider."""
    kind = resource.get("Type")
    if kind == "AWS::Lambda::Function" and logical_id not in rule_targets:
        return DEPLOY_TIME_FUNCTION
    return BILLING.get(kind) if isinstance(kind, str) else None


def rule_targets(resources: Mapping[str, Any]) -> frozenset[str]:
    """Logical ids that an ``AWS::Events::Rule`` of these resources targets (``Fn::GetAtt [id, Arn]``)."""
    out: set[str] = set()
    for resource in resources.values():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Events::Rule":
            continue
        for target in (resource.get("Properties") or {}).get("Targets") or []:
            arn = target.get("Arn") if isinstance(target, dict) else None
            if isinstance(arn, dict) and isinstance(arn.get("Fn::GetAtt"), list) and arn["Fn::GetAtt"]:
                out.add(str(arn["Fn::GetAtt"][0]))
    return frozenset(out)
