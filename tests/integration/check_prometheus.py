#!/usr/bin/env python3
"""Check `feedsieve stats --prometheus` with promtool and against `stats --json`.

The exposition format (names, label syntax and escaping, values, HELP/TYPE, the linter's naming
rules) is checked by the real `promtool check metrics`; without promtool this exits 77 (skipped),
never 0. promtool 2.42 accepts a family whose samples are split by another family and a sample
written twice, which node_exporter's textfile collector rejects, so those two are checked here,
with the content: every interface, group, channel, socket and symbol counter equals the JSON.
"""
import json
import re
import shutil
import subprocess
import sys

from feedcheck import failed

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"')


def promtool(text):
    """promtool's verdict on TEXT: None if it has no complaint, else its output."""
    r = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                       text=True)
    return None if r.returncode == 0 else f"exit {r.returncode}: {r.stdout}{r.stderr}".strip()


def samples_of(text, errors):
    """{(name, sorted labels): value}; records split families and repeated samples in ERRORS."""
    closed, current, samples = set(), None, {}
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        name, labels = m.group(1), tuple(sorted(LABEL.findall(m.group(2) or "")))
        if name != current:
            if name in closed:
                errors.append(f"line {n}: samples of {name} are split by another family")
            closed.add(current)
            current = name
        if (name, labels) in samples:
            errors.append(f"line {n}: sample written twice: {line!r}")
        samples[(name, labels)] = int(m.group(3))
    return samples


def expected(stats):
    """Every ((metric, sorted labels), value) that `stats --json` says --prometheus must show."""
    iface = stats["interface"]

    def want(metric, value, **labels):
        return (metric, tuple(sorted({"interface": iface, **labels}.items()))), value

    for field, value in stats["global"].items():
        yield want(f"feedsieve_{field}_total", value)
    for ch in stats["channels"]:
        for field, value in ch["events"].items():
            yield want(f"feedsieve_channel_{field}_total", value, channel=ch["channel"])
        for line in ch["lines"]:
            for field, value in line["counters"].items():
                yield want(f"feedsieve_group_{field}_total", value, group=line["group"],
                           channel=ch["channel"], line=line["line"], proto=line["proto"])
    for sym in stats["symbols"]:
        # a subscription by name carries its symbol, one by numeric id its id
        key = {"id": str(sym["id"])} if "id" in sym else {"symbol": sym["symbol"]}
        for field, value in sym["counters"].items():
            yield want(f"feedsieve_symbol_{field}_total", value, **key)
    for sock in stats["sockets"]:
        yield want("feedsieve_socket_frames_total", sock["counters"]["frames"],
                   queue=str(sock["queue"]))


def differences(samples, stats, source):
    """One line per series of `expected(stats)` whose value in SAMPLES (from SOURCE) differs."""
    return [f"{metric}{dict(labels)}: {source} has {samples.get((metric, labels))}, "
            f"stats --json says {value}"
            for (metric, labels), value in expected(stats)
            if samples.get((metric, labels)) != value]


def main():
    if shutil.which("promtool") is None:
        print("SKIP: promtool (Debian package prometheus) is not installed", file=sys.stderr)
        return 77
    text, stats = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
    complaint = promtool(text)
    if complaint:
        print("FAIL: promtool check metrics:", complaint)
        return 1
    errors = []
    samples = samples_of(text, errors)
    errors += differences(samples, stats, "--prometheus")
    if failed(errors, 20):
        return 1
    print(f"ok: promtool accepts --prometheus ({len(samples)} samples), no family is split, and "
          "every value equals stats --json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
