#!/usr/bin/env bash
# The USB transport end to end: the real drivers/card_usb.c + drivers/card.c on a real
# event loop, talking through unmodified libusb-1.0 to an emulated FT232H (umockdev)
# whose FIFO side is a small C card (tests/umockdev/test_usb_e2e.c): round trips,
# garbage / short packets / stalls, unplug during traffic, re-plug, two cards told
# apart by serial number, idle CPU figure.
# Builds the test through tests/umockdev/rules.mk if the top Makefile has not.
# Env: BUILD (default build/san).
set -euo pipefail
BUILD=${BUILD:-build/san}
cd "$(dirname "$0")/../.."

bin="$BUILD/umockdev/test_usb_e2e"
san=${SAN:-0}; case "$BUILD" in *san*) san=1;; esac   # flavour of the build dir
mk=(make --no-print-directory -s SAN=$san BUILD="$BUILD")
if ! grep -qE '^[[:space:]]*-?include[[:space:]]+tests/umockdev/rules.mk' Makefile; then mk+=(-f Makefile -f tests/umockdev/rules.mk); fi
"${mk[@]}" "$bin"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp            # umockdev's testbed directory goes here and goes with it
# umockdev's preload comes before the ASan runtime in the library list: allowed here
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# the test is one process (emulator threads + daemon loop); timeout bounds it
rc=0
timeout --kill-after=5 120 umockdev-wrapper "$bin" >"$tmp/out" 2>&1 || rc=$?
cat "$tmp/out"
[ $rc -eq 0 ] || { echo "test_usb_e2e failed (exit $rc)"; exit 1; }
grep -q 'PASSED  \] 14 test(s)' "$tmp/out"
grep -q '^idle (' "$tmp/out"
echo "usb loopback: PASS"
