# grant_types.sh: --dir takes only a directory and --file only a regular file, and each refusal names the option to use (the exact line).
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/d"
printf 'x\n' >"$tmp/f"
hello=$BUILD/examples/hello/hello

for opt in --dir --dir-rw; do
	err=$("$CAPBOX" run "$opt" "d=$tmp/f" --fd out=stdout "$hello" 2>&1 </dev/null)
	expect_eq "$?" 125 "$opt of a regular file is refused before the program starts"
	expect_eq "$err" "capbox: $tmp/f: not a directory ($opt takes a directory; a file is granted with --file or --file-rw)" \
		"$opt: the exact line"
done
for opt in --file --file-rw; do
	err=$("$CAPBOX" run "$opt" "f=$tmp/d" --fd out=stdout "$hello" 2>&1 </dev/null)
	expect_eq "$?" 125 "$opt of a directory is refused before the program starts"
	expect_eq "$err" "capbox: $tmp/d: is a directory ($opt takes a regular file; a directory is granted with --dir or --dir-rw)" \
		"$opt: the exact line"
done

out=$("$CAPBOX" run --dir "d=$tmp/d" --file "f=$tmp/f" --fd out=stdout "$hello" 2>&1 </dev/null)
expect_eq "$out" "Hello, world!" "each of the right type is accepted"

# A file that cannot be opened for writing: capbox's own running binary
# (ETXTBSY, also as root).
err=$("$CAPBOX" run --file-rw "f=$CAPBOX" --fd out=stdout "$hello" 2>&1 </dev/null)
expect_eq "$?" 125 "--file-rw of a file that cannot be written is refused"
expect_eq "$err" "capbox: $CAPBOX: Text file busy (--file-rw opens it read-write; --file grants it read-only)" \
	"and names the read-only option"
tap_done
