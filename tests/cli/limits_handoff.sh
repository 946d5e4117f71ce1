# limits_handoff.sh: the budgets' cgroups reach the sandbox whatever capbox's environment does to its descriptors and cgroup placement, and nothing is left.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
cg=/sys/fs/cgroup
made=() # cgroups of this test, removed at its end
cleanup() {
	local dir
	for dir in "${made[@]}"; do
		# Deeper than PATH_MAX as a whole: removed step by step.
		python3 - "$dir" <<'PY' 2>/dev/null
import os, sys
def rm(at, name):
    fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=at)
    for e in os.scandir(fd):
        if e.is_dir(follow_symlinks=False):
            rm(fd, e.name)
    os.close(fd)
    os.rmdir(name, dir_fd=at)
if os.path.isdir(sys.argv[1]):
    rm(None, sys.argv[1])
PY
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
progs=$BUILD/programs

# Whether this host gives capbox a memory cgroup (as --verbose says).
if ! "$CAPBOX" run --verbose --memory-limit 64M "$progs/exit_code" 2>&1 \
	>/dev/null </dev/null | grep -q 'cgroup v[12] memory '; then
	tap_skip "limits handoff" "no memory cgroup for capbox here"
	tap_done
	exit 0
fi

# A standard descriptor closed: capbox's own (the program, the handoff's
# sockets, the report pipe) would start lower, and the launcher put its
# report pipe over a socket it still had to hand on.
# closed NAME OPTIONS REDIRECTIONS: capbox run with a cgroup-held budget
# and OPTIONS, its descriptors redirected (in a shell of its own) as given.
closed() {
	: >"$tmp/err"
	in_session sh -c "exec \"\$0\" run --memory-limit 64M --cpu-limit 100 $2 \"\$1\" $3" \
		"$CAPBOX" "$progs/exit_code" </dev/null 2>"$tmp/err"
	expect_eq "$status" 0 "$1 closed: the guest runs in its cgroups and exits 0"
	expect_eq "$(cat "$tmp/err")" "" "$1 closed: capbox printed nothing"
	expect_eq "$(find /sys/fs/cgroup -maxdepth 8 -type d -name "capbox-$session" 2>/dev/null | wc -l)" 0 \
		"$1 closed: no cgroup of the sandbox is left"
}
closed "standard output" "" ">&-"
closed "standard error" "" "2>&-"
closed "standard output and error" "" ">&- 2>&-"
# capbox's own lines (--verbose) do not go into a descriptor of its own
# that took a closed one's number, nor is a closed standard input read.
closed "standard output and error, with --verbose," --verbose ">&- 2>&-"
closed "standard input" "" "<&-"

# The launcher keeps only the report pipe and the handoff's own ends, and
# closes everything else itself (src/broker/pidns.c): limits_make must not
# close the receivers' ends again (a reused number would be another file).
if ! command -v strace >/dev/null; then
	tap_skip "the launcher closes no descriptor twice" "strace is not installed (tools/install-deps test installs it)"
else
	# LeakSanitizer refuses to run under ptrace (the sanitizer build).
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -qq -e trace=close -e status=failed -o "$tmp/strace" \
		sh -c 'echo $$ >"$0"; exec "$@"' "$tmp/launcher" \
		"$CAPBOX" run --memory-limit 64M --cpu-limit 100 "$progs/exit_code" \
		</dev/null >/dev/null 2>"$tmp/err"
	expect_eq "$?" 0 "under strace: the guest runs in its cgroups and exits 0"
	expect_eq "$(grep -c "^$(cat "$tmp/launcher") .*EBADF" "$tmp/strace")" 0 \
		"the launcher closes no descriptor it no longer has (EBADF)"
fi

# The first guest process ends before the cgroups reach it (here: it
# cannot give up root, forced by a preloaded library): capbox says why that
# process did not start, not that the handoff found no receiver, and
# leaves nothing.
# Only root in the initial user namespace gives its guests an identity of
# their own (src/confine/confine_identity.c), so only there does the
# forced failure happen.
if [ "$(id -u)" -ne 0 ] || [ "$(awk '{print $1, $2, $3}' /proc/self/uid_map)" != "0 0 4294967295" ]; then
	tap_skip "a guest that fails before the handoff" "only root in the initial user namespace gives its guests an identity of their own"
else
	: >"$tmp/err"
	LD_PRELOAD=$BUILD/preload/identity_fails.so CAPBOX_TEST_IDENTITY_FAILS=1 \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		in_session "$CAPBOX" run --memory-limit 64M --cpu-limit 100 "$progs/exit_code" \
		</dev/null >/dev/null 2>"$tmp/err"
	expect_eq "$status" 125 "a guest that fails before the handoff: capbox exits 125"
	expect_eq "$(cat "$tmp/err")" "capbox: cannot start the guest process: Operation not permitted" \
		"a guest that fails before the handoff: the one line says why it did not start"
	expect_eq "$(session_left)" 0 "a guest that fails before the handoff: no process is left"
	expect_eq "$(find /sys/fs/cgroup -maxdepth 8 -type d -name "capbox-$session" 2>/dev/null | wc -l)" 0 \
		"a guest that fails before the handoff: no cgroup of the sandbox is left"
