# oci_podman.sh: podman runs CloudABI images through capbox-oci: decided by EI_OSABI, by a run annotation and by an image annotation; a Linux program passes to runc; exit statuses 0, 7 and a signal death; the default argdata; a hostile config.json is refused.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
. tests/lib/oci.sh
oci_start "podman runs CloudABI images through capbox-oci"
oci_built $? "the hello image builds FROM scratch"
oci_guest_config exit0 'out: !fd stdout
code: !!int 0'
oci_guest_config exit7 'out: !fd stdout
code: !!int 7'
oci_guest_config segv 'fault: segv'
oci_guest_image
tap_result $? "the test programs' image builds"

# prun ARGS...: podman run --rm through capbox-oci; leaves out, err, status.
prun() {
	out=$(pod run --rm --runtime "$capbox_oci" "$@" 2>"$oci_tmp/err" </dev/null)
	status=$?
	err=$(cat "$oci_tmp/err")
}

prun capbox-hello
expect_eq "$status" 0 "an image holding only a CloudABI hello and its YAML runs (EI_OSABI 17 decides)"
expect_eq "$out" "Hello, capbox!" "and greets through the container's stdout"

# In a volume, args[0] is not in the image's root when the runtime decides:
# only the annotation makes it a CloudABI container.
vol=(-v "$oci_tmp/hello:/vol:ro")
prun "${vol[@]}" --annotation run.oci.handler=capbox capbox-hello /vol/hello /vol/hello.yaml
expect_eq "$out" "Hello, capbox!" "--annotation run.oci.handler=capbox runs a program the root does not hold"
prun "${vol[@]}" capbox-hello /vol/hello /vol/hello.yaml
expect_eq "$out$([ "$status" -ne 0 ] && echo failed)" "failed" \
	"without it the same container is runc's, as Linux (which cannot run it)"

printf 'FROM capbox-hello\nCMD ["/vol/hello", "/vol/hello.yaml"]\n' >"$oci_tmp/noted"
pod build -q --annotation run.oci.handler=capbox -t capbox-noted -f "$oci_tmp/noted" "$oci_tmp" \
	>"$oci_tmp/build-noted.log" 2>&1
prun "${vol[@]}" capbox-noted
expect_eq "$out" "Hello, capbox!" "an image built with --annotation run.oci.handler=capbox runs under capbox"

prun capbox-hello /hello-linux podman
expect_eq "$status/$out" "0/Hello, podman!" "a static Linux program in the same runtime is handed to runc"

prun capbox-guests /bin/exit_code /etc/exit0.yaml
expect_eq "$status" 0 "a guest's exit code 0 is the container's"
prun capbox-guests /bin/exit_code /etc/exit7.yaml
expect_eq "$status" 7 "a guest's exit code 7 is the container's"
prun capbox-guests /bin/crash /etc/segv.yaml
expect_eq "$status" 139 "a guest dying of SIGSEGV ends the container with 128+11"
expect_match "$err" "terminated by signal SIGSEGV" "and capbox names the signal on the container's stderr"

prun capbox-guests /bin/argdata_dump one 'two words' 'quote"back\slash'
expect_eq "$status" 0 "without a configuration the program gets the default argdata"
expect_match "$out" 'str "args" => seq \[' "with the words after the program as args"
expect_match "$out" 'str "two words"' "each word one string"
expect_match "$out" 'str "quote\\"back\\\\slash"' "quotes and backslashes arrive unchanged"
expect_match "$out" 'str "stdout" => fd [0-9]+ ' "stdout is a descriptor"
expect_match "$out" 'str "stderr" => fd [0-9]+ ' "so is stderr"
expect_match "$out" 'str "stdin" => fd [0-9]+ ' "and stdin"

prun capbox-guests /bin/exit_code /etc/exit7.yaml extra
expect_eq "$status" 126 "a configuration followed by more words is refused at create"
expect_match "$err" "takes no further words" "with capbox-oci's reason"

