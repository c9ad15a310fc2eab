/*
 * card_stub.h - a scripted line card for host tests: it sits behind the `sim`
 * transport (drivers/card_sim.h), answers GET_VERSION and SPAN_QUERY, keeps each
 * channel's mode from CHAN_CONFIG, returns transmit credit at once, reassembles
 * TX_DATA into whole frames (or raw octets) and hands them to the test, and sends
 * the test's frames, span status and counters to the host as the card would
 * (RX_DATA + RX_EOF, SPAN_STATUS).  No line, no timing: the test pumps it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_TEST_CARD_STUB_H
#define DIALBACK_TEST_CARD_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card.h"
#include "card_sim.h"

#define CSTUB_CHANS	(4 * CARD_CHANS_PER_SPAN)
#define CSTUB_SPANS	4
#define CSTUB_TXBUF	512

struct card_stub {
	struct card_sim *sim;		/*!< the transport the host writes into */
	struct card *host;		/*!< the host's card layer to feed (set by the test) */
	struct card_parser parser;
	uint8_t  mode[CSTUB_CHANS];	/*!< enum card_chan_mode per channel */
	uint8_t  options[CSTUB_CHANS];
	unsigned configs[CSTUB_CHANS];	/*!< CHAN_CONFIG messages seen (not updates) */
	unsigned updates[CSTUB_CHANS];	/*!< CHAN_CONFIG with CARD_OPT_UPDATE */
	uint16_t mru[CSTUB_CHANS];
	uint16_t consumed[CSTUB_CHANS];
	uint8_t  frame[CSTUB_CHANS][2048];
	size_t   frame_len[CSTUB_CHANS];
	unsigned frames_out[CSTUB_CHANS];	/*!< whole frames the host sent */
	struct card_span_status span[CSTUB_SPANS];
	struct card_span_config span_cfg[CSTUB_SPANS];
	unsigned span_queries;
	/* a whole frame (HDLC modes) or raw octets the host sent on `chan` */
	void (*on_frame)(void *ctx, unsigned chan, const uint8_t *f, size_t n, unsigned flags);
	void (*on_raw)(void *ctx, unsigned chan, const uint8_t *d, size_t n);
	void *ctx;
};

void card_stub_init(struct card_stub *s);
void card_stub_fini(struct card_stub *s);
/* Handle everything the host has written so far (answers go straight to s->host). */
void card_stub_pump(struct card_stub *s);
/* A frame received with good FCS on `chan`, or a bad one (status != CARD_RX_OK). */
void card_stub_rx_frame(struct card_stub *s, unsigned chan, const uint8_t *f, size_t n,
			enum card_rx_status status);
/* Set a span's alarms and counters and report them (SPAN_STATUS). */
void card_stub_span_status(struct card_stub *s, unsigned span, const struct card_span_status *st);

#endif /* DIALBACK_TEST_CARD_STUB_H */
