#!/usr/bin/env python3
"""Write subscription and group changes for `feedsieve batch` at a steady rate.

One line per change, RATE lines a second for SECONDS: adds and removes of the symbols in POOL
(never one of the symbols that must stay subscribed) and, one line in ten, adds and removes of
groups no feed uses. The writer keeps track of what it subscribed, so every line is valid (a
removal only of what is there, an add only of what is not). Prints the number of lines written
on stderr at the end.
"""
import argparse
import random
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rate", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--pool", required=True, help="comma-separated symbols to churn")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    pool = a.pool.split(",")
    groups = [f"239.1.60.{i}:26400" for i in range(1, 41)]
    subscribed, joined = set(), set()
    out = sys.stdout
    n = 0
    t0 = time.monotonic()
    while True:
        now = time.monotonic() - t0
        if now >= a.seconds:
            break
        due = int(now * a.rate)
        while n < due:
            if n % 10 == 9:
                g = rnd.choice(groups)
                out.write(("group del " if g in joined else "group add ") + g + "\n")
                joined ^= {g}
            else:
                s = rnd.choice(pool)
                out.write(("sub del " if s in subscribed else "sub add ") + s + "\n")
                subscribed ^= {s}
            n += 1
        out.flush()
        time.sleep(0.002)
    print(f"churn_writer: {n} changes in {time.monotonic() - t0:.2f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
