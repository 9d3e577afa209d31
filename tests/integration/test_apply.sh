#!/usr/bin/env bash
# feedsieve apply / show: a configuration file in, the live state out, the difference printed,
# nothing changed by --dry-run or by a bad file, `show > f; apply f` a true no-op (not even a
# commit), and, with traffic flowing, configuration changes that are atomic for every frame.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

netns_setup || exit 1
test_tmpdir tmp apply
FLIP=$top/build/tests/bank_flip_check

# ---- A configuration from nothing: dry run, then apply attaches ----
cat >"$tmp/x.conf" <<EOF
# two lines of one channel, a group of its own on feed 1 delivering every symbol
interface $IF_RX
group 239.1.1.2:26400 channel ndq line B     # line B first: order does not matter
group 239.1.1.1:26400 channel ndq
group 239.1.2.1:26401 feed 1 all-symbols drop-malformed

symbols MSFT AAPL
symbols QCOM
EOF
out=$(fs apply "$tmp/x.conf" --dry-run) || fail "dry run on an unattached interface"
grep -q "not attached: apply would attach" <<<"$out" || fail "dry run does not say it would attach: $out"
[ "$(grep -c '^+ group' <<<"$out")" -eq 3 ] || fail "dry run does not list 3 groups: $out"
[ ! -e "/sys/fs/bpf/feedsieve/$IF_RX" ] || fail "dry run attached the interface"

out=$(fs apply "$tmp/x.conf") || fail "apply of a fresh configuration"
grep -q "attached in" <<<"$out" || fail "apply did not attach: $out"
[ "$(commits)" -eq 1 ] || fail "one commit expected after the first apply, got $(commits)"

# show prints the canonical form: groups by address, symbols sorted, defaults left out.
cat >"$tmp/x.canonical" <<EOF
interface $IF_RX
group 239.1.1.1:26400 channel ndq
group 239.1.1.2:26400 channel ndq line B
group 239.1.2.1:26401 feed 1 all-symbols drop-malformed
symbols AAPL MSFT QCOM
EOF
fs show "$IF_RX" >"$tmp/show1" || fail "show"
diff <(grep -v '^#' "$tmp/show1") "$tmp/x.canonical" >&2 || fail "show differs from the canonical form"
# ... and what the other commands list agrees.
fs group list "$IF_RX" --json | python3 -c '
import json, sys
g = {x["group"]: x for x in json.load(sys.stdin)}
assert set(g) == {"239.1.1.1:26400", "239.1.1.2:26400", "239.1.2.1:26401"}, g
assert g["239.1.1.1:26400"]["channel"] == g["239.1.1.2:26400"]["channel"] == "ndq"
assert g["239.1.1.2:26400"]["line"] == "B" and g["239.1.2.1:26401"]["feed"] == 1
assert g["239.1.2.1:26401"]["all_symbols"] and g["239.1.2.1:26401"]["drop_malformed"]
' || fail "group list disagrees with the configuration"

# ---- show > f; apply f: no change, not even a commit ----
out=$(fs apply "$tmp/show1") || fail "apply of show's output"
[ "$out" = "no change" ] || fail "apply of show's output printed: $out"
[ "$(commits)" -eq 1 ] || fail "a no-op apply committed"

# ---- The difference, dry and then for real ----
cat >"$tmp/y.conf" <<EOF
interface $IF_RX
group 239.1.1.1:26400 channel ndq
group 239.1.2.1:26401 feed 1
group 239.1.3.1:26402 channel bx feed 2
symbols AAPL NVDA
EOF
cat >"$tmp/y.diff" <<EOF
- group 239.1.1.2:26400 channel ndq line B
~ group 239.1.2.1:26401 feed 1 (was: 239.1.2.1:26401 feed 1 all-symbols drop-malformed)
+ group 239.1.3.1:26402 channel bx feed 2
- symbols MSFT QCOM
+ symbols NVDA
EOF
fs apply "$tmp/y.conf" --dry-run >"$tmp/dry" || fail "dry run of y"
diff "$tmp/dry" "$tmp/y.diff" >&2 || fail "dry run difference"
fs show "$IF_RX" | cmp -s - "$tmp/show1" || fail "dry run changed the live state"
[ "$(commits)" -eq 1 ] || fail "dry run committed"
fs apply "$tmp/y.conf" >"$tmp/real" || fail "apply of y"
diff <(grep -v '^ndq\|live$' "$tmp/real" | grep -v 'configuration [0-9]* live') "$tmp/y.diff" >&2 ||
	fail "apply printed another difference than its dry run"
