/*
 * cosim_usb.h - `dialback-sim --transport usb`: the daemon reaches the Verilated card
 * through its real libusb-1.0 driver (drivers/card_usb.c), an emulated usbfs device
 * (umockdev) and the FT232H USB model (sim/ft232h_usb.c), in simulated time
 *
 *   card layer -- card_usb (libusb, async bulk) -- usbfs ioctls -- umockdev --
 *   sim/umockdev_ft232h.c -- sim/ft232h_usb.c -- sim/ft232h.c (pins) -- card RTL
 *
 * Same simulated time as the in-process transport, byte for byte: once per 125 us
 * frame (cosim.h's host_io hook, before the daemon's loop is stepped) the bytes the
 * daemon wrote are submitted (bulk OUT; the model takes them before the ioctl
 * returns) and moved toward the card as far as the FIFO has room, and the card's
 * bytes are put into one IN transfer that libusb reaps at once, so card_input()
 * runs where the in-process transport calls it.  No latency timer, no wall clock.
 *
 * Environment: DIALBACK_USB_STATS=1 prints `show controllers usb` and the emulator's
 * counters on stderr at the end; DIALBACK_USB_UNPLUG=T1,T2 removes the device at T1 s
 * of simulated time and plugs it back at T2 s (the card RTL runs on; simulated time
 * waits for the re-plugged card to come up); DIALBACK_USB_RESYNC=1 re-syncs the
 * credit counts at the first attach too (a re-attach always does, as dialbackd).
 *
 * Needs a build with umockdev (tests/umockdev/rules.mk: $(BUILD)/umockdev/dialback-sim)
 * and a process under `umockdev-wrapper`.  Without umockdev (the plain dialback-sim)
 * cosim_usb_new() says so and returns NULL.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_COSIM_USB_H
#define DIALBACK_SIM_COSIM_USB_H

struct cosim;
struct ev_loop;
struct nas;
struct cosim_usb;

/* Called first thing in main() when --transport usb is asked for: unless this
 * process already runs under umockdev's preload, run it again under
 * `umockdev-wrapper` (with ASan told about the preload).  Returns only if it did
 * not (already wrapped, or no umockdev build: then cosim_usb_new() explains). */
void cosim_usb_wrap(int argc, char **argv);

/* Plug the emulated card, start the daemon's USB driver on `loop` (the manual clock,
 * not advanced), bring the card up and attach it to `nas` (as the daemon does);
 * installs cs->host_io.  NULL (and a message on stderr) on failure. */
struct cosim_usb *cosim_usb_new(struct cosim *cs, struct ev_loop *loop, struct nas *nas);
/* After nas_free() (the card layer's writes may still reach the driver before). */
void cosim_usb_free(struct cosim_usb *u);

#endif /* DIALBACK_SIM_COSIM_USB_H */
