/*
 * card.c - the host's card layer: messages, per-channel transmit queues against the
 * card's credit, receive reassembly, counters (see card.h)
 *
 * Credit: the card reports an absolute 16-bit count of transmit octets it has taken
 * from a channel's buffer.  We count octets sent; outstanding = sent - consumed
 * (mod 2^16) never exceeds the card's buffer size, so the card's small buffer never
 * overruns, and a lost TX_CREDIT is repaired by the next one.
 *
 * Re-sync (card_resync): a card that ran before this card layer existed (re-plugged
 * without an FPGA reset) reports counts from an unknown origin.  Every channel is
 * then held (no TX_DATA) while two rounds run, each closed by a GET_VERSION whose
 * VERSION answer is our barrier (the card answers requests in order):
 *   1. CHAN_CONFIG with the channel's configuration: the card flushes the buffer and
 *      counts the flushed octets as consumed, so nothing of ours or of an earlier
 *      host is left in it;
 *   2. (one host round trip later, so the card's engine has applied the flush)
 *      CREDIT_POLL: the answer is the count of an empty buffer.
 * The baseline is the highest count seen in round 2 (a spontaneous TX_CREDIT from
 * before the flush can still arrive and must not win); sent = consumed = baseline.
 * A channel whose answer was lost to garbage is polled again.
 *
 * SPDX-License-Identifier: MIT
 */
#include "card.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RX_FRAME_MAX	4096	/* reassembly limit; the card enforces the MRU first */
#define TXQ_LOW_WATER	512

/* One queued transmit unit: a frame (HDLC) or a run of raw octets. */
struct txq_item {
	struct txq_item *next;
	unsigned  flags;	/* CARD_TX_FULL_ACCM ... */
	bool      frame;	/* ends with EOF */
	size_t    len, off;	/* off: octets already sent */
	uint8_t   data[];
};

struct card_chan {
	struct card_chan_cfg cfg;
	struct card_chan_stats stats;
	uint16_t  sent;		/* TX_DATA payload octets sent, mod 2^16 */
	uint16_t  consumed;	/* last TX_CREDIT */
	struct txq_item *txq_head, *txq_tail;
	size_t    txq_bytes;
	bool      tx_blocked;	/* owner told -ENOBUFS; call tx_ready when drained */
	bool      unsynced;	/* credit baseline unknown (card_resync): hold TX_DATA */
	bool      credit_seen;	/* a TX_CREDIT arrived in the current re-sync round */
	uint16_t  credit_max;	/* ... the highest of them */
	uint8_t  *rx_buf;	/* reassembly, allocated on first use */
	size_t    rx_len;
	bool      rx_overflow;
};

struct card {
	const struct card_transport_ops *ops;
	void     *tp;
	const struct card_events *ev;
	void     *ctx;
	unsigned  nchans;
	uint16_t  tx_buffer;	/* card's per-channel buffer = credit window */
	struct card_parser parser;
	struct card_stats stats;
	struct card_chan *chans;
	uint32_t  versions_asked, versions_seen;	/* GET_VERSION sent / VERSION received */
	unsigned  resync_round;	/* 0: none; 1: flushing; 2: polling */
	uint32_t  resync_barrier;	/* the VERSION that ends the round (versions_seen) */
};

struct card *card_new(unsigned channels, uint16_t tx_buffer,
		      const struct card_transport_ops *ops, void *tp,
		      const struct card_events *ev, void *ctx)
{
	struct card *c;

	if (channels == 0 || channels > CARD_MAX_CHANS || tx_buffer == 0)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->chans = calloc(channels, sizeof(*c->chans));
	if (!c->chans) {
		free(c);
		return NULL;
	}
	c->ops = ops;
	c->tp = tp;
	c->ev = ev;
	c->ctx = ctx;
	c->nchans = channels;
	c->tx_buffer = tx_buffer;
	card_parser_init(&c->parser);
	return c;
}

static void txq_clear(struct card_chan *ch)
{
	while (ch->txq_head) {
		struct txq_item *it = ch->txq_head;

		ch->txq_head = it->next;
		free(it);
	}
	ch->txq_tail = NULL;
	ch->txq_bytes = 0;
}

void card_free(struct card *c)
{
	if (!c)
		return;
	for (unsigned i = 0; i < c->nchans; i++) {
		txq_clear(&c->chans[i]);
		free(c->chans[i].rx_buf);
	}
	if (c->ops && c->ops->close)
		c->ops->close(c->tp);
	free(c->chans);
	free(c);
}

