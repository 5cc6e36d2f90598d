#!/usr/bin/env bash
# Makes sure `promtool` (Debian's prometheus package) is on PATH: the tests check the alert rules in
# deploy/observability with it. Does nothing when it is already there. The package's server is not
# started (no init system runs it here), and nothing in the project needs it.
set -euo pipefail

command -v promtool >/dev/null 2>&1 && exit 0
echo "ensure-promtool: installing prometheus (for promtool)"
if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus >/dev/null
else sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null; fi
command -v promtool >/dev/null 2>&1 || { echo "ensure-promtool: promtool is still not on PATH" >&2; exit 1; }
