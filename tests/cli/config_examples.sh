# config_examples.sh: the examples run from their own YAML configs: hello, the word counter, the static-file web server.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
server=
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

out=$(examples/hello/run "$BUILD" 2>&1 </dev/null)
expect_eq "$?" 0 "hello example: exits 0"
expect_match "$out" "^Hello, capbox!$" "hello example: greets from its YAML"

# Word counter over a read-only directory.
out=$("$CAPBOX" run "$BUILD/examples/wordcount/wordcount" examples/wordcount/wordcount.yaml 2>&1 </dev/null)
status=$?
if printf '%s' "$out" | grep -q ': ENOSYS$'; then
	tap_skip "word counter" "$(printf '%s' "$out" | grep ENOSYS | head -1) (not implemented yet)"
else
	expect_eq "$status" 0 "wordcount: exits 0"
	expect_eq "$(printf '%s\n' "$out" | sort)" "$(printf '%s\n' "2 9 44 fox.txt" "3 11 73 capbox.txt" "5 20 117 total" | sort)" "wordcount: counts every file of its directory"
fi

# Static-file web server: a listening socket and a read-only directory.
if ! command -v curl >/dev/null; then
	tap_skip "web server" "curl is not installed (tools/install-deps)"
	tap_done
	exit
fi
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sed "s/127.0.0.1:8080/127.0.0.1:$port/" examples/webserver/webserver.yaml >"$tmp/web.yaml"
"$CAPBOX" run "$BUILD/examples/webserver/webserver" "$tmp/web.yaml" </dev/null 2>"$tmp/log" &
server=$!
# capbox binds and listens before the guest starts: wait for the port.
hexport=$(printf '%04X' "$port")
for _ in $(seq 100); do
	grep -q ":$hexport [0-9A-F:]* 0A " /proc/net/tcp && break
	kill -0 "$server" 2>/dev/null || break
	sleep 0.05
done
fetch() { curl -s --max-time 10 --path-as-is -o "$tmp/body" -w '%{http_code}' "http://127.0.0.1:$port$1"; }
code=$(fetch /hello.txt)
if grep -q 'ENOSYS' "$tmp/log"; then
	tap_skip "web server" "$(grep ENOSYS "$tmp/log" | head -1) (not implemented yet)"
else
	expect_eq "$code" 200 "webserver: GET /hello.txt is 200"
	expect_eq "$(cat "$tmp/body")" "hello from the sandbox" "webserver: serves the file's bytes"
	code=$(fetch /)
	expect_eq "$code" 200 "webserver: GET / serves index.html"
	expect_match "$(cat "$tmp/body")" "Served by a CloudABI program" "webserver: index.html's content"
	code=$(fetch /missing.txt)
	expect_eq "$code" 404 "webserver: a missing file is 404"
	code=$(fetch /../../etc/passwd)
	case $code in 403 | 404) r=0 ;; *) r=1 ;; esac
	tap_result $r "webserver: /../../etc/passwd fails ($code): the sandbox holds only the site directory"
	case $(cat "$tmp/body") in *root:*) r=1 ;; *) r=0 ;; esac
	tap_result $r "webserver: and no byte of /etc/passwd is sent"
	code=$(fetch /%2e%2e/%2e%2e/etc/passwd)
	case $code in 403 | 404) r=0 ;; *) r=1 ;; esac
	tap_result $r "webserver: an encoded escape fails too ($code)"
fi
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
server=
tap_done
