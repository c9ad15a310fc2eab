/*
 * card.h - the one C API through which dialbackd reaches a line card
 *
 * Layers:
 *   dialbackd (host/)  --card_* calls / struct card_events callbacks-->  card.c
 *   card.c: message framing (card_msg.h), per-channel transmit queues and credit,
 *           receive reassembly, counters
 *   transport (a driver): moves the protocol's bytes; `sim` (in-process, the
 *           co-simulation's FIFO model) or `usb` (libusb-1.0, FT232H)
 *
 * A transport hands bytes from the card to card_input(); card.c hands bytes for the
 * card to the transport's write().  Nothing here blocks.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CARD_H
#define DIALBACK_CARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card_msg.h"
#include "card_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

struct card;

enum card_driver { CARD_DRIVER_SIM, CARD_DRIVER_USB };

/* What a driver provides. */
struct card_transport_ops {
	const char *name;					/*!< "sim", "usb" */
	/* Queue bytes toward the card; 0 or -errno.  Must accept everything (the
	 * card layer bounds what it writes by credit). */
	int  (*write)(void *tp, const uint8_t *buf, size_t len);
	void (*close)(void *tp);
};

/* What the card layer reports to its owner.  Every member may be NULL. */
struct card_events {
	/* A whole HDLC frame (status CARD_RX_OK), or the end of a bad one (data is what
	 * was received before the error, possibly empty). */
	void (*rx_frame)(void *ctx, unsigned chan, const uint8_t *data, size_t len,
			 enum card_rx_status status);
	/* Octets from a channel in CARD_MODE_RAW. */
	void (*rx_raw)(void *ctx, unsigned chan, const uint8_t *data, size_t len);
	/* Transmit queue of `chan` drained below its low-water mark. */
	void (*tx_ready)(void *ctx, unsigned chan);
	void (*span_status)(void *ctx, unsigned span, const struct card_span_status *st);
	void (*chan_event)(void *ctx, unsigned chan, enum card_chan_event_code ev);
	void (*version)(void *ctx, const struct card_version *v);
	void (*reg_value)(void *ctx, uint16_t addr, uint32_t value);
	void (*echo_reply)(void *ctx, unsigned chan, const uint8_t *data, size_t len);
};

/* Counters, per card and per channel (`show controllers`, `show interfaces`). */
struct card_chan_stats {
	uint64_t rx_frames, rx_octets, rx_bad_fcs, rx_aborts, rx_overruns, rx_too_long, rx_runts;
	uint64_t tx_frames, tx_octets, tx_queue_drops, tx_underruns;
};

struct card_stats {
	struct card_parser_stats parser;	/*!< resync counters */
	uint64_t rx_unexpected;		/*!< messages for a bad channel or in the wrong mode */
	uint64_t host_errors;		/*!< HOST_ERROR reports from the card */
	uint64_t tx_messages, tx_bytes;	/*!< toward the card */
	uint64_t resyncs;		/*!< credit re-syncs completed (card_resync) */
};

/* Per-channel configuration, host byte order. */
struct card_chan_cfg {
	enum card_chan_mode mode;
	bool     fcs32;
	uint32_t rx_accm, tx_accm;
	uint16_t mru;
};

#define CARD_TXQ_LIMIT	(16 * 1024)	/*!< per-channel host queue before drops */

struct card *card_new(unsigned channels, uint16_t tx_buffer,
		      const struct card_transport_ops *ops, void *tp,
		      const struct card_events *ev, void *ctx);
void card_free(struct card *c);
/* The card's per-channel transmit buffer (struct card_version.tx_buffer): the
 * credit window.  Set it from the card's VERSION before sending data. */
void card_set_tx_buffer(struct card *c, uint16_t tx_buffer);

/* The card may have run before this card layer existed (re-plugged without an FPGA
 * reset): its credit counts start from an unknown origin.  Flush every channel (a
 * CHAN_CONFIG with its current configuration) and learn each channel's count anew
 * with CREDIT_POLL, two rounds each closed by a GET_VERSION (so the owner's version
 * callback runs for them too).  TX_DATA is held (queued) until then.  Call it right
 * after creating the card layer for a card that came (back); 0 or -errno. */
int  card_resync(struct card *c);
/* A re-sync is still running. */
bool card_resyncing(const struct card *c);

/* Bytes received from the card, any split. */
void card_input(struct card *c, const uint8_t *buf, size_t len);

/* Requests; 0 or -errno (-EINVAL bad channel, -ENOBUFS queue full). */
int card_get_version(struct card *c);
int card_echo(struct card *c, unsigned chan, const uint8_t *data, size_t len);
int card_chan_config(struct card *c, unsigned chan, const struct card_chan_cfg *cfg);
/* New ACCMs / MRU / FCS size for a channel in the same HDLC mode, in place: nothing
 * queued is dropped and no frame is aborted (CARD_OPT_UPDATE).  -EINVAL if the
 * mode would change. */
int card_chan_update(struct card *c, unsigned chan, const struct card_chan_cfg *cfg);
int card_span_config(struct card *c, unsigned span, const struct card_span_config *cfg);
int card_span_query(struct card *c, unsigned span);
int card_ts_map(struct card *c, unsigned span, const uint16_t chan[CARD_CHANS_PER_SPAN]);
int card_reg_write(struct card *c, uint16_t addr, uint32_t value);
int card_reg_read(struct card *c, uint16_t addr);
/* A whole frame (HDLC modes); flags: CARD_TX_FULL_ACCM. */
int card_send_frame(struct card *c, unsigned chan, const uint8_t *data, size_t len,
		    unsigned flags);
/* Raw octets (CARD_MODE_RAW). */
int card_send_raw(struct card *c, unsigned chan, const uint8_t *data, size_t len);

/* Octets queued on the host for `chan`, not yet sent to the card. */
size_t card_tx_queued(const struct card *c, unsigned chan);
unsigned card_channels(const struct card *c);
const struct card_stats *card_get_stats(const struct card *c);
const struct card_chan_stats *card_get_chan_stats(const struct card *c, unsigned chan);
const struct card_chan_cfg *card_get_chan_cfg(const struct card *c, unsigned chan);

#ifdef __cplusplus
}
#endif

#endif /* DIALBACK_CARD_H */