fi

# A process put into the sandbox's cgroup from outside (here by the test,
# as root) counts against its budgets and goes with it: the cgroup, which
# the kernel will not remove while populated, is emptied (SIGKILL to each
# process still listed, through a pidfd) and removed when the sandbox ends.
cpu_cg() { find "$cg/cpuacct" -maxdepth 8 -type d -name "capbox-$1" 2>/dev/null | head -n 1; }
if [ "$(id -u)" -ne 0 ] || [ "$(stat -f -c %T "$cg/cpuacct" 2>/dev/null)" != cgroupfs ]; then
	tap_skip "a process moved into the sandbox's cgroup" "needs root and a v1 cpuacct hierarchy"
else
	setsid "$CAPBOX" run --time-limit 1 --cpu-limit 100 "$progs/limits_spin" \
		</dev/null >/dev/null 2>"$tmp/err" &
	run=$!
	dir=""
	for _ in $(seq 100); do
		dir=$(cpu_cg "$run")
		[ -n "$dir" ] && break
		sleep 0.05
	done
	sleep 300 &
	outsider=$!
	[ -n "$dir" ] && echo "$outsider" >"$dir/cgroup.procs"
	expect_eq "$(grep -c "^$outsider\$" "${dir:-/nonexistent}/cgroup.procs" 2>/dev/null)" 1 \
		"a process moved into the sandbox's cpuacct cgroup from outside is there"
	wait "$run"
	expect_eq "$?" 124 "with it there, the sandbox ends by its time limit (124)"
	dead=1
	for _ in $(seq 40); do
		kill -0 "$outsider" 2>/dev/null || { dead=0; break; }
		sleep 0.05
	done
	tap_result "$dead" "the process moved into the sandbox's cgroup was killed with the sandbox"
	expect_eq "$(cpu_cg "$run")" "" "the cgroup it was in is removed"
	kill -9 "$outsider" 2>/dev/null
	wait "$outsider" 2>/dev/null
	# What a failure above left, so that it stays the only failure.
	left=$(cpu_cg "$run")
	[ -z "$left" ] || rmdir "$left"
fi

