#!/usr/bin/env bash
# Every bad input the CLI refuses: the exit code, exactly one line on stderr naming the problem,
# and proof that the live state (groups, subscriptions, attachment) is unchanged afterwards.
# Includes full maps: a command that would overflow the group or subscription table changes
# nothing, not even its valid part.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

netns_setup || exit 1
test_tmpdir tmp cli
fs attach "$IF_RX" >/dev/null || exit 1
fs group add "$IF_RX" 239.1.1.1:26400 || exit 1
fs sub add "$IF_RX" AAPL MSFT || exit 1

# row EXPECTED_RC STDERR_PATTERN DESCRIPTION -- ARGS...: the CLI with ARGS (live_state unchanged)
row() {
	local rc=$1 pattern=$2 desc=$3
	shift 4
	expect_error_line "$rc" "$pattern" "$desc" -- fs "$@"
}

row 2 "not IPv4 multicast" "unicast group address" -- group add "$IF_RX" 10.1.1.1:26400
row 2 "not IPv4 multicast" "address just below 224/4" -- group add "$IF_RX" 223.255.255.255:1
row 2 "not IPv4 multicast" "address just above 239/8" -- group add "$IF_RX" 240.0.0.0:1
row 2 "port must be" "port 0" -- group add "$IF_RX" 239.1.1.2:0
row 2 "port must be" "port 65536" -- group add "$IF_RX" 239.1.1.2:65536
row 2 "port must be" "port with garbage" -- group add "$IF_RX" 239.1.1.2:80x
row 2 "expected ADDRESS:PORT" "no port at all" -- group add "$IF_RX" 239.1.1.2
row 2 "not a dotted IPv4" "hostname instead of address" -- group add "$IF_RX" feed.example:26400
row 2 "--feed" "feed index out of range" -- group add "$IF_RX" 239.1.1.2:26400 --feed 4
row 2 "unknown option" "unknown group option" -- group add "$IF_RX" 239.1.1.2:26400 --fast
row 1 "already configured" "group added twice" -- group add "$IF_RX" 239.1.1.1:26400
row 1 "not configured" "deleting an absent group" -- group del "$IF_RX" 239.9.9.9:1
row 1 "no such interface" "unknown interface" -- group add nosuch0 239.1.1.2:26400
row 1 "not attached" "interface without feedsieve" -- group add lo 239.1.1.2:26400
row 2 "empty" "empty symbol" -- sub add "$IF_RX" ""
row 2 "longer than 20" "twenty-one-character symbol" -- sub add "$IF_RX" ABCDEFGHIJKLMNOPQRSTU
row 2 "starts or ends with a space" "symbol with a trailing space" -- sub add "$IF_RX" "BRK "
row 2 "printable ASCII" "symbol with a tab" -- sub add "$IF_RX" "$(printf 'AB\tC')"
row 2 "printable ASCII" "non-ASCII symbol" -- sub add "$IF_RX" "$(printf '\xc3\x84PPL')"
row 2 "longer than 20" "valid symbols before a bad one are not added" -- sub add "$IF_RX" GOOG IBM TOOLONGSYMBOLNAME0123
row 1 "not subscribed" "deleting a subscribed and an absent symbol removes neither" -- sub del "$IF_RX" AAPL NOPE
row 1 "no such interface" "subscribe on unknown interface" -- sub add nosuch0 AAPL
row 1 "not attached" "subscribe on interface without feedsieve" -- sub add lo AAPL
row 1 "already attached" "attach twice" -- attach "$IF_RX"
row 2 "--mode" "unknown attach mode" -- attach "$IF_RX" --mode turbo
row 1 "no such interface" "attach unknown interface" -- attach nosuch0
row 1 "not attached" "detach an interface without feedsieve" -- detach lo
row 1 "not attached" "stats of an interface without feedsieve" -- stats lo
row 2 "--queue" "queue beyond the XSKMAP" -- consume "$IF_RX" --queue 64
row 2 "--count" "count not a number" -- consume "$IF_RX" --count ten
row 2 "--queues" "queue list with garbage" -- consume "$IF_RX" --queues 0-x
row 2 "--queues" "queue beyond the XSKMAP in a list" -- consume "$IF_RX" --queues 0-64
row 2 "--cpus names" "fewer CPUs than queues" -- consume "$IF_RX" --queues 0-1 --cpus 0
row 2 "power of two" "RX ring not a power of two" -- consume "$IF_RX" --rx-ring 1000
row 2 "at least --rx-ring" "fill ring smaller than the RX ring" -- consume "$IF_RX" --rx-ring 4096 --fill-ring 1024
row 2 "2048 or 4096" "frame size the kernel refuses" -- consume "$IF_RX" --frame-size 3000
row 2 "--line needs --channel" "a line without a channel" -- group add "$IF_RX" 239.1.9.1:1 --line B
row 2 "must be A or B" "a line C" -- group add "$IF_RX" 239.1.9.1:1 --channel X --line C
row 1 "already has a line A" "a second line A in a channel" -- group add "$IF_RX" 239.1.9.2:1 --channel 239.1.1.1:26400 --line A
row 2 "needs --watch" "stats --interval without --watch" -- stats "$IF_RX" --interval 1
row 2 "needs --watch" "stats --count without --watch" -- stats "$IF_RX" --count 3
row 2 "from 0.1 to 3600" "stats --watch with a zero interval" -- stats "$IF_RX" --watch --interval 0
row 2 "from 0.1 to 3600" "stats --watch with an interval that is not a number" -- stats "$IF_RX" --watch --interval 1s
row 2 "at least 1" "stats --watch --count 0" -- stats "$IF_RX" --watch --count 0
row 2 "does not go with --watch" "stats --watch with --prometheus" -- stats "$IF_RX" --watch --prometheus
row 2 "exclude each other" "stats --watch with --symbols" -- stats "$IF_RX" --watch --symbols
row 2 "longer than 20" "stats --symbols with a bad symbol in the list" -- stats "$IF_RX" --symbols AAPL,TOOLONGSYMBOLNAME0123
row 1 "not subscribed" "stats --symbols naming a symbol not subscribed" -- stats "$IF_RX" --symbols AAPL,NOPE
row 2 "unknown command" "unknown command" -- frobnicate "$IF_RX"
row 2 "unknown subcommand" "unknown group subcommand" -- group move "$IF_RX"
# Rings, UMEM and queues outside what the kernel accepts: refused at parse time where the limit
# is known (exit 2), else from the kernel's refusal (exit 1). The veth has one RX queue.
row 2 "power of two from 64" "RX ring below 64 entries" -- consume "$IF_RX" --rx-ring 32
row 2 "from 0 to 1048576" "RX ring beyond 1048576 entries" -- consume "$IF_RX" --rx-ring 2097152
row 2 "power of two" "fill ring not a power of two" -- consume "$IF_RX" --fill-ring 3000
row 2 "--frames must be at least 64" "UMEM of fewer than 64 frames" -- consume "$IF_RX" --frames 10
row 2 "from 0 to 1048576" "UMEM of more than 1048576 frames" -- consume "$IF_RX" --frames 2000000
row 2 "at most --fill-ring (1024)" "more UMEM frames than fill ring slots" -- consume "$IF_RX" --fill-ring 1024 --frames 2048
row 2 "at most --fill-ring (4096)" "more UMEM frames than the default fill ring" -- consume "$IF_RX" --frames 8192
row 2 "2048 or 4096" "frame size below the kernel's smallest UMEM chunk" -- consume "$IF_RX" --frame-size 1024
row 2 "from 0 to 4096" "frame size above a page" -- consume "$IF_RX" --frame-size 8192
row 1 "queue 5 does not exist: the interface has 1 RX queue" "queue the interface does not have" -- consume "$IF_RX" --queue 5
row 1 "queue 1 does not exist" "queue list reaching past the interface's queues" -- consume "$IF_RX" --queues 0-1
row 2 "unknown option" "attach with an unknown option next to --force" -- attach "$IF_RX" --force --quick

