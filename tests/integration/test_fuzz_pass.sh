#!/usr/bin/env bash
# Differential fuzzing, the deterministic pass of `make check` (tests/fuzz/): every seed of the
# checked-in corpus, then seeded generated programs until at least 100 000 frames have run through
# the loaded XDP program (BPF_PROG_TEST_RUN) and the reference model, with zero mismatches; every
# MDP3, NYSE XDP and PITCH frame the program delivers also goes through libfeedsieve's decoder
# (with the program's metadata, and without), whose messages (and MDP3 entries) must be what the
# reference says. Then the self-tests: a build whose reference has one deliberate mistake, and
# one per protocol whose consumer decoder has one (MDP3, NYSE XDP, PITCH), must each report a
# mismatch, the consumer's on frames of its protocol, or the comparison is not looking. Needs
# root (BPF_PROG_TEST_RUN); skips with 77 otherwise.
set -u
# shellcheck source=../lib/assert.sh
. "$(dirname "$0")/../lib/assert.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-$here/build}
replay=$build/tests/fuzz_replay
mutant=$build/tests/fuzz_replay_mutant
consumer_mutant=$build/tests/fuzz_replay_consumer_mutant

require_root "BPF_PROG_TEST_RUN needs root"
for b in "$replay" "$mutant" "$consumer_mutant" "${consumer_mutant}_nyse" "${consumer_mutant}_pitch"; do
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
"$consumer_mutant" --expect-mismatch --frames 20000 --seed 1 >"$save/consumer_mutant.log" 2>&1
rc=$?
tail -n 1 "$save/consumer_mutant.log"
if [ $rc -ne 0 ]; then
	die "the self-test's deliberately wrong consumer decoder was not caught"
fi
grep -q "^  library " "$save/consumer_mutant.log" ||
	die "the consumer self-test's mismatch was not the library's"
for p in nyse:"NYSE XDP" pitch:PITCH; do
	suffix=${p%%:*} name=${p#*:}
	"${consumer_mutant}_$suffix" --expect-mismatch --frames 20000 --seed 1 \
		>"$save/consumer_mutant_$suffix.log" 2>&1
	rc=$?
	tail -n 1 "$save/consumer_mutant_$suffix.log"
	[ $rc -eq 0 ] || die "the deliberately wrong $name consumer decoder was not caught"
	# caught by the library comparison, on a frame of its own protocol
	grep -Eq "decoded the delivered $name frames .* [1-9][0-9]* frames differing" \
		"$save/consumer_mutant_$suffix.log" ||
		die "the $name consumer self-test's mismatch was not the library's on $name frames"
done
echo "PASS: 0 mismatches; the deliberate mistakes of every self-test were caught"
