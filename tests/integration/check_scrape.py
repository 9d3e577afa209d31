#!/usr/bin/env python3
"""Ask a real Prometheus server, over its HTTP API, for what it scraped of feedsieve's textfile.

Waits (up to --timeout seconds) until an instant query for feedsieve_msgs_delivered_total of the
interface answers, then checks that this counter, and every other series `stats --json` implies,
has the JSON's value, and that node_exporter's textfile collector read the file without error.
"""
import argparse
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

from check_prometheus import differences, expected
from feedcheck import failed


def query(url, promql):
    """The result vector of an instant PromQL query, as [(labels dict, value string)]."""
    with urllib.request.urlopen(f"{url}/api/v1/query?{urllib.parse.urlencode({'query': promql})}",
                                timeout=5) as r:
        answer = json.load(r)
    if answer.get("status") != "success":
        raise RuntimeError(f"query {promql!r}: {answer}")
    return [(s["metric"], s["value"][1]) for s in answer["data"]["result"]]


def wait_for(url, promql, timeout):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = query(url, promql)
            if result:
                return result
        except (urllib.error.URLError, ConnectionError):
            pass  # the server is still starting
        if time.monotonic() > deadline:
            sys.exit(f"FAIL: no answer to {promql!r} from {url} within {timeout} s")
        time.sleep(0.2)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--stats", required=True)
    ap.add_argument("--timeout", type=float, default=60)
    args = ap.parse_args()
    stats = json.load(open(args.stats))
    iface = stats["interface"]
    errors = []

    promql = f'feedsieve_msgs_delivered_total{{interface="{iface}"}}'
    [(_, answer)] = wait_for(args.url, promql, args.timeout)
    want = stats["global"]["msgs_delivered"]
    if want == 0 or int(answer) != want:
        errors.append(f"{promql} = {answer}; stats --json says {want} (must be > 0)")

    scrape_error = query(args.url, 'node_textfile_scrape_error')
    if [value for _, value in scrape_error] != ["0"]:
        errors.append(f"node_textfile_scrape_error is {scrape_error}, not one 0: node_exporter "
                      "could not read the textfile")

    scraped = {}
    for labels, value in query(args.url, f'{{__name__=~"feedsieve_.+",interface="{iface}"}}'):
        name = labels.pop("__name__")
        labels.pop("job"), labels.pop("instance")
        scraped[(name, tuple(sorted(labels.items())))] = int(value)
    errors += differences(scraped, stats, "Prometheus")
    if failed(errors, 20):
        return 1
    wanted = len(list(expected(stats)))
    print(f"ok: Prometheus answered {promql} = {answer} and holds all {wanted} series of "
          f"stats --json with their values ({len(scraped)} feedsieve series scraped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
