#!/usr/bin/env bash
# Edit-to-peer latency (issue 3): 200 SignalR clients in 20 projects, 5 ops/s each, submit → receipt by the
# other clients of the project, on loopback. Baseline in the same run: a bare SignalR hub that relays each
# message to its group. Then Jacameno embedded (SQLite) and cluster mode (a silo on PostgreSQL + Redis, a
# frontend as Orleans client).
# All servers run at once; each gets a warm-up first (30 s: the JIT tiers hot code up in the background for that
# long on two loaded cores; activations). Then the measurement takes turns: a window on the bare hub, one on
# embedded, one on the cluster, and again, for several rounds. How fast this VM's two cores are drifts by up to
# 1.5× over minutes (the same load took 12-18 s of CPU per 15 s window), so a ratio from measurements taken
# minutes apart measured the host as much as the code; interleaved windows see the same host. The servers not
# being measured are frozen (SIGSTOP) meanwhile: an idle silo still wakes up for its stream queues (about 7 %
# of a core), which would tax the others' windows. Each mode's percentiles are over the deliveries of all its
# windows; each window's line is printed as well.
# A window's writes (PostgreSQL's and SQLite's files) reach the disk some 30 s later, in the kernel's writeback,
# that is during the next window: whichever mode followed the bare hub (which writes nothing) measured faster,
# by up to 2×. So each window starts after a `sync`, and every other round runs the modes in reverse order.
# Usage: bash benchmarks/edit-latency.sh [seconds per window] [clients] [projects] [ops/s per client] [warm-up seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
secs=${1:-15}; clients=${2:-200}; projects=${3:-20}; rate=${4:-5}; warmup=${5:-30}; rounds=${6:-4}
log() { printf '== %s\n' "$*"; }
source scripts/services.sh

dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly silo >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly benchmarks/BareKestrel >/dev/null
dotnet build -c Release -nologo -clp:ErrorsOnly benchmarks/EditLatency >/dev/null
# The load generator's sockets complete on their epoll thread: each client parses a message where it arrives (HubSocket),
# with no thread-pool hop; it shares the two cores with the servers it measures, so its CPU is theirs to wait for.
load() { DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 dotnet benchmarks/EditLatency/bin/Release/net10.0/Jacameno.Benchmarks.EditLatency.dll "$@"; }
quiet=(Logging__LogLevel__Default=Warning Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=100000)

log "starting: bare hub; jacameno embedded (SQLite); jacameno cluster (PostgreSQL, Redis; one silo, one frontend)"
dotnet benchmarks/BareKestrel/bin/Release/net10.0/Jacameno.Benchmarks.BareKestrel.dll none --urls http://127.0.0.1:5192 >"$work/bare.log" 2>&1 &
pids+=($!); bare=($!)
# Its own silo ports: the cluster's silo below takes the default ones.
env "${quiet[@]}" Jacameno__DataDirectory="$work/embedded" Jacameno__Silo__Port=11112 Jacameno__Silo__GatewayPort=30001 \
  dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5191 >"$work/embedded.log" 2>&1 &
pids+=($!); embedded=($!)
psql -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE bench_edits" >/dev/null
cluster=(Jacameno__Mode=Cluster Jacameno__ClusterId=bench-edits Jacameno__Auth__SigningKey="$(head -c 32 /dev/urandom | base64)"
  "ConnectionStrings__postgres=${JACAMENO_TEST_POSTGRES/Database=postgres/Database=bench_edits}" ConnectionStrings__redis="$JACAMENO_TEST_REDIS"
  Jacameno__S3__ServiceUrl="$JACAMENO_TEST_S3" Jacameno__S3__AccessKey=S3RVER Jacameno__S3__SecretKey=S3RVER Jacameno__S3__Bucket=bench-edits)
# exec: the recorded pid must be the silo's, not a subshell's, or the cleanup leaves the silo running.
(cd silo/bin/Release/net10.0 && exec env "${quiet[@]}" "${cluster[@]}" Urls=http://127.0.0.1:5193 dotnet Jacameno.Silo.dll >"$work/silo.log" 2>&1) &
pids+=($!); clustered=($!)
wait_for http://127.0.0.1:5192/api/users/me
wait_for http://127.0.0.1:5191/health/ready
wait_for http://127.0.0.1:5193/health/live
env "${quiet[@]}" "${cluster[@]}" dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5194 >"$work/cluster-frontend.log" 2>&1 &
pids+=($!); clustered+=($!)
wait_for http://127.0.0.1:5194/health/ready
trap 'kill -CONT "${pids[@]}" 2>/dev/null; cleanup' EXIT # a stopped process would not stop

declare -A target=([bare]="bare http://127.0.0.1:5192" [embedded]="jacameno http://127.0.0.1:5191" [cluster]="jacameno http://127.0.0.1:5194")
declare -A servers=([bare]="${bare[*]}" [embedded]="${embedded[*]}" [cluster]="${clustered[*]}")
modes=(bare embedded cluster)
# Freezes every server but those of mode $1, and lets those run.
only() { local n; for n in "${modes[@]}"; do [ "$n" = "$1" ] || kill -STOP ${servers[$n]}; done; kill -CONT ${servers[$1]}; }
for m in "${modes[@]}"; do
  only "$m"
  log "warming up $m"
  load ${target[$m]} "$clients" "$projects" "$rate" "$warmup" >/dev/null
done
for r in $(seq 1 "$rounds"); do
  order=("${modes[@]}"); (( r % 2 )) || order=(cluster embedded bare)
  for m in "${order[@]}"; do
    only "$m"
    sync
    printf '%-9s round %s: %s\n' "$m" "$r" "$(load ${target[$m]} "$clients" "$projects" "$rate" "$secs" "$work/$m.samples" | grep '^p50')"
  done
done

kill -CONT "${pids[@]}"
p() { load report "$work/$1.samples"; }
for m in "${modes[@]}"; do p "$m" >"$work/$m.txt"; done
p50() { awk '/^p50/ {print $2}' "$work/$1.txt"; }
p99() { awk '/^p50/ {print $8}' "$work/$1.txt"; }
ratio() { python3 -c "print(round($(p50 "$1")/$(p50 bare), 2))"; }
echo
echo "all $rounds rounds of ${secs} s:"
echo "bare hub:           p50 $(p50 bare) ms, p99 $(p99 bare) ms"
echo "embedded (SQLite):  p50 $(p50 embedded) ms, p99 $(p99 embedded) ms, p50 ratio to bare $(ratio embedded)"
echo "cluster (Postgres): p50 $(p50 cluster) ms, p99 $(p99 cluster) ms, p50 ratio to bare $(ratio cluster)"
