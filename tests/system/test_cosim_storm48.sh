#!/usr/bin/env bash
# 48 concurrent callbacks in the co-simulation: dialback-sim --scenario storm --spans 2
# --clients 48 (sim/scenario_storm.c): 48 seed-like Windows clients (no think time) on
# 48 modem lines, like the AS5200's 48 modems, dial the NAS within the same 50 ms.
# Two PRI spans carry only 46 B-channels, so the test is made valid this way, not by
# staggering: 46 first calls get through, the 2 others find every channel busy and
# redial every 2 s (up to 3 times, as Windows' "redial attempts" does); a PC waiting
# for its callback holds no channel, and each user hangs up 1 s after getting online,
# so channels come free; a callback that finds no free channel fails (the storm's
# callback chat script has TIMEOUT 15) and is retried by the NAS (3 times, 2 s apart).
# All 48 callbacks are in progress together (48 lines in the callback cycle) while at
# most 46 calls are up at any instant.  About 34 s simulated, ~40 s CPU (release).
# Checks: 48 of 48 clients online after their callback (their side), 48 different users
# called back at their own numbers and 48 routes installed (one per session) (the NAS's side), calls on
# both spans, the 2 redials.
set -euo pipefail
BUILD=${BUILD:-build/san}
sim="$BUILD/dialback-sim"
[ -x "$sim" ] || { echo "missing $sim"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
t="$tmp/trace"
timeout 3000 "$sim" --scenario storm --spans 2 --clients 48 --seed 3 >"$t" 2>&1 || {
  grep -E '^(client .*FAIL|storm:)' "$t" | head -n 20; tail -n 20 "$t"; echo "dialback-sim failed"; exit 1; }
grep -q '^storm: PASS: 48 of 48 sessions completed, 0 failed' "$t"
n=$(grep -Ec '^client 528[0-9]{4} winnt-ask user u[0-9]{2}: PASS online after callback; dialled 4084327528; [1-4] call\(s\) out, 1 in; ip 10\.1\.1\.[0-9]+$' "$t")
[ "$n" -eq 48 ] || { echo "expected 48 clients online after callback, got $n"; exit 1; }
# the redials: exactly the calls that found no channel were made twice
r=$(grep -Ec '; [2-4] call\(s\) out, 1 in;' "$t" || true)
[ "$r" -ge 2 ] || { echo "expected at least 2 redials (48 calls on 46 channels), got $r"; exit 1; }
# the NAS: 48 distinct users called back, each at its own number
n=$(grep -Eo 'Callback process initiated, user: u[0-9]{2} dialstring 528[0-9]{4}$' "$t" |
    awk '{ u = substr($5, 2) + 0; d = $7 - 5280000; if (u == d) print $5 }' | sort -u | wc -l)
[ "$n" -eq 48 ] || { echo "expected 48 users called back at their numbers, got $n"; exit 1; }
# one route per callback session (addresses come back to the pool as users hang up)
n=$(grep -Ec 'IPCP: Install route to 10\.1\.1\.[0-9]+$' "$t")
[ "$n" -eq 48 ] || { echo "expected 48 routes installed, got $n"; exit 1; }
grep -q 'ISDN Se0:23: TX -> SETUP' "$t"
grep -q 'ISDN Se1:23: TX -> SETUP' "$t"
echo "test_cosim_storm48: PASS"
