#!/usr/bin/env bash
# Differential fuzzing, the deterministic pass of `make check` (tests/fuzz/): every seed of the
# checked-in corpus, then seeded generated programs until at least 100 000 frames have run through
# the loaded XDP program (BPF_PROG_TEST_RUN) and the reference model, with zero mismatches. Then the
# self-test: a build whose reference has one deliberate mistake must report a mismatch, or the
# comparison is not looking. Needs root (BPF_PROG_TEST_RUN); skips with 77 otherwise.
set -u
# shellcheck source=../lib/assert.sh
. "$(dirname "$0")/../lib/assert.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$here/build}
replay=$build/tests/fuzz_replay
mutant=$build/tests/fuzz_replay_mutant

require_root "BPF_PROG_TEST_RUN needs root"
for b in "$replay" "$mutant"; do
	[ -x "$b" ] || die "$b is not built (make test-build)"
done
test_tmpdir save fuzz

"$replay" --corpus "$here/tests/fuzz/corpus" --frames "${FUZZ_FRAMES:-100000}" --seed 1 --save "$save"
rc=$?
if [ $rc -ne 0 ]; then
	# keep the mismatching programs where the developer can run them again
	mkdir -p "$build/fuzz" && cp "$save"/*.bin "$build/fuzz/" 2>/dev/null
	die "fuzz_replay exit $rc; mismatching programs (if any) copied to $build/fuzz/"
fi
"$mutant" --expect-mismatch --frames 20000 --seed 1 >"$save/mutant.log" 2>&1
rc=$?
tail -n 1 "$save/mutant.log"
if [ $rc -ne 0 ]; then
	die "the self-test's deliberately wrong reference was not caught"
fi
echo "PASS: 0 mismatches; the deliberate mistake of the self-test was caught"