[ "$(commits)" -eq 2 ] || fail "apply of y: want 2 commits, got $(commits)"
fs apply - <"$tmp/x.conf" >/dev/null || fail "apply from standard input"
fs show "$IF_RX" | cmp -s - "$tmp/show1" || fail "back to x through stdin: show differs"

# A change made with group/sub commands is one commit too, and apply undoes it.
fs sub add "$IF_RX" TSLA || fail "sub add"
fs group del "$IF_RX" 239.1.2.1:26401 || fail "group del"
out=$(fs apply "$tmp/x.conf") || fail "apply after sub add / group del"
grep -qx -- "- symbols TSLA" <<<"$out" || fail "apply does not remove TSLA: $out"
grep -qx -- "+ group 239.1.2.1:26401 feed 1 all-symbols drop-malformed" <<<"$out" ||
	fail "apply does not restore the deleted group: $out"

# ---- Bad files: one line naming file and line, exit 2, nothing changed ----
# row PATTERN DESCRIPTION < CONFIG (a redirection, not a pipe: row must run in this shell)
row() {
	cat >"$tmp/bad.conf"
	expect_error_line 2 "$1" "bad config, $2" -- fs apply "$tmp/bad.conf"
}
I="interface $IF_RX"
row "bad.conf:2: unknown directive 'frobnicate'" "unknown directive" < <(printf '%s\nfrobnicate 1\n' "$I")
row "bad.conf:2: .*not IPv4 multicast" "unicast group" < <(printf '%s\ngroup 10.0.0.1:26400\n' "$I")
row "bad.conf:2: .*ADDRESS:PORT" "group without port" < <(printf '%s\ngroup 239.1.1.1\n' "$I")
row "bad.conf:2: line needs channel" "line without channel" < <(printf '%s\ngroup 239.1.1.1:26400 line B\n' "$I")
row "bad.conf:3: channel c already has a line A" "two A lines in a channel" < <(printf '%s\ngroup 239.1.1.1:26400 channel c\ngroup 239.1.1.2:26400 channel c\n' "$I")
row "bad.conf:3: channel c is on feed 0" "lines of one channel on two feeds" < <(printf '%s\ngroup 239.1.1.1:26400 channel c\ngroup 239.1.1.2:26400 channel c line B feed 1\n' "$I")
row "bad.conf:3: group 239.1.1.1:26400 is already configured" "group twice" < <(printf '%s\ngroup 239.1.1.1:26400\ngroup 239.1.1.1:26400 feed 1\n' "$I")
row "bad.conf:2: feed '4' is not 0-3" "feed out of range" < <(printf '%s\ngroup 239.1.1.1:26400 feed 4\n' "$I")
row "bad.conf:2: unknown group option 'fast'" "unknown group option" < <(printf '%s\ngroup 239.1.1.1:26400 fast\n' "$I")
row "bad.conf:2: channel needs a value" "option without value" < <(printf '%s\ngroup 239.1.1.1:26400 channel\n' "$I")
row "bad.conf:4: symbol AAPL listed twice (also on line 2)" "symbol twice" < <(printf '%s\nsymbols AAPL\n\nsymbols MSFT AAPL\n' "$I")
row "bad.conf:2: .*TOOLONGSYMBOLNAME0123" "symbol longer than 20" < <(printf '%s\nsymbols TOOLONGSYMBOLNAME0123\n' "$I")
row "bad.conf:2: symbols needs at least one" "empty symbols line" < <(printf '%s\nsymbols\n' "$I")
row "bad.conf: no 'interface' line" "no interface" < <(printf 'group 239.1.1.1:26400\n')
row "bad.conf:2: interface given twice" "interface twice" < <(printf '%s\ninterface eth9\n' "$I")
row "bad.conf:2: mode 'turbo' is not auto, native or skb" "bad mode" < <(printf '%s\nmode turbo\n' "$I")
row "bad.conf:2: line longer than 4096" "line too long" < <({ echo "$I"; printf 'symbols'; for i in $(seq 1 700); do printf ' SYM%04d' "$i"; done; echo; })
row "bad.conf:258: group table full (256 groups)" "257 groups" < <({ echo "$I"; for i in $(seq 0 256); do echo "group 239.2.$((i / 200)).$((i % 200 + 1)):1"; done; })
row "bad.conf:2: protocol 'nyse': must be itch, mdp3, nyse-xdp or pitch" "unknown protocol" < <(printf '%s\ngroup 239.1.1.1:26400 proto nyse\n' "$I")
row "bad.conf:2: group 224.0.31.1:1: definitions needs proto mdp3" "definitions on an ITCH group" < <(printf '%s\ngroup 224.0.31.1:1 definitions\n' "$I")
row "bad.conf:3: channel c carries mdp3; both lines must use the same protocol" "lines of one channel on two protocols" < <(printf '%s\ngroup 224.0.31.1:1 proto mdp3 channel c\ngroup 224.0.31.2:1 channel c line B\n' "$I")
row "bad.conf:2: id '4294967295': not a 32-bit signed integer" "id past Int32" < <(printf '%s\nids 4294967295\n' "$I")
row "bad.conf:3: id -5 listed twice (also on line 2)" "id twice" < <(printf '%s\nids -5\nids 7 -5\n' "$I")
row "bad.conf:2: ids needs at least one id" "empty ids line" < <(printf '%s\nids\n' "$I")
row "bad.conf:2: a quoted word must end with '\"'" "a quote left open" < <(printf '%s\nsymbols "BRK A\n' "$I")
row "bad.conf:2: symbol BRK A listed twice (also on line 2)" "a quoted symbol twice" < <(printf '%s\nsymbols "BRK A" AAPL "BRK A"\n' "$I")
row "bad.conf:2: group 239.1.1.1:26400: units needs proto pitch" "units on an ITCH group" < <(printf '%s\ngroup 239.1.1.1:26400 units 1-4\n' "$I")
row "bad.conf:2: units '5-2': the last unit is below the first" "units backwards" < <(printf '%s\ngroup 224.0.62.2:1 proto pitch units 5-2\n' "$I")
row "bad.conf:2: units '0': must be FIRST or FIRST-LAST, units 1 to 255" "unit 0" < <(printf '%s\ngroup 224.0.62.2:1 proto pitch units 0\n' "$I")
row "bad.conf:3: channel c takes units 1-4; both lines must take the same units" "lines of a PITCH channel on other units" < <(printf '%s\ngroup 224.0.62.2:1 proto pitch channel c units 1-4\ngroup 224.0.62.3:1 proto pitch channel c line B units 2-4\n' "$I")
row "bad.conf:2: group 224.0.59.1:1: definitions needs proto mdp3" "definitions on a NYSE group" < <(printf '%s\ngroup 224.0.59.1:1 proto nyse-xdp definitions\n' "$I")
row "bad.conf:3: channel table full (256 channels)" "PITCH units past the channel table" < <(printf '%s\ngroup 224.0.62.2:1 proto pitch units 1-255\ngroup 224.0.62.3:1 proto pitch units 1-2\n' "$I")
err=$(fs apply "$tmp/missing.conf" 2>&1); rc=$?
{ [ $rc -eq 2 ] && grep -q "cannot read $tmp/missing.conf" <<<"$err"; } || fail "missing file: $rc $err"
printf 'interface fsnosuch0\n' >"$tmp/nodev.conf"
err=$(fs apply "$tmp/nodev.conf" 2>&1); rc=$?
{ [ $rc -eq 1 ] && grep -q "fsnosuch0: no such interface" <<<"$err"; } || fail "unknown interface: $rc $err"
echo "apply: $TEST_PASSED bad configuration rows refused cleanly"

