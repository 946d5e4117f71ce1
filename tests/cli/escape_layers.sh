# escape_layers.sh: each confinement layer is on and holds alone: empty root, Landlock, i386/x32 system calls killed, warnings and --require-all-layers, no run without a pid namespace, as root and as an ordinary user.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

# run_capture COMMAND...: leaves stdout, stderr and status.
run_capture() {
	"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	status=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

layers=$BUILD/programs/escape_layers
die=$BUILD/programs/escape_die

# 1. This machine's kernel: every layer, or say which is missing.
run_capture "$CAPBOX" run --require-all-layers --fd out=stdout "$layers"
if [ "$status" -eq 125 ]; then
	for i in 1 2 3 4; do
		tap_skip "all layers on this kernel (check $i)" "$err"
	done
else
	expect_eq "$status" 0 "--require-all-layers: every layer is available here"
	expect_eq "$err" "" "and capbox warns about nothing"
	expect_match "$out" "^execveat /bin/sh -2$" \
		"a host path given to the shim's execveat does not exist (empty root: ENOENT)"
	expect_match "$out" "execveat /etc/passwd -2$" "nor does /etc/passwd"
fi

# 2. Without user namespaces (a nested namespace whose limit is 0), capbox
#    warns once and Landlock alone refuses to execute by path (EACCES).
if unshare -Ur true 2>/dev/null; then
	nouserns() {
		unshare -Ur sh -c 'echo 0 >/proc/sys/user/max_user_namespaces && exec "$@"' sh "$@"
	}
	run_capture nouserns "$CAPBOX" run --fd out=stdout "$layers"
	expect_eq "$status" 0 "without user namespaces the guest still runs"
	expect_eq "$err" "capbox: warning: user namespaces unavailable: the limit of user namespaces is reached or zero (sysctl user.max_user_namespaces); continuing without it" \
		"with exactly one warning line naming the missing layer"
	expect_match "$out" "^execveat /bin/sh -13$" \
		"Landlock alone refuses to execute /bin/sh by path (EACCES)"
	expect_match "$out" "execveat /etc/passwd -13$" "and /etc/passwd"
	run_capture nouserns "$CAPBOX" run --require-all-layers --fd out=stdout "$layers"
	expect_eq "$status" 125 "--require-all-layers makes a missing layer an error (125)"
	expect_eq "$err" "capbox: user namespaces unavailable: the limit of user namespaces is reached or zero (sysctl user.max_user_namespaces) (--require-all-layers)" \
		"naming the layer and the reason"
	expect_eq "$out" "" "and the program never ran"
	# The same without CAP_SYS_ADMIN: no pid namespace for the broker
	# either, and without one capbox does not run at all (fail closed).
	nopidns() {
		unshare -Ur sh -c 'echo 0 >/proc/sys/user/max_user_namespaces &&
			exec setpriv --bounding-set=-all --inh-caps=-all "$@"' sh "$@"
	}
	run_capture nopidns "$CAPBOX" run --fd out=stdout "$layers"
	expect_eq "$status" 125 "without a pid namespace capbox refuses to run (125)"
	expect_eq "$err" "capbox: cannot create the sandbox's pid namespace: the limit of user namespaces is reached or zero (sysctl user.max_user_namespaces); run capbox as root or allow unprivileged user namespaces" \
		"in one line naming the cause and the fix"
	expect_eq "$out" "" "and the program never ran"
else
	for i in 1 2 3 4 5 6 7 8 9 10; do
		tap_skip "user namespaces switched off (check $i)" "unshare -Ur is not permitted here"
	done
fi

# 3. System calls through another ABI kill the process with SIGSYS.
for abi in i386 x32; do
	run_capture "$CAPBOX" run --fd out=stdout --str abi=$abi "$die"
	expect_eq "$status" 159 "an $abi system call kills the guest (128+SIGSYS)"
	expect_eq "$err" "capbox: $die: terminated by signal SIGSYS" "capbox reports SIGSYS in one line"
	expect_eq "$out" "# making a $abi system call" "the call never returned"
done

# 4. The same as an ordinary user (root's runs above skip nothing).
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
	cp "$CAPBOX" "$layers" "$tmp/" && chmod 755 "$tmp"/*
	run_capture setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$tmp/capbox" run --require-all-layers --fd out=stdout "$tmp/escape_layers"
	expect_eq "$status" 0 "as user nobody: every layer, no root needed"
	expect_eq "$err" "" "without a warning"
	expect_match "$out" "^execveat /bin/sh -2$" "and the same empty root"
else
	for i in 1 2 3; do
		tap_skip "as an ordinary user (check $i)" "already running as uid $(id -u)"
	done
fi
tap_done
