/*
 * lapd.c - Q.921 LAPD data link, user side (see lapd.h)
 *
 * Follows the Q.921 SDL for the states 4 (TEI assigned) to 8 (timer recovery) of
 * a point-to-point link with a fixed TEI.  Invalid frames are not answered with
 * FRMR (LAPD does not send it, Q.921 5.8.5); they are counted and, where the
 * Recommendation says so, the link is re-established.
 *
 * SPDX-License-Identifier: MIT
 */
#include "lapd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

/* Control field values (P/F bit clear). */
#define CTL_RR		0x01
#define CTL_RNR		0x05
#define CTL_REJ		0x09
#define CTL_SABME	0x6F
#define CTL_DM		0x0F
#define CTL_UI		0x03
#define CTL_DISC	0x43
#define CTL_UA		0x63
#define CTL_FRMR	0x87
#define CTL_XID		0xAF
#define CTL_U_PF	0x10	/* P/F bit of a U frame */

#define MOD		128

static inline uint8_t seq_add(uint8_t a, unsigned b) { return (uint8_t)((a + b) % MOD); }
static inline unsigned seq_diff(uint8_t a, uint8_t b) { return (unsigned)((a - b + MOD) % MOD); }

void lapd_config_default(struct lapd_config *cfg, const char *name)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->name = name;
	cfg->sapi = 0;
	cfg->tei = 0;
	cfg->k = 7;
	cfg->n200 = 3;
	cfg->t200 = 1 * EV_SEC;
	cfg->t203 = 10 * EV_SEC;
	cfg->retry = 5 * EV_SEC;
}

const char *lapd_state_name(enum lapd_state st)
{
	switch (st) {
	case LAPD_ST_TEI_ASSIGNED:		return "TEI_ASSIGNED";
	case LAPD_ST_AWAITING_ESTABLISHMENT:	return "AWAITING_ESTABLISHMENT";
	case LAPD_ST_AWAITING_RELEASE:		return "AWAITING_RELEASE";
	case LAPD_ST_MULTIPLE_FRAME_ESTABLISHED: return "MULTIPLE_FRAME_ESTABLISHED";
	case LAPD_ST_TIMER_RECOVERY:		return "TIMER_RECOVERY";
	}
	return "UNKNOWN";
}

/* ---- frame description for `debug isdn q921` ---------------------------------- */

void lapd_describe(char *buf, size_t size, const uint8_t *f, size_t len, bool tx)
{
	const char *name;
	bool cmd, pf;
	char kind;
	int n;

	if (!size)
		return;
	if (len < 3) {
		snprintf(buf, size, "short frame, %zu octets", len);
		return;
	}
	/* C/R: the user sends commands with 0, the network with 1. */
	cmd = ((f[0] >> 1) & 1) == (tx ? 0 : 1);
	if (!(f[2] & 1)) {
		if (len < 4) {
			snprintf(buf, size, "short I frame, %zu octets", len);
			return;
		}
		n = snprintf(buf, size, "INFO%c sapi = %u  tei = %u  ns = %u  nr = %u  i = 0x",
			     cmd ? ((f[3] & 1) ? 'p' : 'c') : 'r', (unsigned)(f[0] >> 2),
			     (unsigned)(f[1] >> 1), (unsigned)(f[2] >> 1), (unsigned)(f[3] >> 1));
		for (size_t i = 4; i < len && n > 0 && (size_t)n + 3 < size; i++)
			n += snprintf(buf + n, size - (size_t)n, "%02X", f[i]);
		return;
	}
	if ((f[2] & 3) == 1) {
		switch (f[2]) {
		case CTL_RR:	name = "RR"; break;
		case CTL_RNR:	name = "RNR"; break;
		case CTL_REJ:	name = "REJ"; break;
		default:	name = "S?"; break;
		}
		pf = len > 3 && (f[3] & 1);
		kind = cmd ? (pf ? 'p' : 'c') : (pf ? 'f' : 'r');
		snprintf(buf, size, "%s%c sapi = %u  tei = %u  nr = %u", name, kind,
			 (unsigned)(f[0] >> 2), (unsigned)(f[1] >> 1), len > 3 ? (unsigned)(f[3] >> 1) : 0u);
		return;
	}
	switch (f[2] & ~CTL_U_PF) {
	case CTL_SABME:	name = "SABME"; break;
	case CTL_DM:	name = "DM"; break;
	case CTL_UI:	name = "UI"; break;
	case CTL_DISC:	name = "DISC"; break;
	case CTL_UA:	name = "UA"; break;
	case CTL_FRMR:	name = "FRMR"; break;
	case CTL_XID:	name = "XID"; break;
	default:	name = "U?"; break;
	}
	pf = f[2] & CTL_U_PF;
	kind = cmd ? (pf ? 'p' : 'c') : (pf ? 'f' : 'r');
	snprintf(buf, size, "%s%c sapi = %u  tei = %u", name, kind, (unsigned)(f[0] >> 2),
		 (unsigned)(f[1] >> 1));
}

