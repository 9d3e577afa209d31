#!/usr/bin/env python3
"""Write docs/benchmarks.md and the README's performance summary from benchmark results.

make bench (no options): merge bench/out/*.json of the run just made into bench/results.json,
then write the pages from it. --from RESULTS: write them from a results.json only.

Every figure and verdict is computed from the results and bench/targets.json; a benchmark that
did not run, or a target with nothing measured, is reported as "not measured", never filled in.
"""
import argparse
import json
import os
import shutil
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
import targets as bench_targets  # noqa: E402

# bench/load_eval.py's threshold for a sustained step: a row under it is an overloaded receiver.
ACHIEVED_MIN = 0.97
README_BEGIN = "<!-- bench_report.py: summary begin -->"
README_END = "<!-- bench_report.py: summary end -->"

OUT = "bench/out"
DOCS_IMG = "docs/img"


def load(name, out=OUT):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else None


def fmt(x, digits=0):
    if x is None:
        return "-"
    if isinstance(x, float) and digits:
        return f"{x:.{digits}f}"
    return f"{x:,.0f}".replace(",", " ")


def by_shape(rows_in, keys, subs):
    """Rows grouped by (path, matched, KEYS per frame), each {SUBS: row}, in table order."""
    rows = {}
    for r in rows_in:
        rows.setdefault((r["path"], r["matched"], r[keys]), {})[r[subs]] = r
    order = {"first": 0, "duplicate": 1}
    return sorted(rows.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1], kv[0][2]))


def filter_section(results, targets):
    lines = ["## 1. Filter cost (`BPF_PROG_TEST_RUN`)", ""]
    rows_in = results.get("filter_cost") or []
    if not rows_in:
        return lines + ["Not measured (`make bench-filter`).", ""]
    c = (results.get("conditions") or {}).get("filter_cost") or {}
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
    for (path, matched, msgs), by in by_shape(rows_in, "msgs_per_frame", "subscribed_symbols"):
        any_r = next(iter(by.values()))
        cells = [fmt(by.get(n, {}).get("ns")) for n in (1, 100, 10000, 65536)]
        lines.append(f"| {path} | {'yes' if matched else 'no'} | {msgs} | " + " | ".join(cells) +
                     f" | {fmt(any_r['floor_empty_ns'])} | {fmt(any_r['floor_parse_ns'])} |")
    lines += [""] + target_block(results, targets, "filter_over_walk_floor") + \
        target_block(results, targets, "symbols_65536_over_1") + price_list_section(results)
    if os.path.exists(os.path.join(DOCS_IMG, "filter_cost.png")):
        lines += ["![filter cost](img/filter_cost.png)", ""]
    return lines + filter_mdp3_section(results, targets)


def filter_mdp3_section(results, targets):
    """CME MDP 3.0 packets through the same harness, per packet and per key, beside ITCH."""
    lines = ["### CME MDP 3.0 beside ITCH", ""]
    rows_in = results.get("filter_mdp3") or []
    if not rows_in:
        return lines + ["Not measured (`make bench-filter`).", ""]
    c = (results.get("conditions") or {}).get("filter_cost") or {}
    lines += [
        "The same run and method on MDP3 packets of K instrument keys: K book entries in "
        "ceil(K / 4) MDIncrementalRefreshBook messages (template 46, up to 4 entries each), "
        "subscribed by SecurityID (1 to 65 536 ids, each with its id-keyed directory slot and "
        "index entry); *matched*: entry 0 is subscribed, the others not. *first* moves MsgSeqNum "
        "on by one per run (MDP3 is sequenced per packet). ns per packet, then ns per key "
        "(entry) beside ITCH's ns per message for the same number of keys per frame"
        f"{' (QUICK)' if c.get('quick') else ''}. The parse floor stops after the MDP3 packet "
        "header.",
        "",
        "| path | matched | keys/packet | 1 id | 100 | 10 000 | 65 536 | ns/key, 1 id | "
        "ns/key, 65 536 ids | ITCH ns/msg, 1 symbol | ITCH ns/msg, 65 536 | empty floor | "
        "parse floor |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    itch = {(r["path"], r["matched"], r["msgs_per_frame"], r["subscribed_symbols"]): r
            for r in results.get("filter_cost") or []}
    for (path, matched, keys), by in by_shape(rows_in, "keys_per_packet", "subscribed_ids"):
        any_r = next(iter(by.values()))
        cells = [fmt(by.get(n, {}).get("ns")) for n in (1, 100, 10000, 65536)]
        per_key = [fmt(by.get(n, {}).get("ns_per_key"), 1) for n in (1, 65536)]
        per_msg = [fmt(itch[(path, matched, keys, n)]["ns"] / keys, 1)
                   if (path, matched, keys, n) in itch else "-" for n in (1, 65536)]
        lines.append(f"| {path} | {'yes' if matched else 'no'} | {keys} | " + " | ".join(cells) +
                     " | " + " | ".join(per_key + per_msg) +
                     f" | {fmt(any_r['floor_empty_ns'])} | {fmt(any_r['floor_parse_ns'])} |")
    lines.append("")
    return lines + filter_msg_section(results, targets, "nyse") + \
        filter_msg_section(results, targets, "pitch") + protocols_section(results) + \
        order_map_section(results)


