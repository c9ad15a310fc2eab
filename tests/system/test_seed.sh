#!/usr/bin/env bash
# The main job: the seed's whole callback in the co-simulation (real card RTL, real
# daemon code, telco, a Windows PC).  The trace is checked against
# tests/system/seed-trace.expected: every line of the seed document that our trace
# reproduces verbatim (timestamps aside), in the seed's order.  Regenerate it with
# tests/system/seed-trace.sh when the trace legitimately changes.
set -euo pipefail
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
timeout 1500 "$BUILD/dialback-sim" --config examples/seed.cfg --scenario seed --seed 1 >"$tmp/trace" 2>&1 || {
  tail -n 40 "$tmp/trace"; echo "dialback-sim failed"; exit 1; }
grep -q '^seed: PASS: 1 of 1 callbacks completed, 0 failed' "$tmp/trace"
# the callback shows as an outgoing call, the user is on Async4 with a pool address
grep -Eq '^Out +5279651 +Serial0:22 ' "$tmp/trace"
grep -Eq '^  As4 +callmeback +Async PPP .* 172\.16\.25\.(59|60|61|62)$' "$tmp/trace"
# the expected lines, in order, as a subsequence of the trace (timestamps stripped)
sed -E 's/^\*[A-Z][a-z]{2} [0-9]+ [0-9:.]+: ?//' "$tmp/trace" >"$tmp/lines"
awk 'BEGIN { n = 0; i = 0 } NR == FNR { want[n++] = $0; next }
     i < n && $0 == want[i] { i++ }
     END { if (i < n) { printf "missing from the trace (in order): %s\n", want[i]; exit 1 }
           printf "seed trace: all %d expected lines, in order\n", n }' \
  tests/system/seed-trace.expected "$tmp/lines"
