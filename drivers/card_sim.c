/*
 * card_sim.c - the in-process `sim` card transport (see card_sim.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "card_sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct card_sim {
	uint8_t *buf;		/* ring of bytes toward the card */
	size_t   cap, head, len;
};

static int sim_write(void *tp, const uint8_t *data, size_t n)
{
	struct card_sim *s = tp;

	if (s->len + n > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		uint8_t *nb;

		while (cap < s->len + n)
			cap *= 2;
		nb = malloc(cap);
		if (!nb)
			return -ENOMEM;
		for (size_t i = 0; i < s->len; i++)
			nb[i] = s->buf[(s->head + i) % s->cap];
		free(s->buf);
		s->buf = nb;
		s->cap = cap;
		s->head = 0;
	}
	for (size_t i = 0; i < n; i++)
		s->buf[(s->head + s->len + i) % s->cap] = data[i];
	s->len += n;
	return 0;
}

static void sim_close(void *tp)
{
	(void)tp;	/* owned by whoever made it: card_sim_free() */
}

const struct card_transport_ops card_sim_ops = {
	.name = "sim",
	.write = sim_write,
	.close = sim_close,
};

struct card_sim *card_sim_new(void)
{
	return calloc(1, sizeof(struct card_sim));
}

void card_sim_free(struct card_sim *s)
{
	if (!s)
		return;
	free(s->buf);
	free(s);
}

size_t card_sim_pending(const struct card_sim *s) { return s->len; }

size_t card_sim_pull(struct card_sim *s, uint8_t *buf, size_t max)
{
	size_t n = max < s->len ? max : s->len;

	for (size_t i = 0; i < n; i++)
		buf[i] = s->buf[(s->head + i) % s->cap];
	if (n) {
		s->head = (s->head + n) % s->cap;
		s->len -= n;
	}
	return n;
}
