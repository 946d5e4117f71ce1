# limits_budgets.sh: hostile guests (spinners on every CPU, a memory hog across processes, threads and memfds, bombs, a descriptor flood, a file growing without end) are each ended or refused by the budget they attack, within a generous tolerance, with nothing left: no process, no cgroup.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
progs=$BUILD/programs

# bounded COMMAND...: in_session, but a guest that no budget ends is
# stopped (SIGTERM, status 143) after 120 s instead of hanging the suite.
bounded() {
	setsid "$@" &
	session=$!
	(sleep 120 && kill -TERM "$session" 2>/dev/null) >/dev/null 2>&1 &
	local watchdog=$!
	wait "$session"
	status=$?
	kill "$watchdog" 2>/dev/null
}

# budget NAME STATUS LINE-REGEX MAX-SECONDS OPTIONS... PROGRAM: runs
# capbox in a session of its own and checks how the budget ended it.
budget() {
	local name=$1 want=$2 line=$3 most=$4
	shift 4
	local t0 t1
	t0=$(date +%s%N)
	bounded "$CAPBOX" run "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	t1=$(date +%s%N)
	expect_eq "$status" "$want" "$name: capbox exits $want"
	expect_match "$(grep -v 'capbox: limit:' "$tmp/err")" "^$line\$" \
		"$name: one line names the budget, its value and the use"
	local ms=$(((t1 - t0) / 1000000))
	[ "$ms" -lt $((most * 1000)) ]
	tap_result $? "$name: ended after $ms ms (bound ${most} s)"
	expect_eq "$(session_left)" 0 "$name: no process of the sandbox is left"
	expect_eq "$(find /sys/fs/cgroup -maxdepth 8 -type d -name "capbox-$session" 2>/dev/null | wc -l)" 0 \
		"$name: no cgroup of the sandbox is left"
}

# Whether this host gives capbox a cgroup for CONTROLLER (as --verbose says).
has_cgroup() {
	"$CAPBOX" run --verbose "$2" "$3" --fd out=stdout "$progs/exit_code" \
		2>&1 >/dev/null </dev/null | grep -q "cgroup v[12] $1 "
}

# Time: three processes of three threads spin; 2 s of wall clock.
budget "time limit" 124 \
	'capbox: time limit 2 s reached \(2\.[0-9]+ s elapsed, [0-9]+ process(es)? running\)' \
	20 --time-limit 2 "$progs/limits_spin"

if has_cgroup cpuacct --cpu-limit 100; then
	# CPU: 2 s of CPU time across the processes and threads; the
	# tolerance is what the 50 ms checks let 9 threads use on the CPUs.
	budget "cpu limit (cgroup)" 123 \
		'capbox: cpu limit 2 s reached \((2\.[0-9]+|3\.[0-4][0-9]*) s used; [0-9]+ process(es)? running\)' \
		30 --cpu-limit 2 "$progs/limits_spin"
else
	tap_skip "cpu limit (cgroup)" "no cpuacct cgroup for capbox here"
fi

if has_cgroup cpu --cpus 1; then
	# A rate: at most half a CPU, so 1 s of CPU takes 2 s of wall clock
	# (a lower bound: a loaded machine only makes it longer).
	t0=$(date +%s%N)
	"$CAPBOX" run --cpus 0.5 --cpu-limit 1 "$progs/limits_spin" >/dev/null 2>"$tmp/err" </dev/null
	expect_eq "$?" 123 "--cpus 0.5: the spinners end by the cpu limit"
	ms=$((($(date +%s%N) - t0) / 1000000))
	[ "$ms" -ge 1700 ]
	tap_result $? "--cpus 0.5: 1 s of CPU took $ms ms of wall clock (at least 1700)"
else
	tap_skip "--cpus" "no cpu cgroup for capbox here"
fi

if has_cgroup memory --memory-limit 64M; then
	budget "memory limit (cgroup)" 122 \
		'capbox: memory limit 64 MiB reached \([0-9.]+ [KM]iB used; the kernel killed [0-9]+ process(es)?\)' \
		30 --memory-limit 64M --fd out=stdout "$progs/limits_hog"
	budget "memory limit (cgroup) with --require-limits" 122 \
		'capbox: memory limit 64 MiB reached .*' \
		30 --require-limits --memory-limit 64M --fd out=stdout "$progs/limits_hog"
