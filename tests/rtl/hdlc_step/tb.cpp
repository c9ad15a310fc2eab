/*
 * tb.cpp - hdlc_tx_step + hdlc_rx_step, one channel, many random frames
 *
 * For async (FCS-16/32, random ACCMs, full-ACCM frames) and sync HDLC:
 *  - frames sent come back from the receiver intact with status OK;
 *  - the line octets decode with the independent reference (hdlc_ref.h) to
 *    the same frames with a good FCS, and no ACCM-selected octet goes raw;
 *  - a flipped line bit gives BAD_FCS (or ABORT/RUNT when it hits framing),
 *    never OK with wrong data;
 *  - host aborts and underruns give ABORT; MRU overruns give TOO_LONG with
 *    exactly MRU octets; a full ring gives OVERRUN.
 *
 * SPDX-License-Identifier: MIT
 */
#include <cstdio>
#include <deque>
#include <memory>
#include <random>
#include <vector>

#include "Vhdlc_step_tb_top.h"
#include "verilated.h"

#include "card_msg.h"
#include "hdlc_ref.h"

using hdlc_ref::bytes;

static int fails;
#define CHECK(c, ...) do { if (!(c)) { if (fails++ < 30) { fprintf(stderr, "FAIL line %d: ", __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } } while (0)

struct rxf {
	int status;
	bytes data;
};

struct bench {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vhdlc_step_tb_top> top;
	std::deque<uint16_t> q;		/* transmit buffer entries */
	bytes line;
	bytes cur;
	std::vector<rxf> rx;
	std::mt19937 rng{1};
	int room_pct = 100;
	int flip_at = -1;		/* flip bit 0 of line octet number flip_at */
	long octs = 0;
	int underruns = 0;

	bench(int argc, char **argv)
	{
		ctx.reset(new VerilatedContext);
		ctx->commandArgs(argc, argv);
		top.reset(new Vhdlc_step_tb_top{ctx.get()});
		top->rst = 1;
		clock();
		clock();
		top->rst = 0;
	}
	void clock()
	{
		top->clk = 0;
		top->eval();
		top->clk = 1;
		top->eval();
	}
	void config(int mode, bool f32, uint32_t txa, uint32_t rxa, int mru)
	{
		top->mode = mode; top->fcs32 = f32; top->tx_accm = txa; top->rx_accm = rxa; top->mru = mru;
		top->idle_ones = 0;
		top->rst = 1;
		clock();
		top->rst = 0;
		rx.clear(); cur.clear(); line.clear(); q.clear();
	}
	void step()
	{
		top->avail = !q.empty();
		top->entry = q.empty() ? 0 : q.front();
		top->room = (int)(rng() % 100) < room_pct;
		top->line_sub = 0;
		top->clk = 0;
		top->eval();
		uint8_t o = top->line_tx;
		if (octs == flip_at) {
			top->line_sub = 1;
			top->line_in = o ^ 0x01;
			top->eval();
		}
		line.push_back(o);
		octs++;
		if (top->consume)
			q.pop_front();
		underruns += top->underrun;
		if (top->ring_we) {
			if (top->ring_entry & 0x100) {
				rx.push_back({(int)(top->ring_entry & 7), cur});
				cur.clear();
			} else
				cur.push_back((uint8_t)top->ring_entry);
		}
		top->clk = 1;
		top->eval();
	}
	void queue_frame(const bytes &f, bool fa)
	{
		for (size_t i = 0; i < f.size(); i++)
			q.push_back((uint16_t)(((i + 1 == f.size()) ? 0x200 : 0) | (fa && i == 0 ? 0x100 : 0) | f[i]));
		if (f.empty())
			q.push_back(0x400);	/* end marker without data */
	}
	void run(int n) { for (int i = 0; i < n; i++) step(); }
};

static bytes rnd(std::mt19937 &r, size_t n, int kind)
{
	bytes b(n);
	for (auto &x : b)
		x = kind == 1 ? 0xFF : kind == 2 ? (uint8_t)(r() % 2 ? 0x7E : 0x7D) : kind == 3 ? (uint8_t)(r() % 32)
			: (uint8_t)r();
	return b;
}

