/*
 * t1_line.c - T1 framing (ESF/SF) and line code (B8ZS/AMI) for the telco model
 * (see t1_line.h; ANSI T1.403 for ESF and CRC-6, T1.107 for SF and B8ZS)
 *
 * SPDX-License-Identifier: MIT
 */
#include "t1_line.h"

#include <string.h>

#define ESF_SUPERFRAME_BITS	(T1_ESF_FRAMES * T1_FRAME_BITS)	/* 4632 */
#define SF_SUPERFRAME_BITS	(T1_SF_FRAMES * T1_FRAME_BITS)	/* 2316 */

/* ESF framing pattern sequence in frames 4, 8, ... 24. */
static const uint8_t esf_fps[6] = { 0, 0, 1, 0, 1, 1 };
/* SF F-bits of frames 1..12 (Ft in odd frames 101010, Fs in even frames 001110). */
static const uint8_t sf_fbits[12] = { 1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0 };

uint8_t t1_crc6_bit(uint8_t crc, unsigned bit)
{
	unsigned fb = ((crc >> 5) & 1u) ^ (bit & 1u);

	crc = (uint8_t)((crc << 1) & 0x3F);
	return fb ? (uint8_t)(crc ^ 0x03) : crc;	/* x^6 + x + 1 */
}

static unsigned superframe_frames(enum t1_framing f)
{
	return f == T1_ESF ? T1_ESF_FRAMES : T1_SF_FRAMES;
}

/* --- encoder ------------------------------------------------------------------------ */

void t1_encoder_init(struct t1_encoder *e, enum t1_framing f, enum t1_linecode lc,
		     uint8_t (*get_octet)(void *, unsigned), void *ctx)
{
	memset(e, 0, sizeof(*e));
	e->framing = f;
	e->linecode = lc;
	e->get_octet = get_octet;
	e->ctx = ctx;
	e->last_pulse = -1;
	e->fdl_shift = 0x7E;
}

static unsigned next_fdl_bit(struct t1_encoder *e)
{
	unsigned bit;

	if (e->rai)	/* ESF yellow alarm: FDL carries 1111 1111 0000 0000 repeated */
		bit = (e->fdl_bit & 8) ? 0 : 1;
	else		/* idle: HDLC flags, MSB first */
		bit = (0x7Eu >> (7 - (e->fdl_bit & 7))) & 1u;
	e->fdl_bit = (e->fdl_bit + 1) & 15;
	return bit;
}

static unsigned esf_fbit(struct t1_encoder *e, unsigned n /* 1-based frame */)
{
	if (n % 4 == 0)
		return esf_fps[n / 4 - 1];
	if (n % 4 == 2) {
		unsigned idx = (n - 2) / 4;	/* C1..C6 = bits 5..0 */
		uint8_t crc = e->crc_prev;

		if (e->crc_corrupt > 0 && idx == 0)
			crc ^= 0x20;
		return (crc >> (5 - idx)) & 1u;
	}
	return next_fdl_bit(e);
}

/* Append one frame's 193 logical bits. */
static void build_frame(struct t1_encoder *e)
{
	unsigned n = e->frame + 1, fbit;
	uint8_t *out = e->bits + e->nbits;

	if (e->ais) {
		memset(out, 1, T1_FRAME_BITS);
		e->nbits += T1_FRAME_BITS;
		e->frame = 0;
		return;
	}
	fbit = e->framing == T1_ESF ? esf_fbit(e, n) : sf_fbits[e->frame];
	out[0] = (uint8_t)fbit;
	e->crc_acc = t1_crc6_bit(e->crc_acc, 1);	/* F-bits count as 1 in the CRC */
	for (unsigned ts = 0; ts < T1_TIMESLOTS; ts++) {
		uint8_t o = e->get_octet ? e->get_octet(e->ctx, ts) : 0xFF;

		if (e->rai && e->framing == T1_SF)
			o &= (uint8_t)~0x40;	/* SF yellow: bit 2 of every channel is 0 */
		for (unsigned b = 0; b < 8; b++) {
			unsigned bit = (o >> (7 - b)) & 1u;

			out[1 + ts * 8 + b] = (uint8_t)bit;
			e->crc_acc = t1_crc6_bit(e->crc_acc, bit);
		}
	}
	e->nbits += T1_FRAME_BITS;
	e->frames_sent++;
	if (++e->frame == superframe_frames(e->framing)) {
		e->frame = 0;
		e->crc_prev = e->crc_acc;
		e->crc_acc = 0;
		if (e->crc_corrupt > 0)
			e->crc_corrupt--;
	}
}

