/*
 * card_harness.h - drive a Verilated card_top through its FT232H pins (test only)
 *
 * The host side of the card protocol for the card_top testbenches: messages
 * built and parsed with drivers/card_msg.c, per-channel transmit queues that
 * respect the credit, reassembly of RX_DATA/RX_EOF, checks on every message.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CARD_HARNESS_H
#define DIALBACK_CARD_HARNESS_H

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <vector>

#include "Vcard_top.h"
#include "verilated.h"

#include "card_msg.h"
#include "ft232h_model.h"
#include "hdlc_ref.h"

using hdlc_ref::bytes;

static int g_fail;
#define CHECK(c, ...)                                                          \
	do {                                                                   \
		if (!(c)) {                                                    \
			g_fail++;                                              \
			if (g_fail < 30) {                                     \
				fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
				fprintf(stderr, __VA_ARGS__);                  \
				fputc('\n', stderr);                           \
			}                                                      \
		}                                                              \
	} while (0)

#ifndef NCH
#define NCH 48
#endif

/* ---------------- harness ---------------- */
struct rx_frame_msg {
	uint8_t status;
	bytes data;
};

struct chan_host {
	uint32_t sent = 0;		/* TX_DATA payload octets sent */
	uint16_t consumed = 0;		/* last TX_CREDIT */
	bool credit_seen = false;
	std::deque<std::pair<bytes, uint8_t>> txq;	/* frames to send, first-chunk flags */
	size_t off = 0;
	bool raw = false;
	bytes rx_cur;
	std::vector<rx_frame_msg> rx;
	bytes raw_rx;
	int underruns = 0, overflows = 0;
};

struct harness {
	std::unique_ptr<VerilatedContext> ctx;
	std::unique_ptr<Vcard_top> top;
	ft232h_model ft;
	card_parser parser;
	uint64_t cycle = 0;
	chan_host ch[NCH];
	std::vector<card_msg> other;			/* messages not handled below */
	std::vector<bytes> other_payload;
	uint32_t host_errors_seen = 0;
	std::vector<uint8_t> host_error_reasons;
	int tx_buffer = 64;
	int rx_chunk = 32;			/* from VERSION */
	size_t fed = 0;

	harness(int argc, char **argv)
	{
		ctx.reset(new VerilatedContext);
		ctx->commandArgs(argc, argv);
		top.reset(new Vcard_top{ctx.get()});
		card_parser_init(&parser);
		top->liu_rpos = 0; top->liu_rneg = 0; top->liu_rclk = 0;
		top->rst = 1;
		for (int i = 0; i < 10; i++)
			tick();
		top->rst = 0;
		ft.armed = true;
	}

	static void on_msg(void *c, const card_msg *m)
	{
		harness *h = (harness *)c;
		h->handle(m);
	}

	void handle(const card_msg *m)
	{
		CHECK(card_msg_len_ok(m->type, m->len), "card sent type %02x with bad len %u", m->type, m->len);
		if (m->type == CARD_MSG_RX_DATA && m->chan < NCH) {
			CHECK((int)m->len <= rx_chunk, "RX_DATA longer than rx_chunk: %u", m->len);
			chan_host &c = ch[m->chan];
			if (c.raw)
				c.raw_rx.insert(c.raw_rx.end(), m->payload, m->payload + m->len);
			else
				c.rx_cur.insert(c.rx_cur.end(), m->payload, m->payload + m->len);
			return;
		}
		if (m->type == CARD_MSG_RX_EOF && m->chan < NCH) {
			chan_host &c = ch[m->chan];
			uint16_t len = card_get16(m->payload + 1);
			CHECK(len == c.rx_cur.size(), "chan %u RX_EOF length %u, delivered %zu", m->chan, len,
			      c.rx_cur.size());
			c.rx.push_back({m->payload[0], c.rx_cur});
			c.rx_cur.clear();
			return;
		}
		if (m->type == CARD_MSG_TX_CREDIT && m->chan < NCH) {
			chan_host &c = ch[m->chan];
			uint16_t v = card_get16(m->payload);
			uint16_t fwd = (uint16_t)(v - c.consumed);
			CHECK(fwd <= (uint16_t)(c.sent - c.consumed), "chan %u credit went backwards or past sent: %u -> %u (sent %u)",
			      m->chan, c.consumed, v, c.sent);
			c.consumed = v;
			c.credit_seen = true;
			return;
		}
		if (m->type == CARD_MSG_CHAN_EVENT && m->chan < NCH) {
			if (m->payload[0] == CARD_EV_TX_UNDERRUN)
				ch[m->chan].underruns++;
			else if (m->payload[0] == CARD_EV_TX_OVERFLOW)
				ch[m->chan].overflows++;
			return;
		}
		if (m->type == CARD_MSG_HOST_ERROR) {
			host_errors_seen = card_get32(m->payload + 1);
			host_error_reasons.push_back(m->payload[0]);
			return;
		}
		other.push_back(*m);
		other_payload.push_back(bytes(m->payload, m->payload + m->len));
		other.back().payload = nullptr;
	}