# A /proc/self/cgroup longer than capbox reads (an environment that placed
# capbox deep in other hierarchies): the memory line, cut after a prefix of
# capbox's own cgroup that names an existing cgroup (its parent), must not
# make the sandbox's cgroup there, outside capbox's own (and its limit).
mem_line=$(grep -n '^[0-9]*:memory:' /proc/self/cgroup | head -1) # N:ID:memory:PATH
mem_own=${mem_line#*:*:memory:}
mem_id=${mem_line#*:}
mem_id=${mem_id%%:*}
pads=()
if [ -n "$mem_line" ] && [ "$(stat -f -c %T "$cg/memory" 2>/dev/null)" = cgroupfs ]; then
	# Hierarchies listed before the memory line that capbox does not use.
	while IFS=: read -r _ list _; do
		case $list in
		blkio | freezer | devices | net_cls | perf_event | hugetlb | net_prio | rdma | misc)
			[ "$(stat -f -c %T "$cg/$list" 2>/dev/null)" = cgroupfs ] &&
				[ -z "$(sed -n "s/^[0-9]*:$list://p" /proc/self/cgroup | tr -d /)" ] &&
				pads+=("$list")
			;;
		esac
	done < <(head -n "$((${mem_line%%:*} - 1))" /proc/self/cgroup)
fi
# deep_path HIERARCHY LENGTH: makes a cgroup whose path in HIERARCHY is
# LENGTH characters long; prints that path.
deep_path() {
	local p="/capbox-handoff-$$" rest
	while [ $(($2 - ${#p})) -gt 250 ]; do
		p="$p/$(printf '%200s' '' | tr ' ' x)"
	done
	rest=$(($2 - ${#p} - 1))
	p="$p/$(printf "%${rest}s" '' | tr ' ' y)"
	mkdir -p "$cg/$1$p" && printf '%s' "$p"
}
if [ "${#pads[@]}" -lt 3 ] || [ "${mem_own#/}" = "$mem_own" ]; then
	tap_skip "a long /proc/self/cgroup" "no three v1 hierarchies listed before memory to pad it with here"
else
	parent="$mem_own/capbox-handoff-$$"
	own="$parent/own"
	made+=("$cg/memory$parent")
	for h in "${pads[@]}"; do
		made+=("$cg/$h/capbox-handoff-$$")
	done
	mkdir -p "$cg/memory$own"
	# placed LAST-PAD-LENGTH COMMAND...: COMMAND in the memory cgroup
	# $own and in each padding hierarchy at a path of 2700 characters
	# (the last one's as given).
	placed() {
		local last=$1 args=() h n=0
		shift
		for h in "${pads[@]:0:3}"; do
			n=$((n + 1))
			args+=("$cg/$h$(deep_path "$h" "$([ "$n" -eq 3 ] && echo "$last" || echo 2700)")")
		done
		sh -c 'for dir; do [ "$dir" = -- ] && break; echo $$ >"$dir/cgroup.procs" || exit 99; shift; done; shift; exec "$@"' \
			sh "$cg/memory$own" "${args[@]}" -- "$@"
	}
	text=$(placed 2700 cat /proc/self/cgroup)
	before=${text%%"$mem_id:memory:"*}
	# capbox reads 8191 characters: cut the memory line right after $parent.
	cut="$mem_id:memory:$parent"
	last=$((2700 + 8191 - ${#before} - ${#cut}))
	if [ "$last" -lt 300 ] || [ "$last" -gt 3800 ]; then
		tap_skip "a long /proc/self/cgroup" "the padding does not fit ($last)"
	else
		expect_eq "$(placed "$last" cat /proc/self/cgroup | head -c 8191 | tail -c "${#cut}")" "$cut" \
			"the first 8191 characters of the long /proc/self/cgroup end with the parent of capbox's memory cgroup"
		placed "$last" "$CAPBOX" run --verbose --memory-limit 64M "$progs/exit_code" \
			>/dev/null 2>"$tmp/err" </dev/null
		expect_eq "$?" 0 "a long /proc/self/cgroup: the guest runs and exits 0"
		where=$(sed -n 's/^capbox: limit: memory 64 MiB: cgroup v1 memory (\([^)]*\)).*/\1/p' "$tmp/err")
		case $where in
		"" | "$cg/memory$own"/*) true ;;
		*) false ;;
		esac
		tap_result $? "a long /proc/self/cgroup: the sandbox's memory cgroup (${where:-none}) is not made outside capbox's own"
	fi
fi
# capbox in a cgroup namespace of its own whose cgroup mounts were made
# outside it (unshare -C, no new mount): /proc/self/cgroup says "/" in
# each hierarchy, the mounts show the whole hierarchy, and "/" there is
# its root, outside capbox's own cgroup (and any limit put on it).  Each
# cgroup of the sandbox is made under capbox's own, or not at all (the
# weaker form, refused under --require-limits).
inner=() # capbox's own cgroup in each hierarchy, for this case
for dir in "$cg/memory" "$cg/pids" "$cg/cpu" "$cg/cpuacct" "$cg/unified" "$cg"; do
	case $(stat -f -c %T "$dir" 2>/dev/null) in
	cgroupfs) # its line names it in a comma list
		h=${dir##*/}
		own_h=$(sed -n "s/^[0-9]*:\([^:]*,\)\{0,1\}$h\(,[^:]*\)\{0,1\}:\(.*\)/\3/p" /proc/self/cgroup | head -n 1)
		;;
	cgroup2fs) own_h=$(sed -n 's/^0:://p' /proc/self/cgroup) ;;
	*) continue ;;
	esac
	[ "$own_h" = / ] && own_h=
	made+=("$dir$own_h/capbox-ns-$$")
	mkdir -p "$dir$own_h/capbox-ns-$$/own" 2>/dev/null && inner+=("$dir$own_h/capbox-ns-$$/own")
done
if [ "$(id -u)" -ne 0 ] || ! unshare -C true 2>/dev/null || [ "${#inner[@]}" -eq 0 ]; then
	tap_skip "a cgroup namespace over outer mounts" "needs root, unshare -C and a cgroup hierarchy"
else
	# in_ns COMMAND...: COMMAND in every inner cgroup, then in a cgroup
	# namespace of its own.
	in_ns() {
		sh -c 'for dir; do [ "$dir" = -- ] && break; echo $$ >"$dir/cgroup.procs" || exit 99; shift; done; shift; exec unshare -C "$@"' \
			sh "${inner[@]}" -- "$@"
	}
	expect_eq "$(in_ns sed -n 's/^[0-9]*:memory://p' /proc/self/cgroup)" "$(
		[ "$(stat -f -c %T "$cg/memory" 2>/dev/null)" = cgroupfs ] && echo /)" \
		"in the cgroup namespace, /proc/self/cgroup names the namespace's root"
	in_ns "$CAPBOX" run --verbose --memory-limit 64M --cpu-limit 100 \
		--cpus 1 "$progs/exit_code" >/dev/null 2>"$tmp/err" </dev/null
	status=$?
	where=$(sed -n 's/^capbox: limit: .*: cgroup v[12] [a-z]* (\([^)]*\)).*/\1/p' "$tmp/err")
	outside=
	for p in $where; do
		ok=
		for dir in "${inner[@]}"; do
			case $p in "$dir"/*) ok=1 ;; esac
		done
		[ -n "$ok" ] || outside="$outside $p"
	done
	expect_eq "${outside:-none}" none \
		"a cgroup namespace over outer mounts: no cgroup of the sandbox is made outside capbox's own (status $status)"
	in_ns "$CAPBOX" run --require-limits --memory-limit 64M \
		"$progs/exit_code" >/dev/null 2>"$tmp/err" </dev/null
	expect_eq "$?" 125 "a cgroup namespace over outer mounts: --require-limits refuses the rlimit"
	expect_match "$(cat "$tmp/err")" \
		"^capbox: --memory-limit: no memory cgroup \\(capbox's own cgroup is not where /proc/self/cgroup says" \
		"and says why"
fi
tap_done
