#!/usr/bin/env python3
# A TCP echo server for the interop rig (run in the simulator's network namespace, so
# the VM reaches it through the daemon's TUN device): echoes every line back, closes a
# connection at a line "END" or after 60 s idle, and logs "tcp_echo: N lines" per
# connection.   tcp_echo.py PORT LOGFILE   (killed when its parent process ends)
import ctypes, socket, sys

# die with the simulator that started us (PR_SET_PDEATHSIG = 1, SIGKILL)
ctypes.CDLL(None).prctl(1, 9)

port, log = int(sys.argv[1]), sys.argv[2]
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("0.0.0.0", port))
srv.listen(4)
srv.settimeout(1800)
while True:
    conn, peer = srv.accept()
    conn.settimeout(60)
    buf, lines = b"", 0
    try:
        while True:
            data = conn.recv(4096)
            if not data:
                break
            buf += data
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line == b"END":
                    raise EOFError
                conn.sendall(line + b"\n")
                lines += 1
    except (EOFError, socket.timeout):
        pass
    conn.close()
    with open(log, "a") as f:
        f.write("tcp_echo: %s: %d lines\n" % (peer[0], lines))
