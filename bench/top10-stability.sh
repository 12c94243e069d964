#!/usr/bin/env bash
# Is a top-10 of frames stable at the number of CPU samples a busy service gets from the default bursts? The
# one-line app under load on GET /orders, a 30 s reference profile, then single bursts' worth of profile (1 s without
# the variable, 2 s with it: the default burst lengths) taken one after another; each burst alone, and bursts added
# up in threes and in fives, against the reference's top-10 of self CPU time (`go tool pprof -top`). See bench/RESULTS.md.
#   bench/top10-stability.sh [bursts=15]        Needs wrk, go and curl.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
art=${BENCH_ARTIFACTS:-/tmp/art-bench-profiler}
bursts=${1:-15}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
for tool in wrk go curl; do command -v $tool >/dev/null || { echo "$tool not found" >&2; exit 1; }; done
dotnet build "$root/tests/OneLineApp/OneLineApp.csproj" -c Release -p:ArtifactsPath="$art" -v q -nologo >&2
dll="$art/bin/OneLineApp/release/OneLineApp.dll"
work=$(mktemp -d /tmp/obs-top10-XXXXXX)
pid=""; load=""
cleanup() { [ -n "$load" ] && kill "$load" 2>/dev/null; [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# The ten heaviest functions by self time, one per line (pprof's -top columns: flat flat% sum% cum cum% name…).
top10() { go tool pprof -top -nodecount=10 "$@" 2>/dev/null | awk 'f {$1=$2=$3=$4=$5=""; sub(/^ +/, ""); print} /^ *flat +flat%/ {f=1}'; }
overlap() { comm -12 <(sort "$1") <(sort "$2") | wc -l; }
# CPU time in a profile: the "… of 1.23s total" in pprof's header.
total_seconds() { go tool pprof -top -nodecount=1 "$@" 2>/dev/null | awk '/ total$/ {print $(NF - 1); exit}'; }

echo "| runtime rate | burst | profile | CPU in it | top-10 shared with the reference (of 10): min / median / max over the draws |"
echo "| --- | ---: | --- | ---: | --- |"
references=""
for variant in novar var; do
  if [ $variant = var ]; then rate_env="DOTNET_EventPipeThreadSamplingRate=a"; burst=2; label="10 ms (\`a\`)"; else rate_env=""; burst=1; label="1 ms (no variable)"; fi
  # Scheduled bursts an hour apart: every sample here comes from the captures below.
  env -u DOTNET_EventPipeThreadSamplingRate $rate_env ASPNETCORE_URLS=http://127.0.0.1:5731 Observability__Management__Port=9731 \
    Observability__Management__Address=127.0.0.1 Observability__Profiling__BurstPeriod=01:00:00 Observability__Profiling__CpuSampler=eventpipe Logging__LogLevel__Default=Warning \
    dotnet "$dll" > "$work/app-$variant.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do curl -fs http://127.0.0.1:5731/ >/dev/null && break; sleep 0.5; done
  wrk -t1 -c16 -d$((60 + bursts * (burst + 2) + 30))s http://127.0.0.1:5731/orders >/dev/null 2>&1 & load=$!
  sleep 10 # warm-up: JIT, tiered compilation
  curl -fsS -o "$work/$variant-ref.pb.gz" "http://127.0.0.1:9731/debug/pprof/profile?seconds=30&type=cpu"
  for b in $(seq 1 "$bursts"); do
    curl -fsS -o "$work/$variant-$b.pb.gz" "http://127.0.0.1:9731/debug/pprof/profile?seconds=$burst&type=cpu"
  done
  kill $load; kill $pid; wait 2>/dev/null || true; load=""; pid=""
  top10 "$work/$variant-ref.pb.gz" > "$work/ref.txt"
  echo "| $label | $burst s | reference (30 s) | $(total_seconds "$work/$variant-ref.pb.gz") | 10 |"
  references+="- $label, the reference's top-10 by self time: $(paste -sd';' "$work/ref.txt" | sed 's/;/, /g')"$'\n'
  for group in 1 3 5; do
    scores=(); cpu=""
    for start in $(seq 1 "$group" $((bursts - group + 1))); do
      files=(); for k in $(seq "$start" $((start + group - 1))); do files+=("$work/$variant-$k.pb.gz"); done
      top10 "${files[@]}" > "$work/draw.txt"
      scores+=("$(overlap "$work/ref.txt" "$work/draw.txt")")
      [ -z "$cpu" ] && cpu=$(total_seconds "${files[@]}")
    done
    sorted=($(printf '%s\n' "${scores[@]}" | sort -n))
    n=${#sorted[@]}
    echo "| $label | $burst s | $group burst(s) added up ($n draws) | $cpu | ${sorted[0]} / ${sorted[$((n / 2))]} / ${sorted[$((n - 1))]} |"
  done
done
echo
printf "%s" "$references"
