#!/usr/bin/env bash
# The test command: installs what the tests need (Debian packages), builds everything and runs every test
# project of Observability.sln. The tests start their own PostgreSQL and Prometheus on loopback.
# Ends with one line of totals taken from the test results: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

bash scripts/install-deps.sh || exit 1

results=artifacts/test-results
rm -rf "$results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Warnings are errors through Directory.Build.props, which exempts NU1603 (the served feed lacks some exact
# transitive versions of prometheus-net's dependencies); -warnaserror here would undo that exemption.
dotnet build Observability.sln -c Release || exit 1
# One test project at a time, each with its own named TRX: no two result files can collide, and a project whose
# test host dies without writing results is a failure of its own.
status=0
projects=$(dotnet sln Observability.sln list | grep -E '^tests/.*\.Tests\.csproj$')
[ -n "$projects" ] || { echo "no test projects in Observability.sln" >&2; exit 1; }
for project in $projects; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results" \
    -- RunConfiguration.TestSessionTimeout=3000000 || status=1
  [ -f "$results/$name.trx" ] || { echo "$name: no test results written" >&2; status=1; }
done
bash scripts/test-totals.sh "$results"
totals=$?
[ $status -eq 0 ] && [ $totals -eq 0 ]
