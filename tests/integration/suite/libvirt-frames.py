# SPDX-License-Identifier: LGPL-2.1-or-later
"""Bad messages on sepvirt's libvirt-sock, each on a connection of its own: what each gets back.
Usage: libvirt-frames.py SOCKET. Exits non-zero naming the first unexpected answer."""
import socket
import struct
import sys

PROG, KEEPALIVE = 0x20008086, 0x6B656570
path = sys.argv[1]


def conn():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect(path)
    return s


def header(proc, serial=1, prog=PROG, vers=1, mtype=0, status=0):
    return struct.pack(">IIiiIi", prog, vers, proc, mtype, serial, status)


def message(body):
    return struct.pack(">I", len(body) + 4) + body


def read_reply(s):
    """(header fields, body) of the next message, or None when the connection closed."""
    data = b""
    while len(data) < 4:
        chunk = s.recv(4 - len(data))
        if not chunk:
            return None
        data += chunk
    n = struct.unpack(">I", data)[0]
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return struct.unpack(">IIiiIi", data[4:28]), data[28:]


def error_message(body):
    """The message of a libvirt error body: code, domain, optional string."""
    code, domain, present = struct.unpack(">iiI", body[:12])
    if not present:
        return code, None
    (slen,) = struct.unpack(">I", body[12:16])
    return code, body[16:16 + slen].decode()


def closed(s):
    try:
        return s.recv(1) == b""
    except ConnectionResetError:
        return True


def fail(what):
    sys.exit("FAIL: " + what)


# An announced length past the 32 MiB maximum: closed before anything is allocated.
s = conn()
s.sendall(struct.pack(">I", 0x7FFFFFFF) + b"x" * 64)
closed(s) or fail("oversized message left the connection open")
# A length smaller than a header: closed.
s = conn()
s.sendall(struct.pack(">I", 8) + b"abcd")
closed(s) or fail("message shorter than a header left the connection open")
# An unknown procedure: libvirtd's answer, the connection goes on.
s = conn()
s.sendall(message(header(9999, serial=7)))
(h, body) = read_reply(s)
code, msg = error_message(body)
(h[4] == 7 and h[5] == 1 and code == 39 and msg == "unknown procedure: 9999") or fail("unknown procedure: %r %r" % (h, msg))
# Its keepalive still answers on the same connection.
s.sendall(message(header(1, serial=0, prog=KEEPALIVE, mtype=2)))
(h, body) = read_reply(s)
(h[0] == KEEPALIVE and h[2] == 2) or fail("no keepalive pong: %r" % (h,))
# A wrong program, a wrong version: errors, the connection goes on.
s.sendall(message(header(1, prog=0x12345678)))
(h, body) = read_reply(s)
"program mismatch" in (error_message(body)[1] or "") or fail("wrong program: %r" % (body,))
s.sendall(message(header(1, vers=9)))
(h, body) = read_reply(s)
"version mismatch" in (error_message(body)[1] or "") or fail("wrong version: %r" % (body,))
# Arguments that do not decode (open's optional string says 'present', then nothing): refused.
s.sendall(message(header(1, serial=9) + struct.pack(">I", 1)))
(h, body) = read_reply(s)
error_message(body)[1] == "Unable to decode message payload" or fail("bad payload: %r" % (body,))
# A string longer than the message: refused the same way, nothing allocated for it.
s.sendall(message(header(1, serial=10) + struct.pack(">II", 1, 0x7FFFFFF0)))
(h, body) = read_reply(s)
error_message(body)[1] == "Unable to decode message payload" or fail("huge string: %r" % (body,))
# A call before open: refused.
s.sendall(message(header(273, serial=11) + struct.pack(">iI", 1, 0)))
(h, body) = read_reply(s)
"connection not open" in (error_message(body)[1] or "") or fail("call before open: %r" % (body,))
# A truncated message, then the peer goes away: nothing waits for the rest.
s2 = conn()
s2.sendall(struct.pack(">I", 200) + header(1)[:10])
s2.close()
print("bad messages refused")
