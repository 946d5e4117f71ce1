# sock_accept.sh: a listening unix socket inherited as fd 3: the guest accepts with sock_recv and talks to a client.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# python3 binds and listens, runs capbox with the listener as fd 3,
# connects, sends "hello" and prints what comes back.
out=$(python3 - "$CAPBOX" "$BUILD/programs/sock_accept" "$tmp/lis.sock" "$tmp/guest.out" <<'PY'
import os, socket, subprocess, sys
capbox, prog, path, log = sys.argv[1:5]
lis = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
lis.bind(path)
lis.listen(4)
os.dup2(lis.fileno(), 3)
os.set_inheritable(3, True)
with open(log, "w") as f:
    p = subprocess.Popen([capbox, "run", "--fd", "out=stdout", "--fd", "lis=3", prog],
                         stdout=f, stderr=subprocess.STDOUT, pass_fds=(3,))
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(20)
c.connect(path)
c.sendall(b"hello")
answer = b""
try:
    while len(answer) < 5:
        chunk = c.recv(5 - len(answer))
        if not chunk:
            break
        answer += chunk
except socket.timeout:
    pass
print(answer.decode(errors="replace"))
print(p.wait(timeout=30))
PY
)
expect_eq "$(printf '%s\n' "$out" | sed -n 1p)" "world" "the guest accepted the connection and answered"
expect_eq "$(printf '%s\n' "$out" | sed -n 2p)" "0" "the guest exits 0"
# The guest's own assertions count too.
cat "$tmp/guest.out" | sed 's/^\(ok\|not ok\|skip\) [0-9]* /\1 - guest: /'
expect_match "$(cat "$tmp/guest.out")" "assertions, 0 failed" "every guest assertion held"
tap_done
