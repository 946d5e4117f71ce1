# lifetime_many.sh: many sandboxes at once (LIFETIME_SANDBOXES, default 200), each with a hostile mix of raw clones, a zombie leader with a live thread and forks up to its limit, all end and leave no process behind.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=${LIFETIME_SANDBOXES:-200}

# One session holds them all: whatever one of them leaves, stays in it.
# --max-processes 3 with 4 forks: the last fork is refused (EAGAIN).  Each
# main process waits until its zombie leader's thread has written.
in_session bash -c '
	n=$1 capbox=$2 prog=$3 tmp=$4
	for i in $(seq "$n"); do
		truncate -s 16 "$tmp/counter$i"
		"$capbox" run --max-processes 3 --int forks=4 --int clones=2 \
			--file-rw counter="$tmp/counter$i" --str writer=zombie \
			--str then=now "$prog" </dev/null >/dev/null 2>>"$tmp/err" &
	done
	failed=0
	for job in $(jobs -p); do
		wait "$job" || failed=$((failed + 1))
	done
	echo "$failed" >"$tmp/failed"' sh "$n" "$CAPBOX" "$BUILD/programs/escape_lifetime" "$tmp"
expect_eq "$status" 0 "the $n sandboxes were started"
expect_eq "$(cat "$tmp/failed")" 0 "all $n ended with status 0"
expect_eq "$(cat "$tmp/err")" "" "and capbox printed nothing"
eventually [ "$(pgrep -c -s "$session")" -eq 0 ]
tap_result $? "no process of theirs is alive afterwards"
tap_done
