# mailbox.sh: calls reach the broker through shared-memory mailboxes (threads and forked children too), not one socket message each.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 3 x 500 fd_dup + fd_close pairs: 3,000 broker calls, 1,500 of them
# answered with a descriptor (which alone still takes the socket).
CAPBOX_STATS=1 "$CAPBOX" run --fd out=stdout --int count=500 \
	"$BUILD/programs/call_loop" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "main thread, a second thread and a forked child make 500 dup/close pairs each"
stats=$(grep 'capbox: stats:' "$tmp/err")
mailbox=$(printf '%s' "$stats" | sed -n 's/.*mailbox requests \([0-9]*\).*/\1/p')
socket=$(printf '%s' "$stats" | sed -n 's/.*socket messages \([0-9]*\).*/\1/p')
# Each thread's first few calls (boot, the mailbox request itself, up to
# four more) use the socket; a doorbell is a socket message too, but only
# when the broker has stopped watching.
[ -n "$mailbox" ] && [ "$mailbox" -ge 2970 ]
tap_result $? "at least 2,970 of the 3,000 calls came through a mailbox (${mailbox:-?}; socket messages ${socket:-?})"
tap_done
