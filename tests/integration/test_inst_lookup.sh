#!/usr/bin/env bash
# MDP3 keys the program did not examine (a driver without metadata, or past the walk bound) are
# decided by the consumer from the interface's real directory: fs_inst_index and the mmapped
# fs_instruments of an attached program. inst_lookup_check enters instruments as the allocation
# protocol does and decodes one packet three times (see its header); the subscribed entries, and
# only they, must come out, with their symbols, and an id subscribed after an absence was
# cached must be found.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

CHECK=$top/build/tests/inst_lookup_check
[ -x "$CHECK" ] || die "$CHECK not built (make test-build)"
netns_setup || exit 1
test_tmpdir tmp instlookup

fs attach "$IF_RX" >/dev/null 2>"$tmp/attach.err" || die "attach: $(cat "$tmp/attach.err")"
in_rx "$CHECK" "$IF_RX" >"$tmp/out.txt" 2>"$tmp/err.txt" || die "inst_lookup_check: $(cat "$tmp/err.txt")"
expect_eq "$(sed -n 1p "$tmp/out.txt")" "1: 46[ 1001=ESZ6 ] 37[ 1001=ESZ6 ] " \
	"no metadata: only the subscribed id, with its symbol"
expect_eq "$(sed -n 2p "$tmp/out.txt")" "2: 46[ 1001=ESZ6 1003 ] 37[ 1001=ESZ6 ] " \
	"an id subscribed after its absence was seen is found"
expect_eq "$(sed -n 3p "$tmp/out.txt")" "3: 46[ 1003 ] 37[ 1001=ESZ6 ] " \
	"the program's no for key 0 stands; keys past its walk are decided from the directory"
fs detach "$IF_RX" >/dev/null 2>&1 || fail "detach"
finish "inst lookup"