# Protocols, definitions groups and subscriptions by numeric id (issue 11).
fs group add "$IF_RX" 224.0.31.1:14310 --proto mdp3 --channel CME || exit 1
fs sub add "$IF_RX" --id 5 || exit 1
row 2 "--proto must be 'itch', 'mdp3', 'nyse-xdp' or 'pitch', not 'nyse'" "unknown protocol" -- group add "$IF_RX" 239.1.1.2:26400 --proto nyse
row 2 "--definitions needs --proto mdp3" "--definitions on an ITCH group" -- group add "$IF_RX" 239.1.1.2:26400 --definitions
row 2 "--definitions needs --proto mdp3" "--definitions with --proto itch" -- group add "$IF_RX" 239.1.1.2:26400 --proto itch --definitions
row 1 "channel 239.1.1.1:26400 carries itch; both lines must use the same protocol" "an MDP3 line B of an ITCH channel" -- group add "$IF_RX" 224.0.31.2:14310 --proto mdp3 --channel 239.1.1.1:26400 --line B
row 1 "channel CME carries mdp3; both lines must use the same protocol" "an ITCH line B of an MDP3 channel" -- group add "$IF_RX" 239.1.1.3:26400 --channel CME --line B
row 2 "not a 32-bit signed integer" "an id past 2^31 - 1, after a good one" -- sub add "$IF_RX" --id 7 2147483648
row 2 "not a 32-bit signed integer" "an id below -2^31" -- sub add "$IF_RX" --id -- -2147483649
row 2 "id '12x': not a 32-bit signed integer" "an id with garbage" -- sub add "$IF_RX" --id 12x
row 2 "id 'AAPL': not a 32-bit signed integer" "a symbol given as an id" -- sub del "$IF_RX" --id AAPL
row 2 "option '-8' is unknown or needs a value" "an option cluster after an id ('-8x' is no number)" -- sub add "$IF_RX" --id 7 -8x
row 1 "id '9' is not subscribed; nothing changed" "deleting a subscribed and an absent id removes neither" -- sub del "$IF_RX" --id 5 9
row 1 "symbol '5' is not subscribed" "an id deleted as a symbol" -- sub del "$IF_RX" 5
row 2 "without '#' or '\"'" "a symbol with a double quote (configuration files quote with it)" -- sub add "$IF_RX" 'BRK"A'
row 2 "not a 32-bit signed integer" "stats --symbols with a bad id in the list" -- stats "$IF_RX" --symbols AAPL,id:x
row 1 "id 9 is not subscribed" "stats --symbols naming an id not subscribed" -- stats "$IF_RX" --symbols id:5,id:9
got=$(fs stats "$IF_RX" --symbols AAPL,id:5 --json | python3 -c 'import json, sys; print([s.get("symbol", s.get("id")) for s in json.load(sys.stdin)["symbols"]])')
expect_eq "$got" "['AAPL', 5]" "stats --symbols AAPL,id:5"
fs sub del "$IF_RX" --id 5 || exit 1
fs group del "$IF_RX" 224.0.31.1:14310 || exit 1

