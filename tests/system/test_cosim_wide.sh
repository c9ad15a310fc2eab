#!/usr/bin/env bash
# The 28-span card model in dialback-sim (sim/vcard.cpp): --spans above the 2-span
# model's take the wide Verilated card (SPANS 28, 24.704 MHz core clock, 16 core clocks
# per T1 bit).  The first-frame scenario through it: the card reports 28 spans and 672
# channels, span 0 frames (ESF, B8ZS), every frame comes back through the line intact
# and the corrupted one as a bad-FCS end.  Also: --spans 2 keeps the 2-span model, and
# --spans 29 is refused.  About 25 s (the wide model runs ~0.6 M core clocks/s).
set -euo pipefail
BUILD=${BUILD:-build/san}
sim="$BUILD/dialback-sim"
[ -x "$sim" ] || { echo "missing $sim"; exit 1; }
out=$(timeout 600 "$sim" --scenario first-frame --spans 28 --seed 3) || { echo "$out"; echo "dialback-sim --spans 28 failed"; exit 1; }
echo "$out"
grep -q '^first-frame: card protocol 1, 28 spans, 672 channels' <<<"$out"
grep -q '^first-frame: PASS' <<<"$out"
grep -q 'host received 11 good, 1 bad (bad-FCS counter 1), 0 mismatched, 0 on other channels' <<<"$out"
grep -q 'T1 span 0 at the telco: [0-9]* frames, 0 CRC-6 errors after the span was up, 0 BPVs' <<<"$out"
# 16 core clocks per bit: 3088 per 125 us frame
cycles=$(sed -n 's/^first-frame: PASS (\([0-9]*\) cycles, .*/\1/p' <<<"$out")
[ $((cycles % 3088)) -eq 0 ] || { echo "expected whole frames of 3088 cycles, got $cycles"; exit 1; }
out2=$(timeout 600 "$sim" --scenario first-frame --spans 2 --seed 3)
grep -q '^first-frame: card protocol 1, 2 spans, 48 channels' <<<"$out2"
grep -q '^first-frame: PASS' <<<"$out2"
if "$sim" --scenario first-frame --spans 29 >/dev/null 2>&1; then
  echo "--spans 29 was accepted"; exit 1
fi
echo "test_cosim_wide: PASS"
