#!/usr/bin/env bash
# The real client (issue 9): Debian's own pppd 2.4.9 in a qemu VM, on a subscriber
# line of the co-simulated NAS (card RTL + daemon code + telco, dialback-sim --attach).
#   leg 1: chat dials ATDT4084327528, pppd authenticates as callmeback (CHAP), asks
#          for callback to 5279651 (CBCP), gets the MCB Ack and exits 14
#   leg 2: chat waits for RING and answers, the NAS's call comes up, pppd
#          authenticates again, IPCP gives it a pool address, and it pings the NAS's
#          address (172.16.25.52) - answered by the simulator's IP endpoint behind the
#          daemon's TUN interface - then hangs up
# Each step is checked in pppd's own log (the VM console) and in the daemon's trace.
# Bounded: the VM and the simulator are killed after LIMIT seconds (default 900).
set -euo pipefail
BUILD=${BUILD:-build/san}
out=$(mktemp -d); [ -n "${KEEP_TMP:-}" ] && echo "logs: $out"
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$out"' EXIT
fail() { echo "FAIL: $*"; echo "--- console"; grep -a -v '^\s*$' "$out/console.log" | tail -n 60
         echo "--- trace"; tail -n 60 "$out/sim.log"; exit 1; }
LIMIT=${LIMIT:-900} bash tests/interop/run-scenario.sh callback "$out" >"$out/rig.log" 2>&1 || {
  cat "$out/rig.log"; fail "rig"; }
tr -d '\r' <"$out/console.log" >"$out/console.txt"	# the serial console says CR LF
c="$out/console.txt" s="$out/sim.log"
want() { grep -aEq "$2" "$1" || fail "missing in $(basename "$1"): $2"; }

# pppd, leg 1: dialled, CHAP, CBCP with our number, the NAS's Ack, exit 14
want "$c" '^RIG: scenario=callback'
want "$c" 'Script chat -v -f /etc/ppp/dial.chat finished .*status = 0x0'
want "$c" 'sent \[LCP ConfReq id=0x1 <asyncmap 0x0> <callback CBCP>'
want "$c" 'rcvd \[LCP ConfAck id=0x[0-9a-f]+ <asyncmap 0x0> <callback CBCP>'
want "$c" 'rcvd \[CHAP Challenge id=0x[0-9a-f]+ <[0-9a-f]+>, name = "isdn2-2"\]'
want "$c" 'CHAP authentication succeeded'
want "$c" 'sent \[CBCP Response id=0x[0-9a-f]+ < UserDefined delay = 5 number = 5279651>'
want "$c" 'rcvd \[CBCP Ack id=0x[0-9a-f]+ < UserDefined delay = 5 number = 5279651>'
want "$c" 'peer will call: 5279651'
want "$c" 'sent \[LCP TermReq id=0x[0-9a-f]+ "Call me back, please"\]'
want "$c" '^RIG: LEG1_EXIT_STATUS=14'
# pppd, leg 2: RING answered, CHAP again, a pool address, the NAS's address, pings
want "$c" 'Script chat -v -f /etc/ppp/answer.chat finished .*status = 0x0'
[ "$(grep -ac '^CHAP authentication succeeded$' "$c")" -ge 2 ] ||
  fail "CHAP did not succeed twice"
want "$c" 'rcvd \[IPCP ConfAck id=0x[0-9a-f]+ <compress VJ 0f 01> <addr 172\.16\.25\.(59|6[0-2])>\]'
want "$c" '^RIG: IP_UP iface=ppp0 local=172\.16\.25\.(59|6[0-2]) remote=172\.16\.25\.52$'
want "$c" '^3 packets transmitted, 3 packets received, 0% packet loss'
want "$c" '^RIG: PING_STATUS=0$'

# the daemon: MCB, the callback for the user's number, IPCP on the callback leg with
# the route installed and removed, the pings through the IP interface
want "$s" 'As[0-9]+ MCB: Response CBK-Client-Num 2 12 5, addr 1-5279651'
want "$s" 'TTY[0-9]+ Callback process initiated, user: callmeback dialstring 5279651'
want "$s" 'CHAT[0-9]+: Chat script callback finished, status = Success'
want "$s" 'As[0-9]+ IPCP: State is Open'
want "$s" 'As[0-9]+ IPCP: Install route to 172\.16\.25\.(59|6[0-2])$'
want "$s" 'As[0-9]+ IPCP: Remove route to 172\.16\.25\.(59|6[0-2])$'
want "$s" '^ip endpoint: [0-9]+ datagrams from sessions, 3 echo requests, 3 echo replies, 0 ignored, 1 routes added, 1 removed'
want "$s" '^Async[0-9]+ is (up|down), line protocol is (up|down)$'
want "$s" '^     3 packets input, 252 bytes, 0 no buffer$'
want "$s" '^     3 packets output, 252 bytes, 0 underruns$'
want "$s" '^client 5279651 attach: PASS .*dialled 4084327528; 1 call\(s\) out, 1 in$'
want "$s" '^attach: PASS: 1 of 1 attached lines completed, 0 failed'
! grep -aEq 'runtime error|AddressSanitizer|LeakSanitizer' "$s" || fail "sanitizer report"
echo "interop callback: ok ($(grep 'VM ended' "$out/rig.log"))"