# ---- Edges found in review ----
# A line B group whose channel is named after the group itself: show must name the channel,
# or its output would be refused ("line needs channel").
fs group add "$IF_RX" 239.1.7.1:26400 --channel 239.1.7.1:26400 --line B || fail "group add line B"
fs show "$IF_RX" >"$tmp/show_b" || fail "show with a line B group"
out=$(fs apply "$tmp/show_b" 2>&1) || fail "apply of show's output with a line B group: $out"
[ "$out" = "no change" ] || fail "line B round trip printed: $out"
fs group del "$IF_RX" 239.1.7.1:26400 || fail "group del"
# A channel keeps its id (window, session, counters) only while one of its groups stays in it:
# the same name for another stream gets a fresh one, or its old window would drop the new stream.
printf 'interface %s\ngroup 239.1.6.1:26400 channel CH\n' "$IF_RX" >"$tmp/ch1.conf"
printf 'interface %s\ngroup 239.1.6.2:26400 channel CH\n' "$IF_RX" >"$tmp/ch2.conf"
printf 'interface %s\ngroup 239.1.6.2:26400 channel CH\ngroup 239.1.6.3:26400 channel CH line B\n' "$IF_RX" >"$tmp/ch3.conf"
fs apply "$tmp/ch1.conf" >/dev/null && c1=$(chan_id 239.1.6.1:26400)
fs apply "$tmp/ch2.conf" >/dev/null && c2=$(chan_id 239.1.6.2:26400)
fs apply "$tmp/ch3.conf" >/dev/null && c3=$(chan_id 239.1.6.2:26400) && c3b=$(chan_id 239.1.6.3:26400)
if [ -z "$c1" ] || [ -z "$c2" ] || [ "$c1" = "$c2" ]; then
	fail "channel CH with none of its groups kept: id $c1 then $c2, want a fresh id"
