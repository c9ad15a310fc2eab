/*
 * fuzz_lapd.c - libFuzzer target for the daemon's Q.921 receiver (host/lapd.c):
 * the input is a series of length-prefixed frames fed to a user-side link while
 * time moves and the link sends; also lapd_describe() on each.  Must never crash
 * or abort.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "evloop.h"
#include "lapd.h"
#include "log.h"

static int fz_send(void *ctx, const uint8_t *f, size_t n)
{
	(void)ctx;
	(void)f;
	(void)n;
	return 0;
}

static void fz_data(void *ctx, const uint8_t *d, size_t n)
{
	struct lapd *l = ctx;

	/* answer some messages, as Q.931 would, from inside the upcall */
	if (n && (d[0] & 1))
		lapd_send(l, d, n);
}

static const struct lapd_ops fz_ops = { .send_frame = fz_send, .data_ind = fz_data };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ev_loop *loop;
	static ev_time_t now;
	static struct lapd l;
	struct lapd_config cfg;
	char desc[200];
	size_t at = 0;

	if (!loop) {
		loop = ev_loop_new_manual(0);
		dbg_enable(DBG_ISDN_Q921, true);
	}
	lapd_config_default(&cfg, "Se0:23");
	lapd_init(&l, loop, &cfg, &fz_ops, &l);
	lapd_start(&l);
	while (at < size) {
		size_t n = data[at++] & 0x3F;
		uint8_t x;

		if (n > size - at)
			n = size - at;
		lapd_describe(desc, sizeof(desc), data + at, n, false);
		lapd_input(&l, data + at, n);
		x = n ? data[at] : 0;
		if (x & 0x40)
			lapd_send(&l, data + at, n);
		if (x & 0x20) {
			now += (ev_time_t)(x & 0x1F) * 200 * EV_MSEC;
			ev_loop_step(loop, now);
		}
		at += n;
	}
	now += 30 * EV_SEC;
	ev_loop_step(loop, now);
	lapd_stop(&l);
	return 0;
}
