#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The wire facts of docs/wire/*.md against an independent decoder: feedgen writes a pcap and its
# log, tshark decodes the pcap, and tests/tools/wire_decoder.py compares field positions with
# the pages, the pages with include/feedsieve/*.h, and decoded values with the log. Ethernet,
# VLAN, IPv4, UDP and MoldUDP64 use tshark's own dissectors; ITCH 5.0 is checked too when
# FEEDSIEVE_ITCH_LUA names an ITCH 5.0 Lua dissector, and feedgen's CME MDP 3.0 capture when
# FEEDSIEVE_MDP3_LUA names an MDP 3.0 SBE version-13 Lua dissector (third-party, kept outside the
# repository; see docs/wire/README.md).
# suite: pure
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"
root=$top
feedgen=$FEEDGEN
require_cmd tshark python3
[ -x "$feedgen" ] || die "$feedgen not built (make)"
test_tmpdir tmp wire

# A private home: tshark reads no one's Wireshark profile (preferences, Decode As).
export HOME=$tmp
"$feedgen" --group 239.1.1.1:26400 --symbols 20 --packets 200 --end-session --seed 3 \
	--no-send --pcap "$tmp/f.pcap" --log "$tmp/f.log" >/dev/null
# MDP3: definitions on their own group, A/B lines with loss, a channel reset mid-run, the
# snapshot loop (SnapshotFullRefresh) on its own group.
"$feedgen" --proto mdp3 --group 239.1.1.1:14310 --line-b 239.1.2.1:14310 \
	--definitions 239.1.1.9:14390 --snapshot 239.1.1.8:14380 --snapshot-interval-ms 1 \
	--symbols 60 --packets 400 --reset-at 250 --loss-a 3 \
	--loss-b 3 --seed 5 --no-send --pcap "$tmp/m.pcap" --log "$tmp/m.log" 2>/dev/null
args=(--mdp3 "$tmp/m.pcap" "$tmp/m.log")
if [ -n "${FEEDSIEVE_ITCH_LUA:-}" ]; then
	[ -r "$FEEDSIEVE_ITCH_LUA" ] || die "FEEDSIEVE_ITCH_LUA=$FEEDSIEVE_ITCH_LUA unreadable"
	args+=(--itch-lua "$FEEDSIEVE_ITCH_LUA")
fi
if [ -n "${FEEDSIEVE_MDP3_LUA:-}" ]; then
	[ -r "$FEEDSIEVE_MDP3_LUA" ] || die "FEEDSIEVE_MDP3_LUA=$FEEDSIEVE_MDP3_LUA unreadable"
	args+=(--mdp3-lua "$FEEDSIEVE_MDP3_LUA")
fi
python3 "$root/tests/tools/wire_decoder.py" "$tmp/f.pcap" "$tmp/f.log" 26400 "${args[@]}" ||
	die "docs/wire, include/feedsieve and tshark's decoding of feedgen's capture disagree"
ok "docs/wire agrees with the headers and with tshark's decoding of feedgen's capture"
finish "wire decoder"
