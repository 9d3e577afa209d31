#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# feedgen --proto nyse-xdp: deterministic, A/B loss as seeded and logged, pcap and log agreeing,
# the packets' shapes (Symbol Index Mappings first from SeqNum 1 with "BRK A" and an 11-character
# name, live SeqNums without holes, a sequence reset (flag 12, type 1 at SeqNum 1), a refresh
# 18, 19..., 20 opening with Refresh Header k of n, a retransmission (13) of an earlier packet, a
# Source Time Reference opening each simulated second, heartbeats, all of types 1, 2, 3, 35,
# 100-104, 106, 110-112, SymbolSeqNum without holes per symbol even where packets fill up:
# --max-msgs 40), and on a real wire each line receiving what the log says
# (tests/integration/feedgen_np.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

# shellcheck disable=SC2034 # read by feedgen_np.sh
PROTO=nyse FG_PROTO=nyse-xdp PORT=11000
# shellcheck disable=SC2034
SHAPE_ARGS=(--symbols 60 --packets 45000 --max-msgs 40 --reset-at 30000 --refresh-at 1000 --retrans-at 2000)
# shellcheck disable=SC2034
WIRE_ARGS=(--symbols 40 --packets 300 --reset-at 200 --refresh-at 100 --retrans-at 150)
# shellcheck source=feedgen_np.sh
. "$here/feedgen_np.sh"
finish "feedgen nyse-xdp"
