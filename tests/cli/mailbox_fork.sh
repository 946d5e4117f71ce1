# mailbox_fork.sh: a forked child does not inherit its parent's shared-memory mailbox (MADV_DONTFORK), seen from outside in /proc/PID/maps.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
launcher=
trap '[ -n "$launcher" ] && kill -9 "$launcher" 2>/dev/null; rm -rf "$tmp"' EXIT

both_ready() { grep -q 'parent ready' "$tmp/out" && grep -q 'child ready' "$tmp/out"; }
"$CAPBOX" run --fd out=stdout --int warm=16 "$BUILD/programs/block_forever" \
	>"$tmp/out" 2>"$tmp/err" </dev/null &
launcher=$!
eventually both_ready
tap_result $? "a guest that made 16 calls, and its forked child, are running"
guests=$(pgrep -P "$(sandbox_broker "$launcher")" | tr '\n' ' ')
set -- $guests
expect_eq "$#" 2 "the broker has the two guest processes"
with=0
readable=0
for p in $guests; do
	if [ -r "/proc/$p/maps" ] && maps=$(cat "/proc/$p/maps" 2>/dev/null) && [ -n "$maps" ]; then
		readable=$((readable + 1))
		case $maps in *capbox-mailbox*) with=$((with + 1)) ;; esac
	fi
done
if [ "$readable" -ne 2 ]; then
	tap_skip "mailbox mappings" "/proc/PID/maps of the guests is not readable here"
else
	expect_eq "$with" 1 "exactly one of them maps a mailbox: the parent's is not inherited"
fi
kill -9 "$launcher"
wait "$launcher" 2>/dev/null
launcher=
tap_done
