/*
 * card_msg.c - card protocol encoder, resynchronising parser, RFC 1662 FCS-16/32
 *
 * SPDX-License-Identifier: MIT
 */
#include "card_msg.h"

#include <string.h>

/* Byte-wise tables built once from the reflected polynomials (RFC 1662 appendix C
 * computes the same tables). */
static uint16_t fcs16_table[256];
static uint32_t fcs32_table[256];
static bool tables_ready;

static void build_tables(void)
{
	for (unsigned b = 0; b < 256; b++) {
		uint16_t v16 = (uint16_t)b;
		uint32_t v32 = b;

		for (int i = 0; i < 8; i++) {
			v16 = (v16 & 1) ? (uint16_t)((v16 >> 1) ^ 0x8408u) : (uint16_t)(v16 >> 1);
			v32 = (v32 & 1) ? (v32 >> 1) ^ 0xEDB88320u : v32 >> 1;
		}
		fcs16_table[b] = v16;
		fcs32_table[b] = v32;
	}
	tables_ready = true;
}

uint16_t fcs16_update(uint16_t fcs, const uint8_t *p, size_t len)
{
	if (!tables_ready)
		build_tables();
	while (len--)
		fcs = (uint16_t)((fcs >> 8) ^ fcs16_table[(fcs ^ *p++) & 0xff]);
	return fcs;
}

uint32_t fcs32_update(uint32_t fcs, const uint8_t *p, size_t len)
{
	if (!tables_ready)
		build_tables();
	while (len--)
		fcs = (fcs >> 8) ^ fcs32_table[(fcs ^ *p++) & 0xff];
	return fcs;
}

size_t card_msg_encode(uint8_t *out, uint8_t type, uint8_t flags, uint16_t chan,
		       const void *payload, uint8_t len)
{
	uint16_t crc;

	out[0] = CARD_MSG_SYNC;
	out[1] = type;
	out[2] = flags;
	card_put16(out + 3, chan);
	out[5] = len;
	if (len)
		memcpy(out + CARD_MSG_HDR_LEN, payload, len);
	crc = (uint16_t)~fcs16_update(FCS16_INIT, out + 1, CARD_MSG_HDR_LEN - 1u + len);
	card_put16(out + CARD_MSG_HDR_LEN + len, crc);
	return CARD_MSG_HDR_LEN + len + CARD_MSG_CRC_LEN;
}

bool card_msg_len_ok(uint8_t type, uint8_t len)
{
	switch (type) {
	case CARD_MSG_RX_DATA:		return len >= 1;
	case CARD_MSG_RX_EOF:		return len == sizeof(struct card_rx_eof);
	case CARD_MSG_TX_CREDIT:	return len == sizeof(struct card_tx_credit);
	case CARD_MSG_SPAN_STATUS:	return len == sizeof(struct card_span_status);
	case CARD_MSG_REG_VALUE:	return len == sizeof(struct card_reg);
	case CARD_MSG_ECHO_REPLY:	return true;
	case CARD_MSG_VERSION:		return len == sizeof(struct card_version);
	case CARD_MSG_CHAN_EVENT:	return len == sizeof(struct card_chan_event);
	case CARD_MSG_HOST_ERROR:	return len == sizeof(struct card_host_error);
	case CARD_MSG_TX_DATA:		return true;
	case CARD_MSG_CHAN_CONFIG:	return len == sizeof(struct card_chan_config);
	case CARD_MSG_SPAN_CONFIG:	return len == sizeof(struct card_span_config);
	case CARD_MSG_TS_MAP:		return len == sizeof(struct card_ts_map);
	case CARD_MSG_REG_WRITE:	return len == sizeof(struct card_reg);
	case CARD_MSG_REG_READ:		return len == 2;
	case CARD_MSG_ECHO:		return true;
	case CARD_MSG_GET_VERSION:	return len == 0;
	case CARD_MSG_SPAN_QUERY:	return len == 0;
	case CARD_MSG_CREDIT_POLL:	return len == 0;
	default:			return false;
	}
}

void card_parser_init(struct card_parser *p)
{
	memset(p, 0, sizeof(*p));
}

/* Drop n bytes from the front of the buffer. */
static void consume(struct card_parser *p, size_t n)
{
	memmove(p->buf, p->buf + n, p->fill - n);
	p->fill -= n;
}

/* Deliver every complete message in the buffer; leave a partial candidate in place. */
static void parse_buffer(struct card_parser *p, card_msg_cb cb, void *ctx)
{
	for (;;) {
		size_t skip = 0, total;
		uint8_t len;

		while (skip < p->fill && p->buf[skip] != CARD_MSG_SYNC)
			skip++;
		if (skip) {
			p->stats.skipped_bytes += skip;
			consume(p, skip);
		}
		if (p->fill < CARD_MSG_HDR_LEN)
			return;
		len = p->buf[5];
		if (!card_msg_len_ok(p->buf[1], len)) {
			p->stats.bad_headers++;
			p->stats.skipped_bytes++;
			consume(p, 1);	/* a false SYNC: hunt again from the next byte */
			continue;
		}
		total = CARD_MSG_HDR_LEN + len + CARD_MSG_CRC_LEN;
		if (p->fill < total)
			return;
		if (fcs16_update(FCS16_INIT, p->buf + 1, total - 1) != FCS16_GOOD) {
			p->stats.crc_errors++;
			p->stats.skipped_bytes++;
			consume(p, 1);
			continue;
		}
		{
			struct card_msg m = {
				.type = p->buf[1], .flags = p->buf[2], .chan = card_get16(p->buf + 3),
				.len = len, .payload = p->buf + CARD_MSG_HDR_LEN,
			};

			p->stats.messages++;
			cb(ctx, &m);
		}
		consume(p, total);
	}
}

void card_parser_feed(struct card_parser *p, const uint8_t *data, size_t len,
		      card_msg_cb cb, void *ctx)
{
	while (len) {
		size_t room = sizeof(p->buf) - p->fill;
		size_t n = len < room ? len : room;

		memcpy(p->buf + p->fill, data, n);
		p->fill += n;
		data += n;
		len -= n;
		parse_buffer(p, cb, ctx);
	}
}
