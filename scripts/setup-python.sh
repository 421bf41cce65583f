#!/usr/bin/env bash
# Creates the project-local Python environment (.venv) with the pinned ezkl toolchain and
# the test-only packages (requirements-dev.txt), through the same code as
# `npx hardhat zk install-python` (packages/core/src/ezkl/install-python.ts); pip runs only
# when the requirement files changed. Needs node_modules (setup.sh installs them first).
# Build time only: proving runs in Node through the WASM engine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
node --import tsx scripts/install-python.ts
.venv/bin/python -c 'import ezkl, onnx, numpy; print("setup: python ezkl", ezkl.__version__)'
.venv/bin/python -c 'import librosa; print("setup: python librosa", librosa.__version__, "(tests only)")'
