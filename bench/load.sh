#!/usr/bin/env bash
# Throughput and latency of feedsieve's consumer against the conventional receiver (a UDP socket
# per group, recvmmsg, the same symbol filter in user space), over a veth pair between two network
# namespaces (tests/lib/netns.sh; nothing leaves them).
#
#   bench/load.sh [--quick] [--reps N] [--seconds S] throughput|latency|all
#
# build/bench/injector (BPF_PROG_TEST_RUN live frames, XDP_TX) sends ITCH 5.0 / MoldUDP64 frames
# of MSGS Add Orders from the sender namespace, pinned to CPU 0; each frame carries one of LOCATES
# locates in turn, and every (100 / fraction)-th locate is subscribed. The receiver under test runs
# pinned to CPU 1: build/bench/rx_feedsieve (feedsieve attached in native mode, the sequenced
# AF_XDP consumer spinning on its ring) or build/bench/rx_socket.
#
# The veth's receive work (feedsieve's XDP program and the AF_XDP copy, or the socket's skb, IP
# and UDP path) runs in softirq on the CPU that transmitted, CPU 0, as a NIC's interrupt work
# runs on its interrupt CPU. That is why a step counts as sustained only when the injector
# achieved the rate it was asked for: a receive path too heavy for the CPU slows the sender.
#
# throughput: per receiver and subscribed fraction (1, 0.1, 0.01), the highest frame rate with
#   zero message loss: an unpaced probe, then a geometric bisection; each step is a fresh MoldUDP64
#   session of S seconds. Repeated N times side by side; medians in bench/out/throughput.json.
# latency: at fixed rates and fractions (LAT_POINTS), one-way latency of every delivered message
#   (injector's bpf_ktime_get_ns() in the ITCH timestamp against the receiver's CLOCK_MONOTONIC)
#   for feedsieve and for the socket in each of its waiting modes; bench/out/latency.json and
#   bench/out/latency.png.
#
# Settings from the environment (defaults below): MSGS, LOCATES, FRACTIONS, LAT_POINTS, RXF_ARGS,
# SOCK_THROUGHPUT_ARGS, SOCK_LAT_CONFIGS, INJ_ARGS, LAT_INJ_ARGS, TOL, MAX_STEPS, LAT_S, LAT_REPS;
# KEEP_WORK=1 keeps every step's JSON and histogram in /tmp/feedsieve-load.*.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../tests/lib/netns.sh
. "$here/../tests/lib/netns.sh"

usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'
	exit 2
}

QUICK=0
REPS=""
STEP_S=""
WHAT=""
while [ $# -gt 0 ]; do
	case $1 in
	--quick) QUICK=1 ;;
	--reps) REPS=$2; shift ;;
	--seconds) STEP_S=$2; shift ;;
	throughput | latency | all) WHAT=$1 ;;
	*) usage ;;
	esac
	shift
done
[ -n "$WHAT" ] || usage

BENCH=$top/build/bench
INJECTOR=$BENCH/injector
RX_FEEDSIEVE=$BENCH/rx_feedsieve
RX_SOCKET=$BENCH/rx_socket
CPU_NOISE=$BENCH/cpu_noise
OUT=$top/bench/out
GROUP=233.49.196.20:18020
MSGS=${MSGS:-4}           # Add Orders per frame
LOCATES=${LOCATES:-100}   # locates the traffic cycles through
FRACTIONS=${FRACTIONS:-"1.0 0.1 0.01"}
# Latency: rate:fraction pairs.
LAT_POINTS=${LAT_POINTS:-"100000:1.0 100000:0.1 1000000:0.1"}
# Receiver configurations. The socket gets every way of waiting; feedsieve's consumer spins on its
# ring (SO_BUSY_POLL on the AF_XDP socket makes the veth much slower here: see the report).
RXF_ARGS=${RXF_ARGS:-"--rx-ring 4096"}
SOCK_THROUGHPUT_ARGS=${SOCK_THROUGHPUT_ARGS:-"--wait block"}
SOCK_LAT_CONFIGS=${SOCK_LAT_CONFIGS:-"block:--wait_block spin:--wait_spin busy-poll:--wait_spin_--busy-poll-us_50"}
# Extra injector options for the throughput and the latency steps (injector.c). Throughput steps
# transmit 64 frames at a time, paced or not, so that every step costs the sender the same.
INJ_ARGS=${INJ_ARGS:-"--flush 64"}
LAT_INJ_ARGS=${LAT_INJ_ARGS:-}
CPU_TX=0
CPU_RX=1
DRAIN_S=0.3
if [ "$QUICK" = 1 ]; then
	LAT_REPS=${LAT_REPS:-${REPS:-1}}
	REPS=${REPS:-1}
	STEP_S=${STEP_S:-0.7}
	LAT_S=${LAT_S:-1}
	TOL=${TOL:-0.25}     # bisection stops when hi / lo <= 1 + TOL
	MAX_STEPS=${MAX_STEPS:-4}