static void need_bits(struct t1_encoder *e, unsigned n)
{
	if (e->nbits - e->bit_rd >= n)
		return;
	memmove(e->bits, e->bits + e->bit_rd, e->nbits - e->bit_rd);
	e->nbits -= e->bit_rd;
	e->bit_rd = 0;
	while (e->nbits < n)
		build_frame(e);
}

static int8_t mark(struct t1_encoder *e)
{
	if (e->bpv_inject > 0) {
		e->bpv_inject--;
		return e->last_pulse;		/* same polarity again: a violation */
	}
	e->last_pulse = (int8_t)-e->last_pulse;
	return e->last_pulse;
}

int t1_encoder_next(struct t1_encoder *e)
{
	if (e->sym_rd < e->nsym)
		return e->sym[e->sym_rd++];
	e->nsym = e->sym_rd = 0;
	need_bits(e, 8);
	if (e->linecode == T1_B8ZS && !e->ais) {
		bool zeros = true;

		for (unsigned i = 0; i < 8; i++)
			zeros = zeros && e->bits[e->bit_rd + i] == 0;
		if (zeros) {
			int8_t p = e->last_pulse;
			const int8_t sub[8] = { 0, 0, 0, p, (int8_t)-p, 0, (int8_t)-p, p };

			memcpy(e->sym, sub, sizeof(sub));
			e->nsym = 8;
			e->bit_rd += 8;
			e->last_pulse = p;
			return e->sym[e->sym_rd++];
		}
	}
	return e->bits[e->bit_rd++] ? mark(e) : 0;
}

/* --- decoder ------------------------------------------------------------------------ */

void t1_decoder_init(struct t1_decoder *d, enum t1_framing f, enum t1_linecode lc,
		     void (*put_frame)(void *, const uint8_t *), void *ctx)
{
	memset(d, 0, sizeof(*d));
	d->framing = f;
	d->linecode = lc;
	d->put_frame = put_frame;
	d->ctx = ctx;
	d->last_pulse = -1;
}

static unsigned sf_bits(const struct t1_decoder *d)
{
	return d->framing == T1_ESF ? ESF_SUPERFRAME_BITS : SF_SUPERFRAME_BITS;
}

/* Expected F-bit of 0-based frame k, or -1 when the frame's F-bit is not a
 * framing bit (ESF CRC and FDL frames). */
static int expected_fbit(const struct t1_decoder *d, unsigned k)
{
	if (d->framing == T1_SF)
		return sf_fbits[k];
	if ((k + 1) % 4 == 0)
		return esf_fps[(k + 1) / 4 - 1];
	return -1;
}

/* Look for the superframe start: the F-bits of every superframe in hist agree. */
static bool search(struct t1_decoder *d, unsigned *start)
{
	unsigned sfb = sf_bits(d), frames = superframe_frames(d->framing);

	for (unsigned o = 0; o < sfb; o++) {
		bool ok = true;

		for (unsigned s = 0; s < T1_SEARCH_SUPERFRAMES && ok; s++)
			for (unsigned k = 0; k < frames && ok; k++) {
				int want = expected_fbit(d, k);
				unsigned at = o + s * sfb + k * T1_FRAME_BITS;

				/* whole superframes and what the last has of its F-bits */
				if (at < d->nhist && want >= 0 && d->hist[at] != want)
					ok = false;
			}
		if (ok) {
			*start = o;
			return true;
		}
	}
	return false;
}

static void in_frame_bit(struct t1_decoder *d, unsigned bit);

