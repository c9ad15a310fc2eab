/*
 * telco.c - the simulated switch: PRI network side and subscriber routing (see telco.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "telco.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "telco_q931.h"

/* network-side call states (Q.931 N-states) */
enum nstate { N0 = 0, N1 = 1, N3 = 3, N4 = 4, N6 = 6, N7 = 7, N9 = 9, N10 = 10, N12 = 12,
	      N19 = 19 };
enum ntimer { TK_NONE, TK_ALERT, TK_ANSWER, TK_NOANSWER, TK_T303, TK_T305, TK_T308 };

#define LOC_NET 2	/* cause location: public network serving the local user */

struct telco_call {
	struct telco_span *span;	/* signalling span (NFAS: the primary) */
	struct telco_span *bspan;	/* span of the B-channel */
	bool in_use;
	bool net_orig;		/* the switch allocated the call reference */
	uint16_t cr;
	unsigned bchan;
	enum nstate st;
	struct telco_sub *sub;
	struct ev_timer tm;
	enum ntimer tk;
	unsigned tcount;
	uint8_t cause;
};

struct telco_sub {
	struct telco *t;
	struct telco_sub_config cfg;
	char number[33];
	const struct telco_sub_ops *ops;
	void *ctx;
	struct telco_call *call;
};

struct telco_span {
	struct telco *t;
	unsigned idx;
	char number[33];
	int (*send_frame)(void *ctx, const uint8_t *f, size_t n);
	void *ctx;
	struct tl_link link;
	unsigned alarms;
	unsigned next_bchan;
	uint16_t next_cr;
	unsigned nbch;		/* B-channels 1..nbch (23, or 24 without a D-channel) */
	unsigned int_id;	/* NFAS interface identifier */
	bool nfas;
	struct telco_span *ctl;	/* signalling span: itself unless an NFAS member */
	struct telco_span *backup;
	struct telco_span *members[TELCO_MAX_SPANS];
	unsigned nmembers;
	struct telco_call *bch[TELCO_MAX_BCHAN + 1];
	uint8_t ignore[32];	/* tests: message types from the NAS to swallow (bitmap) */
	struct telco_span_stats stats;
};

struct telco {
	struct ev_loop *loop;
	struct telco_config cfg;
	unsigned nspans, nsubs;
	struct telco_span spans[TELCO_MAX_SPANS];
	struct telco_sub subs[TELCO_MAX_SUBS];
	struct telco_call calls[TELCO_MAX_CALLS];
};

/* ---- plumbing ----------------------------------------------------------------- */

static void tracef(struct telco_span *s, bool tx, const struct tq_msg *m)
{
	char line[160];

	if (!s->t->cfg.trace)
		return;
	snprintf(line, sizeof(line), "TELCO span%u: %s %s cr=0x%04X chan=%d cause=%u", s->idx,
		 tx ? "TX ->" : "RX <-", tq_name(m->type), m->cr | (m->flag ? 0x8000u : 0),
		 m->chan, m->cause_present ? (unsigned)m->cause : 0u);
	s->t->cfg.trace(s->t->cfg.trace_ctx, line);
}

/* The D-channel in use: the primary's, else (NFAS) the backup's. */
static struct tl_link *active_link(struct telco_span *s)
{
	if (s->link.up)
		return &s->link;
	if (s->backup && s->backup->link.up && !s->backup->alarms)
		return &s->backup->link;
	return NULL;
}

static void put(struct telco_span *s, const struct tq_msg *m)
{
	uint8_t b[260];
	size_t n = tq_encode(m, b, sizeof(b));
	struct tl_link *l = active_link(s);

	if (!n || !l)
		return;
	tracef(s, true, m);
	tl_send(l, b, n);
}

/* A message skeleton for a call: flag set when the NAS allocated the reference. */
static void skel(struct tq_msg *m, const struct telco_call *c, uint8_t type)
{
	memset(m, 0, sizeof(*m));
	m->cr = c->cr;
	m->flag = !c->net_orig;
	m->type = type;
	m->chan = -1;
}