else
	# Latency percentiles move more between runs (the VM's CPUs are shared): more repetitions.
	LAT_REPS=${LAT_REPS:-${REPS:-5}}
	REPS=${REPS:-3}
	STEP_S=${STEP_S:-2}
	LAT_S=${LAT_S:-3}
	TOL=${TOL:-0.06}
	MAX_STEPS=${MAX_STEPS:-8}
fi

for bin in "$INJECTOR" "$RX_FEEDSIEVE" "$RX_SOCKET" "$CPU_NOISE" "$FEEDSIEVE"; do
	[ -x "$bin" ] || { echo "load: $bin missing (make bench-load-bins)" >&2; exit 1; }
done
if [ "$(nproc)" -lt 2 ]; then
	echo "load: needs 2 CPUs (injector on CPU $CPU_TX, receiver on CPU $CPU_RX)" >&2
	exit 77
fi

mkdir -p "$OUT"
work=$(mktemp -d /tmp/feedsieve-load.XXXXXX)
netns_setup
trap 'netns_cleanup; [ -n "${KEEP_WORK:-}" ] || rm -rf "$work"' EXIT

# ---- receivers ----

attached=""
subs_every=""

# symbols EVERY: the subscribed symbols, locate 1, 1 + EVERY, ...
symbols() {
	local l
	[ "$1" -gt 0 ] || return 0
	for ((l = 1; l <= LOCATES; l += $1)); do printf 'SYM%04d ' "$l"; done
}

# every FRACTION: 1.0 -> 1, 0.1 -> 10, 0.01 -> 100; 0 (nothing subscribed) -> 0
every() { awk -v f="$1" 'BEGIN { printf "%d", (f > 0 ? 1 / f + 0.5 : 0) }'; }

use_feedsieve() {
	local want=$1
	if [ "$attached" != feedsieve ]; then
		in_rx "$FEEDSIEVE" attach "$IF_RX" --mode native >/dev/null
		in_rx "$FEEDSIEVE" group add "$IF_RX" "$GROUP"
		attached=feedsieve
		subs_every=""
	fi
	if [ "$subs_every" != "$want" ]; then
		# shellcheck disable=SC2046
		[ -z "$subs_every" ] || [ "$subs_every" = 0 ] ||
			in_rx "$FEEDSIEVE" sub del "$IF_RX" $(symbols "$subs_every")
		# shellcheck disable=SC2046
		[ "$want" = 0 ] || in_rx "$FEEDSIEVE" sub add "$IF_RX" $(symbols "$want")
		subs_every=$want
	fi
}

use_socket() {
	if [ "$attached" = feedsieve ]; then
		in_rx "$FEEDSIEVE" detach "$IF_RX" >/dev/null
	fi
	attached=socket
}

# Frames feedsieve's program ran on, for the group (feedsieve attached), else nothing.
xdp_seen() {
	[ "$attached" = feedsieve ] || return 0
	in_rx "$FEEDSIEVE" stats "$IF_RX" --json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["groups"][0]["counters"]["frames_seen"])'
}

rx_dropped() {
	in_rx ip -s -j link show dev "$IF_RX" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["dropped"])'
}

# ---- one step ----

nstep=0

