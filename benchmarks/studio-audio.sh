#!/usr/bin/env bash
# The studio's live effects (issue 24): the audio thread's cost per 128-frame quantum with 32 tracks × 2 built-in
# effects in headless Chromium, from an offline render through the app's own worklet. Needs the web app built
# (`npm run build` in frontend/web, or any full `dotnet build`). Usage: bash benchmarks/studio-audio.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d frontend/web/node_modules ] || (cd frontend/web && npm ci --no-audit --no-fund)
node benchmarks/Web/worklet.mjs
