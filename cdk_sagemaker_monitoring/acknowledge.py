"""Acknowledging findings of the checkers users run on these constructs, each with its reason.

Every acknowledgement carries a reason that says why the rule cannot apply or what the user
opted out of, written in every form the checkers read, so no major version of them reports what
the library acknowledges:

- cdk-nag 3 reads CDK's ``Validations`` acknowledgements;
- cdk-nag 2 (``Aspects.of(app).add(AwsSolutionsChecks())``) reads a ``cdk_nag`` metadata entry,
  ``{"rules_to_suppress": [{"id", "reason", "applies_to"?}]}``, on the resource (granular findings such
  as ``AwsSolutions-IAM5[Resource::...]`` are ``id`` plus ``applies_to``);
- checkov reads ``{"checkov": {"skip": [{"id", "comment"}]}}`` in the resource's template ``Metadata``.

Constructs call :func:`acknowledge`, :func:`acknowledge_compliance` and :func:`skip_checkov`; nothing
here imports cdk-nag or checkov.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import IConstruct

#: cdk-nag compliance packs whose rule ids are acknowledged by pack prefix.
COMPLIANCE_PACKS: tuple[str, ...] = ("HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")

NAG2_METADATA = "cdk_nag"
"""The template metadata key cdk-nag 2 reads its suppressions from."""
CHECKOV_METADATA = "checkov"
"""The template metadata key checkov reads its skips from."""


def acknowledge(construct: IConstruct, rule_id: str, reason: str) -> None:
    """Acknowledge one cdk-nag rule (``AwsSolutions-S1``, ``AwsSolutions-IAM5[Resource::...]``) on ``construct``,
    for cdk-nag 3 (a ``Validations`` acknowledgement) and cdk-nag 2 (the resource's ``cdk_nag`` metadata)."""
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=rule_id, reason=reason))
    rule, _, finding = rule_id.partition("[")
    entry: dict[str, Any] = {"id": rule, "reason": reason}
    if finding:
        entry["applies_to"] = [finding[:-1] if finding.endswith("]") else finding]
    _append(construct, NAG2_METADATA, "rules_to_suppress", entry, merge="applies_to")


CHECKOV_EQUIVALENTS: dict[str, str] = {
    "S3BucketLoggingEnabled": "CKV_AWS_18",       # Ensure the S3 bucket has access logging enabled
    "LambdaInsideVPC": "CKV_AWS_117",             # Ensure that AWS Lambda function is configured inside a VPC
    "LambdaConcurrency": "CKV_AWS_115",           # ... configured for function-level concurrent execution limit
    "CloudWatchLogGroupEncrypted": "CKV_AWS_158",  # Ensure that CloudWatch Log Group is encrypted by KMS
    "CloudTrailEncryptionEnabled": "CKV_AWS_35",  # Ensure CloudTrail logs are encrypted at rest using KMS CMKs
}
"""cdk-nag compliance rules and the checkov check that reports the same thing: acknowledging the rule skips the
check with the same reason."""


def acknowledge_compliance(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge ``rule`` (e.g. ``S3BucketReplicationEnabled``) in every compliance pack that has it, and in
    checkov where it has the same check (:data:`CHECKOV_EQUIVALENTS`)."""
    for pack in COMPLIANCE_PACKS:
        acknowledge(construct, f"{pack}-{rule}", reason)
    if rule in CHECKOV_EQUIVALENTS:
        skip_checkov(construct, CHECKOV_EQUIVALENTS[rule], reason)


def skip_checkov(construct: IConstruct, check_id: str, reason: str) -> None:
    """Skip checkov check ``check_id`` (``CKV_AWS_18``) on ``construct``'s resource, with ``reason`` as its comment."""
    _append(construct, CHECKOV_METADATA, "skip", {"id": check_id, "comment": reason})


def resource_of(construct: IConstruct) -> cdk.CfnResource:
    """The CloudFormation resource of ``construct``: itself, or its default child (``Bucket`` -> ``CfnBucket``)."""
    if isinstance(construct, cdk.CfnResource):
        return construct
    child = construct.node.default_child
    if isinstance(child, cdk.CfnResource):
        return child
    raise TypeError(f"{construct.node.path} has no CloudFormation resource to carry an acknowledgement")


def _append(construct: IConstruct, key: str, list_key: str, entry: dict[str, Any], merge: str = "") -> None:
    """Add ``entry`` to the list ``list_key`` of the resource's metadata ``key``; an entry with the same ``id``
    has ``entry[merge]`` added to its own (one suppression per rule, several findings)."""
    resource = resource_of(construct)
    current = resource.get_metadata(key) or {}
    entries = [dict(e) for e in current.get(list_key, [])]
    same = next((e for e in entries if e.get("id") == entry["id"]), None)
    if same is None:
        entries.append(entry)
    elif merge and merge in same:
        if merge in entry:
            same[merge] = [*same[merge], *(item for item in entry[merge] if item not in same[merge])]
        else:  # the whole rule now: no finding of it is left to report
            del same[merge]
    else:  # the rule is suppressed as a whole already
        return
    resource.add_metadata(key, {**current, list_key: entries})
