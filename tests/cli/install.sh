# install.sh: make install-files into a temporary PREFIX: capbox, capbox-cc with its SDK, the man pages, completion and pkg-config work from there, and make uninstall leaves nothing.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

make --no-print-directory -s install-files BUILD="$BUILD" PREFIX="$prefix" >"$tmp/log" 2>&1
expect_eq "$?" 0 "make install-files PREFIX=... succeeds"
[ -x "$prefix/bin/capbox" ] && [ -x "$prefix/bin/capbox-cc" ] && [ -f "$prefix/share/man/man1/capbox.1" ]
tap_result $? "installs bin/capbox, bin/capbox-cc and share/man/man1/capbox.1"
out=$("$prefix/bin/capbox-oci" --version 2>&1)
expect_match "$out" "^capbox-oci version " "installs bin/capbox-oci, the OCI runtime, beside capbox"

out=$("$prefix/bin/capbox" --version 2>&1)
expect_match "$out" "^capbox [0-9]" "the installed capbox runs"

PATH="$prefix/bin:$PATH" capbox-cc -O2 -o "$tmp/hello" examples/hello/hello.c >"$tmp/cc.log" 2>&1
expect_eq "$?" 0 "the installed capbox-cc (a symlink) finds its SDK and builds hello"
out=$("$prefix/bin/capbox" run "$tmp/hello" examples/hello/hello.yaml 2>&1 </dev/null)
expect_eq "$out" "Hello, capbox!" "the installed capbox runs what the installed capbox-cc built"

# Completion: what bash offers after `capbox run --fi` and `capbox r`.
complete_words() {
	PATH="$prefix/bin:$PATH" bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_capbox; printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$prefix/share/bash-completion/completions/capbox" "$@" | sort | tr '\n' ' '
}
expect_eq "$(complete_words capbox r)" "run " "bash completes the subcommand"
expect_eq "$(complete_words capbox run --file)" "--file --file-rw " \
	"bash completes run's options from capbox run --help"
expect_eq "$(complete_words capbox run --bool x=t)" "true " "and an option's value"

if command -v pkg-config >/dev/null; then
	flags=$(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags --libs capbox-sdk 2>&1)
	expect_match "$flags" "--target=x86_64-unknown-cloudabi .*-isystem $prefix/lib/capbox/sdk/include" \
		"pkg-config --cflags --libs capbox-sdk gives the SDK's flags"
	# shellcheck disable=SC2086
	clang-14 $flags -O2 -o "$tmp/hello-pc" examples/hello/hello.c >"$tmp/pc.log" 2>&1
	out=$("$prefix/bin/capbox" run "$tmp/hello-pc" examples/hello/hello.yaml 2>&1 </dev/null)
	expect_eq "$out" "Hello, capbox!" "clang-14 with those flags builds a program capbox runs"
else
	tap_skip "pkg-config capbox-sdk" "pkg-config is not installed"
fi

if command -v man >/dev/null; then
	page=$(MANPATH="$prefix/share/man" MANWIDTH=80 man -P cat capbox 2>/dev/null)
	expect_match "$page" "capbox - run unmodified CloudABI programs" "man capbox finds the installed page"
	expect_match "$page" "EXIT STATUS" "and it documents the exit statuses"
	page=$(MANPATH="$prefix/share/man" MANWIDTH=80 man -P cat capbox-cc 2>/dev/null)
	expect_match "$page" "capbox-cc - compile and link CloudABI programs" \
		"man capbox-cc finds the page capbox(1) refers to"
else
	tap_skip "man capbox, man capbox-cc" "man is not installed"
fi
for page in docs/capbox.1 docs/capbox-cc.1; do
	warnings=$(groff -man -ww -z "$page" 2>&1)
	expect_eq "$warnings" "" "$page has no troff warnings"
done

touch "$prefix/keep-me"
make --no-print-directory -s uninstall PREFIX="$prefix" >"$tmp/log" 2>&1
expect_eq "$?" 0 "make uninstall PREFIX=... succeeds"
left=$(cd "$prefix" && find . -mindepth 1 | sort | tr '\n' ' ')
expect_eq "$left" "./keep-me " "and leaves nothing of capbox (and what was not capbox's)"

tap_done
