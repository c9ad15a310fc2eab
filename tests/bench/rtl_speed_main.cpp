/*
 * rtl_speed_main.cpp - Verilator speed of t1_line_bank (or card_top) with busy spans
 *
 * Used by tests/bench/bench_rtl_speed.sh.  Every span's transmit pins are wired to its
 * receive pins (so every span carries framed B8ZS traffic), the octet port is driven
 * like the channel engine (all timeslots every system frame, random octets).  Prints
 * simulated clocks per second and line-seconds per wall-second.  Asserts nothing.
 *
 * SPDX-License-Identifier: MIT
 */
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <random>

#include "verilated.h"
#include VTOP_H

int main(int argc, char **argv)
{
	auto ctx = std::make_unique<VerilatedContext>();
	ctx->commandArgs(argc, argv);
	auto top = std::make_unique<VTOP>(ctx.get());
	const double core_hz = CORE_HZ;
	const double secs = argc > 1 ? atof(argv[1]) : 0.2;     /* simulated line time */
	const uint64_t n = (uint64_t)(secs * core_hz);
	std::mt19937 rng(1);
	top->rst = 1;
	for (int i = 0; i < 20; i++) { top->clk = 1; top->eval(); top->clk = 0; top->eval(); }
	top->rst = 0;
	int visit = -1;
	auto t0 = std::chrono::steady_clock::now();
	for (uint64_t i = 0; i < n; i++) {
#ifdef T1_BANK
		top->liu_rpos = top->liu_tpos;
		top->liu_rneg = top->liu_tneg;
		top->liu_rclk = top->liu_tclk;
		if (visit >= 0 && visit < SPANS * 24) {
			top->oct_valid = 1;
			top->oct_span = visit / 24;
			top->oct_ts = visit % 24;
			top->oct_tx = (uint8_t)rng();
			visit++;
		} else {
			top->oct_valid = 0;
		}
#else
		top->liu_rpos = top->liu_tpos;
		top->liu_rneg = top->liu_tneg;
		top->liu_rclk = top->liu_tclk;
		top->ft_rxf_n = 1;
		top->ft_txe_n = 0;
#endif
		top->clk = 1;
		top->eval();
#ifdef T1_BANK
		if (top->sys_frame) visit = 0;
#endif
		top->clk = 0;
		top->eval();
	}
	double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
	printf("%-14s spans %2d core %6.3f MHz: %6.2f Mclk/s, %6.3f line-s per wall-s (%.2f s simulated in %.2f s)\n",
	       TOPNAME, SPANS, core_hz / 1e6, (double)n / wall / 1e6, secs / wall, secs, wall);
	top->final();
	return 0;
}
