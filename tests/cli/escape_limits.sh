# escape_limits.sh: thread, raw-fork and memory bombs and descriptor exhaustion stop at the guest's limits, for root and for an ordinary user.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
prog=$BUILD/programs/escape_limits

# run_limits WHO COMMAND...: runs the program, shows its lines, checks it.
run_limits() {
	local who=$1
	shift
	in_session "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	cat "$tmp/out"
	expect_eq "$status" 0 "$who: every bomb was contained and the guest exited normally"
	expect_eq "$(cat "$tmp/err")" "" "$who: capbox printed nothing"
	# The raw-forked sleepers are children the broker never registered:
	# it kills them when the sandbox ends (docs/SECURITY.md).
	expect_eq "$(session_left)" 0 "$who: no raw-forked sleeper outlives capbox"
}

if [ "$(id -u)" -eq 0 ]; then
	run_limits "as root (the guest gets an identity of its own)" "$CAPBOX" run --fd out=stdout "$prog"
	cp "$CAPBOX" "$prog" "$tmp/" && chmod 755 "$tmp"/*
	run_limits "as nobody" setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmp/capbox" run --fd out=stdout "$tmp/escape_limits"
	# Root without CAP_SYS_ADMIN (a container's root) keeps the host's
	# root in the guest, which RLIMIT_NPROC does not bind: with no budget
	# asked, a pids cgroup must still bound its tasks, spread over
	# processes, threads and raw forks (3075 alive at once without it).
	if [ "$(stat -f -c %T /sys/fs/cgroup/pids 2>/dev/null)" = cgroupfs ] ||
		grep -qw pids /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
		run_limits "as root without CAP_SYS_ADMIN" \
			setpriv --bounding-set -sys_admin --inh-caps -sys_admin \
			"$CAPBOX" run --fd out=stdout "$prog"
		run_limits "as root without CAP_SYS_ADMIN, tasks spread" \
			setpriv --bounding-set -sys_admin --inh-caps -sys_admin \
			"$CAPBOX" run --fd out=stdout "$BUILD/programs/escape_nproc_spread"
	else
		tap_skip "as root without CAP_SYS_ADMIN" "no pids cgroup capbox could make here"
	fi
else
	run_limits "as uid $(id -u)" "$CAPBOX" run --fd out=stdout "$prog"
fi
tap_done
