# shellcheck shell=bash
# What the tests read back from an attached interface ($IF_RX): commits, channel ids, counters,
# and the state a refused command must leave unchanged.
#
#   commits                 configuration commits so far (fs_bank's counter)
#   chan_id GROUP           the channel id the live bank gives GROUP (ADDR:PORT)
#   stats_get EXPR          EXPR (Python, over s = `feedsieve stats --json`) printed, e.g.
#                           stats_get 's["global"]["frames_redirected"]'
#   sock_counter NAME [Q]   counter NAME of queue Q's socket (default the first one listed)
#   delivered FILE          messages in a `consume --json` output
#   live_state              groups, subscriptions, configuration, program id and commits, as
#                           one text to compare; test_state defaults to it
#   stats_views JSON PROM   'stats --json' and 'stats --prometheus' of one moment

PINS_ROOT=/sys/fs/bpf/feedsieve

# (sed, not python: every CLI error row reads it twice, and python's start costs ~0.25 s here)
commits() {
	bpftool -j map dump pinned "$PINS_ROOT/$IF_RX/fs_bank" |
		sed -n 's/.*"commits":\([0-9][0-9]*\).*/\1/p' | grep . || { echo "commits: no count in fs_bank" >&2; return 1; }
}

chan_id() {
	local bank
	bank=$(($(commits) & 1))
	bpftool -j map dump pinned "$PINS_ROOT/$IF_RX/fs_groups_$bank" | python3 -c "
import json, socket, struct, sys
for e in json.load(sys.stdin):
    e = e.get('formatted', e)
    k = e['key']
    if '%s:%d' % (socket.inet_ntoa(struct.pack('=I', k['addr'])), socket.ntohs(k['port'])) == '$1':
        print(e['value']['channel'])"
}

stats_get() {
	fs stats "$IF_RX" --json | python3 -c "import json,sys; s = json.load(sys.stdin); print($1)"
}

sock_counter() {
	if [ $# -gt 1 ]; then
		stats_get "next(x for x in s['sockets'] if x['queue'] == $2)['counters']['$1']"
	else
		stats_get "s['sockets'][0]['counters']['$1']"
	fi
}

delivered() { grep -c '"seq"' "$1"; }

live_state() {
	fs show "$IF_RX"
	fs group list "$IF_RX" --json
	fs sub list "$IF_RX" --json
	in_rx ip -d link show "$IF_RX" | grep -o 'prog/xdp id [0-9]*'
	commits
}

test_state() { live_state; }

# stats_views JSON PROM: 'stats --json' into JSON and 'stats --prometheus' into PROM, of one moment.
# Even with the feed stopped a stray frame can reach the program between two reads (the sender's
# IPv6 router solicitations and MLD reports, seconds after its link came up: frames_passed), so
# PROM is taken between two JSON reads that agree; the counters only grow, so it saw the same.
stats_views() {
	for _ in $(seq 20); do
		in_rx "$FEEDSIEVE" stats "$IF_RX" --json >"$1" &&
			in_rx "$FEEDSIEVE" stats "$IF_RX" --prometheus >"$2" &&
			in_rx "$FEEDSIEVE" stats "$IF_RX" --json >"$1.again" || return 1
		cmp -s "$1" "$1.again" && { rm -f "$1.again"; return 0; }
		sleep 0.2
	done
	echo "stats_views: the counters of $IF_RX never held still for three reads" >&2
	return 1
}
