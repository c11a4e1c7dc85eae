# Which Python the project's scripts use, and how they install into a virtual environment. Sourced (with ROOT
# set to the repository) by ./dev and by the set-up scripts of the tests' own virtual environments
# (tests/checkers/setup.sh, tests/e2e/setup_localstack.sh, tests/lowest/setup.sh), so all of them use the
# same interpreter:
#   - PYTHON if set, else the `python3` on PATH;
#   - refused, in one line, when it is older than the floor of `requires-python` in pyproject.toml (the one
#     place the supported range is written) or cannot create virtual environments;
#   - a virtual environment made by another Python is made again (Python's venvs are tied to their Python);
#   - pip's output goes to <venv>/.dev-pip.log; when pip fails, the lines that say why are shown
#     (tools/pip_failure.py: its errors, the resolver's conflict, the pins that need another Python).

log() { printf '[dev] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# The floor of requires-python: ">=3.11" -> 3.11.
python_floor() { sed -n 's/^requires-python *= *">= *\([0-9][0-9.]*\)".*/\1/p' "$ROOT/pyproject.toml"; }

version_at_least() {  # version_at_least 3.11.2 3.11 -> true
  local IFS=. i h w
  local -a have=($1) want=($2)
  for i in 0 1 2; do
    h=${have[i]:-0} w=${want[i]:-0}
    if ((10#$h > 10#$w)); then return 0; fi
    if ((10#$h < 10#$w)); then return 1; fi
  done
  return 0
}

# Sets PYTHON to the chosen interpreter's own path and PYTHON_VERSION to its version (exported: the set-up
# scripts ./dev calls use the same), or stops with one line saying what was found and what to do.
use_python() {
  local floor chosen how found version exe
  floor=$(python_floor)
  [ -n "$floor" ] || die "pyproject.toml has no requires-python = \">=X.Y\" line"
  chosen=${PYTHON:-python3}
  if [ -n "${PYTHON:-}" ]; then how="PYTHON=$PYTHON"; else how="the python3 on PATH"; fi
  local hint="this project needs Python >= $floor (requires-python in pyproject.toml): point PYTHON at one, e.g. PYTHON=/usr/bin/python3.12 ./dev ${DEV_COMMAND:-synth}"
  command -v "$chosen" >/dev/null 2>&1 || die "no Python found ($how is not a command); $hint"
  # Written for any Python, old ones included, so that an old one gets the line below and not a syntax error.
  found=$("$chosen" -c 'import sys; print("%d.%d.%d %s" % (tuple(sys.version_info[:3]) + (sys.executable,)))' 2>/dev/null) \
    || die "$chosen ($how) does not run as Python; $hint"
  version=${found%% *} exe=${found#* }
  version_at_least "$version" "$floor" || die "Python $version ($exe, $how) is not supported; $hint"
  "$exe" -c 'import ensurepip, venv' 2>/dev/null \
    || die "Python $version ($exe, $how) cannot create virtual environments (no ensurepip; Debian and Ubuntu: apt-get install python3-venv); or point PYTHON at another Python >= $floor"
  PYTHON=$exe PYTHON_VERSION=$version
  export PYTHON PYTHON_VERSION
}

# "3.12.1 /root/.pyenv/versions/3.12.1": the Python a venv was made with (or the chosen one itself).
python_identity() { "$1" -c 'import platform, sys; print(platform.python_version(), sys.base_prefix)' 2>/dev/null; }

# ensure_venv VENV: VENV exists and was made with $PYTHON (made again if another Python made it).
ensure_venv() {
  local venv=$1 want have
  want=$(python_identity "$PYTHON")
  if [ -e "$venv" ] || [ -L "$venv" ]; then
    have=$(python_identity "$venv/bin/python") || have="a Python that no longer runs"
    [ "$have" = "$want" ] && return 0
    log "making ${venv#"$ROOT"/} again: it was made with Python $have, this is Python $want"
    rm -rf "$venv"
  fi
  log "creating ${venv#"$ROOT"/} with Python $PYTHON_VERSION ($PYTHON)"
  "$PYTHON" -m venv "$venv"
}

# fingerprint FILE...: a hash of the files, for the "installed from these" stamps.
fingerprint() { cat "$@" | "$PYTHON" -c 'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())'; }

# pip_install VENV WHAT PIP-INSTALL-ARGS...: pip install into VENV, its whole output kept in VENV/.dev-pip.log;
# on failure, the lines that say why, then stop.
pip_install() {
  local venv=$1 what=$2 logfile
  shift 2
  logfile=$venv/.dev-pip.log
  if "$venv/bin/python" -m pip install --disable-pip-version-check --verbose "$@" >"$logfile" 2>&1; then
    return 0
  fi
  log "pip could not install $what into ${venv#"$ROOT"/} with Python $PYTHON_VERSION ($PYTHON):"
  "$PYTHON" "$ROOT/tools/pip_failure.py" "$logfile" >&2 || tail -n 30 "$logfile" >&2
  die "pip's whole output: ${logfile#"$ROOT"/}. Another Python: PYTHON=/path/to/python3 ./dev ${DEV_COMMAND:-synth}"
}

# check_imports VENV WHAT CODE: after an install, the modules import (else the error's last line, then stop).
check_imports() {
  local venv=$1 what=$2 code=$3 out
  out=$(PATH="$venv/bin:$PATH" "$venv/bin/python" -c "$code" 2>&1) \
    || die "$what installed, but importing failed in ${venv#"$ROOT"/}: $(printf '%s\n' "$out" | tail -n 1)"
}
