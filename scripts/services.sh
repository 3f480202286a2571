#!/usr/bin/env bash
# Sourced by scripts/test.sh and the benchmarks: installs what is missing (Debian packages, the s3rver npm
# package), starts PostgreSQL, Redis and s3rver on 127.0.0.1, exports their addresses as JACAMENO_TEST_*,
# and on exit stops exactly the processes it started. Needs `repo` and `log` from the caller.

# --- install -----------------------------------------------------------------------------------
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v redis-server >/dev/null || need+=(redis-server)
command -v docker-compose >/dev/null || need+=(docker-compose)
command -v ffmpeg >/dev/null || need+=(ffmpeg)
command -v node >/dev/null || need+=(nodejs npm)
[ -x /usr/bin/chromium ] || need+=(chromium)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || need+=(python3-aiosmtpd)
# Real plugins for the plugin tests (docs/plugins.md), lilv to host LV2, a C compiler for the broken test plugins.
ls /usr/lib/*/liblilv-0.so.0 >/dev/null 2>&1 || need+=(liblilv-0-0)
# Rubber Band, for clips that follow the project's tempo or are transposed (docs/audio.md).
ls /usr/lib/*/librubberband.so.2 >/dev/null 2>&1 || need+=(librubberband2)
# FluidSynth and a General MIDI SoundFont, for the soundfont instrument (docs/audio.md).
ls /usr/lib/*/libfluidsynth.so.3 >/dev/null 2>&1 || need+=(libfluidsynth3)
[ -f /usr/share/sounds/sf2/TimGM6mb.sf2 ] || need+=(timgm6mb-soundfont)
[ -f /usr/lib/vst/lsp-plugins/compressor-stereo.so ] || need+=(lsp-plugins-vst)
[ -d /usr/lib/lv2/lsp-plugins.lv2 ] || need+=(lsp-plugins-lv2)
[ -d /usr/lib/lv2/balance.lv2 ] || need+=(x42-plugins)
[ -d /usr/lib/lv2/DragonflyRoomReverb.lv2 ] || need+=(dragonfly-reverb-lv2)
[ -d /usr/lib/lv2/calf.lv2 ] || need+=(calf-plugins)
command -v cc >/dev/null || need+=(gcc)
# nginx, to test deploy/nginx.conf in front of two frontends.
[ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -f .test-services/node_modules/s3rver/bin/s3rver.js ]; then
  log "installing s3rver"
  mkdir -p .test-services
  npm install --silent --no-audit --no-fund --prefix .test-services s3rver@3.7.1 >/dev/null
fi

# --- start -------------------------------------------------------------------------------------
work=$(mktemp -d /tmp/jacameno-tests.XXXXXX)
chmod 755 "$work"
pids=()
pgdata="$work/pg"
pgbin=$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pg_port=${JACAMENO_TEST_PG_PORT:-55432}
redis_port=${JACAMENO_TEST_REDIS_PORT:-56379}
s3_port=${JACAMENO_TEST_S3_PORT:-54569}
smtp_port=${JACAMENO_TEST_SMTP_PORT:-52525}

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi; }

# Stops what was started, last first, and PostgreSQL after all: a silo shutting down still writes its membership
# row, and without the database it retries for minutes (still polling its queues) instead of exiting.
stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 150); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
cleanup() {
  set +e
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do stop_pid "${pids[i]}"; done
  [ -f "$pgdata/postmaster.pid" ] && as_postgres "$pgbin/pg_ctl -D '$pgdata' -m immediate stop" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

log "starting PostgreSQL on 127.0.0.1:$pg_port"
mkdir -p "$pgdata"
[ "$(id -u)" = 0 ] && chown postgres "$pgdata"
as_postgres "$pgbin/initdb -D '$pgdata' -U postgres --auth=trust -E UTF8" >"$work/initdb.log" 2>&1
as_postgres "$pgbin/pg_ctl -D '$pgdata' -l '$pgdata/server.log' -w -o \"-p $pg_port -k '$pgdata' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" start" >/dev/null \
  || { echo "PostgreSQL did not start; its log:"; tail -n 30 "$pgdata/server.log" "$work/initdb.log"; exit 1; }

log "starting Redis on 127.0.0.1:$redis_port"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!)

log "starting s3rver on 127.0.0.1:$s3_port"
mkdir -p "$work/s3"
node .test-services/node_modules/s3rver/bin/s3rver.js -d "$work/s3" -a 127.0.0.1 -p "$s3_port" --silent >"$work/s3rver.log" 2>&1 &
pids+=($!)

# A real SMTP server that keeps every mail it receives as a file of a Maildir, where tests read them.
log "starting an SMTP sink (aiosmtpd) on 127.0.0.1:$smtp_port"
mkdir -p "$work/maildir/tmp" "$work/maildir/new" "$work/maildir/cur"
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$smtp_port" -c aiosmtpd.handlers.Mailbox "$work/maildir" >"$work/smtp.log" 2>&1 &
pids+=($!)

for _ in $(seq 1 50); do
  (echo > "/dev/tcp/127.0.0.1/$redis_port") 2>/dev/null && (echo > "/dev/tcp/127.0.0.1/$s3_port") 2>/dev/null \
    && (echo > "/dev/tcp/127.0.0.1/$smtp_port") 2>/dev/null && break
  sleep 0.2
done

export JACAMENO_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres;Pooling=true"
export JACAMENO_TEST_REDIS="127.0.0.1:$redis_port"
export JACAMENO_TEST_S3="http://127.0.0.1:$s3_port"
export JACAMENO_TEST_SMTP="127.0.0.1:$smtp_port" JACAMENO_TEST_MAILDIR="$work/maildir"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Waits (up to a minute) for a URL to answer; on timeout, shows the logs and stops the caller.
wait_for() { for _ in $(seq 1 120); do curl -sf "$1" >/dev/null && return 0; sleep 0.5; done; echo "$1 did not come up"; tail -n 30 "$work"/*.log; exit 1; }
