/*
 * bench_chat.c - figures for the line layer: N lines running the seed's offhook +
 * callback chat scripts at once against their modems (simulated time), and the
 * chat engine's input rate while it waits for CONNECT among modem noise.
 * Prints figures only; asserts nothing.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chat.h"
#include "evloop.h"
#include "log.h"
#include "modem.h"

#define NLINES 500

struct bline {
	struct modem m;
	struct chat_run chat;
	const struct chat_registry *reg;
	int done, status;
};

static void b_to_dte(void *ctx, const uint8_t *d, size_t n)
{
	struct bline *l = ctx;

	if (chat_run_active(&l->chat))
		chat_input(&l->chat, d, n);
}

static int b_dial(void *ctx, const char *digits) { (void)ctx; (void)digits; return 0; }
static int b_write(void *ctx, const uint8_t *d, size_t n)
{
	modem_dte_input(&((struct bline *)ctx)->m, d, n);
	return 0;
}
static void b_dtr(void *ctx, bool on) { modem_set_dtr(&((struct bline *)ctx)->m, on); }
static void b_done(void *ctx, int status, const char *a)
{
	struct bline *l = ctx;

	(void)a;
	l->done++;
	l->status = status;
	if (l->done == 1 && status == 0)
		chat_run_start_match(&l->chat, l->reg, "callback", "527-9651");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	static const struct modem_ops mops = { .to_dte = b_to_dte, .dial = b_dial };
	static const struct chat_ops cops = { .write = b_write, .set_dtr = b_dtr, .done = b_done };
	struct ev_loop *loop = ev_loop_new_manual(0);
	struct chat_registry reg;
	struct bline *lines = calloc(NLINES, sizeof(*lines));
	struct modem_cfg cfg = { .answer_rings = 1 };
	double t0, t1, t2;
	int ok = 0;
	uint8_t noise[4096];
	size_t total = 0;

	if (!loop || !lines || chat_registry_init(&reg))
		return 1;
	log_reset();
	for (int i = 0; i < NLINES; i++) {
		lines[i].reg = &reg;
		modem_init(&lines[i].m, loop, (unsigned)i + 1, &cfg, &mops, &lines[i]);
		chat_run_init(&lines[i].chat, loop, (unsigned)i + 1, &cops, &lines[i]);
	}
	t0 = now_s();
	for (int i = 0; i < NLINES; i++)
		chat_run_start_match(&lines[i].chat, &reg, "offhook", NULL);
	ev_loop_step(loop, 5 * EV_SEC);
	for (int i = 0; i < NLINES; i++)
		modem_call_connected(&lines[i].m, 0);
	ev_loop_step(loop, 6 * EV_SEC);
	t1 = now_s();
	for (int i = 0; i < NLINES; i++)
		ok += lines[i].done == 2 && lines[i].status == 0;
	printf("lines %d: offhook+callback scripts, %d succeeded, %.1f us per line "
	       "(timers active after: %zu)\n", NLINES, ok, (t1 - t0) * 1e6 / NLINES,
	       ev_loop_timer_count(loop));

	/* Input rate of one expect among noise that never matches. */
	for (size_t i = 0; i < sizeof(noise); i++)
		noise[i] = (uint8_t)('a' + i % 26);
	chat_run_start_match(&lines[0].chat, &reg, "callback", "5551212");
	chat_input(&lines[0].chat, (const uint8_t *)"OK\r\n", 4);	/* -> expecting CONNECT */
	t1 = now_s();
	for (int k = 0; k < 2000; k++) {
		chat_input(&lines[0].chat, noise, 256);
		total += 256;
	}
	t2 = now_s();
	printf("chat_input while expecting CONNECT (2 ABORT strings): %.1f MB/s\n",
	       (double)total / (t2 - t1) / 1e6);

	for (int i = 0; i < NLINES; i++) {
		chat_run_cancel(&lines[i].chat);
		modem_fini(&lines[i].m);
	}
	chat_registry_clear(&reg);
	ev_loop_free(loop);
	free(lines);
	return 0;
}