fi
[ -n "$c3" ] && [ "$c3" = "$c2" ] && [ "$c3b" = "$c2" ] ||
	fail "channel CH keeping its group and gaining line B: ids $c2 -> $c3 / $c3b, want $c2"
fs apply "$tmp/x.conf" >/dev/null || fail "back to x"
# Replacing half of a large table: the idle bank still holds the configuration of two commits
# ago, so removals must go before insertions or the map overflows on the way.
syms_file() { # syms_file PREFIX FILE: 30 000 symbols PREFIX00000..PREFIX29999
	{ echo "interface $IF_RX"; seq -f "symbols $1%05g" 0 29999; } >"$2"
}
syms_file M "$tmp/m.conf"
syms_file Z "$tmp/z.conf"
syms_file A "$tmp/a30.conf"
{ cat "$tmp/m.conf"; grep symbols "$tmp/z.conf"; } >"$tmp/mz.conf"
{ cat "$tmp/m.conf"; grep symbols "$tmp/a30.conf"; } >"$tmp/ma.conf"
for f in mz m ma; do
	fs apply "$tmp/$f.conf" >/dev/null || fail "large table: apply $f.conf"
done
n=$(fs sub list "$IF_RX" | grep -c '')
[ "$n" -eq 60000 ] || fail "large table: $n subscriptions after M + A, want 60000"
# batch: a line of 1 296 words (more than an old 1 024-word limit) is applied whole, and blank
# lines take no room in a commit.
{ printf 'sub add'; for a in {A..Z} {0..9}; do for b in {A..Z} {0..9}; do printf ' %s%s' "$a" "$b"; done; done; echo; } >"$tmp/wide.batch"
fs batch "$IF_RX" "$tmp/wide.batch" >/dev/null || fail "batch of a 1 296-word line"
n=$(fs sub list "$IF_RX" | grep -c '^[A-Z0-9][A-Z0-9] ')
[ "$n" -eq 1296 ] || fail "batch: $n two-character symbols subscribed, want 1296"
{ yes '' | head -n 120000; echo 'sub add BLANKS'; } >"$tmp/blank.batch"
fs batch "$IF_RX" "$tmp/blank.batch" >/dev/null || fail "batch after 120 000 blank lines"
grep -q '^BLANKS ' <<<"$(fs sub list "$IF_RX")" || fail "batch after blank lines: BLANKS not subscribed"
fs apply "$tmp/x.conf" >/dev/null || fail "back to x"

# ---- Protocols, definitions, ids and names with spaces (issue 11) ----
# Written untidily; show prints the canonical form back, and that form applies as no change.
cat >"$tmp/cme.conf" <<EOF
interface $IF_RX
group 224.0.31.2:14310 proto mdp3 channel CME310 line B feed 1
group 224.0.31.1:14310 proto mdp3 channel CME310 feed 1   # line A
group 224.0.32.1:15310 proto mdp3 definitions feed 1
group 239.1.1.1:26400 proto itch
symbols "UD:1V: VT 1215965433" AAPL "BRK A"
ids 42 -7
ids 2147483647
EOF
cat >"$tmp/cme.canonical" <<EOF
interface $IF_RX
group 224.0.31.1:14310 proto mdp3 channel CME310 feed 1
group 224.0.31.2:14310 proto mdp3 channel CME310 line B feed 1
group 224.0.32.1:15310 proto mdp3 feed 1 definitions
group 239.1.1.1:26400
symbols AAPL "BRK A" "UD:1V: VT 1215965433"
ids -7 42 2147483647
EOF
c0=$(commits)
fs apply "$tmp/cme.conf" >"$tmp/cme.out" || fail "apply of an MDP3 configuration: $(cat "$tmp/cme.out")"
grep -qx -- '+ ids -7 42 2147483647' "$tmp/cme.out" || fail "apply does not list the ids added: $(cat "$tmp/cme.out")"
grep -qx -- '+ group 224.0.32.1:15310 proto mdp3 feed 1 definitions' "$tmp/cme.out" ||
	fail "apply does not list the definitions group: $(cat "$tmp/cme.out")"
