/*
 * hdlc_sync.h - bit-synchronous HDLC (ISO 3309: 0x7E flags, zero-bit insertion after
 * five ones, FCS-16, seven ones abort) over one 64 kbit/s timeslot, octet at a time:
 * the telco's side of the PRI D-channel in the co-simulation (independent of the
 * card's RTL engine).  Bits go on the line least significant first, as HDLC sends them.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_HDLC_SYNC_H
#define DIALBACK_SIM_HDLC_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HDLC_SYNC_MAX_FRAME	512
#define HDLC_SYNC_TXQ		65536	/*!< bits: about 7 KiB of frames */

struct hdlc_sync_tx {
	uint8_t  q[HDLC_SYNC_TXQ];	/*!< stuffed bits of queued frames, one per byte */
	size_t   head, len;
	unsigned ones;			/*!< consecutive ones sent inside the frame */
	unsigned flag_bit;		/*!< position in the idle flag */
	uint64_t frames, drops;
};

void hdlc_sync_tx_init(struct hdlc_sync_tx *t);
/* Queue one frame (FCS appended here); false when the queue is full. */
bool hdlc_sync_tx_frame(struct hdlc_sync_tx *t, const uint8_t *data, size_t len);
/* The next octet for the timeslot (idle: flags). */
uint8_t hdlc_sync_tx_octet(struct hdlc_sync_tx *t);

struct hdlc_sync_rx {
	void   (*frame)(void *ctx, const uint8_t *data, size_t len);	/*!< good frames */
	void    *ctx;
	uint8_t  bits[(HDLC_SYNC_MAX_FRAME + 2) * 8 + 8];	/*!< destuffed bits */
	size_t   nbits;
	unsigned ones;			/*!< ones seen and not yet stored */
	bool     in_frame, overflow;
	uint64_t frames, bad_fcs, aborts, too_long;
};

void hdlc_sync_rx_init(struct hdlc_sync_rx *r, void (*frame)(void *, const uint8_t *, size_t),
		       void *ctx);
void hdlc_sync_rx_octet(struct hdlc_sync_rx *r, uint8_t octet);

#endif /* DIALBACK_SIM_HDLC_SYNC_H */
