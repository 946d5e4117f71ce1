# trace_text.sh: capbox run --trace: every one of the 49 calls decoded once (text), data-plane calls too, the destination options, --stats.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir "$tmp/d"
"$CAPBOX" run --trace="$tmp/trace" --dir-rw dir="$tmp/d" \
	"$BUILD/programs/trace_all_calls" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 0 "the program that makes every call runs under --trace=FILE"
expect_eq "$(cat "$tmp/err")" "" "with --trace=FILE nothing goes to standard error"

# Each call appears with its name and argument list: PID.TID SOURCE name(
missing=""
for call in $(sed -n 's/^	X(\([a-z_0-9]*\),.*/\1/p' include/cloudabi/syscalls.h); do
	grep -qE "^[0-9]+\.[0-9]+ (broker|shim) +$call\(" "$tmp/trace" ||
		missing="$missing $call"
done
expect_eq "$(sed -n 's/^	X(\([a-z_0-9]*\),.*/\1/p' include/cloudabi/syscalls.h | wc -l)" 49 "the spec lists 49 calls"
expect_eq "$missing" "" "each of the 49 calls has a line of its own"

# Decoding by spec names: flags, rights, paths, data, errors.
t=$(cat "$tmp/trace")
expect_match "$t" ' broker file_open\(dirfd=[0-9]+, dirfd_flags=0, path="t\.txt", oflags=CREAT, rights_base=fd_datasync\|fd_read\|' "file_open shows its path, oflags and rights by name (broker)"
expect_match "$t" ' broker fd_write\(fd=[0-9]+, len=12\) = 12 "traced data\\x0a" <' "a forwarded write shows its size, result and escaped data"
expect_match "$t" ' shim +fd_read\(fd=[0-9]+, iovs="traced data\\x0atraced data\\x0a", iovs_len=1\) = 24 <' "a data-plane read (served by the shim) shows what it read"
expect_match "$t" ' shim +mem_map\(addr=0x0, len=8192, prot=WRITE\|READ, flags=ANON\|PRIVATE, ' "mem_map shows prot and flags by name"
expect_match "$t" ' shim +clock_time_get\(clock_id=REALTIME, precision=1\) = [0-9]+ <' "clock_time_get shows its clock by name and the time"
expect_match "$t" ' shim +proc_raise\(sig=0\) = -1 EINVAL <0\.[0-9]{9}>' "an error shows by name, with a duration"
expect_match "$t" ' broker proc_exec\(fd=999, .*\) = -1 EBADF <' "a refusal by the broker shows its errno by name"
expect_match "$t" ' broker file_unlink\(fd=[0-9]+, path="sub", flags=REMOVEDIR\) = 0 <' "unlink flags by name"

# Every line has the one shape, and no line is longer than 4096 bytes.
bad=$(grep -cvE '^[0-9]+\.[0-9]+ (broker|shim) +[a-z_0-9]+\(.*\) = .* <[0-9]+\.[0-9]{9}>$' "$tmp/trace")
expect_eq "$bad" 0 "every line is PID.TID SOURCE call(args) = result <seconds>"

# The forked child's lines carry its own pid; the thread's its own tid.
main=$(sed -n 's/^\([0-9]*\)\.\([0-9]*\) broker file_open(.*/\1.\2/p' "$tmp/trace" | head -1)
expect_eq "${main%.*}" "${main#*.}" "the main thread's tid is its process's pid ($main)"
child=$(sed -n 's/^\([0-9]*\)\.[0-9]* shim *proc_exit(rval=7).*/\1/p' "$tmp/trace")
[ -n "$child" ] && [ "$child" != "${main%.*}" ]
tap_result $? "the forked child's proc_exit is its own process's (${child:-?}, not ${main%.*})"
thread=$(sed -n 's/^[0-9]*\.\([0-9]*\) shim *thread_exit(.*/\1/p' "$tmp/trace")
[ -n "$thread" ] && [ "$thread" != "${main#*.}" ]
tap_result $? "the second thread's thread_exit is its own thread's (${thread:-?})"

# Standard error by default; fd:N.
"$CAPBOX" run --trace --fd out=stdout "$BUILD/guest/hello-separate" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$(cat "$tmp/out")" "Hello, world!" "--trace: the program's output is unchanged"
expect_match "$(cat "$tmp/err")" ' shim +fd_write\(fd=0, iovs="Hello, world!\\x0a", iovs_len=1\) = 14 ' "--trace writes to standard error"
"$CAPBOX" run --trace=fd:7 --fd out=stdout "$BUILD/guest/hello-separate" \
	7>"$tmp/fd7" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_match "$(cat "$tmp/fd7")" ' proc_exit\(rval=0\)' "--trace=fd:7 writes to descriptor 7"
expect_eq "$(cat "$tmp/err")" "" "and not to standard error"
"$CAPBOX" run --trace=fd:7 --fd out=stdout "$BUILD/guest/hello-separate" \
	7<"$tmp/fd7" >"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 125 "--trace=fd:N refuses a descriptor that is read-only"
expect_match "$(cat "$tmp/err")" "^capbox: --trace=fd:7: not a descriptor open for writing$" "and says so"
"$CAPBOX" run --trace="$tmp/no/such/dir/trace" "$BUILD/guest/hello-separate" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
expect_eq "$?" 125 "--trace=FILE that cannot be created is refused before the program runs"

# --stats: a table at exit with every call counted.
"$CAPBOX" run --stats --dir-rw dir="$tmp/d" "$BUILD/programs/trace_all_calls" \
	>"$tmp/out" 2>"$tmp/err" </dev/null
s=$(cat "$tmp/err")
expect_match "$s" "^% time +seconds +median-usecs +calls +errors +broker syscall" "--stats prints a table like strace -c"
expect_match "$s" " +[0-9.]+ +[0-9.]+ +[0-9.]+ +1 +1 +0 +proc_raise" "proc_raise: 1 call, 1 error, served by the shim"
expect_match "$s" " +[0-9.]+ +[0-9.]+ +[0-9.]+ +1 +1 +1 +proc_exec" "proc_exec: 1 call, 1 error, served by the broker"
expect_match "$s" "capbox: sandbox: cpu [0-9.]+s user [0-9.]+s system, peak memory [0-9]+ KiB, processes 2" "and the sandbox's CPU time, peak memory and processes"
expect_eq "$(grep -c ' proc_exit(' "$tmp/err")" 0 "--stats alone prints no trace lines"
tap_done
