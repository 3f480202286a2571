#!/usr/bin/env bash
# Edit-to-peer latency (issue 3): 200 SignalR clients in 20 projects, 5 ops/s each, submit → receipt by the
# other clients of the project, on loopback. Baseline in the same run: a bare SignalR hub that relays each
# message to its group. Then Jacameno embedded (SQLite) and cluster mode (a silo on PostgreSQL + Redis, a
# frontend as Orleans client). Each server gets a warm-up run first (30 s: the JIT tiers hot code up in the
# background for that long on two loaded cores; activations), then the measured one.
# Usage: bash benchmarks/edit-latency.sh [seconds] [clients] [projects] [ops/s per client] [warm-up seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
secs=${1:-15}; clients=${2:-200}; projects=${3:-20}; rate=${4:-5}; warmup=${5:-30}
log() { printf '== %s\n' "$*"; }
source scripts/services.sh

dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly silo >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly benchmarks/BareKestrel >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly benchmarks/EditLatency >/dev/null
load() { dotnet benchmarks/EditLatency/bin/Release/net10.0/Jacameno.Benchmarks.EditLatency.dll "$@"; }
quiet=(Logging__LogLevel__Default=Warning Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=100000)

log "bare hub"
dotnet benchmarks/BareKestrel/bin/Release/net10.0/Jacameno.Benchmarks.BareKestrel.dll none --urls http://127.0.0.1:5192 >"$work/bare.log" 2>&1 &
pids+=($!); bare=$!
wait_for http://127.0.0.1:5192/api/users/me
load bare http://127.0.0.1:5192 "$clients" "$projects" "$rate" "$warmup" >/dev/null
load bare http://127.0.0.1:5192 "$clients" "$projects" "$rate" "$secs" | tee "$work/bare.txt"
kill "$bare"

log "jacameno, embedded (SQLite)"
env "${quiet[@]}" Jacameno__DataDirectory="$work/embedded" dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5191 >"$work/embedded.log" 2>&1 &
pids+=($!); embedded=$!
wait_for http://127.0.0.1:5191/health/ready
load jacameno http://127.0.0.1:5191 "$clients" "$projects" "$rate" "$warmup" >/dev/null
load jacameno http://127.0.0.1:5191 "$clients" "$projects" "$rate" "$secs" | tee "$work/embedded.txt"
kill "$embedded"

log "jacameno, cluster (PostgreSQL, Redis; one silo, one frontend)"
psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE bench_edits" >/dev/null
cluster=(Jacameno__Mode=Cluster Jacameno__ClusterId=bench-edits Jacameno__Auth__SigningKey="$(head -c 32 /dev/urandom | base64)"
  "ConnectionStrings__postgres=${JACAMENO_TEST_POSTGRES/Database=postgres/Database=bench_edits}" ConnectionStrings__redis="$JACAMENO_TEST_REDIS"
  Jacameno__S3__ServiceUrl="$JACAMENO_TEST_S3" Jacameno__S3__AccessKey=S3RVER Jacameno__S3__SecretKey=S3RVER Jacameno__S3__Bucket=bench-edits)
# exec: the recorded pid must be the silo's, not a subshell's, or the cleanup leaves the silo running.
(cd silo/bin/Release/net10.0 && exec env "${quiet[@]}" "${cluster[@]}" Urls=http://127.0.0.1:5193 dotnet Jacameno.Silo.dll >"$work/silo.log" 2>&1) &
pids+=($!)
wait_for http://127.0.0.1:5193/health/live
env "${quiet[@]}" "${cluster[@]}" dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5194 >"$work/cluster-frontend.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:5194/health/ready
load jacameno http://127.0.0.1:5194 "$clients" "$projects" "$rate" "$warmup" >/dev/null
load jacameno http://127.0.0.1:5194 "$clients" "$projects" "$rate" "$secs" | tee "$work/cluster.txt"

p50() { awk '/^p50/ {print $2}' "$work/$1.txt"; }
p99() { awk '/^p50/ {print $8}' "$work/$1.txt"; }
echo
echo "bare hub:           p50 $(p50 bare) ms, p99 $(p99 bare) ms"
echo "embedded (SQLite):  p50 $(p50 embedded) ms, p99 $(p99 embedded) ms, p50 ratio to bare $(python3 -c "print(round($(p50 embedded)/$(p50 bare), 2))")"
echo "cluster (Postgres): p50 $(p50 cluster) ms, p99 $(p99 cluster) ms, p50 ratio to bare $(python3 -c "print(round($(p50 cluster)/$(p50 bare), 2))")"
