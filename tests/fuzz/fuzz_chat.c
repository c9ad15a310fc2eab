/*
 * fuzz_chat.c - libFuzzer target: the chat script compiler, then the engine running
 * the compiled script against random modem input and random time steps.
 *
 * Input: script text up to the first NUL; after it, a control stream: a byte with
 * the top bit set advances the clock by (b & 0x7f) * 100 ms, 0x00-0x0f delivers the
 * next 1-16 bytes as modem input, 0x10 drops carrier, others restart the script.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "evloop.h"
#include "log.h"

struct fuzz_line {
	size_t written;
	unsigned done;
};

static int fz_write(void *ctx, const uint8_t *d, size_t n)
{
	struct fuzz_line *l = ctx;

	(void)d;
	l->written += n;
	return 0;
}

static void fz_dtr(void *ctx, bool on) { (void)ctx; (void)on; }
static void fz_break(void *ctx) { (void)ctx; }

static void fz_done(void *ctx, int status, const char *abort_str)
{
	struct fuzz_line *l = ctx;

	if (status < 0 || (status >= CHAT_EXIT_ABORT_BASE && !abort_str))
		abort();
	l->done++;
}

static const struct chat_ops fz_ops = {
	.write = fz_write, .set_dtr = fz_dtr, .send_break = fz_break, .done = fz_done,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	char *text = malloc(tlen + 1);
	struct chat_script *s = NULL;
	struct fuzz_line line = { 0, 0 };
	struct chat_run run;
	struct ev_loop *loop;
	ev_time_t now = 0;
	char err[128];
	int col;
	unsigned starts = 1;

	if (!text)
		return 0;
	memcpy(text, data, tlen);
	text[tlen] = '\0';
	log_reset();
	dbg_enable(DBG_CHAT, true);	/* exercise the debug formatting (no sinks) */
	if (chat_script_compile("fuzz", text, &s, err, sizeof(err), &col)) {
		if (s || col < -1 || col > (int)tlen + 4096)
			abort();
		free(text);
		return 0;
	}
	free(text);
	loop = ev_loop_new_manual(0);
	if (!loop) {
		chat_script_free(s);
		return 0;
	}
	chat_run_init(&run, loop, 1, &fz_ops, &line);
	chat_run_start(&run, s, "527-9651");
	for (size_t i = tlen + 1; i < size; i++) {
		uint8_t b = data[i];

		if (b & 0x80) {
			now += (ev_time_t)(b & 0x7f) * 100 * EV_MSEC;
			ev_loop_step(loop, now);
		} else if (b < 0x10) {
			size_t n = (size_t)b + 1;

			if (n > size - i - 1)
				n = size - i - 1;
			chat_input(&run, data + i + 1, n);
			i += n;
		} else if (b == 0x10) {
			chat_carrier_drop(&run);
		} else if (!chat_run_active(&run) && starts < 8) {
			starts++;
			chat_run_start(&run, s, NULL);
		}
	}
	/* Let every pending timer run out: each run must finish. */
	for (int k = 0; k < 100000 && chat_run_active(&run); k++) {
		ev_time_t next = ev_loop_next_due(loop);

		if (next == EV_NEVER)
			abort();	/* an active run with no timer would hang the line */
		ev_loop_step(loop, next);
	}
	if (chat_run_active(&run))
		abort();
	chat_run_cancel(&run);
	ev_loop_free(loop);
	chat_script_free(s);
	log_reset();
	return 0;
}
