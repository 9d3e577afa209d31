#!/usr/bin/env bash
# feedgen's MoldUDP64 re-request server (--serve-retransmit), without feedsieve: feedgen sends a
# session on two lines from the sender namespace and serves re-requests on its unicast address;
# retrans_client.py asks from the receiver namespace and compares every answer, byte for byte,
# with the messages of feedgen's pcap (made by a dry run with the same options): whole answers
# up to one packet, never more than asked, nothing for another session, numbers not sent yet,
# count 0, a malformed request; with --retransmit-max-msgs, --retransmit-refuse and
# --retransmit-delay-ms, answers of at most N messages, stopping before the refused range, none
# from inside it, none earlier than the delay; with --retransmit-silent, none. The server's log
# must list each request with the verdict seen and each answer, and its closing line count the
# requests the client sent, the answers it got and their messages (in each scenario). Bad
# options: one stderr line, exit 2.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

PORT=26700
LINGER_MS=20000 # the client ends it (SIGTERM) once its requests are done
DELAY_MS=200
REFUSE=300-309
base=(--group 239.1.8.1:26400 --line-b 239.1.8.2:26400 --symbols 40 --packets 400 --seed 7)

test_state() { echo feedgen; } # feedgen changes nothing a refused command could have changed
bad() { # PATTERN DESC OPTIONS...: feedgen refuses OPTIONS with one line naming PATTERN
	local pattern=$1 desc=$2
	shift 2
	expect_error_line 2 "$pattern" "$desc" -- "$FEEDGEN" "${base[@]}" --no-send "$@"
}
bad "need --serve-retransmit" "delay without a server" --retransmit-delay-ms 5
bad "need --serve-retransmit" "silent without a server" --retransmit-silent
bad "need --serve-retransmit" "linger without a server" --serve-linger-ms 5
bad "is for --proto itch" "a server for mdp3" --proto mdp3 --serve-retransmit 1
bad "excludes --no-send" "a server that sends nothing" --serve-retransmit 1
bad "UDP port 1..65535" "port 0" --serve-retransmit 0
bad "FIRST <= LAST" "a range backwards" --serve-retransmit 1 --retransmit-refuse 9-3
nine=()
for n in 1 2 3 4 5 6 7 8 9; do nine+=(--retransmit-refuse "$n"); done
bad "at most 8 ranges" "nine ranges" --serve-retransmit 1 "${nine[@]}"
expect_error_line 2 "needs --line-b" "a late copy of one line" -- \
	"$FEEDGEN" --group 239.1.8.1:26400 --late-copy-ms 5
bad "1..600000 milliseconds" "a late copy at 0 ms" --late-copy-ms 0

netns_setup
test_tmpdir out feedgen-retransmit
"$FEEDGEN" "${base[@]}" --rate 0 --no-send --pcap "$out/feed.pcap" 2>/dev/null

scenario() { # NAME CLIENT-OPTIONS -- FEEDGEN-OPTIONS
	local name=$1 copts=() pid rc=0
	shift
	while [ "$1" != -- ]; do copts+=("$1") && shift; done
	shift
	(in_tx_exec "$FEEDGEN" "${base[@]}" --iface "$IF_TX" --rate 0 --serve-retransmit "$PORT" \
		--serve-linger-ms "$LINGER_MS" --loss-log "$out/$name.log" "$@" 2>"$out/$name.err") &
	pid=$!
	# The whole session is sent (its summary line) before the server lingers and is asked.
	wait_for_line "$out/$name.err" packets 10 || fail "$name: feedgen never finished sending"
	in_rx python3 "$here/retrans_client.py" --server "$ADDR_TX:$PORT" --pcap "$out/feed.pcap" \
		--log "$out/$name.log" --feedgen-err "$out/$name.err" --scenario "$name" \
		--feedgen-pid "$pid" "${copts[@]}" || rc=$?
	wait "$pid" || fail "$name: feedgen exited $?: $(cat "$out/$name.err")"
	if [ $rc -eq 0 ]; then ok "$name server"; else fail "$name server"; fi
}
scenario plain --
scenario partial --refuse "$REFUSE" --delay-ms "$DELAY_MS" -- --retransmit-max-msgs 3 \
	--retransmit-refuse "$REFUSE" --retransmit-delay-ms "$DELAY_MS"
scenario silent -- --retransmit-silent
finish test_feedgen_retransmit