static void send_plain(struct telco_call *c, uint8_t type)
{
	struct tq_msg m;

	skel(&m, c, type);
	put(c->span, &m);
}

static void send_cause(struct telco_call *c, uint8_t type, uint8_t cause)
{
	struct tq_msg m;

	skel(&m, c, type);
	m.cause_present = true;
	m.cause_loc = LOC_NET;
	m.cause = cause;
	put(c->span, &m);
}

static void send_chan(struct telco_call *c, uint8_t type)
{
	struct tq_msg m;

	skel(&m, c, type);
	m.chan_present = true;
	m.chan_exclusive = true;
	m.chan = (int)c->bchan;
	m.chan_ifid = c->span->nfas;
	m.chan_int_id = (uint8_t)(c->bspan ? c->bspan->int_id : 0);
	put(c->span, &m);
}

static void arm(struct telco_call *c, enum ntimer k, ev_time_t d)
{
	if (c->tk != k)
		c->tcount = 0;
	c->tk = k;
	ev_timer_start(c->span->t->loop, &c->tm, d);
}

static void disarm(struct telco_call *c)
{
	ev_timer_stop(c->span->t->loop, &c->tm);
	c->tk = TK_NONE;
	c->tcount = 0;
}

static void sub_cleared(struct telco_call *c, uint8_t cause)
{
	struct telco_sub *sub = c->sub;

	c->sub = NULL;
	if (sub && sub->call == c) {
		sub->call = NULL;
		if (sub->ops && sub->ops->cleared)
			sub->ops->cleared(sub->ctx, sub, cause);
	}
}

static void drop_call(struct telco_call *c, uint8_t cause)
{
	struct telco_span *s = c->span;

	disarm(c);
	(void)s;
	if (c->bchan && c->bspan && c->bspan->bch[c->bchan] == c)
		c->bspan->bch[c->bchan] = NULL;
	c->bchan = 0;
	c->bspan = NULL;
	c->st = N0;
	c->in_use = false;
	sub_cleared(c, cause);
}

static void timer_fired(struct ev_timer *tm, void *arg);

static struct telco_call *new_call(struct telco_span *s)
{
	for (unsigned i = 0; i < TELCO_MAX_CALLS; i++) {
		struct telco_call *c = &s->t->calls[i];

		if (!c->in_use) {
			memset(c, 0, sizeof(*c));
			c->in_use = true;
			c->span = s;
			ev_timer_init(&c->tm, timer_fired, c);
			return c;
		}
	}
	return NULL;
}

static struct telco_call *find_call(struct telco_span *s, uint16_t cr, bool net_orig)
{
	for (unsigned i = 0; i < TELCO_MAX_CALLS; i++) {
		struct telco_call *c = &s->t->calls[i];

		if (c->in_use && c->span == s && c->cr == cr && c->net_orig == net_orig)
			return c;
	}
	return NULL;
}

static unsigned lowest_free_on(const struct telco_span *s)
{
	if (s->alarms)
		return 0;
	for (unsigned b = 1; b <= s->nbch; b++)
		if (!s->bch[b])
			return b;
	return 0;
}

/* A free channel in the group of signalling span s: a member's hint first,
 * then the lowest channel member by member. */
static unsigned pick_free(struct telco_span *s, struct telco_span **bs)
{
	for (unsigned i = 0; i < s->nmembers; i++) {
		struct telco_span *m = s->members[i];

		if (m->next_bchan && m->next_bchan <= m->nbch && !m->bch[m->next_bchan] &&
		    !m->alarms) {
			unsigned b = m->next_bchan;

			m->next_bchan = 0;
			*bs = m;
			return b;
		}
	}
	for (unsigned i = 0; i < s->nmembers; i++) {
		unsigned b = lowest_free_on(s->members[i]);

		if (b) {
			*bs = s->members[i];
			return b;
		}
	}
	*bs = NULL;
	return 0;
}

