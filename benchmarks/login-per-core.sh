#!/usr/bin/env bash
# Logins per second per core: the frontend (embedded mode) pinned to one CPU with taskset, wrk on another,
# POST /api/auth/login with a right password. Login is deliberately slow (PBKDF2, 100 000 iterations).
# Usage: bash benchmarks/login-per-core.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}; conns=${2:-8}
[ "$(nproc)" -ge 2 ] || { echo "needs 2 CPUs: one for the server, one for wrk"; exit 1; }
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null

Jacameno__DataDirectory="$work/data" Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=100000000 \
  Logging__LogLevel__Default=Warning taskset -c 0 dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5093 >"$work/frontend.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:5093/health/ready >/dev/null && break; sleep 0.3; done
curl -sf -X POST http://127.0.0.1:5093/api/auth/register -H 'content-type: application/json' \
  -d '{"email":"bench@example.org","password":"benchmark pass","displayName":"Bench"}' >/dev/null
cat >"$work/login.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench@example.org","password":"benchmark pass"}'
LUA
login() { taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency -s "$work/login.lua" http://127.0.0.1:5093/api/auth/login; }
login >/dev/null   # warm-up
login | tee "$work/login.txt" | grep -E "Requests/sec|Non-2xx| 99%"
! grep -q "Non-2xx" "$work/login.txt" || { echo "some logins failed"; exit 1; }
echo "logins per second on one core: $(awk '/Requests\/sec/ {print $2}' "$work/login.txt")"
