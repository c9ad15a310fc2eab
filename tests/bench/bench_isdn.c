/*
 * bench_isdn.c - PRI call setup/teardown rate: the daemon's LAPD + Q.931 call
 * control against the simulated switch, back to back in memory on a manual loop.
 * Prints figures (wall-clock CPU cost per call); asserts nothing.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "evloop.h"
#include "isdn.h"
#include "log.h"
#include "telco.h"

#define QDEPTH 512

struct bq {
	uint8_t b[QDEPTH][270];
	size_t n[QDEPTH];
	unsigned head, cnt;
};

static struct bq to_net, to_user;
static struct isdn_span span;
static struct telco_span *tspan;
static unsigned connected, cleared;

static void push(struct bq *q, const uint8_t *f, size_t n)
{
	unsigned slot = (q->head + q->cnt) % QDEPTH;

	if (q->cnt >= QDEPTH || n > sizeof(q->b[0]))
		return;
	memcpy(q->b[slot], f, n);
	q->n[slot] = n;
	q->cnt++;
}

static void pump(void)
{
	while (to_net.cnt || to_user.cnt) {
		if (to_net.cnt) {
			unsigned h = to_net.head;

			to_net.head = (h + 1) % QDEPTH;
			to_net.cnt--;
			telco_span_input(tspan, to_net.b[h], to_net.n[h]);
		}
		if (to_user.cnt) {
			unsigned h = to_user.head;

			to_user.head = (h + 1) % QDEPTH;
			to_user.cnt--;
			isdn_span_dchan_input(&span, to_user.b[h], to_user.n[h]);
		}
	}
}

static int d_send(void *ctx, struct isdn_span *s, const uint8_t *f, size_t n)
{
	(void)ctx;
	(void)s;
	push(&to_net, f, n);
	return 0;
}

static int t_send(void *ctx, const uint8_t *f, size_t n)
{
	(void)ctx;
	push(&to_user, f, n);
	return 0;
}

static int owner_token;

static int d_incoming(void *ctx, struct isdn_call *call, void **owner)
{
	(void)ctx;
	*owner = &owner_token;
	return isdn_answer(call) == 0 ? 0 : Q931_CAUSE_CALL_REJECTED;
}

static void d_connected(void *ctx, struct isdn_call *call, void *owner)
{
	(void)ctx;
	(void)call;
	(void)owner;
	connected++;
}

static void d_cleared(void *ctx, struct isdn_call *call, void *owner, uint8_t cause)
{
	(void)ctx;
	(void)call;
	(void)owner;
	(void)cause;
	cleared++;
}

static const struct isdn_span_ops ops = {
	.send_dchan = d_send, .incoming_voice = d_incoming, .connected = d_connected,
	.cleared = d_cleared,
};

int main(void)
{
	struct ev_loop *loop = ev_loop_new_manual(0);
	struct isdn_span_config cfg;
	struct telco *t = telco_new(loop, NULL);
	struct telco_sub *subs[TELCO_BCHANS];
	struct telco_sub_config sc;
	char num[16];
	ev_time_t now = 0;
	struct timespec a, b;
	const unsigned rounds = 200;
	double secs;

	isdn_span_config_default(&cfg, 0);
	isdn_span_init(&span, loop, &cfg, &ops, NULL);
	tspan = telco_add_span(t, "4084327528", t_send, NULL);
	for (unsigned i = 0; i < TELCO_BCHANS; i++) {
		snprintf(num, sizeof(num), "555%04u", i);
		telco_sub_config_default(&sc, num);
		subs[i] = telco_add_sub(t, &sc, NULL, NULL);
	}
	isdn_span_l1(&span, true);
	pump();

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (unsigned r = 0; r < rounds; r++) {
		/* fill all 23 B-channels with incoming calls, then clear them all */
		for (unsigned i = 0; i < TELCO_BCHANS; i++) {
			telco_dial(subs[i], "4084327528");
			pump();
		}
		now += 100 * EV_MSEC;
		ev_loop_step(loop, now);
		pump();
		for (unsigned i = 0; i < TELCO_BCHANS; i++) {
			telco_hangup(subs[i]);
			pump();
		}
		now += 100 * EV_MSEC;
		ev_loop_step(loop, now);
		pump();
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	secs = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
	printf("bench_isdn: %u calls connected, %u cleared on one PRI (23 B), "
	       "%.1f us CPU per call setup+clear (daemon + telco), %.0f calls/s\n",
	       connected, cleared, secs * 1e6 / (connected ? connected : 1),
	       connected / (secs > 0 ? secs : 1));
	printf("bench_isdn: LAPD I frames user->net %u, net->user %u, retransmissions %u\n",
	       span.lapd.stats.tx_i, span.lapd.stats.rx_i, span.lapd.stats.retransmissions);
	isdn_span_fini(&span);
	telco_free(t);
	ev_loop_free(loop);
	return 0;
}
