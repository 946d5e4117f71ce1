# fd_layout.sh: under low descriptor limits (ulimit -n 1024 and 256, hard and soft) the guest's layout scales: exec, fork, threads, sockets and fetched files work as under a high limit, and a program gets as many descriptors as the layout gives.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# guest LIMIT NAME: the guest test NAME (tests/guest/NAME.c, with the
# grants its capbox-test-args comment asks for) under ulimit -n LIMIT.
guest() {
	local limit=$1 name=$2 args scratch
	args=$(sed -n 's|.*capbox-test-args: *\(.*\) \*/.*|\1|p' "tests/guest/$name.c" | head -1)
	scratch=$(mktemp -d "$tmp/scratch.XXXXXX")
	args=${args//@SCRATCH@/$scratch}
	args=${args//@SRCDIR@/$PWD}
	args=${args//@BUILD@/$BUILD}
	# shellcheck disable=SC2086 # the grants are words on purpose
	(ulimit -n "$limit" && exec "$CAPBOX" run --fd out=stdout $args \
		"$BUILD/guest/$name") >"$tmp/out" 2>"$tmp/err" </dev/null
	local status=$?
	expect_eq "$status" 0 "ulimit -n $limit: guest/$name exits 0"
	expect_match "$(cat "$tmp/out")" "# [1-9][0-9]* assertions, 0 failed" \
		"ulimit -n $limit: guest/$name: every assertion holds"
}

# grants_at_most LIMIT: the most grants one program may have under ulimit
# -n LIMIT, from capbox's refusal of 1,100.
grants_at_most() {
	(ulimit -n "$1" && "$CAPBOX" run "$BUILD/guest/hello-separate" \
		tests/configs/bad/too-many-grants.yaml 2>&1 </dev/null) |
		sed -n 's/.*too many descriptors for one program (at most \([0-9]*\)).*/\1/p'
}

# G = min(1024, (N - 8 - N/4) / 2), N = min(limit, 3073): src/broker/fdbudget.h.
expect_eq "$(grants_at_most 4096)" 1024 "ulimit -n 4096: 1024 descriptors per process, as always"
expect_eq "$(grants_at_most 1024)" 380 "ulimit -n 1024: 380 descriptors per process"
expect_eq "$(grants_at_most 256)" 92 "ulimit -n 256: 92 descriptors per process"

# proc_exec re-executes the shim at the layout's number (the filter's one
# numbered rule), forks take the layout's channel, threads and received
# descriptors live above the private numbers.
for name in proc_exec proc_fork thread_basic sock_data fd_waiting; do
	guest 1024 "$name"
done
# Under 256 the sandbox's budget (92) stops thread_basic's 255 threads
# at about 90 (ENFILE: each thread's channel is one of the budget's).
for name in proc_exec proc_fork sock_data fd_waiting; do
	guest 256 "$name"
done
tap_done
