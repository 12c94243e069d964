#!/usr/bin/env bash
# The two CPU samplers on the same load, side by side: the one-line app under wrk on GET /orders (an RS256 check and a
# JSON list), a 60 s CPU profile from perf events (the production default) and a 60 s profile from EventPipe sampling
# continuously at 10 ms (the variable set), each app alone on the machine in turn. Prints both top-10 lists by self
# time (`go tool pprof -top`), which frames differ, and where the samples' leaves are. See bench/RESULTS.md.
#   bench/top10-samplers.sh [seconds=60]        Needs wrk, go and curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
art=${BENCH_ARTIFACTS:-/tmp/art-bench-profiler}
seconds=${1:-60}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for tool in wrk go curl; do command -v $tool >/dev/null || { echo "$tool not found" >&2; exit 1; }; done
dotnet build "$root/tests/OneLineApp/OneLineApp.csproj" -c Release -p:ArtifactsPath="$art" -v q -nologo >&2
dll="$art/bin/OneLineApp/release/OneLineApp.dll"
work=$(mktemp -d /tmp/obs-samplers-XXXXXX)
pid=""; load=""
cleanup() { [ -n "$load" ] && kill "$load" 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
top10() { go tool pprof -top -nodecount=10 "$@" 2>/dev/null | awk 'f {name=$6; for (i = 7; i <= NF; i++) name = name " " $i; printf "%s\t%s\n", $2, name} /^ *flat +flat%/ {f=1}'; }
total_seconds() { go tool pprof -top -nodecount=1 "$@" 2>/dev/null | awk '/ total$/ {print $(NF - 1); exit}'; }

for variant in perf eventpipe; do
  if [ $variant = perf ]; then extra="Observability__Profiling__CpuSampler=perf Observability__Profiling__BurstPeriod=01:00:00"
  else extra="Observability__Profiling__CpuSampler=eventpipe Observability__Profiling__Mode=continuous DOTNET_EventPipeThreadSamplingRate=a"; fi
  env -u DOTNET_EventPipeThreadSamplingRate $extra ASPNETCORE_URLS=http://127.0.0.1:5741 Observability__Management__Port=9741 \
    Observability__Management__Address=127.0.0.1 Logging__LogLevel__Default=Warning dotnet "$dll" > "$work/app-$variant.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -fs http://127.0.0.1:5741/ >/dev/null && break; sleep 0.5; done
  wrk -t1 -c16 -d$((seconds + 25))s http://127.0.0.1:5741/orders >/dev/null 2>&1 & load=$!
  sleep 15 # warm-up: JIT, tiered compilation
  curl -fsS -o "$work/$variant.pb.gz" "http://127.0.0.1:9741/debug/pprof/profile?seconds=$seconds&type=cpu"
  kill $load; kill $pid; wait 2>/dev/null || true; load=""; pid=""
  top10 "$work/$variant.pb.gz" > "$work/$variant.txt"
done

echo "One-line app, GET /orders under wrk -c16, ${seconds} s CPU profile each, $(nproc) cores."
echo
echo "| rank | perf events (production default) | self % | EventPipe continuous, 10 ms | self % |"
echo "| ---: | --- | ---: | --- | ---: |"
paste "$work/perf.txt" "$work/eventpipe.txt" | awk -F'\t' '{printf "| %d | %s | %s | %s | %s |\n", NR, $2, $1, $4, $3}'
echo
echo "CPU in the profiles: perf $(total_seconds "$work/perf.pb.gz"), EventPipe $(total_seconds "$work/eventpipe.pb.gz")."
cut -f2 "$work/perf.txt" | sort > "$work/p"; cut -f2 "$work/eventpipe.txt" | sort > "$work/e"
echo "Only in perf's top-10: $(comm -23 "$work/p" "$work/e" | paste -sd';' | sed 's/;/; /g')"
echo "Only in EventPipe's top-10: $(comm -13 "$work/p" "$work/e" | paste -sd';' | sed 's/;/; /g')"
