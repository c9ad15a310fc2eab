/*
 * test_usb_e2e.c - the real USB transport (drivers/card_usb.c) and card layer
 * (drivers/card.c) on a real ev_loop, against an emulated FT232H (umockdev, one
 * process) whose FIFO side is a small C card: ECHO -> ECHO_REPLY, GET_VERSION ->
 * VERSION, TX_DATA frames looped back as RX_DATA + RX_EOF (and TX_CREDIT).
 *
 * Checks: bring-up and FTDI set-up values; messages and frames round-trip intact;
 * garbage, short packets, a runt packet and stalled endpoints give counted errors and
 * a resynchronised stream; a device that keeps stalling is closed and reopened; a card
 * that stops reading its FIFO back-pressures the host (chip NAKs, OUT transfers wait)
 * without losing a byte; unplug during traffic tells the owner and cleans up every
 * transfer; re-plug brings the card back and traffic flows, also when the card kept
 * its credit counts (card_resync); a second card is told
 * apart by its serial number.  Idle CPU with the card attached is measured and
 * printed, not asserted.
 *
 * Run under umockdev-wrapper (tests/system/test_usb_loopback.sh).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "card.h"
#include "card_msg.h"
#include "card_usb.h"
#include "evloop.h"
#include "ft232h_usb.h"
#include "log.h"
#include "umockdev_ft232h.h"

#define CHANS		8
#define TXBUF		2048
#define SERIAL1		"DBK00001"
#define SERIAL2		"DBK00002"

/* --- the card behind the FIFO ------------------------------------------------------ */

struct fake_card {
	struct ft232h_usb *m;
	struct card_parser parser;
	struct ev_io io;
	uint16_t consumed[CHANS];
	uint16_t frame_len[CHANS];
	unsigned garbage_every;		/* 0: off; else garbage before every Nth reply */
	bool     paused;		/* the card stops reading its FIFO (RXF# ignored) */
	unsigned replies, polls;
	uint32_t rng;
	uint64_t msgs;
};

static void card_send(struct fake_card *f, uint8_t type, uint8_t flags, uint16_t chan,
		      const void *pl, uint8_t len)
{
	uint8_t buf[CARD_MSG_MAX_LEN + 64];
	size_t n = 0;

	f->replies++;
	if (f->garbage_every && f->replies % f->garbage_every == 0) {
		unsigned g = 5 + f->rng % 40;

		for (unsigned i = 0; i < g; i++) {
			f->rng = f->rng * 1103515245u + 12345u;
			buf[n++] = i == 0 ? CARD_MSG_SYNC : (uint8_t)(f->rng >> 16);
		}
	}
	n += card_msg_encode(buf + n, type, flags, chan, pl, len);
	/* the test never fills the model's 256 KiB queue */
	assert_int_equal(ft232h_usb_from_card(f->m, buf, n), n);
}

static void card_on_msg(void *ctx, const struct card_msg *m)
{
	struct fake_card *f = ctx;
	uint8_t p[16];

	f->msgs++;
	switch (m->type) {
	case CARD_MSG_ECHO:
		card_send(f, CARD_MSG_ECHO_REPLY, 0, m->chan, m->payload, m->len);
		break;
	case CARD_MSG_GET_VERSION:
		p[0] = CARD_PROTO_VERSION;
		p[1] = 1;
		card_put16(p + 2, CHANS);
		card_put16(p + 4, TXBUF);
		card_put16(p + 6, 255);
		card_put32(p + 8, 0xD1A1BAC4u);
		card_send(f, CARD_MSG_VERSION, 0, 0, p, 12);
		break;
	case CARD_MSG_TX_DATA:
		if (m->chan >= CHANS)
			break;
		if (m->len)
			card_send(f, CARD_MSG_RX_DATA, 0, m->chan, m->payload, m->len);
		f->frame_len[m->chan] = (uint16_t)(f->frame_len[m->chan] + m->len);
		if (m->flags & CARD_TX_EOF) {
			p[0] = CARD_RX_OK;
			card_put16(p + 1, f->frame_len[m->chan]);
			card_send(f, CARD_MSG_RX_EOF, 0, m->chan, p, 3);
			f->frame_len[m->chan] = 0;
		}
		f->consumed[m->chan] = (uint16_t)(f->consumed[m->chan] + m->len);
		card_put16(p, f->consumed[m->chan]);
		card_send(f, CARD_MSG_TX_CREDIT, 0, m->chan, p, 2);
		break;
	case CARD_MSG_CHAN_CONFIG:
		if (m->chan < CHANS)
			f->frame_len[m->chan] = 0;
		break;
	case CARD_MSG_CREDIT_POLL:	/* this card's buffer is always empty */
		if (m->chan >= CHANS)
			break;
		f->polls++;
		card_put16(p, f->consumed[m->chan]);
		card_send(f, CARD_MSG_TX_CREDIT, 0, m->chan, p, 2);
		break;
	default:
		break;
	}
}

