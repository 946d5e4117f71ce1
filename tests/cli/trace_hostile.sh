# trace_hostile.sh: forged, malformed and flooded trace records and batches cannot break the trace's format or grow the broker; calls as fast as a program can make them all get their line (the rate is printed), each attributed to its own process and thread, even when the program crashes.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prog=$BUILD/programs/trace_hostile
line_re='^[0-9]+\.[0-9]+ (broker|shim) +[a-z_0-9]+\(.*\) = .* <[0-9]+\.[0-9]{9}>$'

# Forged records: a file_open "allowed" with a line hidden in its path,
# then five malformed ones.
"$CAPBOX" run --trace="$tmp/t" --stats --bool forge=true "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 0 "a guest that forges trace records still runs, and the broker still answers it"
grep -vE '^(%|-|capbox:| *[0-9.]+ )' "$tmp/t" >"$tmp/lines"
expect_eq "$(grep -cvE "$line_re" "$tmp/lines")" 0 "every trace line keeps the format"
expect_eq "$(grep -c '^9\.9' "$tmp/t")" 0 "the line hidden in a forged path is not a line of the trace"
expect_match "$(cat "$tmp/t")" '^[0-9]+\.[0-9]+ shim +file_open\(dirfd=4294967295, .*path="x\\x0a9\.9 broker file_open\(path=\\x22/etc\\x22\) = 3 <0\.1>\\x0a\\x22\\x5c\\x1b\[2J\\xff", .* = -1 errno 65535 <' "the forged file_open shows as shim (forgeable), every byte escaped"
expect_eq "$(grep -cE '^[0-9.]+ broker file_open' "$tmp/t")" 0 "no forged record shows as the broker's"
expect_match "$(cat "$tmp/t")" "^capbox: trace: 7 malformed batches of shim records dropped$" "the five malformed records and two malformed batches are dropped and counted"
expect_eq "$(grep -cE '^[0-9]+\.[0-9]+ shim +fd_write\(fd=700[12],' "$tmp/t")" 2 "both records of a well-formed forged batch are shown"
expect_eq "$(grep -cE 'fd_write\(fd=7(1|2)[0-9][0-9],' "$tmp/t")" 0 "no record of a batch that is malformed or too long is shown"
if command -v python3 >/dev/null; then
	"$CAPBOX" run --trace="$tmp/j" --trace-format=json --bool forge=true \
		"$prog" >/dev/null 2>&1 </dev/null
	bad=$(python3 -c '
import json, sys
bad = 0
for line in open(sys.argv[1], "rb"):
    try:
        o = json.loads(line.decode("ascii"))
        bad += not isinstance(o, dict) or o["source"] not in ("broker", "shim")
    except Exception:
        bad += 1
print(bad)' "$tmp/j")
	expect_eq "$bad" 0 "in JSON too: every line is one ASCII object"
else
	tap_skip "forged records in JSON" "python3 is not installed"
fi

# A flood of records: every one a line, the broker's memory flat.
# maxrss_of N: the broker's peak memory (KiB) after N flooded records.
maxrss_of() {
	"$CAPBOX" run --trace="$tmp/f" --stats --int flood="$1" "$prog" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	stats_value "$tmp/err" maxrss_kb
}
small=$(maxrss_of 1000)
big=$(maxrss_of 50000)
expect_eq "$(grep -c ' shim *fd_write(fd=' "$tmp/f")" 50000 "50,000 flooded records: 50,000 lines, none lost"
expect_eq "$(grep -vE '^(%|-|capbox:| *[0-9.]+ )' "$tmp/f" | grep -cvE "$line_re")" 0 "and none torn"
[ -n "$small" ] && [ -n "$big" ] && [ "$big" -le $((small + 1024)) ]
tap_result $? "the broker's peak memory does not grow with the flood (${small:-?} KiB after 1,000, ${big:-?} KiB after 50,000)"

# Forged refusals of 300 distinct causes cannot use up the explanations
# of what the broker refuses.
"$CAPBOX" run --explain-denials --max-processes 1 --int hide=300 "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 0 "a guest forging 300 distinct refusals runs"
expect_match "$(cat "$tmp/err")" "^capbox: denied: [0-9]+\.[0-9]+ proc_fork: the sandbox has as many processes as it may \(--max-processes\)$" \
	"the broker's refusal that follows them is still explained"
expect_match "$(cat "$tmp/err")" "^capbox: denied: [0-9]+\.[0-9]+ fd_write \(reported by the shim\): fd [0-9]+ has only " \
	"a forged refusal's explanation says the shim reported it"
expect_eq "$(grep -c '(reported by the shim)' "$tmp/err")" 64 "forged ones are explained up to their own bound (64)"

# A program making calls as fast as it can: every call has its line.
# The rate it reached is printed, never judged (make bench measures it).
started=$(date +%s%N)
"$CAPBOX" run --trace="$tmp/c" --int calls=100000 "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
rate=$(awk -v t="$(($(date +%s%N) - started))" 'BEGIN { if (t > 0) printf "%.0f", 100000 * 1e9 / t }')
echo "# 100,000 traced calls at ${rate:-?} calls/s (start-up included)"
expect_match "$rate" '^[0-9]+$' "the rate of the traced calls is printed"
expect_eq "$status" 0 "100,000 clock reads run under --trace"
expect_eq "$(grep -c ' shim *clock_time_get(clock_id=MONOTONIC, precision=' "$tmp/c")" 100000 "each of them has its line"
expect_eq "$(grep -cvE "$line_re" "$tmp/c")" 0 "and every line is whole"
# In order: precision counts 0, 1, 2 ...
expect_eq "$(sed -n 's/.*clock_time_get(clock_id=MONOTONIC, precision=\([0-9]*\)).*/\1/p' "$tmp/c" | awk '$1 != NR - 1 { bad++ } END { print bad + 0 }')" 0 "in the order they were made"

# A program that crashes: the calls it made before still have their lines.
"$CAPBOX" run --trace="$tmp/x" --bool crash=true "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
[ "$?" -ne 0 ]
tap_result $? "a program that crashes under --trace fails"
expect_eq "$(grep -cE ' shim +clock_time_get\(clock_id=MONOTONIC, precision=424[123]\)' "$tmp/x")" 3 "the three calls it made just before have their lines"

# Four threads in each of two processes tag their calls with their tid.
"$CAPBOX" run --trace="$tmp/a" --bool attribute=true "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 0 "a forking program with threads runs under --trace"
tagged=$(sed -n 's/^\([0-9]*\)\.\([0-9]*\) shim *clock_time_get(clock_id=MONOTONIC, precision=\([0-9]*\)).*/\1 \2 \3/p' "$tmp/a")
expect_eq "$(printf '%s\n' "$tagged" | wc -l)" 4000 "4,000 tagged calls, 4,000 lines"
expect_eq "$(printf '%s\n' "$tagged" | awk '$2 != $3' | wc -l)" 0 "each one on the line of the thread that made it"
expect_eq "$(printf '%s\n' "$tagged" | awk '{ print $1 }' | sort -u | wc -l)" 2 "in two processes"
expect_eq "$(printf '%s\n' "$tagged" | awk '{ print $1 " " $2 }' | sort -u | wc -l)" 8 "and eight threads"
expect_eq "$(printf '%s\n' "$tagged" | awk '$1 == $2 { print $1 }' | sort -u | wc -l)" 2 "each process's main thread has its process's id"
tap_done
