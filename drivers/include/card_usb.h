/*
 * card_usb.h - the `usb` card transport: libusb-1.0 driver for the line card behind an
 * FTDI FT232H in synchronous 245 FIFO mode
 *
 * Objects:
 *   struct card_usb_host  one libusb context, driven from the daemon's ev_loop through
 *                         libusb's pollfds (no thread of ours); hotplug; probing
 *   struct card_usb       one card, found by VID:PID and (optionally) serial number;
 *                         it survives unplug/replug: the transport object stays, the
 *                         device under it comes and goes
 *
 * Data path: bytes the card layer writes (card_usb_ops.write) are coalesced per loop
 * iteration into large asynchronous bulk OUT transfers (several in flight); several
 * bulk IN transfers are always pending; every max-packet-size IN packet starts with
 * the FT232H's two modem-status bytes, stripped before card_input().
 *
 * Lifecycle reported to the owner (struct card_usb_events):
 *   up()    the device was found, opened, claimed and set to sync FIFO mode, and IN
 *           transfers run: (re)send the card's configuration (GET_VERSION, spans, ...)
 *   down()  the device went away (unplug) or failed: clear calls, free lines.  The
 *           transport keeps looking for the card; up() follows when it is back.
 * While down, write() fails with -ENODEV (the card layer keeps its queues).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CARD_USB_H
#define DIALBACK_CARD_USB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card.h"

#ifdef __cplusplus
extern "C" {
#endif

struct ev_loop;
struct card_usb_host;
struct card_usb;

#define CARD_USB_FTDI_VID	0x0403	/*!< FTDI's vendor id */
#define CARD_USB_FT232H_PID	0x6014	/*!< FT232H's default product id */

/* Defaults (any 0 field of struct card_usb_cfg takes these). */
#define CARD_USB_LATENCY_MS	2	/*!< FTDI latency timer: idle IN packets every N ms */
#define CARD_USB_IN_XFERS	4	/*!< bulk IN transfers kept pending */
#define CARD_USB_OUT_XFERS	4	/*!< bulk OUT transfers in flight at most */
#define CARD_USB_IN_SIZE	(64 * 1024)	/*!< bytes per IN transfer (multiple of 512) */
#define CARD_USB_OUT_SIZE	(64 * 1024)	/*!< bytes per OUT transfer at most */
#define CARD_USB_STATUS_LEN	2	/*!< modem-status bytes at the start of each IN packet */

struct card_usb_cfg {
	uint16_t    vid, pid;		/*!< 0: FTDI FT232H 0403:6014 */
	const char *serial;		/*!< serial number to match; NULL/"": any free device */
	uint8_t     latency_ms;		/*!< 0: CARD_USB_LATENCY_MS */
	unsigned    in_xfers, out_xfers;	/*!< 0: defaults; at most 16 each */
	size_t      in_size, out_size;	/*!< 0: defaults */
	bool        quiet;		/*!< up/down notices at debug level (DBG_CARD) only,
					 *   e.g. so a co-simulation's trace matches its
					 *   in-process run */
};

struct card_usb_events {
	void (*up)(void *ctx, struct card_usb *u);
	void (*down)(void *ctx, struct card_usb *u, const char *why);
};

struct card_usb_stats {
	uint64_t rx_bytes, tx_bytes;		/*!< FIFO bytes (status bytes not counted) */
	uint64_t rx_transfers, tx_transfers;	/*!< transfers completed without error */
	uint64_t rx_errors, tx_errors;		/*!< transfers that ended in an error status */
	uint64_t rx_stalls, tx_stalls;		/*!< ... of which STALL (halt cleared, resumed) */
	uint64_t rx_timeouts, tx_timeouts;	/*!< ... of which TIMED_OUT */
	uint64_t rx_bad_packets;		/*!< IN packets shorter than the status bytes */
	uint64_t rx_status_errors;		/*!< packets whose modem status flags an error */
	uint64_t tx_dropped;			/*!< bytes lost to errors */
	uint64_t submit_errors;			/*!< libusb_submit_transfer failures */
	uint64_t setup_errors;			/*!< open/claim/FTDI set-up failures */
	uint64_t arrivals, removals;		/*!< device came / went */
	unsigned in_flight_in, in_flight_out;	/*!< transfers in flight now */
	uint8_t  modem_status[2];		/*!< the last packet's status bytes */
};

