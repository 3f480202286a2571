#!/usr/bin/env bash
# Marketplace (issue 7). Listing search with N listings (default 50 000) seeded through the catalog's own write
# path, through the REST API, on SQLite (embedded) and PostgreSQL (cluster); then checkouts per second with
# the manual provider (order, confirmed payment, license grant) through one frontend of a 2-silo cluster.
# Usage: bash benchmarks/marketplace.sh [listings] [search requests] [orders] [concurrent buyers]
set -euo pipefail
cd "$(dirname "$0")/.."
listings=${1:-50000}; requests=${2:-2000}; orders=${3:-2000}; buyers=${4:-16}
log() { printf '== %s\n' "$*"; }
source scripts/services.sh

dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly silo >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly benchmarks/Discovery >/dev/null
bench() { dotnet benchmarks/Discovery/bin/Release/net10.0/Jacameno.Benchmarks.Discovery.dll "$@"; }
quiet=(Logging__LogLevel__Default=Warning Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=100000
  Jacameno__Auth__AdminEmails__0=admin@example.org)

log "SQLite: seeding $listings listings"
bench seed-listings sqlite "$work/embedded/jacameno.db" "$listings"
env "${quiet[@]}" Jacameno__DataDirectory="$work/embedded" dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5405 >"$work/embedded.log" 2>&1 &
embedded=$!; pids+=($embedded)
wait_for http://127.0.0.1:5405/health/ready
log "SQLite (FTS5): listing search through REST"
bench listing-search http://127.0.0.1:5405 "$requests"
kill "$embedded"; wait "$embedded" 2>/dev/null || true

log "PostgreSQL: seeding $listings listings"
psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE bench_market" >/dev/null
pg="${JACAMENO_TEST_POSTGRES/Database=postgres/Database=bench_market}"
bench seed-listings postgres "$pg" "$listings"
# A table this size in service has been analyzed by autovacuum; without it the first plans guess.
psql -h 127.0.0.1 -p "$pg_port" -U postgres -d bench_market -qc "VACUUM ANALYZE" >/dev/null
cluster=(Jacameno__Mode=Cluster Jacameno__ClusterId=bench-market Jacameno__Auth__SigningKey="$(head -c 32 /dev/urandom | base64)"
  "ConnectionStrings__postgres=$pg" ConnectionStrings__redis="$JACAMENO_TEST_REDIS"
  Jacameno__S3__ServiceUrl="$JACAMENO_TEST_S3" Jacameno__S3__AccessKey=S3RVER Jacameno__S3__SecretKey=S3RVER Jacameno__S3__Bucket=bench-market)
for n in 1 2; do
  # exec: the recorded pid must be the silo's, not a subshell's, or the cleanup leaves the silo running.
  (cd silo/bin/Release/net10.0 && exec env "${quiet[@]}" "${cluster[@]}" Jacameno__Silo__Port=$((12410 + n)) Jacameno__Silo__GatewayPort=$((31400 + n)) \
    Urls=http://127.0.0.1:$((5410 + n)) dotnet Jacameno.Silo.dll >"$work/silo-$n.log" 2>&1) &
  pids+=($!)
  wait_for http://127.0.0.1:$((5410 + n))/health/live
done
env "${quiet[@]}" "${cluster[@]}" dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5415 >"$work/cluster.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:5415/health/ready
log "PostgreSQL (tsvector + GIN): listing search through REST"
bench listing-search http://127.0.0.1:5415 "$requests"
log "checkouts with the manual provider, 2 silos"
bench orders http://127.0.0.1:5415 "$orders" "$buyers"
