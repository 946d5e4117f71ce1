# oci_containerd.sh: containerd (started here with state, root and socket of its own) runs the CloudABI image with `ctr run --runc-binary capbox-oci`, and a Linux image through the same runtime; nothing is left afterwards.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
. tests/lib/oci.sh
if ! command -v containerd >/dev/null || ! command -v ctr >/dev/null; then
	tap_skip "containerd runs the CloudABI image" "containerd is not installed (tools/install-deps oci)"
	tap_done
	exit
fi
ns=capbox-test-$$
ctrd_pid=""
# stop_containerd: containerd, then the shims it started (found by its
# socket, which only they name), then their mounts and runc's state.
stop_containerd() {
	[ -n "$ctrd_pid" ] && kill "$ctrd_pid" 2>/dev/null && wait "$ctrd_pid" 2>/dev/null
	for p in $(pgrep -f -- "-address $oci_tmp/ctrd/sock"); do
		kill -9 "$p" 2>/dev/null
	done
	grep -o " $oci_tmp/ctrd/[^ ]*" /proc/mounts | sort -r | while read -r m; do
		umount -l "$m"
	done
	rm -rf "/run/containerd/runc/$ns" "/run/containerd/io.containerd.runtime.v2.task/$ns"
	# containerd makes a cgroup named after the namespace in every
	# hierarchy and leaves it: removed here, deepest first.
	find /sys/fs/cgroup/*/"$ns" -depth -type d -exec rmdir {} \; 2>/dev/null
	oci_cleanup
}
oci_start "containerd runs the CloudABI image"
trap stop_containerd EXIT
mkdir -p "$oci_tmp/ctrd"
cat >"$oci_tmp/ctrd/config.toml" <<-CONF
	version = 2
	root = "$oci_tmp/ctrd/root"
	state = "$oci_tmp/ctrd/state"
	disabled_plugins = ["io.containerd.grpc.v1.cri"]
	[grpc]
	  address = "$oci_tmp/ctrd/sock"
	[ttrpc]
	  address = "$oci_tmp/ctrd/sock.ttrpc"
CONF
containerd --config "$oci_tmp/ctrd/config.toml" >"$oci_tmp/ctrd/log" 2>&1 &
ctrd_pid=$!
ctr_bin=$(command -v ctr)
ctr() {
	timeout -k 5 60 "$ctr_bin" --address "$oci_tmp/ctrd/sock" --namespace "$ns" "$@"
}
for _ in $(seq 300); do
	ctr version >/dev/null 2>&1 && break
	sleep 0.1
done
ctr version >/dev/null 2>&1
started=$?
tap_result $started "containerd starts with its own root, state and socket"
[ $started -eq 0 ] || { cat "$oci_tmp/ctrd/log"; tap_done; exit 1; }

pod save -o "$oci_tmp/hello.tar" capbox-hello >/dev/null 2>&1 &&
	ctr images import --snapshotter native "$oci_tmp/hello.tar" >"$oci_tmp/import.log" 2>&1
tap_result $? "the hello image imports" || cat "$oci_tmp/import.log"
image=localhost/capbox-hello:latest

# crun NAME [COMMAND...]: ctr run --rm of the image through capbox-oci;
# leaves out, status.
crun() {
	out=$(ctr run --rm --snapshotter native --runc-binary "$capbox_oci" "$image" "$@" \
		2>"$oci_tmp/err" </dev/null)
	status=$?
	[ "$status" -eq 0 ] || cat "$oci_tmp/err"
}
crun c1
expect_eq "$status/$out" "0/Hello, capbox!" "ctr run --runc-binary capbox-oci runs the CloudABI image"
crun c2 /hello-linux containerd
expect_eq "$status/$out" "0/Hello, containerd!" "and hands a Linux program in it to runc"
expect_eq "$(ctr containers ls -q | wc -l)" 0 "--rm leaves no container in containerd"
left=$(find "/run/containerd/runc/$ns" -mindepth 1 2>/dev/null | grep -v '/capbox-oci@\(/bundles\|/runc\)\?$')
expect_eq "$left" "" "nor any state of runc or capbox-oci"
left=$(find /sys/fs/cgroup/*/"$ns" -mindepth 1 -type d 2>/dev/null)
expect_eq "$left" "" "nor any cgroup of a container"
tap_done
