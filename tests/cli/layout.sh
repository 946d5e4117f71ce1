# layout.sh: the source folders keep their include directions (tools/check-includes, each folder's README.md) and stay small.
. tests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$(tools/check-includes . 2>&1)
expect_eq "$?" 0 "tools/check-includes accepts the tree"
[ -z "$out" ] || printf '# %s\n' "$out" | head -10

# A copy in which the broker reaches for the command line, and the shim
# for a broker header, must be refused, naming both.
cp -R src "$tmp/src"
printf '#include "cli/cmd_run.h"\n' >>"$tmp/src/broker/sandbox.c"
printf '#include "broker/captable.h"\n' >>"$tmp/src/shim/fdtable.c"
printf '#include "broker/calls/x.h"\n' >>"$tmp/src/cli/main.c"
out=$(tools/check-includes "$tmp" 2>&1)
expect_eq "$?" 1 "a forbidden include fails the check"
expect_match "$out" "^src/broker/sandbox.c:[0-9]+: includes \"cli/cmd_run.h\", which src/broker/README.md does not allow" \
	"and names the broker's include of the command line"
expect_match "$out" "src/shim/fdtable.c:[0-9]+: includes \"broker/captable.h\"" "and the shim's include of the broker"
expect_match "$out" "src/cli/main.c:[0-9]+: includes \"broker/calls/x.h\"" "a folder's permission does not reach its subfolders"
expect_eq "$(printf '%s\n' "$out" | wc -l)" 3 "and nothing else"

# Every source folder says what it is for and stays small enough to read.
for dir in $(find src -type d | sort); do
	[ -f "$dir/README.md" ]
	tap_result $? "$dir has a README.md"
	n=$(find "$dir" -maxdepth 1 -type f | wc -l)
	[ "$n" -le 30 ] # its README.md included
	tap_result $? "$dir holds $n files (30 at most)"
done

# Messages stay whole, so grep finds what a user saw: no string literal
# that does not end a line of output ("\n") is continued by another.
split_messages() {
	awk 'prev ~ /"[ \t]*$/ && prev !~ /\\n"[ \t]*$/ && $0 ~ /^[ \t]*"/ {
		print FILENAME ":" FNR
	} { prev = $0 }' "$@"
}
# shellcheck disable=SC2046
found=$(split_messages $(find src -name '*.[ch]'))
expect_eq "$found" "" "no message in src/ is split across string literals"
printf 'f("a message split " \n  "mid-phrase");\n' >"$tmp/split.c"
expect_eq "$(split_messages "$tmp/split.c")" "$tmp/split.c:2" "the scan finds a split message"
tap_done
