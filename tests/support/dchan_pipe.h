/*
 * dchan_pipe.h - an in-memory D-channel between the daemon's LAPD and the telco's,
 * for tests on a manual event loop
 *
 * Frames are queued, never delivered from inside a send (both LAPD ends would
 * otherwise re-enter each other), and handed over by dpipe_run(); a drop hook
 * loses frames on purpose.  Header-only (static inline) so that it adds nothing
 * to the tests that do not include it.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_TEST_DCHAN_PIPE_H
#define DIALBACK_TEST_DCHAN_PIPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "evloop.h"

#define DPIPE_USER_TO_NET	0
#define DPIPE_NET_TO_USER	1
#define DPIPE_DEPTH		256
#define DPIPE_MAX_FRAME		300

struct dpipe {
	struct {
		uint8_t  b[DPIPE_MAX_FRAME];
		size_t   n;
	} q[2][DPIPE_DEPTH];
	unsigned head[2], cnt[2];
	/* receivers: [0] is the network side, [1] the user side */
	void (*deliver[2])(void *ctx, const uint8_t *f, size_t n);
	void *ctx[2];
	/* return true to lose the frame */
	bool (*drop)(void *ctx, int dir, const uint8_t *f, size_t n);
	void *drop_ctx;
	unsigned sent[2], dropped[2];
	/* a copy of every frame sent, per direction, for byte checks */
	uint8_t  last[2][DPIPE_MAX_FRAME];
	size_t   last_n[2];
};

static inline void dpipe_init(struct dpipe *p)
{
	memset(p, 0, sizeof(*p));
}

static inline int dpipe_push(struct dpipe *p, int dir, const uint8_t *f, size_t n)
{
	unsigned slot;

	if (n > DPIPE_MAX_FRAME || p->cnt[dir] >= DPIPE_DEPTH)
		return -1;
	p->sent[dir]++;
	memcpy(p->last[dir], f, n);
	p->last_n[dir] = n;
	if (p->drop && p->drop(p->drop_ctx, dir, f, n)) {
		p->dropped[dir]++;
		return 0;
	}
	slot = (p->head[dir] + p->cnt[dir]) % DPIPE_DEPTH;
	memcpy(p->q[dir][slot].b, f, n);
	p->q[dir][slot].n = n;
	p->cnt[dir]++;
	return 0;
}

/* send_frame callbacks: ctx is the pipe */
static inline int dpipe_send_user(void *ctx, const uint8_t *f, size_t n)
{
	return dpipe_push(ctx, DPIPE_USER_TO_NET, f, n);
}

static inline int dpipe_send_net(void *ctx, const uint8_t *f, size_t n)
{
	return dpipe_push(ctx, DPIPE_NET_TO_USER, f, n);
}

/* Deliver until both directions are empty (bounded: a livelock fails the test). */
static inline unsigned dpipe_run(struct dpipe *p)
{
	unsigned delivered = 0;

	while ((p->cnt[0] || p->cnt[1]) && delivered < 100000) {
		for (int dir = 0; dir < 2; dir++) {
			uint8_t f[DPIPE_MAX_FRAME];
			size_t n;

			if (!p->cnt[dir])
				continue;
			n = p->q[dir][p->head[dir]].n;
			memcpy(f, p->q[dir][p->head[dir]].b, n);
			p->head[dir] = (p->head[dir] + 1) % DPIPE_DEPTH;
			p->cnt[dir]--;
			if (p->deliver[dir])
				p->deliver[dir](p->ctx[dir], f, n);
			delivered++;
		}
	}
	return delivered;
}

/* Advance the manual clock to `until` in `step` increments, moving frames. */
static inline void dpipe_settle(struct ev_loop *loop, struct dpipe *p, ev_time_t until,
				ev_time_t step)
{
	ev_time_t t = ev_now(loop);

	dpipe_run(p);
	while (t < until) {
		t = t + step > until ? until : t + step;
		ev_loop_step(loop, t);
		dpipe_run(p);
	}
}

#endif /* DIALBACK_TEST_DCHAN_PIPE_H */
