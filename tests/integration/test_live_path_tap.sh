#!/usr/bin/env bash
# The live-path test on a second driver: a tap interface (tun) in native XDP mode, the frames
# written into its file descriptor.
NETNS_DRIVER=tap exec "$(dirname "$0")/test_live_path.sh"
