#!/usr/bin/env bash
# fs_servers holds a full configuration's re-request servers and a new one's at once: one apply
# that gives every one of FS_MAX_GROUPS groups another server goes in (the new servers are written
# before the flip, while the live groups still name the old ones), and afterwards fs_servers holds
# exactly the new servers, each pointing at the group that names it.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

require_cmd bpftool
netns_setup || exit 1
test_tmpdir tmp servers
max_groups=$(python3 -c "import re, sys; print(re.search(r'define FS_MAX_GROUPS (\d+)', open(sys.argv[1]).read()).group(1))" "$top/include/feedsieve/limits.h")

# conf NET: every group on a channel of its own, group i naming server 10.NET.(i/250).(i%250 + 1).
conf() {
	echo "interface $IF_RX"
	for ((i = 0; i < max_groups; i++)); do
		echo "group 239.20.$((i / 256)).$((i % 256)):26400 channel c$i retransmit 10.$1.$((i / 250)).$((i % 250 + 1)):9000"
	done
}
# The fs_servers entries as "server group" lines, sorted.
servers() {
	bpftool map dump pinned "$PINS_ROOT/$IF_RX/fs_servers" >"$tmp/servers.json" || return 1
	python3 - "$tmp/servers.json" <<'EOF'
import ipaddress, json, socket, struct, sys
def name(k):
    return f"{ipaddress.IPv4Address(struct.pack('<I', k['addr']))}:{socket.ntohs(k['port'])}"
for e in json.load(open(sys.argv[1])):
    print(name(e["key"]), name(e["value"]))
EOF
}
# What fs_servers must hold under conf NET.
want() {
	for ((i = 0; i < max_groups; i++)); do
		echo "10.$1.$((i / 250)).$((i % 250 + 1)):9000 239.20.$((i / 256)).$((i % 256)):26400"
	done | sort
}

conf 1 >"$tmp/a.conf"
conf 2 >"$tmp/b.conf"
fs apply "$tmp/a.conf" >"$tmp/a.out" 2>&1 || die "apply of $max_groups groups with a server each: $(tail -1 "$tmp/a.out")"
expect_eq "$(servers | sort)" "$(want 1)" "fs_servers after the first configuration: its $max_groups servers"
before=$(commits)
if fs apply "$tmp/b.conf" >"$tmp/b.out" 2>&1; then
	ok
else
	fail "apply replacing every server at once: $(tail -1 "$tmp/b.out")"
fi
expect_eq "$(commits)" "$((before + 1))" "one commit for the replacement"
expect_eq "$(servers | sort)" "$(want 2)" "fs_servers after the replacement: exactly the new servers"
finish "servers replace"
