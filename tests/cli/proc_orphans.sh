# proc_orphans.sh: processes a hostile guest clones behind the broker's back do not outlive capbox.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"

in_session "$CAPBOX" run "$BUILD/programs/escape_orphan" </dev/null >/dev/null 2>&1
expect_eq "$status" 4 "the guest made 4 processes the broker never registered"
# capbox has exited: it must have killed and reaped them on its way out.
expect_eq "$(session_left)" 0 "none of them outlives capbox"
tap_done
