#!/usr/bin/env bash
# Makes a fresh machine ready: the pinned pnpm, a Redis on 127.0.0.1:6379, Chromium (browser bots
# and their tests), promtool (the alert rules' check), and the dependencies.
# Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export TURBO_TELEMETRY_DISABLED=1

want_pnpm=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want_pnpm" ]; then
  echo "bootstrap: installing pnpm $want_pnpm"
  npm install --global --no-audit --no-fund "pnpm@$want_pnpm" >/dev/null
fi

./scripts/ensure-redis.sh
./scripts/ensure-chromium.sh
./scripts/ensure-promtool.sh

pnpm install --frozen-lockfile

# Pre-commit hooks (Prettier and ESLint on staged files) for people committing from this clone.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1 && [ -z "${CI:-}" ]; then
  pnpm exec lefthook install >/dev/null
fi
