# stdin_pipe.sh: a program reads its standard input through a pipe to the end (a pipe is a socket_stream, as natively, but takes no recvmsg).
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
copy=$BUILD/programs/copy_in

out=$(printf 'through a pipe\n' | "$CAPBOX" run --fd in=stdin --fd out=stdout "$copy" 2>&1)
expect_eq "$?" 0 "a program reading a pipe to its end exits 0"
expect_eq "$out" "through a pipe" "and gets every byte"

# Many reads, with the writer slower than the reader: each read waits.
python3 -c 'import sys
for i in range(2000): sys.stdout.write("%06d\n" % i)' >"$tmp/want"
{ head -c 5000 "$tmp/want"; sleep 0.2; tail -c +5001 "$tmp/want"; } |
	"$CAPBOX" run --fd in=stdin --fd out=stdout "$copy" >"$tmp/got" 2>"$tmp/err"
expect_eq "$?" 0 "14 KB through a pipe, in two bursts"
cmp -s "$tmp/want" "$tmp/got"
tap_result $? "arrive whole and in order"
expect_eq "$(cat "$tmp/err")" "" "with nothing on standard error"
# sock_recv on a pipe is not fd_read: it stays ENOTSOCK (upstream's
# recv_test.c "Not a socket").
out=$(printf 'x' | "$CAPBOX" run --fd in=stdin --fd out=stdout --bool recv=true "$copy" 2>&1)
expect_eq "$out" "sock_recv: ENOTSOCK" "sock_recv on a pipe is ENOTSOCK, as natively"
tap_done