unsigned card_channels(const struct card *c) { return c->nchans; }

void card_set_tx_buffer(struct card *c, uint16_t tx_buffer)
{
	if (tx_buffer)
		c->tx_buffer = tx_buffer;
}
const struct card_stats *card_get_stats(const struct card *c) { return &c->stats; }

const struct card_chan_stats *card_get_chan_stats(const struct card *c, unsigned chan)
{
	return chan < c->nchans ? &c->chans[chan].stats : NULL;
}

const struct card_chan_cfg *card_get_chan_cfg(const struct card *c, unsigned chan)
{
	return chan < c->nchans ? &c->chans[chan].cfg : NULL;
}

size_t card_tx_queued(const struct card *c, unsigned chan)
{
	return chan < c->nchans ? c->chans[chan].txq_bytes : 0;
}

static int send_msg(struct card *c, uint8_t type, uint8_t flags, uint16_t chan,
		    const void *payload, uint8_t len)
{
	uint8_t buf[CARD_MSG_MAX_LEN];
	size_t n = card_msg_encode(buf, type, flags, chan, payload, len);

	c->stats.tx_messages++;
	c->stats.tx_bytes += n;
	return c->ops->write(c->tp, buf, n);
}

/* --- transmit ---------------------------------------------------------------------- */

static unsigned credit_left(const struct card *c, const struct card_chan *ch)
{
	uint16_t outstanding = (uint16_t)(ch->sent - ch->consumed);

	if (ch->unsynced)
		return 0;
	return outstanding >= c->tx_buffer ? 0 : (unsigned)(c->tx_buffer - outstanding);
}

/* Send as much of the channel's queue as its credit allows. */
static void tx_pump(struct card *c, unsigned chan)
{
	struct card_chan *ch = &c->chans[chan];

	while (ch->txq_head) {
		struct txq_item *it = ch->txq_head;
		size_t left = it->len - it->off;
		unsigned credit = credit_left(c, ch);
		size_t n = left;
		uint8_t flags = 0;

		if (n > CARD_MSG_MAX_PAYLOAD)
			n = CARD_MSG_MAX_PAYLOAD;
		if (n > credit)
			n = credit;
		/* an empty-payload EOF needs no credit; anything else does */
		if (n == 0 && !(left == 0 && it->frame))
			break;
		if (it->off == 0 && (it->flags & CARD_TX_FULL_ACCM))
			flags |= CARD_TX_FULL_ACCM;
		if (it->frame && n == left)
			flags |= CARD_TX_EOF;
		if (send_msg(c, CARD_MSG_TX_DATA, flags, (uint16_t)chan, it->data + it->off,
			     (uint8_t)n) < 0)
			break;
		it->off += n;
		ch->sent = (uint16_t)(ch->sent + n);
		ch->txq_bytes -= n;
		if (it->off == it->len) {
			ch->txq_head = it->next;
			if (!ch->txq_head)
				ch->txq_tail = NULL;
			free(it);
		}
	}
	if (ch->tx_blocked && ch->txq_bytes < TXQ_LOW_WATER) {
		ch->tx_blocked = false;
		if (c->ev && c->ev->tx_ready)
			c->ev->tx_ready(c->ctx, chan);
	}
}

static int enqueue(struct card *c, unsigned chan, const uint8_t *data, size_t len,
		   unsigned flags, bool frame)
{
	struct card_chan *ch;
	struct txq_item *it;

	if (chan >= c->nchans)
		return -EINVAL;
	ch = &c->chans[chan];
	if (ch->txq_bytes + len > CARD_TXQ_LIMIT) {
		ch->stats.tx_queue_drops++;
		ch->tx_blocked = true;
		return -ENOBUFS;
	}
	it = malloc(sizeof(*it) + len);
	if (!it)
		return -ENOMEM;
	it->next = NULL;
	it->flags = flags;
	it->frame = frame;
	it->len = len;
	it->off = 0;
	if (len)
		memcpy(it->data, data, len);
	if (ch->txq_tail)
		ch->txq_tail->next = it;
	else
		ch->txq_head = it;
	ch->txq_tail = it;
	ch->txq_bytes += len;
	if (frame) {
		ch->stats.tx_frames++;
	}
	ch->stats.tx_octets += len;
	tx_pump(c, chan);
	return 0;
}

