#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tools/bench_report.py claims only what the results it reads measured: a target with nothing
# measured reads "not measured", a changed figure changes the verdict, a changed goal in
# bench/targets.json changes it too, and the committed results render to the committed page.
# suite: pure
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"
cd "$top"
require_cmd python3
test_tmpdir tmp bench-report

# report RESULTS [TARGETS]: the page written from RESULTS, into $page. Not used as $(report ...):
# a crash of the report there would leave the last page to be read again, with status 0.
report() {
	rm -f "$tmp/page.md"
	python3 tools/bench_report.py --from "$1" --targets "${2:-bench/targets.json}" \
		--doc "$tmp/page.md" --readme '' >/dev/null || die "bench_report.py failed on $1"
	page=$(cat "$tmp/page.md") || die "bench_report.py wrote no page from $1"
}
# expect NAME PAGE REGEX: the page has a line matching REGEX.
expect() {
	if grep -qE -- "$3" <<<"$2"; then ok "$1"
	else fail "$1: no line matches /$3/"; fi
}
reject() {
	if grep -qE -- "$3" <<<"$2"; then fail "$1: a line matches /$3/"
	else ok "$1"; fi
}
# edit PYTHON: a copy of bench/results.json changed by PYTHON (r is the parsed file).
edit() {
	python3 -c "import json, sys
r = json.load(open('bench/results.json'))
$1
json.dump(r, open(sys.argv[1], 'w'))" "$tmp/r.json"
}

# The committed page is what the committed results render to: nothing typed in by hand.
report bench/results.json >/dev/null
sed -i "s|$tmp/page.md|docs/benchmarks.md|" "$tmp/page.md"
if diff -u docs/benchmarks.md "$tmp/page.md" >"$tmp/diff"; then ok "docs/benchmarks.md is generated"
else fail "docs/benchmarks.md differs from what bench/results.json renders to:"
	head -20 "$tmp/diff"; fi

# The README's performance table is the same summary, rendered from the same file.
cp README.md "$tmp/README.md"
python3 tools/bench_report.py --from bench/results.json --doc "$tmp/page.md" \
	--readme "$tmp/README.md" >/dev/null
if cmp -s README.md "$tmp/README.md"; then ok "README's summary is generated"
else fail "README's summary differs from what bench/results.json renders to:"
	diff -u README.md "$tmp/README.md" | head -20; fi

