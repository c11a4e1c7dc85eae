#!/usr/bin/env bash
# Installs the second checkers the tests run on synthesized apps, each in a virtual environment of its own:
#   .venv-nag2/     cdk-nag 2 (tests/checkers/nag2-requirements.txt) with the package and constraints.txt's
#                   other pins: cdk-nag 2 and 3 both install the module cdk_nag, so they cannot share .venv;
#   .venv-checkov/  checkov (tests/checkers/checkov-requirements.txt, exact pins of its closure).
# Idempotent: re-installs only when those files (or pyproject.toml) change (stamp: <venv>/.dev-installed).
# Called by `./dev test`; the tests skip with the command to run when a venv is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
HERE=tests/checkers

log() { printf '[dev] %s\n' "$*" >&2; }
fingerprint() { cat "$@" | "$PYTHON" -c 'import hashlib,sys;print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())'; }
quiet() { grep -v "is ignored: it is neither" >&2 || true; }

install() {  # install VENV CHECK-IMPORT FINGERPRINTED-FILES... -- PIP-ARGS...
  local venv=$1 check=$2; shift 2
  local files=(); while [ "$1" != "--" ]; do files+=("$1"); shift; done; shift
  local want; want=$(fingerprint "${files[@]}")
  if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.dev-installed" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  [ -x "$venv/bin/python" ] || { log "creating ${venv#$ROOT/}"; "$PYTHON" -m venv "$venv"; }
  log "installing into ${venv#$ROOT/}: $*"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" 2>&1 | quiet
  PATH="$venv/bin:$PATH" "$venv/bin/python" -c "$check" || { log "installing into ${venv#$ROOT/} failed"; exit 1; }
  echo "$want" > "$venv/.dev-installed"
}

constraints=$(mktemp); trap 'rm -f "$constraints"' EXIT
grep -v '^cdk-nag==' constraints.txt > "$constraints"
install "$ROOT/.venv-nag2" \
  'import importlib.metadata as m, cdk_sagemaker_monitoring; assert m.version("cdk-nag").startswith("2.")' \
  "$HERE/nag2-requirements.txt" constraints.txt pyproject.toml -- \
  -c "$constraints" -r "$HERE/nag2-requirements.txt" -e .
install "$ROOT/.venv-checkov" 'import checkov' "$HERE/checkov-requirements.txt" -- -r "$HERE/checkov-requirements.txt"
