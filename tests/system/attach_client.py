#!/usr/bin/env python3
# A stand-in for pppd+chat on a dialback-sim --attach line (tests/system/test_attach.sh):
# it talks Hayes AT to the subscriber modem, dials the NAS, and once CONNECTed sends a
# Windows-like LCP Configure-Request in RFC 1662 framing and waits for the NAS's own
# LCP Configure-Request (through the card RTL and back).  Then it hangs up by closing.
#   attach_client.py unix PATH | pty PATH
import os, socket, sys, time

FCS_TAB = []
for b in range(256):
    v = b
    for _ in range(8):
        v = (v >> 1) ^ 0x8408 if v & 1 else v >> 1
    FCS_TAB.append(v)

def fcs16(data):
    f = 0xFFFF
    for b in data:
        f = (f >> 8) ^ FCS_TAB[(f ^ b) & 0xFF]
    return f ^ 0xFFFF

def frame(payload):
    f = fcs16(payload)
    raw = payload + bytes([f & 0xFF, f >> 8])
    out = bytearray([0x7E])
    for b in raw:
        if b < 0x20 or b in (0x7D, 0x7E):
            out += bytes([0x7D, b ^ 0x20])
        else:
            out.append(b)
    out.append(0x7E)
    return bytes(out)

def deframe(stream):
    """complete frames with a good FCS, unescaped, without the FCS"""
    frames = []
    for chunk in stream.split(b'\x7e'):
        d = bytearray(); esc = False
        for b in chunk:
            if esc: d.append(b ^ 0x20); esc = False
            elif b == 0x7D: esc = True
            elif b >= 0x20: d.append(b)
        if len(d) >= 4 and fcs16(bytes(d[:-2])) == (d[-2] | d[-1] << 8):
            frames.append(bytes(d[:-2]))
    return frames

mode, path = sys.argv[1], sys.argv[2]
deadline = time.time() + 240
if mode == 'unix':
    s = socket.socket(socket.AF_UNIX)
    while True:
        try:
            s.connect(path); break
        except OSError:
            if time.time() > deadline: sys.exit('no socket ' + path)
            time.sleep(0.1)
    rd, wr = s.recv, s.sendall
else:
    while not os.path.exists(path):
        if time.time() > deadline: sys.exit('no pty ' + path)
        time.sleep(0.1)
    fd = os.open(path, os.O_RDWR | os.O_NOCTTY)
    rd = lambda n: os.read(fd, n)
    wr = lambda d: os.write(fd, d)

buf = b''
def expect(tok):
    global buf
    while tok not in buf:
        if time.time() > deadline: sys.exit('timeout waiting for %r, have %r' % (tok, buf))
        d = rd(4096)
        if not d: sys.exit('EOF waiting for %r, have %r' % (tok, buf))
        buf += d
    print('client: got %r' % tok, flush=True)
    buf = buf[buf.index(tok) + len(tok):]

wr(b'ATZ\r'); expect(b'OK')
wr(b'ATE0V1S0=0\r'); expect(b'OK')
wr(b'ATDT4084327528\r'); expect(b'CONNECT 64000')
# LCP Configure-Request id 3: ACCM 000A0000, magic, PFC, ACFC (no callback)
wr(frame(bytes.fromhex('ff03c021010300140206000a0000050611223344070208 02'.replace(' ', ''))))
while True:
    got = [f for f in deframe(buf) if f[:5] == bytes.fromhex('ff03c02101')]
    if got:
        print('client: NAS LCP CONFREQ ' + got[0].hex(), flush=True)
        break
    if time.time() > deadline: sys.exit('no LCP Configure-Request from the NAS: %r' % buf)
    d = rd(4096)
    if not d: sys.exit('EOF before the NAS LCP')
    buf += d
print('client: done', flush=True)