static void take_chan(struct telco_call *c, struct telco_span *bs, unsigned b)
{
	c->bspan = bs;
	c->bchan = b;
	bs->bch[b] = c;
}

/* The member a Channel ID names. */
static struct telco_span *chan_member(struct telco_span *s, const struct tq_msg *m)
{
	if (!m->chan_ifid || !s->nfas)
		return s;	/* outside NFAS the interface identifier is ours */
	for (unsigned i = 0; i < s->nmembers; i++)
		if (s->members[i]->int_id == m->chan_int_id)
			return s->members[i];
	return NULL;
}

static struct telco_sub *sub_by_number(struct telco *t, const char *num)
{
	for (unsigned i = 0; i < t->nsubs; i++)
		if (!strcmp(t->subs[i].number, num))
			return &t->subs[i];
	return NULL;
}

/* ---- clearing ----------------------------------------------------------------- */

static void net_disconnect(struct telco_call *c, uint8_t cause)
{
	disarm(c);
	c->cause = cause;
	send_cause(c, TQ_DISCONNECT, cause);
	c->st = N12;
	arm(c, TK_T305, c->span->t->cfg.t305);
}

static void net_release(struct telco_call *c, uint8_t cause)
{
	disarm(c);
	if (cause)
		send_cause(c, TQ_RELEASE, cause);
	else
		send_plain(c, TQ_RELEASE);	/* the seed's RELEASE carries no cause */
	c->st = N19;
	arm(c, TK_T308, c->span->t->cfg.t308);
}

static void connect_to_nas(struct telco_call *c)
{
	struct telco_sub *sub = c->sub;

	disarm(c);
	send_plain(c, TQ_CONNECT);
	c->st = N10;
	if (sub && sub->ops && sub->ops->connected)
		sub->ops->connected(sub->ctx, sub, c->bspan ? c->bspan->idx : c->span->idx, c->bchan);
}

static void send_alerting(struct telco_call *c)
{
	struct tq_msg m;

	skel(&m, c, TQ_ALERTING);
	m.progress_present = true;
	m.progress_loc = 3;
	m.progress = 8;	/* in-band information now available: 0x8388 */
	put(c->span, &m);
	c->st = N4;
}

static void send_setup(struct telco_call *c)
{
	struct tq_msg m;
	struct telco_sub *sub = c->sub;
	static const uint8_t audio[] = { 0x90, 0x90, 0xA2 }, speech[] = { 0x80, 0x90, 0xA2 },
			     digital[] = { 0x88, 0x90 };

	skel(&m, c, TQ_SETUP);
	m.bearer_present = true;
	switch (sub ? sub->cfg.bearer : TELCO_BEARER_AUDIO) {
	case TELCO_BEARER_SPEECH:
		memcpy(m.bearer, speech, sizeof(speech));
		m.bearer_len = sizeof(speech);
		break;
	case TELCO_BEARER_DIGITAL:
		memcpy(m.bearer, digital, sizeof(digital));
		m.bearer_len = sizeof(digital);
		break;
	default:
		memcpy(m.bearer, audio, sizeof(audio));
		m.bearer_len = sizeof(audio);
		break;
	}
	m.chan_present = true;
	m.chan_exclusive = true;
	m.chan = (int)c->bchan;
	m.chan_ifid = c->span->nfas;
	m.chan_int_id = (uint8_t)(c->bspan ? c->bspan->int_id : 0);
	m.called_present = true;
	m.called_tp = 0xC1;	/* subscriber number, ISDN plan */
	snprintf(m.called, sizeof(m.called), "%s", c->span->number);
	if (sub && sub->cfg.send_calling) {
		m.calling_present = true;
		m.calling_tp = 0xA1;
		snprintf(m.calling, sizeof(m.calling), "%s", sub->number);
	}
	put(c->span, &m);
}

