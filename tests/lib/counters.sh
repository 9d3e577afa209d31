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
#   live_state                groups, subscriptions, configuration, program id and commits, as
#                           one text to compare; test_state defaults to it

PINS_ROOT=/sys/fs/bpf/feedsieve

commits() {
	bpftool -j map dump pinned "$PINS_ROOT/$IF_RX/fs_bank" |
		python3 -c 'import json,sys; e = json.load(sys.stdin)[0]; print(e.get("formatted", e)["value"]["commits"])'
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