int card_send_frame(struct card *c, unsigned chan, const uint8_t *data, size_t len,
		    unsigned flags)
{
	if (chan < c->nchans && c->chans[chan].cfg.mode != CARD_MODE_ASYNC_HDLC &&
	    c->chans[chan].cfg.mode != CARD_MODE_SYNC_HDLC)
		return -EINVAL;
	return enqueue(c, chan, data, len, flags & CARD_TX_FULL_ACCM, true);
}

int card_send_raw(struct card *c, unsigned chan, const uint8_t *data, size_t len)
{
	if (chan < c->nchans && c->chans[chan].cfg.mode != CARD_MODE_RAW)
		return -EINVAL;
	if (len == 0)
		return 0;
	return enqueue(c, chan, data, len, 0, false);
}

/* --- requests ---------------------------------------------------------------------- */

int card_get_version(struct card *c)
{
	c->versions_asked++;
	return send_msg(c, CARD_MSG_GET_VERSION, 0, 0, NULL, 0);
}

static int send_chan_config(struct card *c, unsigned chan, const struct card_chan_cfg *cfg,
			    uint8_t extra_opts);

/* Close a re-sync round with a GET_VERSION: its VERSION is the barrier. */
static int resync_barrier(struct card *c)
{
	int rc = card_get_version(c);

	c->resync_barrier = c->versions_asked;
	return rc;
}

static int resync_poll(struct card *c)
{
	int rc = 0;

	c->resync_round = 2;
	for (unsigned i = 0; i < c->nchans; i++) {
		struct card_chan *ch = &c->chans[i];

		if (!ch->unsynced)
			continue;
		ch->credit_seen = false;
		if (rc == 0)
			rc = send_msg(c, CARD_MSG_CREDIT_POLL, 0, (uint16_t)i, NULL, 0);
	}
	return rc ? rc : resync_barrier(c);
}

int card_resync(struct card *c)
{
	int rc = 0;

	c->resync_round = 1;
	for (unsigned i = 0; i < c->nchans; i++) {
		struct card_chan *ch = &c->chans[i];

		ch->unsynced = true;
		ch->credit_seen = false;
		ch->rx_len = 0;
		ch->rx_overflow = false;
		/* our queue stays: it goes out once the baseline is known */
		if (rc == 0)
			rc = send_chan_config(c, i, &ch->cfg, 0);
	}
	return rc ? rc : resync_barrier(c);
}

bool card_resyncing(const struct card *c)
{
	return c->resync_round != 0;
}

/* A VERSION arrived: maybe the end of a re-sync round. */
static void resync_version(struct card *c)
{
	bool again = false;

	if (!c->resync_round || (int32_t)(c->versions_seen - c->resync_barrier) < 0)
		return;
	if (c->resync_round == 1) {
		resync_poll(c);
		return;
	}
	for (unsigned i = 0; i < c->nchans; i++) {
		struct card_chan *ch = &c->chans[i];

		if (!ch->unsynced)
			continue;
		if (!ch->credit_seen) {
			again = true;		/* the answer was lost: ask again */
			continue;
		}
		ch->sent = ch->consumed = ch->credit_max;
		ch->unsynced = false;
	}
	if (again) {
		resync_poll(c);
	} else {
		c->resync_round = 0;
		c->stats.resyncs++;
	}
	for (unsigned i = 0; i < c->nchans; i++)
		if (!c->chans[i].unsynced && c->chans[i].txq_head)
			tx_pump(c, i);
}

int card_echo(struct card *c, unsigned chan, const uint8_t *data, size_t len)
{
	if (len > CARD_MSG_MAX_PAYLOAD)
		return -EINVAL;
	return send_msg(c, CARD_MSG_ECHO, 0, (uint16_t)chan, data, (uint8_t)len);
}

static int send_chan_config(struct card *c, unsigned chan, const struct card_chan_cfg *cfg,
			    uint8_t extra_opts)
{
	uint8_t p[sizeof(struct card_chan_config)];

	p[0] = (uint8_t)cfg->mode;
	p[1] = (uint8_t)((cfg->fcs32 ? CARD_OPT_FCS32 : 0) | extra_opts);
	card_put32(p + 2, cfg->rx_accm);
	card_put32(p + 6, cfg->tx_accm);
	card_put16(p + 10, cfg->mru);
	return send_msg(c, CARD_MSG_CHAN_CONFIG, 0, (uint16_t)chan, p, sizeof(p));
}