int main(int argc, char **argv)
{
	bench b(argc, argv);
	std::mt19937 rng(2024);
	long frames = 0;

	/* ---- clean loopback, many random configurations ---- */
	for (int round = 0; round < 60; round++) {
		int mode = round % 3 == 2 ? CARD_MODE_SYNC_HDLC : CARD_MODE_ASYNC_HDLC;
		bool f32 = (round / 3) % 2;
		uint32_t txa = round % 4 == 0 ? 0xFFFFFFFF : round % 4 == 1 ? 0 : rng();
		b.config(mode, f32, txa, 0, 2000);
		b.top->idle_ones = mode == CARD_MODE_SYNC_HDLC && round % 6 == 5;	/* idle with ones, not flags */
		b.run(5);
		std::vector<bytes> sent;
		std::vector<bool> full;
		for (int k = 0; k < 25; k++) {
			if (b.top->idle_ones && k % 5 == 4) {
				b.run((int)(b.q.size() * 2 + 50));	/* let it go idle between frames */
			}
			bytes f = rnd(rng, 1 + rng() % (k % 5 == 0 ? 600 : 40), (int)(rng() % 5));
			if (round == 0 && k == 0) {
				f.resize(256);
				for (int i = 0; i < 256; i++)
					f[i] = (uint8_t)i;
			}
			bool fa = mode == CARD_MODE_ASYNC_HDLC && rng() % 3 == 0;
			b.queue_frame(f, fa);
			sent.push_back(f);
			full.push_back(fa);
		}
		b.run((int)(b.q.size() * 3 + 200));	/* an escape can take 3 line octets */
		CHECK(b.q.empty(), "round %d: buffer not drained", round);
		CHECK(b.underruns == 0, "round %d: underrun", round);
		CHECK(b.rx.size() == sent.size(), "round %d: %zu frames back of %zu", round, b.rx.size(), sent.size());
		for (size_t k = 0; k < b.rx.size() && k < sent.size(); k++) {
			CHECK(b.rx[k].status == CARD_RX_OK && b.rx[k].data == sent[k], "round %d frame %zu: status %d len %zu/%zu",
			      round, k, b.rx[k].status, b.rx[k].data.size(), sent[k].size());
		}
		std::vector<hdlc_ref::rx_frame> lf;
		if (mode == CARD_MODE_SYNC_HDLC) {
			hdlc_ref::sync_decoder d(f32);
			for (uint8_t o : b.line) d.octet(o);
			lf = d.frames;
		} else {
			hdlc_ref::async_decoder d(f32);
			for (uint8_t o : b.line) d.octet(o);
			lf = d.frames;
			/* ACCM: raw control octets only where neither the ACCM nor full-ACCM asks for an escape */
			int fidx = -1;
			bool in = false;
			for (uint8_t o : b.line) {
				if (o == 0x7E) { in = false; continue; }
				if (!in) { in = true; fidx++; }
				if (o < 0x20 && fidx < (int)full.size())
					CHECK(!(full[fidx] || ((txa >> o) & 1)), "round %d: octet %02x raw in frame %d", round, o, fidx);
			}
		}
		CHECK(lf.size() == sent.size(), "round %d: reference decoded %zu frames", round, lf.size());
		for (size_t k = 0; k < lf.size() && k < sent.size(); k++)
			CHECK(lf[k].fcs_ok && lf[k].data == sent[k], "round %d: line frame %zu bad", round, k);
		frames += (long)sent.size();
	}

	/* ---- a flipped line bit is never a good frame ---- */
	for (int round = 0; round < 300; round++) {
		int mode = round % 2 ? CARD_MODE_SYNC_HDLC : CARD_MODE_ASYNC_HDLC;
		bool f32 = (round / 2) % 2;
		b.config(mode, f32, 0, 0, 2000);
		b.run(3);
		bytes f = rnd(rng, 10 + rng() % 60, 0);
		b.queue_frame(f, false);
		b.flip_at = b.octs + 2 + (long)(rng() % (f.size() - 4));	/* inside the frame */
		b.run(200);
		b.flip_at = -1;
		bool good_wrong = false;
		for (auto &r : b.rx)
			if (r.status == CARD_RX_OK && r.data != f)
				good_wrong = true;
		CHECK(!good_wrong, "round %d: corrupted frame delivered as good", round);
		bool any_ok = false;
		for (auto &r : b.rx)
			any_ok |= r.status == CARD_RX_OK;
		CHECK(!any_ok, "round %d: a frame with a flipped bit passed the FCS", round);
		frames++;
	}

	/* ---- aborts, underrun, MRU, overrun ---- */
	for (int mode : {CARD_MODE_ASYNC_HDLC, CARD_MODE_SYNC_HDLC}) {
		b.config(mode, false, 0, 0, 100);
		b.run(3);
		bytes a = rnd(rng, 20, 0);
		for (uint8_t x : a)
			b.q.push_back(x);
		b.q.push_back(0x600);		/* host abort */
		bytes g = rnd(rng, 30, 0);
		b.queue_frame(g, false);
		b.queue_frame(rnd(rng, 150, 0), false);	/* longer than the MRU */
		bytes m = rnd(rng, 100, 0);
		b.queue_frame(m, false);		/* exactly the MRU */
		b.run(600);
		CHECK(b.rx.size() == 4, "mode %d: %zu frames", mode, b.rx.size());
		if (b.rx.size() == 4) {
			CHECK(b.rx[0].status == CARD_RX_ABORT && b.rx[0].data.size() == 18, "mode %d: host abort -> %d/%zu", mode,
			      b.rx[0].status, b.rx[0].data.size());
			CHECK(b.rx[1].status == CARD_RX_OK && b.rx[1].data == g, "mode %d: frame after abort", mode);
			CHECK(b.rx[2].status == CARD_RX_TOO_LONG && b.rx[2].data.size() == 100, "mode %d: too long -> %d/%zu",
			      mode, b.rx[2].status, b.rx[2].data.size());
			CHECK(b.rx[3].status == CARD_RX_OK && b.rx[3].data == m, "mode %d: MRU-sized frame", mode);
		}
		/* underrun: a frame whose end never comes */
		b.rx.clear();
		b.underruns = 0;
		for (uint8_t x : rnd(rng, 12, 0))
			b.q.push_back(x);
		b.run(60);
		CHECK(b.underruns == 1, "mode %d: underruns %d", mode, b.underruns);
		CHECK(b.rx.size() == 1 && b.rx[0].status == CARD_RX_ABORT, "mode %d: underrun -> ABORT", mode);
		/* overrun: the ring takes an entry only 30 % of the time */
		b.rx.clear();
		b.room_pct = 30;
		b.queue_frame(rnd(rng, 300, 0), false);
		b.queue_frame(rnd(rng, 5, 0), false);
		b.run(900);
		b.room_pct = 100;
		b.run(50);
		bool ovr = false;
		for (auto &r : b.rx)
			ovr |= r.status == CARD_RX_OVERRUN;
		CHECK(ovr, "mode %d: no OVERRUN with a slow ring", mode);
	}

	/* ---- raw mode: the character stream (docs/card-protocol.md): characters
	 * through unchanged, idle 0xFF, data 0xFF and 0x7D escaped on the line ---- */
	{
		b.config(CARD_MODE_RAW, false, 0, 0, 0);
		bytes r = rnd(rng, 500, 0);
		for (int i = 0; i < 20; i++)		/* plenty of the two special values */
			r[(size_t)(rng() % r.size())] = (i & 1) ? 0xFF : 0x7D;
		for (uint8_t x : r)
			b.q.push_back(x);
		b.run(1100);
		bytes got(b.cur.begin(), b.cur.begin() + (long)std::min(b.cur.size(), r.size()));
		CHECK(got == r, "raw: characters differ");
		CHECK(b.cur.size() == r.size(), "raw: %zu characters received, %zu sent (idle leaked?)",
		      b.cur.size(), r.size());
		CHECK(b.line.size() > r.size() && b.line.back() == 0xFF, "raw: idle code");
		/* an independent decode of the line: drop 0xFF, undo 0x7D escapes */
		bytes dec;
		bool esc = false;
		for (uint8_t o : b.line) {
			if (o == 0xFF)
				continue;
			if (esc) {
				dec.push_back(o ^ 0x20);
				esc = false;
			} else if (o == 0x7D) {
				esc = true;
			} else {
				dec.push_back(o);
			}
		}
		CHECK(dec == r, "raw: line does not decode to the characters sent");
	}

	printf("hdlc_step: %s, %ld frames, %ld line octets, %d failures\n", fails ? "FAIL" : "PASS", frames, b.octs, fails);
	b.top->final();
	return fails ? 1 : 0;
}
