/*
 * t1_line.h - the telco's side of a T1 span in the co-simulation: framing (ESF with
 * CRC-6, or SF/D4) and line code (B8ZS or AMI), both directions, at bit level
 *
 * Written from ANSI T1.403 / T1.107 independently of the card's RTL framer, so the
 * two check each other: the encoder feeds the card's receive pins, the decoder reads
 * the card's transmit pins, aligns to its framing and checks its CRC-6.
 *
 * Bits of an octet go on the line most significant first (T1 bit 1 = MSB).  A
 * symbol is the dual-rail pair: +1 (POS), -1 (NEG) or 0.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_T1_LINE_H
#define DIALBACK_SIM_T1_LINE_H

#include <stdbool.h>
#include <stdint.h>

#define T1_TIMESLOTS	24
#define T1_FRAME_BITS	193
#define T1_ESF_FRAMES	24
#define T1_SF_FRAMES	12
#define T1_SEARCH_SUPERFRAMES 6	/*!< F-bits of 5 whole superframes must agree */

enum t1_framing  { T1_ESF, T1_SF };
enum t1_linecode { T1_B8ZS, T1_AMI };

/* Transmit side: octets in, line symbols out. */
struct t1_encoder {
	enum t1_framing  framing;
	enum t1_linecode linecode;
	bool    ais;			/*!< send unframed all ones */
	bool    rai;			/*!< send remote alarm indication (yellow) */
	/* octet source for timeslot 0..23 of the frame being built */
	uint8_t (*get_octet)(void *ctx, unsigned ts);
	void    *ctx;
	/* state */
	unsigned frame;			/*!< frame within the superframe, 0-based */
	uint8_t  crc_prev;		/*!< CRC-6 of the previous superframe */
	uint8_t  crc_acc;		/*!< CRC-6 register over the current superframe */
	uint8_t  fdl_shift;		/*!< FDL idle flags 0x7E */
	unsigned fdl_bit;
	uint8_t  bits[2 * T1_FRAME_BITS];	/*!< logical bits waiting for line coding */
	unsigned nbits, bit_rd;
	int8_t   sym[16];		/*!< coded symbols waiting to go out */
	unsigned nsym, sym_rd;
	int8_t   last_pulse;		/*!< polarity of the last mark sent */
	uint64_t frames_sent;
	int      bpv_inject;		/*!< >0: make the next N marks bipolar violations */
	int      crc_corrupt;		/*!< >0: corrupt the CRC-6 of the next N superframes */
};

void   t1_encoder_init(struct t1_encoder *e, enum t1_framing f, enum t1_linecode lc,
		       uint8_t (*get_octet)(void *, unsigned), void *ctx);
/* Next line symbol (-1, 0, +1). */
int    t1_encoder_next(struct t1_encoder *e);

/* Receive side: line symbols in, octets out. */
struct t1_decoder {
	enum t1_framing  framing;
	enum t1_linecode linecode;
	void  (*put_frame)(void *ctx, const uint8_t octets[T1_TIMESLOTS]);
	void   *ctx;
	/* line decoding */
	int8_t  win[8];			/*!< last 8 symbols, oldest first */
	unsigned nwin;
	int8_t  last_pulse;		/*!< polarity of the last mark before win[0] */
	/* framing */
	bool     in_frame;
	uint8_t  hist[T1_SEARCH_SUPERFRAMES * 24 * T1_FRAME_BITS];	/*!< alignment search */
	unsigned nhist;
	unsigned pos;			/*!< bit position within the superframe when in frame */
	uint8_t  octet;
	uint8_t  frame_octets[T1_TIMESLOTS];
	uint8_t  crc_acc, crc_prev, crc_rx;
	bool     crc_valid;		/*!< crc_prev covers a whole superframe */
	unsigned fps_errors;		/*!< consecutive superframes with a framing bit error */
	uint32_t ones_run;
	/* counters */
	uint64_t frames, crc_errors, fbit_errors, bpv, b8zs_subs, realigns;
};

void t1_decoder_init(struct t1_decoder *d, enum t1_framing f, enum t1_linecode lc,
		     void (*put_frame)(void *, const uint8_t *), void *ctx);
void t1_decoder_push(struct t1_decoder *d, int sym);

/* CRC-6 (x^6 + x + 1) of one bit into the register, exposed for the tests. */
uint8_t t1_crc6_bit(uint8_t crc, unsigned bit);

#endif /* DIALBACK_SIM_T1_LINE_H */
