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


def load(name):
    path = os.path.join(OUT, name)
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
    lines += ["", "Targets (each a ratio of two numbers from the same repetition, median over the "
                  "repetitions):", ""]
    for name in ("filter_one_msg_over_empty", "filter_max_subs_over_one_sub"):
        t = targets[name]
        vals = filter_ratios(results, name)
        lines.append(f"- {t['measures']}; target {bench_targets.goal_text(t)}: "
                     f"{span(vals, 2)} ({bench_targets.verdict(t, vals)}).")
    empty = [r["floor_empty_ns"] for r in rows_in if r.get("floor_empty_ns")]
    parse = [r["floor_parse_ns"] / r["floor_empty_ns"] for r in rows_in
             if r.get("floor_empty_ns") and r.get("floor_parse_ns")]
    t = targets["filter_one_msg_over_empty"]
    if empty and parse:
        lines += ["", f"For scale, from the table: {t['goal']:g} x the empty floor is "
                      f"{t['goal'] * statistics.median(empty):.0f} ns (median floor "
                      f"{statistics.median(empty):.0f} ns), while the parse floor alone, which "
                      "stops after the MoldUDP64 header, is already "
                      f"{min(parse):.1f} to {max(parse):.1f} x the empty program."]
    lines.append("")
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
    t = targets["filter_mdp3_max_subs_over_one_sub"]
    vals = [v.get("ratio") for v in
            ((results.get("ratios_mdp3") or {}).get("max_subs_over_one_sub") or {})
            .get("values", [])]
    lines += ["", f"Target: {t['measures']}, median over the repetitions of the ratio within "
                  f"one repetition, {bench_targets.goal_text(t)}: {span(vals, 2)} "
                  f"({bench_targets.verdict(t, vals)}).", ""]
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
    t = targets[f"filter_{proto}_max_subs_over_one_sub"]
    vals = [v.get("ratio") for v in
            ((results.get(f"ratios_{proto}") or {}).get("max_subs_over_one_sub") or {})
            .get("values", [])]
    lines += ["", f"Target: {t['measures']}, median over the repetitions of the ratio within "
                  f"one repetition, {bench_targets.goal_text(t)}: {span(vals, 2)} "
                  f"({bench_targets.verdict(t, vals)}).", ""]
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


def filter_ratios(results, name):
    """The per-shape ratios filter_cost computed within each repetition (not in the table)."""
    key = {"filter_one_msg_over_empty": "one_msg_over_empty",
           "filter_max_subs_over_one_sub": "max_subs_over_one_sub"}[name]
    ratios = (results.get("ratios") or {}).get(key) or {}
    return [v.get("ratio") for v in ratios.get("values", [])]


def tp_ratios(results, frac=None):
    return bench_targets.throughput_ratios(results.get("throughput") or [], frac)


def lat_ratios(results, fps=None):
    return bench_targets.latency_ratios(results.get("latency") or [], fps)


def span(vals, digits):
    vals = [v for v in vals if v is not None]
    if not vals:
        return "**not measured**"
    lo, hi = min(vals), max(vals)
    if round(lo, digits) == round(hi, digits):
        return f"**{lo:.{digits}f}**"
    return f"**{lo:.{digits}f} to {hi:.{digits}f}**"


def throughput_section(results, targets):
    lines = ["## 2. Throughput (highest offered rate with zero message loss)", ""]
    rows = results.get("throughput") or []
    if not rows:
        return lines + ["Not measured (`make bench-throughput`).", ""]
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
    for r in rows:
        lines.append(f"| {r['receiver']} | {r.get('config', '')} | {r['subscribed_fraction'] * 100:g} % | "
                     f"{fmt(r['max_zero_loss_msgs_per_s'])} | {fmt(r.get('max_zero_loss_fps'))} | "
                     f"{fmt(r.get('cpu_ns_per_msg'))} | {fmt(r.get('softirq_ns_per_msg'))} |")
    t = targets["throughput_zero_loss_ratio"]
    at = t["at"]["subscribed_fraction"]
    judged = list(tp_ratios(results, at).values())
    others = ", ".join(f"at {f * 100:g} %: {v:.2f} x" for f, v in
                       sorted(tp_ratios(results).items(), reverse=True) if f != at)
    lines += ["", "Target: feedsieve's highest zero-loss messages/s / the baseline's at "
                  f"{at * 100:g} % subscribed, {bench_targets.goal_text(t)}: "
                  f"{span(judged, 2)} ({bench_targets.verdict(t, judged)})"
                  + (f"; {others}." if others else ".")]
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
        lines += ["", "What limited each figure (per repetition):", ""] + [f"- {n}" for n in notes]
    return lines + [""]


