#!/usr/bin/env python3
"""Check `feedsieve stats --prometheus` against the text exposition format and `stats --json`.

Format: every sample belongs to the family announced by the HELP and TYPE lines before it, each
family appears once, names and label names are valid, label values are quoted and escaped, and
values are numbers. Content: every interface, group, channel and symbol counter equals the JSON.
"""
import json
import re
import sys

from feedcheck import failed

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
SAMPLE = re.compile(rf'^({NAME})\{{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\}} (\d+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"')


def main():
    text, stats = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
    errors, families, current, samples = [], set(), None, {}
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("# HELP "):
            name = line.split()[2]
            if name in families:
                errors.append(f"line {n}: family {name} announced twice")
            families.add(name)
            current = name
        elif line.startswith("# TYPE "):
            parts = line.split()
            if parts[2] != current or parts[3] not in ("counter", "gauge"):
                errors.append(f"line {n}: TYPE does not follow its HELP: {line}")
        else:
            m = SAMPLE.match(line)
            if not m:
                errors.append(f"line {n}: not a valid sample: {line!r}")
                continue
            if m.group(1) != current:
                errors.append(f"line {n}: sample of {m.group(1)} outside its family {current}")
            labels = tuple(sorted(LABEL.findall(m.group(2))))
            samples[(m.group(1), labels)] = int(m.group(3))

    iface = stats["interface"]

    def want(metric, value, **labels):
        key = (metric, tuple(sorted({"interface": iface, **labels}.items())))
        if samples.get(key) != value:
            errors.append(f"{metric}{labels}: {samples.get(key)}, JSON says {value}")

    for field, value in stats["global"].items():
        want(f"feedsieve_{field}_total", value)
    for ch in stats["channels"]:
        for field, value in ch["events"].items():
            want(f"feedsieve_channel_{field}_total", value, channel=ch["channel"])
        for line in ch["lines"]:
            for field, value in line["counters"].items():
                want(f"feedsieve_group_{field}_total", value, group=line["group"],
                     channel=ch["channel"], line=line["line"])
    for sym in stats["symbols"]:
        for field, value in sym["counters"].items():
            want(f"feedsieve_symbol_{field}_total", value, symbol=sym["symbol"])
    for sock in stats["sockets"]:
        want("feedsieve_socket_frames_total", sock["counters"]["frames"], queue=str(sock["queue"]))

    if errors:
        return failed(errors, 20)
    print(f"ok: --prometheus is valid exposition text ({len(families)} families, {len(samples)} "
          "samples) and every value equals stats --json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
