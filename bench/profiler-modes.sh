#!/usr/bin/env bash
# The profiler's cost by mode, side by side in one run (see bench/RESULTS.md, "Profiler modes"):
# the one-line app (tests/OneLineApp) plain, and with the kit in auto without the variable, auto with it,
# continuous with it, and the profiler off. Interleaved rounds of wrk at saturation on GET /, then paced load at
# half of the plain variant's saturation for p50/p99. Variants not under load are paused (SIGSTOP).
#   bench/profiler-modes.sh [rounds=3] [seconds=10]
# BENCH_SET=perf compares the CPU samplers instead: plain, perf events per thread and CPU-wide (EventPipe's wall bursts
# moved to a 1 h period, so they stay out of the measured seconds; CPU-wide needs root or CAP_PERFMON), EventPipe
# bursts (the fallback, default settings) and the profiler off.
# BENCH_PATH (default /, an empty endpoint; /orders is the realistic one: an RS256 signature check and a JSON list).
# Requests carry no k6 test id: this is steady production (auto = bursts), not a load-test window.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
art=${BENCH_ARTIFACTS:-/tmp/art-bench-profiler}
rounds=${1:-3}
seconds=${2:-10}
connections=${CONNECTIONS:-16}
path=${BENCH_PATH:-/}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "building tests/OneLineApp (Release) into $art…" >&2
dotnet build "$root/tests/OneLineApp/OneLineApp.csproj" -c Release -p:ArtifactsPath="$art" -v q -nologo >&2
dll="$art/bin/OneLineApp/release/OneLineApp.dll"

if [ "${BENCH_SET:-modes}" = perf ]; then
  names=(plain perf perf-cpu-wide eventpipe off)
  envs=(
    "Observability__Enabled=false"
    "Observability__Profiling__CpuSampler=perf Observability__Profiling__BurstPeriod=01:00:00"
    "Observability__Profiling__CpuSampler=perf-cpu-wide Observability__Profiling__BurstPeriod=01:00:00"
    "Observability__Profiling__CpuSampler=eventpipe"
    "Observability__Profiling__Mode=off"
  )
else
  names=(plain auto-novar auto-var continuous-var off)
  envs=(
    "Observability__Enabled=false"
    "Observability__Profiling__CpuSampler=eventpipe Observability__Profiling__Mode=auto"
    "Observability__Profiling__CpuSampler=eventpipe Observability__Profiling__Mode=auto DOTNET_EventPipeThreadSamplingRate=a"
    "Observability__Profiling__CpuSampler=eventpipe Observability__Profiling__Mode=continuous DOTNET_EventPipeThreadSamplingRate=a"
    "Observability__Profiling__Mode=off"
  )
