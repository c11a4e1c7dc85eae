#!/usr/bin/env bash
# Installs the second checkers the tests run on synthesized apps, each in a virtual environment of its own:
#   .venv-nag2/     cdk-nag 2 (tests/checkers/nag2-requirements.txt) with the package and constraints.txt's
#                   other pins: cdk-nag 2 and 3 both install the module cdk_nag, so they cannot share .venv;
#   .venv-checkov/  checkov (tests/checkers/checkov-requirements.txt, exact pins of its closure).
# With ./dev's Python (tools/python.sh: PYTHON, else python3). Idempotent: re-installs only when those files
# (or pyproject.toml) change (stamp: <venv>/.dev-installed), makes a venv again when the Python changes.
# Called by `./dev test`; the tests skip with the command to run when a venv is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
HERE=tests/checkers
DEV_COMMAND=test
# shellcheck source=../../tools/python.sh
. tools/python.sh
use_python

install() {  # install VENV CHECK-IMPORT FINGERPRINTED-FILES... -- PIP-ARGS...
  local venv=$1 check=$2; shift 2
  local files=(); while [ "$1" != "--" ]; do files+=("$1"); shift; done; shift
  local want; want=$(fingerprint "${files[@]}")
  ensure_venv "$venv"
  [ "$(cat "$venv/.dev-installed" 2>/dev/null)" = "$want" ] && return 0
  log "installing into ${venv#"$ROOT"/}: $*"
  pip_install "$venv" "${venv#"$ROOT"/}" "$@"
  check_imports "$venv" "${venv#"$ROOT"/}" "$check"
  echo "$want" > "$venv/.dev-installed"
}

constraints=$(mktemp); trap 'rm -f "$constraints"' EXIT
grep -v '^cdk-nag==' constraints.txt > "$constraints"
install "$ROOT/.venv-nag2" \
  'import importlib.metadata as m, cdk_sagemaker_monitoring; assert m.version("cdk-nag").startswith("2.")' \
  "$HERE/nag2-requirements.txt" constraints.txt pyproject.toml -- \
  -c "$constraints" -r "$HERE/nag2-requirements.txt" -e .
install "$ROOT/.venv-checkov" 'import checkov' "$HERE/checkov-requirements.txt" -- -r "$HERE/checkov-requirements.txt"
