#!/usr/bin/env bash
# Makes sure a Redis answers on 127.0.0.1:6379: starts the installed redis-server, or installs it
# with apt-get first (the binaries are installed even when one answers: tests start their own).
set -euo pipefail
cd "$(dirname "$0")/.."

redis_answers() {
  # A PING over bash's /dev/tcp: needs no redis-cli.
  (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && timeout 2 head -c 5 <&3 | grep -q PONG) 2>/dev/null
}

# A Redis elsewhere (REDIS_URL naming another host, e.g. compose's `redis`) is not ours to start.
case "${REDIS_URL:-}" in
  "" | redis://127.0.0.1:6379* | redis://localhost:6379*) ;;
  *) exit 0 ;;
esac
# The binaries too, even when a Redis answers: the tests start private servers and a local cluster.
if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "ensure-redis: installing redis-server and redis-cli"
  if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq redis-server redis-tools >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq redis-server redis-tools >/dev/null; fi
fi
redis_answers && exit 0
echo "ensure-redis: starting redis-server on 127.0.0.1:6379"
mkdir -p .redis-ci
redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no \
  --dir "$PWD/.redis-ci" --logfile "$PWD/.redis-ci/redis.log"
for _ in $(seq 1 50); do redis_answers && exit 0; sleep 0.1; done
echo "ensure-redis: redis-server did not answer on 127.0.0.1:6379" >&2
exit 1