fi
off=$((${#names[@]} - 1))
pids=()
logs=$(mktemp -d)
cleanup() { for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for i in "${!names[@]}"; do
  port=$((5601 + i)); mport=$((9601 + i))
  # env -u: the parent's variable must not leak into the variants that run without it.
  env -u DOTNET_EventPipeThreadSamplingRate ASPNETCORE_URLS="http://127.0.0.1:$port" Observability__Management__Port=$mport \
    Observability__Management__Address=127.0.0.1 OTEL_SERVICE_NAME="bench-${names[$i]}" Logging__LogLevel__Default=Warning \
    ${envs[$i]} dotnet "$dll" >"$logs/${names[$i]}.log" 2>&1 &
  pids+=($!)
done
for i in "${!names[@]}"; do
  for _ in $(seq 1 120); do curl -fs "http://127.0.0.1:$((5601 + i))/" >/dev/null && break; sleep 0.5; done
done
for p in "${pids[@]}"; do kill -STOP "$p"; done

cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$1/stat"; }
# wrk --latency: requests/s and the 50 % / 99 % latencies in ms.
parse() {
  awk '/Requests\/sec/ {rps=$2}
       function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
       $1 == "50%" {p50=ms($2)} $1 == "99%" {p99=ms($2)}
       END {printf "%s %.3f %.3f\n", rps, p50, p99}'
}
declare -A rps p50 p99 cpu
run() { # variant index, round, mode (sat|half), extra wrk args…
  local i=$1 r=$2 mode=$3; shift 3
  local pid=${pids[$i]} url="http://127.0.0.1:$((5601 + i))$path"
  kill -CONT "$pid"
  wrk -t1 -c"$connections" -d2s "$url" >/dev/null 2>&1 || true
  local c0; c0=$(cpu_seconds "$pid")
  local out; out=$(wrk --latency -t1 -d"${seconds}s" "$@" "$url" | parse)
  local c1; c1=$(cpu_seconds "$pid")
  kill -STOP "$pid"
  read -r a b c <<<"$out"
  rps[$mode,$i,$r]=$a; p50[$mode,$i,$r]=$b; p99[$mode,$i,$r]=$c
  cpu[$mode,$i,$r]=$(awk -v x="$c0" -v y="$c1" -v s="$seconds" 'BEGIN {printf "%.2f", (y - x) / s}')
  echo "$mode round $r ${names[$i]}: $a req/s p50 $b ms p99 $c ms cpu ${cpu[$mode,$i,$r]} cores" >&2
}
order() { # rotate the variant order each round so drift does not favour one
  local r=$1 n=${#names[@]}
  for k in $(seq 0 $((n - 1))); do echo $(((k + r) % n)); done
}
for r in $(seq 1 "$rounds"); do for i in $(order "$r"); do run "$i" "$r" sat -c"$connections"; done; done
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
plain_rps=$(for r in $(seq 1 "$rounds"); do echo "${rps[sat,0,$r]}"; done | median)
rate=$(awk -v x="$plain_rps" 'BEGIN {printf "%d", x / 2}')
half_conns=$(awk -v x="$rate" 'BEGIN {c = int(x / 200) + 1; print c}')
pace=$(awk -v c="$half_conns" -v x="$rate" 'BEGIN {printf "%d", c * 1000 / x}')
for r in $(seq 1 "$rounds"); do for i in $(order "$r"); do PACE_MS=$pace run "$i" "$r" half -c"$half_conns" -s "$root/bench/wrk/paced.lua"; done; done

echo
echo "One-line app, GET $path, $rounds interleaved rounds of ${seconds} s, wrk -c$connections at saturation;"
echo "paced load at about half of plain's saturation ($rate req/s target: $half_conns connections, ${pace} ms pace). $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| variant | req/s (median) | vs plain | vs off | server CPU at saturation (cores) | half: req/s | half: p50 ms | half: p99 ms (median) | half: p99 per round |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
off_rps=$(for r in $(seq 1 "$rounds"); do echo "${rps[sat,$off,$r]}"; done | median)
for i in "${!names[@]}"; do
  m=$(for r in $(seq 1 "$rounds"); do echo "${rps[sat,$i,$r]}"; done | median)
  c=$(for r in $(seq 1 "$rounds"); do echo "${cpu[sat,$i,$r]}"; done | median)
  hr=$(for r in $(seq 1 "$rounds"); do echo "${rps[half,$i,$r]}"; done | median)
  h50=$(for r in $(seq 1 "$rounds"); do echo "${p50[half,$i,$r]}"; done | median)
  h99=$(for r in $(seq 1 "$rounds"); do echo "${p99[half,$i,$r]}"; done | median)
  all99=$(for r in $(seq 1 "$rounds"); do printf "%s " "${p99[half,$i,$r]}"; done)
  printf "| %s | %.0f | %.3f | %.3f | %s | %.0f | %s | %s | %s|\n" "${names[$i]}" "$m" "$(awk -v a="$m" -v b="$plain_rps" 'BEGIN {print a / b}')" \
    "$(awk -v a="$m" -v b="$off_rps" 'BEGIN {print a / b}')" "$c" "$hr" "$h50" "$h99" "$all99"
done
