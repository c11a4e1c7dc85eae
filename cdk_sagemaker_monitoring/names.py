"""Name rules of the AWS services this package names things in, in one place.

Each rule is a compiled pattern and a human sentence; :func:`check_name` refuses a value that
cannot exist with a :class:`~cdk_sagemaker_monitoring.errors.ConfigurationError` naming the field.
Patterns come from the SageMaker and CloudTrail API references.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ConfigurationError


@dataclass(frozen=True)
class NameRule:
    """A naming rule: the pattern a name must match in full, and how to say it to a person."""

    kind: str
    pattern: re.Pattern[str]
    description: str

    @property
    def noun(self) -> str:
        """What a value of this rule is called in messages: ``endpoint name``, ``trial component name prefix``."""
        return self.kind if self.kind.endswith(("name", "prefix")) else f"{self.kind} name"

    def check(self, field: str, value: object) -> str:
        """Return ``value`` if it is a valid name of this kind, else raise ConfigurationError."""
        if not isinstance(value, str):
            raise ConfigurationError(field, f"expected a {self.noun} (a string), got {type(value).__name__}")
        if not self.pattern.fullmatch(value):
            raise ConfigurationError(field, f"{value!r} is not a valid {self.noun}", fix=self.description)
        return value


def _rule(kind: str, pattern: str, description: str) -> NameRule:
    return NameRule(kind, re.compile(pattern), description)


# SageMaker API reference: EndpointName, TrainingJobName, ProcessingJobName, TransformJobName,
# PipelineName, LabelingJobName (1-63 chars, alphanumerics and hyphens, no leading/trailing hyphen).
ENDPOINT = _rule("endpoint", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                 "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit")
VARIANT = _rule("production variant", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit")
TRAINING_JOB = _rule("training job", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                     "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit")
PROCESSING_JOB = _rule("processing job", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                       "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit")
TRANSFORM_JOB = _rule("transform job", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                      "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit")
LABELING_JOB = _rule("labeling job", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                     "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit")
WORKTEAM = _rule("work team", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                 "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit")
# CreateInferenceComponent: InferenceComponentName, pattern [a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?, at most 63.
INFERENCE_COMPONENT = _rule("inference component", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}",
                            "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit")
PIPELINE = _rule("pipeline", r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}",
                 "1 to 256 letters, digits and hyphens, starting and ending with a letter or digit")
PIPELINE_STEP = _rule("pipeline step", r"[A-Za-z0-9\-_]{1,64}",
                      "1 to 64 letters, digits, hyphens and underscores")
FEATURE_GROUP = _rule("feature group", r"[a-zA-Z0-9]([_-]*[a-zA-Z0-9]){0,63}",
                      "1 to 64 letters, digits, hyphens and underscores, starting and ending with a letter or digit")
# Trial components (experiment runs): the ARN prefix filter of the trail. BatchPutMetrics takes
# only lower-case names (API reference: ^[a-z0-9](-*[a-z0-9]){0,119}), and the ARN filter is case
# sensitive, so a prefix with a capital letter would silently match nothing.
TRIAL_COMPONENT_PREFIX = _rule("trial component name prefix", r"[a-z0-9](-*[a-z0-9]){0,119}-*",
                               "1 to 120 lower-case letters, digits and hyphens, starting with a letter or digit "
                               "(BatchPutMetrics only takes lower-case run names)")
# CloudTrail CreateTrail: 3-128 chars of letters, digits, '.', '_', '-'; starts and ends with a letter
# or digit; no two of '.', '_', '-' next to each other; not shaped like an IP address.
TRAIL = _rule("CloudTrail trail", r"(?!\d+\.\d+\.\d+\.\d+$)[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9])){2,127}",
              "3 to 128 letters, digits, '.', '_' and '-', starting and ending with a letter or digit, "
              "with no two of '.', '_', '-' in a row")
# CloudTrail event names are API action names.
EVENT_NAME = _rule("CloudTrail event", r"[A-Z][A-Za-z0-9]{1,127}", "an API action name such as 'BatchPutMetrics'")
# Athena queries Glue databases and tables named with lower-case letters, digits and underscores only
# (Athena "Names for tables, databases, and columns"); Glue allows 255 characters.
GLUE_NAME = _rule("Glue database or table", r"[a-z0-9_]{1,255}", "1 to 255 lower-case letters, digits and underscores")
# Athena CreateWorkGroup: Name, pattern [a-zA-Z0-9._-]{1,128}.
ATHENA_WORKGROUP = _rule("Athena workgroup", r"[a-zA-Z0-9._-]{1,128}", "1 to 128 letters, digits, '.', '_' and '-'")


def check_name(rule: NameRule, field: str, value: object) -> str:
    """Validate ``value`` against ``rule``; the error names ``field``."""
    return rule.check(field, value)
