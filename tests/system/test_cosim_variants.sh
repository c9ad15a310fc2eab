#!/usr/bin/env bash
# Every subscriber client variant against the NAS in the co-simulation, twice with the
# same seed, and the pcaps of the first run through tshark.
#   dialback-sim --scenario mixed --clients 6: one client of each variant
#   (sim/scenario_storm.c): win9x (no client config: the server offers), winnt-always,
#   winnt-ask (0.5 s dialog), no-callback, preconfigured (the administrator's number),
#   pppd; all dialling at once, callback delay 1 s, 0.5 s modem training.
# Checks: every client ends as its variant should (online after a callback, or without
# one for no-callback), from the client's side AND the NAS's debug trace (the user, the
# number it dials back, the route it installs); the second run's output is identical
# to the first; each line's pcap decodes in tshark without malformed packets or expert
# errors/warnings (one known dissector complaint excepted, see below).
set -euo pipefail
BUILD=${BUILD:-build/san}
sim="$BUILD/dialback-sim"
[ -x "$sim" ] || { echo "missing $sim"; exit 1; }
command -v tshark >/dev/null || { echo "tshark not installed"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp"		# tshark's profile directory

run() {  # run OUT [extra args]: one mixed run
  local out=$1; shift
  timeout 1500 "$sim" --scenario mixed --clients 6 --seed 5 "$@" >"$out" 2>&1 || {
    tail -n 40 "$out"; echo "dialback-sim failed"; exit 1; }
}
run "$tmp/a" --pcap "$tmp/pcap"
t="$tmp/a"
grep -q '^mixed: PASS: 6 of 6 sessions completed, 0 failed' "$t"

# the clients' view: variant, user, outcome, the number each dialled, calls in/out
want() { grep -Eq "^client $1 $2 user $3: PASS $4; dialled 4084327528; 1 call\\(s\\) out, $5 in; ip 10\\.1\\.1\\.[0-9]+\$" "$t" || {
  grep "^client $1" "$t"; echo "client $1 ($2) is not as expected"; exit 1; }; }
want 5280001 win9x u01 'online after callback' 1
want 5280002 winnt-always u02 'online after callback' 1
want 5280003 winnt-ask u03 'online after callback' 1
want 5280004 no-callback u04 'online without callback' 0
want 5280005 preconfigured u05 'online after callback' 1
want 5280006 pppd u06 'online after callback' 1

# the NAS's view: whom it called back at which number, how the number was chosen
for i in 1 2 3 5 6; do
  grep -Eq "Callback process initiated, user: u0$i dialstring 528000$i\$" "$t" || {
    echo "no callback to u0$i at 528000$i"; exit 1; }
done
grep -q 'Callback process initiated, user: u04 ' "$t" && { echo "u04 was called back"; exit 1; }
grep -Eq 'MCB: User u05 Callback Number - Server 5280005$' "$t"
grep -Eq 'MCB: User u0[12] Callback Number - Client ANY$' "$t"
# six routes installed, one per client session (users hang up after 1 s online, so the
# pool may hand an address out again)
n=$(grep -Ec 'IPCP: Install route to 10\.1\.1\.[0-9]+$' "$t")
[ "$n" -eq 6 ] || { echo "expected 6 routes, got $n"; exit 1; }
# every callback is an outgoing ISDN call to the client's number
n=$(grep -Ec 'ISDN Se[01]:23: TX -> SETUP pd = 8' "$t" || true)
[ "$n" -ge 5 ] || { echo "expected >= 5 outgoing SETUPs, got $n"; exit 1; }

# the same seed twice: the same run, byte for byte
run "$tmp/b"
if ! diff -q "$tmp/a" "$tmp/b" >/dev/null; then
  diff "$tmp/a" "$tmp/b" | head -n 20; echo "two runs with --seed 5 differ"; exit 1
fi

# pcaps: one per line, LINKTYPE_PPP_WITH_DIR, clean in tshark.  Wireshark's CBCP
# dissector wants 4 octets in a type-3 (administrator's number) option; the NAS, like
# pppd's cbcp.c, sends 3 (type, length, delay): that one warning is tolerated.
for f in "$tmp"/pcap/52800{01..06}.pcap; do
  [ -s "$f" ] || { echo "missing $f"; exit 1; }
  list=$(tshark -r "$f" 2>&1)
  expert=$(tshark -r "$f" -z expert -q 2>&1)
  [ "$(head -c 4 "$f" | od -An -tx1 | tr -d ' ')" = "4d3cb2a1" ] || { echo "$f: not a nanosecond pcap"; exit 1; }
  tshark -r "$f" -T fields -e frame.protocols 2>/dev/null | grep -q 'ppp' || { echo "$f: no PPP"; exit 1; }
  if grep -qi 'malformed' <<<"$list$expert"; then echo "$list"; echo "$f: malformed"; exit 1; fi
  if grep -Eq '^Errors \(' <<<"$expert"; then echo "$expert"; echo "$f: expert errors"; exit 1; fi
  if awk '/^Warns? \(/ { w = 1; next } w && /^$/ && seen { w = 0 }
         w && /^ +[0-9]+ / { seen = 1; print }' <<<"$expert" | grep -vq 'should be 4'; then
    echo "$expert"; echo "$f: expert warnings"; exit 1
  fi
  n=$(wc -l <<<"$list")
  # callback lines: two PPP sessions (LCP, CHAP, CBCP, IPCP); no-callback: one
  [ "$n" -ge 14 ] || { echo "$list"; echo "$f: only $n records"; exit 1; }
done
tshark -r "$tmp/pcap/5280002.pcap" -Y 'cbcp' 2>/dev/null | grep -q 'Callback Response'
tshark -r "$tmp/pcap/5280002.pcap" -Y 'ipcp' 2>/dev/null | grep -q 'Configuration Ack'
tshark -r "$tmp/pcap/5280004.pcap" -Y 'cbcp' 2>/dev/null | grep -q . && { echo "CBCP on a no-callback line"; exit 1; }
echo "test_cosim_variants: PASS (6 variants, identical rerun, 6 clean pcaps)"
