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

flood "under ulimit -n 2200" 2200
if [ "$(id -u)" -eq 0 ]; then
	# Root with CAP_SYS_RESOURCE may raise its own hard limit, and capbox
	# does (fdbudget.c); a container may have taken that capability away.
	if bash -c 'ulimit -n 1024 && ulimit -Hn 4096' 2>/dev/null; then
		flood "as root under ulimit -n 1024" 1024
	else
		tap_skip "as root under ulimit -n 1024" "no CAP_SYS_RESOURCE here"
	fi
	cp "$CAPBOX" "$prog" "$tmp/" && chmod 755 "$tmp/capbox" "$tmp/escape_exhaust"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		bash -c 'ulimit -n 1024 && exec "$@"' - "$tmp/capbox" run \
		--fd out=stdout --dir dir="$tmp/dir" "$tmp/escape_exhaust" \
		>"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	expect_eq "$status" 125 "as nobody under ulimit -n 1024: capbox refuses to start"
	expect_match "$(cat "$tmp/err")" \
		"descriptor limit \(ulimit -Hn\) is 1024; capbox needs at least 2064: .*raise the hard limit" \
		"and says why and what to do"
	expect_eq "$(cat "$tmp/out")" "" "and runs nothing"
else
	tap_skip "root raises its own hard limit" "not root"
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
