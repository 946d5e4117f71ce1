# file_size_limit.sh: under a file size limit (ulimit -f), a guest's write past it is EFBIG, also when the broker makes the write: the broker is not killed by SIGXFSZ.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(ulimit -f 1024 && exec "$CAPBOX" run --fd out=stdout --dir-rw dir="$tmp" \
	"$BUILD/programs/write_beyond") >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "under ulimit -f 1024 every write past the limit failed with EFBIG and the guest exited normally"
expect_eq "$(cat "$tmp/err")" "" "capbox printed nothing (the broker was not killed)"

# --max-file-size bounds the guest's files, not capbox's own (the shim's
# image, argdata, the filter, mailboxes: each larger than 16 KiB).
"$CAPBOX" run --max-file-size 16K --stats --fd out=stdout --dir-rw dir="$tmp" \
	"$BUILD/programs/write_beyond" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
expect_eq "$status" 0 "--max-file-size 16K: capbox starts, and every write past 16 KiB failed with EFBIG"
mailbox=$(stats_value "$tmp/err" "mailbox requests")
[ "${mailbox:-0}" -gt 0 ]
tap_result $? "--max-file-size 16K: the broker still makes its 68 KiB mailboxes (mailbox requests: ${mailbox:-none})"
tap_done