static void timer_fired(struct ev_timer *tm, void *arg)
{
	struct telco_call *c = arg;
	struct telco_sub *sub = c->sub;

	(void)tm;
	if (!c->in_use)
		return;
	c->tcount++;
	switch (c->tk) {
	case TK_ALERT:
		c->tk = TK_NONE;
		send_alerting(c);
		if (sub && sub->cfg.no_answer)
			arm(c, TK_NOANSWER, sub->cfg.no_answer_time);
		else if (sub && sub->cfg.auto_answer)
			arm(c, TK_ANSWER, sub->cfg.answer_delay);
		break;
	case TK_ANSWER:
		c->tk = TK_NONE;
		connect_to_nas(c);
		break;
	case TK_NOANSWER:
		sub_cleared(c, 19);
		net_disconnect(c, 19);
		break;
	case TK_T303:
		if (c->tcount < 2) {
			send_setup(c);
			ev_timer_start(c->span->t->loop, &c->tm, c->span->t->cfg.t303);
		} else {
			drop_call(c, 18);
		}
		break;
	case TK_T305:
		net_release(c, c->cause ? c->cause : 16);
		break;
	case TK_T308:
		if (c->tcount < 2) {
			send_cause(c, TQ_RELEASE, 102);
			ev_timer_start(c->span->t->loop, &c->tm, c->span->t->cfg.t308);
		} else {
			drop_call(c, 102);
		}
		break;
	case TK_NONE:
		break;
	}
}

/* Every call signalled by s. */
static void clear_span_calls(struct telco_span *s, uint8_t cause)
{
	for (unsigned i = 0; i < TELCO_MAX_CALLS; i++)
		if (s->t->calls[i].in_use && s->t->calls[i].span == s)
			drop_call(&s->t->calls[i], cause);
}

/* Every call on a B-channel of x. */
static void clear_bchan_calls(struct telco_span *x, uint8_t cause)
{
	for (unsigned i = 0; i < TELCO_MAX_CALLS; i++)
		if (x->t->calls[i].in_use && x->t->calls[i].bspan == x)
			drop_call(&x->t->calls[i], cause);
}

/* ---- messages from the NAS ------------------------------------------------------ */

static void reply_ref(struct telco_span *s, const struct tq_msg *in, uint8_t type, uint8_t cause,
		      bool with_state)
{
	struct tq_msg m;

	memset(&m, 0, sizeof(m));
	m.cr = in->cr;
	m.flag = !in->flag;
	m.type = type;
	m.chan = -1;
	m.cause_present = true;
	m.cause_loc = LOC_NET;
	m.cause = cause;
	if (with_state) {
		m.state_present = true;
		m.state = 0;
	}
	put(s, &m);
}

static void nas_setup(struct telco_span *s, const struct tq_msg *m)
{
	struct telco_call *c;
	struct telco_sub *sub;
	struct telco_span *bs;
	unsigned b;

	s->stats.setups_rx++;
	if (!m->bearer_present || !m->called_present) {
		reply_ref(s, m, TQ_REL_COMP, 96, false);
		return;
	}
	bs = m->chan_present && !m->chan_bad ? chan_member(s, m) : s;
	if (m->chan_present && (m->chan_bad || !bs || m->chan < 1 || (unsigned)m->chan > bs->nbch)) {
		reply_ref(s, m, TQ_REL_COMP, 82, false);
		return;
	}
	if (m->chan_present && m->chan >= 1) {
		b = (unsigned)m->chan;
		if (bs->bch[b] || bs->alarms) {
			if (m->chan_exclusive) {
				reply_ref(s, m, TQ_REL_COMP, 44, false);
				return;
			}
			b = pick_free(s, &bs);	/* preferred only: pick another (glare) */
		}
	} else {
		b = pick_free(s, &bs);
	}
	if (!b) {
		reply_ref(s, m, TQ_REL_COMP, 34, false);
		return;
	}
	c = new_call(s);
	if (!c) {
		reply_ref(s, m, TQ_REL_COMP, 47, false);
		return;
	}
	c->net_orig = false;
	c->cr = m->cr;
	take_chan(c, bs, b);
	c->st = N3;
	send_chan(c, TQ_CALL_PROC);

	sub = sub_by_number(s->t, m->called);
	if (!sub) {
		net_disconnect(c, 1);
		return;
	}
	if (sub->cfg.busy || sub->call) {
		net_disconnect(c, 17);
		return;
	}
	c->sub = sub;
	sub->call = c;
	if (sub->ops && sub->ops->ring)
		sub->ops->ring(sub->ctx, sub, s->number);
	if (c->in_use && c->st == N3 && c->tk == TK_NONE)
		arm(c, TK_ALERT, sub->cfg.alert_delay);
}

