#!/usr/bin/env bash
# Multicast membership follows the groups: the consumer joins a group added with `group add` and
# leaves one deleted with `group del` (an address stays joined while another port of it is
# configured), as the kernel's own table /proc/net/igmp of the receiving namespace shows within
# about two seconds. Drift is repaired and counted: another process that obtained a duplicate of
# the consumer's membership socket (pidfd_getfd(2)) drops a membership, and the consumer joins it
# again, says so at warn level and counts it in mc_drift_repairs. 30 groups, more than the 20
# memberships a socket may hold (net.ipv4.igmp_max_memberships), are all joined, and a restarted
# consumer joins them all again.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

netns_setup || exit 1
test_tmpdir out igmp

fs attach "$IF_RX" >/dev/null || exit 1
ifindex=$(in_rx ip -o link show dev "$IF_RX" | cut -d: -f1) && [ -n "$ifindex" ] || exit 1

# The IPv4 groups the kernel has joined on the receiving veth, dotted, sorted; 224.0.0.1 (all
# hosts, joined by every interface) left out. The kernel prints each group as its __be32 value
# in hex, so the number is turned back into the same four bytes in native order.
joined() {
	in_rx python3 - "$ifindex" <<'EOF'
import socket, struct, sys
dev, groups = None, []
for line in open("/proc/net/igmp"):
    if line[0].isdigit():
        dev = int(line.split()[0])
    elif line.startswith("\t") and dev == int(sys.argv[1]):
        addr = socket.inet_ntoa(struct.pack("=I", int(line.split()[0], 16)))
        if addr != "224.0.0.1":
            groups.append(addr)
print(" ".join(sorted(groups, key=socket.inet_aton)))
EOF
}

# expect_joined DESCRIPTION "ADDR ADDR ...": the kernel's table equals that within 2.5 s.
expect_joined() {
	local desc=$1 want=$2 got deadline=$((SECONDS + 3)) start=$SECONDS
	while :; do
		got=$(joined)
		[ "$got" = "$want" ] && break
		[ $SECONDS -ge $deadline ] && break
		sleep 0.1
	done
	if [ "$got" = "$want" ]; then
		ok
	else
		fail "$desc: kernel has [$got], want [$want] (after $((SECONDS - start)) s)"
	fi
}

start_consumer() { # start_consumer LOG: -v, so that the library's warnings reach LOG
	consumer_start /dev/null "$1" -v --duration 120 || die "consumer did not start"
}

fs group add "$IF_RX" 239.10.0.1:26400 || exit 1
fs group add "$IF_RX" 239.10.0.2:26400 || exit 1
fs group add "$IF_RX" 239.10.0.2:26401 || exit 1
expect_joined "before any consumer" ""
start_consumer "$out/consume1.log"
expect_joined "consumer started" "239.10.0.1 239.10.0.2"

fs group add "$IF_RX" 239.10.0.3:26400 || exit 1
expect_joined "group added" "239.10.0.1 239.10.0.2 239.10.0.3"
fs group del "$IF_RX" 239.10.0.1:26400 || exit 1
expect_joined "group deleted" "239.10.0.2 239.10.0.3"
fs group del "$IF_RX" 239.10.0.2:26400 || exit 1
sleep 2.5 # two syncs: 239.10.0.2 must stay, its port 26401 is still configured
expect_joined "one of two ports of an address deleted" "239.10.0.2 239.10.0.3"

# Drift: a process holding a duplicate of the consumer's membership socket drops 239.10.0.3.
# The kernel then no longer has it, while the consumer still believes it does.
drops=$(in_rx python3 - "$consumer" "$ifindex" <<'EOF'
import ctypes, os, socket, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
SYS_pidfd_getfd = 438  # x86_64 and the generic table
pid, ifindex = int(sys.argv[1]), int(sys.argv[2])
pidfd = os.pidfd_open(pid)
mreq = socket.inet_aton("239.10.0.3") + socket.inet_aton("0.0.0.0") + struct.pack("=i", ifindex)
dropped = 0
for name in os.listdir(f"/proc/{pid}/fd"):
    if not os.readlink(f"/proc/{pid}/fd/{name}").startswith("socket:"):
        continue
    fd = libc.syscall(SYS_pidfd_getfd, pidfd, int(name), 0)
    if fd < 0:
        sys.exit(f"pidfd_getfd: {os.strerror(ctypes.get_errno())}")
    # Fails on every socket but the one holding the membership (and on the AF_XDP socket).
    if libc.setsockopt(fd, socket.IPPROTO_IP, socket.IP_DROP_MEMBERSHIP, mreq, len(mreq)) == 0:
        dropped += 1
    os.close(fd)
print(dropped)
EOF
)
# The consumer may repair it before we can look (it syncs every second): that the drift really
# happened is proven by the repair counter and the warning below, not by catching the kernel
# without the membership.
if [ "$drops" = 1 ]; then ok; else
	fail "drift not created: $drops sockets dropped 239.10.0.3, kernel has [$(joined)]"
fi
expect_joined "drift repaired" "239.10.0.2 239.10.0.3"
sleep 1.2 # the consumer publishes its counters every second
repairs=$(sock_counter mc_drift_repairs)
[ "$repairs" = 1 ] && ok || fail "mc_drift_repairs is $repairs, want 1"
grep -q "$IF_RX: the kernel lost our membership of 239.10.0.3: joining it again" "$out/consume1.log" &&
	ok || fail "no warning about the repair in the consumer's log"

# 30 addresses: 28 more than the two configured now.
for i in $(seq 1 28); do
	fs group add "$IF_RX" "239.11.0.$i:26400" || exit 1
done
want30=$(printf '239.10.0.2\n239.10.0.3\n'; seq -f '239.11.0.%g' 1 28)
want30=$(echo "$want30" | tr '\n' ' ' | sed 's/ $//')
expect_joined "30 groups on one consumer" "$want30"

# Every join, leave and repair this script caused, as the consumer counts them: joins 2 at
# start, 1 added, 1 repaired, 28 added; leaves: 239.10.0.1 only.
sleep 1.2
fs stats "$IF_RX" --json >"$out/stats.json" && fs stats "$IF_RX" --prometheus >"$out/stats.prom" || die "stats"
python3 - "$out/stats.json" "$out/stats.prom" "$IF_RX" <<'EOF' && ok || fail "membership counters"
import json, sys
sock = json.load(open(sys.argv[1]))["sockets"][0]
c, want = sock["counters"], {"mc_joins": 2 + 1 + 1 + 28, "mc_leaves": 1, "mc_drift_repairs": 1}
prom = open(sys.argv[2]).read()
bad = [f"{k}={c[k]}, want {v}" for k, v in want.items() if c[k] != v]
bad += [f"prometheus lacks {k}" for k, v in want.items()
        if f'feedsieve_socket_{k}_total{{interface="{sys.argv[3]}",queue="0"}} {v}\n' not in prom]
if bad:
    sys.exit("; ".join(bad))
EOF

# A restarted consumer: memberships go with the process, and come back with the next one.
consumer_stop
expect_joined "consumer stopped" ""
start_consumer "$out/consume2.log"
expect_joined "consumer restarted" "$want30"
consumer_stop

finish igmp
