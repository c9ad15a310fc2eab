#!/usr/bin/env bash
# bench_rtl_speed.sh - Verilator speed of the line side (and of card_top if present),
# in simulated line-seconds per CPU-second ("x real time"), with every span busy
# (looped, framed), and of the whole card with every channel busy (card_busy_main.cpp:
# host harness over the FT232H pins, all channels sending frames that come back through
# the looped spans).  card_top at 3.088 MHz (2x the T1 rate) is the co-simulation's
# configuration; 28 spans need 12.352 MHz.  Each figure is the median of RUNS runs.
# Run by `make bench` with BUILD set.  Figures only, no assertions.
# SPDX-License-Identifier: MIT
set -u
BUILD=${BUILD:-build}
SECS=${SECS:-0.2}
out="$BUILD/bench/rtl_speed"
mkdir -p "$out"
top=$(pwd)

build() {   # build NAME TOP SPANS SPAN_W CORE_HZ FILES... : one Verilated model + driver
	local name=$1 vtop=$2 spans=$3 w=$4 hz=$5; shift 5
	local dir="$out/$name" def="" main="$top/tests/bench/rtl_speed_main.cpp"
	[ "$vtop" = t1_line_bank ] && def="-DT1_BANK"
	case $name in *busy*) main="$top/tests/bench/card_busy_main.cpp $top/drivers/card_msg.c" ;; esac
	mkdir -p "$dir"
	# shellcheck disable=SC2086
	verilator --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast -Wno-fatal \
		--top-module "$vtop" -Irtl -GSPANS="$spans" -GSPAN_W="$w" -GCORE_HZ="$hz" \
		-CFLAGS "-O2 -std=c++17 $def -I$top/drivers/include -I$top/tests/rtl/common -DVTOP=V$vtop -DVTOP_H='\"V$vtop.h\"' -DSPANS=$spans -DCORE_HZ=$hz -DTOPNAME='\"$vtop\"'" \
		"$@" $main -Mdir "$dir" -o bench >"$dir/build.log" 2>&1 ||
		{ echo "build of $name failed (see $dir/build.log)"; return 1; }
}

run() {    # run NAME: median (by Mclk/s) of RUNS runs
	local i
	for i in $(seq "${RUNS:-3}"); do "$out/$1/bench" "${SECS}" || echo "($1: exit $?)"; done |
		sort -t: -k2 -n | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }'
}

build bank1 t1_line_bank 1 1 6176000 rtl/t1_line_bank.v && run bank1
build bank2 t1_line_bank 2 1 6176000 rtl/t1_line_bank.v && run bank2
build bank28 t1_line_bank 28 5 12352000 rtl/t1_line_bank.v && SECS=${SECS28:-0.05} run bank28
build bank2_60 t1_line_bank 2 1 60000000 rtl/t1_line_bank.v && run bank2_60
if [ -f rtl/card_top.v ] && [ -f rtl/card.f ]; then
	build card2_4x card_top 2 1 6176000 -f rtl/card.f && run card2_4x
	build card1 card_top 1 1 3088000 -f rtl/card.f && run card1
	build card2 card_top 2 1 3088000 -f rtl/card.f && run card2
	build card28 card_top 28 5 12352000 -f rtl/card.f && SECS=${SECS28:-0.02} RUNS=1 run card28
	build card1_busy card_top 1 1 3088000 -f rtl/card.f && run card1_busy
	build card2_busy card_top 2 1 3088000 -f rtl/card.f && run card2_busy
	build card28_busy card_top 28 5 12352000 -f rtl/card.f && SECS=${SECS28:-0.02} RUNS=1 run card28_busy
fi
