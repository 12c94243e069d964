#!/usr/bin/env bash
# Packs what a user adds to a service: Observability.Hosting and the Observability.Profiling it depends on (and
# Observability.Reports, the report tool's library), all of one version, into artifacts/packages (or the folder given).
# The version comes from the repository: VersionPrefix (Directory.Build.props), then "-dev.<commits on HEAD>", and
# ".local.<UTC time>" when the tree has uncommitted changes. Two builds never share a version, so the NuGet cache
# never answers a restore with an older build of the same number. Prints the version as its last line.
#   scripts/pack.sh [output folder]     (PACK_ARTIFACTS=dir builds there instead of artifacts/, as the tests do)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/artifacts/packages}
mkdir -p "$out"
count=$(git -C "$root" rev-list --count HEAD 2>/dev/null || echo 0)
suffix="dev.$count"
if [ -n "$(git -C "$root" status --porcelain 2>/dev/null)" ]; then suffix="$suffix.local.$(date -u +%Y%m%d%H%M%S)"; fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
build=()
if [ -n "${PACK_ARTIFACTS:-}" ]; then build=(-p:ArtifactsPath="$PACK_ARTIFACTS"); fi
for project in Observability.Profiling Observability.Hosting Observability.Reports; do
  # -p:VersionSuffix reaches the project references too, so Hosting's dependency names Profiling's same version.
  dotnet pack "$root/src/$project/$project.csproj" -c Release -o "$out" -p:VersionSuffix="$suffix" "${build[@]}" -v q -nologo >&2
done
prefix=$(dotnet msbuild "$root/src/Observability.Hosting/Observability.Hosting.csproj" -getProperty:VersionPrefix -nologo)
echo "$prefix-$suffix"
