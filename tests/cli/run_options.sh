# run_options.sh: capbox run's command line as a new user meets it: capbox's own words for bad options, options after PROGRAM, --, --socket with a port chosen by the kernel, --print-grants.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
hello=$BUILD/examples/hello/hello

err=$("$CAPBOX" 2>&1)
expect_match "$err" "^usage: capbox run \[OPTION\]\.\.\. PROGRAM \[CONFIG\]$" "the top usage line names CONFIG"

err=$("$CAPBOX" run --nope "$hello" 2>&1)
expect_eq "$?" 125 "an unknown option is a usage error"
expect_eq "$err" "capbox: unknown option '--nope'
Try 'capbox run --help'." "in capbox's words, not getopt's 'run:'"
err=$("$CAPBOX" run --dir 2>&1)
expect_eq "$err" "capbox: option '--dir' needs a value (see 'capbox run --help')
Try 'capbox run --help'." "an option without its value"
err=$("$CAPBOX" run "$hello" --str a=b 2>&1)
expect_eq "$?" 125 "an option after PROGRAM is a usage error"
expect_eq "$err" "capbox: '--str' comes after PROGRAM: options go before it (capbox run [OPTION]... PROGRAM [CONFIG])" \
	"that says options go before PROGRAM"
err=$("$CAPBOX" run "$hello" a.yaml extra 2>&1)
expect_eq "$err" "capbox: 'extra' comes after CONFIG: expected PROGRAM [CONFIG], then nothing" "a word after CONFIG"
out=$("$CAPBOX" run --fd out=stdout --str name=dashes -- "$hello" 2>&1)
expect_eq "$out" "Hello, dashes!" "-- ends the options"
help=$("$CAPBOX" run --help)
expect_match "$help" "--  +ends the options" "and --help says so"

err=$("$CAPBOX" run --socket s=listen:1 "$hello" 2>&1)
expect_eq "$err" "capbox: --socket s=listen:1: expected bind:ADDRESS or connect:ADDRESS, optionally after stream:, dgram: or seqpacket:" \
	"--socket with a mode it does not know"

# The web server example, granted from the command line alone, on a port
# the kernel chooses: capbox says which, and --print-grants=FILE gives it
# to this script.
"$CAPBOX" run --print-grants="$tmp/grants" --socket listen=bind:127.0.0.1:0 \
	--dir root=examples/webserver/site --fd log=stderr \
	"$BUILD/examples/webserver/webserver" </dev/null 2>"$tmp/err" &
server=$!
eventually test -s "$tmp/grants"
port=$(sed -n 's/^listen: .*, bound to 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$tmp/grants")
expect_match "$port" "^[1-9][0-9]*$" "--print-grants=FILE names the port the kernel chose"
eventually grep -q "listening on" "$tmp/err"
expect_match "$(head -1 "$tmp/err")" "^capbox: --socket listen: 127\.0\.0\.1:0: listening on 127\.0\.0\.1:$port$" \
	"and capbox says it on standard error"
expect_match "$(cat "$tmp/grants")" "^root: fd 1, directory, base [a-z_|]*file_open[a-z_|]*, inheriting [a-z_|]*, from --dir root$" \
	"each grant: name, number, type, rights by name, origin"
if command -v curl >/dev/null; then
	page=$(curl -s --max-time 10 "http://127.0.0.1:$port/hello.txt")
	expect_eq "$page" "$(cat examples/webserver/site/hello.txt)" "the server answers on that port"
else
	tap_skip "fetching from the chosen port" "curl is not installed"
fi
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
server=

err=$("$CAPBOX" run --print-grants --fd out=stdout --str s=x "$hello" 2>&1 >/dev/null)
expect_match "$err" "^out: fd 0, character_device, base [a-z_|]*fd_write[a-z_|]*, inheriting none, from --fd out$" \
	"--print-grants alone writes to standard error (here /dev/null as out), one line, strings left out"
tap_done
