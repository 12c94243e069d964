#!/usr/bin/env bash
# Sums the counters of every TRX file under a folder and prints one line: "N passed, N failed, N skipped".
# Exits non-zero when nothing ran or something failed, so a run with zero tests can never look green.
set -euo pipefail
dir=${1:?usage: test-totals.sh RESULTS_DIR}
passed=0 failed=0 skipped=0 files=0
while IFS= read -r -d '' trx; do
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); executed=$(get executed); p=$(get passed)
  f=$(( $(get failed) + $(get error) + $(get timeout) + $(get aborted) ))
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + total - executed))
  # Name each failed test so a red run says what to look at even when only the log's tail survives.
  grep -o '<UnitTestResult [^>]*outcome="\(Failed\|Error\|Timeout\|Aborted\)"[^>]*>' "$trx" \
    | grep -o 'testName="[^"]*"' | sed 's/^testName="\(.*\)"$/FAILED: \1/' >&2 || true
done < <(find "$dir" -name '*.trx' -print0)
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$files" -eq 0 ] || [ $((passed + failed)) -eq 0 ]; then
  echo "test-totals: no test results found in $dir" >&2
  exit 1
fi
[ "$failed" -eq 0 ]
