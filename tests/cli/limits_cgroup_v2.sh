# limits_cgroup_v2.sh: the cgroup v2 path of the budgets, on a host whose controllers are bound to v1: with the v1 hierarchies hidden in a mount namespace of the test's own, --cpu-limit counts every process in a v2 cgroup of the sandbox's own (the first guest process forked into it, removed at the end), and a controller v2 does not delegate is refused under --require-limits.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
progs=$BUILD/programs
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

v2=
for d in /sys/fs/cgroup /sys/fs/cgroup/unified; do
	[ "$(stat -f -c %T "$d" 2>/dev/null)" = cgroup2fs ] && v2=$d && break
done
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
[ "$own" = / ] && own=
if [ "$(id -u)" -ne 0 ]; then
	tap_skip "cgroup v2 budgets" "hiding the v1 hierarchies needs root (a mount namespace over /sys/fs/cgroup)"
	tap_done
	exit
elif [ -z "$v2" ] || [ ! -w "$v2$own" ]; then
	tap_skip "cgroup v2 budgets" "no writable cgroup v2 hierarchy here"
	tap_done
	exit
fi

# hidden COMMAND...: COMMAND in a mount namespace of its own where the v1
# hierarchies of memory and cpuacct are empty folders, bounded in time,
# as the leader of a session (in_session).
hidden() {
	in_session timeout -k 5 60 unshare -m sh -c '
		for c in memory cpuacct; do
			[ -d "/sys/fs/cgroup/$c" ] && mount -t tmpfs none "/sys/fs/cgroup/$c"
		done
		exec "$@"' sh "$@"
}

# The spinners: three processes of three threads, for ever.
hidden "$CAPBOX" run --verbose --require-limits --cpu-limit 1 \
	"$progs/limits_spin" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$status" 123 "cpu limit (cgroup v2): capbox exits 123"
expect_match "$(cat "$tmp/err")" "capbox: limit: cpu 1 s: cgroup v2 cpuacct \\($v2$own/capbox-[0-9]+\\)" \
	"--verbose names the v2 cgroup that holds the CPU time"
expect_match "$(grep -v 'capbox: limit:' "$tmp/err")" \
	'^capbox: cpu limit 1 s reached \([1-9]\.[0-9]+ s used; [0-9]+ process(es)? running\)$' \
	"the one line counts the CPU time of every process (the cgroup's, not RLIMIT_CPU's)"
expect_eq "$(session_left)" 0 "cpu limit (cgroup v2): no process of the sandbox is left"
pid=$(sed -n 's|.*/capbox-\([0-9]*\)).*|\1|p' "$tmp/err" | head -n 1)
expect_eq "$(find "$v2$own" -maxdepth 1 -name "capbox-${pid:-none}" | wc -l)" 0 \
	"cpu limit (cgroup v2): the sandbox's v2 cgroup is removed"

# A plain run: the guest enters the cgroup and leaves it empty.
hidden "$CAPBOX" run --require-limits --cpu-limit 100 --fd out=stdout \
	"$progs/exit_code" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$status" 0 "a program that ends within its cpu limit (cgroup v2) exits 0"

# Memory is bound to v1 here: v2 does not delegate it, and
# --require-limits refuses the rlimit instead.
hidden "$CAPBOX" run --require-limits --memory-limit 64M --fd out=stdout \
	"$progs/exit_code" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$status" 125 "--require-limits refuses a memory limit v2 does not delegate (125)"
expect_match "$(cat "$tmp/err")" "^capbox: --memory-limit: no memory cgroup \\(cgroup v2 does not delegate it to capbox's cgroup" \
	"and says why"
expect_eq "$(session_left)" 0 "the refused sandbox leaves no process"
tap_done
