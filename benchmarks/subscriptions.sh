#!/usr/bin/env bash
# 10 000 GraphQL subscriptions on one frontend (embedded mode): resident memory with them open, and the fan-out
# latency of notifications to them (Subscriptions/bench.mjs). Usage: bash benchmarks/subscriptions.sh [accounts] [sockets each] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
[ -d frontend/web/node_modules ] || (cd frontend/web && npm ci --no-audit --no-fund)
source benchmarks/embedded.sh
start_embedded 5095
node benchmarks/Subscriptions/bench.mjs $url "$work/data/mail" "${pids[0]}" "${1:-100}" "${2:-100}" "${3:-5}"
