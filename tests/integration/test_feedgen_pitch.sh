#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# feedgen --proto pitch: deterministic, A/B loss as seeded and logged, pcap and log agreeing,
# the packets' shapes (units 1-3 each numbered from 1 without holes, a restart of unit 1 at 1
# with a Unit Clear, an unsequenced packet, Time messages each simulated second per unit,
# heartbeats, Order IDs never reused, an order named only while open on its unit, expanded forms
# exactly for 7-8 character symbols, every type feedgen sends, orders closed by full executions
# and deletes), and on a real wire each line receiving what the log says
# (tests/integration/feedgen_np.sh).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

# shellcheck disable=SC2034 # read by feedgen_np.sh
PROTO=pitch FG_PROTO=pitch PORT=30001 UNITS=1,2,3
# shellcheck disable=SC2034
SHAPE_ARGS=(--units 1-3 --symbols 60 --packets 45000 --reset-at 30000 --unsequenced-at 1000)
# shellcheck disable=SC2034
WIRE_ARGS=(--units 1-3 --symbols 40 --packets 300 --reset-at 200 --unsequenced-at 100)
# shellcheck source=feedgen_np.sh
. "$here/feedgen_np.sh"
finish "feedgen pitch"