def latency_section(results, targets):
    lines = ["## 3. One-way latency (injector stamp to application)", ""]
    rows_in = results.get("latency") or []
    if not rows_in:
        return lines + ["Not measured (`make bench-latency`).", ""]
    lines += [
        "The injector stamps each frame with `bpf_ktime_get_ns()`; the receiver subtracts it "
        "when it hands the message over. The baseline is tried blocking, spinning and with "
        "`SO_BUSY_POLL`; the target compares with its best configuration.",
        "",
        "| frames/s | subscribed | receiver | config | p50 ns | p90 ns | p99 ns | p99.9 ns | max ns | lost |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = sorted(rows_in, key=lambda r: (r["offered_fps"], -r["subscribed_fraction"],
                                          r["receiver"] != "feedsieve", r.get("config", "")))
    for r in rows:
        lines.append(f"| {fmt(r['offered_fps'])} | {r['subscribed_fraction'] * 100:g} % | "
                     f"{r['receiver']} | {r.get('config', '')} | {fmt(r['p50_ns'])} | "
                     f"{fmt(r['p90_ns'])} | {fmt(r['p99_ns'])} | {fmt(r['p999_ns'])} | "
                     f"{fmt(r['max_ns'])} | {fmt(r.get('lost_msgs'))} |")
    t = targets["latency_p99_ratio"]
    at = t["at"]["offered_fps"]
    judged = [v[3] for v in lat_ratios(results, at).values()]
    lines += ["", "Target: feedsieve's p99 / the best baseline configuration's at "
                  f"{fmt(at)} frames/s, every subscribed fraction, {bench_targets.goal_text(t)}: "
                  f"{span(judged, 2)} ({bench_targets.verdict(t, judged)}). Every ratio "
                  "measured (feedsieve p99 / best baseline p99):", ""]
    for (fps, frac), (fp, sp, cfg, ratio) in lat_ratios(results).items():
        lines.append(f"- {fmt(fps)} frames/s, {frac * 100:g} % subscribed: {fmt(fp)} ns / "
                     f"{fmt(sp)} ns ({cfg}) = **{ratio:.2f}**"
                     + ("" if fps == at else " (not judged: another rate)"))
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
        lines += [""] + [f"- {n}" for n in notes]
    if os.path.exists(os.path.join(DOCS_IMG, "latency.png")):
        lines += ["", "![latency distributions](img/latency.png)"]
    return lines + [""]


def summary(results, targets):
    """The README's table: each target, what was measured, the verdict."""
    cond = results.get("conditions") or {}
    quick = any((c or {}).get("quick") for c in cond.values())
    dates = sorted({(c or {}).get("date", "")[:10] for c in cond.values() if c})
    tp_at = targets["throughput_zero_loss_ratio"]["at"]["subscribed_fraction"]
    lat_at = targets["latency_p99_ratio"]["at"]["offered_fps"]
    by = {(r["receiver"], r["subscribed_fraction"]): r for r in results.get("throughput") or []}
    f, s = by.get(("feedsieve", tp_at)), by.get(("kernel-socket", tp_at))
    tp_fig = (f"{fmt(f['max_zero_loss_msgs_per_s'])} / {fmt(s['max_zero_loss_msgs_per_s'])} msg/s"
              if f and s else "")
    lat_fig = "; ".join(f"{frac * 100:g} %: {fmt(fp)} / {fmt(sp)} ns ({cfg})" for (_, frac),
                        (fp, sp, cfg, _) in sorted(lat_ratios(results, lat_at).items(),
                                                   reverse=True))
    rows = [
        ("filter_one_msg_over_empty", "XDP cost of a 1-message frame / empty XDP program",
         filter_ratios(results, "filter_one_msg_over_empty"), ""),
        ("filter_max_subs_over_one_sub", "XDP cost, 65 536 subscribed symbols / 1",
         filter_ratios(results, "filter_max_subs_over_one_sub"), ""),
        ("throughput_zero_loss_ratio", "zero-loss messages/s, feedsieve / UDP socket, "
         f"{tp_at * 100:g} % subscribed",
         list(tp_ratios(results, tp_at).values()), tp_fig),
        ("latency_p99_ratio", "p99 latency, feedsieve / best UDP socket, "
         f"{fmt(targets['latency_p99_ratio']['at']['offered_fps'])} frames/s",
         [v[3] for v in lat_ratios(results, lat_at).values()], lat_fig),
    ]
    lines = [f"Run of {', '.join(dates) or 'unknown date'}"
             + (" (QUICK: a short run, fewer repetitions)" if quick else "")
             + "; ratios of numbers measured side by side.", "",
             "| what | target | measured | verdict | feedsieve / baseline |",
             "|---|---|---|---|---|"]
    for name, what, vals, figures in rows:
        t = targets[name]
        lines.append(f"| {what} | {bench_targets.goal_text(t)} | {span(vals, 2)} | "
                     f"{bench_targets.verdict(t, vals)} | {figures} |")
    return lines


def merge():
    """bench/out/*.json of the run just made -> the content of bench/results.json."""
    fc, tp, lat = load("filter_cost.json"), load("throughput.json"), load("latency.json")
    os.makedirs(DOCS_IMG, exist_ok=True)
    for png in ("filter_cost.png", "filter_protocols.png", "latency.png", "throughput.png"):
        if os.path.exists(os.path.join(OUT, png)):
            shutil.copy(os.path.join(OUT, png), os.path.join(DOCS_IMG, png))
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
        results = merge()
        source = "bench/results.json"
        with open(source, "w") as f:
            json.dump(results, f, indent=1)
    with open(a.doc, "w") as f:
        f.write(document(results, targets, source))
    wrote = [a.doc]
    if a.readme and os.path.exists(a.readme) and update_readme(a.readme, results, targets):
        wrote.append(a.readme)
    print("bench: wrote " + ", ".join(([] if a.source else ["bench/results.json"]) + wrote))
    return 0


if __name__ == "__main__":
    sys.exit(main())
