# shellcheck shell=bash
# What feedgen sends, as the tests need to know it.
#
#   feed_symbols N          the N symbols of 'feedgen --symbols N', most popular first, one a
#                           line (symbol i has locate i + 1); mapfile -t syms < <(feed_symbols N)
#   datagrams FEEDGEN_ERR   UDP datagrams feedgen says it sent (its closing line on stderr)

feed_symbols() { "$FEEDGEN" --list-symbols --symbols "$1" | awk '{print $2}'; }

datagrams() { sed -n 's/^feedgen: \([0-9]*\) packets.*/\1/p' "$1"; }
