# limits_handoff.sh: the budgets' cgroups reach the sandbox whatever capbox's environment does to its descriptors and cgroup placement, and nothing is left.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
progs=$BUILD/programs

# Whether this host gives capbox a memory cgroup (as --verbose says).
if ! "$CAPBOX" run --verbose --memory-limit 64M "$progs/exit_code" 2>&1 \
	>/dev/null </dev/null | grep -q 'cgroup v[12] memory '; then
	tap_skip "limits handoff" "no memory cgroup for capbox here"
	tap_done
	exit 0
fi

# Standard output or error closed: capbox's own descriptors (the program,
# the handoff's sockets, the report pipe) start lower, at 1 or 2, and the
# launcher must not put its report pipe over a socket it still hands on.
# closed NAME REDIRECTIONS: capbox run with a cgroup-held budget, its
# descriptors redirected (in a shell of its own) as given.
closed() {
	: >"$tmp/err"
	in_session sh -c "exec \"\$0\" run --memory-limit 64M --cpu-limit 100 \"\$1\" $2" \
		"$CAPBOX" "$progs/exit_code" </dev/null 2>"$tmp/err"
	expect_eq "$status" 0 "$1 closed: the guest runs in its cgroups and exits 0"
	expect_eq "$(cat "$tmp/err")" "" "$1 closed: capbox printed nothing"
	expect_eq "$(find /sys/fs/cgroup -maxdepth 8 -type d -name "capbox-$session" 2>/dev/null | wc -l)" 0 \
		"$1 closed: no cgroup of the sandbox is left"
}
closed "standard output" ">&-"
closed "standard error" "2>&-"
closed "standard output and error" ">&- 2>&-"
tap_done
