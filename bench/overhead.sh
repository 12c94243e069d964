#!/usr/bin/env bash
# Overhead benchmark of the observability kit (see bench/README.md).
#   bench/overhead.sh                     side by side: plain vs full, GET /v2/articles and an empty endpoint
#   bench/overhead.sh --soak-minutes 30   soak: the full variant under steady load, RSS over time
# Any other option goes to the runner (bench/Overhead/BenchOptions.cs). Needs wrk and PostgreSQL
# (scripts/install-deps.sh installs both). Not part of CI: it takes minutes and wants a quiet machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
art=${BENCH_ARTIFACTS:-/tmp/art-bench-release}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk (or run scripts/install-deps.sh)" >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "building Articles.Api and the runner (Release) into $art…" >&2
dotnet build "$root/src/Articles.Api/Articles.Api.csproj" -c Release -p:ArtifactsPath="$art" -v q -nologo >&2
dotnet build "$root/bench/Overhead/Overhead.csproj" -c Release -p:ArtifactsPath="$art" -v q -nologo >&2

cd "$root"
exec dotnet "$art/bin/Overhead/release/Overhead.dll" --api-dll "$art/bin/Articles.Api/release/Articles.Api.dll" "$@"
