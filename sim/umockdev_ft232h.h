/*
 * umockdev_ft232h.h - puts the FT232H model (ft232h_usb.h) behind an emulated usbfs
 * device node in a umockdev testbed, so unmodified libusb-1.0 code (the real
 * drivers/card_usb.c) enumerates, opens and talks to it.
 *
 * Needs umockdev-1.0 and glib-2.0 (pkg-config) and a process started under
 * `umockdev-wrapper` (LD_PRELOAD of libumockdev-preload).  Only built when
 * DIALBACK_UMOCKDEV is defined (tests/umockdev/rules.mk does that).
 *
 * Threads: umockdev answers the node's ioctls on its own worker thread (own
 * GMainContext); the FIFO side of the model is driven by the caller's thread.  All
 * state here is behind one mutex; the latency timer runs on the worker's context.
 * plug/unplug and the fault injectors may be called from any thread.
 *
 * What is modelled (measured facts and pitfalls: docs of the prototype):
 * SUBMITURB (control, bulk OUT with NAK while the chip's buffer is full, bulk IN
 * filled from the FIFO or by the latency timer), REAPURB(NDELAY), DISCARDURB,
 * GET_CAPABILITIES, CLAIM/RELEASE/DISCONNECT_CLAIM/SETINTERFACE/SETCONFIGURATION/
 * CLEAR_HALT/RESETEP/RESET, GETDRIVER (ENODATA).  The node is a FIFO kept full while
 * nothing can be reaped, so libusb's poll() sleeps instead of spinning.  Surprise
 * removal: open clients are marked dead (pending URBs end with -ESHUTDOWN, later
 * ioctls fail with ENODEV), a "remove" uevent is sent and the device removed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_UMOCKDEV_FT232H_H
#define DIALBACK_SIM_UMOCKDEV_FT232H_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <umockdev.h>

#include "ft232h_usb.h"

struct umockdev_ft232h;

struct umockdev_ft232h_stats {
	uint64_t ioctls, urbs, reap_eagain, discards, enodev, plugs, unplugs;
	uint64_t stalls_in, stalls_out, runts;
};

/* A device at bus `bus` address `addr` (port = addr - 1) on `tb`, answered by `m`
 * (the caller keeps both).  Not plugged yet. */
struct umockdev_ft232h *umockdev_ft232h_new(UMockdevTestbed *tb, struct ft232h_usb *m,
					    unsigned bus, unsigned addr);
void umockdev_ft232h_free(struct umockdev_ft232h *g);
/* Add the device to sysfs and /dev ("add" uevent); 0 or -1. */
int  umockdev_ft232h_plug(struct umockdev_ft232h *g);
/* Surprise removal. */
void umockdev_ft232h_unplug(struct umockdev_ft232h *g);
bool umockdev_ft232h_plugged(struct umockdev_ft232h *g);
void umockdev_ft232h_get_stats(struct umockdev_ft232h *g, struct umockdev_ft232h_stats *st);

/* Fault injection (each call applies once; stalls add up). */
void umockdev_ft232h_stall_in(struct umockdev_ft232h *g);	/* next IN URB: STALL */
void umockdev_ft232h_stall_out(struct umockdev_ft232h *g);	/* next OUT URB: STALL */
void umockdev_ft232h_runt_in(struct umockdev_ft232h *g);	/* next IN: a 1-byte packet */
/* Short packets: send IN data at once, at most `n` FIFO bytes per transfer (0: off,
 * i.e. full transfers or the latency timer). */
void umockdev_ft232h_set_in_chunk(struct umockdev_ft232h *g, size_t n);

/* Simulated time (the co-simulation): no latency timer; SUBMITURB returns only once
 * the URB's bytes are in the chip; IN URBs complete only in serve_in(), with every
 * byte waiting for the host (none: they stay pending), as at a USB microframe the
 * simulator chooses. */
void umockdev_ft232h_set_manual(struct umockdev_ft232h *g, bool manual);
void umockdev_ft232h_serve_in(struct umockdev_ft232h *g);
/* A completed URB waits to be reaped (libusb would find something to do). */
bool umockdev_ft232h_reapable(struct umockdev_ft232h *g);

#endif /* DIALBACK_SIM_UMOCKDEV_FT232H_H */
