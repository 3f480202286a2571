#!/usr/bin/env bash
# Chaos under load, long: the test command runs ChaosTests short (5 s faults, one round); this runs the same test
# with longer faults and more rounds, and prints its report (per fault: requests failed, time to recover; then ops,
# orders and uploads lost, and the silos' memory before and after). Starts PostgreSQL, Redis and s3rver as the tests
# do. A soak comes first: the load alone, minute by minute the silos' memory and the edits' p99.
# Usage: bash benchmarks/chaos.sh [fault seconds, default 30] [rounds, default 3] [soak minutes, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
log() { printf '== %s\n' "$*"; }
source scripts/services.sh
dotnet build Jacameno.sln -c Release -nologo -clp:ErrorsOnly -p:SkipWebApp=true
report="$work/chaos.md"
JACAMENO_CHAOS_FAULT_SECONDS=${1:-30} JACAMENO_CHAOS_ROUNDS=${2:-3} JACAMENO_CHAOS_SOAK_MINUTES=${3:-30} JACAMENO_CHAOS_REPORT="$report" \
  dotnet test tests/Jacameno.Frontend.Tests -c Release --no-build -nologo --filter "FullyQualifiedName~ChaosTests" \
  --logger "console;verbosity=normal" | grep -E "Passed|Failed|Error" || true
cat "$report"
