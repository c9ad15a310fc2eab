/*
 * tb.cpp - reframe time of t1_line_bank's receive framer (ESF and SF; random, idle and
 * mixed payload)
 *
 * Span 0 is fed by the reference generator (t1_ref, a far end with its own framing);
 * span 1 is looped.  One trial: the span is disabled, the line runs on for a random
 * time (so the framer starts at a random point of the frame and superframe), then the
 * span is enabled (or, in every third trial, the line loses all pulses for 3 ms and
 * comes back: "after LOS clears") and the time until STATUS shows "in frame" is
 * measured.  After each trial, 6 ms (two ESF superframes) must pass without a CRC-6
 * or F-bit error (a wrong alignment would show them).  Payloads: random octets (25 %
 * zero), idle 0xFF, HDLC flags 0x7E, 0x7F, 12 slots of flags + 12 random, 20 slots
 * 0xFF + 4 random.  Core clock TB_TPMS ticks per ms: 24.704 MHz here (the bit-serial
 * framer, as on the board); t1_line_bank_reframe4x: 6.176 MHz (the 2-clock pipeline
 * with its hunt memory one bit per clock); t1_line_bank_reframe2x: 3.088 MHz (the
 * pipeline with all 8 bits of a visit through the hunt memory at once, as in the
 * co-simulation).
 * Asserted (the framer before the hunt memory took 330..390 ms on random ESF payload
 * and up to ~290 ms on an idle line): every trial in frame within ESF_MAX / SF_MAX ms,
 * and the mean over the ESF (SF) trials at most ESF_MEAN (SF_MEAN) ms.  Figures in
 * docs/rtl-line.md "Framing".  Exit status: number of failed checks.
 *
 * SPDX-License-Identifier: MIT
 */
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

#include "Vt1_line_bank.h"
#include "verilated.h"
#include "t1_ref.h"
#include "t1_tb.h"

#ifndef TB_TPMS
#define TB_TPMS 24704
#endif
#ifndef TB_CPB
#define TB_CPB 16
#endif
static const int TPMS = TB_TPMS;
static const int CPB = TB_CPB;

static const double ESF_MAX = 30.0, ESF_MEAN = 15.0;   /* ms */
static const double SF_MAX = 15.0, SF_MEAN = 8.0;

static std::unique_ptr<VerilatedContext> ctx;
static std::unique_ptr<Vt1_line_bank> top;
static uint64_t ticks;

static t1ref::Generator gen(seed_env(2024));
static int lph, lsym;

static void tick()
{
	if (lph == 0) lsym = gen.next_symbol();
	uint32_t rpos = lsym > 0, rneg = lsym < 0, rclk = lph >= CPB / 2;
	if (++lph == CPB) lph = 0;
	/* span 1 looped */
	rpos |= (top->liu_tpos & 2u);
	rneg |= (top->liu_tneg & 2u);
	rclk |= (top->liu_tclk & 2u);
	top->liu_rpos = rpos;
	top->liu_rneg = rneg;
	top->liu_rclk = rclk;
	top->oct_valid = 0;
	top->clk = 1;
	top->eval();
	ticks++;
	top->clk = 0;
	top->eval();
}

static void run(uint64_t n) { while (n--) tick(); }

static uint32_t csr_read(unsigned addr) { return bus_read(*top, tick, addr); }
static void csr_write(unsigned addr, uint32_t v) { bus_write(*top, tick, addr, v); }


struct Payload { const char *name; int octet, slots; };
static const Payload payloads[] = {
	{"random", -1, 0}, {"idle 0xFF", 0xFF, 24}, {"flags 0x7E", 0x7E, 24}, {"0x7F", 0x7F, 24},
	{"12 x 0x7E + 12 random", 0x7E, 12}, {"20 x 0xFF + 4 random", 0xFF, 20},
};

int main(int argc, char **argv)
{
	ctx = std::make_unique<VerilatedContext>();
	ctx->commandArgs(argc, argv);
	top = std::make_unique<Vt1_line_bank>(ctx.get());
	std::mt19937 rng(seed_env(99));
	const int trials = getenv("TRIALS") ? atoi(getenv("TRIALS")) : 8;
	top->rst = 1;
	run(20);
	top->rst = 0;
	run(100);
	for (int sf = 0; sf < 2; sf++) {
		std::vector<double> all;
		gen.sf = sf;
		for (const Payload &p : payloads) {
			gen.idle_octet = p.octet;
			gen.idle_slots = p.slots;
			std::vector<double> t;
			for (int k = 0; k < trials; k++) {
				bool los = k % 3 == 2;
				csr_write(reg(0, R_CONFIG), sf ? 0x101 : 0x100);
				if (los) {
					run(TPMS);              /* (already framed or not) */
					gen.los = true;
					run(3 * TPMS + rng() % (193 * 24 * CPB));
					gen.los = false;
				} else {
					csr_write(reg(0, R_CONFIG), 0x000);
					run(TPMS / 2 + rng() % (193 * 24 * CPB));
					csr_write(reg(0, R_CONFIG), sf ? 0x101 : 0x100);
				}
				uint64_t t0 = ticks;
				double ms = -1;
				while (ticks - t0 < (uint64_t)(200 * TPMS)) {
					if ((csr_read(reg(0, R_STATUS)) & (INF | LOF)) == INF) { ms = (double)(ticks - t0) / TPMS; break; }
					run(TPMS / 20);
				}
				CHECK(ms >= 0, "%s %s trial %d: not in frame after 200 ms", sf ? "SF" : "ESF", p.name, k);
				if (ms < 0) continue;
				t.push_back(ms);
				all.push_back(ms);
				CHECK(ms <= (sf ? SF_MAX : ESF_MAX), "%s %s trial %d%s: %.2f ms to frame > %.0f ms",
				      sf ? "SF" : "ESF", p.name, k, los ? " (after LOS)" : "", ms, sf ? SF_MAX : ESF_MAX);
				/* a wrong alignment shows CRC-6 / F-bit errors within two superframes */
				run(TPMS / 2);
				uint32_t c0 = csr_read(reg(0, R_CRC6)), f0 = csr_read(reg(0, R_FBIT));
				run(6 * TPMS);
				uint32_t c1 = csr_read(reg(0, R_CRC6)), f1 = csr_read(reg(0, R_FBIT));
				CHECK(c1 == c0 && f1 == f0 && (csr_read(reg(0, R_STATUS)) & INF),
				      "%s %s trial %d: after framing CRC6 +%u FBIT +%u status %x", sf ? "SF" : "ESF", p.name, k,
				      c1 - c0, f1 - f0, csr_read(reg(0, R_STATUS)));
			}
			std::sort(t.begin(), t.end());
			double sum = 0;
			for (double v : t) sum += v;
			if (!t.empty())
				printf("%-4s %-22s reframe ms: min %6.2f  median %6.2f  mean %6.2f  max %6.2f  (%zu trials)\n",
				       sf ? "SF" : "ESF", p.name, t.front(), t[t.size() / 2], sum / t.size(), t.back(), t.size());
		}
		double sum = 0;
		for (double v : all) sum += v;
		double mean = all.empty() ? 1e9 : sum / all.size();
		printf("%-4s all payloads: mean %.2f ms over %zu trials\n", sf ? "SF" : "ESF", mean, all.size());
		CHECK(mean <= (sf ? SF_MEAN : ESF_MEAN), "%s mean reframe time %.2f ms > %.0f ms", sf ? "SF" : "ESF", mean,
		      sf ? SF_MEAN : ESF_MEAN);
	}
	top->final();
	printf("t1_line_bank reframe tb: %d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}
