/*
 * card_stub.c - a scripted line card for host tests (see card_stub.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "card_stub.h"

#include <string.h>

void card_stub_init(struct card_stub *s)
{
	memset(s, 0, sizeof(*s));
	s->sim = card_sim_new();
	card_parser_init(&s->parser);
	for (unsigned i = 0; i < CSTUB_SPANS; i++)
		s->span[i].in_frame = 1;
}

void card_stub_fini(struct card_stub *s)
{
	card_sim_free(s->sim);
	s->sim = NULL;
}

static void to_host(struct card_stub *s, uint8_t type, uint8_t flags, uint16_t chan,
		    const void *payload, uint8_t len)
{
	uint8_t msg[CARD_MSG_MAX_LEN];
	size_t n = card_msg_encode(msg, type, flags, chan, payload, len);

	if (s->host)
		card_input(s->host, msg, n);
}

static void send_span(struct card_stub *s, unsigned span)
{
	const struct card_span_status *st = &s->span[span];
	uint8_t p[26];

	p[0] = st->alarms;
	p[1] = st->in_frame;
	card_put32(p + 2, st->bpv);
	card_put32(p + 6, st->excess_zeros);
	card_put32(p + 10, st->crc6_errors);
	card_put32(p + 14, st->fbit_errors);
	card_put32(p + 18, st->slips);
	card_put32(p + 22, st->lof_count);
	to_host(s, CARD_MSG_SPAN_STATUS, 0, (uint16_t)span, p, sizeof(p));
}

static void on_msg(void *ctx, const struct card_msg *m)
{
	struct card_stub *s = ctx;
	unsigned ch = m->chan;

	switch (m->type) {
	case CARD_MSG_GET_VERSION: {
		uint8_t v[12] = { CARD_PROTO_VERSION, CSTUB_SPANS };

		card_put16(v + 2, CSTUB_CHANS);
		card_put16(v + 4, CSTUB_TXBUF);
		card_put16(v + 6, 255);
		card_put32(v + 8, 0x57AB);
		to_host(s, CARD_MSG_VERSION, 0, 0, v, sizeof(v));
		return;
	}
	case CARD_MSG_SPAN_QUERY:
		s->span_queries++;
		if (ch < CSTUB_SPANS)
			send_span(s, ch);
		return;
	case CARD_MSG_SPAN_CONFIG:
		if (ch < CSTUB_SPANS && m->len >= 4) {
			s->span_cfg[ch].framing = m->payload[0];
			s->span_cfg[ch].linecode = m->payload[1];
			s->span_cfg[ch].clock_source = m->payload[2];
			s->span_cfg[ch].flags = m->payload[3];
		}
		return;
	case CARD_MSG_CHAN_CONFIG:
		if (ch >= CSTUB_CHANS || m->len < 12)
			return;
		s->options[ch] = m->payload[1];
		s->mru[ch] = card_get16(m->payload + 10);
		if (m->payload[1] & CARD_OPT_UPDATE) {
			s->updates[ch]++;
			return;
		}
		s->configs[ch]++;
		s->mode[ch] = m->payload[0];
		s->frame_len[ch] = 0;	/* flushed */
		return;
	case CARD_MSG_TX_DATA: {
		uint8_t credit[2];

		if (ch >= CSTUB_CHANS)
			return;
		s->consumed[ch] = (uint16_t)(s->consumed[ch] + m->len);
		if (s->mode[ch] == CARD_MODE_RAW) {
			if (m->len && s->on_raw)
				s->on_raw(s->ctx, ch, m->payload, m->len);
		} else if (s->frame_len[ch] + m->len <= sizeof(s->frame[ch])) {
			memcpy(s->frame[ch] + s->frame_len[ch], m->payload, m->len);
			s->frame_len[ch] += m->len;
		}
		if ((m->flags & CARD_TX_EOF) && s->mode[ch] != CARD_MODE_RAW) {
			size_t n = s->frame_len[ch];

			s->frame_len[ch] = 0;
			s->frames_out[ch]++;
			if (s->on_frame && s->mode[ch] != CARD_MODE_OFF)
				s->on_frame(s->ctx, ch, s->frame[ch], n, m->flags);
		}
		card_put16(credit, s->consumed[ch]);
		to_host(s, CARD_MSG_TX_CREDIT, 0, (uint16_t)ch, credit, sizeof(credit));
		return;
	}
	default:
		return;
	}
}

void card_stub_pump(struct card_stub *s)
{
	uint8_t buf[4096];
	size_t n;

	/* answers may make the host write more: loop until it is quiet */
	for (unsigned rounds = 0; rounds < 1000; rounds++) {
		n = card_sim_pull(s->sim, buf, sizeof(buf));
		if (!n)
			return;
		card_parser_feed(&s->parser, buf, n, on_msg, s);
	}
}

void card_stub_rx_frame(struct card_stub *s, unsigned chan, const uint8_t *f, size_t n,
			enum card_rx_status status)
{
	size_t off = 0;
	uint8_t eof[3];

	while (off < n) {
		size_t k = n - off > 200 ? 200 : n - off;

		to_host(s, CARD_MSG_RX_DATA, 0, (uint16_t)chan, f + off, (uint8_t)k);
		off += k;
	}
	eof[0] = (uint8_t)status;
	card_put16(eof + 1, (uint16_t)n);
	to_host(s, CARD_MSG_RX_EOF, 0, (uint16_t)chan, eof, sizeof(eof));
}

void card_stub_span_status(struct card_stub *s, unsigned span, const struct card_span_status *st)
{
	if (span >= CSTUB_SPANS)
		return;
	s->span[span] = *st;
	send_span(s, span);
}
