#!/usr/bin/env bash
# Pins belong to root: the pin directories are 0700 and the pins 0600 whatever the umask, and a
# directory made wider before is narrowed again. An unprivileged user running any command gets
# one line naming the interface and the capabilities it needs, exit 1, and nothing changes
# (an unprivileged attach does not even leave a directory behind).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

require_cmd setpriv
netns_setup || exit 1
# The user nobody, with no supplementary groups and no capabilities.
nobody() { in_rx setpriv --reuid=65534 --regid=65534 --clear-groups "$FEEDSIEVE" "$@"; }

# A umask that would leave the owner without write or execute: the modes must not come from it.
(umask 0277 && fs attach "$IF_RX" >/dev/null) || exit 1
fs group add "$IF_RX" 239.1.1.1:26400 || exit 1
fs sub add "$IF_RX" AAPL || exit 1

mode_is() { # mode_is WANT PATH
	local got
	got=$(stat -c '%a %u' "$2")
	expect_eq "$got" "$1 0" "$2: mode and owner"
}
mode_is 700 /sys/fs/bpf/feedsieve
mode_is 700 "/sys/fs/bpf/feedsieve/$IF_RX"
npins=0
for pin in "/sys/fs/bpf/feedsieve/$IF_RX"/*; do
	mode_is 600 "$pin"
	npins=$((npins + 1))
done
[ "$npins" -ge 11 ] || fail "only $npins pins under /sys/fs/bpf/feedsieve/$IF_RX"

# The state compared around every refused command: live_state and the pins' modes and owners.
test_state() {
	live_state
	stat -c '%a %u %n' /sys/fs/bpf/feedsieve "/sys/fs/bpf/feedsieve/$IF_RX"/*
}
# denied DESCRIPTION -- ARGS...: as nobody, ARGS exits 1 with exactly the one-line explanation.
denied() {
	local desc=$1
	shift 2
	expect_error_line 1 "^feedsieve: $IF_RX: permission denied: needs CAP_BPF and CAP_NET_ADMIN (or root)\$" \
		"$desc" -- nobody "$@"
}
denied "attach again" -- attach "$IF_RX"
denied "detach" -- detach "$IF_RX"
denied "group add" -- group add "$IF_RX" 239.1.1.2:26400
denied "group del" -- group del "$IF_RX" 239.1.1.1:26400
denied "group list" -- group list "$IF_RX"
denied "sub add" -- sub add "$IF_RX" MSFT
denied "sub del" -- sub del "$IF_RX" AAPL
denied "sub list" -- sub list "$IF_RX"
denied "directory" -- directory "$IF_RX"
denied "stats" -- stats "$IF_RX" --json
denied "stats --watch" -- stats "$IF_RX" --watch --count 1
denied "stats --symbols" -- stats "$IF_RX" --symbols
denied "consume" -- consume "$IF_RX" --duration 1
if fs show "$IF_RX" >/dev/null 2>&1; then
	denied "show" -- show "$IF_RX"
fi

# On a fresh, world-writable bpffs (private mount namespace, so the machine's pins are not
# touched): an unprivileged attach leaves no directory for root's pins to go in later, and a
# root attach narrows a pin root that was made 0755 before.
fresh=$(unshare -m --propagation private sh -c "
	mount -t bpf bpf /sys/fs/bpf -o mode=1777 || exit 1
	nsenter --net=/run/netns/$NS_RX setpriv --reuid=65534 --regid=65534 --clear-groups \
		$FEEDSIEVE attach lo 2>/dev/null
	echo \"nobody-attach=\$? entries=\$(ls -A /sys/fs/bpf | grep -vc debug)\"
	mkdir -m 0755 /sys/fs/bpf/feedsieve
	nsenter --net=/run/netns/$NS_RX $FEEDSIEVE attach lo --mode skb >/dev/null || exit 1
	echo \"root-attach mode=\$(stat -c %a /sys/fs/bpf/feedsieve)\"
	nsenter --net=/run/netns/$NS_RX $FEEDSIEVE detach lo >/dev/null")
if [ "$fresh" = "nobody-attach=1 entries=0
root-attach mode=700" ]; then
	ok
else
	fail "fresh bpffs: got '$fresh', want an unprivileged attach to leave nothing and root's attach to narrow the pin root to 700"
fi

finish privileges