# The message-keyed protocols of issue 12: heading, frames, floor, JSON keys, target.
MSG_PROTOS = {
    "nyse": ("NYSE XDP Integrated beside ITCH",
             "NYSE XDP Integrated packets (16-byte header, DeliveryFlag 11) of N Add Order "
             "messages (type 100, 39 bytes) keyed by SymbolIndex, each SymbolIndex learned in an "
             "id-keyed directory slot as a Symbol Index Mapping teaches it; subscriptions by name, "
             "their slots marked as the commit marks them",
             "the 16-byte NYSE packet header"),
    "pitch": ("Cboe PITCH beside ITCH",
              "Cboe PITCH Sequenced Units (8-byte header, one unit) of N Add Order Short messages "
              "(0x22, 26 bytes) with their 6-character symbols inline, subscribed by name; on "
              "path *first* a matched Add Order also inserts a new order into the order map every "
              "run (the wrapper moves its Order ID on; checked by the orders_added counter, the "
              "map emptied after each measurement outside the timed calls)",
              "the 8-byte Sequenced Unit Header"),
}


def filter_msg_section(results, targets, proto):
    """NYSE or PITCH frames through the same harness, per frame and per message, beside ITCH."""
    title, frames, floor = MSG_PROTOS[proto]
    lines = [f"### {title}", ""]
    rows_in = results.get(f"filter_{proto}") or []
    c = (results.get("conditions") or {}).get("filter_cost") or {}
    lines += [
        f"The same run and method on {frames}; *matched*: message 0 is subscribed, the others "
        "not. Both NYSE and PITCH are sequenced per message: *first* moves the packet's first "
        "sequence number past its messages per run, as for MoldUDP64. ns per frame, then ns per "
        "message beside ITCH's for the same number of messages per frame"
        f"{' (QUICK)' if c.get('quick') else ''}. The parse floor stops after {floor}.",
        "",
    ]
    if not rows_in:
        return lines + ["Not measured in this run (`make bench-filter`).", ""]
    lines += [
        "| path | matched | msgs/frame | bytes | 1 symbol | 100 | 10 000 | 65 536 | ns/msg, 1 | "
        "ns/msg, 65 536 | ITCH ns/msg, 1 | ITCH ns/msg, 65 536 | empty floor | parse floor |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    itch = {(r["path"], r["matched"], r["msgs_per_frame"], r["subscribed_symbols"]): r
            for r in results.get("filter_cost") or []}
    for (path, matched, msgs), by in by_shape(rows_in, "msgs_per_frame", "subscribed_symbols"):
        any_r = next(iter(by.values()))
        cells = [fmt(by.get(n, {}).get("ns")) for n in (1, 100, 10000, 65536)]
        per_msg = [fmt(by[n]["ns"] / msgs, 1) if n in by else "-" for n in (1, 65536)]
        itch_msg = [fmt(itch[(path, matched, msgs, n)]["ns"] / msgs, 1)
                    if (path, matched, msgs, n) in itch else "-" for n in (1, 65536)]
        lines.append(f"| {path} | {'yes' if matched else 'no'} | {msgs} | "
                     f"{fmt(any_r.get('frame_bytes'))} | " + " | ".join(cells) + " | " +
                     " | ".join(per_msg + itch_msg) +
                     f" | {fmt(any_r['floor_empty_ns'])} | {fmt(any_r['floor_parse_ns'])} |")
    lines.append("")
    return lines


