#!/usr/bin/env bash
# The library's interface as built: the functions libfeedsieve.so exports must be exactly the ones
# user/lib/libfeedsieve.map lists and exactly the ones feedsieve.h declares, each bound to the
# version node that lists it; and the installed headers alone must be enough to compile against
# feedsieve.h (no internal header installed, none missing). Needs no root: nothing runs.
# suite: pure
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"
test_tmpdir work symbols

make -C "$top" --no-print-directory install DESTDIR="$work/stage" PREFIX=/usr >"$work/make.log" 2>&1 ||
	{ cat "$work/make.log"; die "make install failed"; }
so=$(find "$work/stage/usr/lib" -maxdepth 1 -type f -name 'libfeedsieve.so.*')
[ -n "$so" ] || die "no libfeedsieve.so.* installed"
map=$top/user/lib/libfeedsieve.map
hdr=$work/stage/usr/include/feedsieve.h

# "symbol node" for every defined, global, dynamic symbol: the version it is bound to.
readelf --dyn-syms -W "$so" | awk '$5 == "GLOBAL" && $7 != "UND" && $8 ~ /@/ {
	split($8, v, "@+"); print v[1], v[2], $4 }' | sort >"$work/so.txt"
awk '$3 != "FUNC" && $3 != "" { print "not a function: " $1 }' "$work/so.txt" | grep . &&
	die "the library exports data, not only functions"
# The map's symbols with their node: comments dropped, "NAME {" opens a node, "local:" ends it.
sed -e 's|/\*.*\*/||' -e '/\/\*/,/\*\//d' "$map" | awk '
	/^[A-Za-z0-9_.]+[ \t]*\{/ { node = $1; global = 0; next }
	/global:/ { global = 1; next }
	/local:/ { global = 0; next }
	global && /;/ { gsub(/[ \t;]/, ""); if ($0 != "") print $0, node }' | sort >"$work/map.txt"
# feedsieve.h's functions: every declaration starts in column 0 with its return type.
sed -n 's/^[a-z_].*[ *]\(fs_[a-z0-9_]*\)(.*/\1/p' "$hdr" | sort >"$work/header.txt"

[ "$(wc -l <"$work/map.txt")" -ge 40 ] || die "only $(wc -l <"$work/map.txt") symbols read from the map"
cut -d' ' -f1,2 "$work/so.txt" | diff -u "$work/map.txt" - >"$work/diff.txt" ||
	{ cat "$work/diff.txt"; die "exported symbols (+) and their versions differ from $map (-)"; }
cut -d' ' -f1 "$work/map.txt" | diff -u "$work/header.txt" - >"$work/diff.txt" ||
	{ cat "$work/diff.txt"; die "the map (+) and feedsieve.h's declarations (-) differ"; }
ok "$(wc -l <"$work/so.txt") functions exported, each in its node of the map, each declared in feedsieve.h"

# Only the installed headers: an application's translation unit compiles (C and C++), and no
# header the public one does not reach is installed.
printf '#include <feedsieve.h>\nint main(void) { FS_OPTS(fs_group_opts, o); return (int)o.sz - (int)sizeof(o); }\n' >"$work/app.c"
cc -std=gnu11 -Wall -Wextra -Werror -I"$work/stage/usr/include" -c "$work/app.c" -o "$work/app.o" ||
	die "feedsieve.h does not compile with the installed headers alone"
if command -v c++ >/dev/null; then
	printf '#include <feedsieve.h>\nint main() { return 0; }\n' >"$work/app.cc"
	c++ -Wall -Werror -I"$work/stage/usr/include" -c "$work/app.cc" -o "$work/app_cc.o" ||
		die "feedsieve.h does not compile as C++ with the installed headers alone"
fi
cc -std=gnu11 -I"$work/stage/usr/include" -M "$work/app.c" | tr ' \\' '\n\n' |
	grep "^$work/stage/usr/include/" | sort -u >"$work/used.txt"
find "$work/stage/usr/include" -name '*.h' | sort >"$work/installed.txt"
diff -u "$work/installed.txt" "$work/used.txt" >"$work/diff.txt" ||
	{ cat "$work/diff.txt"; die "installed headers (-) that feedsieve.h does not include (+)"; }
ok "the $(wc -l <"$work/installed.txt") installed headers are exactly what feedsieve.h includes"
finish "symbols"