static void card_on_io(struct ev_io *io, int fd, uint32_t revents, void *arg)
{
	struct fake_card *f = arg;
	uint8_t buf[16384];
	size_t n;

	(void)io; (void)fd; (void)revents;
	/* take only what we can answer: replies are at most ~1.1 x the requests
	 * (plus garbage); the run_until() check timer calls us again */
	while (!f->paused && ft232h_usb_from_card_room(f->m) > 2 * sizeof(buf) &&
	       (n = ft232h_usb_to_card(f->m, buf, sizeof(buf))) > 0)
		card_parser_feed(&f->parser, buf, n, card_on_msg, f);
}

/* --- the daemon side -------------------------------------------------------------- */

struct rig {
	UMockdevTestbed *tb;
	struct ft232h_usb *m, *m2;
	struct umockdev_ft232h *g, *g2;
	struct fake_card fc, fc2;
	struct ev_loop *loop;
	struct card_usb_host *h;
	struct card_usb *u, *u2;
	struct card *c;
	unsigned ups, downs, ups2;
	char down_why[64];
	bool have_version;
	struct card_version version;
	unsigned echo_ok, echo_bad;
	unsigned echo_tx_seq, echo_rx_seq;	/* replies come back in order */
	unsigned echo_lost;
	unsigned frames_ok, frames_bad, frames_lost;
	unsigned rx_seq[CHANS], tx_seq[CHANS];
	struct ev_timer deadline, check, action;
	bool (*cond)(struct rig *r);
	bool timed_out;
	void (*action_fn)(struct rig *r);
};

static struct rig R;

static size_t frame_gen(unsigned chan, unsigned seq, uint8_t *buf)
{
	size_t len = 1 + (chan * 977 + seq * 131) % 1500;

	for (size_t i = 0; i < len; i++)
		buf[i] = (uint8_t)(chan * 31 + seq * 7 + i);
	return len;
}

static void on_rx_frame(void *ctx, unsigned chan, const uint8_t *data, size_t len,
			enum card_rx_status status)
{
	struct rig *r = ctx;
	uint8_t want[1600];
	size_t wlen;

	if (chan >= CHANS || status != CARD_RX_OK) {
		r->frames_bad++;
		return;
	}
	wlen = frame_gen(chan, r->rx_seq[chan]++, want);
	if (wlen == len && memcmp(want, data, len) == 0)
		r->frames_ok++;
	else
		r->frames_bad++;
}

static size_t echo_gen(unsigned seq, uint8_t *buf)
{
	size_t len = (seq * 37 + 11) % 256;

	for (size_t k = 0; k < len; k++)
		buf[k] = (uint8_t)((k * 13 + seq) ^ (seq >> 8) * 29);	/* unique in 64 Ki seqs */
	return len;
}

/* Replies come back in order; echoes lost to a counted drop are skipped (a dropped
 * OUT transfer holds up to ~500), anything else is bad. */
static void on_echo(void *ctx, unsigned chan, const uint8_t *data, size_t len)
{
	struct rig *r = ctx;
	uint8_t want[CARD_MSG_MAX_PAYLOAD];

	for (unsigned skip = 0; skip < 2048 && r->echo_rx_seq + skip < r->echo_tx_seq; skip++) {
		size_t wlen = echo_gen(r->echo_rx_seq + skip, want);

		if (chan == wlen % CHANS && len == wlen && memcmp(data, want, len) == 0) {
			r->echo_ok++;
			r->echo_lost += skip;
			r->echo_rx_seq += skip + 1;
			return;
		}
	}
	r->echo_bad++;
}

static void on_version(void *ctx, const struct card_version *v)
{
	struct rig *r = ctx;

	r->have_version = true;
	r->version = *v;
	card_set_tx_buffer(r->c, v->tx_buffer);
}

static const struct card_events card_ev = {
	.rx_frame = on_rx_frame,
	.echo_reply = on_echo,
	.version = on_version,
};

/* The owner: a new card layer per bring-up (configuration re-sent), freed when the
 * card goes away (calls cleared). */