# (JSON rows, what counts a frame's keys, what a row's subscriptions are) per protocol.
PROTO_ROWS = (("ITCH", "filter_cost", "msgs_per_frame", "subscribed_symbols"),
              ("MDP3", "filter_mdp3", "keys_per_packet", "subscribed_ids"),
              ("NYSE", "filter_nyse", "msgs_per_frame", "subscribed_symbols"),
              ("PITCH", "filter_pitch", "msgs_per_frame", "subscribed_symbols"))


def protocols_section(results):
    """ns per key of the four protocols side by side, at 1 and at 65 536 subscriptions."""
    by = {}
    for name, key, keys, subs in PROTO_ROWS:
        for r in results.get(key) or []:
            by[(name, r["path"], r["matched"], r[keys], r[subs])] = r["ns"] / r[keys]
    measured = [p[0] for p in PROTO_ROWS if results.get(p[1])]
    if len(measured) < 2:
        return []
    lines = ["### The four protocols side by side", "",
             "ns per key (a message; an MDP3 book entry) from the tables above, with 1 and with "
             "65 536 subscriptions (\"1 / 65 536\"): the filter's cost per key stays flat in the "
             "number of subscriptions for every protocol when the two numbers agree.", "",
             "| path | matched | keys/frame | " + " | ".join(measured) + " |",
             "|---|---|---|" + "---|" * len(measured)]
    for path in ("first", "duplicate"):
        for matched in (False, True):
            for keys in (1, 4, 16, 64):
                cells = []
                for name in measured:
                    lo, hi = by.get((name, path, matched, keys, 1)), \
                        by.get((name, path, matched, keys, 65536))
                    cells.append(f"{fmt(lo, 1)} / {fmt(hi, 1)}")
                lines.append(f"| {path} | {'yes' if matched else 'no'} | {keys} | " +
                             " | ".join(cells) + " |")
    lines.append("")
    if os.path.exists(os.path.join(DOCS_IMG, "filter_protocols.png")):
        lines += ["![filter cost by protocol](img/filter_protocols.png)", ""]
    return lines


def order_map_section(results):
    """The PITCH order map: ns per add / execute / delete over two references."""
    lines = ["### PITCH order map: cost per add, execute, delete", ""]
    om = results.get("order_map") or {}
    mem = om.get("memlock_bytes")
    lines += [
        "PITCH units of one message on the instance of 1 subscribed symbol, `fs_orders` holding "
        "orders of another channel all along (a busy book: by default half its capacity), every "
        "run through the path-first wrapper (a new sequence number and a new Order ID each run): the Add Order "
        "Short of the subscribed symbol inserts an order into `fs_orders`, the Order Executed of "
        "one share looks it up and updates its remaining quantity, the Delete Order looks it up "
        "and deletes it, in that order in every round so that each run finds the state it needs "
        "and the round's orders are gone after it. Two references at rotating places in the round: "
        "*baseline*, the Add Order Short of an unsubscribed symbol (the same bytes, no map "
        "operation, dropped), and *delivered*, the Trade Short of the subscribed symbol (no map "
        "operation, delivered as the three operations are). Counters (orders added, removed, "
        "unknown, full) are checked after every call. *over baseline* / *over delivered*: median "
        "over the repetitions of the difference within one repetition; over the baseline it "
        "includes the delivery (metadata), over the delivered trade it is about the map "
        "operation alone.",
        "",
    ]
    if not om:
        return lines + ["Not measured in this run (`make bench-filter`).", ""]
    lines += [
        f"`fs_orders` as loaded: {fmt(om.get('capacity'))} entries of {om.get('key_bytes')} + "
        f"{om.get('value_bytes')} bytes, preallocated"
        + (f", {fmt(mem / 2 ** 20, 1)} MiB charged to it (memlock)" if mem and mem > 0 else "")
        + f"; {fmt(om.get('background_orders'))} other orders in it during the measurement; "
        f"{om.get('repeats')} repetitions.",
        "",
        "| operation | frame bytes | ns per frame | ns over baseline (min to max) | "
        "ns over delivered (min to max) |",
        "|---|---|---|---|---|",
    ]
    for op in om.get("ops") or []:
        over = [f"{fmt(op[k], 1)} ({fmt(op[k + '_min'], 1)} to {fmt(op[k + '_max'], 1)})"
                if k in op else "reference" for k in ("ns_over_baseline", "ns_over_delivered")]
        lines.append(f"| {op['op']} | {fmt(op.get('frame_bytes'))} | {fmt(op.get('ns'), 1)} | "
                     + " | ".join(over) + " |")
    return lines + [""]


