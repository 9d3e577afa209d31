#!/usr/bin/env bash
# Run test suites (executables or scripts) one after the other and summarise. A suite that exits
# 77 was skipped for a missing kernel feature or privilege and says why; it never counts as
# passed. The closing line is "tests: N passed, N failed, N skipped".
set -u
passed=0 failed=0 skipped=0 failures=()
for suite in "$@"; do
	name=${suite##*/}
	echo "=== $name"
	start=$SECONDS
	"$suite"
	rc=$?
	case $rc in
	0) passed=$((passed + 1)); verdict=PASS ;;
	77) skipped=$((skipped + 1)); verdict=SKIP ;;
	*) failed=$((failed + 1)); failures+=("$name"); verdict="FAIL (exit $rc)" ;;
	esac
	echo "=== $name: $verdict in $((SECONDS - start)) s"
done
[ ${#failures[@]} -eq 0 ] || echo "failed suites: ${failures[*]}"
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
