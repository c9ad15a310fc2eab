/*
 * test_card.c - the host card layer against a scripted card: credit flow control,
 * chunking, FULL_ACCM marking, receive reassembly and error statuses
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "card.h"
#include "card_sim.h"

#define TXBUF 64

struct fake_card {
	struct card_parser parser;
	unsigned tx_msgs, eofs, full_accm_first;
	uint16_t received[4];		/* TX_DATA octets per channel */
	uint16_t consumed[4];
	uint8_t  frame[4][8192];
	size_t   frame_len[4];
	size_t   frames_done[4];
	size_t   last_frame_len[4];
	unsigned configs;
};

struct host {
	unsigned frames, bad, tx_ready;
	enum card_rx_status last_status;
	uint8_t last[4096];
	size_t  last_len;
	uint8_t raw[256];
	size_t  raw_len;
};

static void card_side(void *ctx, const struct card_msg *m)
{
	struct fake_card *f = ctx;

	if (m->type == CARD_MSG_CHAN_CONFIG) {
		f->configs++;
		return;
	}
	assert_int_equal(m->type, CARD_MSG_TX_DATA);
	assert_true(m->chan < 4);
	f->tx_msgs++;
	if (f->frame_len[m->chan] == 0 && (m->flags & CARD_TX_FULL_ACCM))
		f->full_accm_first++;
	memcpy(f->frame[m->chan] + f->frame_len[m->chan], m->payload, m->len);
	f->frame_len[m->chan] += m->len;
	f->received[m->chan] = (uint16_t)(f->received[m->chan] + m->len);
	/* the host must never exceed the card's buffer */
	assert_true((uint16_t)(f->received[m->chan] - f->consumed[m->chan]) <= TXBUF);
	if (m->flags & CARD_TX_EOF) {
		f->eofs++;
		f->frames_done[m->chan]++;
		f->last_frame_len[m->chan] = f->frame_len[m->chan];
		f->frame_len[m->chan] = 0;
	}
}

static void drain(struct card_sim *s, struct fake_card *f)
{
	uint8_t buf[1024];
	size_t n;

	while ((n = card_sim_pull(s, buf, sizeof(buf))) > 0)
		card_parser_feed(&f->parser, buf, n, card_side, f);
}

static void give_credit(struct card *c, struct fake_card *f, unsigned chan)
{
	uint8_t msg[CARD_MSG_MAX_LEN], pl[2];
	size_t n;

	f->consumed[chan] = f->received[chan];
	card_put16(pl, f->consumed[chan]);
	n = card_msg_encode(msg, CARD_MSG_TX_CREDIT, 0, (uint16_t)chan, pl, 2);
	card_input(c, msg, n);
}

static void on_frame(void *ctx, unsigned chan, const uint8_t *d, size_t len,
		     enum card_rx_status st)
{
	struct host *h = ctx;

	(void)chan;
	h->last_status = st;
	if (st == CARD_RX_OK) {
		h->frames++;
		memcpy(h->last, d, len);
		h->last_len = len;
	} else {
		h->bad++;
	}
}

static void on_raw(void *ctx, unsigned chan, const uint8_t *d, size_t len)
{
	struct host *h = ctx;

	(void)chan;
	memcpy(h->raw + h->raw_len, d, len);
	h->raw_len += len;
}

static void on_ready(void *ctx, unsigned chan)
{
	(void)chan;
	((struct host *)ctx)->tx_ready++;
}

static const struct card_events events = {
	.rx_frame = on_frame, .rx_raw = on_raw, .tx_ready = on_ready,
};

static const struct card_chan_cfg async_cfg = {
	.mode = CARD_MODE_ASYNC_HDLC, .rx_accm = 0xFFFFFFFF, .tx_accm = 0xFFFFFFFF, .mru = 1500,
};

