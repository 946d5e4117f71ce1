# broker_stop.sh: when capbox is stopped (SIGTERM, SIGINT, SIGHUP) or killed (SIGKILL), or its broker is killed, no process of the sandbox outlives it, forked ones included.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
launcher=
trap '[ -n "$launcher" ] && kill -9 "$launcher" 2>/dev/null; rm -rf "$tmp"' EXIT

both_ready() { grep -q 'parent ready' "$tmp/out" && grep -q 'child ready' "$tmp/out"; }

# stop_with WHAT SIG: sends SIG to the launcher or to the broker (pid 1 of
# the sandbox's pid namespace), then checks how capbox ended.
stop_with() {
	local what=$1 sig=$2
	: >"$tmp/out"
	"$CAPBOX" run --fd out=stdout "$BUILD/programs/block_forever" \
		>"$tmp/out" 2>"$tmp/err" </dev/null &
	launcher=$!
	eventually both_ready
	tap_result $? "$what SIG$sig: the guest and its forked child are running"
	local broker ns guests
	broker=$(sandbox_broker "$launcher")
	ns=$(sandbox_pidns "$launcher")
	# Every guest process is the broker's child (CLONE_PARENT).
	guests=$(pgrep -P "$broker" | tr '\n' ' ')
	set -- $guests
	expect_eq "$#" 2 "$what SIG$sig: the broker has two guest processes"
	expect_eq "$(pidns_members "$ns")" 3 "$what SIG$sig: the sandbox's pid namespace holds the broker and both"
	if [ "$what" = broker ]; then
		kill -s "$sig" "$broker"
	else
		kill -s "$sig" "$launcher"
	fi
	wait "$launcher" 2>/dev/null
	status=$?
	launcher=
	num=$(kill -l "$sig")
	if [ "$what $sig" = "broker KILL" ]; then
		expect_eq "$status" 125 "broker SIGKILL: capbox fails (125)"
		expect_match "$(cat "$tmp/err")" "the broker was killed by signal" "and says why"
	else
		expect_eq "$status" $((128 + num)) "$what SIG$sig: capbox ends by that signal"
	fi
	eventually pidns_empty "$ns"
	tap_result $? "$what SIG$sig: no process of the sandbox outlives it ($broker $guests)"
	if [ "$sig" != KILL ]; then
		local text
		case $sig in
		TERM) text=Terminated ;;
		INT) text=Interrupt ;;
		HUP) text=Hangup ;;
		esac
		# Exactly this line: no report of the guest's end before it
		# (which once said "terminated by signal Unknown signal 0").
		expect_eq "$(cat "$tmp/err")" "capbox: stopped by $text: every guest process was killed" \
			"$what SIG$sig: and says why it stopped, in one line"
	fi
}

for sig in TERM INT HUP KILL; do
	stop_with capbox "$sig"
done
stop_with broker TERM
stop_with broker KILL
tap_done