else
	tap_skip "memory limit (cgroup)" "no memory cgroup for capbox here"
fi

# A counter the broker cannot read (every read fails, forced here by a
# preloaded library) ends the sandbox with status 125 and one line, rather
# than leave the budget it feeds unchecked (a spinner under a CPU budget
# would otherwise spin until the wall clock's); one it cannot open (as it
# takes the cgroups over, before the guest runs) refuses the sandbox.
# counter_fails HOW CONTROLLER V1-FILE V2-FILE WHAT OPTIONS... PROGRAM:
# HOW is read or open, WHAT the counter as the broker's line names it; the
# cgroup's version is found with the OPTIONS and a program that exits.
counter_fails() {
	local how=$1 controller=$2 v1=$3 v2=$4 what=$5 version file line
	shift 5
	version=$("$CAPBOX" run --verbose "${@:1:$#-1}" "$progs/exit_code" 2>&1 >/dev/null </dev/null |
		sed -n "s/.*cgroup v\([12]\) $controller .*/\1/p" | head -n 1)
	if [ -z "$version" ]; then
		tap_skip "$controller counter: $how fails" "no $controller cgroup for capbox here"
		return
	fi
	file=$([ "$version" = 1 ] && echo "$v1" || echo "$v2")
	local -x LD_PRELOAD=$BUILD/preload/counter_fails.so
	local -x ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
	if [ "$how" = read ]; then
		local -x CAPBOX_TEST_UNREADABLE=$file
		line="capbox: cannot read the sandbox's $what \(Input/output error\): ending it"
	else
		local -x CAPBOX_TEST_UNOPENABLE=$file
		line="capbox: cannot take over the sandbox's cgroups: Permission denied"
	fi
	budget "$file: $how fails" 125 "$line" 20 "$@"
}
for how in read open; do
	counter_fails "$how" cpuacct cpuacct.usage cpu.stat "CPU time" \
		--cpu-limit 100 --time-limit 60 "$progs/limits_spin"
	counter_fails "$how" memory memory.oom_control memory.events "memory kills" \
		--memory-limit 64M "$progs/exit_code"
done

# as_user COMMAND...: COMMAND as an identity that cannot make cgroups.
as_user() {
	# shellcheck disable=SC2086
	$user_prefix "$@"
}

