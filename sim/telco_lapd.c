/*
 * telco_lapd.c - network side of Q.921 for the simulated switch (see telco_lapd.h)
 *
 * Address octet 1: SAPI << 2 | C/R << 1 | 0; octet 2: TEI << 1 | 1.  The network
 * marks its commands with C/R = 1 and its responses with C/R = 0; the user the
 * other way round.
 *
 * SPDX-License-Identifier: MIT
 */
#include "telco_lapd.h"

#include <errno.h>
#include <string.h>

enum { F_I, F_RR, F_RNR, F_REJ, F_SABME, F_DM, F_UI, F_DISC, F_UA, F_FRMR, F_OTHER };

static unsigned m128(unsigned v) { return v & 127u; }

static void emit(struct tl_link *l, const uint8_t *b, size_t n)
{
	if (l->hooks->tx)
		l->hooks->tx(l->ctx, b, n);
}

/* Network: a command has C/R = 1. */
static void hdr(uint8_t *b, bool command)
{
	b[0] = command ? 0x02 : 0x00;	/* SAPI 0 */
	b[1] = 0x01;			/* TEI 0, EA */
}

static void unnumbered(struct tl_link *l, uint8_t base, bool command, bool pf)
{
	uint8_t b[3];

	hdr(b, command);
	b[2] = (uint8_t)(base | (pf ? 0x10 : 0));
	emit(l, b, 3);
}

static void supervisory(struct tl_link *l, uint8_t base, bool command, bool pf)
{
	uint8_t b[4];

	hdr(b, command);
	b[2] = base;
	b[3] = (uint8_t)(l->vr << 1 | (pf ? 1u : 0u));
	emit(l, b, 4);
}

static void iframe(struct tl_link *l, unsigned slot, unsigned ns, bool poll)
{
	uint8_t b[4 + TL_MAX_INFO];
	unsigned idx = (l->ring_first + slot) % TL_RING;

	hdr(b, true);
	b[2] = (uint8_t)(ns << 1);
	b[3] = (uint8_t)(l->vr << 1 | (poll ? 1u : 0u));
	memcpy(b + 4, l->ring[idx].b, l->ring[idx].n);
	l->i_tx++;
	emit(l, b, 4u + l->ring[idx].n);
}

static void arm(struct tl_link *l, struct ev_timer *t, ev_time_t d)
{
	ev_timer_start(l->loop, t, d);
}

static void disarm(struct tl_link *l, struct ev_timer *t)
{
	ev_timer_stop(l->loop, t);
}

static unsigned in_flight(const struct tl_link *l)
{
	return m128(l->vs - l->va);
}

/* Send whatever the window allows. */
static void pump(struct tl_link *l)
{
	if (!l->up || l->enquiring)
		return;
	while (in_flight(l) < l->ring_len && in_flight(l) < l->k) {
		iframe(l, in_flight(l), l->vs, false);
		l->vs = m128(l->vs + 1);
		disarm(l, &l->t203);
		if (!ev_timer_active(&l->t200))
			arm(l, &l->t200, l->t200_len);
	}
}

/* Acknowledge up to nr.  false when nr is outside [va, vs]. */
static bool take_ack(struct tl_link *l, unsigned nr)
{
	unsigned n = m128(nr - l->va);

	if (n > in_flight(l))
		return false;
	if (n > l->ring_len)
		n = l->ring_len;
	l->ring_first = (l->ring_first + n) % TL_RING;
	l->ring_len -= n;
	l->va = nr;
	if (n) {
		l->tries = 0;
		if (l->va == l->vs) {
			disarm(l, &l->t200);
			arm(l, &l->t203, l->t203_len);
		} else {
			arm(l, &l->t200, l->t200_len);
		}
	}
	return true;
}

static void zero(struct tl_link *l)
{
	l->vs = l->va = l->vr = 0;
	l->tries = 0;
	l->enquiring = false;
	l->rej_sent = false;
}

static void drop_link(struct tl_link *l)
{
	bool was = l->up;

	l->up = false;
	l->connecting = false;
	disarm(l, &l->t200);
	disarm(l, &l->t203);
	l->ring_first = l->ring_len = 0;
	zero(l);
	if (was && l->hooks->down)
		l->hooks->down(l->ctx);
}

static void link_up(struct tl_link *l)
{
	bool was = l->up;

	zero(l);
	l->ring_first = l->ring_len = 0;
	l->up = true;
	l->connecting = false;
	disarm(l, &l->t200);
	arm(l, &l->t203, l->t203_len);
	(void)was;
	if (l->hooks->up)
		l->hooks->up(l->ctx);
}

static void on_t200(struct ev_timer *t, void *arg)
{
	struct tl_link *l = arg;

	(void)t;
	if (l->connecting) {
		if (++l->tries > l->n200) {
			drop_link(l);
			return;
		}
		unnumbered(l, 0x6F, true, true);
		arm(l, &l->t200, l->t200_len);
		return;
	}
	if (!l->up)
		return;
	if (++l->tries > l->n200) {
		/* peer silent: start over with our own SABME */
		drop_link(l);
		tl_connect(l);
		return;
	}
	l->enquiring = true;
	supervisory(l, 0x01, true, true);
	arm(l, &l->t200, l->t200_len);
}

static void on_t203(struct ev_timer *t, void *arg)
{
	struct tl_link *l = arg;

	(void)t;
	if (!l->up)
		return;
	l->tries = 0;
	l->enquiring = true;
	supervisory(l, 0x01, true, true);
	arm(l, &l->t200, l->t200_len);
}