[ "$(commits)" -eq $((c0 + 1)) ] || fail "apply of the MDP3 configuration: want one commit"
fs show "$IF_RX" >"$tmp/show_cme" || fail "show of the MDP3 configuration"
diff <(grep -v '^#' "$tmp/show_cme") "$tmp/cme.canonical" >&2 || fail "show differs from the canonical MDP3 form"
out=$(fs apply "$tmp/show_cme") || fail "apply of show's MDP3 output"
[ "$out" = "no change" ] || fail "apply of show's MDP3 output printed: $out"
[ "$(commits)" -eq $((c0 + 1)) ] || fail "a no-op apply of the MDP3 configuration committed"
fs group list "$IF_RX" --json >"$tmp/cme_groups.json" || fail "group list"
fs sub list "$IF_RX" --json >"$tmp/cme_subs.json" || fail "sub list"
fs directory "$IF_RX" --json >"$tmp/cme_dir.json" || fail "directory"
python3 - "$tmp" <<'PY' || fail "group list, sub list and directory disagree with the MDP3 configuration"
import json, sys
d = sys.argv[1]
g = {x["group"]: x for x in json.load(open(f"{d}/cme_groups.json"))}
assert g["224.0.31.1:14310"]["proto"] == "mdp3" and not g["224.0.31.1:14310"]["definitions"], g
assert g["224.0.32.1:15310"]["proto"] == "mdp3" and g["224.0.32.1:15310"]["definitions"], g
assert g["239.1.1.1:26400"]["proto"] == "itch" and not g["239.1.1.1:26400"]["definitions"], g
subs = json.load(open(f"{d}/cme_subs.json"))
names = [s["symbol"] for s in subs if "symbol" in s]
ids = [s["id"] for s in subs if "id" in s]
assert names == ["AAPL", "BRK A", "UD:1V: VT 1215965433"], names
assert ids == [-7, 42, 2147483647], ids
assert len({s["slot"] for s in subs}) == 6, "names and ids share one slot space"
# Ids subscribed before any definition have their directory entry on the MDP3 feed, marked.
dir_ids = {e["id"]: e for e in json.load(open(f"{d}/cme_dir.json")) if e["proto"] == "mdp3"}
assert set(dir_ids) == {-7, 42, 2147483647}, dir_ids
for e in dir_ids.values():
    assert e["feed"] == 1 and e["subscribed"] and "symbol" not in e, e
PY
# Unsubscribing an id re-marks its directory entry (which stays: entries are never removed).
fs sub del "$IF_RX" --id 42 || fail "sub del --id"
fs directory "$IF_RX" --json | python3 -c '
import json, sys
e = {x["id"]: x["subscribed"] for x in json.load(sys.stdin) if x["proto"] == "mdp3"}
assert e == {-7: True, 42: False, 2147483647: True}, e
' || fail "directory after sub del --id 42"
# The difference back to the MDP3 file, dry: one id to add, nothing else.
out=$(fs apply "$tmp/cme.conf" --dry-run) || fail "dry run back to cme.conf"
[ "$out" = "+ ids 42" ] || fail "dry run back to cme.conf printed: $out"
# batch speaks the same words, quotes included; a bad line takes its whole commit with it.
printf 'sub add "ES Z6" BRK.B\nsub add --id 5 -6\nsub del --id 2147483647\ngroup add 224.0.33.1:1 proto mdp3\n' >"$tmp/cme.batch"
fs batch "$IF_RX" "$tmp/cme.batch" >/dev/null || fail "batch of MDP3 changes"
fs show "$IF_RX" | grep -v '^#' >"$tmp/show_batch"
{ grep -qx 'symbols AAPL "BRK A" BRK.B "ES Z6" "UD:1V: VT 1215965433"' "$tmp/show_batch" &&
	grep -qx 'ids -7 -6 5' "$tmp/show_batch" &&
	grep -qx 'group 224.0.33.1:1 proto mdp3' "$tmp/show_batch"; } ||
	fail "show after the batch: $(cat "$tmp/show_batch")"
