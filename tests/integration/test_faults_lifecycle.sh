#!/usr/bin/env bash
# Control-plane faults, judged by exit codes, one-line messages and the live state afterwards:
#  1. the CLI killed (SIGKILL) in the middle of 'sub add' of 20 000 symbols and of 'apply' of a
#     30 000-symbol configuration, at spread-out instants: the live state is always exactly the
#     old or the new one, never a mix, and later commands work at once (no stuck lock).
#  2. stale pins: left after the program was removed behind feedsieve's back (ip link ... xdp
#     off): attach reuses them, groups and subscriptions kept; of another build's layout: attach
#     refuses with one line and changes nothing, --force replaces them; of a deleted interface:
#     commands say "no such interface", detach removes them, the re-created interface attaches.
#  3. attach twice, detach twice: one clear line each, exit 1, and the state stays usable.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

GROUP=239.1.9.1:26400
netns_setup || exit 1
test_tmpdir tmp life
live_syms() { fs show "$IF_RX" | awk '$1 == "symbols" {for (i = 2; i <= NF; i++) print $i}' | sort; }
# expect_one_line RC PATTERN DESCRIPTION -- ARGS: exit code, exactly one stderr line, and
# (added with tests/lib) live_state unchanged.
expect_one_line() {
	local rc=$1 pattern=$2 desc=$3
	shift 4
	expect_error_line "$rc" "$pattern" "$desc" -- fs "$@"
}

fs attach "$IF_RX" >/dev/null || exit 1
fs group add "$IF_RX" "$GROUP" || exit 1
fs sub add "$IF_RX" AAPL MSFT || exit 1

echo "--- 1. CLI killed mid-change"
old_n=0 new_n=0
for i in $(seq 1 8); do
	before=$(live_syms)
	mapfile -t add < <(seq -f "K${i}%05g" 1 20000)
	(in_rx_exec "$FEEDSIEVE" sub add "$IF_RX" "${add[@]}") &
	pid=$!
	delay=$(awk -v i="$i" 'BEGIN { print i * 0.04 }') # 0.04 to 0.32 s: before, during, after
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	after=$(live_syms)
	new=$(printf '%s\n%s\n' "$before" "$(printf '%s\n' "${add[@]}")" | sort)
	if [ "$after" = "$before" ]; then
		old_n=$((old_n + 1))
	elif [ "$after" = "$new" ]; then
		new_n=$((new_n + 1))
		timeout 10 "$FEEDSIEVE" --version >/dev/null
		timeout 10 nsenter --net="/run/netns/$NS_RX" "$FEEDSIEVE" sub del "$IF_RX" "${add[@]}" ||
			fail "sub del after a killed sub add"
	else
		fail "sub add killed after $delay s: $(wc -l <<<"$after") symbols live, neither the old $(wc -l <<<"$before") nor the new $(wc -l <<<"$new")"
	fi
done
echo "ok: 'sub add' of 20000 symbols killed 8 times: old state $old_n times, new state $new_n times, never a mix"
[ "$old_n" -gt 0 ] || fail "no kill landed before the change was live: nothing was interrupted"