def span(vals, digits):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "**not measured**"
    lo, hi = min(vals), max(vals)
    if round(lo, digits) == round(hi, digits):
        return f"**{lo:.{digits}f}**"
    return f"**{lo:.{digits}f} to {hi:.{digits}f}**"


def judged(results, targets):
    """{target name: bench/targets.py summarize()} of every target, from the pair ratios the
    benchmarks wrote (results["target_cases"]), judged against TARGETS as they are now."""
    cases = results.get("target_cases") or {}
    return {name: bench_targets.summarize(t, cases.get(name)) for name, t in targets.items()}


def cond_text(conditions):
    return ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}"
                     for k, v in (conditions or {}).items())


def ratio(x):
    return "-" if x is None else f"{x:.2f}"


def side_text(side):
    """'name median unit' of one side (numerator or denominator) of a case."""
    vals = [v for v in (side or {}).get("values") or [] if isinstance(v, (int, float))]
    if not vals:
        return "-"
    m = statistics.median(vals)
    return f"{side.get('name', '')} {fmt(m, 1) if m < 100 else fmt(m)} {side.get('unit', '')}".strip()


def target_block(results, targets, name):
    """Docs lines for target NAME: goal, verdict, and every case with its pairs and spread."""
    j = judged(results, targets)[name]
    lines = [f"**`{name}`**: {j['what']}. Goal {bench_targets.goal_text(targets[name])}; "
             f"measured (worst case, median of its pairs) {span([j['value']], 2)}: "
             f"{j['verdict']}. {j['measures']}.", ""]
    if not j["cases"]:
        return lines + ["No pairs in this run: not measured.", ""]
    lines += ["| conditions | pairs | median | min to max | numerator (median) | "
              "denominator (median) | pair ratios |", "|---|---|---|---|---|---|---|"]
    for c in j["cases"]:
        worst = " (worst)" if c is j["worst"] else ""
        lines.append(f"| {cond_text(c.get('conditions'))}{worst} | {c['n']} | "
                     f"{ratio(c['median'])} | {ratio(c['min'])} to {ratio(c['max'])} | "
                     f"{side_text(c.get('numerator'))} | {side_text(c.get('denominator'))} | "
                     + " ".join(f"{p:.2f}" for p in c["pairs"]) + " |")
    return lines + [""]


def price_list_section(results):
    """The per-helper price list filter_cost measured: the reasons behind the filter's cost."""
    prices = results.get("price_list") or []
    lines = ["### Price list: what each step of an XDP program costs here", ""]
    if not prices:
        return lines + ["Not measured in this run (`make bench-filter`).", ""]
    lines += ["Measured by microprograms under `BPF_PROG_TEST_RUN` in the same run: a program "
              "doing the step N times minus one doing it 0 times, over N, on the same frame.", "",
              "| protocol | item | ns | what |", "|---|---|---|---|"]
    for p in prices:
        lines.append(f"| {p.get('protocol', '')} | {p.get('item', '')} | {fmt(p.get('ns'), 1)} | "
                     f"{p.get('what', '')} |")
    return lines + [""]


