#!/usr/bin/env bash
# Installs the Matrix homeserver that the Matrix end-to-end tests start on loopback:
# Synapse 1.98.0 (the last Apache-2.0 release) from PyPI into a virtualenv inside the repository.
# Idempotent: when the virtualenv already holds that version it returns at once.
set -euo pipefail
cd "$(dirname "$0")/../.."

SYNAPSE_VERSION="1.98.0"
VENV_DIR="${SYNAPSE_VENV:-.cache/synapse-venv}"
PYTHON="${SYNAPSE_PYTHON:-python3.11}"

# The stamp is written only after the homeserver module imported, and names the version and the constraints,
# so a half-finished or outdated install is redone.
STAMP="$VENV_DIR/cabalbot-installed"
WANTED="matrix-synapse==$SYNAPSE_VERSION $(sha256sum scripts/synapse/constraints.txt | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANTED" ] && [ -x "$VENV_DIR/bin/python" ]; then
  echo "Synapse $SYNAPSE_VERSION is already installed in $VENV_DIR"
  exit 0
fi

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  echo "setup.sh: $PYTHON was not found; install Python 3.11 (Debian: apt-get install python3.11 python3.11-venv)" >&2
  exit 1
fi

rm -rf "$VENV_DIR"
mkdir -p "$(dirname "$VENV_DIR")"
"$PYTHON" -m venv "$VENV_DIR"
"$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$VENV_DIR/bin/python" -m pip install --quiet --disable-pip-version-check \
  --constraint scripts/synapse/constraints.txt "matrix-synapse==$SYNAPSE_VERSION"
"$VENV_DIR/bin/python" -m synapse.app.homeserver --help >/dev/null
echo "$WANTED" >"$STAMP"
echo "Synapse $SYNAPSE_VERSION installed in $VENV_DIR"
