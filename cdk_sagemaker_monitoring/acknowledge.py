"""Acknowledging cdk-nag findings (cdk-nag 3 reads CDK's ``Validations`` acknowledgements).

Every acknowledgement carries a reason that says why the rule cannot apply or what the user
opted out of. Constructs call :func:`acknowledge`; nothing here needs cdk-nag installed.
"""

from __future__ import annotations

import aws_cdk as cdk
from constructs import IConstruct

#: cdk-nag compliance packs whose rule ids are acknowledged by pack prefix.
COMPLIANCE_PACKS: tuple[str, ...] = ("HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321")


def acknowledge(construct: IConstruct, rule_id: str, reason: str) -> None:
    """Acknowledge one cdk-nag rule (``AwsSolutions-S1``, ``AwsSolutions-IAM5[Resource::...]``) on ``construct``."""
    cdk.Validations.of(construct).acknowledge(cdk.Acknowledgment(id=rule_id, reason=reason))


def acknowledge_compliance(construct: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge ``rule`` (e.g. ``S3BucketReplicationEnabled``) in every compliance pack that has it."""
    for pack in COMPLIANCE_PACKS:
        acknowledge(construct, f"{pack}-{rule}", reason)