# Columns of the load benchmarks' per-receiver rows: (heading, key, digits); a column no row
# has is left out, so the tables follow what the harness measured.
TP_COLS = (("receiver", "receiver", None), ("config", "config", None),
           ("subscribed", "subscribed_fraction", "pct"),
           ("max zero-loss frames/s", "max_zero_loss_fps", 0),
           ("messages/s", "max_zero_loss_msgs_per_s", 0),
           ("live XDP ns per run", "bpf_ns_per_run", 1),
           ("consumer ns per message", "busy_ns_per_msg", 1),
           ("consumer CPU ns per message", "cpu_ns_per_msg", 0),
           ("softirq ns per message", "softirq_ns_per_msg", 0),
           ("rounds", "rounds", 0))
LAT_COLS = (("frames/s", "offered_fps", 0), ("subscribed", "subscribed_fraction", "pct"),
            ("receiver", "receiver", None), ("config", "config", None),
            ("p50 ns", "p50_ns", 0), ("p90 ns", "p90_ns", 0), ("p99 ns", "p99_ns", 0),
            ("p99.9 ns", "p999_ns", 0), ("max ns", "max_ns", 0), ("lost", "lost_msgs", 0),
            ("live XDP ns per run", "bpf_ns_per_run", 1),
            ("consumer ns per message", "busy_ns_per_msg", 1), ("rounds", "rounds", 0))


def cell(r, key, digits):
    v = r.get(key)
    if v is None:
        return "-"
    if digits == "pct":
        return f"{v * 100:g} %"
    if digits is None:
        return str(v)
    return fmt(float(v), digits) if digits else fmt(v)


def row_table(rows, cols):
    cols = [c for c in cols if any(r.get(c[1]) is not None for r in rows)]
    lines = ["| " + " | ".join(c[0] for c in cols) + " |", "|" + "---|" * len(cols)]
    for r in rows:
        lines.append("| " + " | ".join(cell(r, k, d) for _, k, d in cols) + " |")
    return lines


def throughput_section(results, targets):
    lines = ["## 2. Throughput (highest offered rate with zero message loss)", ""]
    rows = results.get("throughput") or []
    if not rows:
        return lines + ["Not measured (`make bench-throughput`).", ""]
    lines += [
        "An injector (`BPF_F_TEST_XDP_LIVE_FRAMES`) sends MoldUDP64 frames of Add Orders into a "
        "veth; on the other CPU the receiver is, in turn within every round: L1, an XDP program "
        "that drops every frame (`rx_bare --mode drop`); feedsieve's sequenced AF_XDP consumer; "
        "the conventional receiver (a UDP socket, `recvmmsg`, the same filter in user space); "
        "L2, a bare AF_XDP receiver (a program redirecting every frame, a reader touching every "
        "message and returning its buffer at once). Zero loss: every subscribed message "
        "delivered, no gap, in order. Medians over the rounds; *live XDP ns per run* is the "
        "kernel's BPF run-time statistics (run_time_ns / run_cnt) of the attached program over "
        "the receiver's steps.",
        "",
    ] + row_table(rows, TP_COLS) + [""]
    for name in ("fs_over_drop_limit_10pct", "fs_over_bare_afxdp_100pct", "fs_over_kernel_10pct"):
        lines += target_block(results, targets, name)
    notes = []
    for r in rows:
        counts = {}
        for l in r.get("limited_by") or []:
            counts[l] = counts.get(l, 0) + 1
        if counts:
            notes.append("%s at %g %%: %s." % (r["receiver"], r["subscribed_fraction"] * 100,
                         "; ".join("%s (%d of %d)" % (l, n, len(r["limited_by"]))
                                   for l, n in counts.items())))
    if notes:
        lines += ["What limited each figure (per round):", ""] + [f"- {n}" for n in notes] + [""]
    if os.path.exists(os.path.join(DOCS_IMG, "throughput.png")):
        lines += ["![throughput against the limits](img/throughput.png)", ""]
    return lines