# NYSE XDP and PITCH groups, PITCH units (issue 12).
fs group add "$IF_RX" 224.0.62.2:30001 --proto pitch --channel BZX --units 1-4 || exit 1
fs group add "$IF_RX" 224.0.59.76:11076 --proto nyse-xdp --channel NYSE || exit 1
row 2 "--units needs --proto pitch" "--units on an ITCH group" -- group add "$IF_RX" 239.1.1.2:26400 --units 1-4
row 2 "--units needs --proto pitch" "--units on a NYSE XDP group" -- group add "$IF_RX" 224.0.59.77:11076 --proto nyse-xdp --units 2
row 2 "units '4-1': the last unit is below the first" "units backwards" -- group add "$IF_RX" 224.0.62.3:30001 --proto pitch --units 4-1
row 2 "units '0': must be FIRST or FIRST-LAST, units 1 to 255" "unit 0" -- group add "$IF_RX" 224.0.62.3:30001 --proto pitch --units 0
row 2 "units '1-256': must be FIRST or FIRST-LAST" "unit 256" -- group add "$IF_RX" 224.0.62.3:30001 --proto pitch --units 1-256
row 2 "--definitions needs --proto mdp3" "--definitions on a NYSE XDP group" -- group add "$IF_RX" 224.0.59.77:11076 --proto nyse-xdp --definitions
row 2 "--definitions needs --proto mdp3" "--definitions on a PITCH group" -- group add "$IF_RX" 224.0.62.3:30001 --proto pitch --definitions
row 1 "channel BZX takes units 1-4; both lines must take the same units" "line B of a PITCH channel on other units" -- group add "$IF_RX" 224.0.62.3:30001 --proto pitch --channel BZX --line B --units 1-3
row 1 "channel BZX takes units 1-4; both lines must take the same units" "line B of a PITCH channel without units" -- group add "$IF_RX" 224.0.62.3:30001 --proto pitch --channel BZX --line B
row 1 "channel NYSE carries nyse-xdp; both lines must use the same protocol" "a PITCH line B of a NYSE channel" -- group add "$IF_RX" 224.0.62.3:30001 --proto pitch --channel NYSE --line B
row 1 "channel BZX: line A does not take all symbols; both lines of a PITCH channel must agree on all-symbols" "an all-symbols line B of a PITCH channel" -- group add "$IF_RX" 224.0.62.3:30001 --proto pitch --channel BZX --line B --units 1-4 --all-symbols
row 1 "channel table full" "a PITCH channel of more units than channel ids are left" -- group add "$IF_RX" 224.0.62.9:30009 --proto pitch --units 1-255
# No id is subscribed here, so the NYSE group (keyed by id) takes no directory slot, which the
# full-directory rows below count.
fs group del "$IF_RX" 224.0.62.2:30001 || exit 1
fs group del "$IF_RX" 224.0.59.76:11076 || exit 1

