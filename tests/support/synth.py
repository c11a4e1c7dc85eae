"""Synthesize CDK apps in tests the way the CLI would, and check the result with cfn-lint and cdk-nag."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterable

import aws_cdk as cdk

ROOT = Path(__file__).resolve().parents[2]

#: The recommended feature flags of the pinned CLI, as this repository's cdk.json sets them. Users'
#: apps often have none of them (a bare ``cdk.App()``, an old ``cdk init``), so tests build bare apps
#: by default and use these only as the extra case (``new_app(flags=True)``).
CDK_CONTEXT: dict[str, Any] = {
    k: v for k, v in json.loads((ROOT / "cdk.json").read_text())["context"].items() if k.startswith("@aws-cdk")
}

TEST_ENV = cdk.Environment(account="123456789012", region="us-east-1")


def new_app(*, flags: bool = False, **context: Any) -> cdk.App:
    """An App writing into a fresh temporary directory: bare (no context at all), as a user's own app or
    pytest builds it, unless ``flags`` adds every recommended feature flag of cdk.json."""
    return cdk.App(outdir=tempfile.mkdtemp(prefix="cdk-test-"), context={**(CDK_CONTEXT if flags else {}), **context})


def template_of(stack: cdk.Stack) -> dict[str, Any]:
    """The synthesized CloudFormation template of ``stack`` as a dict."""
    return cdk.assertions.Template.from_stack(stack).to_json()


# --------------------------------------------------------------------------------------- cfn-lint

def cfn_lint(template: dict[str, Any], regions: Iterable[str] = ("us-east-1",)) -> list[str]:
    """cfn-lint errors (not warnings or informational findings) of a template, as readable lines."""
    from cfnlint.api import ManualArgs, lint

    matches = lint(json.dumps(template), config=ManualArgs(regions=list(regions)))
    return [f"{m.rule.id} {'/'.join(map(str, m.path))}: {m.message}" for m in matches if m.rule.id.startswith("E")]


# --------------------------------------------------------------------------------------- cdk-nag

PACKS = ("AwsSolutions", "HIPAA", "NIST80053R5", "PCIDSS321")


def nag_findings(build: Callable[[cdk.App], Any], packs: Iterable[str] = PACKS, *, flags: bool = False) -> list[str]:
    """Build an app with ``build(app)``, run the named cdk-nag packs, return unacknowledged findings.

    Each finding is ``"<rule> <construct path>"``; an empty list means clean.
    """
    import cdk_nag

    classes = {
        "AwsSolutions": cdk_nag.AwsSolutionsChecks,
        "HIPAA": cdk_nag.HIPAASecurityChecks,
        "NIST80053R5": cdk_nag.NIST80053R5Checks,
        "PCIDSS321": cdk_nag.PCIDSS321Checks,
    }
    app = new_app(flags=flags)
    build(app)
    cdk.Validations.of(app).add_plugins(*(classes[p](app) for p in packs))
    try:
        app.synth()
    except RuntimeError as err:
        if "ValidationFailed" not in str(err):
            raise
    report = json.loads((Path(app.outdir) / "validation-report.json").read_text())
    return sorted(
        f"{violation['ruleName']} {construct['constructPath']}"
        for plugin in report["pluginReports"]
        for violation in plugin["violations"]
        for construct in violation["violatingConstructs"]
    )


def arn_in_bare_app(arn: str) -> dict[str, Any]:
    """How a bare app writes the known-region ``arn:aws:...`` ARN: without ``@aws-cdk/core:enablePartitionLiterals``
    the partition stays ``{"Ref": "AWS::Partition"}``, so the ARN is an ``Fn::Join``."""
    assert arn.startswith("arn:aws:"), arn
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, arn[len("arn:aws"):]]]}
