# shellcheck shell=bash
# The one file a test script sources: assertions (assert.sh), network namespaces (netns.sh),
# the consumer (consumer.sh) and the readers of live state (counters.sh). See each file's head
# and docs/testing.md.
#
#   here=$(cd "$(dirname "$0")" && pwd)
#   . "$here/../lib/test.sh"
#   netns_setup                      # or skip/require_* first; exits 77 where it cannot run
#   fs attach "$IF_RX" >/dev/null || die "attach"
#   expect_error_line 2 "not IPv4 multicast" "unicast group" -- fs group add "$IF_RX" 10.1.1.1:1
#   finish NAME
lib=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=assert.sh
. "$lib/assert.sh"
# shellcheck source=netns.sh
. "$lib/netns.sh"
# shellcheck source=consumer.sh
. "$lib/consumer.sh"
# shellcheck source=counters.sh
. "$lib/counters.sh"
unset lib
