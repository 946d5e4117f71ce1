# trace_denials.sh: --explain-denials names the descriptor, the missing right and the grant's file:line:column (or the call that made the descriptor), a path escape names the directory grant; once per cause; within --trace too.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/d" && echo hi >"$tmp/d/f"
# The grant's !file tag is at line 4, column 6.
cat >"$tmp/c.yaml" <<EOF
%TAG ! tag:nuxi.nl,2015:cloudabi/
---
# a directory that may only be looked into
dir: !file
  path: $tmp/d
  rights: [file_open, file_stat_get]
  inheriting: [fd_read]
EOF
"$CAPBOX" run --print-grants="$tmp/grants" --explain-denials \
	"$BUILD/programs/trace_denied" "$tmp/c.yaml" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 4 "the program is refused four times (unlink twice, an escape, a write)"
expect_match "$(cat "$tmp/grants")" "^dir: fd 0, directory, .* from $tmp/c.yaml:4:6$" "--print-grants places the grant at c.yaml:4:6"
e=$(cat "$tmp/err")
expect_match "$e" "^capbox: denied: [0-9]+\.[0-9]+ file_unlink: fd 0 lacks file_unlink \(it has file_open\|file_stat_get\); it was granted by $tmp/c.yaml:4:6$" "a missing right: the descriptor, the right, the grant's file:line:column"
expect_eq "$(grep -c 'denied: .* file_unlink' "$tmp/err")" 1 "the same cause twice is explained once"
expect_match "$e" "^capbox: denied: [0-9]+\.[0-9]+ file_open: path \"\.\./f\" leads out of directory fd 0, granted by $tmp/c.yaml:4:6$" "a path escape names the path and the directory grant"
expect_match "$e" "^capbox: denied: [0-9]+\.[0-9]+ fd_write \(reported by the shim\): fd [0-9]+ has only fd_read for fd_write; it was made by file_open on fd 0, under the grant $tmp/c.yaml:4:6$" "a write the shim refused: the broker's rights of the descriptor, the call that made it and its grant"
expect_eq "$(grep -vc '^capbox: denied: ' "$tmp/err")" 0 "--explain-denials alone prints nothing else"

# Within --trace, each refused line carries its explanation.
"$CAPBOX" run --trace="$tmp/t" --trace-errors "$BUILD/programs/trace_denied" \
	"$tmp/c.yaml" >/dev/null 2>&1 </dev/null
expect_eq "$(grep -c '\[denied: ' "$tmp/t") $(wc -l <"$tmp/t")" "4 4" "--trace: every refused call's line says why"
if command -v python3 >/dev/null; then
	"$CAPBOX" run --trace="$tmp/j" --trace-format=json --trace-errors \
		"$BUILD/programs/trace_denied" "$tmp/c.yaml" >/dev/null 2>&1 </dev/null
	got=$(python3 -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)["denial"]
    print(d["cause"], d.get("fd"), d.get("missing", "-"), d.get("origin"))' "$tmp/j" | sort -u)
	expect_eq "$got" "missing_right 0 file_unlink granted by $tmp/c.yaml:4:6
missing_right 2 - made by file_open on fd 0, under the grant $tmp/c.yaml:4:6
path_escape 0 - granted by $tmp/c.yaml:4:6" "--trace-format=json: the denial object has the cause, descriptor, right and origin"
else
	tap_skip "denials in JSON" "python3 is not installed"
fi

# A grant from an option is named by the option.
"$CAPBOX" run --explain-denials --dir dir="$tmp/d" "$BUILD/programs/trace_denied" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
expect_match "$(cat "$tmp/err")" "path \"\.\./f\" leads out of directory fd 0, granted by --dir dir$" "a grant from the command line is named by its option"

# The process limit.
"$CAPBOX" run --explain-denials --max-processes 2 --fd out=stdout \
	"$BUILD/programs/fork_bomb" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_match "$(cat "$tmp/err")" "capbox: denied: [0-9]+\.[0-9]+ proc_fork: the sandbox has as many processes as it may \(--max-processes\)" "a refused fork names the process limit"
tap_done
