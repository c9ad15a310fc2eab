/*
 * ft232h.h - model of an FTDI FT232H in synchronous 245 FIFO mode, FIFO side, for the
 * co-simulation: the USB side is two byte queues the host driver fills and drains
 *
 * Per clock (60 MHz CLKOUT on a board; the core clock in the simulation):
 *  - host->card: RXF# is low while the chip holds bytes from USB; the FPGA drives OE#
 *    low (the chip then drives D[7:0] with the next byte) and RD# low; each rising
 *    edge with OE#, RD# and RXF# low hands one byte over.
 *  - card->host: TXE# is low while the chip has room; each rising edge with WR# and
 *    TXE# low takes D[7:0] from the FPGA.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_FT232H_H
#define DIALBACK_SIM_FT232H_H

#include <stddef.h>
#include <stdint.h>

#include "vcard.h"

#define FT232H_RX_BUF	1024	/*!< chip's USB OUT buffer toward the FPGA */
#define FT232H_TX_BUF	1024	/*!< chip's buffer toward USB IN */

struct ft232h {
	uint8_t  to_card[FT232H_RX_BUF];
	size_t   to_card_head, to_card_len;
	uint8_t  to_host[FT232H_TX_BUF];
	size_t   to_host_head, to_host_len;
	uint64_t bytes_to_card, bytes_to_host, bus_conflicts;
};

void   ft232h_init(struct ft232h *f);
/* Room toward the card / bytes toward the host. */
size_t ft232h_to_card_room(const struct ft232h *f);
void   ft232h_write_to_card(struct ft232h *f, const uint8_t *data, size_t len);
size_t ft232h_read_to_host(struct ft232h *f, uint8_t *buf, size_t max);
/* Drive the chip's pins for the coming edge. */
void   ft232h_pins(const struct ft232h *f, struct vcard_in *in);
/* The rising edge: `in` as driven for it, `prev` the card's pins before it. */
void   ft232h_edge(struct ft232h *f, const struct vcard_in *in, const struct vcard_out *prev);

#endif /* DIALBACK_SIM_FT232H_H */
