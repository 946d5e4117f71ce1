# loader_rejects.sh: malformed executables are refused with a one-line reason and status 126, never a crash.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$BUILD/tools/make-bad-elves" "$dir" || { echo "not ok - make-bad-elves failed"; exit 1; }
n=0
while IFS=$'\t' read -r file expected; do
	[ -n "$file" ] || continue
	n=$((n + 1))
	"$CAPBOX" run "$dir/$file" >"$dir/out" 2>"$dir/err" </dev/null
	status=$?
	expect_eq "$status" 126 "$file: refused with status 126"
	expect_match "$(cat "$dir/err")" "^capbox: .*$file: .*$expected" "$file: says '$expected'"
	expect_eq "$(wc -l <"$dir/err")" 1 "$file: in one line"
done <"$dir/expected.txt"
[ "$n" -ge 10 ]
tap_result $? "at least 10 malformed images were tried ($n)"

# Real Linux executables: a dynamic one, and capbox's own static-PIE shim.
for exe in /bin/true "$BUILD/capbox-shim"; do
	[ -f "$exe" ] || { tap_skip "$exe" "not on this machine"; continue; }
	err=$("$CAPBOX" run "$exe" 2>&1 </dev/null)
	status=$?
	expect_eq "$status" 126 "$exe: refused with status 126"
	expect_match "$err" "^capbox: $exe: a Linux executable, not a CloudABI one \(EI_OSABI [03]; CloudABI is 17\): build it with capbox-cc" \
		"$exe: named a Linux executable"
done
tap_done
