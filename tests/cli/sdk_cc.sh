# sdk_cc.sh: capbox-cc as a new user meets it: its own --help, C++ with every SDK header, and a clear word for a program written with main().
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc=$BUILD/sdk/bin/capbox-cc

out=$("$cc" --help 2>&1)
expect_match "$out" "^usage: capbox-cc " "capbox-cc --help is capbox-cc's own help"
expect_match "$out" "program_main" "and names the entry point"

cat >"$tmp/both.cc" <<'PROG'
#include <argdata.h>
#include <capbox_thread.h>
#include <cloudabi_syscalls.h>
#include <errno.h>
#include <program.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct greeter {
	int fd;
	void greet(const char *name) const { dprintf(fd, "C++ says hello to %s, %.2f\n", name, 0.125); }
};

void program_main(const argdata_t *ad)
{
	argdata_t value;
	uint32_t fd;
	if (argdata_map_find(*ad, "out", 3, &value) != ARGDATA_OK ||
	    argdata_get_fd(value, &fd) != ARGDATA_OK)
		exit(2);
	greeter g{static_cast<int>(fd)};
	g.greet("capbox");
	exit(0);
}
PROG
"$cc" -fno-exceptions -fno-rtti -O2 -o "$tmp/both" "$tmp/both.cc" >"$tmp/cc.log" 2>&1
expect_eq "$?" 0 "a C++ program that includes every SDK header compiles and links"
sed 's/^/# /' "$tmp/cc.log" | head -5
out=$("$CAPBOX" run --fd out=stdout "$tmp/both" 2>&1)
expect_eq "$out" "C++ says hello to capbox, 0.12" "and runs under capbox"

printf 'int main(void) { return 0; }\n' >"$tmp/posix.c"
out=$("$cc" -o "$tmp/posix" "$tmp/posix.c" 2>&1)
status=$?
[ "$status" -ne 0 ]
tap_result $? "a program with main() and no program_main does not link"
expect_match "$out" "^capbox-cc: a CloudABI program starts at 'void program_main\(const argdata_t \*ad\)'" \
	"and capbox-cc says what the entry point is"
tap_done
