# oci_loader.sh: an image cannot load its own Linux code into capbox, the host program that runs its CloudABI program in the container: not through its environment (LD_PRELOAD), /etc/ld.so.preload, or an NSS module that /etc/nsswitch.conf names (a socket grant by host name makes capbox resolve it), not even with run.oci.handler=capbox asked for by the user.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
. tests/lib/oci.sh
oci_start "an image's code in capbox's loader"

# The image's Linux code: says so and ends the container with 42.  No
# libc of its own: it needs nothing the loader would not find.
evil="$oci_tmp/evil"
mkdir -p "$evil/lib"
cat >"$oci_tmp/evil.c" <<'EOF'
__attribute__((constructor)) static void take_over(void)
{
	static const char msg[] = "the image's Linux code runs in capbox\n";
	__asm__ volatile("syscall" : : "a"(1), "D"(2), "S"(msg),
			 "d"(sizeof(msg) - 1) : "rcx", "r11", "memory");
	__asm__ volatile("syscall" : : "a"(231), "D"(42) : "rcx", "r11");
}
EOF
cc -shared -fPIC -nostdlib -O2 -o "$evil/lib/evil.so" "$oci_tmp/evil.c"
oci_built $? "the image's library builds"
cp "$evil/lib/evil.so" "$evil/lib/libnss_evil.so.2"
cp "$oci_tmp/hello/hello" examples/hello/hello.yaml "$evil/"
printf '%%TAG ! tag:nuxi.nl,2015:cloudabi/\n---\nout: !fd stdout\nnet: !socket {connect: "capbox-evil.invalid:80"}\n' \
	>"$evil/resolve.yaml"
mkdir -p "$evil/etc"
echo /lib/evil.so >"$evil/etc/ld.so.preload"
echo "hosts: evil" >"$evil/etc/nsswitch.conf"
printf 'FROM scratch\nCOPY . /\nCMD ["/hello", "/hello.yaml"]\n' >"$evil/Containerfile"
oci_image capbox-evil "$evil"
oci_built $? "the image builds"

# attack NAME ARGS...: the CloudABI hello (or ARGS' program) in the image,
# decided by the annotation; the image's code must not run.
attack() {
	local what=$1
	shift
	out=$(pod run --rm --runtime "$capbox_oci" --annotation run.oci.handler=capbox \
		"$@" 2>&1 </dev/null)
	status=$?
	! grep -q "Linux code" <<<"$out"
	tap_result $? "$what: the image's code does not run in capbox"
	[ "$status" -ne 42 ]
	tap_result $? "$what: the container does not end the way the image's code ends it (status $status)"
	[ "$status" -ne 42 ] || echo "$out" | head -5
}

# The environment: every word of it reaches capbox's loader if passed on.
attack "ENV LD_PRELOAD" --env LD_PRELOAD=/lib/evil.so --volume /dev/null:/etc/ld.so.preload:ro capbox-evil
expect_match "$out" "Hello, capbox!" "and the program still runs"
attack "ENV LD_AUDIT" --env LD_AUDIT=/lib/evil.so --volume /dev/null:/etc/ld.so.preload:ro capbox-evil
# The image's /etc/ld.so.preload, read by every dynamic loader.
attack "/etc/ld.so.preload" capbox-evil
expect_match "$out" "Hello, capbox!" "and the program still runs"
# /etc/nsswitch.conf naming a module of the image: capbox resolves the
# host name of a socket grant (it fails to: the container has no network).
attack "/etc/nsswitch.conf" --volume /dev/null:/etc/ld.so.preload:ro capbox-evil /hello /resolve.yaml
expect_match "$out" "capbox-evil.invalid" "and capbox names the host name it could not resolve"
tap_done
