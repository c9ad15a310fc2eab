/*
 * telco_lapd.h - network side of Q.921 (LAPD) for the simulated telco switch
 *
 * Written separately from the daemon's host/lapd.c on purpose: the two sides of
 * the D-channel must not share code, so one misreading of Q.921 cannot make both
 * wrong in the same way.  Go-back-N with modulo 128, TEI 0, SAPI 0, T200/N200,
 * T203; answers SABME/DISC, and can start the link itself.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_TELCO_LAPD_H
#define DIALBACK_SIM_TELCO_LAPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"

#define TL_MAX_INFO	260
#define TL_RING		256	/* I frames held (sent or waiting): a storm of 23 SETUPs per span
				 * is answered by 46 CALL PROCEEDING + ALERTING */

struct tl_link;

struct tl_hooks {
	int  (*tx)(void *ctx, const uint8_t *frame, size_t len);
	void (*up)(void *ctx);
	void (*down)(void *ctx);
	void (*rx)(void *ctx, const uint8_t *info, size_t len);
};

struct tl_link {
	struct ev_loop *loop;
	const struct tl_hooks *hooks;
	void *ctx;
	bool up;		/* multiple-frame established */
	bool connecting;	/* our SABME outstanding */
	bool enquiring;		/* our RR/P=1 outstanding (timer recovery) */
	bool rej_sent;
	unsigned vs, va, vr;
	unsigned tries;
	unsigned k, n200;
	ev_time_t t200_len, t203_len;
	struct ev_timer t200, t203;
	struct { uint16_t n; uint8_t b[TL_MAX_INFO]; } ring[TL_RING];
	unsigned ring_first, ring_len;	/* ring_first holds N(S) = va */
	/* counters */
	unsigned sabme_rx, i_rx, i_tx, retrans, rej_tx, drops;
};

void tl_init(struct tl_link *l, struct ev_loop *loop, const struct tl_hooks *h, void *ctx);
void tl_input(struct tl_link *l, const uint8_t *f, size_t n);
int  tl_send(struct tl_link *l, const uint8_t *info, size_t n);
void tl_connect(struct tl_link *l);	/* network-initiated SABME */
void tl_reset(struct tl_link *l);	/* forget everything, no frames (alarm) */

#endif /* DIALBACK_SIM_TELCO_LAPD_H */
