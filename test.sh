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
dotnet test Observability.sln -c Release --no-build \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$results" \
  -- RunConfiguration.TestSessionTimeout=3000000
status=$?
bash scripts/test-totals.sh "$results"
totals=$?
[ $status -eq 0 ] && [ $totals -eq 0 ]
