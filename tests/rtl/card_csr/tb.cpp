/*
 * tb.cpp - card_csr: statistics counters in a RAM with pending counts, against
 * plain 64-bit counters in C++
 *
 * Strobes with changing rates (some counters strobed on every clock for long
 * stretches, some never), bus reads of every register at random times, back to
 * back and of the same counter twice in a row: a counter read returns exactly
 * the strobes seen up to the clock before bus_re (mod 2**32), ID/version/
 * scratch read right, unmapped addresses read 0, bus_rdata is 0 when not read.
 * Bus reads come at most every second clock, as card_csr requires, and not in
 * the first 2 * NCNT clocks after reset.  (Wrapping at 2**32 is not reached in
 * a test of this length.)
 *
 * SPDX-License-Identifier: MIT
 */
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>

#include "Vcard_csr.h"
#include "verilated.h"

static int fails;
#define CHECK(c, ...) do { if (!(c)) { if (fails++ < 20) { fprintf(stderr, "FAIL line %d: ", __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } } while (0)

int main(int argc, char **argv)
{
	auto ctx = std::make_unique<VerilatedContext>();
	ctx->commandArgs(argc, argv);
	auto top = std::make_unique<Vcard_csr>(ctx.get());
	const int ncnt = 13;
	uint64_t model[ncnt] = {0};
	uint32_t scratch = 0;
	std::mt19937 rng(7);
	long reads = 0, cnt_reads = 0;

	top->rst = 1; top->bus_re = 0; top->bus_we = 0; top->inc = 0;
	for (int i = 0; i < 4; i++) { top->clk = 0; top->eval(); top->clk = 1; top->eval(); }
	top->rst = 0;
	/* expected read data for the clock after a read, -1 none */
	int64_t expect = -1;
	unsigned last_addr = 0;
	for (long cyc = 0; cyc < 600000; cyc++) {
		int phase = (int)(cyc / 20000) % 4;
		top->clk = 0;
		unsigned inc = 0;
		for (int i = 0; i < ncnt; i++) {
			int pr = phase == 0 ? 100 : phase == 1 ? (i % 3 == 0 ? 100 : 0) : phase == 2 ? 50 : 5;
			if ((int)(rng() % 100) < pr)
				inc |= 1u << i;
		}
		top->inc = inc;
		/* bus: read often, sometimes on consecutive clocks / the same counter again */
		top->bus_re = 0; top->bus_we = 0;
		unsigned r = rng() % 100;
		/* bus reads come at most every second clock (the emitter's are 3 apart) */
		/* no bus traffic during the first round of services after reset (card_csr
		 * clears its counters there; strobes come from the first clock on) */
		if (cyc < 2 * ncnt + 4)
			r = 100;
		if (r < 60 && expect < 0 && cyc % 2 == 0) {
			unsigned a;
			unsigned k = rng() % 10;
			if (k < 3)
				a = last_addr;
			else if (k < 8)
				a = 0x10 + rng() % 16;
			else
				a = rng() % 8;
			top->bus_re = 1; top->bus_addr = a;
			last_addr = a;
		} else if (r >= 60 && r < 63) {
			top->bus_we = 1; top->bus_addr = 3; top->bus_wdata = rng();
		}
		top->eval();
		/* the previous clock's read */
		if (expect >= 0)
			CHECK(top->bus_rdata == (uint32_t)expect, "cyc %ld read %08x expected %08x", cyc,
			      top->bus_rdata, (uint32_t)expect);
		else
			CHECK(top->bus_rdata == 0, "cyc %ld bus_rdata %08x without a read", cyc, top->bus_rdata);
		expect = -1;
		if (top->bus_re) {
			unsigned a = top->bus_addr;
			reads++;
			if (a >= 0x10 && a < 0x10u + ncnt) {
				expect = (uint32_t)model[a - 0x10];
				cnt_reads++;
			} else if (a == 0) {
				expect = 0x4442434B;
			} else if (a == 3) {
				expect = scratch;
			} else if (a == 1) {
				expect = (48u << 16) | (2u << 8) | 1u;
			} else if (a == 2) {
				expect = 1;
			} else if (a == 4) {
				expect = (32u << 16) | 64u;
			} else {
				expect = 0;
			}
		}
		if (top->bus_we)
			scratch = top->bus_wdata;
		for (int i = 0; i < ncnt; i++)
			if (inc >> i & 1)
				model[i]++;
		top->clk = 1;
		top->eval();
	}
	CHECK(cnt_reads > 100000, "only %ld counter reads", cnt_reads);
	printf("card_csr: %s, %d failures, %ld reads (%ld of counters)\n", fails ? "FAIL" : "PASS", fails,
	       reads, cnt_reads);
	top->final();
	return fails ? 1 : 0;
}
