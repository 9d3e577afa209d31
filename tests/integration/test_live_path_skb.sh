#!/usr/bin/env bash
# The live-path test with the program attached in generic (skb) mode, the mode feedsieve falls
# back to on drivers without native XDP.
MODE=skb exec "$(dirname "$0")/test_live_path.sh"