int card_chan_config(struct card *c, unsigned chan, const struct card_chan_cfg *cfg)
{
	struct card_chan *ch;

	if (chan >= c->nchans)
		return -EINVAL;
	ch = &c->chans[chan];
	/* The card flushes the channel's buffer and counts the flushed octets as consumed,
	 * so after this message everything we sent is accounted for: drop our queue too. */
	txq_clear(ch);
	ch->cfg = *cfg;
	ch->rx_len = 0;
	ch->rx_overflow = false;
	return send_chan_config(c, chan, cfg, 0);
}

int card_chan_update(struct card *c, unsigned chan, const struct card_chan_cfg *cfg)
{
	struct card_chan *ch;

	if (chan >= c->nchans || c->chans[chan].cfg.mode != cfg->mode ||
	    (cfg->mode != CARD_MODE_ASYNC_HDLC && cfg->mode != CARD_MODE_SYNC_HDLC))
		return -EINVAL;
	ch = &c->chans[chan];
	ch->cfg = *cfg;
	return send_chan_config(c, chan, cfg, CARD_OPT_UPDATE);
}

int card_span_config(struct card *c, unsigned span, const struct card_span_config *cfg)
{
	uint8_t p[sizeof(struct card_span_config)] = {
		cfg->framing, cfg->linecode, cfg->clock_source, cfg->flags
	};

	return send_msg(c, CARD_MSG_SPAN_CONFIG, 0, (uint16_t)span, p, sizeof(p));
}

int card_span_query(struct card *c, unsigned span)
{
	return send_msg(c, CARD_MSG_SPAN_QUERY, 0, (uint16_t)span, NULL, 0);
}

int card_ts_map(struct card *c, unsigned span, const uint16_t chan[CARD_CHANS_PER_SPAN])
{
	uint8_t p[sizeof(struct card_ts_map)];

	for (unsigned i = 0; i < CARD_CHANS_PER_SPAN; i++)
		card_put16(p + 2 * i, chan[i]);
	return send_msg(c, CARD_MSG_TS_MAP, 0, (uint16_t)span, p, sizeof(p));
}

int card_reg_write(struct card *c, uint16_t addr, uint32_t value)
{
	uint8_t p[6];

	card_put16(p, addr);
	card_put32(p + 2, value);
	return send_msg(c, CARD_MSG_REG_WRITE, 0, 0, p, sizeof(p));
}

int card_reg_read(struct card *c, uint16_t addr)
{
	uint8_t p[2];

	card_put16(p, addr);
	return send_msg(c, CARD_MSG_REG_READ, 0, 0, p, sizeof(p));
}

/* --- receive ----------------------------------------------------------------------- */

static void rx_data(struct card *c, struct card_chan *ch, unsigned chan, const struct card_msg *m)
{
	if (ch->cfg.mode == CARD_MODE_RAW) {
		if (c->ev && c->ev->rx_raw)
			c->ev->rx_raw(c->ctx, chan, m->payload, m->len);
		ch->stats.rx_octets += m->len;
		return;
	}
	if (ch->cfg.mode != CARD_MODE_ASYNC_HDLC && ch->cfg.mode != CARD_MODE_SYNC_HDLC) {
		c->stats.rx_unexpected++;
		return;
	}
	if (!ch->rx_buf) {
		ch->rx_buf = malloc(RX_FRAME_MAX);
		if (!ch->rx_buf) {
			ch->rx_overflow = true;
			return;
		}
	}
	if (ch->rx_len + m->len > RX_FRAME_MAX) {
		ch->rx_overflow = true;
		return;
	}
	memcpy(ch->rx_buf + ch->rx_len, m->payload, m->len);
	ch->rx_len += m->len;
}

