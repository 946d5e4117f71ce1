# trace_json.sh: --trace-format=json: every line is one JSON object of the schema in docs/TRACE.md (checked by Python's json), all 49 calls included; --trace-calls and --trace-errors filter.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v python3 >/dev/null; then
	tap_skip "trace_json" "python3 is not installed"
	tap_done
	exit
fi

mkdir "$tmp/d"
"$CAPBOX" run --trace="$tmp/trace" --trace-format=json --dir-rw dir="$tmp/d" \
	"$BUILD/programs/trace_all_calls" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 0 "the program that makes every call runs under --trace-format=json"

sed -n 's/^	X(\([a-z_0-9]*\),.*/\1/p' include/cloudabi/syscalls.h >"$tmp/calls"
# check_schema FILE: prints what breaks the schema, then "calls: N".
check_schema() {
	python3 - "$1" "$tmp/calls" <<'PY'
import json, sys
known = set(open(sys.argv[2]).read().split())
required = {"pid": int, "tid": int, "source": str, "call": str,
            "args": dict, "errno": str, "duration_ns": int}
optional = {"result": int, "data": str, "denial": dict}
seen = set()
for n, line in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        text = line.decode("ascii")
        o = json.loads(text)
    except Exception as e:
        print(f"line {n}: not ASCII JSON: {e}")
        continue
    if not text.endswith("\n") or "\n" in text[:-1]:
        print(f"line {n}: not one line")
    if not isinstance(o, dict):
        print(f"line {n}: not an object")
        continue
    for k, t in required.items():
        if not isinstance(o.get(k), t) or isinstance(o.get(k), bool):
            print(f"line {n}: {k} missing or not {t.__name__}")
    for k, t in optional.items():
        if k in o and not isinstance(o[k], t):
            print(f"line {n}: {k} not {t.__name__}")
    extra = set(o) - set(required) - set(optional)
    if extra:
        print(f"line {n}: unknown keys {sorted(extra)}")
    if o.get("source") not in ("broker", "shim"):
        print(f"line {n}: source {o.get('source')!r}")
    if o.get("call") not in known:
        print(f"line {n}: call {o.get('call')!r} is not one of the 49")
    for k, v in (o.get("args") or {}).items():
        if not isinstance(v, (int, str)) or isinstance(v, bool):
            print(f"line {n}: args.{k} is {type(v).__name__}")
    if not str(o.get("errno", "")).startswith("E"):
        print(f"line {n}: errno {o.get('errno')!r}")
    if len(line) > 4096:
        print(f"line {n}: longer than 4096 bytes")
    seen.add(o.get("call"))
missing = sorted(known - seen)
if missing:
    print("missing calls: " + " ".join(missing))
print(f"calls: {len(seen & known)}")
PY
}
report=$(check_schema "$tmp/trace")
expect_eq "$report" "calls: 49" "every line fits the schema of docs/TRACE.md, and all 49 calls are there"
expect_match "$(cat "$tmp/trace")" '"source":"broker","call":"file_open","args":\{"dirfd":[0-9]+,"dirfd_flags":"0","path":"t.txt","oflags":"CREAT","rights_base":"fd_datasync\|' "file_open's arguments by name in JSON"

# The checker itself fails on a broken line (it can fail).
{ head -1 "$tmp/trace"; echo '{"pid":1}'; echo 'not json'; } >"$tmp/bad"
report=$(check_schema "$tmp/bad")
expect_match "$report" "line 2: tid missing" "the schema check notices a missing key"
expect_match "$report" "line 3: not ASCII JSON" "and a line that is not JSON"

# --trace-calls: classes and names; --trace-errors.
"$CAPBOX" run --trace="$tmp/t2" --trace-calls=mem,fd_dup --dir-rw dir="$tmp/d" \
	"$BUILD/programs/trace_all_calls" >/dev/null 2>&1 </dev/null
expect_eq "$(sed 's/^[0-9.]* *[a-z]* *\([a-z_0-9]*\)(.*/\1/' "$tmp/t2" | sort -u | tr '\n' ' ')" \
	"fd_dup mem_advise mem_map mem_protect mem_sync mem_unmap " \
	"--trace-calls=mem,fd_dup shows those calls and no other"
"$CAPBOX" run --trace="$tmp/t3" --trace-errors --dir-rw dir="$tmp/d" \
	"$BUILD/programs/trace_all_calls" >/dev/null 2>&1 </dev/null
expect_eq "$(grep -c ' = -1 E' "$tmp/t3") $(wc -l <"$tmp/t3")" "3 3" \
	"--trace-errors shows the three failing calls (lock_unlock, proc_raise, proc_exec) only"
"$CAPBOX" run --trace-calls=file,nope "$BUILD/guest/hello-separate" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 125 "--trace-calls refuses an unknown word"
expect_match "$(cat "$tmp/err")" "^capbox: --trace-calls: 'nope' is neither a call nor a class" "and names it"
"$CAPBOX" run --trace-format=xml "$BUILD/guest/hello-separate" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 125 "--trace-format refuses anything but text and json"
tap_done
