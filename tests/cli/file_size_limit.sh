# file_size_limit.sh: under a file size limit (ulimit -f), a guest's write past it is EFBIG, also when the broker makes the write: the broker is not killed by SIGXFSZ.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

(ulimit -f 64 && exec "$CAPBOX" run --fd out=stdout --dir-rw dir="$tmp" \
	"$BUILD/programs/write_beyond") >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "under ulimit -f 64 every write past the limit failed with EFBIG and the guest exited normally"
expect_eq "$(cat "$tmp/err")" "" "capbox printed nothing (the broker was not killed)"
tap_done
