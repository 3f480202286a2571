# Sourced by benchmarks that need one frontend in embedded mode: `start_embedded PORT` builds it (without the web
# app), starts it on 127.0.0.1:PORT with its data under $work/data and rate limits out of the way, adds its process
# id to $pids (the caller's trap stops them) and waits until it is ready; $url is its address.
start_embedded() {
  dotnet build -c Release -nologo -clp:ErrorsOnly -p:SkipWebApp=true frontend >/dev/null
  url=http://127.0.0.1:$1
  Jacameno__DataDirectory="$work/data" Jacameno__RateLimits__RequestsPerMinute=100000000 Jacameno__RateLimits__AuthPerMinute=100000 \
    Logging__LogLevel__Default=Warning dotnet frontend/bin/Release/net10.0/Jacameno.Frontend.dll --urls "$url" >"$work/frontend.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do curl -sf "$url/health/ready" >/dev/null && break; sleep 0.3; done
}
