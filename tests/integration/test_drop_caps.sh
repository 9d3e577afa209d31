#!/usr/bin/env bash
# consume --drop-caps: once its sockets, UMEM and maps are set up, the consumer keeps only
# CAP_BPF (every bpf() call needs it with kernel.unprivileged_bpf_disabled set: the group sync
# and the socket counters it publishes once a second). Checked in /proc for every thread of the
# running consumer (effective, permitted, bounding and ambient sets, no_new_privs), against a
# consumer started without the option; and it still delivers every message, publishes its
# socket counters and follows a group added after it started.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

GROUP=239.1.8.1:26400
GROUP2=239.1.8.2:26400
CAP_BPF_ONLY=0000008000000000 # 1 << 39
netns_setup
test_tmpdir out caps

fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$GROUP" --all-symbols

# caps PID: "CapEff CapPrm CapBnd CapAmb NoNewPrivs" of each thread, one line per thread.
caps() {
	local t
	for t in /proc/"$1"/task/*; do
		awk '/^(CapEff|CapPrm|CapBnd|CapAmb|NoNewPrivs):/ {printf "%s ", $2} END {print ""}' "$t/status"
	done
}

# Without the option: full capabilities (so the check below can tell the difference).
consumer_start /dev/null "$out/plain.err" --duration 30
plain_caps=$(caps "$consumer" | sort -u)
consumer_stop
grep -q "^$CAP_BPF_ONLY " <<<"$plain_caps" && die "a consumer without --drop-caps already runs with CAP_BPF only"

consumer_start "$out/got.json" "$out/consume.err" --json --drop-caps
grep -q "capabilities dropped" "$out/consume.err" || die "ready line does not say so: $(cat "$out/consume.err")"
sleep 0.2 # the worker thread has started
threads=$(ls /proc/"$consumer"/task | wc -l)
[ "$threads" -ge 2 ] || die "expected the main thread and a worker, found $threads"
got=$(caps "$consumer" | sort -u)
want="$CAP_BPF_ONLY $CAP_BPF_ONLY $CAP_BPF_ONLY 0000000000000000 1 "
[ "$got" = "$want" ] || die "threads' CapEff CapPrm CapBnd CapAmb NoNewPrivs: '$got', want '$want' (without the option: '$plain_caps')"
echo "ok: all $threads threads keep CAP_BPF only (CapEff/CapPrm/CapBnd $CAP_BPF_ONLY, no ambient, no_new_privs; without --drop-caps: ${plain_caps%% *})"

# Still working: a group added now is joined and delivered; every message of both arrives.
fs group add "$IF_RX" "$GROUP2" --all-symbols
wait_joined "$GROUP2" 3 || die "the consumer did not join $GROUP2 after dropping capabilities"
in_tx "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols 30 --packets 1000 --rate 2000 \
	--seed 9 --log "$out/sent1.json" 2>/dev/null
in_tx "$FEEDGEN" --group "$GROUP2" --iface "$IF_TX" --symbols 30 --packets 300 --rate 2000 \
	--seed 10 --session FSGENB0001 --log "$out/sent2.json" 2>/dev/null
sleep 1.5 # and one more socket counter publication
fs stats "$IF_RX" --json >"$out/stats.json"
consumer_stop || die "consumer exited $?"
sent=$(cat "$out/sent1.json" "$out/sent2.json" | grep -c '"seq"')
got=$(delivered "$out/got.json")
[ "$sent" -eq "$got" ] || die "$got of $sent messages delivered after dropping capabilities"
python3 - "$out/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
socks = [x["counters"] for x in s["sockets"]]
assert socks and socks[0]["published_ns"] > 0, "no socket counters published"
assert socks[0]["frames"] == s["global"]["frames_redirected"], (socks, s["global"])
print(f"ok: socket counters published without the other capabilities: {socks[0]['frames']} frames taken")
PY
echo "ok: $got of $sent messages delivered by the consumer with CAP_BPF only"
