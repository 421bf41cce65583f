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

# `npm install` (not `npm ci`): npm 11 leaves other platforms' optional packages
# (e.g. EDR's darwin builds) out of the lock file and `npm ci` then refuses it.
# With every version pinned and the lock present, install resolves the same tree.
npm install --loglevel=error --no-fund --no-audit

bash scripts/setup-python.sh

# ffmpeg decodes recordings the built-in decoders do not (WebM, MP4/AAC, FLAC); the
# audio tests decode a WebM fixture through it. Installed only when missing.
if ! command -v ffmpeg >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ffmpeg (apt-get)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ffmpeg >/dev/null; } \
      || { echo "setup: apt-get install ffmpeg failed; install ffmpeg by hand" >&2; exit 1; }
  else
    echo "setup: ffmpeg not found; WebM/MP4/FLAC recordings need it (e.g. sudo apt-get install ffmpeg)" >&2
  fi
fi

# Real human voices for the judges' class test (test/judge-classes.test.ts): the spoken
# clips of alsa-utils in /usr/share/sounds/alsa. Rebuilding the judges
# (models/build_models.py) also needs espeak-ng and sox. Installed only when missing.
if [ ! -d /usr/share/sounds/alsa ] || ! command -v espeak-ng >/dev/null 2>&1 || ! command -v sox >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing alsa-utils espeak-ng sox (apt)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq alsa-utils espeak-ng sox >/dev/null; } \
      || { echo "setup: apt-get install alsa-utils espeak-ng sox failed; install them by hand" >&2; exit 1; }
  else
    echo "setup: alsa-utils, espeak-ng or sox missing; the judge tests need them (sudo apt-get install alsa-utils espeak-ng sox)" >&2
  fi
fi

# Redis for the proving service's scale-out tests (BullMQ); Debian's package, installed once.
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing redis-server (apt)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  else
    echo "setup: redis-server is missing; install it (sudo apt-get install redis-server) to run the scale-out tests" >&2
  fi
fi

# Chromium for the page's real-browser tests (test/browser/), driven by playwright-core,
# which downloads no browser of its own. Debian's package, installed only when missing.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing chromium (apt)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
      || { echo "setup: apt-get install chromium failed; install it by hand" >&2; exit 1; }
  else
    echo "setup: chromium is missing; the page's browser tests need it (sudo apt-get install chromium)" >&2
  fi
fi
echo "setup: done in $((SECONDS - started)) s"
