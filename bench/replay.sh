#!/usr/bin/env bash
# Frames/s of 'feedsieve replay' (make bench-replay): a capture of FRAMES frames of 4 Add Orders
# (bench/replay_capture.c), replayed with output to /dev/null under several configurations, each
# run REPEAT times (the best run counts: the machine is shared). Also measured: what a null
# system call costs here, since replay makes one BPF_PROG_TEST_RUN call per frame and that call
# cannot be cheaper than a system call that does nothing.
#
#   bench/replay.sh REPLAY_CAPTURE FEEDSIEVE FRAMES OUTDIR
set -euo pipefail
gen=$1 cli=$2 frames=$3 outdir=$4
REPEAT=${REPEAT:-3}
[ "$(id -u)" -eq 0 ] || { echo "bench-replay: needs root (BPF_PROG_TEST_RUN)" >&2; exit 1; }
work=$(mktemp -d /tmp/feedsieve-bench-replay.XXXXXX)
trap 'rm -rf "$work"' EXIT

"$gen" "$work/capture.pcap" "$frames" 1024
printf 'group 239.7.7.7:26400\nsymbols S1 S2 S3 S4 S5 S6 S7 S8\n' >"$work/subs8.conf"
printf 'group 239.7.7.7:26400 all-symbols\n' >"$work/all.conf"
printf 'group 239.9.9.9:26400\n' >"$work/none.conf"

# cpu_s CMD...: run CMD, its stdout to /dev/null; print the CPU seconds (user + system) it took.
# On a shared machine the wall clock also measures the other jobs; CPU time does not.
cpu_s() {
	local TIMEFORMAT=%U+%S t
	t=$( { time "$@" >/dev/null 2>"$work/err"; } 2>&1)
	printf '%.3f\n' "$(echo "$t" | bc -l)" # 0.983, not bc's .983: the figures go into JSON
}

# run NAME CONFIG ARGS...: the best of REPEAT runs: frames per second of the replay loop (the
# CLI's own summary line: without loading the program and checking the capture), and per CPU
# second of the whole command.
rows=()
run() {
	local name=$1 conf=$2 best_loop=0 best_cpu=0 loop cpu i n
	shift 2
	for ((i = 0; i < REPEAT; i++)); do
		cpu=$(cpu_s "$cli" replay "$work/$conf" "$work/capture.pcap" "$@")
		loop=$(sed -n 's/.* in \([0-9.]*\) s$/\1/p' "$work/err")
		if [ "$best_loop" = 0 ] || [ "$(echo "$loop < $best_loop" | bc -l)" = 1 ]; then
			best_loop=$loop
		fi
		if [ "$best_cpu" = 0 ] || [ "$(echo "$cpu < $best_cpu" | bc -l)" = 1 ]; then
			best_cpu=$cpu
		fi
	done
	n=$(sed -n 's/.*: \([0-9]*\) frames (.*/\1/p' "$work/err")
	printf '%-34s %9.0f frames/s (loop, wall clock)  %9.0f frames per CPU second  %s\n' \
		"$name" "$(echo "$n / $best_loop" | bc -l)" "$(echo "$n / $best_cpu" | bc -l)" \
		"$(sed -n 's/.*frames (\(.*\)): .*/\1/p' "$work/err")"
	rows+=("{\"case\":\"$name\",\"frames\":$n,\"loop_s\":$best_loop,\"cpu_s\":$best_cpu}")
}

echo "replay of $frames frames of 4 Add Orders (1024 symbols), best of $REPEAT, output to /dev/null"
run "8 symbols subscribed, --json" subs8.conf --json
run "8 symbols subscribed, text" subs8.conf
run "all symbols, --json" all.conf --json
run "no group (program only)" none.conf

# The floor: a system call that does nothing, as many times as there are frames.
cat >"$work/null_syscall.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(int argc, char **argv)
{
	long n = atol(argv[1]), i;
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	clock_gettime(CLOCK_MONOTONIC, &b);
	printf("%.1f\n", ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / n);
	return 0;
}
C
${CC:-cc} -O2 -o "$work/null_syscall" "$work/null_syscall.c"
cpu=$(cpu_s "$work/null_syscall" "$frames")
ns=$("$work/null_syscall" "$frames")
printf '%-34s %9.0f calls/s (wall clock)            %9.0f calls per CPU second\n' \
	"null system call (getppid)" "$(echo "1000000000 / $ns" | bc -l)" \
	"$(echo "$frames / $cpu" | bc -l)"
rows+=("{\"case\":\"null system call\",\"ns_per_call\":$ns,\"cpu_s\":$cpu}")

mkdir -p "$outdir"
(IFS=,; echo "[${rows[*]}]") >"$outdir/replay.json"
echo "  wrote $outdir/replay.json"