static void on_up(void *ctx, struct card_usb *u)
{
	struct rig *r = ctx;
	struct card_chan_cfg cfg = { .mode = CARD_MODE_ASYNC_HDLC, .rx_accm = 0xFFFFFFFF,
				     .tx_accm = 0xFFFFFFFF, .mru = 1500 };

	r->ups++;
	r->c = card_new(CHANS, TXBUF, &card_usb_ops, u, &card_ev, r);
	assert_non_null(r->c);
	card_usb_set_card(u, r->c);
	for (unsigned ch = 0; ch < CHANS; ch++) {
		assert_int_equal(card_chan_config(r->c, ch, &cfg), 0);
		r->rx_seq[ch] = r->tx_seq[ch] = 0;
	}
	r->have_version = false;
	assert_int_equal(card_get_version(r->c), 0);
	/* the card may have kept running while it was away: learn its credit counts */
	assert_int_equal(card_resync(r->c), 0);
}

static void on_down(void *ctx, struct card_usb *u, const char *why)
{
	struct rig *r = ctx;

	r->downs++;
	snprintf(r->down_why, sizeof(r->down_why), "%s", why);
	card_usb_set_card(u, NULL);
	card_free(r->c);
	r->c = NULL;
}

static const struct card_usb_events usb_ev = { .up = on_up, .down = on_down };

static void on_up2(void *ctx, struct card_usb *u)
{
	(void)u;
	((struct rig *)ctx)->ups2++;
}

static const struct card_usb_events usb_ev2 = { .up = on_up2 };

/* Run the real loop until cond() holds (checked every ms) or 10 s pass. */
static void on_deadline(struct ev_timer *t, void *arg)
{
	struct rig *r = arg;

	(void)t;
	r->timed_out = true;
	ev_loop_break(r->loop);
}

static void on_check(struct ev_timer *t, void *arg)
{
	struct rig *r = arg;

	card_on_io(NULL, -1, 0, &r->fc);	/* a card that waited for room goes on */
	if (r->cond && r->cond(r)) {
		ev_loop_break(r->loop);
		return;
	}
	ev_timer_start(r->loop, t, EV_MSEC);
}

static void on_action(struct ev_timer *t, void *arg)
{
	struct rig *r = arg;

	(void)t;
	if (r->action_fn)
		r->action_fn(r);
}

static bool run_until(struct rig *r, bool (*cond)(struct rig *r))
{
	r->cond = cond;
	r->timed_out = false;
	if (cond(r))
		return true;
	ev_timer_start(r->loop, &r->deadline, 10 * EV_SEC);
	ev_timer_start(r->loop, &r->check, EV_MSEC);
	ev_loop_run(r->loop);
	ev_timer_stop(r->loop, &r->deadline);
	ev_timer_stop(r->loop, &r->check);
	return !r->timed_out;
}

static bool is_up_with_version(struct rig *r)
{
	return card_usb_is_up(r->u) && r->have_version && r->c && !card_resyncing(r->c);
}

/* --- set-up ---------------------------------------------------------------------------- */

static int rig_setup(void **state)
{
	struct rig *r = &R;
	struct ft232h_usb_cfg mc = { .serial = SERIAL1 };
	struct ft232h_usb_cfg mc2 = { .serial = SERIAL2 };
	struct card_usb_cfg uc = { .serial = SERIAL1 };

	(void)state;
	r->tb = umockdev_testbed_new();
	assert_non_null(r->tb);
	r->m = ft232h_usb_new(&mc);
	r->m2 = ft232h_usb_new(&mc2);
	assert_non_null(r->m);
	assert_non_null(r->m2);
	r->g = umockdev_ft232h_new(r->tb, r->m, 1, 2);
	r->g2 = umockdev_ft232h_new(r->tb, r->m2, 1, 3);
	/* the second card first: the serial, not the order, must pick the device */
	assert_int_equal(umockdev_ft232h_plug(r->g2), 0);
	assert_int_equal(umockdev_ft232h_plug(r->g), 0);

	r->loop = ev_loop_new();
	assert_non_null(r->loop);
	log_set_clock(r->loop, 0, false);
	ev_timer_init(&r->deadline, on_deadline, r);
	ev_timer_init(&r->check, on_check, r);
	ev_timer_init(&r->action, on_action, r);

	r->fc.m = r->m;
	card_parser_init(&r->fc.parser);
	r->fc.rng = 12345;
	assert_int_equal(ev_io_start(r->loop, &r->fc.io, ft232h_usb_notify_fd(r->m), EPOLLIN,
				     card_on_io, &r->fc), 0);
	r->fc2.m = r->m2;
	card_parser_init(&r->fc2.parser);
	assert_int_equal(ev_io_start(r->loop, &r->fc2.io, ft232h_usb_notify_fd(r->m2), EPOLLIN,
				     card_on_io, &r->fc2), 0);

	r->h = card_usb_host_new(r->loop);
	assert_non_null(r->h);
	r->u = card_usb_new(r->h, &uc, &usb_ev, r);
	assert_non_null(r->u);
	return 0;
}

