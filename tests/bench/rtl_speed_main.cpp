/*
 * rtl_speed_main.cpp - Verilator speed of t1_line_bank (or card_top) with busy spans
 *
 * Used by tests/bench/bench_rtl_speed.sh.  Every span's transmit pins are wired to its
 * receive pins (so every span carries framed B8ZS traffic), the octet port is driven
 * like the channel engine (all timeslots every system frame, random octets).  Prints
 * simulated clocks per second and line-seconds per second, measured in CPU time of
 * this process (so other load on the machine does not distort it; on an idle core
 * it equals wall time).  Asserts nothing.
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctime>
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
	struct timespec c0, c1;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
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
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
	double cpu = (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) * 1e-9;
	printf("%-14s spans %2d core %6.3f MHz: %6.2f Mclk/s, %6.3f x real time (%.2f s simulated in %.2f s CPU)\n",
	       TOPNAME, SPANS, core_hz / 1e6, (double)n / cpu / 1e6, secs / cpu, secs, cpu);
	top->final();
	return 0;
}
