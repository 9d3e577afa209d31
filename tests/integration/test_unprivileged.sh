#!/usr/bin/env bash
# Every suite run as the user nobody (no capabilities, no supplementary groups): the pure ones
# (unit tests of logic) must pass, the privileged ones (BPF fixtures, namespace scripts) must exit
# 77 with a "SKIP:" line saying why, never 0 having run nothing and never 1. None may leave a
# file, a namespace or a pin behind. The lists are the ones make test gives run.sh (tests.mk:
# FS_PURE_SUITES, FS_PRIVILEGED_SUITES); run alone, this script asks make for them.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

require_root "running suites as another user needs root"
require_cmd setpriv
if [ -z "${FS_PURE_SUITES:-}${FS_PRIVILEGED_SUITES:-}" ]; then
	{ read -r FS_PURE_SUITES && read -r FS_PRIVILEGED_SUITES; } < <(make -s -C "$top" print-suites)
fi
read -ra pure <<<"${FS_PURE_SUITES:-}"
read -ra privileged <<<"${FS_PRIVILEGED_SUITES:-}"
[ ${#pure[@]} -gt 0 ] && [ ${#privileged[@]} -gt 0 ] || die "no suites to run (make print-suites)"

# nobody must be able to read the tree and the build; where it cannot, it runs a readable copy.
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
tree=$top
if ! as_nobody test -r "$top/tests/lib/test.sh" -a -x "$top/build/feedsieve"; then
	test_tmpdir tree tree
	tar -C "$top" --exclude=.git -cf - . | tar -C "$tree" -xf - && chmod -R a+rX "$tree" ||
		die "cannot make a readable copy of the tree"
fi

# What an unprivileged run could leave behind: files, named namespaces and pins of nobody's.
# (Only nobody's: other tests running on the machine meanwhile make and remove their own.)
leftovers() {
	find /tmp /var/tmp /dev/shm /run/netns /sys/fs/bpf -xdev -user nobody 2>/dev/null | sort
}

# run SUITE WANT: SUITE as nobody, from the tree's top, exits WANT (77: with a SKIP line).
run() {
	local suite=$1 want=$2 before after rc root_rc
	before=$(leftovers)
	(cd "$tree" && as_nobody env -i PATH="$PATH" HOME=/nonexistent timeout 300 "./$suite") \
		>"$TEST_OUT/out" 2>"$TEST_OUT/err"
	rc=$?
	after=$(leftovers)
	# A pure suite may skip for want of an input no privilege gives (a third-party dissector
	# named by an environment variable): then it skips as root too, in the same bare
	# environment, and that is what nobody must do.
	if [ "$want" -eq 0 ] && [ "$rc" -eq 77 ] && grep -q '^SKIP: ' "$TEST_OUT/err"; then
		root_rc=0
		(cd "$tree" && env -i PATH="$PATH" HOME=/nonexistent timeout 300 "./$suite") \
			>/dev/null 2>&1 || root_rc=$?
		[ "$root_rc" -ne 77 ] || want=77
	fi
	if [ "$rc" -ne "$want" ]; then
		fail "$suite as nobody: exit $rc, want $want: $(tail -n 2 "$TEST_OUT/err" | tr '\n' ' ')"
	elif [ "$want" -eq 77 ] && ! grep -q '^SKIP: ' "$TEST_OUT/err"; then
		fail "$suite as nobody: exit 77 without a 'SKIP: why' line on stderr"
	elif [ "$before" != "$after" ]; then
		fail "$suite as nobody left behind: $(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ')"
	else
		ok "$suite as nobody: exit $rc$([ "$rc" -eq 77 ] && echo " ($(grep -m1 '^SKIP: ' "$TEST_OUT/err"))")"
	fi
}

test_tmpdir TEST_OUT unprivileged
for s in "${pure[@]}"; do run "$s" 0; done
for s in "${privileged[@]}"; do run "$s" 77; done
finish unprivileged
