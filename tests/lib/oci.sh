# oci.sh: the container engines for the capbox-oci tests and benchmark (sourced): podman with storage, runtime state and configuration of its own under one temporary folder, images built FROM scratch, every engine call bounded by timeout.
#
#   oci_reason                  why the engines cannot run here, or nothing
#   oci_start WHAT              skips WHAT and ends the test when oci_reason says
#                               so; else sets up (below), cleaning up at exit
#   oci_setup                   makes $oci_tmp and the images below
#   pod ARGS...                 podman, isolated, bounded (90 s)
#   oci_built STATUS WHAT       records that images built (STATUS 0); else
#                               shows the build logs and ends the test
#   oci_cleanup                 removes every container and image, then $oci_tmp
#
# Images: capbox-hello (the CloudABI hello, /hello.yaml, CMD /hello
# /hello.yaml, and /hello-linux, a static Linux hello), capbox-guests (the
# test programs under /bin and their configurations under /etc).
: "${BUILD:?}"

# oci_reason: prints why podman cannot run capbox-oci's tests here.
oci_reason() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "podman as root only (the tests need no rootless set-up)"
	elif ! command -v podman >/dev/null; then
		echo "podman is not installed (tools/install-deps oci)"
	elif ! command -v runc >/dev/null && [ ! -x /usr/sbin/runc ]; then
		echo "runc is not installed (tools/install-deps oci)"
	elif ! command -v conmon >/dev/null; then
		echo "conmon (podman's monitor) is not installed"
	fi
}

oci_start() {
	local reason
	reason=$(oci_reason)
	if [ -n "$reason" ]; then
		tap_skip "$1" "$reason"
		tap_done
		exit
	fi
	trap oci_cleanup EXIT
	oci_setup
}

# oci_podman_cmd: sets the array oci_podman, podman isolated as above
# (without the timeout: for bench/run's timeit).
oci_podman_cmd() {
	oci_podman=(env CONTAINERS_CONF="$oci_tmp/containers.conf"
		CONTAINERS_REGISTRIES_CONF="$oci_tmp/registries.conf"
		podman --root "$oci_tmp/storage" --runroot "$oci_tmp/run"
		--storage-driver vfs --cgroup-manager cgroupfs --events-backend file
		--tmpdir "$oci_tmp/tmp")
}

pod() {
	timeout -k 5 90 "${oci_podman[@]}" "$@"
}

# The runtime under test.  podman gives it no --root (nor to its
# clean-up, which a containers.conf cannot change), so its state is under
# runc's default root: tests look there for their own containers only.
capbox_oci=$(cd "$BUILD" && pwd)/capbox-oci
oci_state=/run/runc/capbox-oci@

# oci_image NAME DIR: builds image NAME from DIR/Containerfile.
oci_image() {
	pod build -q -t "$1" "$2" >"$oci_tmp/build-$1.log" 2>&1
}

oci_setup() {
	oci_tmp=$(mktemp -d /tmp/capbox-oci-test.XXXXXX)
	oci_podman_cmd
	mkdir -p "$oci_tmp/tmp" "$oci_tmp/hello" "$oci_tmp/guests/bin" "$oci_tmp/guests/etc"
	# As root here the runtime fails on setrlimit without explicit ulimits.
	cat >"$oci_tmp/containers.conf" <<-CONF
		[containers]
		default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
		netns = "none"
		[engine]
		cgroup_manager = "cgroupfs"
		events_logger = "file"
	CONF
	: >"$oci_tmp/registries.conf"
	cp "$BUILD/examples/hello/hello" examples/hello/hello.yaml "$oci_tmp/hello/"
	cc -static -O2 -o "$oci_tmp/hello/hello-linux" bench/tools/hello_native.c || return 1
	printf 'FROM scratch\nCOPY hello hello.yaml hello-linux /\nCMD ["/hello", "/hello.yaml"]\n' \
		>"$oci_tmp/hello/Containerfile"
	oci_image capbox-hello "$oci_tmp/hello" || return 1
	for prog in exit_code crash block_forever argdata_dump escape_layers escape_reach; do
		cp "$BUILD/programs/$prog" "$oci_tmp/guests/bin/" || return 1
	done
	printf 'FROM scratch\nCOPY bin /bin\nCOPY etc /etc\n' >"$oci_tmp/guests/Containerfile"
}

# oci_guest_config NAME TEXT: adds /etc/NAME.yaml to the guests' image
# (call oci_guest_image after the last).
oci_guest_config() {
	printf '%%TAG ! tag:nuxi.nl,2015:cloudabi/\n---\n%s\n' "$2" >"$oci_tmp/guests/etc/$1.yaml"
}

oci_guest_image() {
	oci_image capbox-guests "$oci_tmp/guests"
}

oci_built() {
	tap_result "$1" "$2"
	[ "$1" -eq 0 ] && return 0
	cat "$oci_tmp"/build-*.log
	tap_done
	exit 1
}

oci_cleanup() {
	[ -n "${oci_tmp:-}" ] && [ -d "$oci_tmp" ] || return 0
	pod rm -af -t 0 >/dev/null 2>&1
	pod rmi -af >/dev/null 2>&1
	rm -rf "$oci_tmp"
}
