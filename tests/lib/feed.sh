# shellcheck shell=bash
# What feedgen sends, as the tests need to know it.
#
#   feed_symbols N          the N symbols of 'feedgen --symbols N', most popular first, one a
#                           line (symbol i has locate i + 1); mapfile -t syms < <(feed_symbols N)
#   datagrams FEEDGEN_ERR   UDP datagrams feedgen says it sent (its closing line on stderr)
#   feed_launched, during_feed, live_add_del   live changes timed on feedgen's schedule

feed_symbols() { "$FEEDGEN" --list-symbols --symbols "$1" | awk '{print $2}'; }

datagrams() { sed -n 's/^feedgen: \([0-9]*\) packets.*/\1/p' "$1"; }

# Live changes while feedgen sends, timed on its schedule (a checker compares them with packet k's
# scheduled time k / RATE; feedgen starts after its launch and never sends early):
#   feed_launched           call just before launching feedgen: the origin
#   during_feed VAR CMD...  runs CMD and sets VAR to "START@END", ns since the origin
feed_launched() { feed_t0=$(date +%s%N); }

during_feed() {
	local var=$1 t0 rc=0
	shift
	t0=$(date +%s%N)
	"$@" || rc=$?
	printf -v "$var" '%s@%s' "$((t0 - feed_t0))" "$(($(date +%s%N) - feed_t0))"
	return $rc
}

# live_add_del SECONDS ADD DEL: after SECONDS, `sub add $IF_RX ADD` (timed in $add_at), after
# SECONDS more, `sub del $IF_RX DEL` (timed in $del_at); dies when either fails.
live_add_del() {
	sleep "$1"
	during_feed add_at fs sub add "$IF_RX" "$2" || die "live sub add $2"
	sleep "$1"
	during_feed del_at fs sub del "$IF_RX" "$3" || die "live sub del $3"
}
