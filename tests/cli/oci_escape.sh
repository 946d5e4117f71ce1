# oci_escape.sh: a hostile CloudABI guest in a podman container under capbox-oci gets no more than outside one: the escape guest tests pass there with as many checks, and host paths the container's root does hold still cannot be executed.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
. tests/lib/oci.sh
oci_start "the escape tests through podman"
guests="escape_syscalls escape_hypercalls escape_access escape_leaks file_escape"
for g in $guests; do
	cp "$BUILD/guest/$g" "$oci_tmp/guests/bin/"
done
cp README.md "$oci_tmp/guests/etc/README.md"
cp "$BUILD/programs/escape_nproc_spread" "$oci_tmp/guests/bin/"
# Targets for escape_layers' execveat: a shell that would print if run.
cp "$oci_tmp/hello/hello-linux" "$oci_tmp/guests/bin/sh"
printf 'root:x:0:0::/:/bin/sh\n' >"$oci_tmp/guests/etc/passwd"
# The grants tests/run gives each one (its capbox-test-args), as YAML:
# the scratch folder is a tmpfs of the container.
oci_guest_config escape_syscalls 'out: !fd stdout
ro: !file {path: /etc/README.md}
dir: !file {path: /scratch}'
oci_guest_config escape_hypercalls 'out: !fd stdout'
oci_guest_config escape_access 'out: !fd stdout
dir: !file {path: /scratch}'
oci_guest_config escape_leaks 'out: !fd stdout
rw: !file {path: /scratch}'
oci_guest_config file_escape 'out: !fd stdout
rw: !file {path: /scratch}'
oci_guest_config escape_layers 'out: !fd stdout'
oci_guest_config escape_nproc_spread 'out: !fd stdout'
oci_guest_image
oci_built $? "the image of escape tests builds"

scratch=$(mktemp -d)
for g in $guests; do
	args=$(sed -n 's|.*capbox-test-args: *\(.*\) \*/.*|\1|p' "tests/guest/$g.c" | head -1)
	args=${args//@SCRATCH@/$scratch}
	args=${args//@SRCDIR@/$PWD}
	rm -rf "${scratch:?}"/* "$scratch"/.[!.]* 2>/dev/null
	# shellcheck disable=SC2086
	outside=$("$CAPBOX" run --fd out=stdout $args "$BUILD/guest/$g" </dev/null 2>/dev/null | grep -c '^ok ')
	inside=$(pod run --rm --runtime "$capbox_oci" --tmpfs /scratch capbox-guests \
		"/bin/$g" "/etc/$g.yaml" 2>"$oci_tmp/err" </dev/null)
	status=$?
	expect_eq "$status/$(echo "$inside" | grep -c '^not ok')" "0/0" "$g in a container: every check holds"
	expect_eq "$(echo "$inside" | grep -c '^ok ')" "$outside" "$g: as many checks as outside ($outside)"
	[ "$status" -eq 0 ] || { echo "$inside" | grep '^not ok' | head; cat "$oci_tmp/err"; }
done
rm -rf "$scratch"

out=$(pod run --rm --runtime "$capbox_oci" capbox-guests /bin/escape_layers /etc/escape_layers.yaml \
	2>"$oci_tmp/err" </dev/null)
expect_eq "$out" "execveat /bin/sh -2
execveat /etc/passwd -2" "the container's own /bin/sh and /etc/passwd cannot be executed: the sandbox's root is empty"
expect_eq "$(cat "$oci_tmp/err")" "" "and capbox warns of no missing layer inside the container"

# A container's root has no CAP_SYS_ADMIN, and its cgroup hierarchy here
# is read-only: tasks spread over processes, threads and raw forks stay
# within 512 all the same (the guest gives up root in the broker's user
# namespace, so RLIMIT_NPROC binds it; 3075 alive at once before).
out=$(pod run --rm --runtime "$capbox_oci" capbox-guests /bin/escape_nproc_spread \
	/etc/escape_nproc_spread.yaml 2>"$oci_tmp/err" </dev/null)
status=$?
expect_eq "$status/$(echo "$out" | grep -c '^not ok')" "0/0" \
	"tasks spread over processes, threads and raw forks in a container: 512 at most"
[ "$status" -eq 0 ] || { echo "$out" | grep '^not ok'; cat "$oci_tmp/err"; }
tap_done