static void nas_msg(struct telco_span *s, const uint8_t *p, size_t n)
{
	struct tq_msg m;
	struct telco_call *c;
	struct telco_sub *sub;

	if (tq_decode(p, n, &m) < 0) {
		s->stats.unknown_rx++;
		return;
	}
	tracef(s, false, &m);
	if (m.type == TQ_STATUS) {
		s->stats.status_rx++;
		s->stats.last_status_cause = m.cause_present ? m.cause : 0;
		s->stats.last_status_state = m.state_present ? m.state : 0xFF;
	}
	if (m.type == TQ_RELEASE || m.type == TQ_REL_COMP || m.type == TQ_DISCONNECT)
		s->stats.last_rel_cause = m.cause_present ? m.cause : 0;
	if (m.cr == 0) {
		if (m.type == TQ_RESTART_ACK)
			s->stats.restart_ack_rx++;
		return;
	}
	/* flag set: the reference is the switch's own */
	if (s->ignore[m.type >> 3] & (1u << (m.type & 7))) {
		if (m.type == TQ_SETUP)
			s->stats.setups_rx++;
		s->stats.ignored_rx++;
		return;
	}
	c = find_call(s, m.cr, m.flag);
	if (!c) {
		switch (m.type) {
		case TQ_SETUP:
			if (!m.flag)
				nas_setup(s, &m);
			return;
		case TQ_REL_COMP:
			s->stats.rel_comp_rx++;
			return;
		case TQ_STATUS:
			return;
		case TQ_STATUS_ENQ:
			reply_ref(s, &m, TQ_STATUS, 30, true);
			return;
		default:
			reply_ref(s, &m, TQ_REL_COMP, 81, false);
			return;
		}
	}
	sub = c->sub;
	switch (m.type) {
	case TQ_CALL_PROC:
		if (c->st == N6) {
			disarm(c);
			c->st = N9;
		}
		return;
	case TQ_ALERTING:
		if (c->st == N6 || c->st == N9) {
			disarm(c);
			c->st = N7;
			if (sub && sub->ops && sub->ops->alerting)
				sub->ops->alerting(sub->ctx, sub);
		}
		return;
	case TQ_CONNECT:
		if (c->st == N6 || c->st == N7 || c->st == N9) {
			disarm(c);
			send_plain(c, TQ_CONNECT_ACK);
			c->st = N10;
			if (sub && sub->ops && sub->ops->connected)
				sub->ops->connected(sub->ctx, sub, c->bspan ? c->bspan->idx : s->idx,
						    c->bchan);
		}
		return;
	case TQ_CONNECT_ACK:
		return;
	case TQ_DISCONNECT:
		if (c->st == N19)
			return;
		c->cause = m.cause_present ? m.cause : 16;
		net_release(c, 0);
		sub_cleared(c, c->cause);
		return;
	case TQ_RELEASE:
		s->stats.rel_comp_rx += 0;
		if (c->st != N19)
			send_plain(c, TQ_REL_COMP);
		drop_call(c, m.cause_present ? m.cause : 16);
		return;
	case TQ_REL_COMP:
		s->stats.rel_comp_rx++;
		drop_call(c, m.cause_present ? m.cause : 16);
		return;
	case TQ_STATUS_ENQ: {
		struct tq_msg r;

		skel(&r, c, TQ_STATUS);
		r.cause_present = true;
		r.cause_loc = LOC_NET;
		r.cause = 30;
		r.state_present = true;
		r.state = (uint8_t)c->st;
		put(s, &r);
		return;
	}
	case TQ_STATUS:
		if (m.state_present && m.state == 0)
			drop_call(c, m.cause_present ? m.cause : 16);
		return;
	default:
		return;
	}
}

