#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# docs/wire/nyse-xdp.md and docs/wire/pitch.md against independent decoders: feedgen writes an
# NYSE XDP capture (A/B loss, a sequence reset, a refresh burst, a retransmission) and a PITCH
# capture (three units, A/B loss, a unit restart, an unsequenced packet) with their logs, tshark
# decodes them with the Open Markets Initiative's Lua dissectors that FEEDSIEVE_NYSE_LUA (NYSE XDP
# Integrated Feed 2.1g) and FEEDSIEVE_PITCH_LUA (Cboe equities Multicast PITCH 2.41) name, and
# tests/tools/nyse_pitch_check.py compares every documented field of every message, the project's
# type tables and every logged message with what the decoder read. The dissectors are
# third-party code kept outside the repository (docs/wire/README.md); without either variable
# there is nothing independent to compare with and the suite is skipped. The other pages'
# decoder check is test_wire_decoder.sh.
# suite: pure
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"
root=$top
feedgen=$FEEDGEN
[ -n "${FEEDSIEVE_NYSE_LUA:-}${FEEDSIEVE_PITCH_LUA:-}" ] ||
	skip "FEEDSIEVE_NYSE_LUA / FEEDSIEVE_PITCH_LUA name no NYSE XDP or PITCH Lua dissector"
require_cmd tshark python3 "${CC:-cc}"
[ -x "$feedgen" ] || die "$feedgen not built (make)"
test_tmpdir tmp wire_np

# A private home: tshark reads no one's Wireshark profile (preferences, Decode As).
export HOME=$tmp
"${CC:-cc}" -I"$root/include" -o "$tmp/layout_dump" "$root/tests/tools/layout_dump.c" ||
	die "tests/tools/layout_dump.c does not build"
"$tmp/layout_dump" >"$tmp/layout.json" || die "layout_dump failed"

check() { # PROTO LUA FEEDGEN_ARGS...
	local proto=$1 lua=$2
	shift 2
	[ -r "$lua" ] || die "$proto dissector $lua unreadable"
	"$feedgen" "$@" --loss-a 3 --loss-b 3 --no-send --pcap "$tmp/$proto.pcap" \
		--log "$tmp/$proto.log" 2>/dev/null || die "feedgen --proto $proto failed"
	python3 "$root/tests/tools/nyse_pitch_check.py" "$proto" "$tmp/$proto.pcap" \
		"$tmp/$proto.log" "$lua" "$tmp/layout.json" ||
		die "docs/wire, include/feedsieve, feedgen's $proto log and $(basename "$lua") disagree"
	ok "$proto: every field of every message agrees with $(basename "$lua")"
}

if [ -n "${FEEDSIEVE_NYSE_LUA:-}" ]; then
	check nyse "$FEEDSIEVE_NYSE_LUA" --proto nyse-xdp --group 239.1.1.1:11000 \
		--line-b 239.1.2.1:11000 --symbols 40 --packets 400 --reset-at 300 \
		--refresh-at 120 --retrans-at 200 --seed 7
else
	echo "note: FEEDSIEVE_NYSE_LUA not set: NYSE XDP not checked"
fi
if [ -n "${FEEDSIEVE_PITCH_LUA:-}" ]; then
	check pitch "$FEEDSIEVE_PITCH_LUA" --proto pitch --group 239.1.1.1:30001 \
		--line-b 239.1.2.1:30001 --units 1-3 --symbols 40 --packets 500 --reset-at 300 \
		--unsequenced-at 150 --seed 7
else
	echo "note: FEEDSIEVE_PITCH_LUA not set: PITCH not checked"
fi
finish "wire decoder (NYSE XDP, PITCH)"
