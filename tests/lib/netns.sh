# shellcheck shell=bash
# Network namespaces for feedsieve's tests and demo: a sender namespace and a receiver namespace
# joined by a veth pair. Source this file, call netns_setup, and the EXIT trap removes everything
# (namespaces, links, pins) whether the caller succeeds or fails. Tests source tests/lib/test.sh,
# which sources this file; netns_setup then hooks its cleanup into assert.sh's exit handler.
#
# netns_setup exits 77 (skipped) where the machine cannot run the test: not root, no bpffs, no
# AF_XDP sockets.
#
# NETNS_DRIVER=tap makes $IF_RX a tap (driver tun) in the receiver namespace instead, with no
# sender namespace: its wire is a file descriptor, into which 'feedgen --tap' writes the frames.
# send_feed hides the difference.
#
# Sourcing it also sets $top (the source tree), $FEEDSIEVE and $FEEDGEN (the built binaries).
# After netns_setup:
#   $NS_TX, $NS_RX      namespace names        $IF_TX, $IF_RX   veth ends
#   in_rx CMD...        run CMD in the receiver namespace (bpffs pins stay shared: nsenter,
#   in_tx CMD...        not 'ip netns exec', which would give CMD a private /sys)
#   (in_rx_exec CMD...) &   the same in the background, with $! the command's own pid
#   fs ARGS...          the feedsieve CLI in the receiver namespace
#   wait_for_line FILE PATTERN SECONDS   wait for a whole-word PATTERN in FILE
#   (send_feed_exec FEEDGEN_ARGS...) &   feedgen onto $IF_RX's wire, whatever the driver
# Addresses are private to the two namespaces; nothing leaves them.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FEEDSIEVE=${FEEDSIEVE:-$top/build/feedsieve}
FEEDGEN=${FEEDGEN:-$top/build/feedgen}

NETNS_ID=${NETNS_ID:-$$}
NS_TX="fs-tx-$NETNS_ID"
NS_RX="fs-rx-$NETNS_ID"
IF_TX="fst$((NETNS_ID % 100000))"
IF_RX="fsr$((NETNS_ID % 100000))"
ADDR_TX=10.213.0.1
ADDR_RX=10.213.0.2

in_rx() { nsenter --net="/run/netns/$NS_RX" "$@"; }
in_tx() { nsenter --net="/run/netns/$NS_TX" "$@"; }
# For '&': exec, so that $! is the command itself and a signal sent to it reaches it.
in_rx_exec() { exec nsenter --net="/run/netns/$NS_RX" "$@"; }
in_tx_exec() { exec nsenter --net="/run/netns/$NS_TX" "$@"; }
fs() { in_rx "$FEEDSIEVE" "$@"; }

NETNS_DRIVER=${NETNS_DRIVER:-veth}
send_feed_exec() {
	if [ "$NETNS_DRIVER" = tap ]; then
		in_rx_exec "$FEEDGEN" --tap "$IF_RX" "$@"
	else
		in_tx_exec "$FEEDGEN" --iface "$IF_TX" "$@"
	fi
}

netns_cleanup() {
	local rc=$?
	# Best effort from here on: a failing step (say, detach of a half-attached interface) must
	# not stop the removal of the namespaces, even under the caller's 'set -e'.
	set +e
	# Kill whatever the test left running in the namespaces, then remove pins and namespaces.
	for ns in "$NS_RX" "$NS_TX"; do
		[ -e "/run/netns/$ns" ] || continue
		for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null; done
	done
	if [ -e "/run/netns/$NS_RX" ] && [ -x "${FEEDSIEVE:-}" ]; then
		in_rx "$FEEDSIEVE" detach "$IF_RX" >/dev/null 2>&1
	fi
	rm -rf "/sys/fs/bpf/feedsieve/$IF_RX" 2>/dev/null
	ip netns del "$NS_RX" 2>/dev/null
	ip netns del "$NS_TX" 2>/dev/null
	return $rc
}

# Skip (exit 77) unless this machine has what every namespace test needs.
netns_skip_unless_able() {
	local why=
	if [ "$(id -u)" -ne 0 ]; then
		why="network namespaces, XDP and AF_XDP need root"
	elif ! mountpoint -q /sys/fs/bpf && ! mount -t bpf bpf /sys/fs/bpf 2>/dev/null; then
		why="no bpffs at /sys/fs/bpf and none can be mounted"
	elif ! python3 -c 'import socket; socket.socket(44, socket.SOCK_RAW).close()' 2>/dev/null; then
		why="this kernel gives no AF_XDP socket" # 44: AF_XDP
	fi
	[ -z "$why" ] && return 0
	echo "SKIP: $why" >&2
	exit 77
}

netns_setup() {
	netns_skip_unless_able
	if declare -F test_on_exit >/dev/null; then
		test_on_exit netns_cleanup
	else
		trap netns_cleanup EXIT
	fi
	trap 'exit 130' INT TERM
	case $NETNS_DRIVER in
	veth) ;;
	tap)
		if [ ! -c /dev/net/tun ]; then
			echo "SKIP: no /dev/net/tun for a tap interface" >&2
			exit 77
		fi
		ip netns add "$NS_RX" || return 1
		in_rx ip link set lo up || return 1
		in_rx ip tuntap add dev "$IF_RX" mode tap || return 1
		in_rx ip addr add "$ADDR_RX/24" dev "$IF_RX" && in_rx ip link set "$IF_RX" up || return 1
		return 0
		;;
	*) echo "netns_setup: NETNS_DRIVER must be veth or tap, not '$NETNS_DRIVER'" >&2; return 1 ;;
	esac
	ip netns add "$NS_TX" && ip netns add "$NS_RX" || return 1
	in_rx ip link set lo up && in_tx ip link set lo up || return 1
	netns_veth_add
}

# netns_veth_add: the veth pair between the namespaces, addressed and up (again, after a test
# deleted it). NETNS_QUEUES: RX/TX queues of each veth end (default 1).
netns_veth_add() {
	local q=${NETNS_QUEUES:-1}
	ip link add name "$IF_RX" numtxqueues "$q" numrxqueues "$q" netns "$NS_RX" type veth \
		peer name "$IF_TX" numtxqueues "$q" numrxqueues "$q" netns "$NS_TX" || return 1
	in_rx ip addr add "$ADDR_RX/24" dev "$IF_RX" && in_rx ip link set "$IF_RX" up || return 1
	in_tx ip addr add "$ADDR_TX/24" dev "$IF_TX" && in_tx ip link set "$IF_TX" up || return 1
	# Multicast from the sender leaves through the veth, never through any other interface.
	in_tx ip route add 224.0.0.0/4 dev "$IF_TX" || return 1
}

# steer_tx_queue QUEUE CPUMASK: frames sent from the CPUs of CPUMASK (hex) leave the sender's
# veth on TX queue QUEUE, and so arrive on RX queue QUEUE of the receiver (XPS; this kernel has
# no tc skbedit). 'ip netns exec' is right here: it gives the namespace's own /sys/class/net.
steer_tx_queue() {
	ip netns exec "$NS_TX" sh -c "echo $2 > /sys/class/net/$IF_TX/queues/tx-$1/xps_cpus"
}

# wait_for_line FILE PATTERN SECONDS: wait until FILE has a line matching PATTERN as whole words
# ("ready" must not match an error saying "already").
wait_for_line() {
	local file=$1 pattern=$2 deadline=$((SECONDS + $3))
	while [ $SECONDS -lt $deadline ]; do
		grep -qw -- "$pattern" "$file" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "timed out waiting for '$pattern' in $file" >&2
	return 1
}
