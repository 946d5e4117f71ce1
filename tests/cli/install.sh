# install.sh: make install-files into a temporary PREFIX: capbox, capbox-cc with its SDK, and the man page all work from there.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

make --no-print-directory -s install-files BUILD="$BUILD" PREFIX="$prefix" >"$tmp/log" 2>&1
expect_eq "$?" 0 "make install-files PREFIX=... succeeds"
[ -x "$prefix/bin/capbox" ] && [ -x "$prefix/bin/capbox-cc" ] && [ -f "$prefix/share/man/man1/capbox.1" ]
tap_result $? "installs bin/capbox, bin/capbox-cc and share/man/man1/capbox.1"

out=$("$prefix/bin/capbox" --version 2>&1)
expect_match "$out" "^capbox [0-9]" "the installed capbox runs"

PATH="$prefix/bin:$PATH" capbox-cc -O2 -o "$tmp/hello" examples/hello/hello.c >"$tmp/cc.log" 2>&1
expect_eq "$?" 0 "the installed capbox-cc (a symlink) finds its SDK and builds hello"
out=$("$prefix/bin/capbox" run "$tmp/hello" examples/hello/hello.yaml 2>&1 </dev/null)
expect_eq "$out" "Hello, capbox!" "the installed capbox runs what the installed capbox-cc built"

command -v man >/dev/null || { tap_skip "man capbox" "man is not installed"; tap_done; exit; }
page=$(MANPATH="$prefix/share/man" MANWIDTH=80 man -P cat capbox 2>/dev/null)
expect_match "$page" "capbox - run unmodified CloudABI programs" "man capbox finds the installed page"
expect_match "$page" "EXIT STATUS" "and it documents the exit statuses"
warnings=$(groff -man -ww -z docs/capbox.1 2>&1)
expect_eq "$warnings" "" "the man page has no troff warnings"

tap_done
