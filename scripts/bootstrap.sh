#!/usr/bin/env bash
# Makes a fresh machine ready: the pinned pnpm, a Redis on 127.0.0.1:6379, and the dependencies.
# Safe to run again; it only does what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

export TURBO_TELEMETRY_DISABLED=1

want_pnpm=$(node -p "require('./package.json').packageManager.split('@')[1]")
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want_pnpm" ]; then
  echo "bootstrap: installing pnpm $want_pnpm"
  npm install --global --no-audit --no-fund "pnpm@$want_pnpm" >/dev/null
fi

redis_answers() {
  # A PING over bash's /dev/tcp: needs no redis-cli.
  (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null
}

if ! redis_answers; then
  if ! command -v redis-server >/dev/null 2>&1; then
    echo "bootstrap: installing redis-server"
    if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server >/dev/null
    else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server >/dev/null; fi
  fi
  echo "bootstrap: starting redis-server on 127.0.0.1:6379"
  mkdir -p .redis-ci
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
    --dir "$PWD/.redis-ci" --logfile "$PWD/.redis-ci/redis.log"
  for _ in $(seq 1 50); do redis_answers && break; sleep 0.1; done
  redis_answers || { echo "bootstrap: redis-server did not answer on 127.0.0.1:6379" >&2; exit 1; }
fi

pnpm install --frozen-lockfile
