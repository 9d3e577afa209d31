#!/usr/bin/env python3
"""Check MDP3 per-instrument recovery in `feedsieve consume --json` against feedgen's log.

feedgen's log has one line per instrument key of every packet it sent, with the lines the packet
went out on ("" when both lost it), and one line per SnapshotFullRefresh of its snapshot loop.
From the application's point of view, per subscribed instrument, the RptSeq of its entries and
snapshots must go up with none missing and none repeated:
  - an entry continues at last + 1; a snapshot event jumps to its rpt_seq, which must be above
    what was handed over (a snapshot is handed over only to fill a loss), must be what feedgen's
    loop sent for that instrument at that LastMsgSeqNumProcessed, and must carry its entries;
  - at the end every instrument stands at its last RptSeq in the log (feedgen's last loop
    reflects the last traffic packet), unless no update of it arrived after its last lost one:
    then nothing tells the consumer that it lost anything (it stays pending, it never waits).
Unaffected instruments never stall: outside the block of held messages that follows a snapshot
event (messages about that instrument alone), messages come in MsgSeqNum order.
Gaps: one gap event per run of packets lost on both lines; its "instruments" are all
instruments with updates in that run, and every one with updates in that run that the event does
not list (decided after it) gets its snapshot event later (or stays pending, as above).
"""
import argparse
import json
import sys
from collections import defaultdict


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--got", required=True)
    ap.add_argument("--group", required=True, help="the incremental feed's line A")
    ap.add_argument("--snapshot", required=True, help="the snapshot group")
    ap.add_argument("--channel", required=True)
    ap.add_argument("--ids", required=True, type=int, nargs="+")
    a = ap.parse_args()
    subs = set(a.ids)
    errors = []

    # The log: packets of the incremental feed in order, with their subscribed entries.
    lines_of, entries_at, order = {}, defaultdict(list), []
    snap_rpt = {}  # (security_id, last_msg_seq_num_processed) -> rpt_seq
    final = defaultdict(int)
    for m in map(json.loads, open(a.log)):
        if m["group"] == a.snapshot and m.get("template") == 52:
            snap_rpt[(m["security_id"], m["last_msg_seq_num_processed"])] = (m["rpt_seq"],
                                                                                m["md_entries"])
            continue
        if m["group"] != a.group:
            continue
        if m["seq"] not in lines_of:
            order.append(m["seq"])
        lines_of[m["seq"]] = m["lines"]
        sid = m.get("security_id")
        if sid in subs and "rpt_seq" in m:
            entries_at[m["seq"]].append((sid, m["rpt_seq"]))
            final[sid] = max(final[sid], m["rpt_seq"])
    if len(set(order)) != len(order):
        errors.append("the test expects one session (no MsgSeqNum repeated)")
    lost = sorted(s for s in order if lines_of[s] == "")
    runs = []
    for s in lost:
        if runs and runs[-1][1] == s:
            runs[-1][1] += 1
        else:
            runs.append([s, s + 1])
    affected_by = {(f, t - f): {sid for s in range(f, t) for sid, _ in entries_at[s]}
                   for f, t in runs}
    lost_updates = defaultdict(list)  # sid -> packet seqs of its lost updates
    last_received = defaultdict(int)  # sid -> the last packet that brought an update of it
    for s in order:
        for sid, _ in entries_at[s]:
            if lines_of[s] == "":
                lost_updates[sid].append(s)
            else:
                last_received[sid] = s

    def undecidable(sid):
        """No update of SID arrived after its last lost one: it can only stay pending."""
        return bool(lost_updates[sid]) and last_received[sid] < lost_updates[sid][-1]

    # What the application got.
    last = defaultdict(int)
    gaps, snaps_after = [], defaultdict(list)  # snaps: sid -> output index
    max_seq, block, nmsg, nsnap, nreplayed, stalls = 0, None, 0, 0, 0, 0
    for i, o in enumerate(map(json.loads, open(a.got))):
        if "gap" in o and o["gap"]["channel"] == a.channel:
            gaps.append((o["gap"]["from"], o["gap"]["count"], o["gap"].get("instruments"), i))
            block = None
            continue
        if "snapshot" in o and o["snapshot"]["channel"] == a.channel:
            s = o["snapshot"]
            sid, r, lseq = s["security_id"], s["rpt_seq"], s["last_msg_seq_num_processed"]
            nsnap += 1
            snaps_after[sid].append(i)
            if sid not in subs:
                errors.append(f"snapshot of {sid}, not subscribed")
            if r <= last[sid]:
                errors.append(f"snapshot of {sid} at rpt_seq {r}: {last[sid]} was handed over "
                              f"already (a snapshot that fills nothing)")
            want = snap_rpt.get((sid, lseq))
            if want is None or want[0] != r or want[1] != len(s["entries"]):
                errors.append(f"snapshot of {sid} at {lseq}: rpt_seq {r} with "
                              f"{len(s['entries'])} entries, feedgen sent {want}")
            last[sid] = r
            block = sid
            continue
        if o.get("channel") != a.channel or "seq" not in o:
            continue
        nmsg += 1
        ids = {e["security_id"] for e in o["entries"]}
        if block is not None and ids == {block} and o["seq"] < max_seq:
            nreplayed += 1  # a held message of the instrument just recovered
        else:
            block = None
            if o["seq"] < max_seq and not o.get("late"):
                stalls += 1
                errors.append(f"message of packet {o['seq']} ({sorted(ids)}) after packet "
                              f"{max_seq}, outside a snapshot's block: a stall")
            max_seq = max(max_seq, o["seq"])
        for e in o["entries"]:
            sid, r = e["security_id"], e.get("rpt_seq")
            if r is None:
                continue
            if r != last[sid] + 1:
                errors.append(f"{sid}: rpt_seq {r} in packet {o['seq']} after {last[sid]} "
                              f"({'repeated' if r <= last[sid] else 'missing'})")
            last[sid] = max(last[sid], r)

    # Gap events: exactly the runs; their instruments among those the run touched; the rest
    # recovered later.
    want_gaps = [(f, t - f) for f, t in runs]
    got_gaps = [(f, c) for f, c, _, _ in gaps]
    if got_gaps != want_gaps:
        errors.append(f"gap events {got_gaps}, runs lost on both lines {want_gaps}")
    listed = later = 0
    for f, c, inst, at in gaps:
        touched = affected_by.get((f, c), set())
        if inst is None:
            errors.append(f"gap {f}+{c}: no \"instruments\"")
            continue
        if len(set(inst)) != len(inst) or not set(inst) <= touched:
            errors.append(f"gap {f}+{c}: instruments {inst}, the run touched {sorted(touched)}")
        listed += len(inst)
        for sid in touched - set(inst):
            if any(i > at for i in snaps_after[sid]) or undecidable(sid):
                later += 1
            else:
                errors.append(f"gap {f}+{c}: {sid} lost updates, is not listed and got no "
                              f"snapshot after it")
    incomplete = []
    for sid in sorted(subs):
        if last[sid] == final[sid]:
            continue
        if undecidable(sid):
            incomplete.append(sid)
        else:
            errors.append(f"{sid}: ends at rpt_seq {last[sid]}, feedgen's last is {final[sid]}")
    unaffected = sorted(subs - set(lost_updates))
    affected = sorted(set(lost_updates))
    if not runs or not affected or not nsnap:
        errors.append(f"the run proves nothing: {len(runs)} gaps, affected {affected}, "
                      f"{nsnap} snapshots")
    for e in errors[:20]:
        print(f"FAIL: {e}")
    print(f"{'FAIL' if errors else 'ok'}: {nmsg} messages, {len(runs)} gaps ({len(lost)} packets "
          f"lost on both lines), instruments with lost updates {affected}, never {unaffected}; "
          f"{nsnap} snapshots, {nreplayed} held messages handed over after them; gap events "
          f"listed {listed} affected instruments at once, {later} decided later; "
          f"{len(incomplete)} left pending (no update after their last lost one) {incomplete}; "
          f"{len(errors)} errors")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