static void trace(struct lapd *l, const uint8_t *f, size_t len, bool tx)
{
	char desc[160];

	if (!dbg_enabled(DBG_ISDN_Q921))
		return;
	lapd_describe(desc, sizeof(desc), f, len, tx);
	dbg(DBG_ISDN_Q921, "ISDN %s: %s  %s", l->cfg.name, tx ? "TX ->" : "RX <-", desc);
}

/* ---- transmission ------------------------------------------------------------- */

static void xmit(struct lapd *l, const uint8_t *f, size_t len)
{
	trace(l, f, len, true);
	l->stats.tx_frames++;
	if (l->ops->send_frame)
		l->ops->send_frame(l->ctx, f, len);
}

static void put_addr(struct lapd *l, uint8_t *f, bool command)
{
	/* user side: C/R = 0 for commands, 1 for responses */
	f[0] = (uint8_t)((l->cfg.sapi << 2) | (command ? 0 : 2));
	f[1] = (uint8_t)((l->cfg.tei << 1) | 1);
}

static void send_u(struct lapd *l, uint8_t ctl, bool command, bool pf)
{
	uint8_t f[3];

	put_addr(l, f, command);
	f[2] = (uint8_t)(ctl | (pf ? CTL_U_PF : 0));
	xmit(l, f, 3);
}

static void send_s(struct lapd *l, uint8_t ctl, bool command, bool pf)
{
	uint8_t f[4];

	put_addr(l, f, command);
	f[2] = ctl;
	f[3] = (uint8_t)((l->vr << 1) | (pf ? 1 : 0));
	xmit(l, f, 4);
	l->ack_pending = false;
}

/* Our receive status as a supervisory frame. */
static void send_rr(struct lapd *l, bool command, bool pf)
{
	send_s(l, CTL_RR, command, pf);
}

static struct lapd_qframe *qframe(struct lapd *l, unsigned idx)
{
	return &l->queue[(l->q_head + idx) % LAPD_QUEUE_LEN];
}

static void send_i(struct lapd *l, unsigned idx, uint8_t ns, bool poll)
{
	uint8_t f[LAPD_MAX_FRAME];
	struct lapd_qframe *q = qframe(l, idx);

	put_addr(l, f, true);
	f[2] = (uint8_t)(ns << 1);
	f[3] = (uint8_t)((l->vr << 1) | (poll ? 1 : 0));
	memcpy(f + 4, q->data, q->len);
	l->stats.tx_i++;
	l->ack_pending = false;
	xmit(l, f, 4 + (size_t)q->len);
}

static void timer_start(struct lapd *l, struct ev_timer *t, ev_time_t d)
{
	ev_timer_start(l->loop, t, d);
}

static void timer_stop(struct lapd *l, struct ev_timer *t)
{
	ev_timer_stop(l->loop, t);
}

/* Send queued I frames while the window and the peer allow (state 7 only). */
static void push_queue(struct lapd *l)
{
	if (l->state != LAPD_ST_MULTIPLE_FRAME_ESTABLISHED)
		return;
	while (!l->peer_busy) {
		unsigned outstanding = seq_diff(l->vs, l->va);

		if (outstanding >= l->q_count || outstanding >= l->cfg.k)
			break;
		send_i(l, outstanding, l->vs, false);
		l->vs = seq_add(l->vs, 1);
		if (!ev_timer_active(&l->t200)) {
			timer_stop(l, &l->t203);
			timer_start(l, &l->t200, l->cfg.t200);
		}
	}
}

static void discard_queue(struct lapd *l)
{
	l->q_head = 0;
	l->q_count = 0;
}

static void clear_vars(struct lapd *l)
{
	l->vs = l->va = l->vr = 0;
	l->peer_busy = false;
	l->reject_exception = false;
	l->ack_pending = false;
}

/* ---- state changes ------------------------------------------------------------ */

