#!/usr/bin/env bash
# rtl/formal/run.sh OUTDIR - prove the RTL's formal properties with Yosys alone.
# Exits non-zero when a proof fails (sat -verify) or Yosys is missing.
# SPDX-License-Identifier: MIT
set -euo pipefail
out=${1:-build/formal}
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$out"
command -v yosys >/dev/null || { echo "formal: yosys not found" >&2; exit 1; }

prove() {   # prove NAME TOP FILES...: induction over the asserts of TOP
	local name=$1 tmod=$2; shift 2
	local log="$out/$name.log"
	if yosys -q -l "$log" -p "read_verilog -formal $*; prep -top $tmod; flatten; \
		sat -tempinduct -prove-asserts -set-assumes -set-init-zero -verify -seq 1 -maxsteps 12" \
		>/dev/null 2>&1; then
		echo "formal: $name PASS"
	else
		echo "formal: $name FAIL (log: $log)" >&2
		tail -n 20 "$log" >&2
		return 1
	fi
}

cd "$top"
prove hdlc_tx_no_bare_flag hdlc_tx_formal rtl/fcs16.v rtl/fcs32.v rtl/hdlc_tx_step.v rtl/formal/hdlc_tx_formal.v

# The proof must not be vacuous: a transmitter that forgets to escape 0x7E must fail it.
sed 's/need_esc = (o == 8'"'"'h7E) || /need_esc = /' rtl/hdlc_tx_step.v > "$out/hdlc_tx_step_mutant.v"
if grep -q "need_esc = (o == 8'h7D)" "$out/hdlc_tx_step_mutant.v" && \
   ! prove mutant_must_fail hdlc_tx_formal rtl/fcs16.v rtl/fcs32.v "$out/hdlc_tx_step_mutant.v" \
	rtl/formal/hdlc_tx_formal.v 2>/dev/null; then
	echo "formal: mutant (no 0x7E escape) caught, as it must be"
else
	echo "formal: the property did not catch a transmitter that sends 0x7E raw" >&2
	exit 1
fi
