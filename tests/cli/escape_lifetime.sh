# escape_lifetime.sh: guest processes cloned behind the broker's back (zombie leaders with live threads, chains, stopped processes, a broker starved of descriptors, a killed broker or launcher) do not outlive the sandbox, checked from outside.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
prog=$BUILD/programs/escape_lifetime
session=
# On a capbox that lets them live, the survivors are this test's own:
# end them by pid.
end_survivors() {
	[ -n "$session" ] || return 0
	for p in $(pgrep -s "$session"); do kill -9 "$p" 2>/dev/null; done
}
trap 'end_survivors; rm -rf "$tmp"' EXIT
host_ns=$(readlink /proc/self/ns/pid)

# The lowest descriptor limit capbox accepts (it says so when refusing).
fd_min=$( (ulimit -n 64 && "$CAPBOX" run "$prog" 2>&1 </dev/null) |
	sed -n 's/.*needs at least \([0-9]*\).*/\1/p')
expect_match "$fd_min" '^[0-9]+$' "capbox states the least descriptor limit it accepts"

# file_users: how many descriptors of any process on the host name the
# granted file (a scan of /proc/*/fd from outside).
file_users() {
	find /proc/[0-9]*/fd -maxdepth 1 -lname "$tmp/counter" 2>/dev/null |
		wc -l
}

count() { od -An -tu8 -N8 "$tmp/counter" | tr -d ' '; }
writing() { [ "$(count)" -gt 0 ]; }
# Byte 8 + i: forked child i was refused a descriptor (tests/programs/escape_lifetime.c).
starved() { [ "$(od -An -tu1 -j8 -N1 "$tmp/counter" | tr -d ' ')" != 0 ] &&
	[ "$(od -An -tu1 -j9 -N1 "$tmp/counter" | tr -d ' ')" != 0 ]; }

# attack NAME ENDING STATUS [ulimit|ulimit=N] ARG...: runs the program with
# ARGs (capbox options) in a session of its own, under `ulimit -n` (soft and
# hard) N or the least limit capbox accepts; once it writes, records the
# sandbox's pid namespace and ends the sandbox: ENDING is "exit" (the main
# process exits), or "SIG capbox|broker" (SIG sent to capbox or to the
# broker, pid 1 of the namespace).  Then nothing of the sandbox may live.
attack() {
	local name=$1 ending=$2 want=$3 limit=
	shift 3
	case $1 in
	ulimit) limit=$fd_min && shift ;;
	ulimit=*) limit=${1#ulimit=} && shift ;;
	esac
	rm -f "$tmp/counter"
	truncate -s 16 "$tmp/counter"
	(
		[ -z "$limit" ] || ulimit -n "$limit"
		exec setsid "$CAPBOX" run --file-rw counter="$tmp/counter" "$@" "$prog"
	) >"$tmp/out" 2>"$tmp/err" </dev/null &
	session=$!
	eventually writing
	tap_result $? "$name: the would-be survivor runs"
	[ "$(file_users)" -gt 0 ]
	tap_result $? "$name: the granted file is in use (seen from outside)"
	local ns
	ns=$(sandbox_pidns "$session")
	[ -n "$ns" ] && [ "$ns" != "$host_ns" ]
	tap_result $? "$name: the sandbox has a pid namespace of its own"
	case " $* " in *" --dir "*)
		eventually starved
		tap_result $? "$name: the broker refused the forked children descriptors"
	esac
	case $ending in
	exit) printf '\001' | dd of="$tmp/counter" bs=1 seek=15 conv=notrunc status=none ;;
	*" capbox") kill -s "${ending% *}" "$session" ;;
	*" broker") kill -s "${ending% *}" "$(sandbox_broker "$session")" ;;
	esac
	wait "$session"
	expect_eq "$?" "$want" "$name: capbox ends with status $want"
	eventually pidns_empty "$ns"
	tap_result $? "$name: no process is left in the sandbox's pid namespace"
	expect_eq "$(session_left)" 0 "$name: nothing capbox started is alive"
	expect_eq "$(file_users)" 0 "$name: no process holds the granted file"
	local before
	before=$(count)
	sleep 0.2
	expect_eq "$(count)" "$before" "$name: the granted file stopped changing"
	end_survivors
	session=
}

# Issue 12, finding 1: a raw clone starts a thread and its main thread
# exits; the zombie leader's thread writes on.
attack "zombie leader" exit 0 --str writer=zombie
# Finding 2: forked children fill the broker's descriptors (the lowest
# ulimit -n capbox accepts), a raw clone writes, capbox gets SIGTERM.
attack "starved broker, SIGTERM" "TERM capbox" 143 ulimit \
	--dir dir="$tmp" --str writer=plain --str then=block
attack "starved broker, main exits" exit 0 ulimit \
	--dir dir="$tmp" --str writer=zombie
# The zombie leader's thread blocks in a futex instead.
attack "zombie leader in a futex" exit 0 --str writer=futex
# Raw clones three deep, each parent exiting at once.
attack "raw clone chain" exit 0 --str writer=chain
# Stopped processes: forked children that start a zombie leader each and
# stop themselves (proc_raise SIGSTOP).
attack "stopped children, SIGTERM" "TERM capbox" 143 \
	--str writer=zombie --int forks=2 --bool stop=true --str then=block
# The broker, or the launcher, killed under raw clones and forks.
attack "SIGKILL to the broker" "KILL broker" 125 \
	--str writer=plain --int clones=2 --int forks=2 --str then=block
attack "SIGKILL to capbox" "KILL capbox" 137 \
	--str writer=zombie --int clones=2 --int forks=2 --str then=block
attack "starved broker, SIGKILL to the broker" "KILL broker" 125 ulimit \
	--dir dir="$tmp" --str writer=zombie --str then=block
# The whole mix under ulimit -n 1024 (soft and hard; lowering needs no
# privilege): raw clones, a zombie leader with a live thread, forked
# children that fill the broker's table; the main process exits, capbox
# gets SIGTERM, the broker gets SIGKILL.
mix="--dir dir=$tmp --str writer=zombie --int clones=2"
# shellcheck disable=SC2086 # $mix is words on purpose
attack "ulimit -n 1024 mix, main exits" exit 0 ulimit=1024 $mix
# shellcheck disable=SC2086
attack "ulimit -n 1024 mix, SIGTERM" "TERM capbox" 143 ulimit=1024 $mix \
	--str then=block
# shellcheck disable=SC2086
attack "ulimit -n 1024 mix, SIGKILL to the broker" "KILL broker" 125 \
	ulimit=1024 $mix --str then=block
tap_done