/* ---- LAPD hooks ----------------------------------------------------------------- */

static int hook_tx(void *ctx, const uint8_t *f, size_t n)
{
	struct telco_span *s = ctx;

	if (s->alarms || !s->send_frame)
		return -ENETDOWN;
	return s->send_frame(s->ctx, f, n);
}

static void hook_up(void *ctx)
{
	(void)ctx;
}

static void hook_down(void *ctx)
{
	struct telco_span *x = ctx;

	/* the calls go with the last D-channel of the group */
	if (!active_link(x->ctl))
		clear_span_calls(x->ctl, 41);
}

static void hook_rx(void *ctx, const uint8_t *p, size_t n)
{
	struct telco_span *x = ctx;

	nas_msg(x->ctl, p, n);
}

static const struct tl_hooks span_hooks = { hook_tx, hook_up, hook_down, hook_rx };

/* ---- public API ----------------------------------------------------------------- */

struct telco *telco_new(struct ev_loop *loop, const struct telco_config *cfg)
{
	struct telco *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->loop = loop;
	if (cfg)
		t->cfg = *cfg;
	if (!t->cfg.t303)
		t->cfg.t303 = 4 * EV_SEC;
	if (!t->cfg.t305)
		t->cfg.t305 = 30 * EV_SEC;
	if (!t->cfg.t308)
		t->cfg.t308 = 4 * EV_SEC;
	return t;
}

void telco_free(struct telco *t)
{
	if (!t)
		return;
	for (unsigned i = 0; i < TELCO_MAX_CALLS; i++)
		if (t->calls[i].in_use)
			ev_timer_stop(t->loop, &t->calls[i].tm);
	for (unsigned i = 0; i < t->nspans; i++) {
		ev_timer_stop(t->loop, &t->spans[i].link.t200);
		ev_timer_stop(t->loop, &t->spans[i].link.t203);
	}
	free(t);
}

struct telco_span *telco_add_span(struct telco *t, const char *number,
				  int (*send_frame)(void *ctx, const uint8_t *f, size_t n), void *ctx)
{
	struct telco_span *s;

	if (t->nspans >= TELCO_MAX_SPANS)
		return NULL;
	s = &t->spans[t->nspans];
	memset(s, 0, sizeof(*s));
	s->t = t;
	s->idx = t->nspans++;
	snprintf(s->number, sizeof(s->number), "%s", number ? number : "");
	s->send_frame = send_frame;
	s->ctx = ctx;
	s->next_cr = 1;
	s->nbch = TELCO_BCHANS;
	s->ctl = s;
	s->members[0] = s;
	s->nmembers = 1;
	tl_init(&s->link, t->loop, &span_hooks, s);
	return s;
}

void telco_span_set_int_id(struct telco_span *s, unsigned int_id)
{
	s->int_id = int_id & 0x7F;
}

int telco_nfas_group(struct telco_span *primary, struct telco_span *backup,
		     struct telco_span *const *others, size_t n)
{
	struct telco_span *all[TELCO_MAX_SPANS];
	unsigned k = 0;

