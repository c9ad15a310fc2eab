/*
 * tb.cpp - fifo_sync (FWFT, extra-MSB pointers) against a std::deque model
 *
 * Random pushes and pops with changing rates: order and data preserved, never
 * more than the depth stored, full exactly at 2**AW words, empty only when
 * the model is empty or holds the word written in the previous clock, level
 * matches the model.
 *
 * SPDX-License-Identifier: MIT
 */
#include <cstdio>
#include <deque>
#include <memory>
#include <random>

#include "Vfifo_sync.h"
#include "verilated.h"

static int fails;
#define CHECK(c, ...) do { if (!(c)) { if (fails++ < 20) { fprintf(stderr, "FAIL line %d: ", __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } } while (0)

int main(int argc, char **argv)
{
	auto ctx = std::make_unique<VerilatedContext>();
	ctx->commandArgs(argc, argv);
	auto top = std::make_unique<Vfifo_sync>(ctx.get());
	const unsigned depth = 1u << 4;	/* AW = 4 (tb.f) */
	std::deque<unsigned> model;
	std::mt19937 rng(99);
	long pops = 0;
	bool wrote_last = false;

	top->rst = 1; top->wr_en = 0; top->rd_en = 0;
	for (int i = 0; i < 4; i++) { top->clk = 0; top->eval(); top->clk = 1; top->eval(); }
	top->rst = 0;
	for (long cyc = 0; cyc < 400000; cyc++) {
		int phase = (int)(cyc / 5000) % 3;	/* fill-heavy, drain-heavy, balanced */
		int pw = phase == 0 ? 80 : phase == 1 ? 20 : 50, pr = 100 - pw;
		top->clk = 0;
		top->wr_en = (int)(rng() % 100) < pw;
		top->wr_data = rng() & 0xFF;
		top->rd_en = (int)(rng() % 100) < pr;
		top->eval();
		CHECK(top->level == model.size(), "level %u model %zu", top->level, model.size());
		CHECK(top->full == (model.size() == depth), "full %d model %zu", top->full, model.size());
		if (!top->empty) {
			CHECK(!model.empty() && top->rd_data == model.front(), "data %02x model %02x", top->rd_data,
			      model.empty() ? 0 : model.front());
		} else {
			CHECK(model.empty() || (model.size() == 1 && wrote_last), "empty with %zu stored", model.size());
		}
		bool do_rd = top->rd_en && !top->empty;
		bool do_wr = top->wr_en && !top->full;
		unsigned wd = top->wr_data;
		top->clk = 1;
		top->eval();
		if (do_rd) { model.pop_front(); pops++; }
		if (do_wr) model.push_back(wd);
		wrote_last = do_wr;
	}
	printf("fifo_sync: %s, %ld words through, %d failures\n", fails ? "FAIL" : "PASS", pops, fails);
	top->final();
	return fails ? 1 : 0;
}