def latency_section(results, targets):
    lines = ["## 3. One-way latency (injector stamp to application)", ""]
    rows_in = results.get("latency") or []
    if not rows_in:
        return lines + ["Not measured (`make bench-latency`).", ""]
    lines += [
        "The injector stamps each frame with `bpf_ktime_get_ns()`; the receiver subtracts it "
        "when it hands the message over. The UDP socket is tried blocking, spinning and with "
        "`SO_BUSY_POLL`; the targets compare with its best configuration (the lowest median "
        "p99). Rounds interleave the receivers; medians over the rounds.",
        "",
    ]
    rows = sorted(rows_in, key=lambda r: (r.get("offered_fps") or 0,
                                          -(r.get("subscribed_fraction") or 0),
                                          r.get("receiver") != "feedsieve", r.get("config", "")))
    lines += row_table(rows, LAT_COLS) + [""]
    for name in ("p99_fs_over_kernel_100k_10pct", "p999_fs_over_kernel_100k_10pct",
                 "consumer_over_bare_reader"):
        lines += target_block(results, targets, name)
    notes = []
    for r in rows_in:
        offered = r.get("offered_fps") or 0
        lost = r.get("lost_msgs") or 0
        if lost or (r.get("achieved_fps") or 0) < ACHIEVED_MIN * offered:
            notes.append(f"{r['receiver']} ({r.get('config', '')}) at {fmt(offered)} frames/s, "
                         f"{r['subscribed_fraction'] * 100:g} % subscribed: achieved "
                         f"{fmt(r.get('achieved_fps'))} frames/s, lost {fmt(lost)} of "
                         f"{fmt(lost + (r.get('delivered_msgs') or 0))} messages: its latency is "
                         "that of an overloaded receiver.")
    if notes:
        lines += [f"- {n}" for n in notes] + [""]
    if os.path.exists(os.path.join(DOCS_IMG, "latency.png")):
        lines += ["![latency distributions](img/latency.png)", ""]
    return lines


def summary(results, targets):
    """The README's table: each target, its median, spread, pairs and verdict."""
    cond = results.get("conditions") or {}
    quick = any((c or {}).get("quick") for c in cond.values())
    dates = sorted({(c or {}).get("date", "")[:10] for c in cond.values() if c})
    lines = [f"Run of {', '.join(dates) or 'unknown date'}"
             + (" (QUICK: a short run, fewer pairs)" if quick else "")
             + "; every value is the median of pair ratios, each pair measured side by side; "
               "a target's value is its worst case.", "",
             "| target | what | goal | measured | pairs (spread) | verdict | worst case |",
             "|---|---|---|---|---|---|---|"]
    for name, j in judged(results, targets).items():
        w = j["worst"]
        pairs = f"{w['n']} ({w['min']:.2f} to {w['max']:.2f})" if w else "-"
        figures = (f"{cond_text(w.get('conditions'))}: {side_text(w.get('numerator'))} / "
                   f"{side_text(w.get('denominator'))}") if w else ""
        lines.append(f"| `{name}` | {j['what']} | {bench_targets.goal_text(targets[name])} | "
                     f"{span([j['value']], 2)} | {pairs} | {j['verdict']} | {figures} |")
    return lines


