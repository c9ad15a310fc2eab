#!/usr/bin/env bash
# The real client (issue 9), other cases: Debian's pppd in the interop VM on a line of
# the co-simulated NAS (tests/interop/run-scenario.sh), with the seed's configuration
# plus a PAP fallback and two users of our own:
#   dialin       pppd without callback: CHAP, IPCP, pings to the NAS's address.  As
#                root (and with /dev/net/tun) they go through the kernel's TUN
#                device in a network namespace of the simulator's own, as dialbackd's
#                would, and 20 lines go through a TCP echo server there, VJ-compressed
#                both ways (Linux's slhc in the VM against ours); otherwise the pings
#                go to the simulator's IP endpoint
#   pap          pppd refusing CHAP: the NAS falls back to PAP (ppp authentication
#                chap pap), IPCP, pings
#   badpass      a wrong CHAP secret: the NAS answers Failure and (max-bad-auth 3)
#                challenges again; pppd gives up (exit 19), the NAS drops the call
#   preconfigured  user fixedcb has callback-dialstring 5279651: pppd's offered number
#                (5550000, which would reach nobody) is ignored, the NAS offers an
#                admin-defined callback and dials 5279651; pppd answers and pings
# Bounded: each run's VM and simulator are killed after LIMIT seconds (default 600).
set -euo pipefail
BUILD=${BUILD:-build/san}
out=$(mktemp -d); [ -n "${KEEP_TMP:-}" ] && echo "logs: $out"
trap '[ -n "${KEEP_TMP:-}" ] || rm -rf "$out"' EXIT
export LIMIT=${LIMIT:-600}
cur=
fail() { echo "FAIL ($cur): $*"; echo "--- console"; grep -a -v '^\s*$' "$out/$cur/console.txt" | tail -n 50
         echo "--- trace"; tail -n 50 "$out/$cur/sim.log"; exit 1; }
want() { grep -aEq "$2" "$out/$cur/$1" || fail "missing in $1: $2"; }
lack() { ! grep -aEq "$2" "$out/$cur/$1" || fail "unexpected in $1: $2"; }
run() {   # run NAME SCENARIO [vm args]
  cur=$1; local sc=$2; shift 2
  bash tests/interop/run-scenario.sh "$sc" "$out/$cur" "$@" >"$out/$cur.rig" 2>&1 || {
    cat "$out/$cur.rig"; fail "rig"; }
  tr -d '\r' <"$out/$cur/console.log" >"$out/$cur/console.txt"
  ! grep -aEq 'runtime error|AddressSanitizer|LeakSanitizer' "$out/$cur/sim.log" || fail "sanitizer report"
  echo "$cur: $(grep 'VM ended' "$out/$cur.rig")"
}

sed -e 's/^\( *\)ppp authentication chap$/\1ppp authentication chap pap/' \
    -e 's/^\(username callmeback .*\)$/\1\nusername papuser password 0 cisco\nusername fixedcb callback-dialstring 5279651 password 0 cisco/' \
    examples/seed.cfg >"$out/nas.cfg"
grep -q '^username fixedcb' "$out/nas.cfg" && grep -q 'ppp authentication chap pap' "$out/nas.cfg"
export SIM_ARGS="--config $out/nas.cfg --spans 1"

# --- plain dial-in, through the kernel's TUN when we can -------------------------------
ktun=
if [ "$(id -u)" = 0 ] && [ -c /dev/net/tun ] && unshare -n true 2>/dev/null; then ktun=dialback0; fi
KERNEL_TUN=$ktun run dialin dialin callmeback ${ktun:+tcp}
want console.txt 'sent \[LCP ConfReq id=0x1 <asyncmap 0x0> <magic 0x[0-9a-f]+> <pcomp> <accomp>\]'
want console.txt '^CHAP authentication succeeded$'
want console.txt '^RIG: IP_UP iface=ppp0 local=172\.16\.25\.(59|6[0-2]) remote=172\.16\.25\.52$'
want console.txt '^3 packets transmitted, 3 packets received, 0% packet loss'
want console.txt '^RIG: PING_STATUS=0$'
lack sim.log 'Callback process initiated'
want sim.log 'As[0-9]+ IPCP: Install route to 172\.16\.25\.(59|6[0-2])$'
if [ -n "$ktun" ]; then
  want sim.log '^IP data plane on dialback0, address 172\.16\.25\.52$'
  want sim.log '^dialback0 is up, line protocol is up$'
  # TCP through the kernel's TUN to an echo server: VJ both ways with Linux's slhc
  want console.txt '^RIG: TCP_ECHO_LINES=20$'
  want tcp_echo.log '^tcp_echo: 172\.16\.25\.(59|6[0-2]): 20 lines$'
  want sim.log '^  VJ: rcvd [1-9][0-9]* compressed, [0-9]+ uncompressed, 0 errors; sent [1-9][0-9]* compressed, '
  want sim.log '^     [1-9][0-9]+ packets input, [0-9]+ bytes, 0 no buffer$'
else
  want sim.log '^     3 packets input, 252 bytes, 0 no buffer$'
  want sim.log '^ip endpoint: [0-9]+ datagrams from sessions, 3 echo requests, 3 echo replies'
fi

# --- PAP ---------------------------------------------------------------------------
run pap pap
want console.txt 'sent \[LCP ConfNak id=0x[0-9a-f]+ <auth pap>\]'
want console.txt 'sent \[PAP AuthReq id=0x[0-9a-f]+ user="papuser" password=<hidden>\]'
want console.txt '^PAP authentication succeeded$'
want console.txt '^RIG: PING_STATUS=0$'
want sim.log 'As[0-9]+ PAP: I AUTH-REQ id [0-9]+ len [0-9]+ from "papuser"'
want sim.log 'As[0-9]+ PAP: O AUTH-ACK id [0-9]+'
want sim.log '^ip endpoint: [0-9]+ datagrams from sessions, 3 echo requests, 3 echo replies'

# --- a wrong password ----------------------------------------------------------------
run badpass badpass
want console.txt 'rcvd \[CHAP Failure id=0x[0-9a-f]+ "Authentication failure"\]'
want console.txt 'sent \[LCP TermReq id=0x[0-9a-f]+ "Failed to authenticate ourselves to peer"\]'
want console.txt '^RIG: PPPD_EXIT_STATUS=19$'
want sim.log 'As[0-9]+ CHAP: O FAILURE id [0-9]+ len [0-9]+ msg is "Authentication failure"'
want sim.log 'As[0-9]+ LCP: I TERMREQ \[Open\]'
lack sim.log 'IPCP: Install route'

# --- a user with a preconfigured callback number --------------------------------------
run preconfigured callback fixedcb 5550000
want console.txt 'rcvd \[CBCP Request id=0x[0-9a-f]+ < AdminDefined delay = 0>\]'
want console.txt 'rcvd \[CBCP Ack id=0x[0-9a-f]+ < AdminDefined delay = 5>\]'
want console.txt '^RIG: LEG1_EXIT_STATUS=14$'
want console.txt '^RIG: PING_STATUS=0$'
want sim.log 'TTY[0-9]+ Callback process initiated, user: fixedcb dialstring 5279651$'
lack sim.log '5550000'
want sim.log '^client 5279651 attach: PASS .*dialled 4084327528; 1 call\(s\) out, 1 in$'
echo "interop variants: ok"
