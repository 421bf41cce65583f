#!/usr/bin/env bash
# Creates the project-local Python environment (.venv) with the pinned ezkl toolchain.
# Build time only: proving runs in Node through the WASM engine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
py="${PYTHON:-python3}"
if ! command -v "$py" >/dev/null 2>&1; then
  echo "setup: python3 not found; install Python 3.9-3.13 (e.g. apt-get install python3 python3-venv) or set PYTHON=/path/to/python" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv || { echo "setup: could not create .venv; install the venv module (apt-get install python3-venv)" >&2; exit 1; }
fi
stamp=.venv/.requirements.sha256
# requirements-dev.txt: test-only packages (librosa, the audio features' reference).
want="$(cat packages/core/requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python toolchain from packages/core/requirements.txt and requirements-dev.txt into .venv"
  .venv/bin/python -m pip install --disable-pip-version-check -q -r packages/core/requirements.txt -r requirements-dev.txt
  echo "$want" > "$stamp"
fi
.venv/bin/python -c 'import ezkl, onnx, numpy; print("setup: python ezkl", ezkl.__version__)'
.venv/bin/python -c 'import librosa; print("setup: python librosa", librosa.__version__, "(tests only)")'