static int rig_teardown(void **state)
{
	struct rig *r = &R;

	(void)state;
	card_usb_host_free(r->h);	/* frees r->u, r->u2 */
	if (r->c)
		card_free(r->c);
	ev_io_stop(r->loop, &r->fc.io);
	ev_io_stop(r->loop, &r->fc2.io);
	umockdev_ft232h_free(r->g);
	umockdev_ft232h_free(r->g2);
	ft232h_usb_free(r->m);
	ft232h_usb_free(r->m2);
	ev_loop_free(r->loop);
	g_object_unref(r->tb);
	return 0;
}

/* --- tests -------------------------------------------------------------------------- */

static void test_bring_up(void **state)
{
	struct rig *r = &R;
	struct ft232h_usb_stats ms, ms2;
	char show[1024];

	(void)state;
	assert_true(run_until(r, is_up_with_version));
	assert_int_equal(r->ups, 1);
	assert_int_equal(r->version.proto_version, CARD_PROTO_VERSION);
	assert_int_equal(r->version.channels, CHANS);
	assert_int_equal(r->version.build_id, 0xD1A1BAC4u);
	/* the FTDI set-up reached the chip with the right values */
	ft232h_usb_get_stats(r->m, &ms);
	assert_int_equal(ms.latency_ms, CARD_USB_LATENCY_MS);
	assert_int_equal(ms.bitmode, 0x40);
	assert_int_equal(ms.bitmask, 0xFF);
	assert_int_equal(ms.flow_ctrl, 0x0100);
	assert_true(ms.resets >= 1 && ms.purges_rx >= 1 && ms.purges_tx >= 1);
	/* the other serial number's chip was left alone */
	ft232h_usb_get_stats(r->m2, &ms2);
	assert_int_equal(ms2.bitmode, 0);
	card_usb_show(r->u, show, sizeof(show));
	printf("%s", show);
	assert_non_null(strstr(show, "0403:6014 serial " SERIAL1 ": up"));
	assert_non_null(strstr(show, "address 002"));
	assert_non_null(strstr(show, "speed high"));
	assert_non_null(strstr(show, "IN 0x81/512 OUT 0x02/512"));
}

static unsigned echo_target;
static bool echoes_done(struct rig *r)
{
	return r->echo_rx_seq == r->echo_tx_seq || r->echo_ok + r->echo_bad >= echo_target;
}

/* `n` echoes, sent `batch` at a time, each batch waited for. */
static void echo_batches(struct rig *r, unsigned n, unsigned batch)
{
	for (unsigned i = 0; i < n; i += batch) {
		for (unsigned k = i; k < n && k < i + batch; k++) {
			uint8_t pl[CARD_MSG_MAX_PAYLOAD];
			size_t len = echo_gen(r->echo_tx_seq++, pl);

			assert_int_equal(card_echo(r->c, (unsigned)(len % CHANS), pl, len), 0);
		}
		echo_target = r->echo_tx_seq - r->echo_rx_seq + r->echo_ok + r->echo_bad;
		assert_true(run_until(r, echoes_done));
	}
}

static void echo_round(struct rig *r, unsigned n, unsigned seed)
{
	(void)seed;
	echo_batches(r, n, 1);
}

static void test_echo(void **state)
{
	struct rig *r = &R;
	unsigned before = r->echo_ok;

	(void)state;
	echo_round(r, 100, 1);
	assert_int_equal(r->echo_ok - before, 100);
	assert_int_equal(r->echo_bad, 0);
}

static unsigned frames_target;
static bool frames_done(struct rig *r) { return r->frames_ok + r->frames_bad >= frames_target; }

static void send_frames(struct rig *r, unsigned per_chan)
{
	uint8_t buf[1600];

	for (unsigned k = 0; k < per_chan; k++) {
		for (unsigned ch = 0; ch < CHANS; ch++) {
			size_t len = frame_gen(ch, r->tx_seq[ch]++, buf);

			assert_int_equal(card_send_frame(r->c, ch, buf, len, 0), 0);
		}
	}
}

