#!/usr/bin/env bash
# The real-client rig's first step (tests/interop/): Debian's own pppd, in a qemu VM
# booted from Debian's kernel, sends its LCP Configure-Request with the CBCP callback
# option out of its serial port to a socket on the host.  The NAS is attached to the
# same socket by the later interop tests.
set -euo pipefail
img=build/interop
tmp=$(mktemp -d); vm=; sniff=
cleanup() { for p in $vm $sniff; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

bash tests/interop/build-image.sh "$img"
"$BUILD/interop/ppp_sniff" "$tmp/ppp.sock" 90 >"$tmp/sniff.log" 2>&1 &
sniff=$!
for _ in $(seq 50); do [ -S "$tmp/ppp.sock" ] && break; sleep 0.1; done
bash tests/interop/run-vm.sh "$img" "$tmp/ppp.sock" "$tmp/console.log" 100 smoke >"$tmp/qemu.log" 2>&1 &
vm=$!
rc=0; wait "$sniff" || rc=$?; sniff=
cat "$tmp/sniff.log"
grep '^RIG:' "$tmp/console.log" || true
[ $rc -eq 0 ] || { echo "--- console"; tail -n 30 "$tmp/console.log"; cat "$tmp/qemu.log"; exit 1; }
grep -q 'RIG: scenario=smoke' "$tmp/console.log"
grep -q 'ff 03 c0 21 01 .* 0d 03 06' "$tmp/sniff.log"
echo "interop smoke: ok"
