#!/usr/bin/env bash
# GET /api/users/me through the frontend (JWT auth, a grain call, JSON) against bare Kestrel returning the
# same bytes, in one run, with wrk on loopback. Prints requests/s, p99 and the throughput ratio.
# Usage: bash benchmarks/api-me-vs-bare.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}; conns=${2:-32}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly benchmarks/BareKestrel >/dev/null

Jacameno__DataDirectory="$work/data" Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=1000 \
  Logging__LogLevel__Default=Warning dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5091 >"$work/frontend.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:5091/health/ready >/dev/null && break; sleep 0.3; done
token=$(curl -sf -X POST http://127.0.0.1:5091/api/auth/register -H 'content-type: application/json' \
  -d '{"email":"bench@example.org","password":"benchmark pass","displayName":"Bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
curl -sf http://127.0.0.1:5091/api/users/me -H "authorization: Bearer $token" >"$work/body.json"

dotnet benchmarks/BareKestrel/bin/Release/net10.0/Jacameno.Benchmarks.BareKestrel.dll "$work/body.json" --urls http://127.0.0.1:5092 >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:5092/api/users/me >/dev/null && break; sleep 0.2; done

run() { wrk -t2 -c"$conns" -d"${secs}s" --latency -H "authorization: Bearer $token" "$1" | tee "$work/$2.txt"; }
run http://127.0.0.1:5091/api/users/me jacameno >/dev/null   # warm-up
run http://127.0.0.1:5092/api/users/me bare >/dev/null
run http://127.0.0.1:5091/api/users/me jacameno >/dev/null
run http://127.0.0.1:5092/api/users/me bare >/dev/null
rps() { awk '/Requests\/sec/ {print $2}' "$work/$1.txt"; }
p99() { awk '/ 99%/ {print $2}' "$work/$1.txt"; }
echo "bare kestrel: $(rps bare) req/s, p99 $(p99 bare)"
echo "jacameno /api/users/me: $(rps jacameno) req/s, p99 $(p99 jacameno)"
python3 -c "print(f'throughput ratio jacameno/bare: {float(\"$(rps jacameno)\")/float(\"$(rps bare)\"):.3f}')"
