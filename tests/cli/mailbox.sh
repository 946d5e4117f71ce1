# mailbox.sh: calls reach the broker through shared-memory mailboxes (threads and forked children too), not one socket message each.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# counts FILE: socket, doorbells and mailbox from its stats line.
counts() {
	socket=$(stats_value "$1" 'socket messages')
	doorbells=$(stats_value "$1" doorbells)
	mailbox=$(stats_value "$1" 'mailbox requests')
}

# 3 x 500 fd_dup + fd_close pairs.  Standard output is a file here, so
# each fd_close is listed in the mailbox, not sent (protocol/hc_mailbox.h):
# 1,500 requests in all, not 3,000.
"$CAPBOX" run --stats --fd out=stdout --int count=500 \
	"$BUILD/programs/call_loop" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "main thread, a second thread and a forked child make 500 dup/close pairs each"
counts "$tmp/err"
# Each thread's first few calls (boot, the mailbox request itself, up to
# four more) use the socket; doorbells ring only when the broker has
# stopped watching.
[ -n "$mailbox" ] && [ "$mailbox" -ge 1470 ]
tap_result $? "at least 1,470 of the 1,500 fd_dup calls came through a mailbox (${mailbox:-?}; socket messages ${socket:-?}, doorbells ${doorbells:-?})"
[ -n "$mailbox" ] && [ -n "$socket" ] && [ $((mailbox + socket - doorbells)) -le 1560 ]
tap_result $? "and the 1,500 closes of a file needed no request of their own"

# Without polling (--poll-us 0) the broker sleeps after every request, so
# each one through a mailbox has to ring its doorbell: still correct.
"$CAPBOX" run --stats --poll-us 0 --fd out=stdout --int count=200 \
	"$BUILD/programs/call_loop" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "--poll-us 0: the same 3 x 200 pairs succeed"
counts "$tmp/err"
[ -n "$mailbox" ] && [ "$mailbox" -ge 570 ]
tap_result $? "--poll-us 0: the fd_dup calls still came through the mailboxes (${mailbox:-?})"
# A doorbell left unread when its channel closes (a thread or child
# ended) is not counted: most, not all.
[ -n "$doorbells" ] && [ $((doorbells * 2)) -ge "$mailbox" ]
tap_result $? "--poll-us 0: the broker never watched, so requests rang their doorbells (${doorbells:-?} doorbells)"

# file_open of a file leaves it in the broker until the guest uses it
# (protocol/hc_file.h), and the broker does a waiting file's first four
# transfers itself: 3 x 500 open + close pairs, or open + 4 reads + close,
# pass no descriptor (those passed are the threads' and the child's
# channels and mailboxes); with a fifth read every file is passed once.
mkdir "$tmp/d" && echo data >"$tmp/d/f"
# open_loop READS: 3 x 500 file_open (+ READS one-byte reads) + fd_close;
# sets passed to the descriptors the broker passed.
open_loop() {
	"$CAPBOX" run --stats --fd out=stdout --dir dir="$tmp/d" \
		--int count=500 --int reads="$1" "$BUILD/programs/call_loop" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	expect_eq "$?" 0 "3 x 500 file_open + $1 x fd_read + fd_close succeed"
	cat "$tmp/out"
	passed=$(stats_value "$tmp/err" 'fds passed')
}
open_loop 0
[ -n "$passed" ] && [ "$passed" -le 10 ]
tap_result $? "and pass no file to the guest (${passed:-?} descriptors passed in all)"
open_loop 4
[ -n "$passed" ] && [ "$passed" -le 10 ]
tap_result $? "the broker read for them: no file passed (${passed:-?} descriptors passed)"
open_loop 5
[ -n "$passed" ] && [ "$passed" -ge 1500 ] && [ "$passed" -le 1510 ]
tap_result $? "the fifth read fetched each file, once (${passed:-?} descriptors passed)"

for bad in -1 abc 10001 ' 5' '+5' ''; do
	"$CAPBOX" run --poll-us "$bad" "$BUILD/programs/call_loop" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	expect_eq "$status" 125 "--poll-us '$bad' is refused"
	expect_match "$(cat "$tmp/err")" "^capbox: --poll-us .*: expected a number from 0 to 10000$" "--poll-us '$bad': the message says what is expected"
done
tap_done
