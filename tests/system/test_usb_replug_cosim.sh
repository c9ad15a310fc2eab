#!/usr/bin/env bash
# Surprise removal and re-plug of the card in the co-simulation, over --transport usb:
# the daemon's real libusb driver loses the emulated FT232H at 1.5 s simulated while the
# card RTL runs on (nothing resets it), and gets it back at 2.5 s.  The daemon side
# (as dialbackd does) clears the lines, takes the card back, re-syncs its credit counts
# (card_resync: the RTL's counts went on), reconfigures the span, and the PRI D-channel
# comes back: layer 2 up a second time, and the PC's redial reaches the daemon, is
# answered on the line the card's removal cleared, the line autoselects PPP again and
# the user authenticates (CHAP) through the card that came back.
# Env: BUILD (default build/san).
set -euo pipefail
BUILD=${BUILD:-build/san}
cd "$(dirname "$0")/../.."

usbsim="$BUILD/umockdev/dialback-sim"
san=${SAN:-0}; case "$BUILD" in *san*) san=1;; esac
mk=(make --no-print-directory -s SAN=$san BUILD="$BUILD")
if ! grep -qE '^[[:space:]]*-?include[[:space:]]+tests/umockdev/rules.mk' Makefile; then mk+=(-f Makefile -f tests/umockdev/rules.mk); fi
"${mk[@]}" "$usbsim"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp
rc=0
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" DIALBACK_USB_STATS=1 \
  DIALBACK_USB_UNPLUG=1.5,2.5 timeout 900 umockdev-wrapper "$usbsim" --config examples/seed.cfg \
  --scenario seed --seed 1 --duration 34 --transport usb >"$tmp/out" 2>"$tmp/err" || rc=$?
cat "$tmp/err"
# the scenario itself fails (its callback cannot complete in 34 s): exit 1, not a crash
[ $rc -eq 0 ] || [ $rc -eq 1 ] || { tail -n 40 "$tmp/out"; echo "dialback-sim died ($rc)"; exit 1; }
grep -q 'usb: unplugging the card at 1.500 s' "$tmp/err"
grep -q 'usb: the card went down (unplugged)' "$tmp/err"
grep -q 'usb: the card is up again (2), credit re-sync' "$tmp/err"
grep -Eq '^  [0-9]+ submit errors, 0 set-up errors, 2 arrivals, 1 removals' "$tmp/err"
grep -q 'TTY4: cleared (line card gone)' "$tmp/out"
[ "$(grep -c '%ISDN-6-LAYER2UP: Layer 2 for Interface Se0:23, TEI 0 changed to up' "$tmp/out")" -eq 2 ]
[ "$(grep -c 'CSM: D-channel Serial0:23 up' "$tmp/out")" -eq 2 ]
# after the re-plug the D-channel carries Q.931 both ways
sed -n '/D-channel Serial0:23 down/,$p' "$tmp/out" >"$tmp/after"
grep -q 'RX <- SETUP' "$tmp/after"
grep -q 'TX -> CONNECT pd = 8' "$tmp/after"
# the second call is a modem call again: the line raised DTR after the card's removal
grep -q 'CSM_PROC_IC1_RING: CSM_EVENT_MODEM_OFFHOOK at slot 0, port 3' "$tmp/after"
grep -q 'TTY4 Autoselect cmd: ppp negotiate' "$tmp/after"
grep -q 'As4 LCP: State is Open' "$tmp/after"
grep -q 'As4 CHAP: O SUCCESS' "$tmp/after"
echo "usb re-plug in the co-simulation: PASS"
