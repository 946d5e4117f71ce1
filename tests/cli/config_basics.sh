# config_basics.sh: launch configurations end to end: the hello and test-runner configs, types, aliases, rights narrowing, stdin, flags.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dump="$BUILD/programs/argdata_dump"
hello="$BUILD/examples/hello/hello"
header='%TAG ! tag:nuxi.nl,2015:cloudabi/
---
out: !fd stdout'

# run_capture ARGS... (stdin from /dev/null unless $stdin is set).
run_capture() {
	"$CAPBOX" "$@" >"$tmp/out" 2>"$tmp/err" <"${stdin:-/dev/null}"
	status=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
# value KEY: the dump line of top-level KEY.
value() {
	printf '%s\n' "$out" | sed -n "s/^  str \"$1\" => //p"
}

# hello from its YAML, as a file, as "-" and as stdin without CONFIG.
run_capture run "$hello" examples/hello/hello.yaml
expect_eq "$status" 0 "hello.yaml: exits 0"
expect_eq "$out" "Hello, capbox!" "hello.yaml: the config's name and out reach the program"
expect_eq "$err" "" "hello.yaml: nothing on stderr"
stdin=examples/hello/hello.yaml run_capture run "$hello" -
expect_eq "$out" "Hello, capbox!" "CONFIG '-' reads standard input"
stdin=examples/hello/hello.yaml run_capture run "$hello"
expect_eq "$out" "Hello, capbox!" "without CONFIG or grant flags, the config comes from stdin (like cloudabi-run)"
stdin=examples/hello/hello.yaml run_capture run --fd out=stdout "$hello"
expect_eq "$out" "Hello, world!" "with grant flags and no CONFIG, stdin is not read as a config"

# The CloudABI C library test runner's config, unchanged.
mkdir "$tmp/run" "$tmp/run/scratch"
src=$PWD
case $dump in /*) adump=$dump ;; *) adump=$src/$dump ;; esac
case $CAPBOX in /*) acapbox=$CAPBOX ;; *) acapbox=$src/$CAPBOX ;; esac
(cd "$tmp/run" && "$acapbox" run "$adump" "$src/tests/configs/good/test-runner.yaml" --str x=y >"$tmp/out" 2>"$tmp/err" </dev/null)
status=$?
expect_eq "$status" 125 "PROGRAM [CONFIG] then options is refused (options come first)"
(cd "$tmp/run" && "$acapbox" run --fd out=stdout "$adump" "$src/tests/configs/good/test-runner.yaml" >"$tmp/out" 2>"$tmp/err" </dev/null)
status=$?
out=$(cat "$tmp/out")
expect_eq "$status" 0 "test-runner.yaml: accepted (relative path from the current directory)"
expect_match "$(value tmpdir)" "^fd [0-9]+ directory base=.*file_create_file.*file_unlink" "tmpdir: a directory with full rights (create, unlink)"
expect_match "$(value tmpdir)" "inheriting=.*fd_write" "tmpdir: files beneath it may be written"
expect_match "$(value logfile)" "^fd [0-9]+ " "logfile: a descriptor"
expect_eq "$(value nthreads)" "int 4" "nthreads: !!int 4"

# Every standard tag, untagged scalars in both modes.
run_capture run "$dump" tests/configs/good/types.yaml
expect_eq "$status" 0 "types.yaml: accepted"
expect_eq "$(printf '%s\n' "$out" | grep -v '"out"')" "$(cat tests/configs/good/types.expected)" "types.yaml: the exact tree (untagged = strings)"
run_capture run --untagged=guess "$dump" tests/configs/good/types.yaml
expect_eq "$(printf '%s\n' "$out" | grep -v '"out"')" "$(cat tests/configs/good/types-guess.expected)" "types.yaml --untagged=guess: ints, bools, floats and nulls guessed"

# An alias to a grant is the same descriptor, opened once.
printf '%s\na: &d !file {path: %s}\nb: *d\nc: !file {path: %s}\n' "$header" "$tmp" "$tmp" >"$tmp/alias.yaml"
run_capture run "$dump" "$tmp/alias.yaml"
expect_eq "$status" 0 "alias.yaml: accepted"
a=$(value a | cut -d' ' -f2)
expect_eq "$(value b | cut -d' ' -f2)" "$a" "an alias of a grant names the same descriptor"
expect_eq "$(value c | cut -d' ' -f2)" "$((a + 1))" "a second grant of the same path is another descriptor"

# Narrowing.
cat >"$tmp/narrow.yaml" <<EOF2
$header
ro: !file {path: $tmp, access: read-only}
nounlink: !file {path: $tmp, no: [file_unlink, file_create_directory]}
exact: !file {path: $tmp, rights: [file_open, file_readdir], inheriting: [fd_read]}
rofile: !file {path: $tmp/alias.yaml, access: read-only}
self: !executable
EOF2
run_capture run "$dump" "$tmp/narrow.yaml"
expect_eq "$status" 0 "narrow.yaml: accepted"
ro=$(value ro)
expect_match "$ro" "file_open" "read-only directory: can open"
case $ro in *file_create_file* | *file_unlink* | *fd_write*) r=1 ;; *) r=0 ;; esac
tap_result $r "read-only directory: no create, unlink or write, also for what is opened beneath it"
nu=$(value nounlink)
expect_match "$nu" "base=.*file_create_file" "no: keeps what is not listed"
case $nu in *file_unlink* | *file_create_directory*) r=1 ;; *) r=0 ;; esac
tap_result $r "no: [file_unlink, file_create_directory] removes them from base and inheriting"
expect_match "$(value exact)" "^fd [0-9]+ directory base=file_open,file_readdir inheriting=fd_read$" "rights/inheriting lists give exactly those rights"
rofile=$(value rofile)
case $rofile in *fd_write* | *file_allocate*) r=1 ;; *) r=0 ;; esac
tap_result $r "read-only file: no writing rights"
expect_match "$(value self)" "^fd [0-9]+ regular_file base=fd_read,fd_seek,file_stat_fget,mem_map,mem_map_exec,proc_exec inheriting=$" "!executable: the program itself, read-only with proc_exec"

# Sockets.
cat >"$tmp/sock.yaml" <<EOF2
$header
stream: !socket {bind: $tmp/s1}
dgram: !socket {bind: $tmp/s2, type: dgram}
seqpacket: !socket {bind: $tmp/s3, type: seqpacket}
tcp: !socket {bind: '127.0.0.1:0'}
client: !socket {connect: $tmp/s0}
EOF2
python3 -c 'import socket, sys, time
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); time.sleep(5)' "$tmp/s0" &
listener=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -S "$tmp/s0" ] && break; sleep 0.1; done
run_capture run "$dump" "$tmp/sock.yaml"
kill "$listener" 2>/dev/null
wait "$listener" 2>/dev/null
expect_eq "$status" 0 "sock.yaml: accepted"
expect_match "$(value stream)" "^fd [0-9]+ socket_stream " "bind unix stream: socket_stream"
expect_match "$(value dgram)" "^fd [0-9]+ socket_dgram " "bind unix dgram: socket_dgram"
expect_match "$(value seqpacket)" "^fd [0-9]+ socket_stream " "seqpacket: the guest sees socket_stream"
expect_match "$(value tcp)" "^fd [0-9]+ socket_stream " "bind 127.0.0.1: socket_stream"
expect_match "$(value client)" "^fd [0-9]+ socket_stream " "connect: a connected socket"

# Flags add keys to the config's map.
run_capture run --str extra=1 --int n=5 "$dump" tests/configs/good/types.yaml
expect_eq "$(value extra)" 'str "1"' "--str adds a key to the config's top-level map"
expect_eq "$(value n)" 'int 5' "--int adds a key too"
printf '' >"$tmp/empty.yaml"
run_capture run --fd out=stdout "$dump" "$tmp/empty.yaml"
expect_eq "$status" 0 "an empty config with flags becomes a map of the flags"

# Depth: 64 nested maps/sequences are fine (the bad configs test 65).
{ printf '%s\ndeep: ' "$header"; for _ in $(seq 63); do printf '['; done; for _ in $(seq 63); do printf ']'; done; echo; } >"$tmp/deep.yaml"
run_capture run "$dump" "$tmp/deep.yaml"
expect_eq "$status" 0 "64 levels of nesting are accepted"

tap_done