# Re-request servers and snapshot groups (issue 13). The listing shows what was taken.
fs group add "$IF_RX" 239.1.5.1:26400 --channel NDQ --retransmit 10.0.0.9:9000 || exit 1
fs group add "$IF_RX" 224.0.31.5:14310 --proto mdp3 --channel CME13 || exit 1
row 2 "server '239.0.0.9:9000': address must be a unicast IPv4 address" "a multicast re-request server" -- group add "$IF_RX" 239.1.1.2:26400 --retransmit 239.0.0.9:9000
row 2 "server '10.0.0.9:0': port must be a number from 1 to 65535" "a re-request server on port 0" -- group add "$IF_RX" 239.1.1.2:26400 --retransmit 10.0.0.9:0
row 2 "server 'feed.example:9000': address is not a dotted IPv4 address" "a re-request server by name" -- group add "$IF_RX" 239.1.1.2:26400 --retransmit feed.example:9000
row 2 "option '--retransmit' is unknown or needs a value" "--retransmit without its server" -- group add "$IF_RX" 239.1.1.2:26400 --retransmit
row 2 "--retransmit: the re-request service of mdp3 is not covered yet" "a re-request server on an MDP3 group" -- group add "$IF_RX" 224.0.31.6:14310 --proto mdp3 --retransmit 10.0.0.9:9001
row 2 "--retransmit: the re-request service of nyse-xdp is not covered yet" "a re-request server on a NYSE XDP group" -- group add "$IF_RX" 224.0.59.78:11076 --proto nyse-xdp --retransmit 10.0.0.9:9001
row 2 "--retransmit: the re-request service of pitch is not covered yet" "a re-request server on a PITCH group" -- group add "$IF_RX" 224.0.62.4:30001 --proto pitch --retransmit 10.0.0.9:9001
row 1 "channel NDQ: line A names re-request server 10.0.0.9:9000; the lines of a channel name the same server" "line B naming another server than line A" -- group add "$IF_RX" 239.1.5.2:26400 --channel NDQ --line B --retransmit 10.0.0.9:9001
row 1 "re-request server 10.0.0.9:9000 is already channel NDQ's; a server serves one channel" "a second channel naming the same server" -- group add "$IF_RX" 239.1.5.3:26400 --retransmit 10.0.0.9:9000
row 2 "--snapshot needs --proto mdp3" "--snapshot on an ITCH group" -- group add "$IF_RX" 239.1.5.4:26400 --channel NDQ --snapshot
row 2 "--snapshot needs --channel" "--snapshot without a channel" -- group add "$IF_RX" 224.0.28.6:14310 --proto mdp3 --snapshot
row 2 "--snapshot excludes --line (a snapshot group is not a line of its channel)" "--snapshot with --line" -- group add "$IF_RX" 224.0.28.6:14310 --proto mdp3 --channel CME13 --line B --snapshot
row 2 "--snapshot excludes --definitions" "--snapshot with --definitions" -- group add "$IF_RX" 224.0.28.6:14310 --proto mdp3 --channel CME13 --definitions --snapshot
row 1 "channel CME13 is on feed 0; both lines must use the same feed" "a snapshot group on another feed than its channel" -- group add "$IF_RX" 224.0.28.6:14310 --proto mdp3 --channel CME13 --feed 1 --snapshot
fs group add "$IF_RX" 224.0.28.5:14310 --proto mdp3 --channel CME13 --snapshot || exit 1
got=$(fs group list "$IF_RX" --json | python3 -c 'import json, sys
g = {x["group"]: x for x in json.load(sys.stdin)}
print(g["239.1.5.1:26400"].get("retransmit"), g["224.0.28.5:14310"]["line"], g["224.0.28.5:14310"].get("snapshot"), g["224.0.31.5:14310"].get("snapshot"))')
expect_eq "$got" "10.0.0.9:9000 snapshot True None" "group list --json: the server and the snapshot group"
fs group list "$IF_RX" | grep -q '^239.1.5.1:26400 .* retransmit 10.0.0.9:9000 frames' || fail "group list does not show the server"
row 1 "channel CME13 already has a snapshot group" "a second snapshot group of a channel" -- group add "$IF_RX" 224.0.28.6:14310 --proto mdp3 --channel CME13 --snapshot
printf 'group add 224.0.28.7:1 proto mdp3 channel CME13 line B snapshot\n' >"$tmp/batch13.1"
printf 'sub add NEWB\ngroup add 239.1.5.5:1 retransmit 10.0.0.9:9000\n' >"$tmp/batch13.2"
row 2 "batch13.1:1: snapshot takes no line" "batch: a snapshot group with a line" -- batch "$IF_RX" "$tmp/batch13.1"
row 2 "batch13.2:2: re-request server 10.0.0.9:9000 is already channel NDQ's" "batch: a server taken by another channel takes the whole commit with it" -- batch "$IF_RX" "$tmp/batch13.2"
fs group del "$IF_RX" 239.1.5.1:26400 || exit 1
fs group del "$IF_RX" 224.0.31.5:14310 || exit 1
fs group del "$IF_RX" 224.0.28.5:14310 || exit 1

# A full instrument directory: one MDP3 group per feed, each subscribed id takes a slot per feed.
# When the ids asked for do not fit, none is subscribed. Slots stay taken (the directory never
# forgets), so the groups and ids are removed again before the tables below fill.
max_feeds=$(sed -n 's/^#define FS_MAX_FEEDS \([0-9]*\)/\1/p' "$top/include/feedsieve/limits.h")
max_inst=$(sed -n 's/^#define FS_MAX_INSTRUMENTS \([0-9]*\)/\1/p' "$top/include/feedsieve/limits.h")
for f in $(seq 0 $((max_feeds - 1))); do
	fs group add "$IF_RX" "224.0.40.$f:14310" --proto mdp3 --feed "$f" || die "mdp3 group on feed $f"
done
per_feed=$((max_inst / max_feeds))
mapfile -t ids < <(seq 1 "$per_feed")
fs sub add "$IF_RX" --id "${ids[@]}" || die "filling the instrument directory"
row 1 "instrument directory full" "one id more than the directory holds: not added" -- sub add "$IF_RX" --id 1 "$((per_feed + 1))"
n=$(fs directory "$IF_RX" --json | python3 -c 'import json, sys; print(sum(1 for e in json.load(sys.stdin) if e["proto"] == "mdp3" and e["subscribed"]))')
expect_eq "$n" "$max_inst" "subscribed id-keyed directory entries when full"
fs sub del "$IF_RX" --id "${ids[@]}" || die "removing the ids"
for f in $(seq 0 $((max_feeds - 1))); do
	fs group del "$IF_RX" "224.0.40.$f:14310" || die "mdp3 group on feed $f"
done

# apply, show and batch: their arguments, and batch lines refused with their whole commit.
B=$tmp/batch
printf 'sub add NEWB\nsub del ZZZZ\n' >"$B.1"
printf 'attach %s\n' "$IF_RX" >"$B.2"
printf 'group add 239.1.1.1:26400\n' >"$B.3"
{ printf 'sub add'; for i in $(seq 1 600); do printf ' SYM%04d' "$i"; done; echo; } >"$B.4"
printf 'sub add NEWB\ngroup add 239.1.9.9:1 line B\n' >"$B.5"
printf 'sub add --id 1 x\n' >"$B.6"
printf 'group add 224.0.31.9:1 proto mdp3\ngroup add 239.1.9.9:1 definitions\n' >"$B.7"
printf 'sub add "BRK A\n' >"$B.8"
row 2 "without '#'" "a symbol with '#' (a configuration file could not name it)" -- sub add "$IF_RX" 'AB#C'
row 2 "without spaces or '#'" "a channel with '#'" -- group add "$IF_RX" 239.1.9.3:1 --channel 'x#y'
row 2 "usage: feedsieve show IFNAME" "show without an interface" -- show
row 1 "lo: feedsieve is not attached" "show of an interface feedsieve is not on" -- show lo
row 2 "usage: feedsieve apply CONFIG" "apply without a file" -- apply
row 2 "cannot read /nonexistent.conf" "apply of a missing file" -- apply /nonexistent.conf
row 2 "unknown option" "apply with an unknown option" -- apply "$B.1" --force
row 2 "usage: feedsieve batch IFNAME" "batch without an interface" -- batch
row 2 "cannot read /nonexistent" "batch from a missing file" -- batch "$IF_RX" /nonexistent
row 2 "$B.1:2: ZZZZ is not subscribed" "batch: a bad line takes its whole commit with it" -- batch "$IF_RX" "$B.1"
row 2 "$B.2:1: expected 'sub add|del" "batch: a line that is not a change" -- batch "$IF_RX" "$B.2"
row 2 "$B.3:1: group 239.1.1.1:26400 is already configured" "batch: adding a configured group" -- batch "$IF_RX" "$B.3"
row 2 "$B.4:1: line longer than 4096" "batch: a line over 4096 characters" -- batch "$IF_RX" "$B.4"
row 2 "$B.5:2: line needs channel" "batch: a group line without its channel" -- batch "$IF_RX" "$B.5"
row 2 "$B.6:1: id 'x': not a 32-bit signed integer" "batch: a bad id" -- batch "$IF_RX" "$B.6"
row 2 "$B.7:2: group 239.1.9.9:1: definitions needs proto mdp3" "batch: definitions on an ITCH group takes the MDP3 group with it" -- batch "$IF_RX" "$B.7"
row 2 "$B.8:1: a quoted word must end with '\"'" "batch: a quote left open" -- batch "$IF_RX" "$B.8"

# A second consumer on a queue that has one is refused; the first keeps its socket.
consumer_start /dev/null "$tmp/consume" --duration 30 || die "consumer did not start"
row 1 "already has a consumer" "a second consumer on the same queue" -- consume "$IF_RX" --duration 1
consumer_stop
grep -q "consume: $IF_RX 1 queue: 0 messages" "$tmp/consume" || fail "first consumer did not end normally"

# Full group table: 255 more groups fit, the 257th is refused.
for i in $(seq 2 256); do
	fs group add "$IF_RX" "239.2.$((i / 256)).$((i % 256)):26400" || die "group $i"
done
row 1 "group table full" "a 257th group" -- group add "$IF_RX" 239.3.0.1:26400

# Full subscription table: fill to one below the limit, then ask for two more at once.
limit=$(sed -n 's/^#define FS_MAX_SUBS \([0-9]*\)/\1/p' "$top/include/feedsieve/limits.h")
mapfile -t many < <(seq -f 'Z%06g' 1 $((limit - 3)))
fs sub add "$IF_RX" "${many[@]}" || die "filling the subscription table"
row 1 "subscription table full" "two symbols when one slot is left: neither is added" -- sub add "$IF_RX" NEW1 NEW2
count=$(fs sub list "$IF_RX" | grep -c '')
expect_eq "$count" $((limit - 1)) "subscriptions after the refused pair"

finish "cli errors"
