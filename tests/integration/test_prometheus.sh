#!/usr/bin/env bash
# feedsieve's counters in a real Prometheus. A feed (one channel on two lines) runs through
# feedsieve on a veth into a consumer and stops; then, at one moment, 'stats --json' is read and
# 'stats --prometheus' is written to a textfile directory (by rename, so node_exporter never
# reads half a file). promtool checks the text (check_prometheus.py), a real node_exporter with
# only its textfile collector serves it, a real Prometheus server scrapes that every 200 ms, and
# its HTTP API must answer a PromQL query for a feedsieve counter, and hold every series, with
# the values of the JSON. Everything listens on the receiver namespace's loopback, so the fixed
# ports cannot meet another test's. Missing binaries: exit 77.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

require_cmd promtool prometheus prometheus-node-exporter

LINE_A=239.1.3.1:26400
LINE_B=239.1.3.2:26400
EXPORTER=127.0.0.1:9100
SERVER=127.0.0.1:9090
servers=()
stop_servers() {
	local pid
	for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
	for pid in "${servers[@]}"; do wait "$pid" 2>/dev/null || true; done
}

netns_setup
# Registered after netns_setup's cleanup, so the servers stop before the namespaces go, and both
# before the temporary directory is removed (Prometheus writes its TSDB until it has exited).
test_on_exit stop_servers
test_tmpdir out prom
fs attach "$IF_RX" >/dev/null
fs group add "$IF_RX" "$LINE_A" --channel NDQ --line A
fs group add "$IF_RX" "$LINE_B" --channel NDQ --line B
mapfile -t syms < <(feed_symbols 50)
fs sub add "$IF_RX" "${syms[0]}" "${syms[3]}" "${syms[8]}"
# An MDP3 definitions channel (no traffic) and subscriptions by id: their series carry
# proto="mdp3" and id="N" labels.
fs group add "$IF_RX" 224.0.31.1:14310 --proto mdp3 --definitions
fs sub add "$IF_RX" --id -- 42 -7
# NYSE XDP and PITCH groups (no traffic): proto="nyse-xdp" and proto="pitch".
fs group add "$IF_RX" 224.0.59.76:11076 --proto nyse-xdp
fs group add "$IF_RX" 224.0.62.2:30001 --proto pitch --units 1-2

consumer_start "$out/got.json" "$out/consume.err" --json || die "consumer not ready"
in_tx "$FEEDGEN" --group "$LINE_A" --line-b "$LINE_B" --iface "$IF_TX" --symbols 50 \
	--packets 1000 --rate 5000 --seed 5 --end-session 2>"$out/feedgen.err"
sleep 0.5 # let the last frames reach the consumer
consumer_stop
cat "$out/consume.err" "$out/feedgen.err" >&2

# The feed has stopped; both views are of one moment.
mkdir "$out/textfile"
stats_views "$out/stats.json" "$out/textfile/feedsieve.prom.tmp"
mv "$out/textfile/feedsieve.prom.tmp" "$out/textfile/feedsieve.prom"
python3 "$here/check_prometheus.py" "$out/textfile/feedsieve.prom" "$out/stats.json"
for series in 'feedsieve_group_frames_seen_total{[^}]*group="224.0.31.1:14310"[^}]*proto="mdp3"' \
	'feedsieve_group_frames_seen_total{[^}]*group="239.1.3.1:26400"[^}]*proto="itch"' \
	'feedsieve_group_frames_seen_total{[^}]*group="224.0.59.76:11076"[^}]*proto="nyse-xdp"' \
	'feedsieve_group_orders_unknown_total{[^}]*group="224.0.62.2:30001"[^}]*proto="pitch"' \
	'feedsieve_symbol_msgs_matched_total{interface="[^"]*",id="-7"}'; do
	grep -q "^$series" "$out/textfile/feedsieve.prom" || die "no series $series"
done

cat >"$out/prometheus.yml" <<EOF
global:
  scrape_interval: 200ms
  scrape_timeout: 200ms
scrape_configs:
  - job_name: feedsieve
    static_configs:
      - targets: ['$EXPORTER']
EOF
(in_rx_exec prometheus-node-exporter --collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$out/textfile" --web.listen-address="$EXPORTER" \
	--log.level=warn 2>"$out/exporter.err") &
servers+=($!)
(in_rx_exec prometheus --config.file="$out/prometheus.yml" --storage.tsdb.path="$out/tsdb" \
	--web.listen-address="$SERVER" --log.level=warn 2>"$out/prometheus.err") &
servers+=($!)
if ! in_rx python3 "$here/check_scrape.py" --url "http://$SERVER" --stats "$out/stats.json"; then
	cat "$out/exporter.err" "$out/prometheus.err" >&2
	die "the scrape does not hold what stats --json says"
fi
ok "Prometheus scraped node_exporter's textfile and answers with the values of stats --json"
finish "prometheus"
