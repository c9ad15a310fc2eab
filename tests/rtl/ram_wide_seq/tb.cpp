/*
 * tb.cpp - ram_wide_seq against a model of its contract (tests/rtl/ram_wide_seq).
 *
 * Four instances (see ram_wide_seq_tb_top.v), random traffic on 6 addresses so that
 * reads and writes of the same word meet often:
 *  - after the clr sweep every word reads 0;
 *  - WMODE 0: a write held for a visit is seen by every read issued at that visit's end
 *    or later (the tb never reads the word being written in the same visit);
 *  - WMODE 1: a one-clock pulse at any phase is written from the next edge where
 *    ph == K-1 on; a read issued at a visit's end after that edge sees the whole new
 *    word, a read issued before sees the whole old word, never a mix (reads of the word
 *    being written are allowed here, that is the point);
 *  - WMODE 2: wr_en/wr_addr/wr_data sampled at the end of a visit's first clock (all
 *    three random in the other clocks): seen whole by reads issued at that visit's end or later,
 *    not at all by earlier ones (any address);
 *    its top 23 bits (words 2 and 3 of 16 bits) from wr_late as each word is written:
 *    word 2 at the end of the visit's last clock, word 3 at the next visit's first;
 *  - all: rd_hold = the word read, in the first clock after the read's visit; rd_data
 *    its low ceil(WIDTH/K) bits, in the read's visit's last clock.
 * Exit code 0 = pass.
 *
 * SPDX-License-Identifier: MIT
 */
#include <cstdio>
#include <cstdint>
#include <memory>
#include <random>
#include "Vram_wide_seq_tb_top.h"
#include "verilated.h"

static int failures;
#define CHECK(c, ...) do { if (!(c)) { failures++; if (failures < 20) { printf("FAIL %s:%d: ", __FILE__, __LINE__); \
	printf(__VA_ARGS__); printf("\n"); } } } while (0)

struct inst {
	const char *name;
	int K;
	int mode;			/* WMODE */
	uint64_t mask;
	int width;
	CData *ph, *clr, *clr_addr, *wr_en, *wr_addr, *rd_en, *rd_addr;
	QData *wr_data, *rd_data, *rd_hold;
	uint64_t model[6] = {};
	bool rd_pend = false;		/* a read issued at the last visit end */
	int rd_addr_v = 0;
	uint64_t rd_exp = 0;
	bool w_pend = false;		/* pulse: not yet committed */
	long next_pulse = 0;
	long reads = 0, writes = 0;
	bool l_pend = false;		/* WMODE 2: latched at ph 0 */
	int l_addr = 0;
	uint64_t l_data = 0;
	bool h_pend = false;		/* rd_hold check in the next first clock */
	uint64_t h_exp = 0;
	QData *wr_late = nullptr;	/* WMODE 2: late bits */
	uint64_t lmask = 0;
	bool w3_pend = false;		/* word 3's late bits still to come (next ph 0 edge) */
	int w3_addr = 0;
	bool rd_fix = false;		/* the read issued then must see them too */
};

