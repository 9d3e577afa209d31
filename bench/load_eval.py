#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The arithmetic of bench/load.sh: judge one step, collect a zero-loss search, and write
bench/out/throughput.json, bench/out/latency.json and the latency chart (gnuplot).

    load_eval.py step ...        merge injector and receiver JSON, print the step's verdict
    load_eval.py result ...      one search's outcome (the best sustained step)
    load_eval.py conditions ...  what the run ran on
    load_eval.py throughput ...  medians over repetitions -> throughput.json
    load_eval.py latency ...     medians over repetitions -> latency.json, latency.png
    load_eval.py plot --latency bench/out/latency.json --out bench/out/latency.png
"""
import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

import targets as bench_targets

# A step whose injector achieved less than this share of the asked rate was not sustained: the
# receive path, running in softirq on the sending CPU, slowed the sender down.
ACHIEVED_MIN = 0.97
PCTS = [("p50_ns", 0.50), ("p90_ns", 0.90), ("p99_ns", 0.99), ("p999_ns", 0.999)]


def load_json(path):
    try:
        with open(path) as f:
            lines = [l for l in f if l.startswith("{")]
        return json.loads(lines[-1]) if lines else None
    except OSError:
        return None


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def softirq_ns(cpus, seconds):
    """CPU time all CPUs spent in softirq during the traffic (tick-sampled /proc/stat)."""
    return sum(c["softirq"] for c in cpus) / 100.0 * seconds * 1e9


def drop_site(s):
    """Where a lossy step lost its messages, from the counters each layer keeps."""
    rx = s.get("rx") or {}
    sites = []
    if s.get("veth_drops"):
        sites.append("veth ring (%d frames: the receive NAPI fell behind)" % s["veth_drops"])
    if s.get("xdp_missing"):
        sites.append("before the XDP program (%d frames sent never reached it)" % s["xdp_missing"])
    if rx.get("sock_rx_ring_full"):
        sites.append("AF_XDP RX ring full (%d frames: the consumer fell behind)"
                     % rx["sock_rx_ring_full"])
    if rx.get("sock_fill_ring_empty"):
        sites.append("AF_XDP fill ring empty (%d frames: buffers held or not yet returned)"
                     % rx["sock_fill_ring_empty"])
    if rx.get("udp_rcvbuf_errors"):
        sites.append("socket receive buffer full (%d datagrams: the consumer fell behind)"
                     % rx["udp_rcvbuf_errors"])
    return "; ".join(sites) or "not attributed"


def cmd_step(a):
    inj, rx = load_json(a.inj), load_json(a.rx)
    s = {"step": a.step, "receiver": a.receiver, "config": a.config,
         "subscribed_fraction": a.fraction, "offered_fps": a.rate or None}
    if not inj or not rx:
        s.update(verdict="error", achieved_fps=0, delivered_msgs_per_s=0, lost_msgs=-1,
                 sustainable_guess_fps=0, inj=inj, rx=rx)
        print(json.dumps(s))
        return
    secs = inj["seconds"]
    expected, delivered = inj["subscribed_msgs"], rx["msgs"]
    lost = expected - delivered
    s.update({
        "seconds": secs,
        "achieved_fps": inj["achieved_fps"],
        "offered_msgs_per_s": inj["achieved_msgs_per_s"],
        "frames": inj["frames"],
        "expected_msgs": expected,
        "delivered_msgs": delivered,
        "delivered_msgs_per_s": delivered / secs,
        "lost_msgs": lost,
        "gaps": rx["gaps"],
        "gap_msgs": rx["gap_msgs"],
        "order_errors": rx["order_errors"],
        "veth_drops": a.veth_drops,
        "cpu_ns_per_msg": rx["cpu_ns_per_msg"],
        "cpu_util": rx["cpu_util"],
        "softirq_ns_per_msg": softirq_ns(inj["cpus"], secs) / delivered if delivered else None,
        "sender_cpu_ns_per_frame": inj["injector_cpu_ns"] / inj["frames"] if inj["frames"] else None,
        "frames_per_call": inj["frames_per_call"],
        "consumer_busy_est": rx.get("busy_est"),
        "runqueue_wait_ms": rx.get("runqueue_wait_ns", 0) / 1e6,
        "steal_pct": [c["steal"] for c in inj["cpus"]],
        "lat": rx["lat"],
    })
    if lost != 0 or rx["gaps"] or rx["order_errors"]:
        verdict = "loss"
    elif a.rate and inj["achieved_fps"] < ACHIEVED_MIN * a.rate:
        verdict = "slow"
    else:
        verdict = "ok"
    s["verdict"] = verdict
    # Where to start looking: what the receiver delivered, in frames per second.
    per_frame = inj["msgs_per_frame"] * max(a.fraction, 1e-9)
    s["sustainable_guess_fps"] = min(inj["achieved_fps"], delivered / per_frame / secs)
    if a.xdp_seen is not None:
        s["xdp_missing"] = inj["frames"] + inj["control_frames"] - a.xdp_seen
    if verdict == "loss":
        s["lost_at"] = drop_site({"veth_drops": a.veth_drops, "xdp_missing": s.get("xdp_missing"),
                                  "rx": rx})
        if rx.get("gaps") and not s["lost_msgs"]:
            s["lost_at"] += (" (gap events over unsubscribed messages only: frames the feed "
                             "lost, which no consumer can tell from wanted ones)")
    if a.hist and os.path.exists(a.hist):
        shutil.copyfile(a.hist, a.hist_out)
        s["hist"] = a.hist_out
    s["inj"], s["rx"] = inj, rx
    print(json.dumps(s))


def brief(s):
    if not s:
        return None
    return {k: s.get(k) for k in ("offered_fps", "achieved_fps", "delivered_msgs_per_s",
                                  "lost_msgs", "verdict", "lost_at", "cpu_ns_per_msg",
                                  "softirq_ns_per_msg", "sender_cpu_ns_per_frame",
                                  "consumer_busy_est", "runqueue_wait_ms", "steal_pct")}


def cmd_result(a):
    best = json.loads(a.best)
    hi = json.loads(a.hi)
    src = best or hi
    r = {"rep": a.rep, "receiver": src["receiver"], "config": src["config"],
         "subscribed_fraction": src["subscribed_fraction"]}
    if a.limit == "sender":
        r["limited_by"] = ("the sender: nothing lost at the injector's top speed, the receive "
                           "path in softirq on its CPU included")
    elif hi["verdict"] == "slow":
        r["limited_by"] = ("the receive path: its softirq work on the sending CPU held the "
                           "injector to %.0f of %.0f frames/s" % (hi["achieved_fps"],
                                                                   hi["offered_fps"] or 0))
    else:
        r["limited_by"] = "loss above it: " + hi.get("lost_at", hi["verdict"])
    if best:
        r.update({
            "max_zero_loss_fps": best["achieved_fps"],
            "max_zero_loss_msgs_per_s": best["delivered_msgs_per_s"],
            "cpu_ns_per_msg": best["cpu_ns_per_msg"],
            "cpu_util": best["cpu_util"],
            "softirq_ns_per_msg": best["softirq_ns_per_msg"],
            "sender_cpu_ns_per_frame": best["sender_cpu_ns_per_frame"],
            "p99_ns_at_max": best["lat"]["p99_ns"],
            "consumer_busy_est": best.get("consumer_busy_est"),
            # A spinning consumer's CPU is its whole core; scaled by how busy it was, the work.
            "cpu_ns_per_msg_busy_est": best["cpu_ns_per_msg"] * best["consumer_busy_est"]
            if best.get("consumer_busy_est") is not None and best["consumer_busy_est"] >= 0
            else None,
            "consumer_cpu_util": best["cpu_util"],
        })
    else:
        r.update(max_zero_loss_fps=0, max_zero_loss_msgs_per_s=0, cpu_ns_per_msg=None)
    r["best_step"], r["first_failure"] = brief(best), brief(hi)
    print(json.dumps(r))


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def loadavg():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def cmd_conditions(a):
    floor = json.loads(a.floor)
    c = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "kernel": platform.release(),
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model(),
        "loadavg_before": loadavg(),
        "quick": a.quick == "1",
        "repetitions": int(a.reps),
        "latency_repetitions": int(a.lat_reps),
        "step_seconds": float(a.step_seconds),
        "latency_seconds": float(a.lat_seconds),
        "bisection_tolerance": float(a.tol),
        "sustained_means": "zero messages lost (delivered == subscribed messages sent, no gap, "
                           "no reordering) and the injector achieved >= %d %% of the asked rate"
                           % round(ACHIEVED_MIN * 100),
        "link": "veth pair between two network namespaces, 1 RX queue, MTU 1500",
        "feedsieve": "native XDP on the receiving veth, AF_XDP copy mode, one sequenced "
                     "consumer spinning on its RX ring (rx_feedsieve %s)" % a.rxf_args,
        "kernel_socket": "UDP socket bound to the group, IP_ADD_MEMBERSHIP, 64 MiB SO_RCVBUF, "
                         "recvmmsg batches of 64, user-space filter on the locate learned from "
                         "Stock Directory; an XDP_PASS program on the receiving veth enables its "
                         "NAPI (throughput: %s; latency: %s)" % (a.sock_args, a.sock_lat_configs),
        "traffic": "%d ITCH Add Orders (36 B) per MoldUDP64 frame (%d B on the wire), locates "
                   "1..%d in turn, one locate per frame; a fraction f subscribes every (1/f)-th "
                   "locate; a Stock Directory for all locates starts every step's session, a "
                   "heartbeat ends it" % (a.msgs, 42 + 20 + a.msgs * 38, a.locates),
        "injector": "BPF_PROG_TEST_RUN with BPF_F_TEST_XDP_LIVE_FRAMES and XDP_TX on the sending "
                    "veth, pinned to CPU %d; paced in the program (each frame waits for its time, "
                    "is stamped, and is transmitted in a batch of 1 + rate / 125 000 frames, so "
                    "alone up to 125 k frames/s and in nines at 1 M; calls of 2 ms of frames); "
                    "unpaced: calls of 1024 frames; throughput steps transmit 64 frames at a "
                    "time; extra options: throughput '%s', latency '%s'"
                    % (a.cpu_tx, a.inj_args, a.lat_inj_args),
        "receiver_cpu": a.cpu_rx,
        "receive_softirq_cpu": "%d (the veth's receive NAPI runs where the frame was sent)"
                               % a.cpu_tx,
        "cpu_ns_per_msg": "the receiving thread's CLOCK_THREAD_CPUTIME_ID over the traffic, per "
                          "delivered message (a spinning receiver uses its whole CPU)",
        "softirq_ns_per_msg": "softirq time of all CPUs during the traffic (/proc/stat, sampled "
                              "at the tick) per delivered message: the kernel's receive work",
    }
    c["cpu_noise"] = {
        "what": "a thread spinning on each CPU for 1 s before the runs (bench/cpu_noise.c): gaps "
                "between two clock reads, i.e. how often and how long it lost the CPU "
                "(interrupts, other tasks, the host); a spinning receiver is late by such a gap "
                "for every frame arriving during one",
        "per_cpu": json.loads(a.noise),
    }
    if floor:
        c["sender_ceiling"] = {
            "what": "the injector unpaced with feedsieve dropping every frame in the driver",
            "fps": floor.get("achieved_fps"),
            "sender_cpu_ns_per_frame": floor.get("sender_cpu_ns_per_frame"),
            "softirq_share_of_cpu0": floor["inj"]["cpus"][a.cpu_tx]["softirq"]
            if floor.get("inj") else None,
        }
    print(json.dumps(c))


def conditions_end(path):
    with open(path) as f:
        c = json.load(f)
    c["loadavg_after"] = loadavg()
    return c


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1)
        f.write("\n")
    print("  wrote %s" % path, file=sys.stderr)


def cmd_throughput(a):
    results = read_lines(a.results)
    rows = []
    keys = []
    for r in results:
        k = (r["receiver"], r["subscribed_fraction"])
        if k not in keys:
            keys.append(k)
    for recv, frac in keys:
        reps = [r for r in results if (r["receiver"], r["subscribed_fraction"]) == (recv, frac)]
        row = {"receiver": recv, "subscribed_fraction": frac, "config": reps[0]["config"],
               "repetitions": len(reps)}
        for f in ("max_zero_loss_msgs_per_s", "max_zero_loss_fps", "cpu_ns_per_msg",
                  "softirq_ns_per_msg", "sender_cpu_ns_per_frame", "p99_ns_at_max",
                  "consumer_busy_est", "cpu_ns_per_msg_busy_est", "consumer_cpu_util"):
            v = median([r.get(f) for r in reps])
            row[f] = round(v, 1) if v is not None else None
        row["limited_by"] = [r["limited_by"] for r in reps]
        row["reps"] = [{k: r.get(k) for k in ("max_zero_loss_msgs_per_s", "max_zero_loss_fps",
                                               "cpu_ns_per_msg", "first_failure")} for r in reps]
        rows.append(row)
    targets = {"zero_loss_ratio_at_%g" % frac: round(ratio, 2) for frac, ratio in
               sorted(bench_targets.throughput_ratios(rows).items(), reverse=True)}
    t = bench_targets.load()["throughput_zero_loss_ratio"]
    targets["goal"] = "zero_loss_ratio_at_%g %s" % (t["at"]["subscribed_fraction"],
                                                    bench_targets.goal_text(t))
    notes = ["What limited each figure (per repetition):"]
    for r in rows:
        counts = {}
        for l in r["limited_by"]:
            counts[l] = counts.get(l, 0) + 1
        notes.append("%s at %g %%: %s." % (r["receiver"], r["subscribed_fraction"] * 100, "; ".join(
            "%s (%d of %d)" % (l, n, len(r["limited_by"])) for l, n in counts.items())))
    out = {"throughput": rows, "targets": targets, "notes": " ".join(notes),
           "conditions": conditions_end(a.conditions),
           "steps": [{k: v for k, v in s.items() if k not in ("inj", "rx", "hist")}
                     for s in read_lines(a.steps)]}
    write_json(a.out, out)
    print_throughput(rows, targets)


def print_throughput(rows, targets):
    print("\n%-14s %9s %16s %14s %12s %12s" % ("receiver", "fraction", "zero-loss msg/s",
                                                "frames/s", "cpu ns/msg", "softirq ns/msg"))
    for r in rows:
        print("%-14s %9g %16s %14s %12s %12s" % (
            r["receiver"], r["subscribed_fraction"], fmt(r["max_zero_loss_msgs_per_s"]),
            fmt(r["max_zero_loss_fps"]), fmt(r["cpu_ns_per_msg"]), fmt(r["softirq_ns_per_msg"])))
    print("targets: %s" % json.dumps(targets))


def fmt(v):
    return "-" if v is None else "%.0f" % v


def read_hist(path):
    h = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                edge, count, _ = line.split("\t")
                h[int(edge)] = h.get(int(edge), 0) + int(count)
    return h


def quantile(h, q):
    total = sum(h.values())
    if not total:
        return None
    rank, seen = q * total, 0
    for edge in sorted(h):
        seen += h[edge]
        if seen >= rank:
            return edge
    return max(h)


def cmd_latency(a):
    steps = read_lines(a.steps)
    keys = []
    for s in steps:
        k = (s["receiver"], s["config"], s["offered_fps"], s["subscribed_fraction"])
        if k not in keys:
            keys.append(k)
    rows = []
    datadir = os.path.splitext(a.plot)[0] + "_data"
    os.makedirs(datadir, exist_ok=True)
    for recv, config, fps, frac in keys:
        reps = [s for s in steps
                if (s["receiver"], s["config"], s["offered_fps"], s["subscribed_fraction"])
                == (recv, config, fps, frac)]
        row = {"receiver": recv, "config": config, "offered_fps": fps,
               "subscribed_fraction": frac, "repetitions": len(reps)}
        row["achieved_fps"] = round(median([s["achieved_fps"] for s in reps]))
        for f, _ in PCTS + [("max_ns", 1)]:
            row[f] = median([s["lat"][f] if s.get("lat") and s["lat"]["count"] else None
                             for s in reps])
        row["lost_msgs"] = sum(max(s["lost_msgs"], 0) for s in reps)
        row["delivered_msgs"] = sum(s.get("delivered_msgs", 0) for s in reps)
        row["verdicts"] = [s["verdict"] for s in reps]
        row["cpu_ns_per_msg"] = median([s.get("cpu_ns_per_msg") for s in reps])
        # Noise: time the receiving thread waited for its CPU, and the hypervisor's steal there.
        row["runqueue_wait_ms"] = [round(s.get("runqueue_wait_ms") or 0, 2) for s in reps]
        row["steal_pct_rx_cpu"] = [s["steal_pct"][s["rx"]["cpu"]]
                                   if s.get("steal_pct") and s.get("rx") else None for s in reps]
        if recv == "feedsieve":
            row["to_xdp_p50_ns"] = median([s["rx"]["lat_to_xdp"]["p50_ns"] for s in reps
                                           if s.get("rx")])
            row["to_xdp_p99_ns"] = median([s["rx"]["lat_to_xdp"]["p99_ns"] for s in reps
                                           if s.get("rx")])
        row["frames_per_call"] = median([s.get("frames_per_call") for s in reps])
        merged = {}
        for s in reps:
            for e, c in read_hist(s.get("hist")).items():
                merged[e] = merged.get(e, 0) + c
        row["all_reps"] = {f: quantile(merged, q) for f, q in PCTS}
        name = "%s-%s-%d-%g.tsv" % (recv, config, fps or 0, frac)
        row["plot_data"] = os.path.join(datadir, name)
        write_ccdf(merged, row["plot_data"])
        rows.append(row)
    targets = {}
    for (fps, frac), (fp99, sp99, config, ratio) in bench_targets.latency_ratios(rows).items():
        for r in rows:
            if r["receiver"] == "kernel-socket" and (r["offered_fps"], r["subscribed_fraction"]) \
                    == (fps, frac) and r["p99_ns"]:
                r["best_baseline"] = r["config"] == config
        targets["p99_ratio_at_%d_fps_%g" % (fps, frac)] = {
            "feedsieve_p99_ns": fp99, "best_socket_config": config, "socket_p99_ns": sp99,
            "ratio": round(ratio, 3)}
    t = bench_targets.load()["latency_p99_ratio"]
    targets["goal"] = "p99 ratio at %d frames/s %s" % (t["at"]["offered_fps"],
                                                       bench_targets.goal_text(t))
    notes = []
    for r in rows:
        if r["lost_msgs"] or r["achieved_fps"] < ACHIEVED_MIN * (r["offered_fps"] or 0):
            notes.append("%s (%s) at %s frames/s, %g %% subscribed: achieved %s frames/s, lost "
                         "%d of %d messages: its latency is that of an overloaded receiver."
                         % (r["receiver"], r["config"], format(int(r["offered_fps"] or 0), ","),
                            r["subscribed_fraction"] * 100, format(r["achieved_fps"], ","),
                            r["lost_msgs"], r["lost_msgs"] + r["delivered_msgs"]))
    write_json(a.out, {"latency": rows, "targets": targets, "notes": " ".join(notes),
                       "conditions": conditions_end(a.conditions)})
    print("\n%-14s %-9s %9s %5s %10s %9s %9s %9s %9s %10s %8s" % (
        "receiver", "config", "offered", "frac", "achieved", "p50 ns", "p90 ns", "p99 ns",
        "p99.9 ns", "max ns", "lost"))
    for r in rows:
        print("%-14s %-9s %9d %5g %10d %9s %9s %9s %9s %10s %8d" % (
            r["receiver"], r["config"], r["offered_fps"] or 0, r["subscribed_fraction"],
            r["achieved_fps"], fmt(r["p50_ns"]), fmt(r["p90_ns"]), fmt(r["p99_ns"]),
            fmt(r["p999_ns"]), fmt(r["max_ns"]), r["lost_msgs"]))
    print("targets: %s" % json.dumps(targets))
    plot(rows, a.plot)


def write_ccdf(h, path):
    """latency_us <TAB> 1 / (1 - cumulative fraction), the last point at the sample count."""
    total = sum(h.values())
    seen = 0
    with open(path, "w") as f:
        for edge in sorted(h):
            seen += h[edge]
            rest = max(total - seen, 0.5)
            f.write("%.3f\t%.6g\n" % (edge / 1000.0, total / rest))


def plot(rows, out):
    if not shutil.which("gnuplot"):
        print("  gnuplot not installed (apt-get install -y gnuplot-nox): no %s" % out,
              file=sys.stderr)
        return
    points = sorted({(r["offered_fps"], r["subscribed_fraction"]) for r in rows},
                    key=lambda p: (p[0], -p[1]))
    style = {"feedsieve": "lw 3 lc rgb '#1b7837'", "block": "lw 2 lc rgb '#b2182b'",
             "spin": "lw 2 lc rgb '#ef8a62' dt 2", "busy-poll": "lw 2 lc rgb '#762a83' dt 4"}
    g = ["set terminal pngcairo noenhanced size %d,560 font 'sans,10'" % (520 * len(points)),
         "set output '%s'" % out,
         "set multiplot layout 1,%d title 'One-way latency, injector stamp to receiver "
         "(all messages of all repetitions)'" % len(points),
         "set logscale xy", "set grid",
         "set xlabel 'latency (microseconds)'", "set ylabel 'percentile'",
         "set ytics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, "
         "'99.999%%' 100000)",
         "set yrange [1:*]", "set key top left reverse Left font ',9' samplen 2"]
    for fps, frac in points:
        sel = [r for r in rows if (r["offered_fps"], r["subscribed_fraction"]) == (fps, frac)]
        g.append("set title '%s frames/s offered, %g %% subscribed'"
                 % (format(int(fps or 0), ","), frac * 100))
        curves = []
        for r in sel:
            key = "feedsieve" if r["receiver"] == "feedsieve" else r["config"]
            label = ("feedsieve (AF_XDP, spinning)" if key == "feedsieve"
                     else "UDP socket, %s" % r["config"])
            if r["achieved_fps"] < ACHIEVED_MIN * (fps or 0):
                label += " (only %s fps)" % format(r["achieved_fps"], ",")
            if r["lost_msgs"]:
                share = 100.0 * r["lost_msgs"] / (r["lost_msgs"] + r["delivered_msgs"])
                label += (" (lost %.0f %%)" % share if share >= 1 else
                          " (lost %d msgs)" % r["lost_msgs"])
            curves.append("'%s' using 1:2 with steps %s title '%s'"
                          % (r["plot_data"], style.get(key, "lw 2"), label))
        g.append("plot " + ", ".join(curves))
    g.append("unset multiplot")
    script = out + ".gp"
    with open(script, "w") as f:
        f.write("\n".join(g) + "\n")
    res = subprocess.run(["gnuplot", script], capture_output=True, text=True)
    if res.returncode:
        print("  gnuplot failed: %s" % res.stderr.strip(), file=sys.stderr)
    else:
        print("  wrote %s" % out, file=sys.stderr)


def cmd_plot(a):
    with open(a.latency) as f:
        plot(json.load(f)["latency"], a.out)


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("step")
    s.add_argument("--receiver", required=True)
    s.add_argument("--config", required=True)
    s.add_argument("--fraction", type=float, required=True)
    s.add_argument("--rate", type=float, required=True)
    s.add_argument("--inj", required=True)
    s.add_argument("--rx", required=True)
    s.add_argument("--veth-drops", type=int, default=0)
    s.add_argument("--xdp-seen", type=int)
    s.add_argument("--hist")
    s.add_argument("--hist-out")
    s.add_argument("--step", type=int, default=0)
    s = sub.add_parser("result")
    s.add_argument("--rep", type=int, required=True)
    s.add_argument("--best", required=True)
    s.add_argument("--hi", required=True)
    s.add_argument("--limit", default="")
    s = sub.add_parser("conditions")
    for o in ("quick", "reps", "lat-reps", "step-seconds", "lat-seconds", "tol", "rxf-args", "sock-args",
              "sock-lat-configs", "inj-args", "lat-inj-args", "floor", "noise"):
        s.add_argument("--" + o, required=True)
    for o in ("msgs", "locates", "cpu-tx", "cpu-rx"):
        s.add_argument("--" + o, type=int, required=True)
    s = sub.add_parser("throughput")
    for o in ("results", "steps", "conditions", "out"):
        s.add_argument("--" + o, required=True)
    s = sub.add_parser("latency")
    for o in ("steps", "conditions", "out", "plot", "hist-dir"):
        s.add_argument("--" + o, required=True)
    s = sub.add_parser("plot", help="redraw the chart from latency.json")
    s.add_argument("--latency", required=True)
    s.add_argument("--out", required=True)
    a = p.parse_args()
    {"plot": cmd_plot, "step": cmd_step, "result": cmd_result, "conditions": cmd_conditions,
     "throughput": cmd_throughput, "latency": cmd_latency}[a.cmd](a)


if __name__ == "__main__":
    main()
