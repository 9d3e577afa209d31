# shellcheck shell=bash
# Assertions for feedsieve's test scripts: one meaning of each word, whatever the script.
#
#   . "$here/../lib/test.sh"           (sources this file with the others)
#   ok [MSG]                           count a passed check; print "ok: MSG" when MSG is given
#   fail MSG                           count a failed check, print "FAIL: MSG", and go on
#   die MSG                            fail MSG and stop the script now (exit 1)
#   expect_eq GOT WANT DESC            fail "DESC: got 'GOT', want 'WANT'" unless equal
#   expect_error_line RC PATTERN DESC -- CMD...
#                                      CMD exits RC, writes exactly one line on stderr, that
#                                      line matches PATTERN (grep BRE), and test_state prints
#                                      the same before and after (the command changed nothing)
#   skip MSG                           print "SKIP: MSG" on stderr and exit 77 (not passed)
#   require_root / require_cmd TOOL... skip unless root / unless every TOOL is installed
#   test_tmpdir VAR NAME               VAR=a new /tmp/feedsieve-NAME.XXXXXX, removed at exit
#                                      (kept when KEEP_TMP=1, to look at after a failure)
#   test_on_exit FUNC                  run FUNC at exit (last registered runs first)
#   finish NAME                        print "NAME: P passed, F failed"; exit 1 on any failure
#
# At exit, a script that counted a failure exits 1 even if its last command succeeded, so a
# forgotten 'finish' cannot turn failures into a pass.
#
# test_state is the state expect_error_line compares; counters.sh defines the usual one (live_state);
# a script that must compare more redefines test_state after sourcing.

TEST_PASSED=0
TEST_FAILED=0
# A fail in a subshell (inside $(...), ( ... ) or a piped loop) cannot raise the script's count:
# it leaves a line in this file, which finish and the exit handler add in.
TEST_MAIN_PID=$$
TEST_SUBSHELL_FAILS=/tmp/feedsieve-fails.$$
TEST_TMPDIRS=()
TEST_EXIT_HOOKS=()

# shellcheck disable=SC2120 # MSG is optional
ok() {
	TEST_PASSED=$((TEST_PASSED + 1))
	[ $# -eq 0 ] || echo "ok: $*"
}

fail() {
	echo "FAIL: $*"
	TEST_FAILED=$((TEST_FAILED + 1))
	[ "$BASHPID" = "$TEST_MAIN_PID" ] || echo "$*" >>"$TEST_SUBSHELL_FAILS"
}

# Failures counted so far, those of subshells included, into TEST_ALL_FAILED (in the script's
# own shell: a $(...) around it would be a subshell itself).
test_failures() {
	local sub=0
	[ ! -f "$TEST_SUBSHELL_FAILS" ] || sub=$(grep -c '' "$TEST_SUBSHELL_FAILS")
	TEST_ALL_FAILED=$((TEST_FAILED + sub))
}

die() {
	fail "$@"
	exit 1
}

expect_eq() {
	if [ "$1" = "$2" ]; then ok; else fail "$3: got '$1', want '$2'"; fi
}

expect_error_line() {
	local want=$1 pattern=$2 desc=$3 before after err rc lines
	shift 4
	# The state may be that the interface is not attached: then the commands' error lines are
	# the state. Nothing at all would make the comparison empty, so that stops the test.
	before=$(test_state 2>&1)
	[ -n "$before" ] || die "$desc: cannot read the state before"
	# '&& rc=0 || rc=$?': under 'set -e' a plain assignment of the failing command (the
	# expected outcome) would end the script here.
	err=$("$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	after=$(test_state 2>&1)
	[ -n "$after" ] || die "$desc: cannot read the state after"
	lines=$(printf '%s' "$err" | grep -c '')
	if [ "$rc" -ne "$want" ]; then
		fail "$desc: exit $rc, want $want ($err)"
	elif [ "$lines" -ne 1 ]; then
		fail "$desc: $lines stderr lines, want 1: $err"
	elif ! grep -q -- "$pattern" <<<"$err"; then
		fail "$desc: stderr '$err' lacks '$pattern'"
	elif [ "$before" != "$after" ]; then
		fail "$desc: state changed"
		diff <(echo "$before") <(echo "$after") | head -5
	else
		ok
	fi
}

skip() {
	echo "SKIP: $*" >&2
	exit 77
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "${1:-network namespaces, XDP and AF_XDP need root}"
}

require_cmd() {
	local tool
	for tool in "$@"; do
		command -v "$tool" >/dev/null || skip "$tool is missing (make deps)"
	done
}

test_on_exit() {
	TEST_EXIT_HOOKS=("$1" "${TEST_EXIT_HOOKS[@]}")
}

test_tmpdir() {
	local dir
	dir=$(mktemp -d "/tmp/feedsieve-$2.XXXXXX") || die "mktemp"
	TEST_TMPDIRS+=("$dir")
	printf -v "$1" '%s' "$dir"
}

finish() {
	test_failures
	echo "$1: $TEST_PASSED passed, $TEST_ALL_FAILED failed"
	[ "$TEST_ALL_FAILED" -eq 0 ] || exit 1
	exit 0
}

test_exit() {
	local rc=$? hook
	set +e
	for hook in "${TEST_EXIT_HOOKS[@]}"; do
		(exit "$rc")
		"$hook"
	done
	[ -n "${KEEP_TMP:-}" ] || [ ${#TEST_TMPDIRS[@]} -eq 0 ] || rm -rf "${TEST_TMPDIRS[@]}"
	test_failures
	[ "$rc" -ne 0 ] || [ "$TEST_ALL_FAILED" -eq 0 ] || rc=1
	rm -f "$TEST_SUBSHELL_FAILS"
	exit "$rc"
}
trap test_exit EXIT