static void test_frame_loopback(void **state)
{
	struct rig *r = &R;
	const struct card_usb_stats *us = card_usb_get_stats(r->u);

	(void)state;
	frames_target = r->frames_ok + r->frames_bad + 10 * CHANS;
	send_frames(r, 10);
	assert_true(run_until(r, frames_done));
	assert_int_equal(r->frames_bad, 0);
	assert_int_equal(r->frames_ok, 10 * CHANS);
	assert_int_equal(us->rx_errors + us->tx_errors, 0);
	assert_int_equal(card_get_stats(r->c)->parser.crc_errors, 0);
	printf("loopback: %llu bytes out in %llu transfers, %llu bytes in in %llu transfers\n",
	       (unsigned long long)us->tx_bytes, (unsigned long long)us->tx_transfers,
	       (unsigned long long)us->rx_bytes, (unsigned long long)us->rx_transfers);
}

static bool garbage_sent(struct rig *r) { return r->fc.replies >= 60; }

static void test_garbage_resync(void **state)
{
	struct rig *r = &R;
	const struct card_stats *cs = card_get_stats(r->c);
	uint64_t skipped = cs->parser.skipped_bytes, bad = cs->parser.crc_errors + cs->parser.bad_headers;
	unsigned before = r->echo_ok;

	(void)state;
	/* a false SYNC may announce up to 263 bytes: the parser then waits for them
	 * before it can reject the candidate, so send the echoes as one batch and some
	 * clean traffic behind them */
	r->fc.replies = 0;
	r->fc.garbage_every = 3;
	for (unsigned i = 0; i < 60; i++) {
		uint8_t pl[CARD_MSG_MAX_PAYLOAD];
		size_t len = echo_gen(r->echo_tx_seq++, pl);

		assert_int_equal(card_echo(r->c, (unsigned)(len % CHANS), pl, len), 0);
	}
	assert_true(run_until(r, garbage_sent));
	r->fc.garbage_every = 0;
	echo_batches(r, 20, 20);
	assert_int_equal(r->echo_ok - before, 80);
	assert_int_equal(r->echo_bad, 0);
	cs = card_get_stats(r->c);
	assert_true(cs->parser.skipped_bytes > skipped);
	printf("garbage: %llu bytes skipped, %llu bad candidates, all 80 echoes intact\n",
	       (unsigned long long)(cs->parser.skipped_bytes - skipped),
	       (unsigned long long)(cs->parser.crc_errors + cs->parser.bad_headers - bad));
}

static void test_short_and_runt_packets(void **state)
{
	struct rig *r = &R;
	const struct card_usb_stats *us = card_usb_get_stats(r->u);
	uint64_t xfers = us->rx_transfers;
	unsigned before = r->frames_ok;

	(void)state;
	umockdev_ft232h_set_in_chunk(r->g, 37);	/* every message crosses transfers */
	echo_round(r, 20, 3);
	frames_target = r->frames_ok + r->frames_bad + 2 * CHANS;
	send_frames(r, 2);
	assert_true(run_until(r, frames_done));
	umockdev_ft232h_set_in_chunk(r->g, 0);
	assert_int_equal(r->frames_ok - before, 2 * CHANS);
	assert_int_equal(r->frames_bad, 0);
	assert_true(us->rx_transfers - xfers > 100);

	umockdev_ft232h_runt_in(r->g);
	echo_round(r, 10, 5);
	assert_int_equal(us->rx_bad_packets, 1);
	assert_int_equal(r->echo_bad, 0);
}

static void test_stalls(void **state)
{
	struct rig *r = &R;
	const struct card_usb_stats *us = card_usb_get_stats(r->u);
	unsigned before = r->echo_ok;

	(void)state;
	umockdev_ft232h_stall_in(r->g);
	echo_round(r, 10, 11);
	assert_true(us->rx_stalls >= 1);
	umockdev_ft232h_stall_out(r->g);
	echo_round(r, 10, 13);
	assert_true(us->tx_stalls >= 1);
	assert_int_equal(r->echo_ok - before, 20);
	assert_int_equal(r->echo_bad, 0);
	assert_true(card_usb_is_up(r->u));
	printf("stalls: IN %llu, OUT %llu; errors IN %llu OUT %llu; stream intact\n",
	       (unsigned long long)us->rx_stalls, (unsigned long long)us->tx_stalls,
	       (unsigned long long)us->rx_errors, (unsigned long long)us->tx_errors);
}

static unsigned ups_before;
static bool came_back(struct rig *r) { return r->ups > ups_before && is_up_with_version(r); }

