/*
 * lapd.h - Q.921 LAPD data link, user side, for one ISDN PRI D-channel
 *
 * One struct lapd per D-channel: SAPI 0 (call control), TEI 0 (the fixed TEI of a
 * PRI), multiple-frame operation with modulo-128 sequence numbers, window k,
 * timers T200 / T203 and retry count N200 on the daemon's event loop.
 *
 * Frames in and out are the HDLC frame content WITHOUT flags and FCS: address (2),
 * control (1 or 2), information.  The card's sync-HDLC channel adds and checks the
 * FCS, so the integrator binds ops->send_frame to a TX_DATA/EOF on the D-channel
 * and calls lapd_input() for every RX frame whose status was CARD_RX_OK.
 *
 * The user side brings the link up itself (SABME) after lapd_start() and keeps
 * trying while it is wanted: on N200 exhaustion, DM, FRMR or a sequence error it
 * re-establishes; after DISC from the network it retries after a pause.
 *
 * Nothing here allocates: the transmit queue lives in the struct.  Callbacks may
 * call lapd_send() but must not free the struct.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_LAPD_H
#define DIALBACK_LAPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"

#define LAPD_N201		260	/*!< longest information field, octets */
#define LAPD_MAX_FRAME		(LAPD_N201 + 4)	/*!< address + control + info */
#define LAPD_QUEUE_LEN		32	/*!< I frames queued or awaiting ack */

/* Q.921 data link states (the numbers the Recommendation's SDL uses). */
enum lapd_state {
	LAPD_ST_TEI_ASSIGNED		= 4,	/*!< link down */
	LAPD_ST_AWAITING_ESTABLISHMENT	= 5,	/*!< SABME sent */
	LAPD_ST_AWAITING_RELEASE	= 6,	/*!< DISC sent */
	LAPD_ST_MULTIPLE_FRAME_ESTABLISHED = 7,
	LAPD_ST_TIMER_RECOVERY		= 8,	/*!< T200 ran out, enquiry outstanding */
};

/* What the link asks of its owner.  Only send_frame is required. */
struct lapd_ops {
	/* Send one frame (address .. information, no FCS); return 0 or -errno. */
	int  (*send_frame)(void *ctx, const uint8_t *frame, size_t len);
	/* DL-ESTABLISH indication or confirmation: multiple-frame operation began
	 * (again); anything queued before was discarded. */
	void (*established)(void *ctx);
	/* DL-RELEASE indication or confirmation: the link went down. */
	void (*released)(void *ctx);
	/* DL-DATA indication: one I frame's information field, in order. */
	void (*data_ind)(void *ctx, const uint8_t *data, size_t len);
	/* DL-UNIT-DATA indication: a UI frame's information field. */
	void (*unitdata_ind)(void *ctx, const uint8_t *data, size_t len);
};

struct lapd_config {
	const char *name;	/*!< debug prefix, e.g. "Se0:23" */
	uint8_t  sapi;		/*!< 0 for call control */
	uint8_t  tei;		/*!< 0 on a PRI */
	uint8_t  k;		/*!< window, 1..127 (PRI: 7) */
	uint8_t  n200;		/*!< retries (3) */
	ev_time_t t200;		/*!< acknowledgement timer (1 s) */
	ev_time_t t203;		/*!< idle link supervision (10 s) */
	ev_time_t retry;	/*!< pause before re-trying a link the peer refused */
};

/* Counters for `show` and tests. */
struct lapd_stats {
	uint32_t tx_frames, rx_frames;
	uint32_t tx_i, rx_i;
	uint32_t retransmissions;	/*!< I frames sent again */
	uint32_t rx_bad;		/*!< frames dropped: short, wrong address, bad control */
	uint32_t rx_out_of_seq;		/*!< I frames with N(S) != V(R) */
	uint32_t establishments;	/*!< times the link came up */
	uint32_t reestablishments;	/*!< recoveries after errors */
	uint32_t queue_full;		/*!< lapd_send refused */
	uint32_t mdl_errors;		/*!< Q.921 management error indications */
};

struct lapd_qframe {
	uint16_t len;
	uint8_t  data[LAPD_N201];
};

struct lapd {
	struct ev_loop *loop;
	struct lapd_config cfg;
	const struct lapd_ops *ops;
	void *ctx;

	enum lapd_state state;
	bool     wanted;		/*!< lapd_start()ed and not lapd_stop()ped */
	bool     release_requested;	/*!< owner asked for DISC */
	uint8_t  vs, va, vr;		/*!< V(S), V(A), V(R), modulo 128 */
	uint8_t  rc;			/*!< retransmission count */
	bool     peer_busy;		/*!< RNR received */
	bool     reject_exception;	/*!< REJ sent, awaiting the right N(S) */
	bool     ack_pending;		/*!< an I frame needs acknowledging */

	struct ev_timer t200;		/*!< also the retry pause in TEI_ASSIGNED */
	struct ev_timer t203;

	/* I frames from V(A): the first (vs - va) are sent and unacknowledged. */
	struct lapd_qframe queue[LAPD_QUEUE_LEN];
	unsigned q_head, q_count;

	struct lapd_stats stats;
};

/* Defaults for a PRI: SAPI 0, TEI 0, k 7, N200 3, T200 1 s, T203 10 s, retry 5 s. */
void lapd_config_default(struct lapd_config *cfg, const char *name);

void lapd_init(struct lapd *l, struct ev_loop *loop, const struct lapd_config *cfg,
	       const struct lapd_ops *ops, void *ctx);
/* Layer 1 is up: bring the link up (SABME) and keep it up. */
void lapd_start(struct lapd *l);
/* Layer 1 went down or the span is shut: drop everything, no frames sent. */
void lapd_stop(struct lapd *l);
/* Orderly release (DISC); the link stays down until lapd_start(). */
void lapd_release(struct lapd *l);

/* DL-DATA request: queue an I frame.  0, -EMSGSIZE (> N201), -ENOBUFS (queue
 * full) or -ENOTCONN (link neither up nor coming up). */
int  lapd_send(struct lapd *l, const uint8_t *data, size_t len);
/* DL-UNIT-DATA request: a UI frame, sent at once. */
int  lapd_send_ui(struct lapd *l, const uint8_t *data, size_t len);

/* A received frame (address .. information, FCS already checked and removed). */
void lapd_input(struct lapd *l, const uint8_t *frame, size_t len);

static inline bool lapd_is_up(const struct lapd *l)
{
	return l->state == LAPD_ST_MULTIPLE_FRAME_ESTABLISHED ||
	       l->state == LAPD_ST_TIMER_RECOVERY;
}
const char *lapd_state_name(enum lapd_state st);	/* "MULTIPLE_FRAME_ESTABLISHED" */

/* Describe a frame as `debug isdn q921` does ("SABMEp sapi = 0  tei = 0"),
 * from the user side's point of view (tx: we sent it).  Never fails. */
void lapd_describe(char *buf, size_t size, const uint8_t *frame, size_t len, bool tx);

#endif /* DIALBACK_LAPD_H */