static void hunt_bit(struct t1_decoder *d, unsigned bit)
{
	unsigned sfb = sf_bits(d), start;

	d->hist[d->nhist++] = (uint8_t)bit;
	if (d->nhist < T1_SEARCH_SUPERFRAMES * sfb)
		return;
	if (search(d, &start)) {
		/* Replay the bits after the found start through the in-frame path. */
		unsigned n = d->nhist;
		uint8_t replay[T1_SEARCH_SUPERFRAMES * ESF_SUPERFRAME_BITS];

		memcpy(replay, d->hist + start, n - start);
		d->in_frame = true;
		d->realigns++;
		d->pos = 0;
		d->crc_acc = 0;
		d->crc_valid = false;
		d->fps_errors = 0;
		d->nhist = 0;
		for (unsigned i = 0; i < n - start; i++)
			in_frame_bit(d, replay[i]);
		return;
	}
	/* nothing: drop the oldest superframe and keep hunting */
	memmove(d->hist, d->hist + sfb, d->nhist - sfb);
	d->nhist -= sfb;
}

static void in_frame_bit(struct t1_decoder *d, unsigned bit)
{
	unsigned frames = superframe_frames(d->framing);
	unsigned k = d->pos / T1_FRAME_BITS, b = d->pos % T1_FRAME_BITS;

	if (b == 0) {
		int want = expected_fbit(d, k);

		if (want >= 0 && (int)bit != want) {
			d->fbit_errors++;
			if (++d->fps_errors >= 4) {	/* lost: hunt again */
				d->in_frame = false;
				d->nhist = 0;
				return;
			}
		} else if (want >= 0) {
			d->fps_errors = 0;
		}
		if (d->framing == T1_ESF && (k + 1) % 4 == 2) {
			unsigned idx = (k + 1 - 2) / 4;

			d->crc_rx = (uint8_t)((d->crc_rx & ~(1u << (5 - idx))) | (bit << (5 - idx)));
		}
		d->crc_acc = t1_crc6_bit(d->crc_acc, 1);
	} else {
		d->crc_acc = t1_crc6_bit(d->crc_acc, bit);
		d->octet = (uint8_t)((d->octet << 1) | bit);
		if ((b - 1) % 8 == 7)
			d->frame_octets[(b - 1) / 8] = d->octet;
		if (b == T1_FRAME_BITS - 1) {
			d->frames++;
			if (d->put_frame)
				d->put_frame(d->ctx, d->frame_octets);
		}
	}
	if (++d->pos == frames * T1_FRAME_BITS) {
		d->pos = 0;
		if (d->framing == T1_ESF) {
			/* crc_rx (received in this superframe) covers the previous one */
			if (d->crc_valid && d->crc_rx != d->crc_prev)
				d->crc_errors++;
			d->crc_prev = d->crc_acc;
			d->crc_valid = true;
		}
		d->crc_acc = 0;
	}
}

static void decoded_bit(struct t1_decoder *d, unsigned bit)
{
	if (d->in_frame)
		in_frame_bit(d, bit);
	else
		hunt_bit(d, bit);
}

void t1_decoder_push(struct t1_decoder *d, int sym)
{
	int8_t p = d->last_pulse;

	d->win[d->nwin++] = (int8_t)sym;
	if (d->nwin < 8)
		return;
	if (d->linecode == T1_B8ZS && d->win[0] == 0 && d->win[1] == 0 && d->win[2] == 0 &&
	    d->win[3] == p && d->win[4] == -p && d->win[5] == 0 && d->win[6] == -p &&
	    d->win[7] == p) {
		for (int i = 0; i < 8; i++)
			decoded_bit(d, 0);
		d->b8zs_subs++;
		d->nwin = 0;
		return;
	}
	if (d->win[0] != 0) {
		if (d->win[0] == d->last_pulse)
			d->bpv++;
		d->last_pulse = d->win[0];
	}
	decoded_bit(d, d->win[0] != 0);
	memmove(d->win, d->win + 1, 7);
	d->nwin = 7;
}
