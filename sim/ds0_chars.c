/*
 * ds0_chars.c - character stream on a DS0 (see ds0_chars.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "ds0_chars.h"

#include <string.h>

void ds0_tx_init(struct ds0_tx *t)
{
	memset(t, 0, sizeof(*t));
}

size_t ds0_tx_write(struct ds0_tx *t, const uint8_t *chars, size_t n)
{
	size_t i;

	for (i = 0; i < n && t->len < DS0_TXQ; i++)
		t->q[(t->head + t->len++) % DS0_TXQ] = chars[i];
	t->drops += n - i;
	return i;
}

bool ds0_tx_idle(const struct ds0_tx *t)
{
	return t->len == 0 && !t->pending_esc;
}

uint8_t ds0_tx_octet(struct ds0_tx *t)
{
	uint8_t c;

	if (t->pending_esc) {
		t->pending_esc = false;
		return t->esc_octet;
	}
	if (t->len == 0)
		return DS0_IDLE;
	c = t->q[t->head];
	t->head = (t->head + 1) % DS0_TXQ;
	t->len--;
	t->chars++;
	if (c == DS0_IDLE || c == DS0_ESC) {
		t->pending_esc = true;
		t->esc_octet = c ^ 0x20;
		return DS0_ESC;
	}
	return c;
}

void ds0_rx_init(struct ds0_rx *r)
{
	memset(r, 0, sizeof(*r));
}

bool ds0_rx_octet(struct ds0_rx *r, uint8_t octet, uint8_t *c)
{
	if (octet == DS0_IDLE) {		/* idle, also inside an escape */
		r->idles++;
		return false;
	}
	if (r->esc) {
		r->esc = false;
		*c = octet ^ 0x20;
		r->chars++;
		return true;
	}
	if (octet == DS0_ESC) {
		r->esc = true;
		return false;
	}
	*c = octet;
	r->chars++;
	return true;
}
