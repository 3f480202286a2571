#!/usr/bin/env bash
# The web app (issue 8): the first page's weight (what a cold visit to / downloads, gzip and Brotli), time to
# interactive in headless Chromium on loopback (median of cold loads), that the editor's chunk loads only on
# demand, and how the editor keeps up with 50 tracks × 40 clips (frame intervals while scrolling, zooming,
# dragging a clip and receiving a collaborator's ops; a Chromium trace of it is kept).
# Usage: bash benchmarks/web.sh [cold loads]
set -euo pipefail
cd "$(dirname "$0")/.."
loads=${1:-7}
work=$(mktemp -d /tmp/jacameno-web-bench.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null
(cd frontend && exec dotnet bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5307 --Jacameno:DataDirectory "$work/data" \
  --Logging:LogLevel:Default Warning --Jacameno:RateLimits:RequestsPerMinute 100000000 --Jacameno:RateLimits:AuthPerMinute 100000 >"$work/platform.log" 2>&1) &
pid=$!
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5307/health/ready >/dev/null && break; sleep 0.5; done
mkdir -p benchmarks/Web/results
ffmpeg -v error -f lavfi -i "sine=frequency=220:duration=2" -ac 2 -ar 44100 "$work/clip.wav"
BENCH_WAV="$work/clip.wav" node benchmarks/Web/bench.mjs http://127.0.0.1:5307 "$loads" benchmarks/Web/results
