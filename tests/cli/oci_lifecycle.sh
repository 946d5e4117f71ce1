# oci_lifecycle.sh: a CloudABI container's life under podman and capbox-oci: stop (SIGTERM, forwarded: 143, well before the SIGKILL), kill (137), run -d with wait and logs, exec refused, rm -f leaving no process and no runtime state.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
. tests/lib/oci.sh
all=""
oci_start "a CloudABI container's life under podman"
oci_guest_config block 'out: !fd stdout'
oci_guest_config exit7 'out: !fd stdout
code: !!int 7'
oci_guest_image
oci_built $? "the images build"

# start_blocked: a detached container whose guest and its forked child
# block; waits until both said so.  Leaves cid.
start_blocked() {
	cid=$(pod run -d --runtime "$capbox_oci" capbox-guests /bin/block_forever /etc/block.yaml)
	all="$all $cid"
	for _ in $(seq 300); do
		[ "$(pod logs "$cid" 2>/dev/null | grep -c ready)" -eq 2 ] && return 0
		sleep 0.1
	done
	echo "# the guest never said ready: $(pod logs "$cid" 2>&1)"
	return 1
}

exit_code() {
	pod inspect -f '{{.State.ExitCode}}' "$1"
}

start_blocked
tap_result $? "a detached CloudABI container starts and its guest runs"
# -t 60: a SIGTERM that is not forwarded would end in SIGKILL, status 137.
pod stop -t 60 "$cid" >/dev/null
expect_eq "$(exit_code "$cid")" 143 "podman stop: capbox gets SIGTERM, stops the guest and ends with 143"
pod rm "$cid" >/dev/null

start_blocked
pod kill "$cid" >/dev/null
expect_eq "$(pod wait "$cid")" 137 "podman kill: SIGKILL ends the container, 137"
pod rm "$cid" >/dev/null

cid=$(pod run -d --runtime "$capbox_oci" capbox-guests /bin/exit_code /etc/exit7.yaml)
all="$all $cid"
expect_eq "$(pod wait "$cid")" 7 "run -d, then podman wait gives the guest's exit code"
pod rm "$cid" >/dev/null

cid=$(pod run -d --runtime "$capbox_oci" capbox-hello)
all="$all $cid"
pod wait "$cid" >/dev/null
expect_eq "$(pod logs "$cid" 2>&1)" "Hello, capbox!" "podman logs has what the guest wrote to its stdout grant"
pod rm "$cid" >/dev/null

start_blocked
e=$(pod exec "$cid" /bin/exit_code 2>&1)
expect_eq "$?/$(pod inspect -f '{{.State.Running}}' "$cid")" "255/true" \
	"podman exec into a CloudABI container is refused, and the container runs on"
expect_match "$e" "there is no Linux process to exec into" "with capbox-oci's reason"

pid=$(pod inspect -f '{{.State.Pid}}' "$cid")
state=$(timeout 20 "$capbox_oci" state "$cid" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["status"], d["pid"], d["bundle"].endswith("/userdata"), d["ociVersion"] != "")' 2>&1)
expect_eq "$state" "running $pid True True" \
	"state: runc's OCI state of the running container, naming the engine's bundle"
# descendants PID: PID and every process under it, one a line.
descendants() {
	ps -e -o pid=,ppid= | awk -v root="$1" '
		{ parent[$1] = $2 }
		END { for (p in parent) { q = p; while (q in parent && q != root && q > 1) q = parent[q]; if (q == root) print p } }'
}
tree=$(descendants "$pid")
expect_match "$(echo "$tree" | wc -l)" '^[4-9]$' "the container holds capbox, its broker, the guest and its child"
# Every container this test made, and what capbox-oci keeps of each.
state_of_ours() {
	local c
	for c in $all; do
		ls -d "$oci_state/bundles/$c" "$oci_state/runc/$c" 2>/dev/null
	done
}
[ -d "$oci_state/bundles/$cid" ] && [ -d "$oci_state/runc/$cid" ]
tap_result $? "capbox-oci keeps the container's rewritten bundle and runc's state under runc's root"
pod rm -f -t 0 "$cid" >/dev/null
left=0
for p in $tree; do
	kill -0 "$p" 2>/dev/null && left=$((left + 1))
done
expect_eq "$left" 0 "podman rm -f: no process of the container is left"
expect_eq "$(state_of_ours | wc -l)" 0 \
	"and no runtime state of any of its containers: no bundle, no runc state"
tap_done
