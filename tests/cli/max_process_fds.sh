# max_process_fds.sh: --max-process-fds N bounds each process's descriptor table: its N-th descriptor is EMFILE, fork included, and options that granted more before it are refused.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The guest's own test of a full table, with a table of 40 (it knows
# the size from `limit`; with the default table it would open 1024).
"$CAPBOX" run --max-process-fds 40 --fd out=stdout --dir-rw dir="$tmp" \
	--int limit=40 "$BUILD/guest/fd_table_full" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
sed 's/^/#   /' "$tmp/out"
expect_eq "$status" 0 "--max-process-fds 40: the guest's table-full test passes with a table of 40"
expect_eq "$(grep -c '^not ok' "$tmp/out")" 0 "--max-process-fds 40: no check of the guest failed"
expect_match "$(cat "$tmp/out")" "after (3[3-9]|40) opens \\(a table of 40\\)" "--max-process-fds 40: EMFILE came after at most 40 descriptors"
"$CAPBOX" run --explain-denials --max-process-fds 40 --fd out=stdout \
	--dir-rw dir="$tmp" --int limit=40 "$BUILD/guest/fd_table_full" \
	2>"$tmp/err" >/dev/null </dev/null
expect_match "$(cat "$tmp/err")" "file_open: the process's descriptor table is full \\(40 descriptors\\)" "--explain-denials names the table's size, 40"

# Without the option the same guest, told 40, finds a bigger table.
"$CAPBOX" run --fd out=stdout --dir-rw dir="$tmp" --int limit=40 \
	"$BUILD/guest/fd_table_full" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_match "$(cat "$tmp/out")" "not ok 2 - file_open until the table is full: EMFILE" "without it the table is larger (the guest's 41st open is not EMFILE)"

# Bounds and order.
"$CAPBOX" run --max-process-fds 15 --fd out=stdout "$BUILD/examples/hello/hello" >/dev/null 2>"$tmp/err"
expect_eq "$?" 125 "--max-process-fds 15: refused (125)"
expect_match "$(cat "$tmp/err")" "^capbox: --max-process-fds 15: expected a number from 16 to [0-9]+" "and says the range"
set --
for i in $(seq 1 17); do set -- "$@" --fd "f$i=stdout"; done
"$CAPBOX" run "$@" --max-process-fds 16 "$BUILD/examples/hello/hello" >/dev/null 2>"$tmp/err"
expect_eq "$?" 125 "17 grants, then --max-process-fds 16: refused (125)"
expect_match "$(cat "$tmp/err")" "^capbox: --max-process-fds 16: the options before it grant descriptor 16 already \\(give it first\\)$" "and says which descriptor"

# The kernel's limit of the guest process follows (the least that holds
# the layout of a table of 16: about 54): a raw dup3 cannot reach 500, as
# it can without the option.
"$CAPBOX" run --max-process-fds 16 --fd out=stdout --int at=500 \
	"$BUILD/programs/raw_fd_reach" >"$tmp/out" 2>&1 </dev/null
expect_match "$(cat "$tmp/out")" "^dup3 to 500: -9$" "--max-process-fds 16: a raw dup3 to descriptor 500 fails (EBADF: past the kernel's limit)"
"$CAPBOX" run --fd out=stdout --int at=500 \
	"$BUILD/programs/raw_fd_reach" >"$tmp/out" 2>&1 </dev/null
expect_match "$(cat "$tmp/out")" "^dup3 to 500: 500$" "without it the same dup3 succeeds"

# A table the options have filled leaves a configuration no grant at all,
# and it is refused when described: the socket it names is never bound.
printf '%%TAG ! tag:nuxi.nl,2015:cloudabi/\n---\nsock: !socket {bind: %s}\n' \
	"$tmp/never.sock" >"$tmp/sock.yaml"
set --
for i in $(seq 0 15); do set -- "$@" --fd "f$i=stdout"; done
"$CAPBOX" run --max-process-fds 16 "$@" "$BUILD/guest/hello-separate" \
	"$tmp/sock.yaml" >/dev/null 2>"$tmp/err" </dev/null
expect_eq "$?" 125 "16 option grants fill a table of 16: a configuration's grant is refused (125)"
expect_match "$(cat "$tmp/err")" "sock.yaml:3:7: too many descriptors for one program \(at most 16\)$" "when it is described"
[ ! -e "$tmp/never.sock" ]
tap_result $? "and its socket was never bound"
tap_done