/* A device that keeps failing (STALL on every IN transfer) is closed, reported down,
 * and reopened by the driver itself a second later. */
static void test_error_storm_recovers(void **state)
{
	struct rig *r = &R;
	const struct card_usb_stats *us = card_usb_get_stats(r->u);
	unsigned downs = r->downs;

	(void)state;
	ups_before = r->ups;
	for (int i = 0; i < 12; i++)
		umockdev_ft232h_stall_in(r->g);
	assert_true(run_until(r, came_back));
	assert_int_equal(r->downs, downs + 1);
	assert_string_equal(r->down_why, "too many transfer errors");
	assert_int_equal(us->arrivals, 2);
	/* the fake card kept running with its old credit counts: card_resync() */
	echo_round(r, 10, 19);
	assert_int_equal(r->echo_bad, 0);
	printf("error storm: %llu IN stalls, closed, reopened after %u ups\n",
	       (unsigned long long)us->rx_stalls, r->ups);
}

static bool out_backlogged(struct rig *r)
{
	return ft232h_usb_to_card_pending(r->m) == FT232H_USB_TO_CARD_MAX &&
	       card_usb_get_stats(r->u)->in_flight_out > 0 && card_usb_tx_pending(r->u) > 0;
}

/* The card stops taking bytes: the chip's buffer fills, it NAKs, OUT transfers stay
 * pending and the driver queues; when the card goes on, every byte arrives in order. */
static void test_out_backpressure(void **state)
{
	struct rig *r = &R;
	unsigned before = r->echo_ok, n = 4500;	/* ~600 KB: chip buffer + transfers + queue */

	(void)state;
	r->fc.paused = true;
	for (unsigned i = 0; i < n; i++) {
		uint8_t pl[CARD_MSG_MAX_PAYLOAD];
		size_t len = echo_gen(r->echo_tx_seq++, pl);

		assert_int_equal(card_echo(r->c, (unsigned)(len % CHANS), pl, len), 0);
	}
	assert_true(run_until(r, out_backlogged));
	r->fc.paused = false;
	echo_target = r->echo_tx_seq - r->echo_rx_seq + r->echo_ok + r->echo_bad;
	assert_true(run_until(r, echoes_done));
	assert_int_equal(r->echo_ok - before, n);
	assert_int_equal(r->echo_bad, 0);
	assert_int_equal(r->echo_lost, 0);
	assert_int_equal(card_usb_get_stats(r->u)->tx_errors, 1);	/* the one STALL */
}

static uint64_t stalls_before;
static bool out_stalled(struct rig *r) { return card_usb_get_stats(r->u)->tx_stalls > stalls_before; }
static bool all_echoes_back(struct rig *r) { return r->echo_rx_seq == r->echo_tx_seq; }

/* A STALL on an OUT transfer with more queued behind it: resending its rest would
 * reorder the stream, so the rest is dropped (counted) and the card resynchronises:
 * echoes are lost, none is corrupted, the ones after arrive in order. */
static void test_out_stall_with_queue(void **state)
{
	struct rig *r = &R;
	const struct card_usb_stats *us = card_usb_get_stats(r->u);
	unsigned ok = r->echo_ok, lost = r->echo_lost, n = 4500;
	uint64_t dropped = us->tx_dropped, skipped = r->fc.parser.stats.skipped_bytes;

	(void)state;
	r->fc.paused = true;
	for (unsigned i = 0; i < n; i++) {
		uint8_t pl[CARD_MSG_MAX_PAYLOAD];
		size_t len = echo_gen(r->echo_tx_seq++, pl);

		assert_int_equal(card_echo(r->c, (unsigned)(len % CHANS), pl, len), 0);
	}
	assert_true(run_until(r, out_backlogged));
	assert_true(us->in_flight_out >= 2);
	stalls_before = us->tx_stalls;
	umockdev_ft232h_stall_out(r->g);
	assert_true(run_until(r, out_stalled));
	r->fc.paused = false;
	if (!run_until(r, all_echoes_back))
		printf("stuck: tx %u rx %u ok %u lost %u bad %u; card: %llu msgs, skipped %llu, "
		       "crc %llu, hdr %llu; to_card %zu, to_host %zu; usb out %u in flight, %zu queued, "
		       "dropped %llu\n", r->echo_tx_seq, r->echo_rx_seq, r->echo_ok, r->echo_lost,
		       r->echo_bad, (unsigned long long)r->fc.msgs,
		       (unsigned long long)r->fc.parser.stats.skipped_bytes,
		       (unsigned long long)r->fc.parser.stats.crc_errors,
		       (unsigned long long)r->fc.parser.stats.bad_headers,
		       ft232h_usb_to_card_pending(r->m), ft232h_usb_in_pending(r->m),
		       us->in_flight_out, card_usb_tx_pending(r->u),
		       (unsigned long long)us->tx_dropped);
	assert_true(all_echoes_back(r));
	assert_int_equal(r->echo_bad, 0);
	assert_true(us->tx_dropped > dropped);
	assert_true(r->echo_lost > lost);
	assert_int_equal((r->echo_ok - ok) + (r->echo_lost - lost), n);
	assert_true(r->fc.parser.stats.skipped_bytes + r->fc.parser.stats.crc_errors > skipped);
	assert_true(card_usb_is_up(r->u));
	printf("OUT stall behind a queue: %llu bytes dropped, %u echoes lost, %u intact and in "
	       "order\n", (unsigned long long)(us->tx_dropped - dropped), r->echo_lost - lost,
	       r->echo_ok - ok);
}

