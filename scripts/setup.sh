#!/usr/bin/env bash
# One-time install on a fresh machine: Node 22 (if needed), npm packages, Python ezkl venv.
# Needs no node_modules; safe to rerun.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$SECONDS

node_bin="$(bash scripts/node22.sh)"
export PATH="$node_bin:$PATH"
echo "setup: node $(node --version), npm $(npm --version)"

if [ -f package-lock.json ]; then
  npm ci --loglevel=error --no-fund --no-audit
else
  npm install --loglevel=error --no-fund --no-audit
fi

bash scripts/setup-python.sh
echo "setup: done in $((SECONDS - started)) s"
