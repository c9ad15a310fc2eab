/*
 * hdlc_sync.c - bit-synchronous HDLC for the telco's D-channel (see hdlc_sync.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "hdlc_sync.h"

#include <string.h>

#include "card_msg.h"

void hdlc_sync_tx_init(struct hdlc_sync_tx *t)
{
	memset(t, 0, sizeof(*t));
}

static bool push_bit(struct hdlc_sync_tx *t, uint8_t bit)
{
	if (t->len == HDLC_SYNC_TXQ)
		return false;
	t->q[(t->head + t->len++) % HDLC_SYNC_TXQ] = bit;
	return true;
}

static bool push_flag(struct hdlc_sync_tx *t)
{
	for (unsigned i = 0; i < 8; i++)
		if (!push_bit(t, (0x7E >> i) & 1))
			return false;
	return true;
}

bool hdlc_sync_tx_frame(struct hdlc_sync_tx *t, const uint8_t *data, size_t len)
{
	uint8_t fcs[2];
	uint16_t f = (uint16_t)~fcs16_update(FCS16_INIT, data, len);
	size_t save = t->len;
	unsigned ones = 0;
	bool ok = push_flag(t);

	card_put16(fcs, f);
	for (size_t i = 0; ok && i < len + 2; i++) {
		uint8_t o = i < len ? data[i] : fcs[i - len];

		for (unsigned b = 0; ok && b < 8; b++) {
			uint8_t bit = (o >> b) & 1;

			ok = push_bit(t, bit);
			ones = bit ? ones + 1 : 0;
			if (ok && ones == 5) {		/* zero-bit insertion */
				ok = push_bit(t, 0);
				ones = 0;
			}
		}
	}
	ok = ok && push_flag(t);
	if (!ok) {
		t->len = save;			/* all or nothing */
		t->drops++;
		return false;
	}
	t->frames++;
	return true;
}

uint8_t hdlc_sync_tx_octet(struct hdlc_sync_tx *t)
{
	uint8_t o = 0;

	for (unsigned b = 0; b < 8; b++) {
		uint8_t bit;

		/* idle flags are whole flags: a frame starts only on a flag boundary */
		if (t->len && t->flag_bit == 0) {
			bit = t->q[t->head];
			t->head = (t->head + 1) % HDLC_SYNC_TXQ;
			t->len--;
		} else {				/* idle: flags */
			bit = (0x7E >> t->flag_bit) & 1;
			t->flag_bit = (t->flag_bit + 1) & 7;
		}
		o |= (uint8_t)(bit << b);
	}
	return o;
}

void hdlc_sync_rx_init(struct hdlc_sync_rx *r, void (*frame)(void *, const uint8_t *, size_t),
		       void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->frame = frame;
	r->ctx = ctx;
}

static void store(struct hdlc_sync_rx *r, uint8_t bit)
{
	if (!r->in_frame)
		return;
	if (r->nbits < sizeof(r->bits))
		r->bits[r->nbits++] = bit;
	else
		r->overflow = true;
}

/* A flag closed whatever was stored; its leading 0 was stored as data. */
static void rx_flag(struct hdlc_sync_rx *r)
{
	uint8_t buf[HDLC_SYNC_MAX_FRAME + 2];
	size_t n, len;
	bool was_in_frame = r->in_frame, overflow = r->overflow;

	if (r->nbits)
		r->nbits--;
	n = r->nbits;
	/* reset first: the callback may feed the decoder again */
	r->in_frame = true;
	r->nbits = 0;
	r->overflow = false;
	if (was_in_frame && n > 0) {
		len = n / 8;
		if (overflow || len > sizeof(buf)) {
			r->too_long++;
		} else if (n % 8 != 0 || len < 3) {
			r->bad_fcs++;
		} else {
			for (size_t i = 0; i < len; i++) {
				uint8_t o = 0;

				for (unsigned b = 0; b < 8; b++)
					o |= (uint8_t)(r->bits[i * 8 + b] << b);
				buf[i] = o;
			}
			if (fcs16_update(FCS16_INIT, buf, len) != FCS16_GOOD) {
				r->bad_fcs++;
			} else {
				r->frames++;
				if (r->frame)
					r->frame(r->ctx, buf, len - 2);
			}
		}
	}
}

void hdlc_sync_rx_octet(struct hdlc_sync_rx *r, uint8_t octet)
{
	for (unsigned b = 0; b < 8; b++) {
		unsigned bit = (octet >> b) & 1;

		if (bit) {
			if (++r->ones == 7) {		/* abort (or idle ones) */
				if (r->in_frame && r->nbits)
					r->aborts++;
				r->in_frame = false;
				r->nbits = 0;
			}
			if (r->ones > 7)
				r->ones = 7;
			continue;
		}
		if (r->ones == 6) {
			r->ones = 0;
			rx_flag(r);
			continue;
		}
		if (r->ones == 7) {			/* zero after an abort: hunt for a flag */
			r->ones = 0;
			continue;
		}
		for (unsigned i = 0; i < r->ones; i++)
			store(r, 1);
		if (r->ones == 5) {			/* stuffed zero: dropped */
			r->ones = 0;
			continue;
		}
		r->ones = 0;
		store(r, 0);
	}
}