# The weaker forms, where no cgroup can be made: as nobody when we are
# root (an ordinary user is that case already, without delegation).
if [ "$(id -u)" -eq 0 ]; then
	cp "$CAPBOX" "$progs/limits_hog" "$progs/limits_spin" "$tmp/" && chmod 755 "$tmp"/*
	user_prefix="setpriv --reuid=65534 --regid=65534 --clear-groups"
	capbox_user=$tmp/capbox
	dir_user=$tmp
else
	user_prefix=
	capbox_user=$CAPBOX
	dir_user=$progs
fi
if ! as_user "$capbox_user" run --verbose --memory-limit 64M --fd out=stdout \
	--bool until_enomem=true "$dir_user/limits_hog" 2>&1 </dev/null | grep -q 'cgroup v'; then
	as_user "$capbox_user" run --verbose --memory-limit 64M --fd out=stdout \
		--bool until_enomem=true "$dir_user/limits_hog" >"$tmp/out" 2>"$tmp/err" </dev/null
	expect_eq "$?" 0 "memory limit (rlimit): the hog ran until refused and exited"
	mib=$(sed -n 's/^mapped \([0-9]*\) MiB before ENOMEM$/\1/p' "$tmp/out")
	[ -n "$mib" ] && [ "$mib" -lt 64 ]
	tap_result $? "memory limit (rlimit): one process mapped ${mib:-?} MiB, under 64 MiB"
	expect_match "$(cat "$tmp/err")" 'limit: --memory-limit: RLIMIT_AS per process only' \
		"memory limit (rlimit): --verbose says the weaker mechanism"
	as_user "$capbox_user" run --require-limits --memory-limit 64M --fd out=stdout \
		"$dir_user/limits_hog" >"$tmp/out" 2>"$tmp/err" </dev/null
	expect_eq "$?" 125 "--require-limits refuses the rlimit fallback (125)"
	expect_match "$(cat "$tmp/err")" '^capbox: --memory-limit: no memory cgroup \(.*\); --require-limits refuses' \
		"--require-limits says which limit and why"
	# shellcheck disable=SC2086
	bounded $user_prefix "$capbox_user" run --cpu-limit 1 "$dir_user/limits_spin" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	expect_eq "$status" 123 "cpu limit (rlimit): the spinners end with status 123"
	expect_match "$(cat "$tmp/err")" '^capbox: cpu limit 1 s reached' \
		"cpu limit (rlimit): one line names it"
	expect_eq "$(session_left)" 0 "cpu limit (rlimit): no process is left"
else
	tap_skip "memory and cpu limits (rlimit)" "capbox gets a cgroup even as an ordinary user here"
fi

# A file that grows without end stops at exactly --max-file-size (EFBIG).
mkdir "$tmp/files"
"$CAPBOX" run --max-file-size 1M --fd out=stdout --dir-rw dir="$tmp/files" \
	--int limit=1048576 "$progs/limits_grow" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 0 "max file size: the grower got EFBIG at exactly 1 MiB"
cat "$tmp/out"
expect_eq "$(stat -c %s "$tmp/files/grow")" 1048576 "max file size: the file is 1 MiB"

# Bombs (threads, raw forks, memory) and a descriptor flood stay contained
# with budgets set (the pids cgroup joins RLIMIT_NPROC), and nothing lingers.
in_session "$CAPBOX" run --time-limit 300 --cpu-limit 300 --fd out=stdout \
	"$progs/escape_limits" >"$tmp/out" 2>"$tmp/err" </dev/null
cat "$tmp/out"
expect_eq "$status" 0 "bombs and descriptor flood under budgets: contained, the guest exited normally"
expect_eq "$(session_left)" 0 "bombs: no process is left"
expect_eq "$(find /sys/fs/cgroup -maxdepth 8 -type d -name "capbox-$session" 2>/dev/null | wc -l)" 0 \
	"bombs: no cgroup of the sandbox is left"

# Tasks spread over two processes (one forked through the broker), their
# threads and raw forks, all alive at once: together at most 512, whether
# RLIMIT_NPROC on the guest's own identity or a pids cgroup bounds them.
bounded "$CAPBOX" run --time-limit 300 --cpu-limit 300 --fd out=stdout \
	"$progs/escape_nproc_spread" >"$tmp/out" 2>"$tmp/err" </dev/null
cat "$tmp/out"
expect_eq "$status" 0 "tasks spread over processes, threads and raw forks under budgets: 512 at most"
expect_eq "$(session_left)" 0 "tasks spread: no process is left"

# Tasks under budgets: where the guest has an identity of its own (root in
# the initial user namespace), RLIMIT_NPROC bounds this sandbox alone (the
# bombs above stop there) and no pids cgroup is made; elsewhere a pids
# cgroup holds them where the host gives one.
if [ "$(id -u)" -eq 0 ] && [ "$(awk '{print $1, $2, $3}' /proc/self/uid_map)" = "0 0 4294967295" ]; then
	setsid "$CAPBOX" run --verbose --time-limit 1 --cpu-limit 100 --memory-limit 64M \
		"$progs/limits_spin" </dev/null >/dev/null 2>"$tmp/err" &
	run=$!
	made=0
	for _ in $(seq 100); do
		made=$(find /sys/fs/cgroup -maxdepth 8 -type d -name "capbox-$run" 2>/dev/null | wc -l)
		[ "$made" -gt 0 ] && break
		sleep 0.05
	done
	pids_made=$(find /sys/fs/cgroup/pids /sys/fs/cgroup/unified -maxdepth 8 -type d -name "capbox-$run" 2>/dev/null | wc -l)
	wait "$run"
	expect_eq "$?" 124 "tasks with an identity of its own: the spinner ends by the time limit"
	[ "$made" -gt 0 ]
	tap_result $? "tasks with an identity of its own: the other budgets' cgroups were made ($made)"
	expect_eq "$pids_made" 0 "tasks with an identity of its own: no pids cgroup is made"
	expect_match "$(grep 'limit: tasks' "$tmp/err")" \
		"^capbox: limit: tasks 512: RLIMIT_NPROC on the sandbox's own identity: " \
		"tasks with an identity of its own: --verbose names RLIMIT_NPROC"
	# The guest process decides nothing for itself: where its look at
	# its user namespace fails (forced by a preloaded library) it still
	# gives up root as the launcher, which made no pids cgroup, decided,
	# and the bombs stop at RLIMIT_NPROC (the review found them unbounded).
	for prog in escape_limits escape_nproc_spread; do
		LD_PRELOAD=$BUILD/preload/uidmap_fails.so CAPBOX_TEST_UIDMAP_FAILS=1 \
			ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
			bounded "$CAPBOX" run --time-limit 300 --cpu-limit 300 --fd out=stdout \
			"$progs/$prog" >"$tmp/out" 2>"$tmp/err" </dev/null
		cat "$tmp/out"
		expect_eq "$status" 0 "$prog where the guest cannot read its uid map: contained, the guest exited normally"
		expect_eq "$(session_left)" 0 "$prog where the guest cannot read its uid map: no process is left"
	done
	# Root without CAP_SYS_ADMIN (as in a container, capbox-oci's case)
	# forks the broker into a user namespace of its own.  Holding
	# CAP_SETUID and CAP_SETGID the launcher maps the guest's own
	# identity there, which RLIMIT_NPROC binds: no pids cgroup.
	if command -v setpriv >/dev/null; then
		bounded setpriv --bounding-set -sys_admin --inh-caps -sys_admin \
			"$CAPBOX" run --verbose --time-limit 300 --cpu-limit 300 --fd out=stdout \
			"$progs/escape_nproc_spread" >"$tmp/out" 2>"$tmp/err" </dev/null
		cat "$tmp/out"
		expect_eq "$status" 0 "tasks of a guest given its identity in the broker's user namespace: 512 at most"
		expect_match "$(grep 'limit: tasks' "$tmp/err")" \
			"^capbox: limit: tasks 512: RLIMIT_NPROC on the sandbox's own identity: " \
			"tasks of a guest given its identity in the broker's user namespace: RLIMIT_NPROC holds them"
		expect_eq "$(session_left)" 0 "tasks of a guest given its identity in the broker's user namespace: no process is left"
		# Without CAP_SETUID and CAP_SETGID the guest keeps root there
		# (the host's uid 0, which RLIMIT_NPROC does not bind): the pids
		# cgroup must hold its tasks (the review found 3075 alive at once;
		# with no pids hierarchy capbox refuses: escape_limits.sh).
		if [ "$(stat -f -c %T /sys/fs/cgroup/pids 2>/dev/null)" != cgroupfs ] &&
			! grep -qw pids /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
			tap_skip "tasks of a guest that keeps root in the broker's user namespace" "no pids cgroup capbox could make here"
		else
			bounded setpriv --bounding-set -sys_admin,-setuid,-setgid --inh-caps -sys_admin,-setuid,-setgid \
				"$CAPBOX" run --verbose --time-limit 300 --cpu-limit 300 --fd out=stdout \
				"$progs/escape_nproc_spread" >"$tmp/out" 2>"$tmp/err" </dev/null
			cat "$tmp/out"
			expect_eq "$status" 0 "tasks of a guest that keeps root in the broker's user namespace: 512 at most"
			expect_match "$(grep 'limit: tasks' "$tmp/err")" "^capbox: limit: tasks 512: cgroup v[12] pids " \
				"tasks of a guest that keeps root in the broker's user namespace: a pids cgroup holds them"
			expect_eq "$(session_left)" 0 "tasks of a guest that keeps root in the broker's user namespace: no process is left"
		fi
	else
		tap_skip "tasks of a guest that keeps root in the broker's user namespace" "no setpriv to drop CAP_SYS_ADMIN"
	fi
else
	tap_skip "tasks with an identity of its own" "only root in the initial user namespace gives its guests an identity of their own"
fi

# Bad values are refused in capbox's words.
for bad in "--time-limit 0" "--time-limit 2x" "--cpu-limit -1" "--memory-limit 1M" \
	"--memory-limit 99999999T" "--max-file-size 0" "--cpus 0" "--cpu-share 0" \
	"--time-limit 1.0001"; do
	# shellcheck disable=SC2086
	"$CAPBOX" run $bad "$progs/exit_code" >/dev/null 2>"$tmp/err" </dev/null
	expect_eq "$?" 125 "$bad is refused (125)"
	expect_match "$(cat "$tmp/err")" "^capbox: ${bad%% *} .*: expected" "$bad: the message names the option"
done
tap_done
