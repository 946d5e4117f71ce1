# escape_reach.sh: a socket grant reaches what it names and nothing else: a hostile guest (tests/programs/escape_reach.c) sends with raw calls to ports, abstract names and paths python3 listens on, with and without Landlock; nothing arrives.
. tests/lib/tap.sh
: "${CAPBOX:?} ${BUILD:?}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# reach LABEL [RUNNER...]: python3 listens on 127.0.0.1 (UDP P and Q, TCP
# T and U), on a host abstract name, a host path and a unix stream socket,
# grants the guest a UDP socket connected to P, one bound only, a TCP
# listener, a TCP socket connected to T and a unix socket connected to the
# stream socket, runs the guest (under RUNNER), and reports in $tmp/LABEL.*
# what arrived where.
reach() {
	local label=$1
	shift
	python3 - "$tmp" "$label" "$BUILD/programs/escape_reach" "$@" \
		>"$tmp/$label.seen" 2>"$tmp/$label.py" <<'PY'
import os, select, socket, subprocess, sys
tmp, label, prog = sys.argv[1:4]
runner = sys.argv[4:]
INET, UNIX = socket.AF_INET, socket.AF_UNIX
DGRAM, STREAM = socket.SOCK_DGRAM, socket.SOCK_STREAM

def bound(family, kind, address):
    s = socket.socket(family, kind)
    s.bind(address)
    if kind == STREAM:
        s.listen(8)
    return s

def port(s):
    return s.getsockname()[1]

def waiting(s, seconds):
    return bool(select.select([s], [], [], seconds)[0])

def datagrams(s, seconds):
    got = []
    while waiting(s, seconds):
        got.append(s.recv(4096).decode(errors="replace"))
    return got

p, q = bound(INET, DGRAM, ("127.0.0.1", 0)), bound(INET, DGRAM, ("127.0.0.1", 0))
t, u = bound(INET, STREAM, ("127.0.0.1", 0)), bound(INET, STREAM, ("127.0.0.1", 0))
name = "capbox-reach-%d-%s" % (os.getpid(), os.urandom(6).hex())
abstract = bound(UNIX, DGRAM, "\0" + name)
path = os.path.join(tmp, label + ".dgram")
at_path = bound(UNIX, DGRAM, path)
peer_lis = bound(UNIX, STREAM, os.path.join(tmp, label + ".peer"))
config = os.path.join(tmp, label + ".yaml")
with open(config, "w") as f:
    f.write(f"""%TAG ! tag:nuxi.nl,2015:cloudabi/
---
out: !fd stdout
udp_conn: !socket {{connect: '127.0.0.1:{port(p)}', type: dgram}}
udp_bound: !socket {{bind: '127.0.0.1:0', type: dgram}}
tcp_lis: !socket {{bind: '127.0.0.1:0'}}
tcp_conn: !socket {{connect: '127.0.0.1:{port(t)}'}}
unix_host: !socket {{connect: '{peer_lis.getsockname()}'}}
q_port: '{port(q)}'
u_port: '{port(u)}'
abstract: '{name}'
abstract_absent: '{name}-absent'
path: '{path}'
path_absent: '{path}-absent'
""")
with open(os.path.join(tmp, label + ".out"), "w") as out, \
     open(os.path.join(tmp, label + ".err"), "w") as err:
    status = subprocess.run(runner + [os.environ["CAPBOX"], "run", prog, config],
                            stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                            timeout=100).returncode
print("status", status)
# control-2 is the guest's last datagram: wait for it (generously), then
# give the ports where nothing may arrive a moment more.
got = []
while "control-2" not in got and waiting(p, 20):
    got.append(p.recv(4096).decode(errors="replace"))
print("p", ",".join(got + datagrams(p, 0.2)))
print("q", ",".join(datagrams(q, 0.5)) or "nothing")
print("abstract", ",".join(datagrams(abstract, 0.2)) or "nothing")
print("path", ",".join(datagrams(at_path, 0.2)) or "nothing")
print("u", "a connection" if waiting(u, 0.2) else "nothing")
# The guest's unix socket to the host: its data, and any descriptor.
fds = 0
data = b""
if waiting(peer_lis, 5):
    conn, _ = peer_lis.accept()
    while waiting(conn, 5):
        chunk, anc, _, _ = conn.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
        for level, kind, blob in anc:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds += len(blob) // 4
        if not chunk:
            break
        data += chunk
print("peer", data.decode(errors="replace"), fds)
PY
	seen=$(cat "$tmp/$label.seen")
	# The guest's own assertions count too.
	sed 's/^\(ok\|not ok\|skip\) [0-9]* /\1 - '"$label"': guest: /' "$tmp/$label.out"
}

# seen KEY: what the last run reported under KEY.
seen() {
	printf '%s\n' "$seen" | sed -n "s/^$1 //p"
}

# check LABEL: what may and may not have arrived.
check() {
	local label=$1
	expect_eq "$(seen status)" 0 "$label: the guest's every assertion held (exit 0)"
	expect_match "$(cat "$tmp/$label.out")" "assertions, 0 failed" "$label: the guest reported"
	expect_eq "$(seen p)" "control-1,control-2" \
		"$label: the granted UDP peer got exactly what was sent to it"
	expect_eq "$(seen q)" "nothing" \
		"$label: nothing reached another UDP port (sendmsg, sendto, sendmmsg; connected or bound only)"
	expect_eq "$(seen u)" "nothing" "$label: MSG_FASTOPEN opened no TCP connection to another port"
	expect_eq "$(seen abstract)" "nothing" \
		"$label: nothing reached the host's abstract name from a socket pair the broker made"
	expect_eq "$(seen path)" "nothing" "$label: nor the host's unix path"
	expect_eq "$(seen peer)" "end 0" \
		"$label: the host peer got the guest's data and no descriptor"
	[ -s "$tmp/$label.py" ] && sed 's/^/# python: /' "$tmp/$label.py"
}

reach landlock
check landlock
# Besides the ports the kernel chose for the bind: host:0 grants (capbox
# names each), nothing: no warning.
expect_eq "$(grep -v ': 127\.0\.0\.1:0: listening on 127\.0\.0\.1:[0-9]*$' "$tmp/landlock.err")" "" \
	"with every layer: no warning"

# Without Landlock (whose abstract-socket scope also refuses a host name),
# the seccomp filter alone must hold.
reach no-landlock "$BUILD/tools/without-landlock"
check no-landlock
expect_match "$(cat "$tmp/no-landlock.err")" "warning: Landlock unavailable" \
	"without Landlock: capbox says so (the run really had no Landlock)"
tap_done