	void tick()
	{
		top->clk = 0;
		ft.drive(top.get());
		top->eval();
		ft.edge(top.get());
		top->clk = 1;
		top->eval();
		cycle++;
		if (ft.from_card.size() > fed) {
			card_parser_feed(&parser, ft.from_card.data() + fed, ft.from_card.size() - fed, on_msg, this);
			fed = ft.from_card.size();
		}
		if ((cycle & 63) == 0)
			pump_tx();
	}

	void send(uint8_t type, uint8_t flags, uint16_t chan, const bytes &p)
	{
		uint8_t buf[CARD_MSG_MAX_LEN];
		size_t n = card_msg_encode(buf, type, flags, chan, p.data(), (uint8_t)p.size());
		ft.to_card.insert(ft.to_card.end(), buf, buf + n);
		if (type == CARD_MSG_TX_DATA && chan < NCH)
			ch[chan].sent += (uint32_t)p.size();
	}

	/* Host transmit side: send queued frames within the credit. */
	void pump_tx()
	{
		for (int i = 0; i < NCH; i++) {
			chan_host &c = ch[i];
			while (!c.txq.empty()) {
				int inbuf = (uint16_t)(c.sent - c.consumed);
				int avail = tx_buffer - inbuf;
				CHECK(avail >= 0, "chan %d: host over credit", i);
				const bytes &f = c.txq.front().first;
				size_t rem = f.size() - c.off;
				if (avail <= 0)
					break;
				size_t n = rem < (size_t)avail ? rem : (size_t)avail;
				if (n > 255)
					n = 255;
				uint8_t flags = (n == rem) ? CARD_TX_EOF : 0;
				if (c.off == 0)
					flags |= c.txq.front().second;
				send(CARD_MSG_TX_DATA, flags, (uint16_t)i, bytes(f.begin() + c.off, f.begin() + c.off + n));
				c.off += n;
				if (c.off == f.size()) {
					c.txq.pop_front();
					c.off = 0;
				}
			}
		}
	}

	bool run_until(const std::function<bool()> &done, uint64_t max_cycles)
	{
		for (uint64_t i = 0; i < max_cycles; i++) {
			if (done())
				return true;
			tick();
		}
		return done();
	}

	void run(uint64_t n)
	{
		for (uint64_t i = 0; i < n; i++)
			tick();
	}

	/* wait for a message of a type in other[] after index from */
	int wait_other(uint8_t type, size_t from, uint64_t max_cycles = 200000)
	{
		int found = -1;
		run_until([&] {
			for (size_t i = from; i < other.size(); i++)
				if (other[i].type == type) {
					found = (int)i;
					return true;
				}
			return false;
		}, max_cycles);
		return found;
	}

	uint32_t reg_read(uint16_t addr)
	{
		size_t from = other.size();
		send(CARD_MSG_REG_READ, 0, 0, bytes{(uint8_t)addr, (uint8_t)(addr >> 8)});
		int i = wait_other(CARD_MSG_REG_VALUE, from);
		CHECK(i >= 0, "no REG_VALUE for %04x", addr);
		if (i < 0)
			return 0xDEADBEEF;
		CHECK(card_get16(other_payload[i].data()) == addr, "REG_VALUE address");
		return card_get32(other_payload[i].data() + 2);
	}

	void chan_config(uint16_t c, uint8_t mode, uint8_t opts, uint32_t rx_accm, uint32_t tx_accm, uint16_t mru)
	{
		bytes p(12);
		p[0] = mode; p[1] = opts;
		card_put32(&p[2], rx_accm);
		card_put32(&p[6], tx_accm);
		card_put16(&p[10], mru);
		send(CARD_MSG_CHAN_CONFIG, 0, c, p);
		ch[c].raw = (mode == CARD_MODE_RAW);
	}
};

static inline bytes rand_frame(std::mt19937 &r, size_t len)
{
	bytes b(len);
	for (auto &x : b)
		x = (uint8_t)r();
	return b;
}


#endif