static void mdl_error(struct lapd *l, char code)
{
	l->stats.mdl_errors++;
	dbg(DBG_ISDN_Q921, "ISDN %s: MDL-ERROR-IND %c in state %s", l->cfg.name, code,
	    lapd_state_name(l->state));
}

/* Establish (or re-establish) the data link: SABME, state 5. */
static void establish(struct lapd *l)
{
	discard_queue(l);
	clear_vars(l);
	l->rc = 0;
	timer_stop(l, &l->t203);
	send_u(l, CTL_SABME, true, true);
	timer_start(l, &l->t200, l->cfg.t200);
	l->state = LAPD_ST_AWAITING_ESTABLISHMENT;
}

/* Link down; if still wanted, retry after the pause (timer T200 doubles as it).
 * The owner hears DL-RELEASE only for a link that was up (it heard of one that
 * failed while re-establishing from reestablish()) or that it asked to release. */
static void go_down(struct lapd *l, bool notify)
{
	bool tell = notify && (lapd_is_up(l) || l->state == LAPD_ST_AWAITING_RELEASE);

	timer_stop(l, &l->t200);
	timer_stop(l, &l->t203);
	discard_queue(l);
	clear_vars(l);
	l->state = LAPD_ST_TEI_ASSIGNED;
	if (l->wanted && !l->release_requested)
		timer_start(l, &l->t200, l->cfg.retry);
	if (tell && l->ops->released)
		l->ops->released(l->ctx);
}

static void reestablish(struct lapd *l)
{
	bool was_up = lapd_is_up(l);

	l->stats.reestablishments++;
	establish(l);
	/* Q.931 learns that frames were lost through DL-ESTABLISH on success; a link
	 * that was up is reported down now so calls in transit are not trusted. */
	if (was_up && l->ops->released)
		l->ops->released(l->ctx);
}

static void become_established(struct lapd *l)
{
	timer_stop(l, &l->t200);
	timer_start(l, &l->t203, l->cfg.t203);
	clear_vars(l);
	l->rc = 0;
	l->state = LAPD_ST_MULTIPLE_FRAME_ESTABLISHED;
	l->stats.establishments++;
	if (l->ops->established)
		l->ops->established(l->ctx);
	push_queue(l);
}

/* ---- timers ------------------------------------------------------------------- */

static void t200_expired(struct ev_timer *t, void *arg)
{
	struct lapd *l = arg;

	(void)t;
	switch (l->state) {
	case LAPD_ST_TEI_ASSIGNED:
		/* retry pause over */
		if (l->wanted && !l->release_requested)
			establish(l);
		break;
	case LAPD_ST_AWAITING_ESTABLISHMENT:
		if (l->rc >= l->cfg.n200) {
			mdl_error(l, 'G');
			go_down(l, true);
			break;
		}
		l->rc++;
		send_u(l, CTL_SABME, true, true);
		timer_start(l, &l->t200, l->cfg.t200);
		break;
	case LAPD_ST_AWAITING_RELEASE:
		if (l->rc >= l->cfg.n200) {
			mdl_error(l, 'H');
			go_down(l, true);
			break;
		}
		l->rc++;
		send_u(l, CTL_DISC, true, true);
		timer_start(l, &l->t200, l->cfg.t200);
		break;
	case LAPD_ST_MULTIPLE_FRAME_ESTABLISHED:
		l->rc = 0;
		l->state = LAPD_ST_TIMER_RECOVERY;
		/* fall through: first enquiry */
		/* FALLTHROUGH */
	case LAPD_ST_TIMER_RECOVERY:
		if (l->rc >= l->cfg.n200) {
			mdl_error(l, 'I');
			reestablish(l);
			break;
		}
		l->rc++;
		if (l->vs != l->va && !l->peer_busy) {
			/* retransmit the last I frame sent, with P = 1 */
			unsigned idx = seq_diff(l->vs, l->va) - 1;

			l->stats.retransmissions++;
			send_i(l, idx, seq_add(l->va, idx), true);
		} else {
			send_rr(l, true, true);
		}
		timer_start(l, &l->t200, l->cfg.t200);
		break;
	}
}

static void t203_expired(struct ev_timer *t, void *arg)
{
	struct lapd *l = arg;

	(void)t;
	if (l->state != LAPD_ST_MULTIPLE_FRAME_ESTABLISHED)
		return;
	l->rc = 0;
	l->state = LAPD_ST_TIMER_RECOVERY;
	send_rr(l, true, true);
	timer_start(l, &l->t200, l->cfg.t200);
}