# apply: the old configuration, or exactly the new one.
{
	echo "interface $IF_RX"
	echo "group $GROUP"
	seq -f 'Q%05g' 1 30000 | xargs -n 200 echo symbols
} >"$tmp/new.conf"
mapfile -t want_new < <(seq -f 'Q%05g' 1 30000)
old_n=0 new_n=0
for i in $(seq 1 8); do
	fs sub del "$IF_RX" $(live_syms) >/dev/null 2>&1
	fs sub add "$IF_RX" AAPL MSFT || fail "reset before apply $i"
	before=$(live_syms)
	(in_rx_exec "$FEEDSIEVE" apply "$tmp/new.conf" >/dev/null) &
	pid=$!
	delay=$(awk -v i="$i" 'BEGIN { print i * 0.06 }')
	sleep "$delay"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	after=$(live_syms)
	if [ "$after" = "$before" ]; then
		old_n=$((old_n + 1))
	elif [ "$after" = "$(printf '%s\n' "${want_new[@]}" | sort)" ]; then
		new_n=$((new_n + 1))
	else
		fail "apply killed after $delay s: $(wc -l <<<"$after") symbols live: a mix"
	fi
	[ "$(fs group list "$IF_RX" --json | grep -o '"group":"[^"]*"' | sort -u)" = "\"group\":\"$GROUP\"" ] ||
		fail "groups changed by a killed apply"
done
echo "ok: 'apply' of 30000 symbols killed 8 times: old state $old_n times, new state $new_n times, never a mix"
timeout 20 nsenter --net="/run/netns/$NS_RX" "$FEEDSIEVE" apply "$tmp/new.conf" >/dev/null ||
	fail "apply after the kills"
[ "$(live_syms)" = "$(printf '%s\n' "${want_new[@]}" | sort)" ] || fail "apply after the kills did not make the new state live"
fs sub add "$IF_RX" ZZZZ || fail "sub add after the kills"

echo "--- 2. stale pins"
in_rx ip link set dev "$IF_RX" xdp off
syms_before=$(live_syms)
out=$(fs attach "$IF_RX") || fail "attach over pins left by 'xdp off'"
grep -q "reused from an earlier attachment" <<<"$out" || fail "attach did not say it reused the pins: $out"
[ "$(live_syms)" = "$syms_before" ] || fail "subscriptions lost by the re-attach"
echo "ok: program removed behind our back: $out"
fs detach "$IF_RX" >/dev/null

# Pins of another build: a map of another layout where fs_chan_events belongs.
mkdir -p "/sys/fs/bpf/feedsieve/$IF_RX"
bpftool map create "/sys/fs/bpf/feedsieve/$IF_RX/fs_chan_events" type array key 4 value 8 \
	entries 256 name fs_chan_events || fail "bpftool map create"
expect_one_line 1 "another feedsieve build" "attach over pins of another layout" -- attach "$IF_RX"
in_rx ip -d link show "$IF_RX" | grep 'prog/xdp' >/dev/null && fail "the refused attach attached a program"
[ -e "/sys/fs/bpf/feedsieve/$IF_RX/fs_chan_events" ] || fail "the refused attach removed the pin"
out=$(fs attach "$IF_RX" --force) || fail "attach --force over pins of another layout"
grep -q "pins of another build replaced" <<<"$out" || fail "--force did not say it replaced the pins: $out"
fs group add "$IF_RX" "$GROUP" || fail "group add after replacing the pins"
echo "ok: pins of another layout: --force: $out"

# Pins of a deleted interface. A second veth pair inside the receiver namespace.
gone="fsg$((NETNS_ID % 100000))"
remove_gone_pins() { rm -rf "${PINS_ROOT:?}/$gone"; }
test_on_exit remove_gone_pins
in_rx ip link add "$gone" type veth peer name "${gone}p"
in_rx ip link set "$gone" up
fs attach "$gone" >/dev/null || fail "attach $gone"
fs group add "$gone" "$GROUP" && fs sub add "$gone" AAPL || fail "configure $gone"
in_rx ip link del "$gone"
expect_one_line 1 "no such interface" "sub list of a deleted interface" -- sub list "$gone"
expect_one_line 1 "no such interface" "attach of a deleted interface" -- attach "$gone"
out=$(fs detach "$gone")
rc=$?
[ "$rc" -eq 0 ] && grep -q "removed the pins" <<<"$out" && [ ! -e "/sys/fs/bpf/feedsieve/$gone" ] ||
	fail "detach of a deleted interface: exit $rc, '$out'"
echo "ok: deleted interface: $out"
expect_one_line 1 "no such interface" "detach of a deleted interface, again" -- detach "$gone"
in_rx ip link add "$gone" type veth peer name "${gone}p"
in_rx ip link set "$gone" up
fs attach "$gone" >/dev/null || fail "attach of the re-created interface"
[ -z "$(fs sub list "$gone")" ] || fail "the re-created interface inherited subscriptions"
fs detach "$gone" >/dev/null

echo "--- 3. attach twice, detach twice"
expect_one_line 1 "already attached" "attach twice" -- attach "$IF_RX"
fs detach "$IF_RX" >/dev/null || fail "detach"
expect_one_line 1 "not attached" "detach twice" -- detach "$IF_RX"
[ -z "$(in_rx ip -d link show "$IF_RX" | grep -o 'prog/xdp')" ] || fail "program left after detach"
[ ! -e "/sys/fs/bpf/feedsieve/$IF_RX" ] || fail "pins left after detach"
fs attach "$IF_RX" >/dev/null && fs group add "$IF_RX" "$GROUP" && fs sub add "$IF_RX" AAPL ||
	fail "attach after detach twice"

finish "lifecycle faults"
