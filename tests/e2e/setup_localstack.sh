#!/usr/bin/env bash
# Installs the LocalStack emulator the end-to-end tests deploy into, in a virtual environment of its
# own (.venv-localstack/; LocalStack pins its own boto3, so it never shares the project's .venv).
# Versions: tests/e2e/localstack-requirements.txt (exact pins). Idempotent: re-installs only when
# that file changes (fingerprint stamp in .venv-localstack/.dev-installed). Called by `./dev test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=${LOCALSTACK_VENV:-$ROOT/.venv-localstack}
REQS=$ROOT/tests/e2e/localstack-requirements.txt
PYTHON=${PYTHON:-python3}

log() { printf '[dev] %s\n' "$*" >&2; }

want=$(cat "$REQS" | "$PYTHON" -c 'import hashlib,sys;print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.dev-installed" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
if [ ! -x "$VENV/bin/python" ]; then
  log "creating the LocalStack emulator's virtual environment in ${VENV#$ROOT/}"
  "$PYTHON" -m venv "$VENV"
fi
log "installing the LocalStack emulator (pip install -r tests/e2e/localstack-requirements.txt)"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQS" 2>&1 \
  | grep -v "is ignored: it is neither" >&2 || true
"$VENV/bin/python" -c 'import localstack.runtime.main, localstack.services.cloudformation.resource_provider' \
  || { log "installing LocalStack failed"; exit 1; }
echo "$want" > "$VENV/.dev-installed"
