# config_errors.sh: malformed launch configurations each fail before the guest starts, with the exact file:line:column error.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dump="$BUILD/programs/argdata_dump"
header='%TAG ! tag:nuxi.nl,2015:cloudabi/
---
out: !fd stdout'

# run_config CONFIG [OPTION...]: runs the dump program with CONFIG.
run_config() {
	local config=$1
	shift
	"$CAPBOX" run "$@" "$dump" "$config" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

count=0
for config in tests/configs/bad/*.yaml; do
	name=$(basename "$config" .yaml)
	opts=
	case $name in guess-*) opts=--untagged=guess ;; esac
	run_config "$config" $opts
	expect_eq "$status" 125 "$name: refused with status 125"
	expect_eq "$out" "" "$name: the program never ran"
	expect_eq "$err" "$(cat "tests/configs/bad/$name.err")" "$name: the expected one-line error"
	count=$((count + 1))
done
[ "$count" -ge 30 ]
tap_result $? "at least 30 malformed configurations ($count)"

# Cases that depend on the machine: generated here.
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' '#' >"$tmp/large.yaml"
run_config "$tmp/large.yaml"
expect_eq "$status" 125 "a configuration over 1 MiB is refused"
expect_eq "$err" "capbox: $tmp/large.yaml: a configuration has at most 1048576 bytes" "naming the bound"

run_config "$tmp/missing.yaml"
expect_eq "$status" 125 "a missing configuration file is refused"
expect_eq "$err" "capbox: $tmp/missing.yaml: No such file or directory" "naming the file"

printf '%s\ns: !socket {bind: %s}\n' "$header" "$PWD/tests/configs/bad/README" >"$tmp/inuse.yaml"
run_config "$tmp/inuse.yaml"
expect_eq "$status" 125 "binding a unix socket over an existing file is refused"
expect_eq "$err" "capbox: $tmp/inuse.yaml:4:4: $PWD/tests/configs/bad/README: Address already in use" "as address in use, before start"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 47311)
printf '%s\na: !socket {bind: 127.0.0.1:%s}\nb: !socket {bind: 127.0.0.1:%s}\n' "$header" "$port" "$port" >"$tmp/port.yaml"
run_config "$tmp/port.yaml"
expect_eq "$status" 125 "a TCP port in use is refused"
expect_eq "$err" "capbox: $tmp/port.yaml:5:4: 127.0.0.1:$port: Address already in use" "naming the second grant's line"

# A permission problem: a file that cannot be opened read-write.
if [ "$(id -u)" -ne 0 ]; then
	printf 'x\n' >"$tmp/locked"
	chmod 444 "$tmp/locked"
	locked=$tmp/locked
elif [ -e /sys/kernel/notes ] && ! (exec 3<>/sys/kernel/notes) 2>/dev/null; then
	locked=/sys/kernel/notes
else
	locked=
fi
if [ -n "$locked" ]; then
	printf '%s\nf: !file {path: %s, access: read-write}\n' "$header" "$locked" >"$tmp/perm.yaml"
	run_config "$tmp/perm.yaml"
	expect_eq "$status" 125 "a file that cannot be opened read-write is refused"
	expect_match "$err" "^capbox: $tmp/perm.yaml:4:4: $locked: (Permission denied|Read-only file system) \(the grant opens it read-write; without access: read-write and writing rights it is read-only\)$" "with the reason and the fix"
	printf '%s\nf: !file {path: %s, access: read-only}\n' "$header" "$locked" >"$tmp/perm.yaml"
	run_config "$tmp/perm.yaml"
	expect_eq "$status" 0 "the same file granted read-only is accepted"
	printf '%s\nf: !file {path: %s}\n' "$header" "$locked" >"$tmp/perm.yaml"
	run_config "$tmp/perm.yaml"
	expect_eq "$status" 0 "and so is a plain !file of it (read-only by default)"
else
	tap_skip "permission problem" "running as root with no unwritable file to try"
fi

# Command-line conflicts.
printf '%s\nname: x\n' "$header" >"$tmp/name.yaml"
run_config "$tmp/name.yaml" --str name=y
expect_eq "$status" 125 "a flag granting a key the config has is refused"
expect_eq "$err" "capbox: $tmp/name.yaml: already has the key 'name' that the command line grants" "naming the key"
printf '%s\n' '[1, 2]' >"$tmp/seq.yaml"
run_config "$tmp/seq.yaml" --str name=y
expect_eq "$status" 125 "flags cannot add keys to a top level that is not a map"
run_config "$tmp/seq.yaml" --untagged=maybe
expect_eq "$status" 125 "an unknown --untagged mode is refused"
expect_eq "$err" "capbox: --untagged=maybe: expected string or guess" "saying what is expected"
"$CAPBOX" run --fd in=stdin "$dump" - <"$tmp/name.yaml" >"$tmp/out" 2>"$tmp/err"
expect_eq "$?" 125 "stdin cannot be both the configuration and a grant"

# A configuration is checked whole before any grant is opened: a socket
# grant followed by a syntax error binds nothing, and a grant that cannot
# be opened is not reported when the file is malformed after it.
printf '%s\nsock: !socket {bind: %s}\nlater: [\n' "$header" "$tmp/bound.sock" >"$tmp/late.yaml"
run_config "$tmp/late.yaml"
expect_eq "$status" 125 "a syntax error after a socket grant is refused"
expect_match "$err" "^capbox: $tmp/late.yaml:6:1: YAML syntax error" "naming the syntax error"
[ ! -e "$tmp/bound.sock" ]
tap_result $? "and the socket was never bound"
printf '%s\nmissing: !file {path: %s}\nlater: [\n' "$header" "$tmp/none" >"$tmp/late2.yaml"
run_config "$tmp/late2.yaml"
expect_match "$err" "^capbox: $tmp/late2.yaml:6:1: YAML syntax error" "the syntax error, not the missing file before it"

tap_done
