#!/usr/bin/env python3
"""Check what a feedsieve consumer delivered against what feedgen sent, message by message.

Inputs: feedgen's --log (one JSON object per message sent), the consumer's --json output, the
symbols subscribed for the whole run (--always), those added (--added) or removed (--removed)
while the feed ran, and `feedsieve stats --json` taken afterwards. Exits 1 with one line per
violation; prints a summary on success.
"""
import argparse
import json
import sys

from feedcheck import failed, load_jsonl


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sent", required=True)
    ap.add_argument("--got", required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--always", nargs="*", default=[])
    ap.add_argument("--added", nargs="*", default=[])
    ap.add_argument("--removed", nargs="*", default=[])
    ap.add_argument("--packets", type=int, required=True, help="UDP datagrams feedgen sent")
    ap.add_argument("--group", required=True, help="the group feedgen sent to (ADDR:PORT)")
    ap.add_argument("--all-symbols", action="store_true",
                    help="the group delivers every message, subscribed or not")
    a = ap.parse_args()

    sent = load_jsonl(a.sent)
    got_all = load_jsonl(a.got)
    stats = json.load(open(a.stats))
    errors = []

    got_all_unfiltered = got_all
    got_all = [o for o in got_all if o.get("group") == a.group]
    msgs = [o for o in got_all if "seq" in o]
    events = [o for o in got_all if "seq" not in o]
    gaps = [o for o in got_all_unfiltered if "gap" in o]
    if gaps:
        errors.append(f"{len(gaps)} gap events on a loss-free veth, first {gaps[0]}")
    malformed = [o for o in events if o.get("malformed")]
    if malformed:
        errors.append(f"{len(malformed)} frames delivered as malformed; feedgen sends none")

    by_key = {(m["session"], m["seq"]): m for m in sent}
    seen = set()
    for m in msgs:
        key = (m["session"], m["seq"])
        if key in seen:
            errors.append(f"message {key} delivered twice")
        seen.add(key)
        s = by_key.get(key)
        if s is None:
            errors.append(f"message {key} delivered but never sent")
            continue
        for field in ("group", "type", "locate", "symbol"):
            if s.get(field) != m.get(field):
                errors.append(f"message {key}: {field} delivered as {m.get(field)!r}, "
                              f"sent as {s.get(field)!r}")

    wanted = set(a.always) | set(a.added) | set(a.removed)
    if a.all_symbols:
        missing = set(by_key) - seen
        if missing:
            errors.append(f"all-symbols group: {len(missing)} of {len(by_key)} messages "
                          f"missing, first {min(missing)}")
    for m in msgs if not a.all_symbols else []:
        if m.get("symbol") not in wanted:
            errors.append(f"message {m['seq']} of unsubscribed symbol {m.get('symbol')!r} "
                          "delivered")
            break

    def delivered_pattern(symbol):
        """For SYMBOL's messages in send order, True where delivered."""
        return [(s["session"], s["seq"]) in seen for s in sent if s.get("symbol") == symbol]

    for sym in a.always:
        pat = delivered_pattern(sym)
        missing = pat.count(False)
        if not pat:
            errors.append(f"{sym}: feedgen sent no message of it; pick a busier symbol")
        elif missing:
            errors.append(f"{sym}: subscribed throughout, {missing} of {len(pat)} messages "
                          "missing")
    for sym in a.added:
        pat = delivered_pattern(sym)
        first = pat.index(True) if True in pat else None
        if first is None:
            errors.append(f"{sym}: subscribed mid-stream but nothing delivered")
        elif not all(pat[first:]):
            errors.append(f"{sym}: once subscribed, {pat[first:].count(False)} later messages "
                          "missing")
    for sym in a.removed:
        pat = delivered_pattern(sym)
        last = len(pat) - 1 - pat[::-1].index(True) if True in pat else None
        if last is None:
            errors.append(f"{sym}: subscribed at the start but nothing delivered")
        elif not all(pat[: last + 1]):
            errors.append(f"{sym}: before unsubscribing, {pat[:last + 1].count(False)} "
                          "messages missing")
        elif all(pat):
            errors.append(f"{sym}: still delivered after 'sub del'")

    # The counters must add up and agree with both ends.
    g = stats["global"]
    outcomes = ("frames_passed", "frames_fragment", "frames_filtered", "frames_redirected",
                "frames_no_socket", "frames_malformed_dropped")
    if g["frames_seen"] != sum(g[k] for k in outcomes):
        errors.append(f"global: frames_seen {g['frames_seen']} != sum of outcomes "
                      f"{sum(g[k] for k in outcomes)}")
    grp = next(x["counters"] for x in stats["groups"] if x["group"] == a.group)
    if grp["frames_seen"] != a.packets:
        errors.append(f"group saw {grp['frames_seen']} frames, feedgen sent {a.packets}")
    if grp["msgs_walked"] != len(sent):
        errors.append(f"group walked {grp['msgs_walked']} messages, feedgen sent {len(sent)}")
    if grp["msgs_matched"] != len(msgs):
        errors.append(f"kernel matched {grp['msgs_matched']} messages, consumer delivered "
                      f"{len(msgs)}")
    delivered_frames = grp["frames_redirected"]
    if grp["frames_seen"] != grp["frames_filtered"] + delivered_frames:
        errors.append(f"group: seen {grp['frames_seen']} != filtered {grp['frames_filtered']} "
                      f"+ redirected {delivered_frames}")
    if grp["frames_no_socket"] or grp["frames_malformed"]:
        errors.append(f"group: no_socket {grp['frames_no_socket']}, malformed "
                      f"{grp['frames_malformed']}; expected 0")

    if errors:
        return failed(errors, 30)
    what = "all symbols" if a.all_symbols else ", ".join(sorted(wanted))
    print(f"ok: {a.group}: {len(sent)} messages sent in {a.packets} datagrams; {len(msgs)} "
          f"delivered ({what}); {grp['frames_filtered']} frames filtered in the "
          f"kernel, {delivered_frames} redirected; counters add up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
