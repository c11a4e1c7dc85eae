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
    min_length: int
    """The shortest valid name (the API's minimum; 1 where the API says 0 but the pattern needs a character)."""
    max_length: int
    """The longest valid name (the API's maximum)."""

    @property
    def noun(self) -> str:
        """What a value of this rule is called in messages: ``endpoint name``, ``trial component name prefix``."""
        return self.kind if self.kind.endswith(("name", "prefix")) else f"{self.kind} name"

    @property
    def length_range(self) -> str:
        """``1 to 63 characters``."""
        return f"{self.min_length} to {self.max_length} characters"

    def problem(self, value: str) -> Optional[tuple[str, str]]:
        """``(problem, fix)`` when ``value`` is not a valid name of this kind, else None."""
        if not self.min_length <= len(value) <= self.max_length:
            shown = value if len(value) <= _SHOWN else value[:_SHOWN] + "..."
            plural = self.noun + ("es" if self.noun.endswith("x") else "s")
            fix = (f"shorten it to {self.max_length} characters or fewer" if len(value) > self.max_length
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


def _rule(kind: str, pattern: str, description: str, min_length: int, max_length: int) -> NameRule:
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


def check_name(rule: NameRule, field: str, value: object) -> str:
    """Validate ``value`` against ``rule``; the error names ``field``."""
    return rule.check(field, value)