int main(int argc, char **argv)
{
	auto ctx = std::make_unique<VerilatedContext>();
	ctx->commandArgs(argc, argv);
	auto top = std::make_unique<Vram_wide_seq_tb_top>(ctx.get());
	std::mt19937_64 rng(12345);

	inst in[4] = {
		{"A", 4, 0, (1ULL << 61) - 1, 61, &top->a_ph, &top->a_clr, &top->a_clr_addr, &top->a_wr_en,
		 &top->a_wr_addr, &top->a_rd_en, &top->a_rd_addr, &top->a_wr_data, &top->a_rd_data, &top->a_rd_hold},
		{"B", 8, 1, (1ULL << 59) - 1, 59, &top->b_ph, &top->b_clr, &top->b_clr_addr, &top->b_wr_en,
		 &top->b_wr_addr, &top->b_rd_en, &top->b_rd_addr, &top->b_wr_data, &top->b_rd_data, &top->b_rd_hold},
		{"C", 2, 1, (1ULL << 33) - 1, 33, &top->c_ph, &top->c_clr, &top->c_clr_addr, &top->c_wr_en,
		 &top->c_wr_addr, &top->c_rd_en, &top->c_rd_addr, &top->c_wr_data, &top->c_rd_data, &top->c_rd_hold},
		{"D", 4, 2, (1ULL << 63) - 1, 63, &top->d_ph, &top->d_clr, &top->d_clr_addr, &top->d_wr_en,
		 &top->d_wr_addr, &top->d_rd_en, &top->d_rd_addr, &top->d_wr_data, &top->d_rd_data,
		 &top->d_rd_hold},
	};
	in[3].wr_late = &top->d_wr_late;
	in[3].lmask = 0x7FFFFFULL << 40;
	for (inst &x : in) {
		/* garbage in the RAM before the sweep */
		*x.wr_data = rng() & x.mask;
		*x.clr = 0; *x.wr_en = 0; *x.rd_en = 0;
	}
	const long CYCLES = 200000;
	for (long cyc = 0; cyc < CYCLES; cyc++) {
		for (inst &x : in) {
			int ph = (int)(cyc % x.K);
			long visit = cyc / x.K;
			*x.ph = (CData)ph;
			bool sweep = visit < 6;
			*x.clr = sweep;
			*x.clr_addr = (CData)(sweep ? visit : 0);
			if (sweep) {
				*x.wr_en = 0; *x.rd_en = 0;
				if (ph == x.K - 1)
					x.model[visit] = 0;
				continue;
			}
			if (x.mode == 2) {
				*x.wr_late = rng() & x.mask;
				*x.wr_en = rng() % 2;
				*x.wr_addr = (CData)(rng() % 6);
				*x.wr_data = rng() & x.mask;	/* only looked at in the first clock */
			} else if (x.mode == 0) {
				if (ph == 0) {
					/* a write held for this visit, never at the word being read now */
					bool w = rng() % 2;
					int a = (int)(rng() % 6);
					if (x.rd_pend && a == x.rd_addr_v)
						a = (a + 1) % 6;
					*x.wr_en = w;
					*x.wr_addr = (CData)a;
					*x.wr_data = rng() & x.mask;
				}
			} else {
				*x.wr_en = 0;
				if (cyc >= x.next_pulse && rng() % 4 == 0) {
					*x.wr_en = 1;
					*x.wr_addr = (CData)(rng() % 6);
					*x.wr_data = rng() & x.mask;
					x.next_pulse = cyc + 2 * x.K + 1;
				}
			}
			if (ph == x.K - 1) {
				*x.rd_en = rng() % 4 != 0;
				*x.rd_addr = (CData)(rng() % 6);
			}
		}
		top->clk = 0;
		top->eval();
		/* the read issued at the last visit end: whole word in this visit's last clock */
		for (inst &x : in) {
			int ph = (int)(cyc % x.K);
			if (ph == x.K - 1 && x.rd_pend) {
				/* rd_data: the low ceil(WIDTH/K) bits, zero above */
				int nw = (int)((x.width + x.K - 1) / x.K);
				uint64_t lo = x.rd_exp & ((1ULL << nw) - 1);
				CHECK(*x.rd_data == lo, "%s cycle %ld addr %d: rd_data %016llx expected %016llx",
				      x.name, cyc, x.rd_addr_v, (unsigned long long)*x.rd_data, (unsigned long long)lo);
				x.reads++;
				if (x.rd_hold) {
					x.h_pend = true;
					x.h_exp = x.rd_exp;
				}
				x.rd_pend = false;
			}
			if (ph == 0 && x.h_pend) {
				CHECK((*x.rd_hold & x.mask) == x.h_exp, "%s cycle %ld: rd_hold %016llx expected %016llx",
				      x.name, cyc, (unsigned long long)*x.rd_hold, (unsigned long long)x.h_exp);
				x.h_pend = false;
			}
		}
		top->clk = 1;
		top->eval();
		/* the model after this edge */
		for (inst &x : in) {
			int ph = (int)(cyc % x.K);
			long visit = cyc / x.K;
			if (visit < 6)
				continue;
			if (x.mode == 2) {
				const uint64_t w2 = 0xFFFFULL << 32, w3 = 0xFFFFULL << 48;
				if (ph == 0 && x.w3_pend) {
					/* the last word of the write committed at the last visit's end */
					uint64_t m = x.lmask & w3;
					x.model[x.w3_addr] = (x.model[x.w3_addr] & ~m) | (*x.wr_late & m);
					if (x.rd_fix)
						x.rd_exp = (x.rd_exp & ~m) | (*x.wr_late & m);
					x.w3_pend = false;
				}
				x.rd_fix = false;
				if (ph == x.K - 1 && x.l_pend) {
					uint64_t m = x.lmask & w2;
					x.l_data = (x.l_data & ~m) | (*x.wr_late & m);
				}
				if (ph == 0) {
					x.l_pend = *x.wr_en;
					x.l_addr = *x.wr_addr;
					x.l_data = *x.wr_data & x.mask;
				}
				if (ph == x.K - 1 && x.l_pend) {
					x.model[x.l_addr] = x.l_data;
					x.l_pend = false;
					x.writes++;
					x.w3_pend = true;
					x.w3_addr = x.l_addr;
				}
			} else if (x.mode == 0) {
				if (ph == x.K - 1 && *x.wr_en) {
					x.model[*x.wr_addr] = *x.wr_data & x.mask;
					x.writes++;
				}
			} else {
				if (*x.wr_en)
					x.w_pend = true;
				if (x.w_pend && ph == x.K - 1) {
					x.model[*x.wr_addr] = *x.wr_data & x.mask;
					x.w_pend = false;
					x.writes++;
				}
			}
			if (ph == x.K - 1 && *x.rd_en) {
				x.rd_pend = true;
				x.rd_addr_v = *x.rd_addr;
				x.rd_exp = x.model[x.rd_addr_v];
				x.rd_fix = x.w3_pend && x.w3_addr == x.rd_addr_v;
			}
		}
	}
	for (inst &x : in) {
		CHECK(x.reads > 1000 && x.writes > 1000, "%s: too little traffic (%ld reads, %ld writes)", x.name,
		      x.reads, x.writes);
		printf("%s: K=%d WMODE %d, %ld reads, %ld writes checked\n", x.name, x.K, x.mode,
		       x.reads, x.writes);
	}
	printf("ram_wide_seq: %s, %d failures\n", failures ? "FAIL" : "PASS", failures);
	top->final();
	return failures ? 1 : 0;
}