# The MDP3 group on feed 0 came after the ids: the same commit gave them their feed-0 entries.
fs directory "$IF_RX" --json | python3 -c '
import json, sys
e = {x["id"]: x["subscribed"] for x in json.load(sys.stdin) if x["proto"] == "mdp3" and x["feed"] == 0}
assert e == {-7: True, -6: True, 5: True}, e
' || fail "directory entries on feed 0 for ids subscribed before its group"
# On the command line a negative id needs no '--': there a minus sign and digits is an id.
fs sub add "$IF_RX" --id -11 12 || fail "sub add --id -11 12"
fs show "$IF_RX" | grep -qx 'ids -11 -7 -6 5 12' || fail "show after sub add --id -11 12: $(fs show "$IF_RX")"
fs sub del "$IF_RX" --id 12 -11 || fail "sub del --id 12 -11"
fs show "$IF_RX" | grep -qx 'ids -7 -6 5' || fail "show after sub del --id 12 -11: $(fs show "$IF_RX")"
fs apply "$tmp/x.conf" >/dev/null || fail "back to x"

# ---- NYSE XDP and PITCH groups, PITCH units (issue 12) ----
cat >"$tmp/eq.conf" <<EOF
interface $IF_RX
group 224.0.62.3:30001 proto pitch channel BZX line B units 1-4
group 224.0.62.2:30001 units 1-4 proto pitch channel BZX
group 224.0.62.9:30009 proto pitch
group 224.0.59.77:11076 proto nyse-xdp channel NYSE line B feed 2
group 224.0.59.76:11076 proto nyse-xdp channel NYSE feed 2
symbols "BRK A" ZVZZT
EOF
cat >"$tmp/eq.canonical" <<EOF
interface $IF_RX
group 224.0.59.76:11076 proto nyse-xdp channel NYSE feed 2
group 224.0.59.77:11076 proto nyse-xdp channel NYSE line B feed 2
group 224.0.62.2:30001 proto pitch channel BZX units 1-4
group 224.0.62.3:30001 proto pitch channel BZX line B units 1-4
group 224.0.62.9:30009 proto pitch
symbols "BRK A" ZVZZT
EOF
c0=$(commits)
fs apply "$tmp/eq.conf" >"$tmp/eq.out" || fail "apply of a NYSE/PITCH configuration: $(cat "$tmp/eq.out")"
grep -qx -- '+ group 224.0.62.2:30001 proto pitch channel BZX units 1-4' "$tmp/eq.out" ||
	fail "apply does not list the PITCH group: $(cat "$tmp/eq.out")"
fs show "$IF_RX" >"$tmp/show_eq" || fail "show of the NYSE/PITCH configuration"
diff <(grep -v '^#' "$tmp/show_eq") "$tmp/eq.canonical" >&2 || fail "show differs from the canonical NYSE/PITCH form"
out=$(fs apply "$tmp/show_eq") || fail "apply of show's NYSE/PITCH output"
[ "$out" = "no change" ] || fail "apply of show's NYSE/PITCH output printed: $out"
[ "$(commits)" -eq $((c0 + 1)) ] || fail "NYSE/PITCH: want exactly one commit"
fs group list "$IF_RX" --json >"$tmp/eq_groups.json" || fail "group list"
fs stats "$IF_RX" --json >"$tmp/eq_stats.json" || fail "stats --json"
python3 - "$tmp" <<'PY' || fail "group list and stats disagree with the NYSE/PITCH configuration"
import json, sys
d = sys.argv[1]
g = {x["group"]: x for x in json.load(open(f"{d}/eq_groups.json"))}
assert g["224.0.59.76:11076"]["proto"] == "nyse-xdp" and "units" not in g["224.0.59.76:11076"], g
assert g["224.0.62.2:30001"]["proto"] == "pitch" and g["224.0.62.2:30001"]["units"] == "1-4", g
assert g["224.0.62.3:30001"]["units"] == "1-4", g
assert "units" not in g["224.0.62.9:30009"], g
st = json.load(open(f"{d}/eq_stats.json"))
bzx = [c for c in st["channels"] if c["channel"] == "BZX"]
assert [c["unit"] for c in bzx] == [1, 2, 3, 4], bzx
for c in bzx:
    assert sorted(l["group"] for l in c["lines"]) == ["224.0.62.2:30001", "224.0.62.3:30001"], c
    assert all(l["proto"] == "pitch" for l in c["lines"]), c
