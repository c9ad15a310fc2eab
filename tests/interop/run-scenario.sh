#!/usr/bin/env bash
# One real-client run: Debian's pppd in the interop VM (build-image.sh) on a subscriber
# line of the co-simulated NAS (dialback-sim --scenario attach: the card RTL, the
# daemon's code, the telco; its IP endpoint answers pings to the NAS's address).
#   run-scenario.sh SCENARIO OUTDIR [vm args...]     (scenarios: see vm-init.sh)
# Leaves OUTDIR/sim.log (the daemon's trace), OUTDIR/console.log (pppd's log and the
# RIG: lines), OUTDIR/qemu.log.  Everything is bounded: the VM by LIMIT seconds of
# wall time, the simulator too; both are killed on any exit.
# Environment: BUILD (build/san), IMG (build/interop), LIMIT (900), NUMBER (5279651:
# the subscriber line pppd sits on), SIM_ARGS (more dialback-sim options), KERNEL_TUN
# (a TUN device name: the daemon's IP data plane is the kernel's TUN device, as in
# dialbackd, in a network namespace of the simulator's own, with tcp_echo.py on port 7
# there; needs root).
set -euo pipefail
BUILD=${BUILD:-build/san}
scenario=$1 out=$2; shift 2
img=${IMG:-build/interop}
limit=${LIMIT:-900}
number=${NUMBER:-5279651}
sim="$BUILD/dialback-sim"
[ -x "$sim" ] || { echo "run-scenario: missing $sim" >&2; exit 2; }
mkdir -p "$out"
sock=$(mktemp -u /tmp/dialback-ppp.XXXXXX)	# short: sun_path has 108 octets
simpid=; vmpid=
cleanup() {
  for p in $vmpid $simpid; do kill -9 "$p" 2>/dev/null || true; done
  rm -f "$sock"
}
trap cleanup EXIT

bash tests/interop/build-image.sh "$img" >"$out/build.log" 2>&1 ||
  { cat "$out/build.log"; exit 2; }

# the simulator listens; qemu's chardev connects to it as a client
# shellcheck disable=SC2086
ns=()
if [ -n "${KERNEL_TUN:-}" ]; then
  # a network namespace of its own, with a TCP echo server on port 7 in it
  ns=(unshare -n sh -c 'python3 tests/interop/tcp_echo.py 7 "$0" & exec "$@"' "$out/tcp_echo.log"
      env DIALBACK_SIM_TUN="$KERNEL_TUN")
fi
timeout -k 5 "$limit" "${ns[@]}" "$sim" --scenario attach --attach "$number=unix:$sock" \
  --duration 3600 ${SIM_ARGS:-} >"$out/sim.log" 2>&1 &
simpid=$!
for _ in $(seq 300); do [ -S "$sock" ] && break; sleep 0.1; done
[ -S "$sock" ] || { tail -n 20 "$out/sim.log"; echo "run-scenario: simulator not listening"; exit 2; }

t0=$(date +%s)
bash tests/interop/run-vm.sh "$img" "$sock" "$out/console.log" "$limit" "$scenario" "$@" \
  >"$out/qemu.log" 2>&1 &
vmpid=$!
vmrc=0; wait "$vmpid" || vmrc=$?; vmpid=
echo "run-scenario: $scenario: VM ended (status $vmrc) after $(( $(date +%s) - t0 )) s"
# the VM's socket closed: the simulator hangs up that line's modem and ends
for _ in $(seq 600); do kill -0 "$simpid" 2>/dev/null || break; sleep 0.1; done
kill -INT "$simpid" 2>/dev/null || true
simrc=0; wait "$simpid" || simrc=$?; simpid=
echo "run-scenario: $scenario: simulator ended (status $simrc)"
grep '^RIG:' "$out/console.log" || true