# step RECEIVER CONFIG FRACTION RATE SECONDS [RECEIVER ARGS...]: one fresh session at RATE frames
# per second (0: unpaced). The step's JSON object (injector, receiver, verdict) goes to $work/step.json,
# and is appended to $steps_log. Runs in this shell: it keeps track of what is attached.
step() {
	local recv=$1 config=$2 fraction=$3 rate=$4 secs=$5
	shift 5
	local n_every drop0 drop1 seen0 seen1 rxpid session
	n_every=$(every "$fraction")
	nstep=$((nstep + 1))
	session=$(printf 'LD%08d' "$nstep")
	if [ "$recv" = feedsieve ]; then
		use_feedsieve "$n_every"
		(in_rx_exec "$RX_FEEDSIEVE" --iface "$IF_RX" --cpu "$CPU_RX" "$@" \
			--hist "$work/hist.tsv" >"$work/rx.json" 2>"$work/rx.err") &
	else
		use_socket
		(in_rx_exec "$RX_SOCKET" --iface "$IF_RX" --group "$GROUP" --cpu "$CPU_RX" --xdp-pass \
			--subs "$(symbols "$n_every" | tr ' ' ',' | sed 's/,$//')" "$@" \
			--hist "$work/hist.tsv" >"$work/rx.json" 2>"$work/rx.err") &
	fi
	rxpid=$!
	if ! wait_for_line "$work/rx.err" ready 10; then
		cat "$work/rx.err" >&2
		return 1
	fi
	drop0=$(rx_dropped)
	seen0=$(xdp_seen)
	# shellcheck disable=SC2086 # $inj_args is a list of options
	in_tx "$INJECTOR" --iface "$IF_TX" --group "$GROUP" --session "$session" --msgs "$MSGS" \
		--locates "$LOCATES" --sub-every "$((n_every > 0 ? n_every : LOCATES + 1))" --rate "$rate" --duration "$secs" \
		--cpu "$CPU_TX" $inj_args >"$work/inj.json" 2>"$work/inj.err" ||
		{ cat "$work/inj.err" >&2; return 1; }
	sleep "$DRAIN_S"
	kill -TERM "$rxpid"
	wait "$rxpid" || { cat "$work/rx.err" >&2; return 1; }
	drop1=$(rx_dropped)
	seen1=$(xdp_seen)
	python3 "$here/load_eval.py" step --receiver "$recv" --config "$config" \
		--fraction "$fraction" --rate "$rate" --inj "$work/inj.json" --rx "$work/rx.json" \
		--veth-drops $((drop1 - drop0)) ${seen0:+--xdp-seen $((seen1 - seen0))} --hist "$work/hist.tsv" --hist-out "$work/hist-$nstep.tsv" \
		--step "$nstep" >"$work/step.json"
	cat "$work/step.json" >>"$steps_log"
	step_line "$(cat "$work/step.json")"
}

field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
fmul() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", a * b }'; }
fgmean() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", sqrt(a * b) }'; }
fle() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; }

log() { printf '%s\n' "$*" >&2; }
step_line() {
	python3 -c '
import json, sys
s = json.loads(sys.argv[1])
print("  %-13s %-9s f=%-4s offered %9s fps  achieved %9.0f  delivered %10.0f msg/s  lost %-8d %s" % (
    s["receiver"], s["config"], s["subscribed_fraction"], s["offered_fps"] or "max",
    s["achieved_fps"], s["delivered_msgs_per_s"], s["lost_msgs"], s["verdict"]))' "$1" >&2
}

# ---- throughput: zero-loss search ----

# search RECEIVER CONFIG FRACTION REP [ARGS...]: appends every step and the result to the logs.
search() {
	local recv=$1 config=$2 fraction=$3 rep=$4
	shift 4
	local s verdict achieved guess lo=0 hi r best="" i
	step "$recv" "$config" "$fraction" 0 "$STEP_S" "$@"
	s=$(cat "$work/step.json")
	verdict=$(field "$s" verdict)
	achieved=$(field "$s" achieved_fps)
	if [ "$verdict" = ok ]; then
		# Nothing lost at the sender's top speed: the receiver is not the limit.
		python3 "$here/load_eval.py" result --rep "$rep" --best "$s" --limit "sender" \
			--hi "$s" >>"$work/results.jsonl"
		return
	fi
	hi=$achieved
	guess=$(fmul "$(field "$s" sustainable_guess_fps)" 0.9)
	local fail=$s
	for ((i = 0; i < MAX_STEPS; i++)); do
		if [ "$lo" = 0 ]; then r=$guess; else r=$(fgmean "$lo" "$hi"); fi
		step "$recv" "$config" "$fraction" "$r" "$STEP_S" "$@"
		s=$(cat "$work/step.json")
		if [ "$(field "$s" verdict)" = ok ]; then
			lo=$r
			best=$s
		else
			hi=$r
			fail=$s
			[ "$lo" != 0 ] || guess=$(fmul "$r" 0.5)
		fi
		if [ "$lo" != 0 ] && fle "$hi" "$(fmul "$lo" "$(awk -v t="$TOL" 'BEGIN{print 1+t}')")"; then
			break
		fi
	done
	python3 "$here/load_eval.py" result --rep "$rep" --best "${best:-null}" --hi "$fail" \
		>>"$work/results.jsonl"
}

