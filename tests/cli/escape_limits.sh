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
	# Root without CAP_SYS_ADMIN (a container's root) forks the broker
	# into a user namespace of its own; holding CAP_SETUID and CAP_SETGID
	# the launcher maps the guest's own identity there, and RLIMIT_NPROC
	# binds the guest as with CAP_SYS_ADMIN.  Tasks spread over processes,
	# threads and raw forks stay within 512.
	run_limits "as root without CAP_SYS_ADMIN" \
		setpriv --bounding-set -sys_admin --inh-caps -sys_admin \
		"$CAPBOX" run --fd out=stdout "$prog"
	run_limits "as root without CAP_SYS_ADMIN, tasks spread" \
		setpriv --bounding-set -sys_admin --inh-caps -sys_admin \
		"$CAPBOX" run --fd out=stdout "$BUILD/programs/escape_nproc_spread"
	# The launcher writes those maps while the broker waits: a gid map
	# refused after the uid map was written, or a launcher killed before
	# it wrote either, must leave no broker waiting or running on a half
	# map, and no guest process.  The broker, orphaned, may stay a zombie
	# until the host's init reaps it: only live processes count.
	session_live() { [ "$(pgrep -c -s "$session" -r R,S,D,T,t)" -eq 0 ]; }
	idmap_fails=(setpriv --bounding-set -sys_admin --inh-caps -sys_admin
		env "LD_PRELOAD=$BUILD/preload/uidmap_fails.so"
		"ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
	in_session "${idmap_fails[@]}" CAPBOX_TEST_IDMAP=gid "$CAPBOX" run --fd out=stdout "$prog" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	expect_eq "$status/$(cat "$tmp/err")" \
		"125/capbox: cannot map ids in the sandbox's user namespace: Operation not permitted" \
		"the broker's gid map refused after its uid map: capbox refuses (125) and says why"
	expect_eq "$(wc -c <"$tmp/out")" 0 "the broker's gid map refused after its uid map: no guest ran"
	eventually session_live
	tap_result $? "the broker's gid map refused after its uid map: no process is left running"
	in_session "${idmap_fails[@]}" CAPBOX_TEST_IDMAP=die "$CAPBOX" run --fd out=stdout "$prog" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	expect_eq "$status/$(wc -c <"$tmp/out")" 137/0 \
		"the launcher killed before the broker's maps: no guest ran"
	eventually session_live
	tap_result $? "the launcher killed before the broker's maps: the broker does not wait on"
	# Without CAP_SETUID and CAP_SETGID too, the guest keeps the host's
	# root, which RLIMIT_NPROC does not bind: with no budget asked, a
	# pids cgroup must still bound its tasks (3075 alive at once without
	# it).
	no_admin_nor_ids=(setpriv --bounding-set -sys_admin,-setuid,-setgid
		--inh-caps -sys_admin,-setuid,-setgid)
	if [ "$(stat -f -c %T /sys/fs/cgroup/pids 2>/dev/null)" = cgroupfs ] ||
		grep -qw pids /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
		run_limits "as root without CAP_SYS_ADMIN, CAP_SETUID and CAP_SETGID" \
			"${no_admin_nor_ids[@]}" "$CAPBOX" run --fd out=stdout "$prog"
		run_limits "as root without CAP_SYS_ADMIN, CAP_SETUID and CAP_SETGID, tasks spread" \
			"${no_admin_nor_ids[@]}" "$CAPBOX" run --fd out=stdout \
			"$BUILD/programs/escape_nproc_spread"
		# Root in a user namespace that maps its root to the host's
		# (unshare -Ur, or a container mapping its root so) holds
		# CAP_SYS_ADMIN there: the broker needs no user namespace of its
		# own and the guest keeps uid 0, the host's root, which
		# RLIMIT_NPROC does not bind (3075 tasks alive at once without a
		# pids cgroup).
		run_limits "as root in a user namespace mapping its root to the host's" \
			unshare -Ur "$CAPBOX" run --fd out=stdout "$BUILD/programs/escape_nproc_spread"
		# Root's uid left out of such a namespace's map (capabilities
		# kept): the guest's real uid is still the host's root, unmapped,
		# read as the overflow uid.  No pids cgroup can be made there
		# (its files belong to an unmapped root): capbox refuses rather
		# than run such a guest with no bound, --require-limits or not.
		cp "$BUILD/programs/escape_nproc_spread" "$tmp/" && chmod 755 "$tmp"/*
		mkfifo "$tmp/go"
		unshare -U --keep-caps sh -c 'read -r _ <"$0"; exec "$@"' "$tmp/go" \
			"$tmp/capbox" run --fd out=stdout "$tmp/escape_nproc_spread" \
			>"$tmp/out" 2>"$tmp/err" </dev/null &
		inner=$!
		while [ "$(readlink "/proc/$inner/ns/user")" = "$(readlink /proc/self/ns/user)" ]; do
			sleep 0.05
		done
		echo "1 1 65535" >"/proc/$inner/uid_map"
		echo "1 1 65535" >"/proc/$inner/gid_map"
		echo go >"$tmp/go"
		wait "$inner"
		status=$?
		expect_eq "$status" 125 "root unmapped in a user namespace: capbox refuses (125)"
		expect_match "$(cat "$tmp/err")" "^capbox: tasks: no pids cgroup " \
			"root unmapped in a user namespace: the one line says why"
		expect_eq "$(wc -c <"$tmp/out")" 0 "root unmapped in a user namespace: no guest ran"
		# The forecast missed (a pid namespace refused although capbox
		# holds CAP_SYS_ADMIN, forced by a preloaded library): the
		# launcher maps the guest's identity where it can; where it
		# cannot, with no budget capbox refuses before any guest
		# process exists, and with one the pids cgroup holds the tasks.
		newpid_fails=(env "LD_PRELOAD=$BUILD/preload/newpid_fails.so" CAPBOX_TEST_NEWPID_FAILS=1
			"ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
		run_limits "a pid namespace refused, the guest's identity mapped" \
			"${newpid_fails[@]}" "$CAPBOX" run --fd out=stdout \
			"$BUILD/programs/escape_nproc_spread"
		newpid_fails=(setpriv --bounding-set -setuid,-setgid --inh-caps -setuid,-setgid
			"${newpid_fails[@]}")
		in_session "${newpid_fails[@]}" "$CAPBOX" run --fd out=stdout "$BUILD/programs/escape_nproc_spread" \
			>"$tmp/out" 2>"$tmp/err" </dev/null
		expect_eq "$status" 125 "a pid namespace refused, no budget: capbox refuses (125)"
		expect_match "$(cat "$tmp/err")" "^capbox: cannot bound the guest's tasks: " \
			"a pid namespace refused, no budget: the one line says why"
		expect_eq "$(wc -c <"$tmp/out")" 0 "a pid namespace refused, no budget: no guest ran"
		run_limits "a pid namespace refused, --max-processes 64" \
			"${newpid_fails[@]}" "$CAPBOX" run --max-processes 64 --fd out=stdout \
			"$BUILD/programs/escape_nproc_spread"
	else
		tap_skip "as root without CAP_SYS_ADMIN, CAP_SETUID and CAP_SETGID" "no pids cgroup capbox could make here"
	fi
else
	run_limits "as uid $(id -u)" "$CAPBOX" run --fd out=stdout "$prog"
fi
tap_done