static void do_unplug(struct rig *r) { umockdev_ft232h_unplug(r->g); }

static bool down_and_clean(struct rig *r)
{
	const struct card_usb_stats *us = card_usb_get_stats(r->u);

	return r->downs >= 1 && !card_usb_is_up(r->u) && us->in_flight_in == 0 &&
	       us->in_flight_out == 0;
}

static void test_unplug_during_traffic(void **state)
{
	struct rig *r = &R;
	const struct card_usb_stats *us = card_usb_get_stats(r->u);
	uint8_t x = 0;

	(void)state;
	send_frames(r, 20);	/* traffic in flight when the card goes */
	r->action_fn = do_unplug;
	ev_timer_start(r->loop, &r->action, 3 * EV_MSEC);
	r->downs = 0;
	assert_true(run_until(r, down_and_clean));
	assert_int_equal(r->downs, 1);
	assert_string_equal(r->down_why, "unplugged");
	assert_int_equal(us->removals, 1);	/* the error storm was no removal */
	assert_null(r->c);
	/* writes fail cleanly while the card is away */
	assert_int_equal(card_usb_ops.write(r->u, &x, 1), -ENODEV);
	printf("unplug: owner told (\"%s\"), %llu IN / %llu OUT errors, 0 transfers left\n",
	       r->down_why, (unsigned long long)us->rx_errors, (unsigned long long)us->tx_errors);
}

static bool up_again(struct rig *r) { return came_back(r); }

static void test_replug(void **state)
{
	struct rig *r = &R;
	const struct card_usb_stats *us = card_usb_get_stats(r->u);

	(void)state;
	/* a bus-powered card: it lost power with the cable and starts from reset
	 * (credit counts, partial frames, parser) */
	memset(r->fc.consumed, 0, sizeof(r->fc.consumed));
	memset(r->fc.frame_len, 0, sizeof(r->fc.frame_len));
	card_parser_init(&r->fc.parser);
	ups_before = r->ups;
	assert_int_equal(umockdev_ft232h_plug(r->g), 0);
	assert_true(run_until(r, up_again));
	assert_int_equal(us->arrivals, 3);
	r->frames_ok = r->frames_bad = 0;
	frames_target = 5 * CHANS;
	send_frames(r, 5);
	assert_true(run_until(r, frames_done));
	assert_int_equal(r->frames_ok, 5 * CHANS);
	assert_int_equal(r->frames_bad, 0);
	echo_round(r, 10, 17);
	assert_int_equal(r->echo_bad, 0);
}

/* Unplugged and re-plugged without the card being reset (a self-powered card): its
 * credit counts go on from far away; the card layer re-syncs, and frames (a second
 * call) flow with the right credit. */
static void test_replug_without_card_reset(void **state)
{
	struct rig *r = &R;
	const struct card_usb_stats *us = card_usb_get_stats(r->u);
	unsigned polls = r->fc.polls;

	(void)state;
	r->downs = 0;
	umockdev_ft232h_unplug(r->g);
	assert_true(run_until(r, down_and_clean));
	for (unsigned ch = 0; ch < CHANS; ch++)	/* it ran on: counts nowhere near ours */
		r->fc.consumed[ch] = (uint16_t)(r->fc.consumed[ch] + 30000 + 977 * ch);
	ups_before = r->ups;
	assert_int_equal(umockdev_ft232h_plug(r->g), 0);
	assert_true(run_until(r, up_again));
	assert_int_equal(us->arrivals, 4);
	assert_true(r->fc.polls >= polls + CHANS);
	assert_true(card_get_stats(r->c)->resyncs >= 1);
	r->frames_ok = r->frames_bad = 0;
	frames_target = 6 * CHANS;	/* 6 x ~750 octets per channel: well past one window */
	send_frames(r, 6);
	assert_true(run_until(r, frames_done));
	assert_int_equal(r->frames_ok, 6 * CHANS);
	assert_int_equal(r->frames_bad, 0);
	for (unsigned ch = 0; ch < CHANS; ch++)
		assert_int_equal(card_tx_queued(r->c, ch), 0);
}

