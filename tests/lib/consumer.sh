# shellcheck shell=bash
# The consumer of a test: `feedsieve consume` in the receiver namespace, started in the background
# and waited for until it says it is ready.
#
#   consumer_start OUT ERR [-v|-vv] [OPTION...]
#       runs 'feedsieve [-v] consume $IF_RX OPTION...' with stdout in OUT and stderr in ERR, sets
#       $consumer to its pid and returns once ERR has a "ready" line (1 after CONSUMER_WAIT s without).
#       CONSUMER_CLI (default $FEEDSIEVE) names another build, e.g. the sanitized one;
#       CONSUMER_READY (default "ready") the line to wait for, e.g. "queue 1: ready";
#       CONSUMER_WAIT (default 10) the seconds to wait for it.
#   consumer_stop [PID]
#       SIGTERM to PID (default $consumer) and its exit code.
#   wait_joined GROUP [SECONDS]
#       the receiver's veth has joined GROUP's address within SECONDS (default 3).

consumer_start() {
	local out=$1 err=$2 pre=()
	shift 2
	case ${1:-} in -v | -vv) pre=("$1") && shift ;; esac
	(in_rx_exec "${CONSUMER_CLI:-$FEEDSIEVE}" "${pre[@]}" consume "$IF_RX" "$@" >"$out" 2>"$err") &
	consumer=$!
	wait_for_line "$err" "${CONSUMER_READY:-ready}" "${CONSUMER_WAIT:-10}"
}

consumer_stop() {
	local pid=${1:-$consumer}
	kill -TERM "$pid"
	wait "$pid"
}

wait_joined() {
	local addr=${1%:*} deadline=$((SECONDS + ${2:-3}))
	while :; do
		# -wF: 239.1.1.1 must not match 239.1.1.10; no -q: under pipefail its early exit
		# would be ip's SIGPIPE.
		in_rx ip maddr show dev "$IF_RX" | grep -wF -- "$addr" >/dev/null && return 0
		[ $SECONDS -lt $deadline ] || return 1
		sleep 0.1
	done
}
