#!/usr/bin/env python3
"""Check a live-churn run: subscriptions and groups changed over a thousand times a second while
one channel streams on two lines.

- Every message of the symbols that stayed subscribed is delivered exactly once and in sequence
  order, and no gap is reported (the run injects no loss, so any gap is a lost message).
- No message of a symbol that was never subscribed is delivered.
- The program's counters add up, per message: each line carried every message, so
  2 x sent = delivered + filtered + duplicates (+ too late), and new = sent.
- The changes went in at the rate asked for.
"""
import argparse
import json
import re
import sys

from feedcheck import failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sent", required=True, help="feedgen --log of the stay symbols")
    ap.add_argument("--feedgen-err", required=True, help="feedgen's summary line")
    ap.add_argument("--got", required=True, help="consume --json output")
    ap.add_argument("--stats", required=True, help="stats --json after the run")
    ap.add_argument("--batch-out", required=True, help="feedsieve batch summary")
    ap.add_argument("--allowed", required=True, help="symbols that may be delivered, comma-separated")
    ap.add_argument("--min-rate", type=float, default=1000.0)
    a = ap.parse_args()
    errors = []

    wanted = [json.loads(l)["seq"] for l in open(a.sent)]
    allowed = set(a.allowed.split(","))
    stay_seen, gaps, others = [], [], 0
    stay_syms = {json.loads(l)["symbol"] for l in open(a.sent) if '"symbol"' in l}
    wanted_set = set(wanted)
    for l in open(a.got):
        if l.startswith('{"gap":'):
            gaps.append(json.loads(l)["gap"])
            continue
        if '"seq"' not in l or '"type"' not in l:
            continue
        m = json.loads(l)
        if m["seq"] in wanted_set:
            stay_seen.append(m["seq"])
        else:
            others += 1
            if m.get("symbol") not in allowed:
                errors.append(f"message {m['seq']} of {m.get('symbol')} delivered, never subscribed")
    if gaps:
        errors.append(f"{len(gaps)} gap events (no loss was injected): {gaps[:5]}")
    if stay_seen != wanted:
        seen = set(stay_seen)
        missing = [s for s in wanted if s not in seen]
        dups = len(stay_seen) - len(seen)
        errors.append(f"stay symbols: {len(missing)} messages missing (first {missing[:5]}), "
                      f"{dups} delivered twice, in order: {stay_seen == sorted(stay_seen)}")

    sent = int(re.search(r"(\d+) messages", open(a.feedgen_err).read()).group(1))
    g = json.load(open(a.stats))["global"]
    if g["msgs_new"] != sent:
        errors.append(f"msgs_new {g['msgs_new']} != messages sent {sent}")
    if g["msgs_delivered"] + g["msgs_filtered"] != g["msgs_new"]:
        errors.append(f"delivered {g['msgs_delivered']} + filtered {g['msgs_filtered']} != new "
                      f"{g['msgs_new']}")
    per_msg = g["msgs_delivered"] + g["msgs_filtered"] + g["msgs_duplicate"] + g["msgs_too_late"]
    if per_msg != 2 * sent:
        errors.append(f"delivered + filtered + duplicates + too late = {per_msg}, want 2 x {sent}")
    frames = sum(g[k] for k in ("frames_passed", "frames_fragment", "frames_filtered",
                                "frames_redirected", "frames_no_socket",
                                "frames_malformed_dropped", "frames_duplicate",
                                "frames_other_session", "frames_retrans_refused"))
    if frames != g["frames_seen"]:
        errors.append(f"frame outcomes add up to {frames}, frames_seen {g['frames_seen']}")

    b = re.search(r"(\d+) changes in (\d+) commits in ([\d.]+) s", open(a.batch_out).read())
    changes, commits, secs = int(b.group(1)), int(b.group(2)), float(b.group(3))
    rate = changes / secs if secs else 0
    if rate < a.min_rate:
        errors.append(f"changes went in at {rate:.0f}/s, want at least {a.min_rate:.0f}/s")

    if errors:
        return failed(errors)
    print(f"ok: {changes} changes in {commits} commits over {secs:.1f} s ({rate:.0f} changes/s, "
          f"{commits / secs:.0f} commits/s); {sent} messages sent on each line, "
          f"{len(wanted)} of the {len(stay_syms)} stay symbols all delivered once and in order, "
          f"{others} messages of churned symbols delivered; counters: new {g['msgs_new']}, "
          f"delivered {g['msgs_delivered']}, filtered {g['msgs_filtered']}, duplicate "
          f"{g['msgs_duplicate']}, too late {g['msgs_too_late']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
