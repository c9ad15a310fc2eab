#!/usr/bin/env bash
# The seed scenario's checks on one trace of `dialback-sim --scenario seed`:
#   tests/system/seed-check.sh NAME TRACE
# the callback completed, it shows as an outgoing call on Serial0:22, the user is on
# Async4 with a pool address, and every line of tests/system/seed-trace.expected (the
# lines our trace shares verbatim with the seed document, timestamps aside) appears in
# the trace in that order.  Regenerate the expected lines with tests/system/seed-trace.sh
# when the trace legitimately changes.  Used by test_seed_usb.sh.
set -euo pipefail
name=$1 f=$2
cd "$(dirname "$0")/../.."
grep -q '^seed: PASS: 1 of 1 callbacks completed, 0 failed' "$f" ||
  { echo "$name: the callback did not complete"; exit 1; }
grep -Eq '^Out +5279651 +Serial0:22 ' "$f" ||
  { echo "$name: show isdn active has no outgoing call to 5279651"; exit 1; }
grep -Eq '^  As4 +callmeback +Async PPP .* 172\.16\.25\.(59|60|61|62)$' "$f" ||
  { echo "$name: show users has no callmeback on As4 with a pool address"; exit 1; }
sed -E 's/^\*[A-Z][a-z]{2} [0-9]+ [0-9:.]+: ?//' "$f" |
  awk -v name="$name" 'BEGIN { n = 0; i = 0 } NR == FNR { want[n++] = $0; next }
       i < n && $0 == want[i] { i++ }
       END { if (i < n) { printf "%s: missing from the trace (in order): %s\n", name, want[i]; exit 1 }
             printf "%s: all %d expected lines, in order\n", name, n }' \
    tests/system/seed-trace.expected -
