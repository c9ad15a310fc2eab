#!/usr/bin/env bash
# dialback-sim --attach: an outside program on a subscriber line's modem.
#  1. unix:PATH - tests/system/attach_client.py connects to the socket the simulator
#     listens on, sends AT commands (ATZ, ATDT4084327528: OK, CONNECT 64000), then an
#     LCP Configure-Request in async HDLC, and must get the NAS's own LCP
#     Configure-Request back through the card RTL; closing the socket is DTR drop.
#  2. pty:LINK - Debian's `chat` (what pppd runs to dial) dials the NAS on the pty.
# Short in simulated time (1 s modem training, a few seconds each).
set -euo pipefail
BUILD=${BUILD:-build/san}
sim="$BUILD/dialback-sim"
[ -x "$sim" ] || { echo "missing $sim"; exit 1; }
tmp=$(mktemp -d); pid=; [ -n "${KEEP_TMP:-}" ] && echo "tmp: $tmp"
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; [ -n "${KEEP_TMP:-}" ] || rm -rf "$tmp"; }
trap cleanup EXIT
need() {  # need REGEX FILE: an extended regex that must match a line of FILE
  grep -Eq -- "$1" "$2" || { tail -n 30 "$2"; echo "not found in $(basename "$2"): $1"; exit 1; }
}

# 1. unix socket, the simulator listening (qemu -chardev socket,path=... connects)
timeout 600 "$sim" --scenario attach --attach 5279651=unix:"$tmp/line.sock" --duration 60 \
  >"$tmp/unix.log" 2>&1 &
pid=$!
timeout 600 python3 tests/system/attach_client.py unix "$tmp/line.sock" >"$tmp/client.log" 2>&1 || {
  cat "$tmp/client.log"; tail -n 40 "$tmp/unix.log"; exit 1; }
rc=0; wait "$pid" || rc=$?; pid=
cat "$tmp/client.log"
[ $rc -eq 0 ] || { tail -n 40 "$tmp/unix.log"; echo "dialback-sim exited $rc"; exit 1; }
need "^attach: 5279651: unix socket $tmp/line.sock \\(listening\\)" "$tmp/unix.log"
need '^attach: 5279651: connected' "$tmp/unix.log"
need '^attach: 5279651: disconnected \(DTR drop\)' "$tmp/unix.log"
need '^client: NAS LCP CONFREQ ff03c02101' "$tmp/client.log"
# the NAS saw the call to its number and the client's LCP (ACCM 0x000A0000)
need 'ISDN Se0:23: RX <- SETUP' "$tmp/unix.log"
need 'TTY1 Autoselect cmd: ppp negotiate' "$tmp/unix.log"
need 'As1 LCP: O CONFREQ \[[A-Za-z]+\] id [0-9]+ len [0-9]+' "$tmp/unix.log"
need '^client 5279651 attach: PASS .*dialled 4084327528; 1 call\(s\) out' "$tmp/unix.log"
need '^attach: PASS: 1 of 1 attached lines completed, 0 failed' "$tmp/unix.log"

# 2. a pty, dialled by chat
timeout 600 "$sim" --scenario attach --attach 5279652=pty:"$tmp/modem" --duration 30 \
  >"$tmp/pty.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -L "$tmp/modem" ] && break; sleep 0.1; done
[ -L "$tmp/modem" ] || { cat "$tmp/pty.log"; echo "no pty link"; exit 1; }
timeout 300 chat -t 120 ABORT BUSY ABORT 'NO CARRIER' ABORT ERROR '' ATZ OK ATDT4084327528 \
  'CONNECT 64000' <"$tmp/modem" >"$tmp/modem" || { echo "chat failed: $?"; tail -n 30 "$tmp/pty.log"; exit 1; }
rc=0; wait "$pid" || rc=$?; pid=
[ $rc -eq 0 ] || { tail -n 40 "$tmp/pty.log"; echo "dialback-sim exited $rc"; exit 1; }
need '^attach: 5279652: pty /dev/pts/[0-9]+ linked as ' "$tmp/pty.log"
need '^client 5279652 attach: PASS .*dialled 4084327528; 1 call\(s\) out' "$tmp/pty.log"
echo "test_attach: PASS (unix socket and pty)"
