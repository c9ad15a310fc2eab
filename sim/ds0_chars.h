/*
 * ds0_chars.h - the idealised digital modem's character stream on a 64 kbit/s DS0
 * (docs/card-protocol.md, "What the channels carry"): one character per octet, 0xFF is
 * idle, a data 0xFF or 0x7D goes as 0x7D, octet ^ 0x20.  The subscriber modems of the
 * co-simulation use it on their side of a B-channel; the card implements the same.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_DS0_CHARS_H
#define DIALBACK_SIM_DS0_CHARS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DS0_IDLE	0xFF
#define DS0_ESC		0x7D
#define DS0_TXQ		8192

struct ds0_tx {
	uint8_t  q[DS0_TXQ];		/*!< characters waiting */
	size_t   head, len;
	bool     pending_esc;		/*!< second half of an escape is next */
	uint8_t  esc_octet;
	uint64_t chars, drops;
};

struct ds0_rx {
	bool     esc;
	uint64_t chars, idles;
};

void    ds0_tx_init(struct ds0_tx *t);
/* Queue characters; returns how many fit. */
size_t  ds0_tx_write(struct ds0_tx *t, const uint8_t *chars, size_t n);
/* The octet for the next 125 us frame. */
uint8_t ds0_tx_octet(struct ds0_tx *t);
bool    ds0_tx_idle(const struct ds0_tx *t);

void ds0_rx_init(struct ds0_rx *r);
/* One received octet: returns true and the character in *c, or false (idle/escape). */
bool ds0_rx_octet(struct ds0_rx *r, uint8_t octet, uint8_t *c);

#endif /* DIALBACK_SIM_DS0_CHARS_H */