# capbox-oci on a hostile config.json, as an engine would call it.
bundle=$oci_tmp/bundle
mkdir -p "$bundle/rootfs"
for doc in '{"process": {"args": "x"}, "root": {"path": "rootfs"}}' \
	'{"process": {"args": []}, "root": {"path": "rootfs"}}' \
	'{"process": {"args": ["/x"]}, "root": {"path": 7}}' \
	'[1, 2' "$(printf '%*s' 70 '' | tr ' ' '[')"; do
	printf '%s' "$doc" >"$bundle/config.json"
	e=$(timeout 20 "$capbox_oci" --root "$oci_tmp/runtime" create --bundle "$bundle" hostile 2>&1)
	expect_eq "$?" 1 "create refuses config.json '${doc:0:40}'"
	expect_match "$e" "^capbox-oci: config.json: " "naming config.json and what is wrong"
done

# The decision looks inside the root only: a symbolic link in the image to
# a CloudABI file of the host is not followed out of it (it would be a
# Linux container then, and runc's to refuse).  The runtime is called as
# containerd's shim calls it, with --root.
hello_abs=$(cd "$BUILD/examples/hello" && pwd)/hello
ln -s "$hello_abs" "$bundle/rootfs/absolute"
ln -s "../../../../../../../../../..$hello_abs" "$bundle/rootfs/relative"
cp "$hello_abs" "$bundle/rootfs/real"
(cd "$bundle" && rm -f config.json && runc spec)
# set_args WORD...: the bundle's process.args.
set_args() {
	python3 - "$bundle/config.json" "$@" <<-'PY'
		import json, sys
		c = json.load(open(sys.argv[1]))
		c["process"]["args"] = sys.argv[2:]
		c["process"]["terminal"] = False
		json.dump(c, open(sys.argv[1], "w"))
	PY
}
# decided PROGRAM: how capbox-oci's create decided (a rewritten bundle, or none).
decided() {
	set_args "$1"
	timeout 30 "$capbox_oci" --root "$oci_tmp/runtime" create --bundle "$bundle" probe \
		</dev/null >/dev/null 2>&1
	if [ -d "$oci_tmp/runtime/capbox-oci@/bundles/probe" ]; then echo cloudabi; else echo linux; fi
	timeout 30 "$capbox_oci" --root "$oci_tmp/runtime" delete --force probe >/dev/null 2>&1
}
expect_eq "$(decided /real)" cloudabi "a CloudABI file in the root is decided CloudABI (runc's --root given)"
expect_eq "$(decided /absolute)" linux "an absolute symbolic link to the host's CloudABI file resolves inside the root"
expect_eq "$(decided /relative)" linux "so does a relative one climbing past the root"
set_args /real /real.yaml extra
timeout 30 "$capbox_oci" --root "$oci_tmp/runtime" create --bundle "$bundle" probe </dev/null >/dev/null 2>&1
expect_eq "$?/$(ls "$oci_tmp/runtime/capbox-oci@/bundles")" "1/" "a refused create leaves no rewritten bundle"
expect_eq "$(find "$oci_tmp/runtime" -mindepth 1 -not -path '*/capbox-oci@' \
	-not -path '*/capbox-oci@/bundles' -not -path '*/capbox-oci@/runc' | wc -l)" 0 \
	"delete --force leaves no state under --root"

# Where the containerd shim looks for a runtime's error: --log, json.
"$capbox_oci" --root "$oci_tmp/runtime" --log "$oci_tmp/log.json" --log-format json \
	create --bundle "$oci_tmp/nonexistent" c1 2>/dev/null
expect_eq "$?" 1 "a missing bundle fails create"
expect_eq "$(python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(r["level"], r["msg"])' \
	"$oci_tmp/log.json" 2>&1)" "error bundle $oci_tmp/nonexistent: no such file or directory" \
	"and the --log file has one json record in runc's words"
feat=$("$capbox_oci" features | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["ociVersionMax"], "run.oci.handler=capbox" in d["annotations"]["io.github.capbox.oci.handler"])' 2>&1)
expect_match "$feat" "^1\.[0-9].* True$" "features: runc's JSON, with capbox-oci's handler among the annotations"
tap_done
