# shellcheck shell=bash
# The one file a test script sources: assertions (assert.sh), network namespaces (netns.sh),
# the consumer (consumer.sh), the readers of live state (counters.sh) and what feedgen sends
# (feed.sh). See each file's head and docs/testing.md.
#
#   here=$(cd "$(dirname "$0")" && pwd)
#   . "$here/../lib/test.sh"
#   netns_setup                      # or skip/require_* first; exits 77 where it cannot run
#   fs attach "$IF_RX" >/dev/null || die "attach"
#   expect_error_line 2 "not IPv4 multicast" "unicast group" -- fs group add "$IF_RX" 10.1.1.1:1
#   finish NAME
# shellcheck source-path=SCRIPTDIR
lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=assert.sh
. "$lib/assert.sh"
# shellcheck source=netns.sh
. "$lib/netns.sh"
# shellcheck source=consumer.sh
. "$lib/consumer.sh"
# shellcheck source=counters.sh
. "$lib/counters.sh"
# shellcheck source=feed.sh
. "$lib/feed.sh"
unset lib
