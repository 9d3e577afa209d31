#!/usr/bin/env bash
# The standard tools see what feedsieve sees. With feedgen traffic through an attached veth:
# - bpftool map dump of the pinned fs_stats prints named fields whose per-CPU sums equal
#   `feedsieve stats --json`, and so do fs_sock_stats (per queue) and fs_chan_events;
# - `bpftool net` and `xdp-loader status` show our program on the interface, and `bpftool prog
#   show` lists it by that id, named feedsieve_xdp*, using the pinned fs_stats map;
# - the live bank's fs_groups_N and fs_ids_N hold each group's protocol and the ids that group
#   list and sub list show;
# - `stats --watch` gives rates that match feedgen's sending rate and the counters' own deltas.
# (xdpdump is tested in test_xdpdump.sh.)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

require_cmd bpftool xdp-loader
netns_setup || exit 1
test_tmpdir out views
pins=$PINS_ROOT/$IF_RX
GROUP=239.77.0.1:26477 RATE=1000

fs attach "$IF_RX" >/dev/null || exit 1
fs group add "$IF_RX" "$GROUP" || exit 1
fs sub add "$IF_RX" AAPL MSFT || exit 1
consumer_start /dev/null "$out/consume.log" --duration 30 || die "consumer did not start"
(in_tx_exec "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols 50 --rate "$RATE" \
	--duration 4 >/dev/null 2>&1) &
sender=$!

# stats --watch while feedgen sends: two refreshes of one second as JSON, then one text line.
sleep 1
fs stats "$IF_RX" --watch --interval 1 --count 2 --json >"$out/watch.json" || fail "stats --watch --json"
fs stats "$IF_RX" --watch --interval 0.5 --count 1 >"$out/watch.txt" || fail "stats --watch"
python3 - "$out/watch.json" "$RATE" <<'EOF' && ok || fail "stats --watch --json rates"
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
rate, bad = int(sys.argv[2]), []
if len(objs) != 2:
    sys.exit(f"{len(objs)} JSON lines, want 2 (--count 2)")
a, b = objs
for k, r in b["rates"].items():
    delta = b["totals"][k] - a["totals"][k]  # the second refresh spans exactly these two
    if abs(r * b["elapsed_s"] - delta) > 0.1 * b["elapsed_s"] + 1:
        bad.append(f"{k}: {r}/s over {b['elapsed_s']} s but the counter moved {delta}")
for o in objs:
    if not 0.9 < o["elapsed_s"] < 1.5:
        bad.append(f"elapsed_s {o['elapsed_s']} for --interval 1")
    if not 0.8 * rate < o["rates"]["frames_seen"] < 1.2 * rate:
        bad.append(f"frames_seen {o['rates']['frames_seen']}/s while feedgen sends {rate}/s")
    g = o["groups"][0]["rates"]
    if abs(g["frames_seen"] - o["rates"]["frames_seen"]) > 0.02 * rate:
        bad.append(f"the only group sees {g['frames_seen']}/s, the interface {o['rates']['frames_seen']}/s")
if bad:
    sys.exit("; ".join(bad))
EOF
if [ "$(grep -c '' "$out/watch.txt")" = 1 ] && grep -q "^$IF_RX elapsed_s=0\.[0-9]* frames_seen/s=[0-9.]* " "$out/watch.txt"; then
	ok
else
	fail "stats --watch on a pipe is not one line of rates: $(cat "$out/watch.txt")"
fi
wait "$sender"
sleep 1.5 # the consumer publishes its socket counters every second

# bpftool's dump of a pinned map, summed over CPUs for per-CPU maps, against stats --json.
# Frames may still trickle in (IPv6 neighbour discovery on the veth), so compare up to 3 times.
compare_dumps() {
	fs stats "$IF_RX" --json >"$out/stats.json" || return 1
	for map in fs_stats fs_sock_stats fs_chan_events; do
		# Plain output: with BTF, bpftool prints the values as JSON with named fields.
		bpftool map dump pinned "$pins/$map" >"$out/$map.json" || return 1
	done
	python3 - "$out" <<'EOF'
import json, os, sys
d = sys.argv[1]
stats = json.load(open(f"{d}/stats.json"))
load = lambda m: json.load(open(f"{d}/{m}.json"))
bad = []
# fs_stats: one key, a value per CPU, each a struct with named fields.
entry = load("fs_stats")[0]
summed = {}
for cpu in entry["values"]:
    for k, v in cpu["value"].items():
        summed[k] = summed.get(k, 0) + v
if summed != stats["global"]:
    bad.append(f"fs_stats {summed} != stats --json global {stats['global']}")
if not summed.get("frames_redirected"):
    bad.append("no frame redirected: the traffic did not arrive")
# fs_sock_stats: array by RX queue, named fields.
socks = {e["key"]: e["value"] for e in load("fs_sock_stats")}
for s in stats["sockets"]:
    if socks[s["queue"]] != s["counters"]:
        bad.append(f"fs_sock_stats[{s['queue']}] {socks[s['queue']]} != {s['counters']}")
if not stats["sockets"]:
    bad.append("no socket counters published")
# fs_chan_events: array by channel id; stats --json lists channels by name, the group's is 0.
# (The value also holds where the consumer stands, which is no counter: compare the counters.)
events = {e["key"]: e["value"] for e in load("fs_chan_events")}
want = stats["channels"][0]["events"]
if {k: events[0].get(k) for k in want} != want:
    bad.append(f"fs_chan_events[0] {events[0]} != {want}")
if bad:
    print("; ".join(bad))
    sys.exit(1)
EOF
}
for try in 1 2 3; do
	why=$(compare_dumps 2>&1) && break
	sleep 0.5
done
[ "$try" -le 3 ] && [ -z "$why" ] && ok || fail "bpftool map dump vs stats --json: $why"

# Which program runs on the interface, as bpftool net and xdp-loader see it.
id=$(in_rx bpftool -j net show dev "$IF_RX" |
	python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["xdp"][0]["id"])') || id=""
[ -n "$id" ] && ok || fail "bpftool net shows no XDP program on $IF_RX"
in_rx bpftool net show dev "$IF_RX" >"$out/net.txt"
grep -q "^$IF_RX([0-9]*) \(driver\|generic\) id $id$" "$out/net.txt" && ok ||
	fail "bpftool net: $(cat "$out/net.txt")"
stats_id=$(bpftool -j map show pinned "$pins/fs_stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
bpftool -j prog show id "$id" >"$out/prog.json" && python3 - "$out/prog.json" "$stats_id" <<'EOF' && ok || fail "bpftool prog show id $id"
import json, sys
p, stats_id = json.load(open(sys.argv[1])), int(sys.argv[2])
if p["type"] != "xdp" or not p["name"].startswith("feedsieve_xdp") or stats_id not in p["map_ids"]:
    sys.exit(f"{p['type']} {p['name']} maps {p['map_ids']}, want xdp feedsieve_xdp* using map {stats_id}")
EOF
# No -q: under pipefail, grep leaving early would make bpftool's SIGPIPE the result.
bpftool prog show | grep "^$id: xdp  name feedsieve_xdp" >/dev/null && ok || fail "bpftool prog show does not list $id"
in_rx xdp-loader status "$IF_RX" >"$out/loader.txt" 2>&1
grep -Eq "^$IF_RX +feedsieve_xdp[a-z_]* +(native|skb) +$id " "$out/loader.txt" && ok ||
	fail "xdp-loader status: $(cat "$out/loader.txt")"

# Each group's protocol and the subscriptions by id, as bpftool prints the live bank's maps:
# fs_groups_N's named "proto" field against group list (and a PITCH group's units), fs_ids_N's
# keys against sub list.
fs group add "$IF_RX" 224.0.31.1:14310 --proto mdp3 --definitions || fail "mdp3 group add"
fs group add "$IF_RX" 224.0.59.76:11076 --proto nyse-xdp || fail "nyse-xdp group add"
fs group add "$IF_RX" 224.0.62.2:30001 --proto pitch --units 2-4 || fail "pitch group add"
fs sub add "$IF_RX" --id -- 42 -7 || fail "sub add --id"
bank=$(bpftool map dump pinned "$pins/fs_bank" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["value"]["commits"] % 2)')
for map in "fs_groups_$bank" "fs_ids_$bank"; do
	bpftool map dump pinned "$pins/$map" >"$out/$map.json" || fail "bpftool map dump $map"
done
fs group list "$IF_RX" --json >"$out/groups.json" || fail "group list"
fs sub list "$IF_RX" --json >"$out/subs.json" || fail "sub list"
python3 - "$out" "$bank" <<'EOF' && ok || fail "bpftool's fs_groups / fs_ids disagree with group list / sub list"
import ipaddress, json, socket, struct, sys
d, bank = sys.argv[1], sys.argv[2]
protos = {1: "itch", 2: "mdp3", 3: "nyse-xdp", 4: "pitch"}  # enum fs_proto
listed = {g["group"]: g for g in json.load(open(f"{d}/groups.json"))}
dumped = {}
for e in json.load(open(f"{d}/fs_groups_{bank}.json")):
    k = e["key"]
    addr = ipaddress.IPv4Address(struct.pack("<I", k["addr"]))  # __be32 read as a host number
    port = socket.ntohs(k["port"])
    dumped[f"{addr}:{port}"] = e["value"]
bad = []
if set(dumped) != set(listed):
    bad.append(f"groups {sorted(dumped)} vs {sorted(listed)}")
for name, v in dumped.items():
    if name in listed and protos.get(v["proto"]) != listed[name]["proto"]:
        bad.append(f"{name}: proto {v['proto']} in the map, {listed[name]['proto']} listed")
    if name in listed and bool(v["flags"] & 4) != listed[name]["definitions"]:
        bad.append(f"{name}: flags {v['flags']}, definitions {listed[name]['definitions']}")
if listed.get("224.0.31.1:14310", {}).get("proto") != "mdp3":
    bad.append("the MDP3 group is not listed as mdp3")
for name, proto in (("224.0.59.76:11076", "nyse-xdp"), ("224.0.62.2:30001", "pitch")):
    if listed.get(name, {}).get("proto") != proto:
        bad.append(f"{name} is not listed as {proto}")
for name, v in dumped.items():
    units = f"{v['unit_first']}-{v['unit_first'] + v['unit_count'] - 1}" if v["unit_count"] else None
    if name in listed and listed[name].get("units") != units:
        bad.append(f"{name}: units {units} in the map, {listed[name].get('units')} listed")
if dumped.get("224.0.62.2:30001", {}).get("unit_count") != 3:
    bad.append(f"the PITCH group's units in the map: {dumped.get('224.0.62.2:30001')}")
ids = sorted(struct.unpack("<i", struct.pack("<I", e["key"]))[0]
             for e in json.load(open(f"{d}/fs_ids_{bank}.json")))
subs = sorted(s["id"] for s in json.load(open(f"{d}/subs.json")) if "id" in s)
if ids != subs or ids != [-7, 42]:
    bad.append(f"fs_ids_{bank} holds {ids}, sub list {subs}, want [-7, 42]")
if bad:
    sys.exit("; ".join(bad))
EOF

# The PITCH order map is pinned with the others, at the capacity limits.h gives it.
max_orders=$(python3 -c "import re, sys; m = re.search(r'define FS_MAX_ORDERS \(1 << (\d+)\)', open(sys.argv[1]).read()); print(1 << int(m.group(1)))" "$top/include/feedsieve/limits.h")
bpftool -j map show pinned "$pins/fs_orders" >"$out/orders.json" || fail "bpftool map show fs_orders"
python3 - "$out/orders.json" "$max_orders" <<'EOF' && ok || fail "fs_orders as bpftool shows it: $(cat "$out/orders.json")"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["name"] == "fs_orders" and m["type"] == "hash", m
assert m["max_entries"] == int(sys.argv[2]) and m["bytes_key"] == 16 and m["bytes_value"] == 32, m
EOF

# Re-request servers (issue 13): fs_servers maps each server a group names to that group, the
# group's fs_groups_N entry names the server, and a server no group names any more is removed by
# the commit that drops it; a snapshot group's line is FS_LINE_SNAPSHOT (2).
fs group add "$IF_RX" 239.77.0.2:26477 --channel RT --retransmit 10.9.0.1:9000 || fail "group add --retransmit"
fs group add "$IF_RX" 239.77.0.3:26477 --channel RT --line B --retransmit 10.9.0.1:9000 || fail "line B --retransmit"
fs group add "$IF_RX" 224.0.28.1:14310 --proto mdp3 --channel SNAP || fail "mdp3 line"
fs group add "$IF_RX" 224.0.28.2:14310 --proto mdp3 --channel SNAP --snapshot || fail "group add --snapshot"
servers_view() {
	local bank
	bank=$(bpftool map dump pinned "$pins/fs_bank" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["value"]["commits"] % 2)')
	bpftool map dump pinned "$pins/fs_servers" >"$out/servers.json" &&
		bpftool map dump pinned "$pins/fs_groups_$bank" >"$out/groups_rt.json" &&
		python3 - "$out" <<'EOF'
import ipaddress, json, socket, struct, sys
d = sys.argv[1]
def name(k):
    return f"{ipaddress.IPv4Address(struct.pack('<I', k['addr']))}:{socket.ntohs(k['port'])}"
servers = sorted((name(e["key"]), name(e["value"])) for e in json.load(open(f"{d}/servers.json")))
groups = {name(e["key"]): e["value"] for e in json.load(open(f"{d}/groups_rt.json"))}
named = {g: name({"addr": v["retrans_addr"], "port": v["retrans_port"]})
         for g, v in groups.items() if v["retrans_addr"]}
lines = {g: v["line"] for g, v in groups.items() if g.startswith("224.0.28.")}
print(servers, sorted(named.items()), sorted(lines.items()))
EOF
}
got=$(servers_view) || fail "bpftool map dump fs_servers"
expect_eq "$got" "[('10.9.0.1:9000', '239.77.0.2:26477')] [('239.77.0.2:26477', '10.9.0.1:9000'), ('239.77.0.3:26477', '10.9.0.1:9000')] [('224.0.28.1:14310', 0), ('224.0.28.2:14310', 2)]" \
	"fs_servers and fs_groups with a re-request server and a snapshot group"
fs group del "$IF_RX" 239.77.0.2:26477 || fail "group del"
got=$(servers_view) || fail "bpftool map dump fs_servers"
expect_eq "$got" "[('10.9.0.1:9000', '239.77.0.3:26477')] [('239.77.0.3:26477', '10.9.0.1:9000')] [('224.0.28.1:14310', 0), ('224.0.28.2:14310', 2)]" \
	"fs_servers after the group it named is deleted: the other line"
fs group del "$IF_RX" 239.77.0.3:26477 || fail "group del"
got=$(servers_view) || fail "bpftool map dump fs_servers"
expect_eq "$got" "[] [] [('224.0.28.1:14310', 0), ('224.0.28.2:14310', 2)]" \
	"fs_servers after no group names the server"

consumer_stop
finish "bpftool views"