/* ---- owner requests ----------------------------------------------------------- */

void lapd_init(struct lapd *l, struct ev_loop *loop, const struct lapd_config *cfg,
	       const struct lapd_ops *ops, void *ctx)
{
	memset(l, 0, sizeof(*l));
	l->loop = loop;
	l->cfg = *cfg;
	if (!l->cfg.name)
		l->cfg.name = "D";
	if (l->cfg.k == 0 || l->cfg.k >= MOD)
		l->cfg.k = 7;
	if (l->cfg.k > LAPD_QUEUE_LEN)
		l->cfg.k = LAPD_QUEUE_LEN;
	if (!l->cfg.n200)
		l->cfg.n200 = 3;
	if (!l->cfg.t200)
		l->cfg.t200 = EV_SEC;
	if (!l->cfg.t203)
		l->cfg.t203 = 10 * EV_SEC;
	if (!l->cfg.retry)
		l->cfg.retry = 5 * EV_SEC;
	l->ops = ops;
	l->ctx = ctx;
	l->state = LAPD_ST_TEI_ASSIGNED;
	ev_timer_init(&l->t200, t200_expired, l);
	ev_timer_init(&l->t203, t203_expired, l);
}

void lapd_start(struct lapd *l)
{
	l->wanted = true;
	l->release_requested = false;
	if (l->state == LAPD_ST_TEI_ASSIGNED)
		establish(l);
}

void lapd_stop(struct lapd *l)
{
	bool notify = l->state != LAPD_ST_TEI_ASSIGNED;

	l->wanted = false;
	go_down(l, notify);
}

void lapd_release(struct lapd *l)
{
	l->release_requested = true;
	switch (l->state) {
	case LAPD_ST_MULTIPLE_FRAME_ESTABLISHED:
	case LAPD_ST_TIMER_RECOVERY:
	case LAPD_ST_AWAITING_ESTABLISHMENT:
		discard_queue(l);
		timer_stop(l, &l->t203);
		l->rc = 0;
		send_u(l, CTL_DISC, true, true);
		timer_start(l, &l->t200, l->cfg.t200);
		l->state = LAPD_ST_AWAITING_RELEASE;
		break;
	case LAPD_ST_TEI_ASSIGNED:
		timer_stop(l, &l->t200);
		break;
	case LAPD_ST_AWAITING_RELEASE:
		break;
	}
}

int lapd_send(struct lapd *l, const uint8_t *data, size_t len)
{
	struct lapd_qframe *q;

	if (len > LAPD_N201)
		return -EMSGSIZE;
	if (l->state == LAPD_ST_TEI_ASSIGNED || l->state == LAPD_ST_AWAITING_RELEASE)
		return -ENOTCONN;
	if (l->q_count >= LAPD_QUEUE_LEN) {
		l->stats.queue_full++;
		return -ENOBUFS;
	}
	q = qframe(l, l->q_count);
	memcpy(q->data, data, len);
	q->len = (uint16_t)len;
	l->q_count++;
	push_queue(l);
	return 0;
}

int lapd_send_ui(struct lapd *l, const uint8_t *data, size_t len)
{
	uint8_t f[LAPD_MAX_FRAME];

	if (len > LAPD_N201)
		return -EMSGSIZE;
	put_addr(l, f, true);
	f[2] = CTL_UI;
	memcpy(f + 3, data, len);
	xmit(l, f, len + 3);
	return 0;
}

/* ---- reception ---------------------------------------------------------------- */

/* V(A) <= nr <= V(S)? */
static bool nr_valid(const struct lapd *l, uint8_t nr)
{
	return seq_diff(nr, l->va) <= seq_diff(l->vs, l->va);
}

/* Frames up to nr are acknowledged: drop them from the queue. */
static void ack_to(struct lapd *l, uint8_t nr)
{
	unsigned n = seq_diff(nr, l->va);

	if (n > l->q_count)
		n = l->q_count;
	l->q_head = (l->q_head + n) % LAPD_QUEUE_LEN;
	l->q_count -= n;
	l->va = nr;
}

/* N(R) handling of state 7 (Q.921 figure: "N(R) check" + T200/T203 rules). */
static void nr_state7(struct lapd *l, uint8_t nr)
{
	if (nr == l->vs) {
		ack_to(l, nr);
		timer_stop(l, &l->t200);
		timer_start(l, &l->t203, l->cfg.t203);
	} else if (nr != l->va) {
		ack_to(l, nr);
		timer_start(l, &l->t200, l->cfg.t200);
	}
}

