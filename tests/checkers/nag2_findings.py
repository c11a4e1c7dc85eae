"""Run cdk-nag 2 (as an Aspect, the way most apps use it) on the shared checked apps; print findings as JSON.

Runs in .venv-nag2 (tests/checkers/setup.sh), from the repository root::

    .venv-nag2/bin/python tests/checkers/nag2_findings.py [--context JSON] [APP ...]

Prints ``{"version": "2.x.y", "findings": {app: ["<rule> <construct path>", ...]}}``: every error and warning
annotation cdk-nag 2 left (a rule's finding, or ``CdkNagValidationFailure``); an empty list means clean.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # tests/: support.checked_apps

import aws_cdk as cdk  # noqa: E402
import cdk_nag  # noqa: E402

from support.checked_apps import APPS  # noqa: E402

PACKS = {
    "AwsSolutions": cdk_nag.AwsSolutionsChecks,
    "HIPAA": cdk_nag.HIPAASecurityChecks,
    "NIST80053R5": cdk_nag.NIST80053R5Checks,
    "PCIDSS321": cdk_nag.PCIDSS321Checks,
}
_LEVELS = ("aws:cdk:error", "aws:cdk:warning")
_RULE = re.compile(r"([A-Za-z0-9.\-]+(?:\[[^\]]*\])?): ")
"""The rule id a cdk-nag 2 annotation starts with (``AwsSolutions-IAM5[Resource::...]: The IAM entity...``)."""


def findings(name: str, context: dict) -> list[str]:
    build, packs = APPS[name]
    app = cdk.App(outdir=tempfile.mkdtemp(prefix="nag2-"), context=context)
    build(app)
    for pack in packs:
        cdk.Aspects.of(app).add(PACKS[pack](reports=False))
    try:
        app.synth()
    except RuntimeError as err:  # recent aws-cdk-lib fails synthesis on error annotations: they are read below
        if "ValidationFailed" not in str(err):
            raise
    out = []
    for construct in app.node.find_all():
        for entry in construct.node.metadata:
            if entry.type in _LEVELS and isinstance(entry.data, str):
                match = _RULE.match(entry.data)
                out.append(f"{match[1] if match else entry.data} {construct.node.path}")
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--context", default="{}", help="context of every app (JSON); default: a bare app")
    parser.add_argument("apps", nargs="*", default=list(APPS))
    args = parser.parse_args()
    context = json.loads(args.context)
    result = {name: findings(name, context) for name in args.apps}
    print(json.dumps({"version": version("cdk-nag"), "findings": result}, indent=1))


if __name__ == "__main__":
    main()