void tl_init(struct tl_link *l, struct ev_loop *loop, const struct tl_hooks *h, void *ctx)
{
	memset(l, 0, sizeof(*l));
	l->loop = loop;
	l->hooks = h;
	l->ctx = ctx;
	l->k = 7;
	l->n200 = 3;
	l->t200_len = EV_SEC;
	l->t203_len = 10 * EV_SEC;
	ev_timer_init(&l->t200, on_t200, l);
	ev_timer_init(&l->t203, on_t203, l);
}

void tl_reset(struct tl_link *l)
{
	drop_link(l);
}

void tl_connect(struct tl_link *l)
{
	if (l->up)
		return;
	l->connecting = true;
	l->tries = 0;
	unnumbered(l, 0x6F, true, true);
	arm(l, &l->t200, l->t200_len);
}

int tl_send(struct tl_link *l, const uint8_t *info, size_t n)
{
	unsigned idx;

	if (!l->up)
		return -ENOTCONN;
	if (n > TL_MAX_INFO)
		return -EMSGSIZE;
	if (l->ring_len >= TL_RING)
		return -ENOBUFS;
	idx = (l->ring_first + l->ring_len) % TL_RING;
	memcpy(l->ring[idx].b, info, n);
	l->ring[idx].n = (uint16_t)n;
	l->ring_len++;
	pump(l);
	return 0;
}

static int classify(const uint8_t *f, size_t n)
{
	if (!(f[2] & 1))
		return n >= 4 ? F_I : F_OTHER;
	if ((f[2] & 3) == 1) {
		if (n != 4)
			return F_OTHER;
		switch (f[2]) {
		case 0x01: return F_RR;
		case 0x05: return F_RNR;
		case 0x09: return F_REJ;
		}
		return F_OTHER;
	}
	switch (f[2] & 0xEF) {
	case 0x6F: return F_SABME;
	case 0x0F: return F_DM;
	case 0x03: return F_UI;
	case 0x43: return F_DISC;
	case 0x63: return F_UA;
	case 0x87: return F_FRMR;
	}
	return F_OTHER;
}

void tl_input(struct tl_link *l, const uint8_t *f, size_t n)
{
	bool user_cmd, pf;
	int kind;

	if (n < 3 || (f[0] >> 2) != 0 || (f[1] >> 1) != 0 || (f[0] & 1) || !(f[1] & 1)) {
		l->drops++;
		return;
	}
	user_cmd = !(f[0] & 0x02);	/* the user's commands carry C/R = 0 */
	kind = classify(f, n);
	pf = kind == F_I || kind == F_RR || kind == F_RNR || kind == F_REJ ? (f[3] & 1) : (f[2] & 0x10);

	switch (kind) {
	case F_SABME:
		l->sabme_rx++;
		unnumbered(l, 0x63, false, pf);	/* UA */
		link_up(l);
		pump(l);
		return;
	case F_DISC:
		unnumbered(l, l->up ? 0x63 : 0x0F, false, pf);
		drop_link(l);
		return;
	case F_UA:
		if (l->connecting)
			link_up(l);
		return;
	case F_DM:
		if (l->connecting && pf) {
			l->connecting = false;
			disarm(l, &l->t200);
		} else if (l->up && !pf) {
			drop_link(l);
			tl_connect(l);
		}
		return;
	case F_FRMR:
		if (l->up) {
			drop_link(l);
			tl_connect(l);
		}
		return;
	case F_UI:
		if (l->hooks->rx)
			l->hooks->rx(l->ctx, f + 3, n - 3);
		return;
	case F_OTHER:
		l->drops++;
		return;
	default:
		break;
	}

	if (!l->up) {
		/* I or S frame on a link we do not have: ask for establishment */
		if (user_cmd)
			unnumbered(l, 0x0F, false, pf);
		return;
	}

	if (kind == F_I) {
		unsigned ns = f[2] >> 1;
		bool fresh = ns == l->vr;

		l->i_rx++;
		if (fresh) {
			l->vr = m128(l->vr + 1);
			l->rej_sent = false;
		}
		if (!take_ack(l, f[3] >> 1)) {
			drop_link(l);
			tl_connect(l);
			return;
		}
		if (fresh) {
			if (l->hooks->rx)
				l->hooks->rx(l->ctx, f + 4, n - 4);
			if (!l->up)
				return;
			/* acknowledge unless an I frame we just sent carried it */
			supervisory(l, 0x01, false, pf);
		} else if (!l->rej_sent) {
			l->rej_sent = true;
			l->rej_tx++;
			supervisory(l, 0x09, false, pf);
		} else if (pf) {
			supervisory(l, 0x01, false, true);
		}
		pump(l);
		return;
	}

	/* RR / RNR / REJ */
	if (user_cmd && pf)
		supervisory(l, 0x01, false, true);
	if (!take_ack(l, f[3] >> 1)) {
		drop_link(l);
		tl_connect(l);
		return;
	}
	if ((!user_cmd && pf && l->enquiring) || kind == F_REJ) {
		/* answer to our poll, or a reject: go back to N(R) */
		l->enquiring = false;
		l->retrans += in_flight(l);
		l->vs = l->va;
		l->tries = 0;
		disarm(l, &l->t200);
		arm(l, &l->t203, l->t203_len);
	}
	pump(l);
}
