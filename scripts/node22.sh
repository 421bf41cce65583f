#!/usr/bin/env bash
# Prints a PATH prefix under which `node` is >= 22.13 (Hardhat 3's minimum).
# When the machine's Node is older, Node 22 is installed from the npm package `node`
# into .tools/node22 (registry only, no other download). Source-free: prints a path.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
want="$(sed -n 's/.*"node": *"\([0-9][0-9.]*\)".*/\1/p' "$root/package.json" | tail -n 1)"

node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=13)?0:1)'
}

if node_ok; then
  dirname "$(command -v node)"
  exit 0
fi
tool="$root/.tools/node22"
if [ ! -x "$tool/node_modules/.bin/node" ] || [ "$("$tool/node_modules/.bin/node" --version)" != "v$want" ]; then
  echo "setup: Node $(node --version 2>/dev/null || echo missing) is older than 22.13; installing node@$want from npm into .tools/node22" >&2
  mkdir -p "$tool"
  npm install --prefix "$tool" --no-save --no-package-lock --loglevel=error "node@$want" >&2
fi
echo "$tool/node_modules/.bin"
