#!/usr/bin/env bash
# Installs the LocalStack emulator the end-to-end tests deploy into, in a virtual environment of its
# own (.venv-localstack/; LocalStack pins its own boto3, so it never shares the project's .venv), with
# ./dev's Python (tools/python.sh: PYTHON, else python3).
# Versions: tests/e2e/localstack-requirements.txt (exact pins). Idempotent: re-installs only when
# that file changes (fingerprint stamp in .venv-localstack/.dev-installed), makes the venv again when the
# Python changes. Called by `./dev test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=${LOCALSTACK_VENV:-$ROOT/.venv-localstack}
REQS=$ROOT/tests/e2e/localstack-requirements.txt
DEV_COMMAND=test
# shellcheck source=../../tools/python.sh
. tools/python.sh
use_python

want=$(fingerprint "$REQS")
ensure_venv "$VENV"
if [ "$(cat "$VENV/.dev-installed" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
log "installing the LocalStack emulator (pip install -r tests/e2e/localstack-requirements.txt)"
pip_install "$VENV" "the LocalStack emulator" -r "$REQS"
check_imports "$VENV" "the LocalStack emulator" 'import localstack.runtime.main, localstack.services.cloudformation.resource_provider'
echo "$want" > "$VENV/.dev-installed"