throughput() {
	local rep f
	log "throughput: $REPS repetition(s), steps of $STEP_S s, bisection to ${TOL}"
	steps_log=$work/steps.jsonl
	inj_args=$INJ_ARGS
	for ((rep = 1; rep <= REPS; rep++)); do
		for f in $FRACTIONS; do
			log "rep $rep, subscribed fraction $f"
			# shellcheck disable=SC2086
			search feedsieve spin "$f" "$rep" $RXF_ARGS
			# shellcheck disable=SC2086
			search kernel-socket "${SOCK_THROUGHPUT_ARGS#--wait }" "$f" "$rep" \
				$SOCK_THROUGHPUT_ARGS
		done
	done
	python3 "$here/load_eval.py" throughput --results "$work/results.jsonl" \
		--steps "$work/steps.jsonl" --conditions "$work/conditions.json" \
		--out "$OUT/throughput.json"
}

# ---- latency ----

latency() {
	local rep p rate f c name args
	log "latency: $LAT_REPS repetition(s) of $LAT_S s at $LAT_POINTS"
	steps_log=$work/lat_steps.jsonl
	inj_args=$LAT_INJ_ARGS
	for ((rep = 1; rep <= LAT_REPS; rep++)); do
		for p in $LAT_POINTS; do
			rate=${p%%:*}
			f=${p##*:}
			# shellcheck disable=SC2086
			step feedsieve spin "$f" "$rate" "$LAT_S" $RXF_ARGS
			for c in $SOCK_LAT_CONFIGS; do
				name=${c%%:*}
				args=${c#*:}
				# shellcheck disable=SC2046
				step kernel-socket "$name" "$f" "$rate" "$LAT_S" $(echo "$args" | tr '_' ' ')
			done
		done
	done
	python3 "$here/load_eval.py" latency --steps "$work/lat_steps.jsonl" \
		--conditions "$work/conditions.json" --out "$OUT/latency.json" \
		--plot "$OUT/latency.png" --hist-dir "$work"
}

# ---- conditions, then the runs ----

conditions() {
	python3 "$here/load_eval.py" conditions --quick "$QUICK" --reps "$REPS" --lat-reps "$LAT_REPS" \
		--step-seconds "$STEP_S" --lat-seconds "$LAT_S" --tol "$TOL" --msgs "$MSGS" \
		--locates "$LOCATES" --cpu-tx "$CPU_TX" --cpu-rx "$CPU_RX" \
		--rxf-args "$RXF_ARGS" --sock-args "$SOCK_THROUGHPUT_ARGS" \
		--sock-lat-configs "$SOCK_LAT_CONFIGS" --inj-args "$INJ_ARGS" \
		--lat-inj-args "$LAT_INJ_ARGS" --floor "$1" --noise "$2" >"$work/conditions.json"
}

# The sender's own ceiling and cost: feedsieve subscribed to nothing drops every frame in the
# driver, the cheapest thing a receiver can do with it.
log "calibration: the injector unpaced, every frame filtered in the driver"
steps_log=$work/floor.jsonl
inj_args=$INJ_ARGS
# shellcheck disable=SC2086
step feedsieve spin 0 0 "$STEP_S" $RXF_ARGS 2>/dev/null
# How often a spinning thread loses each CPU here, before the runs (the floor of tail latency).
noise="[$("$CPU_NOISE" --cpu "$CPU_TX"),$("$CPU_NOISE" --cpu "$CPU_RX")]"
conditions "$(cat "$work/step.json")" "$noise"

case $WHAT in
throughput) throughput ;;
latency) latency ;;
all) throughput; latency ;;
esac
