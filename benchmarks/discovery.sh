#!/usr/bin/env bash
# Discovery and streaming (issue 6). Seeds N releases (default 100 000) through the catalog's own write path into
# SQLite (embedded) and PostgreSQL (a 1-silo cluster), then times a ranked text search with two filters through
# the REST API on each; then, embedded, publishes a 60 s song and has 200 listeners start it and read it in
# Range requests as players do: stream-start time and sustained throughput.
# Usage: bash benchmarks/discovery.sh [releases] [search requests] [listeners]
set -euo pipefail
cd "$(dirname "$0")/.."
releases=${1:-100000}; requests=${2:-2000}; listeners=${3:-200}
log() { printf '== %s\n' "$*"; }
source scripts/services.sh

dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly silo >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly benchmarks/Discovery >/dev/null
bench() { dotnet benchmarks/Discovery/bin/Release/net10.0/Jacameno.Benchmarks.Discovery.dll "$@"; }
quiet=(Logging__LogLevel__Default=Warning Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=100000)

log "SQLite: seeding $releases releases"
bench seed sqlite "$work/embedded/jacameno.db" "$releases"
env "${quiet[@]}" Jacameno__DataDirectory="$work/embedded" dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5305 >"$work/embedded.log" 2>&1 &
embedded=$!; pids+=($embedded)
wait_for http://127.0.0.1:5305/health/ready
log "SQLite (FTS5): search through REST"
bench search http://127.0.0.1:5305 "$requests"

log "streaming: publishing a 60 s song"
ffmpeg -v error -f lavfi -i "sine=frequency=220:duration=60" -f lavfi -i "sine=frequency=330:duration=60" -filter_complex amerge=inputs=2 -ar 48000 "$work/song.wav"
token=$(curl -sf -X POST http://127.0.0.1:5305/api/auth/register -H 'content-type: application/json' \
  -d '{"email":"bench@example.org","password":"benchmark pass","displayName":"Bench"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
asset=$(curl -sf -X POST "http://127.0.0.1:5305/api/assets?fileName=song.wav" -H "authorization: Bearer $token" -H 'content-type: audio/wav' --data-binary @"$work/song.wav" | json '["id"]')
until [ "$(curl -sf "http://127.0.0.1:5305/api/assets/$asset" -H "authorization: Bearer $token" | json '["status"]')" != processing ]; do sleep 0.2; done
release=$(curl -sf -X POST http://127.0.0.1:5305/api/releases -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d "{\"assetId\":\"$asset\",\"title\":\"Bench song\"}" | json '["release"]["id"]')
until [ "$(curl -sf "http://127.0.0.1:5305/api/releases/$release" -H "authorization: Bearer $token" | json '["status"]')" = ready ]; do sleep 0.2; done
log "streaming: $listeners listeners"
bench stream http://127.0.0.1:5305 "$release" "$listeners"
kill "$embedded"; wait "$embedded" 2>/dev/null || true

log "PostgreSQL: seeding $releases releases"
psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE bench_discovery" >/dev/null
pg="${JACAMENO_TEST_POSTGRES/Database=postgres/Database=bench_discovery}"
bench seed postgres "$pg" "$releases"
# A table this size in service has been analyzed by autovacuum; without it the first plans guess.
psql -h 127.0.0.1 -p "$pg_port" -U postgres -d bench_discovery -qc "VACUUM ANALYZE" >/dev/null
cluster=(Jacameno__Mode=Cluster Jacameno__ClusterId=bench-discovery Jacameno__Auth__SigningKey="$(head -c 32 /dev/urandom | base64)"
  "ConnectionStrings__postgres=$pg" ConnectionStrings__redis="$JACAMENO_TEST_REDIS"
  Jacameno__S3__ServiceUrl="$JACAMENO_TEST_S3" Jacameno__S3__AccessKey=S3RVER Jacameno__S3__SecretKey=S3RVER Jacameno__S3__Bucket=bench-discovery)
(cd silo/bin/Release/net10.0 && exec env "${quiet[@]}" "${cluster[@]}" Jacameno__Silo__Port=12311 Jacameno__Silo__GatewayPort=31301 \
  Urls=http://127.0.0.1:5311 dotnet Jacameno.Silo.dll >"$work/silo.log" 2>&1) &
pids+=($!)
wait_for http://127.0.0.1:5311/health/live
env "${quiet[@]}" "${cluster[@]}" dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5312 >"$work/cluster.log" 2>&1 &
pids+=($!)
wait_for http://127.0.0.1:5312/health/ready
log "PostgreSQL (tsvector + GIN): search through REST"
bench search http://127.0.0.1:5312 "$requests"
