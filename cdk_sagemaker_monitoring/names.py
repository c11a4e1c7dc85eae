"""Name rules of the AWS services this package names things in, in one place.

Each rule is a compiled pattern, the length limits, and a human sentence: a rule is its pattern
**and** its lengths (SageMaker's patterns such as ``[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`` admit any
number of hyphens, so only the stated maximum keeps a name within 63 characters).
:func:`check_name` refuses a value that cannot exist with a
:class:`~cdk_sagemaker_monitoring.errors.ConfigurationError` naming the field and the valid range.
Patterns and lengths come from the SageMaker, CloudTrail, Glue and Athena API references ("Length
Constraints" and "Pattern" of each parameter; the same values as botocore's service models, which a
test compares).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from .errors import ConfigurationError

_SHOWN = 40
"""Characters of a too-long value quoted in a message."""


@dataclass(frozen=True)
class NameRule:
    """A naming rule: the pattern a name must match in full, its length limits, and how to say it to a person."""

    kind: str
    pattern: re.Pattern[str]
    description: str
    min_length: int = 0
    """The shortest valid name (the API's minimum; 1 where the API says 0 but the pattern needs a character)."""
    max_length: Optional[int] = None
    """The longest valid name (the API's maximum); ``None`` where the pattern alone bounds it."""

    @property
    def noun(self) -> str:
        """What a value of this rule is called in messages: ``endpoint name``, ``trial component name prefix``."""
        return self.kind if self.kind.endswith(("name", "prefix", "id", "code", "ARN", "date")) else f"{self.kind} name"

    @property
    def length_range(self) -> str:
        """``1 to 63 characters`` (``at least 1 character`` without a maximum)."""
        if self.max_length is None:
            return f"at least {self.min_length} character{'s' if self.min_length != 1 else ''}"
        return f"{self.min_length} to {self.max_length} characters"

    def problem(self, value: str) -> Optional[tuple[str, str]]:
        """``(problem, fix)`` when ``value`` is not a valid name of this kind, else None."""
        too_long = self.max_length is not None and len(value) > self.max_length
        if too_long or len(value) < self.min_length:
            shown = value if len(value) <= _SHOWN else value[:_SHOWN] + "..."
            plural = self.noun + ("es" if self.noun.endswith("x") else "s")
            fix = (f"shorten it to {self.max_length} characters or fewer" if too_long
                   else f"use at least {self.min_length} characters")
            return f"{shown!r} is {len(value)} characters long; {plural} have {self.length_range}", fix
        if not self.pattern.fullmatch(value):
            return f"{value!r} is not a valid {self.noun}", self.description
        return None

    def check(self, field: str, value: object) -> str:
        """Return ``value`` if it is a valid name of this kind, else raise ConfigurationError."""
        if not isinstance(value, str):
            raise ConfigurationError(field, f"expected a {self.noun} (a string), got {type(value).__name__}")
        found = self.problem(value)
        if found is not None:
            raise ConfigurationError(field, found[0], fix=found[1])
        return value


def _rule(kind: str, pattern: str, description: str, min_length: int = 0, max_length: Optional[int] = None) -> NameRule:
    return NameRule(kind, re.compile(pattern), description, min_length, max_length)


# SageMaker API reference: EndpointName, VariantName, TrainingJobName, ProcessingJobName, TransformJobName,
# LabelingJobName, WorkteamName (at most 63 characters), PipelineName (256), FeatureGroupName (64), the
# StepName of ListPipelineExecutionSteps (64): alphanumerics and hyphens, no leading/trailing hyphen.
# EndpointName, VariantName and StepName say "Minimum length of 0"; their patterns need one character.
ENDPOINT = _rule("endpoint", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                 "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
VARIANT = _rule("production variant", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
TRAINING_JOB = _rule("training job", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                     "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
PROCESSING_JOB = _rule("processing job", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                       "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
TRANSFORM_JOB = _rule("transform job", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                      "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
LABELING_JOB = _rule("labeling job", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                     "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
WORKTEAM = _rule("work team", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                 "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
# CreateInferenceComponent: InferenceComponentName, pattern [a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?, at most 63.
INFERENCE_COMPONENT = _rule("inference component", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                            "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
# CreateModel: ContainerHostname (direct invocation's TargetContainerHostname), at most 63.
CONTAINER = _rule("container hostname", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                  "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
# CreateCluster (HyperPod): ClusterName, at most 63.
HYPERPOD_CLUSTER = _rule("HyperPod cluster", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                         "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
# CreateMonitoringSchedule: MonitoringScheduleName, at most 63.
MONITORING_SCHEDULE = _rule("monitoring schedule", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                            "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
# CreateEndpointConfig: EndpointConfigName, at most 63.
ENDPOINT_CONFIG = _rule("endpoint config", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                        "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit", 1, 63)
# MetricDefinition.Name of a training job's algorithm: any 1 to 255 characters.
ALGORITHM_METRIC = _rule("algorithm metric", r"[^\x00-\x1f]{1,255}",
                         "1 to 255 characters, as the training job's metric definition names it (train:loss)", 1, 255)
PIPELINE = _rule("pipeline", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}",
                 "1 to 256 letters, digits and hyphens, starting and ending with a letter or digit", 1, 256)
PIPELINE_STEP = _rule("pipeline step", r"[A-Za-z0-9\-_]{1,64}",
                      "1 to 64 letters, digits, hyphens and underscores", 1, 64)
FEATURE_GROUP = _rule("feature group", r"[a-zA-Z0-9]([_-]*[a-zA-Z0-9]){0,63}",
                      "1 to 64 letters, digits, hyphens and underscores, starting and ending with a letter or digit",
                      1, 64)
# Trial components (experiment runs): the ARN prefix filter of the trail. BatchPutMetrics takes
# only lower-case names (API reference: ^[a-z0-9](-*[a-z0-9]){0,119}), and the ARN filter is case
# sensitive, so a prefix with a capital letter would silently match nothing.
TRIAL_COMPONENT_PREFIX = _rule("trial component name prefix", r"[a-z0-9](-*[a-z0-9]){0,119}-*",
                               "1 to 120 lower-case letters, digits and hyphens, starting with a letter or digit "
                               "(BatchPutMetrics only takes lower-case run names)", 1, 120)
# CloudTrail CreateTrail: 3-128 chars of letters, digits, '.', '_', '-'; starts and ends with a letter
# or digit; no two of '.', '_', '-' next to each other; not shaped like an IP address.
TRAIL = _rule("CloudTrail trail", r"(?!\d+\.\d+\.\d+\.\d+$)[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9])){2,127}",
              "3 to 128 letters, digits, '.', '_' and '-', starting and ending with a letter or digit, "
              "with no two of '.', '_', '-' in a row", 3, 128)
# CloudTrail event names are API action names.
EVENT_NAME = _rule("CloudTrail event", r"[A-Z][A-Za-z0-9]{1,127}", "an API action name such as 'BatchPutMetrics'",
                   2, 128)
# Athena queries Glue databases and tables named with lower-case letters, digits and underscores only
# (Athena "Names for tables, databases, and columns"); Glue allows 255 characters.
GLUE_NAME = _rule("Glue database or table", r"[a-z0-9_]{1,255}", "1 to 255 lower-case letters, digits and underscores",
                  1, 255)
# Athena CreateWorkGroup: Name, pattern [a-zA-Z0-9._-]{1,128}.
ATHENA_WORKGROUP = _rule("Athena workgroup", r"[a-zA-Z0-9._-]{1,128}", "1 to 128 letters, digits, '.', '_' and '-'",
                         1, 128)


# Accounts, regions, organizations and ARNs (identifiers the trail, the queries and the environments take):
# their patterns bound their lengths, so they state none.
# AWS account ids are twelve digits (Organizations API reference, Account.Id).
ACCOUNT_ID = _rule("AWS account id", r"\d{12}", "twelve digits, quoted in YAML if it starts with 0")
# Region codes such as us-east-1, eu-central-2, us-gov-west-1; whether one exists is aws_values.known_regions().
REGION = _rule("AWS region code", r"[a-z]{2}(-[a-z]+)+-\d{1,2}", "a region code such as 'us-east-1'")
# AWS Organizations API reference, Organization.Id: ^o-[a-z0-9]{10,32}$.
ORGANIZATION_ID = _rule("AWS Organizations id", r"o-[a-z0-9]{10,32}",
                        "'o-' followed by 10 to 32 lower-case letters or digits")
# KMS key ARNs: arn:<partition>:kms:<region>:<account>:key/<key id> (KMS developer guide, key identifiers).
KMS_KEY_ARN = _rule("KMS key ARN", r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]{1,128}",
                    "arn:aws:kms:<region>:<account>:key/<key id>")
# CloudFormation stack names: a letter, then letters, digits and hyphens, at most 128 characters.
STACK_NAME = _rule("CloudFormation stack", r"[A-Za-z][A-Za-z0-9-]{0,127}",
                   "a letter, then letters, digits and hyphens; at most 128 characters")
# An environment of the app becomes the stack <stack_name>-<name>: letters, digits and single hyphens.
ENVIRONMENT = _rule("environment", r"[A-Za-z0-9](-?[A-Za-z0-9]){0,31}",
                    "1 to 32 letters, digits and single hyphens, starting and ending with a letter or digit")
# S3 object key prefixes of CloudTrail (CreateTrail S3KeyPrefix: at most 200 characters); an empty
# path segment ('//') would make a folder no reader lists.
S3_KEY_PREFIX = _rule("S3 key prefix", r"(?!.*//)[^\x00-\x1f]{0,200}", "at most 200 characters, no empty path segments")
# Partition projection date ranges (Athena "Supported types for partition projection", date type):
# NOW, or NOW minus a number of years, months, weeks or days.
PROJECTION_RELATIVE_DATE = _rule("relative date", r"NOW(-\d+(YEAR|MONTH|WEEK|DAY)S?)?",
                                 "NOW, or NOW-<n>YEARS, -MONTHS, -WEEKS or -DAYS")


def check_name(rule: NameRule, field: str, value: object) -> str:
    """Validate ``value`` against ``rule``; the error names ``field``."""
    return rule.check(field, value)


# ----------------------------------------------------------------------------------- alarm actions
# CloudWatch API reference, PutMetricAlarm AlarmActions / OKActions ("Valid values"): SNS topics,
# Lambda functions (latest, version or alias), SSM OpsItems (severity 1-4, optional #CATEGORY=) and
# Incident Manager response plans. The reference writes "responseplan/"; Incident Manager's own ARNs
# (and CDK's SsmIncidentAction) read "response-plan/": both are accepted.
_PARTITION_REGION_ACCOUNT = r"arn:aws[a-z-]*:{service}:[a-z]{{2}}(?:-[a-z]+)+-\d{{1,2}}:\d{{12}}"
SNS_TOPIC_ARN = _rule("SNS topic ARN", _PARTITION_REGION_ACCOUNT.format(service="sns")
                      + r":[A-Za-z0-9_-]{1,256}(?:\.fifo)?",
                      "arn:aws:sns:<region>:<account>:<topic name>")
LAMBDA_FUNCTION_ARN = _rule("Lambda function ARN", _PARTITION_REGION_ACCOUNT.format(service="lambda")
                            + r":function:[A-Za-z0-9_-]{1,64}(?::[A-Za-z0-9_-]{1,128})?",
                            "arn:aws:lambda:<region>:<account>:function:<name>[:<version or alias>]")
OPSITEM_ARN = _rule("SSM OpsItem action ARN", _PARTITION_REGION_ACCOUNT.format(service="ssm")
                    + r":opsitem:[1-4](?:#CATEGORY=(?:Availability|Cost|Performance|Recovery|Security))?",
                    "arn:aws:ssm:<region>:<account>:opsitem:<severity 1-4>[#CATEGORY=Availability|Cost|Performance"
                    "|Recovery|Security]")
RESPONSE_PLAN_ARN = _rule("Incident Manager response plan ARN",
                          r"arn:aws[a-z-]*:ssm-incidents::\d{12}:(?:response-plan|responseplan)/[A-Za-z0-9_-]{1,200}",
                          "arn:aws:ssm-incidents::<account>:response-plan/<name>")
ALARM_ACTION_RULES: tuple[NameRule, ...] = (SNS_TOPIC_ARN, LAMBDA_FUNCTION_ARN, OPSITEM_ARN, RESPONSE_PLAN_ARN)
"""Every alarm action this package routes to, in the order messages list them."""


def action_rule(value: str) -> NameRule | None:
    """The rule of alarm action ARN ``value`` (SNS, Lambda, OpsItem, response plan), or ``None``."""
    for rule in ALARM_ACTION_RULES:
        if rule.pattern.fullmatch(value):
            return rule
    return None


# CloudWatch API reference, Metric/Dimension: a namespace is 1-255 characters not starting with ':';
# a dimension name 1-255 characters, a value 1-1024; a metric has at most 30 dimensions.
CLOUDWATCH_NAMESPACE = _rule("CloudWatch namespace", r"[^:].{0,254}", "1 to 255 characters, not starting with ':'")
CLOUDWATCH_METRIC = _rule("CloudWatch metric", r".{1,255}", "1 to 255 characters")
CLOUDWATCH_DIMENSION = _rule("CloudWatch dimension", r".{1,255}", "1 to 255 characters")
MAX_DIMENSIONS = 30
MAX_DIMENSION_VALUE_CHARS = 1024
# A runbook link written into alarm descriptions (at most 1,024 characters): http(s), no spaces.
RUNBOOK_URL = _rule("runbook URL", r"https?://[^\s]{1,500}", "an http:// or https:// URL of at most 500 characters, "
                    "without spaces")


# The monitoring's own names (CloudWatch API reference: DashboardName, AlarmName; SNS Subscribe's email
# endpoint; PutMetricData's Namespace, which may not start with "AWS/" for custom metrics).
EMAIL = _rule("email address", r"[^@\s]+@[^@\s]+\.[A-Za-z0-9-]{2,}", "for example ops@example.com")
DASHBOARD = _rule("dashboard", r"[A-Za-z0-9_-]{1,200}", "1 to 200 letters, digits, '-' and '_'", 1, 200)
STREAM_DASHBOARD = _rule("dashboard", r"[A-Za-z0-9_\-]{1,255}", "1 to 255 letters, digits, '-' and '_'", 1, 255)
ALARM_NAME_PREFIX = _rule("alarm name prefix", r"[A-Za-z0-9_./-]{1,64}",
                          "1 to 64 letters, digits, '-', '_', '.' and '/'", 1, 64)
CUSTOM_NAMESPACE = _rule("CloudWatch namespace for custom metrics", r"(?!AWS/)[A-Za-z0-9.\-_/#: ]{1,255}",
                         "1 to 255 letters, digits and . - _ / # : or space, not starting with AWS/", 1, 255)
RUN_ALARM_PREFIX = _rule("alarm name prefix", r"[A-Za-z0-9][A-Za-z0-9._\-/ ]{0,98}[A-Za-z0-9]|[A-Za-z0-9]",
                         "1 to 100 letters, digits, '.', '_', '-', '/' or spaces, starting and ending with a letter "
                         "or digit", 1, 100)
# Failure events (events.name_prefixes): the start of a SageMaker job, endpoint, pipeline or HyperPod cluster
# name. Those names are letters, digits and hyphens starting with a letter or digit (63 characters; pipelines
# 256), so a prefix is such a start: it may end in hyphens (more characters follow), at most 63 characters.
SAGEMAKER_NAME_PREFIX = _rule("SageMaker name prefix", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}-*",
                              "1 to 63 letters, digits and hyphens, starting with a letter or digit (the start of "
                              "a SageMaker name)", 1, 63)
# EventBridge PutRule: Name is 1 to 64 of [\.\-_A-Za-z0-9]; the failure rules are <prefix>-<Kind>
# (the longest kind, PipelineExecutionFailed, adds 24 characters), so the prefix keeps to 40.
EVENT_RULE_PREFIX = _rule("EventBridge rule name prefix", r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}",
                          "1 to 40 letters, digits, '.', '_' and '-', starting with a letter or digit", 1, 40)
