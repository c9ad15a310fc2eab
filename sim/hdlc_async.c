/*
 * hdlc_async.c - RFC 1662 async HDLC codec for the subscriber models (see hdlc_async.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "hdlc_async.h"

#include <string.h>

#include "card_msg.h"

#define FLAG	0x7E
#define ESC	0x7D

static size_t put(uint8_t *out, uint8_t c, uint32_t accm)
{
	if (c == FLAG || c == ESC || (c < 0x20 && (accm & (1u << c)))) {
		out[0] = ESC;
		out[1] = c ^ 0x20;
		return 2;
	}
	out[0] = c;
	return 1;
}

size_t hdlc_async_encode(uint8_t *out, const uint8_t *frame, size_t len, uint32_t accm,
			 bool fcs32)
{
	size_t n = 0;
	uint8_t tail[4];
	size_t tail_len;

	out[n++] = FLAG;
	for (size_t i = 0; i < len; i++)
		n += put(out + n, frame[i], accm);
	if (fcs32) {
		uint32_t fcs = ~fcs32_update(FCS32_INIT, frame, len);

		card_put32(tail, fcs);
		tail_len = 4;
	} else {
		uint16_t fcs = (uint16_t)~fcs16_update(FCS16_INIT, frame, len);

		card_put16(tail, fcs);
		tail_len = 2;
	}
	for (size_t i = 0; i < tail_len; i++)
		n += put(out + n, tail[i], accm);
	out[n++] = FLAG;
	return n;
}

void hdlc_async_decoder_init(struct hdlc_async_decoder *d, uint32_t accm, bool fcs32,
			     void (*frame)(void *, enum hdlc_async_event, const uint8_t *, size_t),
			     void *ctx)
{
	memset(d, 0, sizeof(*d));
	d->accm = accm;
	d->fcs32 = fcs32;
	d->frame = frame;
	d->ctx = ctx;
}

/* The frame is copied out and the decoder reset before the callback, so a callback
 * that feeds the decoder again (a peer answering at once) starts from a clean state. */
static void end_frame(struct hdlc_async_decoder *d)
{
	size_t fcs_len = d->fcs32 ? 4 : 2, len = d->len;
	uint8_t frame[sizeof(d->buf)];
	enum hdlc_async_event ev;

	if (len == 0 && !d->overflow)
		return;				/* back-to-back flags */
	if (d->overflow) {
		ev = HDLC_FRAME_TOO_LONG;
		d->too_long++;
	} else if (len < fcs_len) {
		ev = HDLC_FRAME_RUNT;
		d->runts++;
	} else if (d->fcs32 ? fcs32_update(FCS32_INIT, d->buf, len) == FCS32_GOOD
			    : fcs16_update(FCS16_INIT, d->buf, len) == FCS16_GOOD) {
		ev = HDLC_FRAME_OK;
		d->ok++;
	} else {
		ev = HDLC_FRAME_BAD_FCS;
		d->bad_fcs++;
	}
	memcpy(frame, d->buf, len);
	d->len = 0;
	d->overflow = false;
	if (d->frame)
		d->frame(d->ctx, ev, frame, ev == HDLC_FRAME_OK ? len - fcs_len : len);
}

void hdlc_async_decode(struct hdlc_async_decoder *d, const uint8_t *in, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		uint8_t c = in[i];

		if (c == FLAG) {
			if (d->escape) {		/* 0x7D 0x7E: abort */
				uint8_t frame[sizeof(d->buf)];
				size_t flen = d->len;

				d->escape = false;
				d->aborts++;
				memcpy(frame, d->buf, flen);
				d->len = 0;
				d->overflow = false;
				if (d->frame)
					d->frame(d->ctx, HDLC_FRAME_ABORT, frame, flen);
			} else {
				end_frame(d);
			}
			d->in_frame = true;
			continue;
		}
		if (!d->in_frame)
			continue;
		if (c < 0x20 && (d->accm & (1u << c)))
			continue;		/* inserted by a DCE: drop */
		if (c == ESC) {
			d->escape = true;
			continue;
		}
		if (d->escape) {
			c ^= 0x20;
			d->escape = false;
		}
		if (d->len < sizeof(d->buf))
			d->buf[d->len++] = c;
		else
			d->overflow = true;
	}
}
