# escape_exhaust.sh: guests that fill the broker's descriptor table or its process records get clean refusals, and capbox still ends cleanly, under low descriptor limits too.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
prog=$BUILD/programs/escape_exhaust
mkdir "$tmp/dir"
printf 'real\n' >"$tmp/dir/real"

# flood WHO LIMIT: the flood under `ulimit -n LIMIT` (soft and hard).
flood() {
	local who=$1 limit=$2
	shift 2
	in_session bash -c 'ulimit -n "$1" && shift && exec "$@"' - "$limit" \
		"$CAPBOX" run --fd out=stdout --dir dir="$tmp/dir" "$prog" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	cat "$tmp/out"
	expect_eq "$status" 0 "$who: the main process got its answers and exited 0"
	expect_eq "$(cat "$tmp/err")" "" "$who: capbox printed nothing"
	expect_eq "$(session_left)" 0 "$who: the helpers holding the budget did not outlive capbox"
}

# The least limit capbox accepts, from its refusal below it.
min=$( (ulimit -n 64 && "$CAPBOX" run "$prog" 2>&1 </dev/null) |
	sed -n 's/.*needs at least \([0-9]*\).*/\1/p')
expect_eq "$min" 256 "capbox states the least descriptor limit it runs under"

# Lowering a limit needs no privilege: these run for root and everyone.
flood "under ulimit -n 2200" 2200
flood "under ulimit -n 1024" 1024
flood "under ulimit -n $min" "$min"
in_session bash -c 'ulimit -n "$1" && shift && exec "$@"' - "$((min - 1))" \
	"$CAPBOX" run --fd out=stdout --dir dir="$tmp/dir" "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$status" 125 "under ulimit -n $((min - 1)): capbox refuses to start"
expect_match "$(cat "$tmp/err")" \
	"descriptor limit \(ulimit -Hn\) is $((min - 1)); capbox needs at least $min: .*raise the hard limit" \
	"and says why and what to do"
expect_eq "$(cat "$tmp/out")" "" "and runs nothing"
if [ "$(id -u)" -eq 0 ]; then
	# As an ordinary user (no user namespace privilege beyond the
	# system's, no CAP_SYS_RESOURCE) under ulimit -n 1024.
	cp "$CAPBOX" "$prog" "$tmp/" && chmod 755 "$tmp/capbox" "$tmp/escape_exhaust"
	in_session setpriv --reuid=65534 --regid=65534 --clear-groups \
		bash -c 'ulimit -n 1024 && exec "$@"' - "$tmp/capbox" run \
		--fd out=stdout --dir dir="$tmp/dir" "$tmp/escape_exhaust" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	cat "$tmp/out"
	expect_eq "$status" 0 "as nobody under ulimit -n 1024: the flood ends in clean refusals"
	expect_eq "$(cat "$tmp/err")" "" "as nobody under ulimit -n 1024: capbox printed nothing"
	expect_eq "$(session_left)" 0 "as nobody under ulimit -n 1024: nothing outlives capbox"
else
	tap_skip "as nobody under ulimit -n 1024" "not root (the runs above are this user's)"
fi

# Ended children named by kept process descriptors count as processes.
"$CAPBOX" run --fd out=stdout --str mode=records --max-processes 4 "$prog" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "records: forks beyond the records limit were EAGAIN"

# --max-fds: the budget a user sets, and its bounds.
in_session "$CAPBOX" run --max-fds 300 --fd out=stdout --dir dir="$tmp/dir" \
	"$prog" >"$tmp/out" 2>"$tmp/err" </dev/null
cat "$tmp/out"
expect_eq "$status" 0 "--max-fds 300: the flood stops at the budget a user set"
expect_eq "$(session_left)" 0 "--max-fds 300: nothing outlives capbox"
"$CAPBOX" run --max-fds 99999999 --fd out=stdout "$prog" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 125 "--max-fds beyond what the limit allows is a usage error"
expect_match "$(cat "$tmp/err")" "^capbox: --max-fds 99999999: expected a number from 16 to [0-9]+$" \
	"naming the range the limit allows"
tap_done
