# proc_limits.sh: many fork cycles leave nothing behind in the broker; a fork bomb stops at the process limit.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ASan keeps freed memory in quarantine (256 MiB by default), which would
# hide what the broker really keeps: shrink it for this measurement.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=4" \
"$CAPBOX" run --stats --fd out=stdout --int count=10000 \
	"$BUILD/programs/fork_cycles" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "10,000 fork/exit/poll cycles run to the end"
stats=$(grep 'capbox: stats:' "$tmp/err")
expect_match "$stats" "records 1, live 0," "the broker keeps no record of the 10,000 children"
expect_match "$stats" "channels 0," "and no channel"
fds=$(stats_value "$tmp/err" descriptors)
[ -n "$fds" ] && [ "$fds" -le 12 ]
tap_result $? "the broker holds at most 12 descriptors at the end (has ${fds:-?})"
rss=$(stats_value "$tmp/err" maxrss_kb)
# Bound: 64 MiB (the sanitizer build's shadow memory included).
[ -n "$rss" ] && [ "$rss" -le 65536 ]
tap_result $? "the broker's peak memory stays under 64 MiB (${rss:-?} KiB)"

# A child holding its own process descriptor is a reference cycle: its
# table closes when it ends, so its record goes once the parent's copy does.
"$CAPBOX" run --stats --fd out=stdout --int count=200 \
	"$BUILD/programs/proc_selfref" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "200 children receive their own process descriptor and end"
stats=$(grep 'capbox: stats:' "$tmp/err")
expect_match "$stats" "records 1, live 0," "the broker keeps no record of them"
fds=$(stats_value "$tmp/err" descriptors)
[ -n "$fds" ] && [ "$fds" -le 12 ]
tap_result $? "nor their descriptors (holds ${fds:-?})"

"$CAPBOX" run --fd out=stdout "$BUILD/programs/fork_bomb" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "a fork bomb is contained and its program exits normally"
expect_match "$(cat "$tmp/out")" "^# children: 63$" "the default limit allows 64 processes (63 children)"

in_session "$CAPBOX" run --max-processes 8 --fd out=stdout "$BUILD/programs/fork_bomb" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$status" 0 "--max-processes 8: contained too"
expect_match "$(cat "$tmp/out")" "^# children: 7$" "--max-processes 8 allows 7 children"

expect_eq "$(session_left)" 0 "no guest process survives capbox"
tap_done
