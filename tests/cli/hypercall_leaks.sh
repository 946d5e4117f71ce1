# hypercall_leaks.sh: descriptors a guest attaches to hypercall messages never stay in the broker (found by make fuzz).
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# An empty message on a channel reads as its end; a descriptor attached to
# it would have to be closed all the same, 300 times over.  The filter now
# refuses the sendmsg that attaches one (empty_smuggle checks EPERM), so
# this also holds if it ever lets one through again.
"$CAPBOX" run --stats --fd out=stdout --int count=300 \
	"$BUILD/programs/empty_smuggle" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
cat "$tmp/out"
expect_eq "$status" 0 "300 empty messages (their descriptors refused), each on its own channel"
fds=$(stats_value "$tmp/err" descriptors)
[ -n "$fds" ] && [ "$fds" -le 12 ]
tap_result $? "the broker holds at most 12 descriptors at the end (has ${fds:-?})"
tap_done
