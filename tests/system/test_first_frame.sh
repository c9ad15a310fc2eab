#!/usr/bin/env bash
# The spine's end-to-end test: frames from the host's card layer through the
# Verilated card, a T1 line and the telco's independent decoder, back to the host;
# one corrupted frame must come back as a bad-FCS end of frame.  (sim/scenario_frame.c)
set -euo pipefail
out=$("$BUILD/dialback-sim" --scenario first-frame --seed 3)
echo "$out"
grep -q '^first-frame: PASS' <<<"$out"
grep -q 'host received 11 good, 1 bad (bad-FCS counter 1), 0 mismatched' <<<"$out"
