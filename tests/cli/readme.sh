# readme.sh: the README's first example runs as printed (after make demo, from the top of the checkout) and prints what the README shows.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"

# The first fenced block: "$ COMMAND" then its output.
block=$(awk '/^```/{n++; next} n==1' README.md)
command=$(printf '%s\n' "$block" | sed -n 's/^\$ //p' | head -1)
want=$(printf '%s\n' "$block" | sed '1d')
expect_match "$command" "^build/release/capbox run " "the README's first example names the binary make demo builds"
[ -n "$want" ]
tap_result $? "and shows its output"
# Run it against this build: the README's build/release is the one make
# demo makes; the words are the README's own.
command=${command//build\/release\//$BUILD/}
out=$(bash -c "$command" 2>&1 </dev/null)
expect_eq "$out" "$want" "it prints exactly what the README shows"
tap_done