def merge(targets, out=OUT):
    """OUT/*.json of the run just made -> the content of bench/results.json."""
    fc, tp, lat = (load(n, out) for n in ("filter_cost.json", "throughput.json", "latency.json"))
    # The pair ratios each benchmark computed for the targets it measures.
    target_cases = {}
    for part in (fc, tp, lat):
        for name, cases in ((part or {}).get("target_cases") or {}).items():
            target_cases.setdefault(name, []).extend(cases)
    os.makedirs(DOCS_IMG, exist_ok=True)
    for png in ("filter_cost.png", "filter_protocols.png", "latency.png", "throughput.png"):
        if os.path.exists(os.path.join(out, png)):
            shutil.copy(os.path.join(out, png), os.path.join(DOCS_IMG, png))
    return {
        "filter_cost": fc["filter_cost"] if fc else [],
        "filter_mdp3": (fc.get("filter_mdp3") or []) if fc else [],
        "filter_nyse": (fc.get("filter_nyse") or []) if fc else [],
        "filter_pitch": (fc.get("filter_pitch") or []) if fc else [],
        "order_map": fc and fc.get("order_map"),
        "throughput": tp["throughput"] if tp else [],
        "latency": lat["latency"] if lat else [],
        "conditions": {
            "filter_cost": fc and fc.get("conditions"),
            "throughput": tp and tp.get("conditions"),
            "latency": lat and lat.get("conditions"),
        },
        "ratios": fc and fc.get("ratios"),
        "ratios_mdp3": fc and fc.get("ratios_mdp3"),
        "ratios_nyse": fc and fc.get("ratios_nyse"),
        "ratios_pitch": fc and fc.get("ratios_pitch"),
        "price_list": (fc.get("price_list") or []) if fc else [],
        "throughput_rounds": (tp.get("rounds") or []) if tp else [],
        "latency_rounds": (lat.get("rounds") or []) if lat else [],
        "target_cases": target_cases,
        "targets": {name: bench_targets.summarize(t, target_cases.get(name))
                    for name, t in targets.items()},
    }


def document(results, targets, source):
    quick = any((c or {}).get("quick") for c in (results.get("conditions") or {}).values())
    doc = [
        "# Benchmarks",
        "",
        f"Written by `tools/bench_report.py` from `{source}`: every figure and verdict below is",
        "computed from it, and the targets come from `bench/targets.json`; a benchmark that did",
        "not run is reported as not measured. Conditions: this 2-core VM, shared with other work",
        "(numbers move by +-20 % between runs: compare the ratios, measured side by side), veth",
        "pairs between network namespaces, AF_XDP in copy mode (veth has no zero-copy).",
        "Reproduce: `make bench` (about 10 minutes) or `make bench QUICK=1` (under 2 minutes);",
        "`make bench-report` rewrites this page and the README's summary from",
        "`bench/results.json`.",
        "",
    ]
    if quick:
        doc += ["**QUICK run**: short measurements and fewer repetitions; not the full run.", ""]
    doc += ["## Summary", ""] + summary(results, targets) + [""]
    doc += filter_section(results, targets) + throughput_section(results, targets) + \
        latency_section(results, targets)
    return "\n".join(doc)


def update_readme(path, results, targets):
    """Replace the lines between the README's bench markers; no markers, no change."""
    with open(path) as f:
        text = f.read()
    begin, end = text.find(README_BEGIN), text.find(README_END)
    if begin < 0 or end < begin:
        return False
    block = README_BEGIN + "\n" + "\n".join(summary(results, targets)) + "\n"
    with open(path, "w") as f:
        f.write(text[:begin] + block + text[end:])
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="source", metavar="RESULTS",
                    help="render from this results.json instead of merging bench/out")
    ap.add_argument("--targets", default=bench_targets.PATH, help="targets file")
    ap.add_argument("--out", default=OUT, help="where the benchmarks wrote their JSON")
    ap.add_argument("--results", default="bench/results.json",
                    help="the merged results to write (without --from)")
    ap.add_argument("--doc", default="docs/benchmarks.md", help="page to write")
    ap.add_argument("--readme", default="README.md",
                    help="README whose summary block to rewrite ('' for none)")
    a = ap.parse_args()
    targets = bench_targets.load(a.targets)
    if a.source:
        with open(a.source) as f:
            results = json.load(f)
        source = a.source
    else:
        results = merge(targets, a.out)
        source = a.results
        with open(source, "w") as f:
            json.dump(results, f, indent=1)
    with open(a.doc, "w") as f:
        f.write(document(results, targets, source))
    wrote = [a.doc]
    if a.readme and os.path.exists(a.readme) and update_readme(a.readme, results, targets):
        wrote.append(a.readme)
    print("bench: wrote " + ", ".join(([] if a.source else [source]) + wrote))
    return 0


if __name__ == "__main__":
    sys.exit(main())
