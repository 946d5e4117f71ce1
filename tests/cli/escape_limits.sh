# escape_limits.sh: thread, raw-fork and memory bombs and descriptor exhaustion stop at the guest's limits, for root and for an ordinary user.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
prog=$BUILD/programs/escape_limits
shims() { pgrep -c -x -f capbox-shim; }
shims_before=$(shims)

# run_limits WHO COMMAND...: runs the program, shows its lines, checks it.
run_limits() {
	local who=$1
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	local status=$?
	cat "$tmp/out"
	expect_eq "$status" 0 "$who: every bomb was contained and the guest exited normally"
	expect_eq "$(cat "$tmp/err")" "" "$who: capbox printed nothing"
}

if [ "$(id -u)" -eq 0 ]; then
	run_limits "as root" "$CAPBOX" run --fd out=stdout --bool enforced=false "$prog"
	cp "$CAPBOX" "$prog" "$tmp/" && chmod 755 "$tmp"/*
	run_limits "as nobody" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmp/capbox" run --fd out=stdout --bool enforced=true "$tmp/escape_limits"
else
	run_limits "as uid $(id -u)" "$CAPBOX" run --fd out=stdout --bool enforced=true "$prog"
fi
# The raw-forked sleepers are nobody's children to kill (docs/SECURITY.md,
# known limits): they end by themselves after one second.
for _ in $(seq 50); do
	[ "$(shims)" -le "$shims_before" ] && break
	sleep 0.1
done
expect_eq "$(shims)" "$shims_before" "every raw-forked sleeper has ended within 5 seconds"
tap_done