# cases NAME PAIRS...: a copy of bench/results.json whose target NAME has one case of PAIRS
# (written by a benchmark as pair ratios) and no other target has any.
cases() {
	local name=$1
	shift
	edit "r['target_cases'] = {'$name': [{'conditions': {'protocol': 'ITCH', 'msgs': 4},
    'pairs': [float(x) for x in '$*'.split()],
    'numerator': {'name': 'fs', 'unit': 'ns', 'values': [1.0] * $#},
    'denominator': {'name': 'base', 'unit': 'ns', 'values': [1.0] * $#}}]}"
}

# No pairs: every target reads "not measured", and no verdict is given.
edit 'r["target_cases"] = {}'
report "$tmp/r.json"
for what in 'zero-loss frames/s, feedsieve / XDP drop-all' 'XDP cost per frame / walk floor' \
	'p99 latency, feedsieve' 'consumer ns per message'; do
	expect "$what: not measured" "$page" "^\| \`[a-z0-9_]+\` \| $what.*\| \*\*not measured\*\* \| - \| not measured \|"
done
reject "no verdict without pairs" "$page" '\| (met|not met|met in [0-9]+ of [0-9]+ cases) \|'
expect "nothing reported without pairs" "$page" '^\| `p999_fs_over_kernel_100k_10pct` \|.*\| reported \| \*\*not measured\*\* \| - \| not measured \|'

# The value is the median of the pairs, not their mean (5.33) nor the last pair.
cases fs_over_kernel_10pct 1 9 6
report "$tmp/r.json"
expect "median of pairs" "$page" '^\| `fs_over_kernel_10pct` \|.*\| \*\*6\.00\*\* \| 3 \(1\.00 to 9\.00\) \| met \|'
cases fs_over_kernel_10pct 4 4.5 3
report "$tmp/r.json"
expect "below the goal" "$page" '^\| `fs_over_kernel_10pct` \|.*\| \*\*4\.00\*\* \| 3 .*\| not met \|'
# A case without pairs is not measured, whatever else it holds.
cases fs_over_kernel_10pct
report "$tmp/r.json"
expect "empty pairs" "$page" '^\| `fs_over_kernel_10pct` \|.*\| not measured \|'

# The worst case decides: two cases at 1.2 and 1.7 under "<= 1.5" are met in 1 of 2 cases, and
# the value is 1.70.
edit 'c = lambda m, p: {"conditions": {"protocol": "ITCH", "msgs": m}, "pairs": p}
r["target_cases"] = {"filter_over_walk_floor": [c(1, [1.1, 1.2, 1.3]), c(64, [1.7, 1.6, 1.8])]}'
report "$tmp/r.json"
expect "worst case" "$page" '^\| `filter_over_walk_floor` \|.*\| \*\*1\.70\*\* \| 3 \(1\.60 to 1\.80\) \| met in 1 of 2 cases \|.*msgs 64'
expect "every case listed" "$page" '^\| protocol ITCH, msgs 1 \| 3 \| 1\.20 \| 1\.10 to 1\.30 \|'
# Under ">=" the worst case is the smallest.
edit 'c = lambda p: {"conditions": {}, "pairs": p}
r["target_cases"] = {"fs_over_drop_limit_10pct": [c([0.9, 0.95, 0.85]), c([0.5, 0.6, 0.55])]}'
report "$tmp/r.json"
expect "worst under >=" "$page" '^\| `fs_over_drop_limit_10pct` \|.*\| \*\*0\.55\*\* \|.*\| met in 1 of 2 cases \|'

# A reported figure has a value and no verdict of met or not.
cases p999_fs_over_kernel_100k_10pct 0.5 0.7 0.6
report "$tmp/r.json"
expect "reported" "$page" '^\| `p999_fs_over_kernel_100k_10pct` \|.*\| reported \| \*\*0\.60\*\* \| 3 .*\| reported \|'

# The goal comes from the targets file: the same pairs, a goal raised above them.
cases fs_over_kernel_10pct 6 6 6
python3 -c "import json, sys
t = json.load(open('bench/targets.json'))
for x in t['targets']:
    if x['name'] == 'fs_over_kernel_10pct': x['goal'] = 7
json.dump(t, open(sys.argv[1], 'w'))" "$tmp/t.json"
report "$tmp/r.json" "$tmp/t.json"
expect "goal from targets.json" "$page" '^\| `fs_over_kernel_10pct` \|.*\| >= 7 x \| \*\*6\.00\*\* \|.*\| not met \|'

# make bench's merge: the pair ratios the benchmarks wrote become results.json's targets, with
# the median and the verdict computed there (nothing typed in).
mkdir -p "$tmp/out"
echo '{"throughput": [], "target_cases": {"fs_over_kernel_10pct": [{"conditions": {"subscribed_fraction": 0.1}, "pairs": [5.5, 2.0, 7.0, 6.0, 5.0]}]}}' >"$tmp/out/throughput.json"
echo '{"latency": [], "target_cases": {"p99_fs_over_kernel_100k_10pct": [{"conditions": {}, "pairs": [0.2, 0.4, 0.3]}]}}' >"$tmp/out/latency.json"
python3 tools/bench_report.py --out "$tmp/out" --results "$tmp/merged.json" --doc "$tmp/page.md" \
	--readme '' >/dev/null || die "merge failed"
got=$(python3 -c "import json, sys
t = json.load(open(sys.argv[1]))['targets']
k, p = t['fs_over_kernel_10pct'], t['p99_fs_over_kernel_100k_10pct']
print(k['value'], k['verdict'], k['cases'][0]['n'], p['value'], p['verdict'], t['symbols_65536_over_1']['verdict'])" "$tmp/merged.json")
if [ "$got" = "5.5 met 5 0.3 met not measured" ]; then ok "merge computes targets"
else fail "merge computes targets: got '$got'"; fi

# A QUICK run says so.
edit 'r["conditions"]["filter_cost"]["quick"] = True'
report "$tmp/r.json"
expect "quick marked" "$page" 'QUICK'

finish "bench report"
