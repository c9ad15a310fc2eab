#!/usr/bin/env bash
# constraints/synth.sh OUTDIR - synthesis of the dialback card (called by `make synth`)
#
# 1. Board build: Yosys synth_ice40 + nextpnr-ice40 for iCE40-HX8K ct256 at 60 MHz,
#    top card_hx8k_top (rtl/card.f + rtl/card_hx8k_top.v, 2 spans, CORE_HZ 60 MHz),
#    pins from constraints/dialback-hx8k.pcf; prints LC / RAM use and Fmax and packs
#    OUTDIR/card/dialback-hx8k.bin.  (Skipped when rtl/card_top.v does not exist.)
# 2. The line side alone (t1_line_bank, 2 spans, 60 MHz, pins placed freely): the
#    same figures for rtl/t1_*.v.
# 3. Generic Yosys `synth` of t1_line_bank and of card_top for 1, 2 and 28 spans with
#    memories kept as memories: logic cells, flip-flops and memory bits (what a span
#    costs: memory bits, not logic).
# Exit status: that of the board build (1 if it did not place, route or meet 60 MHz).
# SPDX-License-Identifier: MIT
set -uo pipefail

OUT=${1:-build/synth}
cd "$(dirname "$0")/.."
mkdir -p "$OUT"
YOSYS=${YOSYS:-yosys}
NEXTPNR=${NEXTPNR:-nextpnr-ice40}
FREQ=${FREQ:-60}

T1_FILES="rtl/ram_sdp.v rtl/t1_line_dec.v rtl/t1_line_enc.v rtl/t1_rx_front.v rtl/t1_tx_front.v"
T1_FILES="$T1_FILES rtl/t1_clock.v rtl/t1_rx_framer.v rtl/t1_tx_framer.v rtl/t1_elastic.v rtl/t1_line_bank.v"

ice40_build() {   # ice40_build NAME TOP "FILES" PCF_ARGS: synth + place & route + figures
	local name=$1 top=$2 files=$3 pcf=$4 dir="$OUT/$1" t0 t1 t2 rc=0
	mkdir -p "$dir"
	echo "== $name: iCE40-HX8K ct256, top $top, ${FREQ} MHz"
	t0=$(date +%s.%N)
	if ! $YOSYS -q -l "$dir/yosys.log" -p "read_verilog -DSYNTHESIS $files
		chparam -set CORE_HZ 60000000 t1_line_bank
		synth_ice40 -top $top -json $dir/$top.json" >/dev/null; then
		echo "  yosys failed (log: $dir/yosys.log)"; return 1
	fi
	t1=$(date +%s.%N)
	# shellcheck disable=SC2086
	$NEXTPNR --hx8k --package ct256 --json "$dir/$top.json" $pcf --freq "$FREQ" \
		--asc "$dir/$top.asc" --log "$dir/nextpnr.log" -q >/dev/null 2>&1 || rc=1
	t2=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN{printf "  yosys %.1f s, nextpnr %.1f s\n", b-a, c-b}'
	grep -E "ICESTORM_LC:|ICESTORM_RAM:" "$dir/nextpnr.log" | tail -n 2 | sed 's/^Info:[[:space:]]*/  /'
	grep -E "Max frequency for clock" "$dir/nextpnr.log" | tail -n 1 | sed 's/^[A-Za-z]*:[[:space:]]*/  /'
	if [ $rc -ne 0 ]; then
		echo "  nextpnr-ice40 failed: $(grep -m1 -E '^ERROR' "$dir/nextpnr.log")"
		return 1
	fi
	if command -v icepack >/dev/null; then icepack "$dir/$top.asc" "$dir/$top.bin"; fi
	return 0
}

status=0
if [ -n "${SKIP_CARD:-}" ]; then
	echo "== card: skipped (SKIP_CARD set)"
elif [ -f rtl/card_top.v ] && [ -f rtl/card.f ]; then
	CARD_FILES="$(grep -v '^[[:space:]]*#' rtl/card.f | grep '\.v[[:space:]]*$' | tr '\n' ' ') rtl/card_hx8k_top.v"
	ice40_build card card_hx8k_top "$CARD_FILES" "--pcf constraints/dialback-hx8k.pcf" || status=1
	[ -f "$OUT/card/card_hx8k_top.bin" ] && cp "$OUT/card/card_hx8k_top.bin" "$OUT/dialback-hx8k.bin"
else
	echo "== card: rtl/card_top.v not found, board build skipped"
fi
ice40_build line t1_line_bank "$T1_FILES" "--pcf-allow-unconstrained" || true

generic() {   # generic TOP "FILES": Yosys generic synth for 1, 2 and 28 spans
	local top=$1 files=$2 n w hz cells ffs mems mbits mcells
	echo "== generic synth of $top (memories kept as memories)"
	printf "  %-6s %12s %10s %12s %9s\n" spans "logic cells" "of them FF" "memory bits" memories
	for n in 1 2 28; do
		w=1; while [ $((1 << w)) -lt "$n" ]; do w=$((w + 1)); done
		hz=6176000; [ "$n" -gt 14 ] && hz=12352000
		$YOSYS -q -l "$OUT/yosys-generic-$top-$n.log" -p "read_verilog -DSYNTHESIS $files
			chparam -set SPANS $n -set SPAN_W $w -set CORE_HZ $hz $top
			synth -top $top -flatten -run begin:fine
			opt -fast -full; techmap; opt -fast; abc -fast; opt -fast
			tee -q -o $OUT/stat-$top-$n.txt stat
			write_json $OUT/generic-$top-$n.json" >/dev/null || { echo "  yosys failed for $n spans"; continue; }
		cells=$(awk '/Number of cells:/{v=$4} END{print v+0}' "$OUT/stat-$top-$n.txt")
		ffs=$(awk '$1 ~ /^\$_(S|DFF|ALDFF|SDFF|DFFE|SDFFE|SDFFCE)/ {s+=$2} END{print s+0}' "$OUT/stat-$top-$n.txt")
		# memory bits from the $mem_v2 cells (WIDTH x SIZE), which `stat` does not count here
		read -r mems mbits < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
n = b = 0
for m in d["modules"].values():
    for c in m["cells"].values():
        if c["type"].startswith("$mem"):
            p = c["parameters"]
            n += 1
            b += int(p["WIDTH"], 2) * int(p["SIZE"], 2)
print(n, b)' "$OUT/generic-$top-$n.json")
		mcells=$(awk '$1 ~ /^\$mem/ {s+=$2} END{print s+0}' "$OUT/stat-$top-$n.txt")
		printf "  %-6s %12s %10s %12s %9s\n" "$n" "$((cells - mcells))" "$ffs" "$mbits" "$mems"
	done
}

generic t1_line_bank "$T1_FILES"
if [ -f rtl/card_top.v ] && [ -f rtl/card.f ]; then
	generic card_top "$(grep -v '^[[:space:]]*#' rtl/card.f | grep '\.v[[:space:]]*$' | tr '\n' ' ')"
fi
exit $status