/* Retransmit from V(A): "invoke retransmission". */
static void retransmit_from(struct lapd *l, uint8_t nr)
{
	l->stats.retransmissions += seq_diff(l->vs, nr);
	l->vs = nr;
}

static void rx_u(struct lapd *l, uint8_t ctl, bool cmd, bool pf, const uint8_t *info, size_t ilen)
{
	switch (ctl) {
	case CTL_SABME:
		if (!cmd || ilen)
			goto bad;
		switch (l->state) {
		case LAPD_ST_TEI_ASSIGNED:
			if (!l->wanted || l->release_requested) {
				send_u(l, CTL_DM, false, pf);
				return;
			}
			send_u(l, CTL_UA, false, pf);
			become_established(l);
			return;
		case LAPD_ST_AWAITING_ESTABLISHMENT:
			/* collision: answer and wait for our UA */
			send_u(l, CTL_UA, false, pf);
			return;
		case LAPD_ST_AWAITING_RELEASE:
			send_u(l, CTL_DM, false, pf);
			return;
		case LAPD_ST_MULTIPLE_FRAME_ESTABLISHED:
		case LAPD_ST_TIMER_RECOVERY:
			/* peer reset the link: frames in flight are lost */
			send_u(l, CTL_UA, false, pf);
			mdl_error(l, 'F');
			discard_queue(l);
			l->stats.reestablishments++;
			become_established(l);
			return;
		}
		return;
	case CTL_DISC:
		if (!cmd || ilen)
			goto bad;
		switch (l->state) {
		case LAPD_ST_TEI_ASSIGNED:
		case LAPD_ST_AWAITING_ESTABLISHMENT:
			send_u(l, CTL_DM, false, pf);
			return;
		case LAPD_ST_AWAITING_RELEASE:
			send_u(l, CTL_UA, false, pf);
			return;
		case LAPD_ST_MULTIPLE_FRAME_ESTABLISHED:
		case LAPD_ST_TIMER_RECOVERY:
			send_u(l, CTL_UA, false, pf);
			go_down(l, true);
			return;
		}
		return;
	case CTL_UA:
		if (cmd || ilen)
			goto bad;
		if (l->state == LAPD_ST_AWAITING_ESTABLISHMENT && pf) {
			become_established(l);
		} else if (l->state == LAPD_ST_AWAITING_RELEASE && pf) {
			l->wanted = false;
			go_down(l, true);
		} else {
			mdl_error(l, pf ? 'C' : 'D');
		}
		return;
	case CTL_DM:
		if (cmd || ilen)
			goto bad;
		switch (l->state) {
		case LAPD_ST_AWAITING_ESTABLISHMENT:
			if (pf)
				go_down(l, true);	/* peer refuses: retry later */
			return;
		case LAPD_ST_AWAITING_RELEASE:
			if (pf) {
				l->wanted = false;
				go_down(l, true);
			}
			return;
		case LAPD_ST_MULTIPLE_FRAME_ESTABLISHED:
		case LAPD_ST_TIMER_RECOVERY:
			mdl_error(l, pf ? 'B' : 'E');
			if (!pf || l->state == LAPD_ST_TIMER_RECOVERY)
				reestablish(l);
			return;
		case LAPD_ST_TEI_ASSIGNED:
			/* DM F=0 asks us to establish */
			if (!pf && l->wanted && !l->release_requested)
				establish(l);
			return;
		}
		return;
	case CTL_FRMR:
		if (cmd)
			goto bad;
		if (lapd_is_up(l)) {
			mdl_error(l, 'K');
			reestablish(l);
		}
		return;
	case CTL_UI:
		if (!cmd)
			goto bad;
		if (l->ops->unitdata_ind)
			l->ops->unitdata_ind(l->ctx, info, ilen);
		return;
	case CTL_XID:
		return;	/* not used on a PRI; ignored */
	default:
		goto bad;
	}
bad:
	l->stats.rx_bad++;
	if (lapd_is_up(l)) {
		mdl_error(l, 'L');
		reestablish(l);
	}
}

