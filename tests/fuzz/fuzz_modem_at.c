/*
 * fuzz_modem_at.c - libFuzzer target: the modem's AT interpreter and call-side events.
 *
 * Input: a control stream.  0x00-0x3f: the next 1-64 bytes go to the modem as DTE
 * input; 0x40-0x4f: call events (incoming, connected, failed x4, remote hangup, DTR
 * off/on, async reset, line input, busyout toggle); 0x80-0xff: advance the clock by
 * (b & 0x7f) * 250 ms.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "evloop.h"
#include "log.h"
#include "modem.h"

struct fz_line {
	size_t to_dte, to_line;
	int dial_rc;
};

static void fz_to_dte(void *ctx, const uint8_t *d, size_t n)
{
	(void)d;
	((struct fz_line *)ctx)->to_dte += n;
}

static int fz_dial(void *ctx, const char *digits)
{
	struct fz_line *l = ctx;

	if (!digits[0])
		abort();	/* the modem never dials nothing */
	l->dial_rc = !l->dial_rc ? -1 : 0;
	return l->dial_rc;
}

static void fz_tx(void *ctx, const uint8_t *d, size_t n)
{
	(void)d;
	((struct fz_line *)ctx)->to_line += n;
}

static const struct modem_ops fz_ops = { .to_dte = fz_to_dte, .dial = fz_dial,
					 .line_tx = fz_tx };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ev_loop *loop = ev_loop_new_manual(0);
	struct modem_cfg cfg = { .answer_rings = 1, .train_time = EV_SEC };
	struct fz_line line = { 0, 0, 0 };
	struct modem m;
	ev_time_t now = 0;

	if (!loop)
		return 0;
	log_reset();
	dbg_enable(DBG_MODEM, true);
	modem_init(&m, loop, 1, &cfg, &fz_ops, &line);
	modem_set_dtr(&m, true);
	for (size_t i = 0; i < size; i++) {
		uint8_t b = data[i];

		if (b < 0x40) {
			size_t n = (size_t)b + 1;

			if (n > size - i - 1)
				n = size - i - 1;
			modem_dte_input(&m, data + i + 1, n);
			i += n;
			if (m.cmd_len > MODEM_CMD_MAX)
				abort();
		} else if (b < 0x80) {
			switch (b & 0x0f) {
			case 0: modem_incoming_call(&m); break;
			case 1: modem_call_connected(&m, b & 0x10 ? 0 : 28800); break;
			case 2: case 3: case 4: case 5:
				modem_call_failed(&m, (enum modem_fail)((b & 0x0f) - 2));
				break;
			case 6: modem_remote_hangup(&m); break;
			case 7: modem_set_dtr(&m, false); break;
			case 8: modem_set_dtr(&m, true); break;
			case 9: modem_async_reset(&m); break;
			case 10: modem_line_input(&m, data, i); break;
			case 11: modem_set_busyout(&m, !m.cfg.busyout); break;
			default: break;
			}
		} else {
			now += (ev_time_t)(b & 0x7f) * 250 * EV_MSEC;
			ev_loop_step(loop, now);
		}
	}
	modem_fini(&m);
	ev_loop_free(loop);
	log_reset();
	return 0;
}