static void test_credit_and_chunks(void **state)
{
	(void)state;
	struct card_sim *s = card_sim_new();
	struct host h = { 0 };
	struct fake_card f = { 0 };
	struct card *c = card_new(4, TXBUF, &card_sim_ops, s, &events, &h);
	uint8_t frame[1000];

	card_parser_init(&f.parser);
	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)(i * 7);
	assert_int_equal(card_chan_config(c, 2, &async_cfg), 0);
	assert_int_equal(card_send_frame(c, 2, frame, sizeof(frame), CARD_TX_FULL_ACCM), 0);
	assert_int_equal(card_send_frame(c, 2, frame, 10, 0), 0);
	drain(s, &f);
	assert_int_equal(f.configs, 1);
	assert_int_equal(f.received[2], TXBUF);		/* stopped at the credit window */
	assert_int_equal(card_tx_queued(c, 2), 1010 - TXBUF);
	for (int round = 0; round < 100 && card_tx_queued(c, 2); round++) {
		give_credit(c, &f, 2);
		drain(s, &f);
	}
	assert_int_equal(card_tx_queued(c, 2), 0);
	assert_int_equal(f.frames_done[2], 2);
	assert_int_equal(f.last_frame_len[2], 10);
	assert_int_equal(f.full_accm_first, 1);		/* only the first frame, only once */
	assert_int_equal(card_get_chan_stats(c, 2)->tx_frames, 2);
	card_free(c);
	card_sim_free(s);
}

/* An in-place update keeps what is queued and marks the message CARD_OPT_UPDATE;
 * changing the mode that way is refused. */
static void test_update_keeps_queue(void **state)
{
	(void)state;
	struct card_sim *s = card_sim_new();
	struct host h = { 0 };
	struct card *c = card_new(4, TXBUF, &card_sim_ops, s, &events, &h);
	struct card_chan_cfg upd = async_cfg;
	uint8_t frame[200] = { 0 }, buf[64];
	size_t n;

	assert_int_equal(card_chan_config(c, 1, &async_cfg), 0);
	assert_int_equal(card_send_frame(c, 1, frame, sizeof(frame), 0), 0);
	assert_int_equal(card_tx_queued(c, 1), sizeof(frame) - TXBUF);
	while (card_sim_pull(s, buf, sizeof(buf)) > 0)
		;
	upd.tx_accm = 0x000A0000;
	upd.rx_accm = 0x000A0000;
	assert_int_equal(card_chan_update(c, 1, &upd), 0);
	assert_int_equal(card_tx_queued(c, 1), sizeof(frame) - TXBUF);	/* nothing dropped */
	assert_int_equal(card_get_chan_cfg(c, 1)->tx_accm, 0x000A0000);
	n = card_sim_pull(s, buf, sizeof(buf));
	assert_int_equal(n, CARD_MSG_HDR_LEN + sizeof(struct card_chan_config) + CARD_MSG_CRC_LEN);
	assert_int_equal(buf[1], CARD_MSG_CHAN_CONFIG);
	assert_int_equal(buf[CARD_MSG_HDR_LEN + 1] & CARD_OPT_UPDATE, CARD_OPT_UPDATE);
	upd.mode = CARD_MODE_RAW;
	assert_int_equal(card_chan_update(c, 1, &upd), -EINVAL);
	card_free(c);
	card_sim_free(s);
}

static void feed(struct card *c, uint8_t type, uint16_t chan, const void *pl, uint8_t len)
{
	uint8_t msg[CARD_MSG_MAX_LEN];

	card_input(c, msg, card_msg_encode(msg, type, 0, chan, pl, len));
}