extern const struct card_transport_ops card_usb_ops;

/* One libusb context on `loop`; NULL (and a logged reason) on failure. */
struct card_usb_host *card_usb_host_new(struct ev_loop *loop);
/* Frees every card_usb still registered on it, then the context.  Not from inside a
 * card_usb_events callback. */
void card_usb_host_free(struct card_usb_host *h);
/* Times the loop woke us to let libusb handle events (an idle card must not spin). */
uint64_t card_usb_host_wakeups(const struct card_usb_host *h);
/* Let libusb handle what is ready now (completed transfers: their callbacks run,
 * card_input included), without waiting for the loop to see the fd.  For a caller
 * that steps the loop itself and wants received bytes at a point of its choosing
 * (the co-simulation); a daemon never needs it. */
void card_usb_host_poll(struct card_usb_host *h);

/* Start looking for a card (hotplug; a card already present comes up at once or on
 * the loop's next turn).  ev/ctx: the owner. */
struct card_usb *card_usb_new(struct card_usb_host *h, const struct card_usb_cfg *cfg,
			      const struct card_usb_events *ev, void *ctx);
void card_usb_free(struct card_usb *u);

/* Where bytes from the card go (card_input); NULL: dropped. */
void card_usb_set_card(struct card_usb *u, struct card *c);
/* Or: a raw byte sink instead of a card layer (benchmarks, tools); NULL: off. */
typedef void (*card_usb_rx_fn)(void *ctx, const uint8_t *buf, size_t len);
void card_usb_set_rx(struct card_usb *u, card_usb_rx_fn fn, void *ctx);
bool card_usb_is_up(const struct card_usb *u);
const struct card_usb_stats *card_usb_get_stats(const struct card_usb *u);
/* Bytes written but not yet handed to a transfer. */
size_t card_usb_tx_pending(const struct card_usb *u);
/* Submit what was written now rather than at the end of the loop turn (as far as
 * free OUT transfers allow). */
void card_usb_flush(struct card_usb *u);
/* `show controllers usb`: a few lines of text; returns strlen of what it wants
 * (snprintf semantics). */
size_t card_usb_show(const struct card_usb *u, char *buf, size_t size);

/* --- pure helpers, exposed for the unit tests ----------------------------------- */

/* Result of stripping one IN transfer. */
struct card_usb_strip {
	unsigned packets;		/*!< packets seen (the last may be short) */
	unsigned bad_packets;		/*!< shorter than the status bytes: dropped */
	unsigned status_errors;		/*!< packets whose line-status byte flags an error */
	bool     have_status;
	uint8_t  status[CARD_USB_STATUS_LEN];	/*!< the last packet's status bytes */
};

/* Remove the status bytes from every `mps`-byte packet of one completed IN transfer
 * of `len` bytes, in place; returns the number of FIFO bytes left at buf[0..]. */
size_t card_usb_strip_status(uint8_t *buf, size_t len, size_t mps, struct card_usb_strip *st);

/* What to do after a transfer completed with a libusb transfer status. */
enum card_usb_action {
	CARD_USB_OK,		/*!< use the data, resubmit */
	CARD_USB_RETRY,		/*!< count an error, resubmit (use any partial data) */
	CARD_USB_CLEAR_HALT,	/*!< STALL: count, clear the halt, resubmit */
	CARD_USB_GONE,		/*!< device disconnected */
	CARD_USB_STOP,		/*!< cancelled by us: do not resubmit */
};
/* Classify `status` (enum libusb_transfer_status) and count it in `st` for the IN
 * (in=true) or OUT direction. */
enum card_usb_action card_usb_account(struct card_usb_stats *st, bool in, int status);
/* "COMPLETED", "STALL", ... for a libusb transfer status. */
const char *card_usb_status_name(int status);

#ifdef __cplusplus
}
#endif

#endif /* DIALBACK_CARD_USB_H */