static void rx_eof(struct card *c, struct card_chan *ch, unsigned chan, const struct card_msg *m)
{
	enum card_rx_status st = (enum card_rx_status)m->payload[0];
	uint16_t length = card_get16(m->payload + 1);

	/* A length that disagrees with what we reassembled means RX_DATA was lost
	 * on the way (resync): treat it as an overrun, never deliver it. */
	if (st == CARD_RX_OK && (ch->rx_overflow || length != ch->rx_len))
		st = CARD_RX_OVERRUN;
	switch (st) {
	case CARD_RX_OK:	ch->stats.rx_frames++; ch->stats.rx_octets += ch->rx_len; break;
	case CARD_RX_BAD_FCS:	ch->stats.rx_bad_fcs++; break;
	case CARD_RX_ABORT:	ch->stats.rx_aborts++; break;
	case CARD_RX_OVERRUN:	ch->stats.rx_overruns++; break;
	case CARD_RX_TOO_LONG:	ch->stats.rx_too_long++; break;
	case CARD_RX_RUNT:	ch->stats.rx_runts++; break;
	default:		c->stats.rx_unexpected++; st = CARD_RX_OVERRUN; break;
	}
	if (c->ev && c->ev->rx_frame)
		c->ev->rx_frame(c->ctx, chan, ch->rx_buf, ch->rx_len, st);
	ch->rx_len = 0;
	ch->rx_overflow = false;
}

static void on_msg(void *arg, const struct card_msg *m)
{
	struct card *c = arg;
	bool chan_ok = m->chan < c->nchans;
	struct card_chan *ch = chan_ok ? &c->chans[m->chan] : NULL;

	switch (m->type) {
	case CARD_MSG_RX_DATA:
		if (!chan_ok) break;
		rx_data(c, ch, m->chan, m);
		return;
	case CARD_MSG_RX_EOF:
		if (!chan_ok) break;
		rx_eof(c, ch, m->chan, m);
		return;
	case CARD_MSG_TX_CREDIT: {
		uint16_t consumed = card_get16(m->payload);

		if (!chan_ok) break;
		if (ch->unsynced) {
			/* re-sync: keep the highest count of this round (mod 2^16) */
			if (c->resync_round == 2 &&
			    (!ch->credit_seen || (int16_t)(consumed - ch->credit_max) > 0))
				ch->credit_max = consumed;
			ch->credit_seen = ch->credit_seen || c->resync_round == 2;
			return;
		}
		/* ignore a stale count that would claim more than we sent */
		if ((uint16_t)(ch->sent - consumed) <= c->tx_buffer)
			ch->consumed = consumed;
		tx_pump(c, m->chan);
		return;
	}
	case CARD_MSG_SPAN_STATUS: {
		struct card_span_status st;
		const uint8_t *p = m->payload;

		st.alarms = p[0];
		st.in_frame = p[1];
		st.bpv = card_get32(p + 2);
		st.excess_zeros = card_get32(p + 6);
		st.crc6_errors = card_get32(p + 10);
		st.fbit_errors = card_get32(p + 14);
		st.slips = card_get32(p + 18);
		st.lof_count = card_get32(p + 22);
		if (c->ev && c->ev->span_status)
			c->ev->span_status(c->ctx, m->chan, &st);
		return;
	}
	case CARD_MSG_REG_VALUE:
		if (c->ev && c->ev->reg_value)
			c->ev->reg_value(c->ctx, card_get16(m->payload), card_get32(m->payload + 2));
		return;
	case CARD_MSG_ECHO_REPLY:
		if (c->ev && c->ev->echo_reply)
			c->ev->echo_reply(c->ctx, m->chan, m->payload, m->len);
		return;
	case CARD_MSG_VERSION: {
		struct card_version v;
		const uint8_t *p = m->payload;

		v.proto_version = p[0];
		v.spans = p[1];
		v.channels = card_get16(p + 2);
		v.tx_buffer = card_get16(p + 4);
		v.rx_chunk = card_get16(p + 6);
		v.build_id = card_get32(p + 8);
		c->versions_seen++;
		if (v.tx_buffer)
			c->tx_buffer = v.tx_buffer;
		resync_version(c);
		if (c->ev && c->ev->version)
			c->ev->version(c->ctx, &v);
		return;
	}
	case CARD_MSG_CHAN_EVENT:
		if (!chan_ok) break;
		if (m->payload[0] == CARD_EV_TX_UNDERRUN)
			ch->stats.tx_underruns++;
		if (c->ev && c->ev->chan_event)
			c->ev->chan_event(c->ctx, m->chan, (enum card_chan_event_code)m->payload[0]);
		return;
	case CARD_MSG_HOST_ERROR:
		c->stats.host_errors++;
		return;
	default:
		break;
	}
	c->stats.rx_unexpected++;
}

void card_input(struct card *c, const uint8_t *buf, size_t len)
{
	card_parser_feed(&c->parser, buf, len, on_msg, c);
	c->stats.parser = c->parser.stats;
}