static void test_rx_reassembly_and_errors(void **state)
{
	(void)state;
	struct card_sim *s = card_sim_new();
	struct host h = { 0 };
	struct card *c = card_new(4, TXBUF, &card_sim_ops, s, &events, &h);
	uint8_t a[200], b[100];

	for (int i = 0; i < 200; i++)
		a[i] = (uint8_t)i;
	memset(b, 0x7E, sizeof(b));
	card_chan_config(c, 1, &async_cfg);
	feed(c, CARD_MSG_RX_DATA, 1, a, 200);
	feed(c, CARD_MSG_RX_DATA, 1, b, 100);
	feed(c, CARD_MSG_RX_EOF, 1, (uint8_t[]){ CARD_RX_OK, 44, 1 }, 3);	/* 300 */
	assert_int_equal(h.frames, 1);
	assert_int_equal(h.last_len, 300);
	assert_memory_equal(h.last, a, 200);
	assert_memory_equal(h.last + 200, b, 100);

	/* bad FCS: never delivered as good, counted */
	feed(c, CARD_MSG_RX_DATA, 1, a, 20);
	feed(c, CARD_MSG_RX_EOF, 1, (uint8_t[]){ CARD_RX_BAD_FCS, 20, 0 }, 3);
	assert_int_equal(h.frames, 1);
	assert_int_equal(h.last_status, CARD_RX_BAD_FCS);
	assert_int_equal(card_get_chan_stats(c, 1)->rx_bad_fcs, 1);

	/* a lost RX_DATA chunk (length mismatch) becomes an overrun, not a frame */
	feed(c, CARD_MSG_RX_DATA, 1, a, 20);
	feed(c, CARD_MSG_RX_EOF, 1, (uint8_t[]){ CARD_RX_OK, 40, 0 }, 3);
	assert_int_equal(h.frames, 1);
	assert_int_equal(h.last_status, CARD_RX_OVERRUN);
	assert_int_equal(card_get_chan_stats(c, 1)->rx_overruns, 1);

	/* the next good frame is fine */
	feed(c, CARD_MSG_RX_DATA, 1, a, 5);
	feed(c, CARD_MSG_RX_EOF, 1, (uint8_t[]){ CARD_RX_OK, 5, 0 }, 3);
	assert_int_equal(h.frames, 2);

	/* channel out of range and data on an unconfigured channel are counted */
	feed(c, CARD_MSG_RX_DATA, 9, a, 5);
	feed(c, CARD_MSG_RX_DATA, 3, a, 5);
	assert_int_equal(card_get_stats(c)->rx_unexpected, 2);
	card_free(c);
	card_sim_free(s);
}

static void test_raw_mode(void **state)
{
	(void)state;
	struct card_sim *s = card_sim_new();
	struct host h = { 0 };
	struct card *c = card_new(4, TXBUF, &card_sim_ops, s, &events, &h);
	struct card_chan_cfg raw = { .mode = CARD_MODE_RAW };

	card_chan_config(c, 0, &raw);
	feed(c, CARD_MSG_RX_DATA, 0, "ATZ\r", 4);
	feed(c, CARD_MSG_RX_DATA, 0, "ATH1\r", 5);
	assert_int_equal(h.raw_len, 9);
	assert_memory_equal(h.raw, "ATZ\rATH1\r", 9);
	/* frames refused in raw mode, raw refused in HDLC mode */
	assert_int_equal(card_send_frame(c, 0, (const uint8_t *)"x", 1, 0), -EINVAL);
	card_chan_config(c, 1, &async_cfg);
	assert_int_equal(card_send_raw(c, 1, (const uint8_t *)"x", 1), -EINVAL);
	assert_int_equal(card_send_raw(c, 0, (const uint8_t *)"OK\r\n", 4), 0);
	card_free(c);
	card_sim_free(s);
}

static void test_queue_limit_and_ready(void **state)
{
	(void)state;
	struct card_sim *s = card_sim_new();
	struct host h = { 0 };
	struct fake_card f = { 0 };
	struct card *c = card_new(4, TXBUF, &card_sim_ops, s, &events, &h);
	static uint8_t big[CARD_TXQ_LIMIT];
	int rc;

	card_parser_init(&f.parser);
	card_chan_config(c, 3, &async_cfg);
	assert_int_equal(card_send_frame(c, 3, big, CARD_TXQ_LIMIT - 100, 0), 0);
	rc = card_send_frame(c, 3, big, 1000, 0);
	assert_int_equal(rc, -ENOBUFS);
	assert_int_equal(card_get_chan_stats(c, 3)->tx_queue_drops, 1);
	for (int i = 0; i < 1000 && card_tx_queued(c, 3); i++) {
		drain(s, &f);
		give_credit(c, &f, 3);
	}
	assert_int_equal(h.tx_ready, 1);
	card_free(c);
	card_sim_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_credit_and_chunks),
		cmocka_unit_test(test_update_keeps_queue),
		cmocka_unit_test(test_rx_reassembly_and_errors),
		cmocka_unit_test(test_raw_mode),
		cmocka_unit_test(test_queue_limit_and_ready),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
