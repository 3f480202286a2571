#!/usr/bin/env bash
# Job-system overhead (issue 5): 1 000 tiny jobs through the job system of a 2-silo cluster (PostgreSQL, Redis,
# s3rver), submitted through one frontend by an admin: jobs/s and the queue wait (created → started) percentiles.
# Usage: bash benchmarks/job-overhead.sh [jobs] [concurrency]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${1:-1000}; concurrency=${2:-32}
log() { printf '== %s\n' "$*"; }
source scripts/services.sh

dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly silo >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly benchmarks/EditLatency >/dev/null
quiet=(Logging__LogLevel__Default=Warning Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=100000
  Jacameno__Auth__AdminEmails__0=admin@example.org)

psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE bench_jobs" >/dev/null
cluster=(Jacameno__Mode=Cluster Jacameno__ClusterId=bench-jobs Jacameno__Auth__SigningKey="$(head -c 32 /dev/urandom | base64)"
  "ConnectionStrings__postgres=${JACAMENO_TEST_POSTGRES/Database=postgres/Database=bench_jobs}" ConnectionStrings__redis="$JACAMENO_TEST_REDIS"
  Jacameno__S3__ServiceUrl="$JACAMENO_TEST_S3" Jacameno__S3__AccessKey=S3RVER Jacameno__S3__SecretKey=S3RVER Jacameno__S3__Bucket=bench-jobs)
for n in 1 2; do
  log "silo $n"
  # exec: the recorded pid must be the silo's, not a subshell's, or the cleanup leaves the silo running.
  (cd silo/bin/Release/net10.0 && exec env "${quiet[@]}" "${cluster[@]}" Jacameno__Silo__Port=$((12110 + n)) Jacameno__Silo__GatewayPort=$((31000 + n)) \
    Urls=http://127.0.0.1:$((5200 + n)) dotnet Jacameno.Silo.dll >"$work/silo-$n.log" 2>&1) &
  pids+=($!)
  wait_for http://127.0.0.1:$((5200 + n))/health/live
done
log "frontend"
env "${quiet[@]}" "${cluster[@]}" dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5205 >"$work/frontend.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:5205/health/ready

load() { dotnet benchmarks/EditLatency/bin/Release/net10.0/Jacameno.Benchmarks.EditLatency.dll jobs http://127.0.0.1:5205 "$@"; }
log "warm-up (100 jobs)"
load 100 "$concurrency"
log "measured ($jobs jobs, $concurrency concurrent submitters)"
load "$jobs" "$concurrency"
