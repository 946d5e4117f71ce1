# broker_stop.sh: when the broker is stopped (SIGTERM, SIGINT, SIGHUP) or killed (SIGKILL), no guest process outlives it, forked ones included.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
broker=
trap '[ -n "$broker" ] && kill -9 "$broker" 2>/dev/null; rm -rf "$tmp"' EXIT

both_ready() { grep -q 'parent ready' "$tmp/out" && grep -q 'child ready' "$tmp/out"; }
none_alive() {
	for p in $guests; do
		[ -d "/proc/$p" ] && [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ] && return 1
	done
	return 0
}

for sig in TERM INT HUP KILL; do
	: >"$tmp/out"
	"$CAPBOX" run --fd out=stdout "$BUILD/programs/block_forever" \
		>"$tmp/out" 2>"$tmp/err" </dev/null &
	broker=$!
	eventually both_ready
	tap_result $? "SIG$sig: the guest and its forked child are running"
	# Every guest process is the broker's child (CLONE_PARENT).
	guests=$(pgrep -P "$broker" | tr '\n' ' ')
	set -- $guests
	expect_eq "$#" 2 "SIG$sig: the broker has two guest processes"
	kill -s "$sig" "$broker"
	wait "$broker" 2>/dev/null
	status=$?
	broker=
	num=$(kill -l "$sig")
	expect_eq "$status" $((128 + num)) "SIG$sig: the broker ends by that signal"
	eventually none_alive
	tap_result $? "SIG$sig: no guest process outlives the broker ($guests)"
	if [ "$sig" != KILL ]; then
		expect_match "$(cat "$tmp/err")" "stopped by" "SIG$sig: and says why it stopped"
	fi
done
tap_done
