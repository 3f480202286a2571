#!/usr/bin/env bash
# A server-rendered release page (/releases/{id}) under 200 concurrent anonymous requests, embedded mode, wrk on
# loopback: cached (the same URL, served by the 15 s output cache) and uncached (a new query string on every
# request, so every one renders: the release read through the API's services, the HTML written). Prints req/s and
# p50/p99 of each. Usage: bash benchmarks/public-page.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}; conns=${2:-200}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
source benchmarks/embedded.sh
start_embedded 5094
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# An artist with a verified address (the mailed link lands in data/mail) publishes a 20 s song.
curl -sf -X POST $url/api/auth/register -H 'content-type: application/json' \
  -d '{"email":"bench@example.org","password":"benchmark pass","displayName":"Bench Artist"}' >/dev/null
# The mail leaves through the outbox a moment later, quoted-printable ("=" is "=3D", long lines are cut with "=").
mailed=""
for _ in $(seq 1 100); do
  mailed=$(python3 -c 'import sys,glob,quopri,re
t="".join(quopri.decodestring(open(f,"rb").read()).decode("utf-8","replace") for f in glob.glob(sys.argv[1]+"/**/*.eml", recursive=True))
m=re.search(r"verify-email\?token=([A-Za-z0-9_-]+)", t); print(m.group(1) if m else "")' "$work/data/mail")
  [ -n "$mailed" ] && break; sleep 0.2
done
curl -sf -X POST $url/api/auth/verify-email -H 'content-type: application/json' -d "{\"token\":\"$mailed\"}" >/dev/null
token=$(curl -sf -X POST $url/api/auth/login -H 'content-type: application/json' \
  -d '{"email":"bench@example.org","password":"benchmark pass"}' | json '["accessToken"]')
ffmpeg -v error -f lavfi -i "sine=frequency=220:duration=20" -ac 2 -ar 48000 "$work/song.wav"
asset=$(curl -sf -X POST "$url/api/assets?fileName=song.wav" -H "authorization: Bearer $token" -H 'content-type: audio/wav' --data-binary @"$work/song.wav" | json '["id"]')
until [ "$(curl -sf "$url/api/assets/$asset" -H "authorization: Bearer $token" | json '["status"]')" != processing ]; do sleep 0.2; done
release=$(curl -sf -X POST $url/api/releases -H "authorization: Bearer $token" -H 'content-type: application/json' \
  -d "{\"assetId\":\"$asset\",\"title\":\"Bench song\",\"description\":\"A page for the benchmark\"}" | json '["release"]["id"]')
until [ "$(curl -sf "$url/api/releases/$release" -H "authorization: Bearer $token" | json '["status"]')" = ready ]; do sleep 0.2; done
curl -sf "$url/releases/$release" | grep -q 'og:title' || { echo "the page has no OpenGraph tags"; exit 1; }

cat >"$work/unique.lua" <<'LUA'
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?u=" .. counter .. "-" .. math.random(1, 1000000000))
end
LUA
run() { wrk -t2 -c"$conns" -d"${secs}s" --latency "$@"; }
run "$url/releases/$release" >/dev/null                                   # warm-up
run "$url/releases/$release" >"$work/cached.txt"
run -s "$work/unique.lua" "$url/releases/$release" >/dev/null              # warm-up
run -s "$work/unique.lua" "$url/releases/$release" >"$work/uncached.txt"
report() { awk -v name="$1" '/Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} /Non-2xx/ {bad=$4} END {printf "%s: %s req/s, p50 %s, p99 %s, non-2xx %s\n", name, rps, p50, p99, bad+0}' "$work/$1.txt"; }
echo "release page, $conns connections, ${secs}s:"
report cached
report uncached
