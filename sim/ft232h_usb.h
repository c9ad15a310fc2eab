/*
 * ft232h_usb.h - FTDI FT232H in synchronous 245 FIFO mode, seen from USB: descriptors,
 * the FTDI vendor requests on endpoint 0, bulk OUT 0x02 / bulk IN 0x81 with the two
 * modem-status bytes at the start of every IN packet, and the FIFO side as two byte
 * queues.  No USB transport here: sim/umockdev_ft232h.c puts this model behind an
 * emulated usbfs node (umockdev) so that unmodified libusb code talks to it.
 *
 * Threads.  The USB side (ft232h_usb_bulk_out/_bulk_in/_control...) is called by the
 * umockdev worker thread; the FIFO side (ft232h_usb_to_card/_from_card) by the
 * simulator's (single) thread.  Every function takes the model's one mutex, so both
 * may run at once; nothing calls back into the caller with the mutex held.  When the
 * FIFO side adds bytes for the host or frees room toward the card, the model calls
 * the `wakeup` hook (set by the USB transport) so pending URBs are served; when the
 * host has written bytes, `notify_fd` (an eventfd) becomes readable for the FIFO side.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_FT232H_USB_H
#define DIALBACK_SIM_FT232H_USB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FT232H_USB_VID		0x0403
#define FT232H_USB_PID		0x6014
#define FT232H_USB_EP_IN	0x81
#define FT232H_USB_EP_OUT	0x02
#define FT232H_USB_MPS		512	/*!< high-speed bulk max packet size */
#define FT232H_USB_TO_CARD_MAX	(256 * 1024)	/*!< OUT bytes held before NAKing */
#define FT232H_USB_TO_HOST_MAX	(256 * 1024)	/*!< IN bytes held before TXE# goes high */

struct ft232h_usb;

struct ft232h_usb_cfg {
	uint16_t    vid, pid;		/*!< 0: 0403:6014 */
	const char *serial;		/*!< iSerialNumber string; NULL: "FT000001" */
	const char *product;		/*!< NULL: "dialback line card" */
};

struct ft232h_usb_stats {
	uint64_t to_card, to_host;	/*!< FIFO bytes each way */
	uint64_t in_packets, ctrl_requests, ctrl_stalls;
	uint8_t  latency_ms, bitmode, bitmask;
	uint16_t flow_ctrl;
	uint64_t resets, purges_rx, purges_tx;
};

struct ft232h_usb *ft232h_usb_new(const struct ft232h_usb_cfg *cfg);
void ft232h_usb_free(struct ft232h_usb *m);
uint16_t ft232h_usb_vid(const struct ft232h_usb *m);
uint16_t ft232h_usb_pid(const struct ft232h_usb *m);
void ft232h_usb_get_stats(struct ft232h_usb *m, struct ft232h_usb_stats *st);

/* --- USB side -------------------------------------------------------------------- */

/* Device descriptor followed by the configuration descriptor (what sysfs'
 * `descriptors` holds); returns the length. */
size_t ft232h_usb_descriptors(const struct ft232h_usb *m, uint8_t *buf, size_t max);
/* One control request: setup[8], then *len bytes of OUT data in `data` or room for
 * *len bytes of IN data.  Returns 0 (and *len = bytes transferred) or -EPIPE (STALL). */
int ft232h_usb_control(struct ft232h_usb *m, const uint8_t setup[8], uint8_t *data, size_t *len);
/* Bytes the host sends; returns how many the chip took (room permitting). */
size_t ft232h_usb_bulk_out(struct ft232h_usb *m, const uint8_t *buf, size_t len);
/* Fill an IN transfer of `max` bytes with whole packets (status bytes + data).
 * `force`: the latency timer expired, send a packet even without data.  Returns
 * the transfer length (0: nothing to send yet). */
size_t ft232h_usb_bulk_in(struct ft232h_usb *m, uint8_t *buf, size_t max, bool force);
/* Bytes waiting for the host; would an IN transfer of `max` bytes be filled? */
size_t ft232h_usb_in_pending(struct ft232h_usb *m);
unsigned ft232h_usb_latency_ms(struct ft232h_usb *m);
/* The host is gone (unplug): the chip's buffers are lost with it. */
void ft232h_usb_reset_buffers(struct ft232h_usb *m);
/* Called (no lock held) when the FIFO side made progress possible. */
void ft232h_usb_set_wakeup(struct ft232h_usb *m, void (*fn)(void *arg), void *arg);

/* --- FIFO side (the card) ---------------------------------------------------------- */

/* Bytes from the host toward the card. */
size_t ft232h_usb_to_card(struct ft232h_usb *m, uint8_t *buf, size_t max);
size_t ft232h_usb_to_card_pending(struct ft232h_usb *m);
/* Bytes from the card toward the host; returns how many fitted. */
size_t ft232h_usb_from_card(struct ft232h_usb *m, const uint8_t *buf, size_t len);
size_t ft232h_usb_from_card_room(struct ft232h_usb *m);
/* eventfd, readable while bytes toward the card are waiting (read it to re-arm). */
int ft232h_usb_notify_fd(const struct ft232h_usb *m);

/* The co-simulation's glue: move bytes between this model and the pin-level FIFO
 * model (sim/ft232h.h), as far as each side has room; call it from the simulator's
 * loop (e.g. once per USB microframe of simulated time).  Returns bytes moved. */
struct ft232h;
size_t ft232h_usb_bridge(struct ft232h_usb *m, struct ft232h *f);

#endif /* DIALBACK_SIM_FT232H_USB_H */
