#!/usr/bin/env bash
# Living with other XDP programs. A program attached alone (here a tiny XDP_PASS program built
# with clang and loaded by iproute2, then the same through xdp-loader) cannot be shared without
# libxdp's dispatcher: attach refuses with one line naming it, changes nothing, and --force
# replaces it. Where the dispatcher loads (xdp-loader puts one in front of the program), attach
# shares the interface and detach removes only feedsieve's program; on kernels that refuse the
# dispatcher (freplace), that part says so and is not counted.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

netns_setup || exit 1
test_tmpdir tmp foreign
xdp_prog() { in_rx ip -d link show "$IF_RX" | grep -o 'prog/xdp id [0-9]* name [A-Za-z0-9_]*' || true; }

cat >"$tmp/pass.bpf.c" <<'EOF'
#include <linux/bpf.h>
__attribute__((section("xdp"), used)) int foreign_pass(struct xdp_md *ctx) { return XDP_PASS; }
__attribute__((section("license"), used)) char _license[] = "GPL";
EOF
clang -O2 -g -target bpf -I"/usr/include/$(uname -m)-linux-gnu" -c "$tmp/pass.bpf.c" \
	-o "$tmp/pass.bpf.o" || die "cannot build the foreign XDP program"

# refuse_then_force HOW: the foreign program is attached alone; attach must refuse, then --force.
refuse_then_force() {
	local how=$1 before err rc lines out
	before=$(xdp_prog)
	grep -q foreign_pass <<<"$before" || { fail "$how: foreign program not attached ($before)"; return; }
	err=$(fs attach "$IF_RX" 2>&1 >/dev/null)
	rc=$?
	lines=$(printf '%s\n' "$err" | grep -c .)
	if [ "$rc" -ne 1 ] || [ "$lines" -ne 1 ] || ! grep -q "another XDP program (foreign_pass, id" <<<"$err" ||
		! grep -q -- "--force" <<<"$err"; then
		fail "$how: attach over it: exit $rc, '$err'"
	fi
	[ "$(xdp_prog)" = "$before" ] || fail "$how: the refused attach changed the XDP program"
	[ ! -e "/sys/fs/bpf/feedsieve/$IF_RX" ] || fail "$how: the refused attach left pins"
	echo "ok: $how: refused: $err"
	out=$(fs attach "$IF_RX" --force) || { fail "$how: attach --force failed"; return; }
	grep -q "replaced the XDP program" <<<"$out" || fail "$how: --force did not say it replaced: $out"
	grep -q feedsieve_xdp <<<"$(xdp_prog)" || fail "$how: feedsieve not attached after --force"
	fs group add "$IF_RX" 239.1.1.1:26400 || fail "$how: group add after --force"
	fs detach "$IF_RX" >/dev/null || fail "$how: detach"
	[ -z "$(xdp_prog)" ] || fail "$how: an XDP program is left after detach: $(xdp_prog)"
	echo "ok: $how: --force replaced it: $out"
}

echo "--- iproute2: ip link set dev IF xdp obj"
in_rx ip link set dev "$IF_RX" xdp obj "$tmp/pass.bpf.o" sec xdp || die "ip link xdp obj"
refuse_then_force "program loaded by ip link"

echo "--- xdp-loader (libxdp)"
if ! command -v xdp-loader >/dev/null; then
	fail "xdp-loader missing (make deps installs xdp-tools)"
else
	in_rx xdp-loader load -m native "$IF_RX" "$tmp/pass.bpf.o" >"$tmp/loader.out" 2>&1 ||
		fail "xdp-loader load: $(cat "$tmp/loader.out")"
	if in_rx xdp-loader status "$IF_RX" | grep xdp_dispatcher >/dev/null; then
		echo "--- dispatcher loaded: feedsieve must share the interface"
		out=$(fs attach "$IF_RX") || fail "attach next to a dispatcher"
		grep -q "next to the other XDP programs" <<<"$out" || fail "attach did not say it shares: $out"
		status=$(in_rx xdp-loader status "$IF_RX")
		grep -q foreign_pass <<<"$status" && grep -q feedsieve_xdp <<<"$status" ||
			fail "both programs should be in the dispatcher: $status"
		fs detach "$IF_RX" >/dev/null || fail "detach from the dispatcher"
		status=$(in_rx xdp-loader status "$IF_RX")
		grep -q foreign_pass <<<"$status" && ! grep -q feedsieve_xdp <<<"$status" ||
			fail "detach must remove only feedsieve: $status"
		in_rx xdp-loader unload -a "$IF_RX" >/dev/null 2>&1
	else
		echo "NOTE: libxdp's dispatcher does not load on this kernel ($(uname -r)): xdp-loader attached the program alone; sharing is not tested here"
		refuse_then_force "program loaded by xdp-loader without a dispatcher"
	fi
fi
finish "foreign programs"
