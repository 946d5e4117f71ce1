# tap.sh: TAP-style assertions for shell tests (sourced; see tests/run).
tap_count=0
tap_failures=0

# ok CONDITION-STATUS DESCRIPTION: records the result of the last command.
tap_result() {
	local status=$1
	shift
	tap_count=$((tap_count + 1))
	if [ "$status" -eq 0 ]; then
		echo "ok $tap_count - $*"
	else
		tap_failures=$((tap_failures + 1))
		echo "not ok $tap_count - $*"
	fi
}

# expect_eq GOT WANT DESCRIPTION
expect_eq() {
	local got=$1 want=$2
	shift 2
	[ "$got" = "$want" ]
	tap_result $? "$*"
	[ "$got" = "$want" ] || printf '#   got:  %q\n#   want: %q\n' "$got" "$want"
}

# expect_match TEXT REGEX DESCRIPTION
expect_match() {
	local text=$1 re=$2
	shift 2
	if printf '%s' "$text" | grep -qE -- "$re"; then
		tap_result 0 "$*"
	else
		tap_result 1 "$*"
		printf '#   text: %q\n#   does not match: %s\n' "$text" "$re"
	fi
}

tap_skip() {
	tap_count=$((tap_count + 1))
	echo "skip $tap_count - $1 # $2"
}

tap_done() {
	echo "# $tap_count assertions, $tap_failures failed"
	[ "$tap_failures" -eq 0 ] && [ "$tap_count" -gt 0 ]
}

# in_session COMMAND...: runs COMMAND (with the caller's redirections) as
# the leader of a new session, sets $status to its exit status and
# $session to the session id, so that session_left can count what it left
# behind: every process it started, however forked, stays in that session.
in_session() {
	setsid "$@" &
	session=$!
	wait "$session"
	status=$?
}

# session_left: processes of the last in_session run still alive (a
# moment's grace for the kernel to finish tearing them down).
session_left() {
	local n
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		n=$(pgrep -c -s "$session")
		[ "$n" -eq 0 ] && break
		sleep 0.05
	done
	echo "$n"
}

# sandbox_broker LAUNCHER: the broker of a running `capbox run` whose pid
# is LAUNCHER: its only child, pid 1 of the sandbox's pid namespace.
sandbox_broker() {
	pgrep -P "$1" | head -n 1
}

# sandbox_pidns LAUNCHER: the pid namespace of that sandbox's processes
# (the broker's own).
sandbox_pidns() {
	readlink "/proc/$(sandbox_broker "$1")/ns/pid"
}

# pidns_members NS: how many processes of the host live in pid namespace NS
# (a scan of /proc from outside; zombies count: they are not gone yet).
pidns_members() {
	local n=0 p
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$1" ] && n=$((n + 1))
	done
	echo "$n"
}

# pidns_empty NS: true when no process lives in pid namespace NS.
pidns_empty() {
	[ "$(pidns_members "$1")" -eq 0 ]
}

# stats_value FILE NAME: the number after NAME in the "capbox: stats:" line
# that capbox run --stats wrote to FILE (empty if there is none).
stats_value() {
	grep 'capbox: stats:' "$1" | sed -n "s/.*$2 \([0-9]*\).*/\1/p"
}

# eventually COMMAND...: runs COMMAND every 0.05 s until it succeeds, for
# 10 s at most (a bound for a stuck test, not a timing requirement).
eventually() {
	for _ in $(seq 200); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}