static void rx_s(struct lapd *l, uint8_t ctl, bool cmd, bool pf, uint8_t nr)
{
	if (!lapd_is_up(l))
		return;
	if (ctl == CTL_RNR)
		l->peer_busy = true;
	else
		l->peer_busy = false;

	if (cmd && pf)
		send_rr(l, false, true);	/* enquiry response */
	else if (!cmd && pf && l->state == LAPD_ST_MULTIPLE_FRAME_ESTABLISHED)
		mdl_error(l, 'A');

	if (!nr_valid(l, nr)) {
		mdl_error(l, 'J');
		reestablish(l);
		return;
	}

	if (l->state == LAPD_ST_TIMER_RECOVERY) {
		ack_to(l, nr);
		if (!cmd && pf) {
			/* answer to our enquiry: resume (a busy peer is polled again) */
			timer_stop(l, &l->t200);
			timer_start(l, &l->t203, l->cfg.t203);
			retransmit_from(l, nr);
			l->state = LAPD_ST_MULTIPLE_FRAME_ESTABLISHED;
			if (l->peer_busy) {
				timer_stop(l, &l->t203);
				timer_start(l, &l->t200, l->cfg.t200);
			}
			push_queue(l);
		}
		return;
	}

	switch (ctl) {
	case CTL_RR:
		nr_state7(l, nr);
		break;
	case CTL_REJ:
		ack_to(l, nr);
		timer_stop(l, &l->t200);
		timer_start(l, &l->t203, l->cfg.t203);
		retransmit_from(l, nr);
		break;
	case CTL_RNR:
		ack_to(l, nr);
		timer_stop(l, &l->t203);
		timer_start(l, &l->t200, l->cfg.t200);
		break;
	}
	push_queue(l);
}

static void rx_i(struct lapd *l, bool cmd, uint8_t ns, bool p, uint8_t nr,
		 const uint8_t *info, size_t ilen)
{
	bool deliver = false;

	if (!cmd || ilen > LAPD_N201) {
		l->stats.rx_bad++;
		if (lapd_is_up(l)) {
			mdl_error(l, 'L');
			reestablish(l);
		}
		return;
	}
	if (!lapd_is_up(l))
		return;	/* Q.921: discard in states 4-6 (DM/SABME handled elsewhere) */

	l->stats.rx_i++;
	if (ns == l->vr) {
		l->vr = seq_add(l->vr, 1);
		l->reject_exception = false;
		deliver = true;
		if (p)
			send_rr(l, false, true);
		else
			l->ack_pending = true;
	} else {
		l->stats.rx_out_of_seq++;
		if (!l->reject_exception) {
			l->reject_exception = true;
			send_s(l, CTL_REJ, false, p);
		} else if (p) {
			send_rr(l, false, true);
		}
	}

	if (!nr_valid(l, nr)) {
		mdl_error(l, 'J');
		reestablish(l);
		return;
	}
	if (l->state == LAPD_ST_TIMER_RECOVERY) {
		ack_to(l, nr);
	} else if (!l->peer_busy) {
		nr_state7(l, nr);
	} else {
		ack_to(l, nr);
	}

	if (deliver && l->ops->data_ind)
		l->ops->data_ind(l->ctx, info, ilen);
	/* no I frame carried the acknowledgement: send RR */
	if (l->ack_pending && lapd_is_up(l))
		send_rr(l, false, false);
	push_queue(l);
}

void lapd_input(struct lapd *l, const uint8_t *f, size_t len)
{
	bool cmd;
	uint8_t sapi, tei;

	if (!f || len < 3 || (f[0] & 1) || !(f[1] & 1)) {
		l->stats.rx_bad++;
		return;
	}
	sapi = f[0] >> 2;
	tei = f[1] >> 1;
	if (sapi != l->cfg.sapi || tei != l->cfg.tei) {
		l->stats.rx_bad++;	/* not ours (TEI management is not used on a PRI) */
		return;
	}
	l->stats.rx_frames++;
	trace(l, f, len, false);
	cmd = (f[0] >> 1) & 1;	/* network commands carry C/R = 1 */

	if (!(f[2] & 1)) {
		if (len < 4) {
			l->stats.rx_bad++;
			return;
		}
		rx_i(l, cmd, f[2] >> 1, f[3] & 1, f[3] >> 1, f + 4, len - 4);
	} else if ((f[2] & 3) == 1) {
		if (len != 4 || (f[2] & 0xF0)) {
			l->stats.rx_bad++;
			if (lapd_is_up(l)) {
				mdl_error(l, 'N');
				reestablish(l);
			}
			return;
		}
		rx_s(l, f[2], cmd, f[3] & 1, f[3] >> 1);
	} else {
		rx_u(l, (uint8_t)(f[2] & ~CTL_U_PF), cmd, f[2] & CTL_U_PF, f + 3, len - 3);
	}
}
