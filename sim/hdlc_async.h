/*
 * hdlc_async.h - RFC 1662 asynchronous HDLC-like framing, the subscriber side's
 * reference codec in the co-simulation (independent of the card's RTL engine)
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_HDLC_ASYNC_H
#define DIALBACK_SIM_HDLC_ASYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HDLC_ASYNC_MAX_FRAME	2048

/* Encode: opening flag, escaped content + FCS-16, closing flag.  out must hold
 * 2 * len + 8 octets; returns the octets written. */
size_t hdlc_async_encode(uint8_t *out, const uint8_t *frame, size_t len, uint32_t accm,
			 bool fcs32);

enum hdlc_async_event { HDLC_FRAME_OK, HDLC_FRAME_BAD_FCS, HDLC_FRAME_ABORT,
			HDLC_FRAME_TOO_LONG, HDLC_FRAME_RUNT };

struct hdlc_async_decoder {
	uint32_t accm;			/*!< received control characters in the map are dropped */
	bool     fcs32;
	void   (*frame)(void *ctx, enum hdlc_async_event ev, const uint8_t *data, size_t len);
	void    *ctx;
	uint8_t  buf[HDLC_ASYNC_MAX_FRAME + 4];
	size_t   len;
	bool     escape, in_frame, overflow;
	uint64_t ok, bad_fcs, aborts, too_long, runts;
};

void hdlc_async_decoder_init(struct hdlc_async_decoder *d, uint32_t accm, bool fcs32,
			     void (*frame)(void *, enum hdlc_async_event, const uint8_t *, size_t),
			     void *ctx);
void hdlc_async_decode(struct hdlc_async_decoder *d, const uint8_t *in, size_t len);

#endif /* DIALBACK_SIM_HDLC_ASYNC_H */
