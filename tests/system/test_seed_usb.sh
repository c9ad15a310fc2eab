#!/usr/bin/env bash
# The seed's callback twice at once, one run per core: over the in-process transport
# and over --transport usb (the daemon's real libusb driver, drivers/card_usb.c, through
# an emulated FT232H on umockdev, to the same Verilated card).  Both traces must pass
# the seed checks of seed-check.sh (tests/system/seed-trace.expected, in order), and
# they must be byte-identical, timestamps included: the USB path runs in the same
# simulated time as the in-process one.  Two runs with the same --seed being
# identical is also the co-simulation's determinism check.
# Env: BUILD (default build/san).  Builds $BUILD/umockdev/dialback-sim if needed.
set -euo pipefail
BUILD=${BUILD:-build/san}
cd "$(dirname "$0")/../.."

sim="$BUILD/dialback-sim"
usbsim="$BUILD/umockdev/dialback-sim"
san=${SAN:-0}; case "$BUILD" in *san*) san=1;; esac   # flavour of the build dir
mk=(make --no-print-directory -s SAN=$san BUILD="$BUILD")
if ! grep -qE '^[[:space:]]*-?include[[:space:]]+tests/umockdev/rules.mk' Makefile; then mk+=(-f Makefile -f tests/umockdev/rules.mk); fi
"${mk[@]}" "$sim" "$usbsim"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp            # umockdev's testbed directory goes here and goes with it
args=(--config examples/seed.cfg --scenario seed --seed 1)

rc_in=0; rc_usb=0
timeout 1500 "$sim" "${args[@]}" >"$tmp/inproc" 2>"$tmp/inproc.err" &
pid=$!
# umockdev's preload comes before the ASan runtime in the library list: allowed here
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" DIALBACK_USB_STATS=1 \
  timeout 1500 umockdev-wrapper "$usbsim" "${args[@]}" --transport usb >"$tmp/usb" 2>"$tmp/usb.err" ||
  rc_usb=$?
wait $pid || rc_in=$?

check() {   # check NAME FILE RC
  local name=$1 f=$2 rc=$3
  if [ "$rc" -ne 0 ]; then tail -n 40 "$f" "$f.err"; echo "$name: dialback-sim failed ($rc)"; return 1; fi
  tests/system/seed-check.sh "$name" "$f"
}
check inproc "$tmp/inproc" $rc_in
check usb "$tmp/usb" $rc_usb
grep -E '^  (input|output|transfers)|frames [0-9]+, with USB' "$tmp/usb.err" || true
# the driver really carried the run: transfers both ways, no errors
grep -Eq '^  input: [1-9][0-9]* bytes, [1-9][0-9]* transfers, 0 errors' "$tmp/usb.err"
grep -Eq '^  output: [1-9][0-9]* bytes, [1-9][0-9]* transfers, 0 errors' "$tmp/usb.err"
if ! cmp -s "$tmp/inproc" "$tmp/usb"; then
  diff "$tmp/inproc" "$tmp/usb" | head -n 40
  echo "the usb trace differs from the in-process one"; exit 1
fi
echo "seed over usb: PASS ($(wc -l <"$tmp/usb") trace lines, identical to in-process, timestamps included)"
