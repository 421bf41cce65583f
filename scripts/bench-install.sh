#!/usr/bin/env bash
# What a user installs: packages and MB of node_modules in a fresh Hardhat 3 project with
# hardhat + the mocha/ethers toolbox, then with the plugin's tarballs, then with the server's.
# Usage: bash scripts/bench-install.sh  (prints a markdown table; results in bench/install.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$(bash "$root/scripts/node22.sh"):$PATH"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$root" && npm run build --loglevel=error >/dev/null)
(cd "$root" && npm pack --ignore-scripts --pack-destination "$work" --loglevel=error >/dev/null)
for ws in core audio server; do
  (cd "$root" && npm pack --ignore-scripts --workspace "@hardhat-zkml/$ws" --pack-destination "$work" --loglevel=error >/dev/null)
done
hardhat="$(node -p "require('$root/package.json').devDependencies.hardhat")"
toolbox="$(node -p "require('$root/package.json').devDependencies['@nomicfoundation/hardhat-toolbox-mocha-ethers']")"

measure() { # name, packages to install...
  local name="$1"; shift
  local dir="$work/$name"
  mkdir -p "$dir" && echo '{"name":"bench","private":true,"type":"module"}' >"$dir/package.json"
  (cd "$dir" && npm install --no-fund --no-audit --loglevel=error "hardhat@$hardhat" "@nomicfoundation/hardhat-toolbox-mocha-ethers@$toolbox" "$@" >/dev/null)
  local count mb server
  count=$(cd "$dir" && npm ls --all --parseable 2>/dev/null | grep -c '/node_modules/' || true)
  mb=$(du -sm "$dir/node_modules" | cut -f1)
  server=$(cd "$dir" && npm ls --all --parseable 2>/dev/null | grep -cE '/node_modules/(fastify|@fastify/[^/]+|bullmq|ioredis|prom-client)$' || true)
  echo "| $name | $count | $mb | $server |"
}

echo "| install | packages | node_modules MB | fastify, @fastify/*, bullmq, ioredis, prom-client |"
echo "| --- | ---: | ---: | ---: |"
measure "hardhat + toolbox (baseline)"
measure "+ hardhat-zkml (plugin, core, audio)" "$work"/hardhat-zkml-0.1.0.tgz "$work"/hardhat-zkml-core-0.1.0.tgz "$work"/hardhat-zkml-audio-0.1.0.tgz
measure "+ @hardhat-zkml/server" "$work"/hardhat-zkml-0.1.0.tgz "$work"/hardhat-zkml-core-0.1.0.tgz "$work"/hardhat-zkml-audio-0.1.0.tgz "$work"/hardhat-zkml-server-0.1.0.tgz
