#!/usr/bin/env bash
# 10 000 GraphQL subscriptions on one frontend (embedded mode): resident memory with them open, and the fan-out
# latency of notifications to them (Subscriptions/bench.mjs). Usage: bash benchmarks/subscriptions.sh [accounts] [sockets each] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
[ -d frontend/web/node_modules ] || (cd frontend/web && npm ci --no-audit --no-fund)
dotnet build -c Release -nologo -clp:ErrorsOnly -p:SkipWebApp=true frontend >/dev/null
url=http://127.0.0.1:5095
Jacameno__DataDirectory="$work/data" Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=100000 \
  Logging__LogLevel__Default=Warning dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls $url >"$work/frontend.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf $url/health/ready >/dev/null && break; sleep 0.3; done
node benchmarks/Subscriptions/bench.mjs $url "$work/data/mail" "${pids[0]}" "${1:-100}" "${2:-100}" "${3:-5}"
