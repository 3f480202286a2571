#!/usr/bin/env bash
# Runs every test of the solution against real services: installs what is missing (Debian packages,
# the s3rver npm package), starts PostgreSQL, Redis and s3rver on 127.0.0.1, runs `dotnet test`, and
# stops exactly the processes it started. Extra arguments go to `dotnet test` (e.g. --filter Name~Blob).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

log() { printf '== %s\n' "$*"; }

source scripts/services.sh

# --- test --------------------------------------------------------------------------------------
log "building"
dotnet build Jacameno.sln -c Release -nologo -clp:ErrorsOnly
source scripts/previous-build.sh
log "testing"
set +e
dotnet test Jacameno.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set +o pipefail
passed=$(grep -Eo 'Passed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')

# The web app: Vitest, then Playwright end to end against the platform in embedded mode in Debian's
# Chromium (screenshots under frontend/web/test-results/). JACAMENO_SKIP_WEB=1 leaves them out.
if [ "${JACAMENO_SKIP_WEB:-0}" != 1 ]; then
  count() { node -e 'const r=require(process.argv[1]); for (const e of process.argv.slice(2)) console.log(eval(e))' "$@" | xargs; }
  log "web app: Vitest"
  (cd frontend/web && npx vitest run --reporter=default --reporter=json --outputFile="$work/vitest.json") || status=1
  if [ -f "$work/vitest.json" ]; then
    read -r p f s < <(count "$work/vitest.json" r.numPassedTests r.numFailedTests 'r.numPendingTests+r.numTodoTests')
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  else failed=$((failed + 1)); fi
  log "web app: Playwright in $(/usr/bin/chromium --version 2>/dev/null)"
  (cd frontend/web && PLAYWRIGHT_JSON_OUTPUT_NAME="$work/e2e.json" npx playwright test --reporter=list,json) || status=1
  if [ -f "$work/e2e.json" ]; then
    read -r p f s < <(count "$work/e2e.json" r.stats.expected 'r.stats.unexpected+r.stats.flaky' r.stats.skipped)
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
  else failed=$((failed + 1)); fi
fi
# CI keeps only the tail of the output: name each failed .NET test there with its message.
if grep -qE '^\s+Failed [A-Za-z]' "$work/test.log"; then
  log "failed .NET tests"
  awk '/^ +Failed [A-Za-z]/ {show=1; n=0} show && /Stack Trace:/ {show=0} show && n++ < 8' "$work/test.log" | cut -c1-300
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
