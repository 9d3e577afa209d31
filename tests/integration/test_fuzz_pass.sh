#!/usr/bin/env bash
# Differential fuzzing, the deterministic pass of `make check` (tests/fuzz/): every seed of the
# checked-in corpus, then seeded generated programs until at least 100 000 frames have run through
# the loaded XDP program (BPF_PROG_TEST_RUN) and the reference model, with zero mismatches. Then the
# self-test: a build whose reference has one deliberate mistake must report a mismatch, or the
# comparison is not looking. Needs root (BPF_PROG_TEST_RUN); skips with 77 otherwise.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$here/build}
replay=$build/tests/fuzz_replay
mutant=$build/tests/fuzz_replay_mutant
save=$(mktemp -d)
trap 'rm -rf "$save"' EXIT

if [ "$(id -u)" -ne 0 ]; then
	echo "SKIPPED: BPF_PROG_TEST_RUN needs root" >&2
	exit 77
fi
for b in "$replay" "$mutant"; do
	[ -x "$b" ] || { echo "FAIL: $b is not built (make test-build)" >&2; exit 1; }
done

"$replay" --corpus "$here/tests/fuzz/corpus" --frames "${FUZZ_FRAMES:-100000}" --seed 1 --save "$save"
rc=$?
if [ $rc -ne 0 ]; then
	# keep the mismatching programs where the developer can run them again
	mkdir -p "$build/fuzz" && cp "$save"/*.bin "$build/fuzz/" 2>/dev/null
	echo "FAIL: fuzz_replay exit $rc; mismatching programs (if any) copied to $build/fuzz/" >&2
	exit 1
fi
"$mutant" --expect-mismatch --frames 20000 --seed 1 >"$save/mutant.log" 2>&1
rc=$?
tail -n 1 "$save/mutant.log"
if [ $rc -ne 0 ]; then
	echo "FAIL: the self-test's deliberately wrong reference was not caught" >&2
	exit 1
fi
echo "PASS: 0 mismatches; the deliberate mistake of the self-test was caught"
