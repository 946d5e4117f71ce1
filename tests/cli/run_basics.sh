# run_basics.sh: `capbox run` end to end: hello in both lld layouts, exit statuses, signals, usage errors.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run_capture ARGS...: runs capbox, leaving stdout, stderr and status.
run_capture() {
	"$CAPBOX" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
	errlines=$(wc -l <"$tmp/err")
}

for layout in separate defaultlayout; do
	run_capture run --fd out=stdout "$BUILD/guest/hello-$layout"
	expect_eq "$status" 0 "hello ($layout layout) exits 0"
	expect_eq "$out" "Hello, world!" "hello ($layout layout) greets through its fd"
	expect_eq "$err" "" "hello ($layout layout) prints nothing on stderr"
done

run_capture run --fd out=stdout --str name=sandbox "$BUILD/guest/hello-separate"
expect_eq "$out" "Hello, sandbox!" "a --str grant reaches the program's argdata"

run_capture run "$BUILD/guest/hello-separate"
expect_eq "$status" 2 "hello without an out descriptor exits 2, as it documents"
expect_eq "$out" "" "and prints nothing: it holds no descriptor"

run_capture run --fd out=stdout --file out2=/etc/hostname "$BUILD/guest/hello-separate"
expect_eq "$status" 0 "a read-only file grant is accepted"

run_capture run --int code=42 "$BUILD/programs/exit_code"
expect_eq "$status" 42 "the program's exit code becomes capbox's"
run_capture run --int code=0 "$BUILD/programs/exit_code"
expect_eq "$status" 0 "exit code 0"
run_capture run --int code=256 "$BUILD/programs/exit_code"
expect_eq "$status" 0 "exit codes keep their low 8 bits (256 -> 0)"

for fault in segv:SIGSEGV:11 fpe:SIGFPE:8 ill:SIGILL:4; do
	IFS=: read -r name sig num <<<"$fault"
	run_capture run --str fault="$name" "$BUILD/programs/crash"
	expect_eq "$status" $((128 + num)) "a guest dying of $sig gives status 128+$num"
	expect_match "$err" "crash: terminated by signal $sig" "and names $sig"
	expect_eq "$errlines" 1 "in one line"
done

run_capture run /nonexistent/program
expect_eq "$status" 127 "a missing program gives 127"
expect_eq "$err" "capbox: /nonexistent/program: No such file or directory" "with a one-line error"

printf 'not an executable\n' >"$tmp/text"
run_capture run "$tmp/text"
expect_eq "$status" 126 "a text file gives 126"
expect_match "$err" "^capbox: $tmp/text: not a loadable CloudABI executable: " "with a one-line error naming it"
expect_eq "$errlines" 1 "exactly one line"

run_capture run "$tmp"
expect_eq "$status" 126 "a directory as program gives 126"

run_capture run
expect_eq "$status" 125 "no program is a usage error (125)"
run_capture run --bogus x "$BUILD/guest/hello-separate"
expect_eq "$status" 125 "an unknown option is a usage error"
run_capture run --fd out "$BUILD/guest/hello-separate"
expect_eq "$status" 125 "a grant without NAME=VALUE is refused"
expect_match "$err" "expected NAME=VALUE" "and says what was expected"
run_capture run --fd out=stdout --fd out=stderr "$BUILD/guest/hello-separate"
expect_eq "$status" 125 "a name granted twice is refused"
run_capture run --fd out=banana "$BUILD/guest/hello-separate"
expect_eq "$status" 125 "an unknown descriptor name is refused"
run_capture run --fd out=stdout --dir data=/nonexistent "$BUILD/guest/hello-separate"
expect_eq "$status" 125 "a missing directory is refused before start"
expect_eq "$out" "" "and the program never ran"
expect_match "$err" "/nonexistent: No such file or directory" "naming the path"
run_capture run --fd out=stdout --fd d=0 "$BUILD/guest/hello-separate" 
expect_eq "$status" 0 "an inherited descriptor number can be granted"
run_capture run --int n=12x "$BUILD/guest/hello-separate"
expect_eq "$status" 125 "a malformed integer is refused"
run_capture run --bool b=yes "$BUILD/guest/hello-separate"
expect_eq "$status" 125 "a malformed boolean is refused"
run_capture run --str "$(printf 'k=\xff')" "$BUILD/guest/hello-separate"
expect_eq "$status" 125 "a string that is not UTF-8 is refused"

run_capture --version
expect_eq "$status" 0 "--version exits 0"
expect_match "$out" "^capbox [0-9]" "--version prints the version"
run_capture run --help
expect_eq "$status" 0 "run --help exits 0"
expect_match "$out" "usage: capbox run" "run --help prints the usage"
run_capture frobnicate
expect_eq "$status" 125 "an unknown command is a usage error"

tap_done
