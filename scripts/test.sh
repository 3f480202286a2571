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
log "testing"
set +e
dotnet test Jacameno.sln -c Release --no-build -nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$work/test.log"
status=${PIPESTATUS[0]}
set +o pipefail
passed=$(grep -Eo 'Passed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$work/test.log" | awk '{s+=$2} END {print s+0}')
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
