#!/usr/bin/env bash
# bench_rtl_speed.sh - Verilator speed of the line side (and of card_top if present),
# in simulated line-seconds per wall-second, with every span busy (looped, framed).
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
	local dir="$out/$name" def=""
	[ "$vtop" = t1_line_bank ] && def="-DT1_BANK"
	mkdir -p "$dir"
	verilator --cc --exe --build -j 2 -O3 --x-assign fast --x-initial fast -Wno-fatal \
		--top-module "$vtop" -Irtl -GSPANS="$spans" -GSPAN_W="$w" -GCORE_HZ="$hz" \
		-CFLAGS "-O2 -std=c++17 $def -DVTOP=V$vtop -DVTOP_H='\"V$vtop.h\"' -DSPANS=$spans -DCORE_HZ=$hz -DTOPNAME='\"$vtop\"'" \
		"$@" "$top/tests/bench/rtl_speed_main.cpp" -Mdir "$dir" -o bench >"$dir/build.log" 2>&1 ||
		{ echo "build of $name failed (see $dir/build.log)"; return 1; }
}

run() { "$out/$1/bench" "${SECS}" || echo "($1: exit $?)"; }

build bank1 t1_line_bank 1 1 6176000 rtl/t1_line_bank.v && run bank1
build bank2 t1_line_bank 2 1 6176000 rtl/t1_line_bank.v && run bank2
build bank28 t1_line_bank 28 5 12352000 rtl/t1_line_bank.v && SECS=${SECS28:-0.05} run bank28
build bank2_60 t1_line_bank 2 1 60000000 rtl/t1_line_bank.v && run bank2_60
if [ -f rtl/card_top.v ] && [ -f rtl/card.f ]; then
	build card2 card_top 2 1 6176000 -f rtl/card.f && run card2
fi