	if (!primary || backup == primary || n + 2 > TELCO_MAX_SPANS)
		return -EINVAL;
	all[k++] = primary;
	if (backup)
		all[k++] = backup;
	for (size_t i = 0; i < n; i++) {
		if (!others[i] || others[i] == primary || others[i] == backup)
			return -EINVAL;
		all[k++] = others[i];
	}
	for (unsigned i = 0; i < k; i++)
		for (unsigned j = i + 1; j < k; j++)
			if (all[i]->int_id == all[j]->int_id)
				return -EINVAL;
	for (unsigned i = 0; i < k; i++) {
		all[i]->ctl = primary;
		all[i]->nfas = true;
		all[i]->backup = NULL;
		all[i]->nmembers = 0;
		/* spans without a D-channel carry 24 B-channels */
		all[i]->nbch = all[i] == primary || all[i] == backup ? TELCO_BCHANS
								     : TELCO_MAX_BCHAN;
		primary->members[i] = all[i];
	}
	primary->nmembers = k;
	primary->backup = backup;
	return 0;
}

void telco_span_input(struct telco_span *s, const uint8_t *f, size_t n)
{
	if (s->alarms)
		return;
	tl_input(&s->link, f, n);
}

void telco_span_connect(struct telco_span *s)
{
	tl_connect(&s->link);
}

bool telco_span_link_up(const struct telco_span *s)
{
	return s->link.up;
}

unsigned telco_span_index(const struct telco_span *s)
{
	return s->idx;
}

void telco_span_next_bchan(struct telco_span *s, unsigned bchan)
{
	s->next_bchan = bchan <= s->nbch ? bchan : 0;
}

void telco_span_next_cr(struct telco_span *s, uint16_t cr)
{
	s->next_cr = cr & 0x7FFF ? cr & 0x7FFF : 1;
}

void telco_span_set_alarm(struct telco_span *s, unsigned alarms)
{
	s->alarms = alarms;
	if (alarms) {
		clear_bchan_calls(s, 38);	/* network out of order */
		tl_reset(&s->link);		/* its D-channel, if it has one */
	}
}

unsigned telco_span_alarms(const struct telco_span *s)
{
	return s->alarms;
}

void telco_span_ignore(struct telco_span *s, uint8_t msg_type, bool ignore)
{
	if (ignore)
		s->ignore[msg_type >> 3] |= (uint8_t)(1u << (msg_type & 7));
	else
		s->ignore[msg_type >> 3] &= (uint8_t)~(1u << (msg_type & 7));
}

void telco_span_mute_setup(struct telco_span *s, bool mute)
{
	telco_span_ignore(s, TQ_SETUP, mute);
}

int telco_span_send_raw(struct telco_span *s, const uint8_t *msg, size_t n)
{
	struct tl_link *l = active_link(s->ctl);

	return tl_send(l ? l : &s->link, msg, n);
}

int telco_span_restart(struct telco_span *s, unsigned bchan)
{
	struct tq_msg m;

	memset(&m, 0, sizeof(m));
	m.type = TQ_RESTART;
	m.chan = -1;
	m.restart_present = true;
	if (bchan) {
		m.chan_present = true;
		m.chan_exclusive = true;
		m.chan = (int)bchan;
		m.restart_class = 0;
		if (bchan <= s->nbch && s->bch[bchan])
			drop_call(s->bch[bchan], 41);
	} else {
		m.restart_class = 7;
		clear_span_calls(s, 41);
	}
	put(s, &m);
	return 0;
}

const struct telco_span_stats *telco_span_stats(const struct telco_span *s)
{
	return &s->stats;
}

const struct tl_link *telco_span_link(const struct telco_span *s)
{
	return &s->link;
}

struct telco_sub *telco_span_bchan_sub(const struct telco_span *s, unsigned bchan)
{
	if (bchan < 1 || bchan > s->nbch || !s->bch[bchan])
		return NULL;
	return s->bch[bchan]->sub;
}