static bool second_up(struct rig *r) { return r->ups2 >= 1; }

static void test_second_card_by_serial(void **state)
{
	struct rig *r = &R;
	struct card_usb_cfg uc = { .serial = SERIAL2 };
	char show[1024];

	(void)state;
	r->u2 = card_usb_new(r->h, &uc, &usb_ev2, r);
	assert_non_null(r->u2);
	assert_true(run_until(r, second_up));
	card_usb_show(r->u2, show, sizeof(show));
	assert_non_null(strstr(show, "serial " SERIAL2 ": up"));
	assert_non_null(strstr(show, "address 003"));
	assert_true(card_usb_is_up(r->u));	/* the first card is undisturbed */
}

static bool never(struct rig *r) { (void)r; return false; }

static void test_idle_cpu(void **state)
{
	struct rig *r = &R;
	const struct card_usb_stats *us = card_usb_get_stats(r->u);
	struct rusage t0, t1, p0, p1;
	struct timespec w0, w1;
	uint64_t x0 = us->rx_transfers, w0_ = card_usb_host_wakeups(r->h);
	double wall, thr, proc;

	(void)state;
	/* no check timer: only the deadline and the USB fds wake the loop */
	r->cond = never;
	r->timed_out = false;
	ev_timer_start(r->loop, &r->deadline, 2 * EV_SEC);
	getrusage(RUSAGE_THREAD, &t0);
	getrusage(RUSAGE_SELF, &p0);
	clock_gettime(CLOCK_MONOTONIC, &w0);
	ev_loop_run(r->loop);
	clock_gettime(CLOCK_MONOTONIC, &w1);
	getrusage(RUSAGE_THREAD, &t1);
	getrusage(RUSAGE_SELF, &p1);
#define SECS(a, b) ((double)((b).ru_utime.tv_sec - (a).ru_utime.tv_sec + (b).ru_stime.tv_sec - \
	(a).ru_stime.tv_sec) + 1e-6 * (double)((b).ru_utime.tv_usec - (a).ru_utime.tv_usec + \
	(b).ru_stime.tv_usec - (a).ru_stime.tv_usec))
	wall = (double)(w1.tv_sec - w0.tv_sec) + 1e-9 * (double)(w1.tv_nsec - w0.tv_nsec);
	thr = SECS(t0, t1);
	proc = SECS(p0, p1);
	printf("idle (2 cards attached, latency timer %u ms, %.2f s): daemon thread %.1f ms CPU/s, "
	       "whole process (incl. emulator) %.1f ms CPU/s, %.0f IN transfers/s on card 1, "
	       "%.0f libusb wake-ups/s for both\n",
	       CARD_USB_LATENCY_MS, wall, 1000.0 * thr / wall, 1000.0 * proc / wall,
	       (double)(us->rx_transfers - x0) / wall,
	       (double)(card_usb_host_wakeups(r->h) - w0_) / wall);
	assert_true(r->timed_out);	/* the loop ran until its own deadline */
	assert_true(card_usb_is_up(r->u));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bring_up),
		cmocka_unit_test(test_echo),
		cmocka_unit_test(test_frame_loopback),
		cmocka_unit_test(test_garbage_resync),
		cmocka_unit_test(test_short_and_runt_packets),
		cmocka_unit_test(test_stalls),
		cmocka_unit_test(test_error_storm_recovers),
		cmocka_unit_test(test_out_backpressure),
		cmocka_unit_test(test_out_stall_with_queue),
		cmocka_unit_test(test_unplug_during_traffic),
		cmocka_unit_test(test_replug),
		cmocka_unit_test(test_replug_without_card_reset),
		cmocka_unit_test(test_second_card_by_serial),
		cmocka_unit_test(test_idle_cpu),
	};

	if (!getenv("LD_PRELOAD") || !strstr(getenv("LD_PRELOAD"), "umockdev")) {
		fprintf(stderr, "run me under umockdev-wrapper\n");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	return cmocka_run_group_tests(tests, rig_setup, rig_teardown);
}
