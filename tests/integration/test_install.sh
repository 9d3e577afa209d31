#!/usr/bin/env bash
# make install into a staging directory, checked file by file; then a libfeedsieve application
# (examples/print_messages) built from the staged tree alone, through pkg-config, and run for
# real: feedgen multicasts a session over a veth pair, the installed CLI configures the installed
# program, and the example must print exactly the subscribed messages feedgen logged, in order,
# with no gap. Last, make uninstall must leave no file behind.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"

# The staged example runs XDP and AF_XDP in network namespaces: skip early where that cannot be.
netns_skip_unless_able

test_tmpdir stage install
test_tmpdir work example
# Pipes end in 'grep PATTERN >/dev/null', not 'grep -q': grep -q stops reading at the first
# match, and under pipefail the writer's SIGPIPE would decide the result.

# ---- make install ----
make -C "$top" --no-print-directory install DESTDIR="$stage" PREFIX=/usr >"$work/install.log" 2>&1 ||
	{ cat "$work/install.log"; die "make install failed"; }
U=$stage/usr
version=$("$U/sbin/feedsieve" --version | awk '{print $2}')
[ -n "$version" ] || die "the installed feedsieve prints no version"
# The soname's version: the major number, or major.minor before 1.0 (docs/library.md).
sover=${version%%.*}
[ "$sover" != 0 ] || { sover=${version#0.}; sover=0.${sover%%.*}; }

# Every file, with its mode; symlinks with their targets. Nothing missing and nothing else.
expect=(
	"755 usr/sbin/feedsieve"
	"644 usr/lib/feedsieve/feedsieve.bpf.o"
	"644 usr/lib/libfeedsieve.a"
	"755 usr/lib/libfeedsieve.so.$version"
	"link usr/lib/libfeedsieve.so.$sover -> libfeedsieve.so.$version"
	"link usr/lib/libfeedsieve.so -> libfeedsieve.so.$sover"
	"644 usr/lib/pkgconfig/libfeedsieve.pc"
	"644 usr/include/feedsieve.h"
	"644 usr/share/man/man8/feedsieve.8"
	"644 usr/share/bash-completion/completions/feedsieve"
	"644 usr/lib/systemd/system/feedsieve@.service"
	"644 usr/share/doc/feedsieve/example.conf"
)
# The shared headers feedsieve.h includes, and no other (parse.h is the program's own).
for h in limits maps seqwin symbol types wire_itch wire_mdp3; do expect+=("644 usr/include/feedsieve/$h.h"); done
(cd "$stage" && find . ! -type d -printf '%P\n' | while read -r f; do
	if [ -L "$f" ]; then echo "link $f -> $(readlink "$f")"; else echo "$(stat -c %a "$f") $f"; fi
done) | sort >"$work/got.txt"
printf '%s\n' "${expect[@]}" | sort >"$work/expect.txt"
diff -u "$work/expect.txt" "$work/got.txt" || die "installed files differ from the list above"
[ -z "$(find "$stage" -perm /022 ! -type l)" ] || die "group- or world-writable files installed"
[ -z "$(find "$stage" ! -user root)" ] || die "installed files not owned by root"
echo "ok: make install wrote the ${#expect[@]} expected files with their modes"

# The XDP object is an ELF object for the BPF machine with BTF (bpftool reads it).
readelf -h "$U/lib/feedsieve/feedsieve.bpf.o" | grep 'Machine:.*Linux BPF' >/dev/null ||
	die "feedsieve.bpf.o is not a BPF object"
bpftool btf dump file "$U/lib/feedsieve/feedsieve.bpf.o" | grep 'fs_counters' >/dev/null ||
	die "feedsieve.bpf.o has no BTF of its counters"

# The shared library: its soname, its dependencies, and exactly the functions feedsieve.h
# declares exported (the library's internal helpers are fs_* too, and must stay hidden).
so=$U/lib/libfeedsieve.so.$version
readelf -d "$so" | grep "SONAME.*\[libfeedsieve.so.$sover\]" >/dev/null || die "wrong soname"
for dep in libxdp libbpf; do
	readelf -d "$so" | grep "NEEDED.*\[$dep.so" >/dev/null || die "libfeedsieve.so does not need $dep"
done
nm -D --defined-only "$so" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | sort >"$work/exported.txt"
[ "$(wc -l <"$work/exported.txt")" -ge 40 ] || die "only $(wc -l <"$work/exported.txt") functions exported"
while read -r fn; do
	grep -q "[ *]$fn(" "$U/include/feedsieve.h" || die "$fn exported but not declared in feedsieve.h"
done <"$work/exported.txt"
nm --defined-only "$U/lib/libfeedsieve.a" 2>/dev/null | awk '$2 == "T" {print $3}' | sort -u |
	comm -13 "$work/exported.txt" - >"$work/hidden.txt"
while read -r fn; do
	! grep -q "[ *]$fn(" "$U/include/feedsieve.h" || die "$fn is declared in feedsieve.h but not exported"
done <"$work/hidden.txt"
echo "ok: libfeedsieve.so.$version: soname, libxdp and libbpf needed, $(wc -l <"$work/exported.txt") functions exported, $(wc -l <"$work/hidden.txt") internal ones hidden"

# ---- pkg-config, resolved in the staging tree ----
# The system directories stay in the path for libxdp and libbpf (Requires.private).
system_pc_path=$(pkg-config --variable pc_path pkg-config)
export PKG_CONFIG_SYSROOT_DIR=$stage
export PKG_CONFIG_LIBDIR=$U/lib/pkgconfig:$system_pc_path
[ "$(pkg-config --modversion libfeedsieve)" = "$version" ] || die "pkg-config: wrong version"
read -r cflags < <(pkg-config --cflags libfeedsieve) # read: without pkgconf's trailing space
read -r libs < <(pkg-config --libs libfeedsieve)
read -r static_libs < <(pkg-config --static --libs libfeedsieve)
[ "$cflags" = "-I$U/include" ] || die "pkg-config --cflags: '$cflags'"
[ "$libs" = "-L$U/lib -lfeedsieve" ] || die "pkg-config --libs: '$libs'"
for l in -lxdp -lbpf -lelf -lz -lpthread; do
	[[ " $static_libs " == *" $l "* ]] || die "pkg-config --static --libs lacks $l: '$static_libs'"
done
echo "ok: pkg-config: $cflags / $libs"
read -ra cflags_a <<<"$cflags"
read -ra static_a <<<"${static_libs/-lfeedsieve/}"

# The public header compiles on its own from the installed tree, in C and in strict C11.
printf '#include <feedsieve.h>\nint main(void) { return FS_MAX_QUEUES > 0 ? 0 : 1; }\n' >"$work/hdr.c"
for std in gnu11 c11; do
	cc -std=$std -Wall -Wextra -Werror -pedantic -fsyntax-only "${cflags_a[@]}" "$work/hdr.c" ||
		die "feedsieve.h does not compile standalone with -std=$std"
done
echo "ok: feedsieve.h compiles standalone (gnu11, c11 -pedantic)"

# ---- man page, completion, unit ----
man8=$U/share/man/man8/feedsieve.8
warnings=$(groff -man -Tutf8 -ww -z "$man8" 2>&1)
[ -z "$warnings" ] || die "groff warnings in feedsieve.8: $warnings"
MANWIDTH=80 man -l "$man8" 2>"$work/man.err" | grep '^EXIT STATUS' >/dev/null || die "man -l cannot render it"
[ ! -s "$work/man.err" ] || die "man -l: $(cat "$work/man.err")"
# The installed man page and completion agree with the installed CLI's option tables: every
# command and option, each with its argument, and nothing else.
bash "$here/test_cli_options.sh" "$U/sbin/feedsieve" "$man8" \
	"$U/share/bash-completion/completions/feedsieve" || die "man page or completion out of step"
# FILES names every pinned map.
mapfile -t maps < <(sed -n 's/^#define FS_MAP_[A-Z_]* *\(fs_[a-z_]*\)$/\1/p' "$top/include/feedsieve/maps.h")
[ ${#maps[@]} -ge 10 ] || die "could not read the map names from maps.h"
for m in "${maps[@]}"; do grep -q "^\.BR\? $m\b" "$man8" || die "man page: map $m not in FILES"; done
echo "ok: FILES names the ${#maps[@]} maps; groff -ww is quiet"

unit=$U/lib/systemd/system/feedsieve@.service
grep -q "^ExecStart=/usr/sbin/feedsieve consume %i" "$unit" || die "unit: no consume ExecStart"
if command -v systemd-analyze >/dev/null; then
	# verify checks that the binaries exist and the man page resolves: point both at the stage.
	sed "s|/usr/sbin/feedsieve|$U/sbin/feedsieve|g" "$unit" >"$work/feedsieve@lo.service"
	out=$(cd "$work" && MANPATH=$U/share/man SYSTEMD_LOG_LEVEL=notice \
		systemd-analyze verify ./feedsieve@lo.service 2>&1) || die "systemd-analyze verify: $out"
	[ -z "$out" ] || die "systemd-analyze verify: $out"
	echo "ok: systemd-analyze verify feedsieve@lo.service is clean"
else
	echo "note: systemd-analyze not installed, unit not verified"
fi

# ---- the example, built from the staged tree only ----
cp "$top/examples/print_messages/main.c" "$top/examples/print_messages/Makefile" "$work/"
# -H lists every header the compiler opened: feedsieve.h and its own must come from the stage.
make -C "$work" --no-print-directory CFLAGS="-O2 -Wall -Wextra -Werror -H" >"$work/build.log" 2>&1 ||
	{ cat "$work/build.log"; die "example build"; }
grep -qx "\. $U/include/feedsieve.h" "$work/build.log" || die "the example did not use the staged feedsieve.h"
grep -qx "\.\. $U/include/feedsieve/maps.h" "$work/build.log" || die "the example did not use the staged headers"
! grep -qF "$top" "$work/build.log" || die "the example build used the source tree"
readelf -d "$work/print_messages" | grep "NEEDED.*\[libfeedsieve.so.$sover\]" >/dev/null ||
	die "print_messages is not linked against the shared library"
export LD_LIBRARY_PATH=$U/lib
ldd "$work/print_messages" | grep "libfeedsieve.so.$sover => $U/lib/" >/dev/null ||
	die "print_messages does not load the staged library: $(ldd "$work/print_messages")"
# The static archive links too, with pkg-config's --static flags.
cc -o "$work/print_messages_static" "$work/main.c" "${cflags_a[@]}" "$U/lib/libfeedsieve.a" \
	"${static_a[@]}" || die "static link with pkg-config --static --libs"
! readelf -d "$work/print_messages_static" | grep libfeedsieve >/dev/null || die "static build needs the .so"
unset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_LIBDIR
echo "ok: examples/print_messages built against the staged libfeedsieve.so only (and statically)"

# ---- and run, with the staged CLI configuring the staged program ----
GROUP=239.1.1.9:26409
CHANNEL=INSTALL
FEEDSIEVE=$U/sbin/feedsieve
netns_setup
fs attach "$IF_RX"
fs group add "$IF_RX" "$GROUP" --channel "$CHANNEL" --line A
mapfile -t syms < <(feed_symbols 100)
subscribed=("${syms[0]}" "${syms[4]}")
fs sub add "$IF_RX" "${subscribed[@]}"

(in_rx_exec "$work/print_messages" "$IF_RX" 0 >"$work/printed.txt" 2>"$work/printed.err") &
printer=$!
wait_for_line "$work/printed.err" ready 10
in_tx "$FEEDGEN" --group "$GROUP" --iface "$IF_TX" --symbols 100 --packets 1500 --rate 1000 \
	--seed 11 --end-session --log "$work/sent.json" 2>"$work/feedgen.err"
sleep 0.5 # the last frames reach the consumer
kill -INT "$printer"
wait "$printer" || die "print_messages exited with $? after SIGINT: $(cat "$work/printed.err")"
fs stats "$IF_RX" --json >"$work/stats.json"
cat "$work/printed.err" "$work/feedgen.err" >&2

# Expected: feedgen's log, keeping the messages of the subscribed symbols, in sequence order,
# printed as the example prints them. Compared line by line, so a missing, extra, duplicated or
# reordered message fails, and so does any gap.
python3 - "$work/sent.json" "$work/printed.txt" "$work/stats.json" "$CHANNEL" "$GROUP" \
	"${subscribed[@]}" <<'PY'
import json, sys
sent_path, printed_path, stats_path, channel, group = sys.argv[1:6]
wanted = set(sys.argv[6:])
sent = [json.loads(l) for l in open(sent_path) if l.strip()]
expected = [f"msg channel={channel} seq={m['seq']} type={m['type']} symbol={m['symbol']}"
            for m in sent if m.get("symbol") in wanted]
printed = [l.rstrip("\n") for l in open(printed_path)]
gaps = [l for l in printed if l.startswith("gap ")]
msgs = [l for l in printed if not l.startswith("gap ")]
errors = []
if len(expected) < 100:
    errors.append(f"only {len(expected)} subscribed messages sent; the test needs a busier feed")
if gaps:
    errors.append(f"{len(gaps)} gaps on a loss-free veth, first: {gaps[0]}")
if msgs != expected:
    first = next((i for i, (a, b) in enumerate(zip(msgs, expected)) if a != b),
                 min(len(msgs), len(expected)))
    errors.append(f"printed {len(msgs)} message lines, expected {len(expected)}; first "
                  f"difference at line {first}: {msgs[first:first + 1]} vs "
                  f"{expected[first:first + 1]}")
grp = next(g["counters"] for g in json.load(open(stats_path))["groups"] if g["group"] == group)
if grp["msgs_matched"] != len(expected):
    errors.append(f"the kernel matched {grp['msgs_matched']} messages, feedgen sent "
                  f"{len(expected)} subscribed ones")
for e in errors:
    print("FAIL:", e)
if errors:
    sys.exit(1)
print(f"ok: print_messages printed exactly the {len(expected)} messages of "
      f"{', '.join(sorted(wanted))} out of {len(sent)} sent, in order, no gap; "
      f"the kernel matched as many")
PY
printed=$(grep -c '^msg ' "$work/printed.txt")
grep -qx "print_messages: $printed messages, 0 gaps" "$work/printed.err" ||
	die "print_messages' closing line does not count the $printed messages it printed"

# ---- make uninstall ----
make -C "$top" --no-print-directory uninstall DESTDIR="$stage" PREFIX=/usr >"$work/uninstall.log" 2>&1 ||
	{ cat "$work/uninstall.log"; die "make uninstall failed"; }
left=$(find "$stage" ! -type d)
[ -z "$left" ] || die "make uninstall left: $left"
for d in usr/lib/feedsieve usr/include/feedsieve usr/share/doc/feedsieve; do
	[ ! -e "$stage/$d" ] || die "make uninstall left the directory $d"
done
echo "ok: make uninstall removed every file and feedsieve's own directories"
