#!/usr/bin/env bash
# The CLI's option tables (feedsieve __options) against everything that describes them: each
# command's --help and the global usage (made from the tables), the man page (written by hand:
# each command's entry must name exactly the table's options, each with its argument) and the
# bash completion (which reads the tables at completion time: it must offer exactly the table's
# options and their values). Needs no privileges.
# suite: pure
#   test_cli_options.sh [FEEDSIEVE MAN_PAGE COMPLETION]   (default: the build and source tree;
#   test_install.sh passes the installed files)
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/test.sh
. "$here/../lib/test.sh"
bin=${1:-$top/build/feedsieve}
man8=${2:-$top/packaging/feedsieve.8}
completion=${3:-$top/packaging/feedsieve.bash-completion}
[ -x "$bin" ] || die "$bin not built"

table=$("$bin" __options) || die "feedsieve __options"
mapfile -t commands < <(awk -F '\t' '$1 == "cmd" {print $2}' <<<"$table")
nopts=$(grep -c '^opt' <<<"$table")
if [ ${#commands[@]} -lt 10 ] || [ "$nopts" -lt 30 ]; then
	die "only ${#commands[@]} commands and $nopts options listed"
fi

# --help: the global usage names every command; a command's --help shows each of its options
# with its argument, and exits 0 without running it.
usage=$("$bin" --help)
for c in "${commands[@]}"; do
	grep -q "^  $c " <<<"$usage" || fail "feedsieve --help lacks '$c'"
	# shellcheck disable=SC2086 # "group add": two words
	help=$("$bin" $c --help) || fail "feedsieve $c --help exits $?"
	# "  -w, --write FILE   help" is the spellings "-w FILE" and "--write FILE"
	shown=$(sed -nE -e 's/^  (-[[:alnum:]]), (--[^ ]+)( [^ ]+)?  .*/\1\3\n\2\3/p' \
		-e 's/^  (--[^ ]+)( [^ ]+)?  .*/\1\2/p' <<<"$help")
	while IFS=$'\t' read -r _ _ opt meta _; do
		grep -qxF -- "$opt${meta:+ $meta}" <<<"$shown" || fail "'$c --help' lacks '$opt${meta:+ $meta}'"
	done < <(awk -F '\t' -v c="$c" '$1 == "opt" && $2 == c' <<<"$table")
done

# The man page, command by command.
python3 - "$man8" "$table" <<'PY' || fail "the man page's entries differ from the option tables"
import re, sys
man = open(sys.argv[1]).read().splitlines()
cmds, opts = [], {}
for line in sys.argv[2].splitlines():
    f = line.split("\t")
    if f[0] == "cmd":
        cmds.append(f[1])
        opts[f[1]] = {}
    else:
        opts[f[1]][f[2]] = f[3]

def text(line):
    """A roff line as it reads: macro, quotes and font changes gone."""
    if line.startswith("."):
        line = line.split(" ", 1)[1] if " " in line else ""
    line = re.sub(r"\\f[BIRP]", "", line).replace("\\-", "-").replace('"', "")
    return line

# Split into blocks: a command's entries (from its heading to the next heading, .SS or .SH)
# and the rest, by section.
heading = re.compile(r'^\.BI "(%s) ' % "|".join(map(re.escape, sorted(cmds, key=len, reverse=True))))
blocks, key = {}, None
for line in man:
    m = heading.match(line)
    if m:
        key = m.group(1)
    elif line.startswith(".SH"):
        key = "section " + line[4:].strip('"')
    elif line.startswith(".SS"):
        key = None
    if key:
        blocks.setdefault(key, []).append(text(line))
errors = []
def normal(lines):
    t = re.sub(r"\s+", " ", " ".join(lines))
    return re.sub(r"\s*\|\s*", "|", re.sub(r"\[\s+", "[", re.sub(r"\s+\]", "]", t)))
for c in cmds:
    if c not in blocks:
        errors.append(f"man page: no entry for '{c}'")
        continue
    t = normal(blocks[c])
    found = set(re.findall(r"--[a-z][a-z-]*", t))
    for o, meta in opts[c].items():
        if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(f"{o} {meta}".strip()), t):
            errors.append(f"man page, {c}: no '{o} {meta}'")
    for o in sorted(found - set(opts[c])):
        errors.append(f"man page, {c}: {o} is not an option of {c}")
    if not opts[c] and found:
        errors.append(f"man page, {c}: options {sorted(found)} for a command without any")
found = set(re.findall(r"--[a-z][a-z-]*", normal(blocks.get("section OPTIONS", []))))
if found != {"--version", "--help"}:
    errors.append(f"man page, OPTIONS: {sorted(found)}, want --help and --version")
# Examples and prose elsewhere name no option the CLI lacks either (but pkg-config's).
known = {o for c in cmds for o in opts[c]} | {"--version", "--help", "--cflags", "--libs"}
for o in sorted(set(re.findall(r"--[a-z][a-z-]*", normal(map(text, man)))) - known):
    errors.append(f"man page: {o} is no option of any command")
for e in errors:
    print("FAIL:", e)
sys.exit(1 if errors else 0)
PY

# The completion: after each command, exactly its options; after an option, its values.
complete_words() { # WORD...: what the completion offers after them
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _feedsieve
		printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$bin" "$@"
}
offered=$(complete_words '' | sort | xargs)
want=$(for c in "${commands[@]}"; do echo "${c%% *}"; done | sort -u | xargs)
[ "$offered" = "$want" ] || fail "completion offers commands '$offered', want '$want'"
for family in $(printf '%s\n' "${commands[@]}" | awk 'NF == 2 {print $1}' | sort -u); do
	offered=$(complete_words "$family" '' | sort | xargs)
	want=$(printf '%s\n' "${commands[@]}" | awk -v f="$family" '$1 == f {print $2}' | sort | xargs)
	[ "$offered" = "$want" ] || fail "completion of '$family': offers '$offered', want '$want'"
done
for c in "${commands[@]}"; do
	# shellcheck disable=SC2086 # "group add": two words
	offered=$(complete_words $c lo - | sort | xargs)
	want=$(awk -F '\t' -v c="$c" '$1 == "opt" && $2 == c {print $3}' <<<"$table" | sort | xargs)
	[ "$offered" = "$want" ] || fail "completion of '$c': offers '$offered', want '$want'"
	while IFS=$'\t' read -r _ _ opt _ words; do
		# shellcheck disable=SC2086
		offered=$(complete_words $c lo "$opt" '' | sort | xargs)
		[ "$offered" = "$(tr ' ' '\n' <<<"$words" | sort | xargs)" ] ||
			fail "completion of '$c $opt': offers '$offered', want '$words'"
	done < <(awk -F '\t' -v c="$c" '$1 == "opt" && $2 == c && $5 != ""' <<<"$table")
done
grep -qx lo <<<"$(complete_words attach '')" || fail "completion: no interface names"

[ "$TEST_FAILED" -gt 0 ] || ok "${#commands[@]} commands and $nopts options agree between the" \
	"tables, --help, the man page and the completion"
finish "cli options"