assert [c.get("unit") for c in st["channels"] if c["channel"] == "NYSE"] == [None], st["channels"]
assert all(x["proto"] in ("nyse-xdp", "pitch") for x in st["groups"]), st["groups"]
PY
# Units changed on both lines: the difference names them, and the channel has their ids.
sed 's/units 1-4/units 2-3/' "$tmp/eq.conf" >"$tmp/eq2.conf"
out=$(fs apply "$tmp/eq2.conf" --dry-run) || fail "dry run to units 2-3"
want='~ group 224.0.62.2:30001 proto pitch channel BZX units 2-3 (was: 224.0.62.2:30001 proto pitch channel BZX units 1-4)
~ group 224.0.62.3:30001 proto pitch channel BZX line B units 2-3 (was: 224.0.62.3:30001 proto pitch channel BZX line B units 1-4)'
[ "$out" = "$want" ] || fail "dry run to units 2-3 printed: $out"
fs apply "$tmp/eq2.conf" >/dev/null || fail "apply units 2-3"
fs stats "$IF_RX" --json | python3 -c '
import json, sys
assert [c["unit"] for c in json.load(sys.stdin)["channels"] if c["channel"] == "BZX"] == [2, 3]
' || fail "stats after units 2-3"
# batch speaks the same words; a line B disagreeing on units takes its commit with it.
printf 'group add 224.0.62.20:1 proto pitch channel EDGX units 7\ngroup add 224.0.62.21:1 proto pitch channel EDGX line B units 7\n' >"$tmp/eq.batch"
fs batch "$IF_RX" "$tmp/eq.batch" >/dev/null || fail "batch of PITCH groups"
fs show "$IF_RX" | grep -qx 'group 224.0.62.21:1 proto pitch channel EDGX line B units 7' ||
	fail "show after the PITCH batch: $(fs show "$IF_RX")"
printf 'group add 224.0.62.30:1 proto pitch channel CX units 1\ngroup add 224.0.62.31:1 proto pitch channel CX line B\n' >"$tmp/eq_bad.batch"
fs show "$IF_RX" >"$tmp/show_before_bad"
out=$(fs batch "$IF_RX" "$tmp/eq_bad.batch" 2>&1 >/dev/null) && fail "a batch with lines disagreeing on units succeeded"
[ "$out" = "feedsieve: $tmp/eq_bad.batch:2: channel CX takes units 1; both lines must take the same units; its commit (2 lines) not applied, 0 commits before it are live" ] ||
	fail "batch with lines disagreeing on units said: $out"
fs show "$IF_RX" | cmp -s - "$tmp/show_before_bad" || fail "a refused batch commit changed the live state"
fs apply "$tmp/x.conf" >/dev/null || fail "back to x"

# ---- Atomicity under traffic ----
# Two configurations with the same group and disjoint symbols; a thread commits them in turn
# while the consumer checks that no delivered frame carries subscribed messages of both.
mapfile -t syms < <(feed_symbols 40)
printf 'interface %s\ngroup 239.1.9.1:26400\nsymbols %s\n' "$IF_RX" "${syms[*]:0:20}" >"$tmp/a.conf"
printf 'interface %s\ngroup 239.1.9.1:26400\nsymbols %s\n' "$IF_RX" "${syms[*]:20:20}" >"$tmp/b.conf"
fs apply "$tmp/a.conf" >/dev/null || fail "apply a"
(in_rx_exec "$FLIP" "$IF_RX" "$tmp/a.conf" "$tmp/b.conf" 6 >"$tmp/flip.json" 2>"$tmp/flip.err") &
flipper=$!
wait_for_line "$tmp/flip.err" ready 10 || fail "flip checker did not start"
in_tx "$FEEDGEN" --group 239.1.9.1:26400 --iface "$IF_TX" --symbols 40 --max-msgs 24 \
	--duration 7 --rate 20000 2>/dev/null
wait "$flipper" || fail "bank flip check: $(cat "$tmp/flip.json" "$tmp/flip.err")"
echo "apply: atomic flips under traffic: $(cat "$tmp/flip.json")"

finish apply
