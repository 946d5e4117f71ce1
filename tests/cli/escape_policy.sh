# escape_policy.sh: every Linux system call the shim names is in the seccomp policy (tools/check-seccomp-policy), and the check catches one that is not.
. tests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The real tree: one line per call the shim uses, all "ok".
tools/check-seccomp-policy . >"$tmp/out" 2>&1
status=$?
cat "$tmp/out"
tap_count=$(grep -c '^\(not \)\{0,1\}ok ' "$tmp/out")
tap_failures=$(grep -c '^not ok ' "$tmp/out")
expect_eq "$status" 0 "tools/check-seccomp-policy accepts the shim as it is"

# A copy whose shim makes one more call (socket) must be refused, naming it.
mkdir -p "$tmp/tree/src/confine"
cp src/confine/confine_policy.c "$tmp/tree/src/confine/"
cp -R src/shim "$tmp/tree/src/shim"
printf 'long sneaky(void) { return linux_syscall3(__NR_socket, 2, 1, 0); }\n' \
	>"$tmp/tree/src/shim/sneaky.c"
tools/check-seccomp-policy "$tmp/tree" >"$tmp/bad" 2>&1
expect_eq "$?" 1 "a shim call missing from the policy fails the check"
expect_match "$(grep '^not ok' "$tmp/bad")" "uses socket, which the filter refuses" \
	"and names the call"
expect_eq "$(grep -c '^not ok' "$tmp/bad")" 1 "exactly that one call"
tap_done
