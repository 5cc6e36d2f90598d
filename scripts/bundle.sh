#!/usr/bin/env bash
# An app's production bundle: its dist and production dependencies, nothing else. The Dockerfile
# copies exactly this into the image; deploy/test/bundle.spec.ts starts it as the image's user.
#   scripts/bundle.sh <app> <out-dir>   (after `pnpm build`)
set -euo pipefail
app="$1"
out="$2"
pnpm deploy --filter="@livetranslate/${app}" --prod "$out" >/dev/null
