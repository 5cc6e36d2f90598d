#!/usr/bin/env bash
# Makes sure Debian's Chromium is on PATH for the browser bot driver and its tests (Playwright's
# own browser downloads are not used). Does nothing when `chromium` is already there.
set -euo pipefail

command -v chromium >/dev/null 2>&1 && exit 0
echo "ensure-chromium: installing chromium"
if [ "$(id -u)" -eq 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
command -v chromium >/dev/null 2>&1 || { echo "ensure-chromium: chromium is still not on PATH" >&2; exit 1; }
