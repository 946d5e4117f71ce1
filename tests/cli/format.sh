# format.sh: the C sources are laid out as .clang-format says (tools/check-format with clang-format-14), and a file laid out otherwise fails the check.
. tests/lib/tap.sh
if ! command -v clang-format-14 >/dev/null 2>&1; then
	tap_skip "tools/check-format accepts the tree" "clang-format-14 is missing (tools/install-deps test installs it)"
	tap_done
	exit
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

out=$(tools/check-format . 2>&1)
expect_eq "$?" 0 "tools/check-format accepts the tree"
[ -z "$out" ] || printf '# %s\n' "$out" | head -10

# A copy with two deliberate layout errors: a function on one line (the
# Linux style puts its brace on a line of its own) and a line indented
# with spaces instead of a tab.  Both must be named, nothing else.
cp -R .clang-format src "$tmp/"
printf 'int format_check_wrong(void) { return 0; }\n' >>"$tmp/src/broker/dispatch.c"
sed -i '0,/^\t/s/^\t/        /' "$tmp/src/shim/channel.c"
out=$(tools/check-format "$tmp" 2>&1)
expect_eq "$?" 1 "a file laid out otherwise fails the check"
expect_match "$out" "^src/broker/dispatch.c: not as clang-format-14 would write it" "and names the one-line function's file"
expect_match "$out" "src/shim/channel.c: not as clang-format-14 would write it" "and the space-indented file"
expect_eq "$(printf '%s\n' "$out" | wc -l)" 2 "and nothing else"

# make format's rewrite mends both.
tools/check-format --fix "$tmp"
expect_eq "$?" 0 "check-format --fix rewrites them"
out=$(tools/check-format "$tmp" 2>&1)
expect_eq "$?" 0 "after which the check passes"
grep -q '^int format_check_wrong(void)$' "$tmp/src/broker/dispatch.c"
tap_result $? "the function's brace moved to a line of its own"
tap_done
