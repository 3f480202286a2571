#!/usr/bin/env bash
# Upload of a large WAV (default 500 MB) to the embedded platform on loopback: upload throughput, and the
# server's peak memory growth while it receives the file (VmHWM after minus VmRSS before), then again
# once processing (probe, decode, loudness, peaks) has finished. Target: under 64 MB of growth.
# Usage: bash benchmarks/upload-memory.sh [megabytes]
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-500}
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
dotnet build -c Release -nologo -clp:ErrorsOnly frontend >/dev/null

# A stereo 16-bit 48 kHz WAV of the requested size: a header, then a quiet tone (so it is not all zeros).
python3 - "$work/big.wav" "$mb" <<'PY'
import math, struct, sys
path, mb = sys.argv[1], int(sys.argv[2])
data = mb * 1024 * 1024 // 4 * 4
frame = b"".join(struct.pack("<hh", int(3000 * math.sin(2 * math.pi * 440 * i / 48000)), int(3000 * math.sin(2 * math.pi * 550 * i / 48000))) for i in range(48000))
with open(path, "wb") as f:
    f.write(b"RIFF" + struct.pack("<I", 36 + data) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 2, 48000, 192000, 4, 16) + b"data" + struct.pack("<I", data))
    written = 0
    while written < data:
        chunk = frame[: data - written]
        f.write(chunk)
        written += len(chunk)
PY

Logging__LogLevel__Default=Warning Jacameno__DataDirectory="$work/data" Jacameno__Assets__MaxUploadBytes=$((2 * 1024 * 1024 * 1024)) \
  dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls http://127.0.0.1:5196 >"$work/frontend.log" 2>&1 &
pid=$!; pids+=($pid)
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5196/health/ready >/dev/null && break; sleep 0.5; done
token=$(curl -sf -X POST http://127.0.0.1:5196/api/auth/register -H 'content-type: application/json' \
  -d '{"email":"upload@example.org","password":"benchmark pass","displayName":"Upload"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')
sleep 2
kb() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/status"; }
before=$(kb VmRSS)
result=$(curl -s -o "$work/created.json" -w '%{http_code} %{speed_upload} %{time_total}' -X POST "http://127.0.0.1:5196/api/assets?fileName=big.wav" \
  -H "authorization: Bearer $token" -H 'content-type: audio/wav' --data-binary @"$work/big.wav")
after_upload=$(kb VmHWM)
id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/created.json")
for _ in $(seq 1 600); do
  status=$(curl -sf "http://127.0.0.1:5196/api/assets/$id" -H "authorization: Bearer $token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
  [ "$status" != processing ] && break; sleep 0.5
done
after_processing=$(kb VmHWM)
read -r code speed seconds <<<"$result"
echo "upload: HTTP $code, ${mb} MB in ${seconds}s = $(python3 -c "print(round($speed/1048576, 1))") MB/s; asset $status"
echo "server memory: RSS before $((before / 1024)) MB; peak growth during upload $(((after_upload - before) / 1024)) MB; peak growth through processing $(((after_processing - before) / 1024)) MB"
