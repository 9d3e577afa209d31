#!/usr/bin/env bash
# The live-path test on a tap interface (tun) with the program attached in generic (skb) mode.
NETNS_DRIVER=tap MODE=skb exec "$(dirname "$0")/test_live_path.sh"
