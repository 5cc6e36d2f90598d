#!/usr/bin/env bash
# One command from a fresh clone to the running system on its defaults: sets the machine up,
# builds, then starts every app with turbo (Ctrl-C stops them all).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
./scripts/bootstrap.sh
pnpm build
exec pnpm dev
