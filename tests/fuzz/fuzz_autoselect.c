/*
 * fuzz_autoselect.c - libFuzzer target: autoselect's PPP sampler and login prompt.
 *
 * Input: byte 0 selects the configuration (bit 0 during-login, bit 1 ppp, bit 2
 * ppp_on_flag, bit 3 pending checks); then a control stream: 0x00-0x3f delivers the
 * next 1-64 bytes, 0x40 answers a pending check yes, 0x41 no, 0x42 restarts,
 * 0x80-0xff advances the clock by (b & 0x7f) seconds.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "autoselect.h"
#include "evloop.h"
#include "log.h"

struct fz_as {
	int pending;
	unsigned ends;
};

static void fz_to_dte(void *ctx, const uint8_t *d, size_t n) { (void)ctx; (void)d; (void)n; }

static int fz_check(void *ctx, const char *user, const char *pass)
{
	struct fz_as *f = ctx;

	if (strlen(user) > AUTOSELECT_FIELD_MAX || strlen(pass) > AUTOSELECT_FIELD_MAX)
		abort();
	if (f->pending)
		return 1;
	return strcmp(user, "u") || strcmp(pass, "p") ? -1 : 0;
}

static void fz_ppp(void *ctx, const uint8_t *s, size_t n)
{
	if (!n || n > AUTOSELECT_SAMPLE_MAX || s[0] != 0x7e)
		abort();
	((struct fz_as *)ctx)->ends++;
}

static void fz_login(void *ctx, const char *user) { (void)user; ((struct fz_as *)ctx)->ends++; }
static void fz_fail(void *ctx, enum autoselect_fail why) { (void)why; ((struct fz_as *)ctx)->ends++; }

static const struct autoselect_ops fz_ops = { .to_dte = fz_to_dte, .check = fz_check,
					      .ppp = fz_ppp, .login = fz_login,
					      .fail = fz_fail };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ev_loop *loop;
	struct autoselect as;
	struct autoselect_cfg cfg = { 0 };
	struct fz_as f = { 0, 0 };
	ev_time_t now = 0;

	if (!size)
		return 0;
	loop = ev_loop_new_manual(0);
	if (!loop)
		return 0;
	log_reset();
	dbg_enable(DBG_MODEM, true);
	cfg.during_login = data[0] & 1;
	cfg.ppp = data[0] & 2;
	cfg.ppp_on_flag = data[0] & 4;
	f.pending = data[0] & 8;
	autoselect_init(&as, loop, 1, &cfg, &fz_ops, &f);
	autoselect_start(&as);
	for (size_t i = 1; i < size; i++) {
		uint8_t b = data[i];

		if (b < 0x40) {
			size_t n = (size_t)b + 1, used;

			if (n > size - i - 1)
				n = size - i - 1;
			used = autoselect_input(&as, data + i + 1, n);
			if (used > n)
				abort();
			i += n;
		} else if (b == 0x40 || b == 0x41) {
			autoselect_check_result(&as, b == 0x40);
		} else if (b == 0x42) {
			autoselect_start(&as);
		} else if (b >= 0x80) {
			now += (ev_time_t)(b & 0x7f) * EV_SEC;
			ev_loop_step(loop, now);
		}
	}
	autoselect_stop(&as);
	ev_loop_free(loop);
	log_reset();
	return 0;
}
