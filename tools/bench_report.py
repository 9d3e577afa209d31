#!/usr/bin/env python3
"""make bench, last step: merge the benchmark outputs into bench/results.json and write
docs/benchmarks.md (tables, the issue's target ratios, plots, conditions, how to reproduce).

Every number comes from bench/out/*.json of the run just made; a benchmark that did not run is
reported as missing, never filled in.
"""
import json
import os
import shutil
import sys

OUT = "bench/out"
DOCS_IMG = "docs/img"


def load(name):
    path = os.path.join(OUT, name)
    return json.load(open(path)) if os.path.exists(path) else None


def fmt(x, digits=0):
    if x is None:
        return "-"
    if isinstance(x, float) and digits:
        return f"{x:.{digits}f}"
    return f"{x:,.0f}".replace(",", " ")


def filter_section(fc):
    lines = ["## 1. Filter cost (`BPF_PROG_TEST_RUN`)", ""]
    if not fc:
        return lines + ["Not run (`make bench-filter`).", ""]
    c = fc["conditions"]
    lines += [
        f"ns per frame, medians of {c.get('repeats')} repetitions measured side by side in one run "
        f"({c.get('date')}, {c.get('cpu_model')}, {c.get('cpus_online')} CPUs, kernel "
        f"{c.get('kernel')}{', QUICK' if c.get('quick') else ''}). *first*: every message of the "
        "frame is new (the line that wins); *duplicate*: the other line's copy, dropped after the "
        "claim. Floors: an empty `XDP_PASS` program and a program that parses up to the "
        "MoldUDP64 header, on the same frames.",
        "",
        "| path | matched | msgs/frame | 1 symbol | 100 | 10 000 | 65 536 | empty floor | parse floor |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    rows = {}
    for r in fc["filter_cost"]:
        key = (r["path"], r["matched"], r["msgs_per_frame"])
        rows.setdefault(key, {})[r["subscribed_symbols"]] = r
    order = {"first": 0, "duplicate": 1}
    for (path, matched, msgs), by in sorted(rows.items(), key=lambda kv: (order.get(kv[0][0], 9),
                                                                        kv[0][1], kv[0][2])):
        any_r = next(iter(by.values()))
        cells = [fmt(by.get(n, {}).get("ns")) for n in (1, 100, 10000, 65536)]
        lines.append(f"| {path} | {'yes' if matched else 'no'} | {msgs} | " + " | ".join(cells) +
                     f" | {fmt(any_r['floor_empty_ns'])} | {fmt(any_r['floor_parse_ns'])} |")
    ratios = fc.get("ratios", {})
    one = ratios.get("one_msg_over_empty", {}).get("values", [])
    big = ratios.get("max_subs_over_one_sub", {}).get("values", [])
    lines += ["", "Targets (each a ratio of two numbers from the same repetition, median):", ""]
    if one:
        vals = [v["ratio"] for v in one]
        lines.append(f"- 1-message frame / empty floor, target <= 1.5: **{min(vals):.1f} to "
                     f"{max(vals):.1f}** (not met).")
    if big:
        vals = [v["ratio"] for v in big]
        met = max(vals) <= 1.10
        lines.append(f"- 65 536 subscribed symbols / 1, target <= 1.10: **{min(vals):.2f} to "
                     f"{max(vals):.2f}** ({'met' if met else 'not met in every shape'}).")
    lines += [
        "",
        "Why the first target cannot be met here: 1.5 x the empty floor is about 20 ns, while "
        "parsing Ethernet/IPv4/UDP and the MoldUDP64 header alone (the parse floor) is already "
        "2 to 2.5 times the empty program. The rest of a 1-message frame is the group hash "
        "lookup (~16 ns), the framing and match passes as `bpf_loop` bodies (~5 ns per call, "
        "~3 ns per step), the atomic claim in the sequence window (~6 ns per word), the "
        "counters, and for delivered frames the metadata and the RX timestamp "
        "(`bpf_ktime_get_ns()`, ~46 ns). Measured with single-purpose programs; see "
        "bench/filter_cost.c.",
        "",
    ]
    if os.path.exists(os.path.join(DOCS_IMG, "filter_cost.png")):
        lines += ["![filter cost](img/filter_cost.png)", ""]
    return lines


def notes_lines(obj):
    notes = obj.get("notes")
    if not notes:
        return []
    if isinstance(notes, str):
        notes = [notes]
    return [""] + [f"- {n}" for n in notes]


def throughput_section(tp):
    lines = ["## 2. Throughput (highest offered rate with zero message loss)", ""]
    if not tp:
        return lines + ["Not run (`make bench-throughput`).", ""]
    lines += [
        "An injector (`BPF_F_TEST_XDP_LIVE_FRAMES`) sends MoldUDP64 frames of 4 Add Orders into a "
        "veth; the receiver on the other CPU is either feedsieve's sequenced AF_XDP consumer or "
        "the conventional baseline (one UDP socket, `recvmmsg`, the same filter in user space). "
        "Zero loss: every subscribed message delivered, no gap, in order. Medians of the "
        "repetitions.",
        "",
        "| receiver | config | subscribed | max zero-loss messages/s | frames/s | consumer CPU ns per delivered message | kernel softirq ns per message |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in tp["throughput"]:
        lines.append(f"| {r['receiver']} | {r.get('config', '')} | {r['subscribed_fraction'] * 100:g} % | "
                     f"{fmt(r['max_zero_loss_msgs_per_s'])} | {fmt(r.get('max_zero_loss_fps'))} | "
                     f"{fmt(r.get('cpu_ns_per_msg'))} | {fmt(r.get('softirq_ns_per_msg'))} |")
    t = tp.get("targets", {})
    ratio = t.get("zero_loss_ratio_at_0.1")
    if ratio is not None:
        lines += ["", f"Target: feedsieve >= 5 x the baseline's zero-loss rate at 10 % subscribed: "
                      f"**{ratio:.2f} x** ({'met' if ratio >= 5 else 'not met'}); at 100 %: "
                      f"{t.get('zero_loss_ratio_at_1')} x, at 1 %: "
                      f"{t.get('zero_loss_ratio_at_0.01')} x."]
    return lines + notes_lines(tp) + [""]


def latency_section(lat):
    lines = ["## 3. One-way latency (injector stamp to application)", ""]
    if not lat:
        return lines + ["Not run (`make bench-latency`).", ""]
    lines += [
        "The injector stamps each frame with `bpf_ktime_get_ns()`; the receiver subtracts it "
        "when it hands the message over. The baseline is tried blocking, spinning and with "
        "`SO_BUSY_POLL`; the target compares with its best configuration.",
        "",
        "| frames/s | subscribed | receiver | config | p50 ns | p90 ns | p99 ns | p99.9 ns | max ns | lost |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = sorted(lat["latency"], key=lambda r: (r["offered_fps"], -r["subscribed_fraction"],
                                                 r["receiver"] != "feedsieve", r.get("config", "")))
    for r in rows:
        lines.append(f"| {fmt(r['offered_fps'])} | {r['subscribed_fraction'] * 100:g} % | "
                     f"{r['receiver']} | {r.get('config', '')} | {fmt(r['p50_ns'])} | "
                     f"{fmt(r['p90_ns'])} | {fmt(r['p99_ns'])} | {fmt(r['p999_ns'])} | "
                     f"{fmt(r['max_ns'])} | {fmt(r.get('lost_msgs'))} |")
    targets = {k: v for k, v in lat.get("targets", {}).items() if isinstance(v, dict)}
    if targets:
        lines += ["", "Target: feedsieve p99 <= 1/3 of the best baseline's at 100 000 frames/s "
                      "(ratio feedsieve / baseline):", ""]
        for k, v in targets.items():
            lines.append(f"- {k.replace('p99_ratio_at_', '').replace('_fps_', ' frames/s, fraction ')}: "
                         f"{fmt(v['feedsieve_p99_ns'])} ns / {fmt(v['socket_p99_ns'])} ns "
                         f"({v['best_socket_config']}) = **{v['ratio']:.2f}**")
    lines += notes_lines(lat)
    if os.path.exists(os.path.join(DOCS_IMG, "latency.png")):
        lines += ["", "![latency distributions](img/latency.png)"]
    return lines + [""]


def main():
    fc, tp, lat = load("filter_cost.json"), load("throughput.json"), load("latency.json")
    os.makedirs(DOCS_IMG, exist_ok=True)
    for png in ("filter_cost.png", "latency.png", "throughput.png"):
        if os.path.exists(os.path.join(OUT, png)):
            shutil.copy(os.path.join(OUT, png), os.path.join(DOCS_IMG, png))
    results = {
        "filter_cost": fc["filter_cost"] if fc else [],
        "throughput": tp["throughput"] if tp else [],
        "latency": lat["latency"] if lat else [],
        "conditions": {
            "filter_cost": fc and fc.get("conditions"),
            "throughput": tp and tp.get("conditions"),
            "latency": lat and lat.get("conditions"),
        },
        "ratios": fc and fc.get("ratios"),
    }
    with open("bench/results.json", "w") as f:
        json.dump(results, f, indent=1)
    doc = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`tools/bench_report.py`) from the run it just made; the raw",
        "numbers are in `bench/results.json`. Conditions: this 2-core VM, shared with other work",
        "(numbers move by +-20 % between runs: compare the ratios, measured side by side), veth",
        "pairs between network namespaces, AF_XDP in copy mode (veth has no zero-copy).",
        "Reproduce: `make bench` (about 10 minutes) or `make bench QUICK=1` (under 2 minutes).",
        "",
    ]
    doc += filter_section(fc) + throughput_section(tp) + latency_section(lat)
    with open("docs/benchmarks.md", "w") as f:
        f.write("\n".join(doc))
    print("bench: wrote bench/results.json and docs/benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
