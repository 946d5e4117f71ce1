# conformance_file_grant.sh: a !file of a regular file is read-only unless the grant asks for more, as under cloudabi-run; a hostile guest's raw writes leave it unchanged.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
header='%TAG ! tag:nuxi.nl,2015:cloudabi/
---
out: !fd stdout'
original='the original contents'

# attack GRANT-OPTIONS: runs raw_write against a fresh $tmp/target granted
# as `!file {path: $tmp/target, GRANT-OPTIONS}`; $out is what it printed,
# $after the file afterwards.
attack() {
	printf '%s' "$original" >"$tmp/target"
	printf '%s\nfile: !file {path: %s%s}\n' "$header" "$tmp/target" "$1" >"$tmp/c.yaml"
	out=$("$CAPBOX" run "$BUILD/programs/raw_write" "$tmp/c.yaml" 2>&1 </dev/null)
	status=$?
	after=$(cat "$tmp/target")
}

attack ""
expect_eq "$status" 0 "!file {path: P}: the hostile guest ran"
expect_eq "$after" "$original" "!file {path: P}: raw write, pwrite64 and ftruncate leave P unchanged"
expect_match "$out" "fd_write 76" "!file {path: P}: fd_write is ENOTCAPABLE (no fd_write right)"
expect_match "$out" "^write -9" "!file {path: P}: raw write is EBADF from the kernel (opened O_RDONLY)"

attack ", no: [file_advise]"
expect_eq "$after" "$original" "!file with only no: [...] is still read-only"

attack ", access: read-write"
expect_match "$out" "fd_write 0" "access: read-write: fd_write works"
expect_match "$after" "PWNED" "access: read-write: the guest may write"

attack ", rights: [fd_read, fd_write, fd_seek]"
expect_match "$after" "PWNED" "explicit rights with fd_write: the guest may write"

attack ", access: read-only"
expect_eq "$after" "$original" "access: read-only: unchanged"

# A directory keeps its full rights, as under cloudabi-run.
mkdir "$tmp/d"
printf '%s\nd: !file {path: %s}\n' "$header" "$tmp/d" >"$tmp/d.yaml"
dump=$("$CAPBOX" run "$BUILD/programs/argdata_dump" "$tmp/d.yaml" 2>&1 </dev/null)
expect_match "$dump" "directory base=.*file_create_file.*file_unlink" "!file of a directory: full directory rights"
expect_match "$dump" "inheriting=.*fd_write" "!file of a directory: files beneath it may be written"
printf '%s\nf: !file {path: %s}\n' "$header" "$tmp/target" >"$tmp/f.yaml"
dump=$("$CAPBOX" run "$BUILD/programs/argdata_dump" "$tmp/f.yaml" 2>&1 </dev/null | grep '"f" =>')
expect_match "$dump" "regular_file base=.*fd_read" "!file of a regular file: readable"
case $dump in *fd_write* | *file_allocate* | *file_stat_fput_size*) r=1 ;; *) r=0 ;; esac
tap_result $r "!file of a regular file: no writing right in its rights"

tap_done
