#!/usr/bin/env bash
# CPU profile of Articles.Api under load, RS256 against HS256: the share of the service's CPU samples that the JWT
# signature check takes, read from the kit's own profile (/debug/pprof/profile on the management port) with
# `go tool pprof`. See bench/README.md. Needs PostgreSQL, wrk and Go (scripts/install-deps.sh installs them); as root.
#   bench/cpu-profile.sh [seconds]     (default 20 s of profile per algorithm)
# BENCH_PATH (default /v2/articles/999999999: an unknown id, so the database's share is one primary-key lookup and
# what is left is the service's own work, JWT validation first) and BENCH_ALGS (default "RS256 HS256") choose what is loaded.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
art=${BENCH_ARTIFACTS:-/tmp/art-bench-release}
out=${BENCH_OUT:-$root/bench/results/cpu-profile}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for tool in wrk go curl runuser; do command -v $tool >/dev/null || { echo "$tool not found" >&2; exit 1; }; done
# utime + stime of a process, in seconds (fields 14 and 15 of /proc/PID/stat, in clock ticks).
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet build "$root/src/Articles.Api/Articles.Api.csproj" -c Release -p:ArtifactsPath="$art" -v q -nologo >&2
mkdir -p "$out"

work=$(mktemp -d /tmp/obs-cpu-profile-XXXXXX)
chown postgres "$work"
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
pgport=$(free_port)
api_pid=""
cleanup() {
  [ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
runuser -u postgres -- "$pgbin/initdb" -D "$work/data" -A trust -U postgres >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/data" -l "$work/pg.log" -w \
  -o "-p $pgport -c listen_addresses=127.0.0.1 -k $work -c fsync=off" start >/dev/null
runuser -u postgres -- "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" articles

summary="$out/summary.md"
{
  echo "| algorithm | requests/s | process CPU (/proc) | CPU in the profile | \`ValidateSignature\` (cum) | share |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
} > "$summary"
for alg in ${BENCH_ALGS:-RS256 HS256}; do
  port=$(free_port); mport=$(free_port)
  # The sampling-rate variable must be set at process start (the runtime reads it once; see the profiler's README).
  env ConnectionStrings__Articles="Host=127.0.0.1;Port=$pgport;Database=articles;Username=postgres" \
    Articles__Jwt__Algorithm=$alg Articles__Jwt__HmacSecret=cpu-profile-demo-secret-of-at-least-32-bytes \
    DOTNET_EventPipeThreadSamplingRate=a ASPNETCORE_URLS="http://127.0.0.1:$port" \
    Observability__Management__Port=$mport Logging__LogLevel__Default=Warning \
    dotnet "$art/bin/Articles.Api/release/Articles.Api.dll" > "$work/api-$alg.log" 2>&1 &
  api_pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$api_pid" 2>/dev/null || { cat "$work/api-$alg.log" >&2; exit 1; }
    sleep 1
  done
  token=$(curl -fs -X POST "http://127.0.0.1:$port/auth/token" -H 'Content-Type: application/json' \
    -d '{"username":"user1","password":"articles-demo"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
  url="http://127.0.0.1:$port${BENCH_PATH:-/v2/articles/999999999}"
  echo "$alg: warm-up, then $seconds s of load with a CPU profile…" >&2
  BENCH_TOKEN=$token wrk -t1 -c16 -d5s -s "$root/bench/wrk/bench.lua" "$url" >/dev/null
  BENCH_TOKEN=$token wrk -t1 -c16 -d$((seconds + 3))s -s "$root/bench/wrk/bench.lua" "$url" > "$work/wrk-$alg.txt" &
  wrk_pid=$!
  sleep 1 # let the load reach steady state before the capture starts
  cpu0=$(cpu_seconds "$api_pid")
  curl -fs "http://127.0.0.1:$mport/debug/pprof/profile?seconds=$seconds&type=cpu" -o "$out/cpu-$alg.pb.gz"
  process_cpu=$(awk -v a="$cpu0" -v b="$(cpu_seconds "$api_pid")" 'BEGIN {printf "%.2fs", b - a}')
  wait "$wrk_pid"
  kill "$api_pid"; wait "$api_pid" 2>/dev/null || true; api_pid=""

  go tool pprof -top -cum -symbolize=none -nodecount=2000 "$out/cpu-$alg.pb.gz" > "$out/top-cum-$alg.txt" 2>/dev/null
  go tool pprof -top -symbolize=none -nodecount=25 "$out/cpu-$alg.pb.gz" > "$out/top-flat-$alg.txt" 2>/dev/null
  rate=$(grep -o 'Requests/sec: *[0-9.]*' "$work/wrk-$alg.txt" | grep -o '[0-9.]*$' || echo "?")
  total=$(grep -o 'of [^ ]* total' "$out/top-cum-$alg.txt" | awk '{print $2}')
  line=$(grep -m1 'JsonWebTokenHandler.ValidateSignature$' "$out/top-cum-$alg.txt" || true)
  cum=$(echo "$line" | awk '{print $4}'); share=$(echo "$line" | awk '{print $5}')
  echo "| $alg | $rate | $process_cpu | $total | ${cum:-0} | ${share:-0%} |" >> "$summary"
done
cat "$summary"
echo "profiles and pprof -top listings in $out" >&2