void telco_sub_config_default(struct telco_sub_config *cfg, const char *number)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->number = number;
	cfg->bearer = TELCO_BEARER_AUDIO;
	cfg->auto_answer = true;
	cfg->alert_delay = 700 * EV_MSEC;
	cfg->answer_delay = 2700 * EV_MSEC;
	cfg->no_answer_time = 30 * EV_SEC;
}

struct telco_sub *telco_add_sub(struct telco *t, const struct telco_sub_config *cfg,
				const struct telco_sub_ops *ops, void *ctx)
{
	struct telco_sub *sub;

	if (t->nsubs >= TELCO_MAX_SUBS || !cfg->number)
		return NULL;
	sub = &t->subs[t->nsubs++];
	memset(sub, 0, sizeof(*sub));
	sub->t = t;
	sub->cfg = *cfg;
	snprintf(sub->number, sizeof(sub->number), "%s", cfg->number);
	sub->cfg.number = sub->number;
	sub->ops = ops;
	sub->ctx = ctx;
	return sub;
}

void telco_sub_set_busy(struct telco_sub *sub, bool busy)
{
	sub->cfg.busy = busy;
}

void telco_sub_set_no_answer(struct telco_sub *sub, bool no_answer)
{
	sub->cfg.no_answer = no_answer;
}

const char *telco_sub_number(const struct telco_sub *sub)
{
	return sub->number;
}

void *telco_sub_ctx(const struct telco_sub *sub)
{
	return sub->ctx;
}

bool telco_sub_in_call(const struct telco_sub *sub)
{
	return sub->call != NULL;
}

bool telco_sub_connected(const struct telco_sub *sub)
{
	return sub->call && sub->call->st == N10;
}

int telco_dial(struct telco_sub *sub, const char *number)
{
	struct telco *t = sub->t;
	struct telco_span *s = NULL, *bs = NULL;
	struct telco_call *c;
	unsigned b = 0;
	bool matched = false, live = false;

	if (sub->call)
		return -EBUSY;
	for (unsigned i = 0; i < t->nspans; i++) {
		struct telco_span *cand = &t->spans[i];

		if (cand->ctl != cand || strcmp(cand->number, number))
			continue;	/* numbers live on signalling spans */
		matched = true;
		if (!active_link(cand))
			continue;
		live = true;
		b = pick_free(cand, &bs);
		if (b) {
			s = cand;
			break;
		}
	}
	if (!s) {
		if (matched)
			return live ? -EAGAIN : -ENETDOWN;	/* all channels busy / span down */
		return sub_by_number(t, number) ? -EHOSTUNREACH : -ENOENT;
	}
	c = new_call(s);
	if (!c)
		return -ENOMEM;
	c->net_orig = true;
	c->cr = s->next_cr;
	s->next_cr = (uint16_t)(s->next_cr >= 0x7FFF ? 1 : s->next_cr + 1);
	take_chan(c, bs, b);
	c->sub = sub;
	sub->call = c;
	c->st = N6;
	s->stats.setups_tx++;
	send_setup(c);
	arm(c, TK_T303, t->cfg.t303);
	return 0;
}

int telco_answer(struct telco_sub *sub)
{
	struct telco_call *c = sub->call;

	if (!c || c->net_orig || (c->st != N3 && c->st != N4))
		return -EINVAL;
	if (c->st == N3)
		send_alerting(c);
	connect_to_nas(c);
	return 0;
}

int telco_hangup(struct telco_sub *sub)
{
	struct telco_call *c = sub->call;

	if (!c)
		return -EINVAL;
	sub->call = NULL;
	c->sub = NULL;
	switch (c->st) {
	case N12:
	case N19:
		return 0;
	case N3:
	case N4:
		net_disconnect(c, c->st == N4 ? 21 : 16);
		return 0;
	default:
		net_disconnect(c, 16);
		return 0;
	}
}
