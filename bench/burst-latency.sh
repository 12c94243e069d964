#!/usr/bin/env bash
# Tail latency inside and outside the profiler's bursts (see bench/RESULTS.md, "Bursts and p99"): the one-line app
# at a fixed rate (open loop), each request placed against the session windows the app logs, and the p99 predicted
# for lower shares of time in bursts. Variants run one after another in fresh processes, rotated each round.
#   bench/burst-latency.sh [--rounds 3] [--seconds 60] [--rate 1500] [--path /orders] [--warmup 10] [--variant name:K=V,K=V]…
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
art=${BENCH_ARTIFACTS:-/tmp/art-bench-profiler}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
echo "building tests/OneLineApp and bench/BurstLatency (Release) into $art…" >&2
dotnet build "$root/tests/OneLineApp/OneLineApp.csproj" -c Release -p:ArtifactsPath="$art" -v q -nologo >&2
dotnet build "$root/bench/BurstLatency/BurstLatency.csproj" -c Release -p:ArtifactsPath="$art" -v q -nologo >&2
exec dotnet "$art/bin/BurstLatency/release/BurstLatency.dll" --app "$art/bin/OneLineApp/release/OneLineApp.dll" "$@"
