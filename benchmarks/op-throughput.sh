#!/usr/bin/env bash
# Sustained op throughput of one project in embedded mode (durable acks: each op is in the SQLite op log
# when acknowledged), for projects of 10, 100 and 1 000 clips: the cost of an op must not grow with size.
# Usage: bash benchmarks/op-throughput.sh [seconds] [submitters]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}; submitters=${2:-8}
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly benchmarks/EditLatency >/dev/null
Logging__LogLevel__Default=Warning Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=100000 \
  Jacameno__DataDirectory="$work/data" dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5195 >"$work/frontend.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5195/health/ready >/dev/null && break; sleep 0.5; done
load() { dotnet benchmarks/EditLatency/bin/Release/net10.0/Jacameno.Benchmarks.EditLatency.dll throughput http://127.0.0.1:5195 "$@"; }
load 10 "$submitters" 5 >/dev/null   # warm-up
for clips in 10 100 1000; do load "$clips" "$submitters" "$secs"; done
