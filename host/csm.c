/*
 * csm.c - Call Switching Module between ISDN calls and modem lines (see csm.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "csm.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "modem.h"

/* IOS prints its D-channel IDB address; ours is a stable made-up one per span. */
#define DCHAN_IDB_BASE	0x7F8EE0u

/* ISDN -> CSM event codes as the AS5200 prints them */
enum { EV_INCALL = 0x1, EV_DISCONNECT = 0x2, EV_CALL_PROC = 0x3, EV_CONNECTED = 0x4 };

const char *csm_state_name(enum csm_state s)
{
	switch (s) {
	case CSM_IDLE:			return "CSM_PROC_IDLE";
	case CSM_IC1_RING:		return "CSM_PROC_IC1_RING";
	case CSM_IC4_WAIT_FOR_CARRIER:	return "CSM_PROC_IC4_WAIT_FOR_CARRIER";
	case CSM_IC5_OC6_CONNECTED:	return "CSM_PROC_IC5_OC6_CONNECTED";
	case CSM_OC1_REQUEST_DIGIT:	return "CSM_PROC_OC1_REQUEST_DIGIT";
	case CSM_OC2_COLLECT_1ST_DIGIT:	return "CSM_PROC_OC2_COLLECT_1ST_DIGIT";
	case CSM_OC3_COLLECT_ALL_DIGIT:	return "CSM_PROC_OC3_COLLECT_ALL_DIGIT";
	case CSM_OC4_DIALING:		return "CSM_PROC_OC4_DIALING";
	case CSM_OC5_WAIT_FOR_CARRIER:	return "CSM_PROC_OC5_WAIT_FOR_CARRIER";
	}
	return "CSM_PROC_UNKNOWN";
}

static void event(const struct csm_port *p, const char *ev)
{
	dbg(DBG_MODEM_CSM, "%s: %s at slot %u, port %u", csm_state_name(p->state), ev, p->slot,
	    p->port);
}

static void isdn_event(const struct csm_port *p, const struct isdn_call *call, unsigned code,
		       uint8_t cause, const char *dev)
{
	unsigned bchan = call->bchan ? call->bchan - 1u : 0u;

	dbg(DBG_MODEM_CSM, "EVENT_FROM_ISDN::dchan_idb=0x%X, call_id=0x%X, ces=0x1 bchan=0x%X, "
	    "event=0x%X, cause=0x%X", DCHAN_IDB_BASE + call->span->cfg.unit * 0x2000u,
	    call->call_id, bchan, code, cause);
	if (p && dev)
		dbg(DBG_MODEM_CSM, "EVENT_FROM_ISDN:(%04X): %s at slot %u and port %u",
		    call->call_id, dev, p->slot, p->port);
}

static void deallocate(struct csm_port *p)
{
	dbg(DBG_MODEM_CSM, "VDEV_DEALLOCATE: slot %u and port %u is deallocated", p->slot, p->port);
}

static void bchan_switch(struct csm_port *p, bool on)
{
	struct csm *c = p->csm;

	if (on) {
		struct isdn_span *bs;

		if (!p->call || !p->call->bchan)
			return;
		bs = p->call->bspan ? p->call->bspan : p->call->span;
		if (p->bchan == p->call->bchan && p->span == bs)
			return;
		if (p->bchan && c->ops && c->ops->bchan)
			c->ops->bchan(c->ctx, p, p->span, p->bchan, false);
		p->span = bs;		/* NFAS: the member span that carries it */
		p->bchan = p->call->bchan;
		if (c->ops && c->ops->bchan)
			c->ops->bchan(c->ctx, p, p->span, p->bchan, true);
	} else if (p->bchan) {
		if (c->ops && c->ops->bchan)
			c->ops->bchan(c->ctx, p, p->span, p->bchan, false);
		p->bchan = 0;
	}
}

static struct csm_port *port_of(struct csm *c, void *owner)
{
	uintptr_t o = (uintptr_t)owner, b = (uintptr_t)c->ports;

	if (o < b || o >= b + sizeof(c->ports) || (o - b) % sizeof(c->ports[0]))
		return NULL;
	return owner;
}

/* ---- isdn_span_ops ------------------------------------------------------------- */

static int c_send_dchan(void *ctx, struct isdn_span *span, const uint8_t *f, size_t n)
{
	struct csm *c = ctx;

	return c->ops && c->ops->send_dchan ? c->ops->send_dchan(c->ctx, span, f, n) : -ENOTCONN;
}

static void c_link_state(void *ctx, struct isdn_span *span, bool up)
{
	(void)ctx;
	dbg(DBG_MODEM_CSM, "CSM: D-channel %s %s", span->ifname, up ? "up" : "down");
}

static int c_incoming_voice(void *ctx, struct isdn_call *call, void **owner)
{
	struct csm *c = ctx;
	enum csm_state was;

	/* round robin over the modems, as a modem pool spreads its calls */
	for (size_t k = 0; k < c->nports; k++) {
		size_t i = (c->next_port + k) % c->nports;
		struct csm_port *p = &c->ports[i];

		if (p->state != CSM_IDLE || p->busyout || p->call)
			continue;
		c->next_port = (unsigned)((i + 1) % c->nports);
		p->call = call;
		p->span = call->span;
		p->state = CSM_IC1_RING;
		if (!p->lops || !p->lops->incoming || p->lops->incoming(p->lctx) < 0) {
			p->call = NULL;
			p->state = CSM_IDLE;
			continue;
		}
		was = p->state;	/* IC1, or IC4 if the modem answered at once */
		p->state = CSM_IDLE;
		isdn_event(NULL, call, EV_INCALL, 0, NULL);
		dbg(DBG_MODEM_CSM, "VDEV_ALLOCATE: slot %u and port %u is allocated.", p->slot,
		    p->port);
		dbg(DBG_MODEM_CSM, "EVENT_FROM_ISDN:(%04X): DEV_INCALL at slot %u and port %u",
		    call->call_id, p->slot, p->port);
		event(p, "CSM_EVENT_ISDN_CALL");
		p->state = was;
		p->calls_in++;
		dbg(DBG_MODEM_CSM, "Fast Ringing On at modem slot %u, port %u", p->slot, p->port);
		bchan_switch(p, true);
		*owner = p;
		return 0;
	}
	c->no_modem++;
	dbg(DBG_MODEM_CSM, "CSM: no free modem for call id 0x%X", call->call_id);
	return Q931_CAUSE_NO_CHANNEL;
}

static int c_incoming_data(void *ctx, struct isdn_call *call, void **owner)
{
	struct csm *c = ctx;

	if (c->ops && c->ops->incoming_data)
		return c->ops->incoming_data(c->ctx, call, owner);
	return Q931_CAUSE_BEARER_NOT_AVAIL;
}

static void c_proceeding(void *ctx, struct isdn_call *call, void *owner)
{
	struct csm_port *p = port_of(ctx, owner);

	if (!p || p->call != call)
		return;
	isdn_event(p, call, EV_CALL_PROC, 0, "DEV_CALL_PROC");
	if (p->state == CSM_OC4_DIALING) {
		event(p, "CSM_EVENT_ISDN_BCHAN_ASSIGNED");
		p->state = CSM_OC5_WAIT_FOR_CARRIER;
		bchan_switch(p, true);
	}
}

static void c_alerting(void *ctx, struct isdn_call *call, void *owner)
{
	struct csm_port *p = port_of(ctx, owner);

	/* ringback is in band on the B-channel: make sure it is switched */
	if (p && p->call == call && p->state == CSM_OC4_DIALING) {
		p->state = CSM_OC5_WAIT_FOR_CARRIER;
		bchan_switch(p, true);
	}
}

static void c_connected(void *ctx, struct isdn_call *call, void *owner)
{
	struct csm *c = ctx;
	struct csm_port *p = port_of(c, owner);

	if (!p) {
		if (c->ops && c->ops->data_connected)
			c->ops->data_connected(c->ctx, call, owner);
		return;
	}
	if (p->call != call)
		return;
	isdn_event(p, call, EV_CONNECTED, 0, "DEV_CONNECTED");
	if (p->state == CSM_IC4_WAIT_FOR_CARRIER)
		/* the seed prints this one without a space after the colon */
		dbg(DBG_MODEM_CSM, "%s:CSM_EVENT_ISDN_CONNECTED at slot %u, port %u",
		    csm_state_name(p->state), p->slot, p->port);
	else
		event(p, "CSM_EVENT_ISDN_CONNECTED");
	p->state = CSM_IC5_OC6_CONNECTED;
	bchan_switch(p, true);
	if (p->lops && p->lops->connected)
		p->lops->connected(p->lctx, 0);
}

static enum csm_fail fail_reason(uint8_t cause)
{
	switch (cause) {
	case Q931_CAUSE_USER_BUSY:
		return CSM_FAIL_BUSY;
	case Q931_CAUSE_NO_USER_RESPONDING:
	case Q931_CAUSE_NO_ANSWER:
		return CSM_FAIL_NO_ANSWER;
	case Q931_CAUSE_NO_CHANNEL:
	case Q931_CAUSE_NETWORK_OUT_OF_ORDER:
	case Q931_CAUSE_TEMPORARY_FAILURE:
		return CSM_FAIL_NO_DIALTONE;
	default:
		return CSM_FAIL_NO_CARRIER;
	}
}

static void c_cleared(void *ctx, struct isdn_call *call, void *owner, uint8_t cause)
{
	struct csm *c = ctx;
	struct csm_port *p = port_of(c, owner);
	enum csm_state was;

	if (!p) {
		if (c->ops && c->ops->data_cleared)
			c->ops->data_cleared(c->ctx, call, owner, cause);
		return;
	}
	if (p->call != call)
		return;
	isdn_event(p, call, EV_DISCONNECT, cause, "DEV_IDLE");
	event(p, "CSM_EVENT_ISDN_DISCONNECTED");
	was = p->state;
	p->call = NULL;
	bchan_switch(p, false);
	switch (was) {
	case CSM_IC1_RING:
		/* the caller gave up while ringing: the modem stays on hook */
		p->state = CSM_IDLE;
		deallocate(p);
		if (p->lops && p->lops->remote_hangup)
			p->lops->remote_hangup(p->lctx);
		break;
	case CSM_IC5_OC6_CONNECTED:
		if (p->lops && p->lops->remote_hangup)
			p->lops->remote_hangup(p->lctx);
		break;
	case CSM_IC4_WAIT_FOR_CARRIER:
		p->calls_failed++;
		if (p->lops && p->lops->failed)
			p->lops->failed(p->lctx, CSM_FAIL_NO_CARRIER);
		break;
	default:
		p->calls_failed++;
		if (p->lops && p->lops->failed)
			p->lops->failed(p->lctx, fail_reason(cause));
		break;
	}
	/* the modem reports on-hook next (csm_port_hook), which ends in IDLE */
}

const struct isdn_span_ops csm_isdn_ops = {
	.send_dchan = c_send_dchan,
	.incoming_voice = c_incoming_voice,
	.incoming_data = c_incoming_data,
	.proceeding = c_proceeding,
	.alerting = c_alerting,
	.connected = c_connected,
	.cleared = c_cleared,
	.link_state = c_link_state,
};

/* ---- setup -------------------------------------------------------------------- */

void csm_init(struct csm *c, const struct csm_ops *ops, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->ctx = ctx;
	c->dc_ready = 132 * EV_MSEC;
	c->dc_first_digit = 1 * EV_SEC;
	c->dc_all_digits = 3 * EV_SEC;
}

int csm_add_span(struct csm *c, struct isdn_span *span)
{
	if (c->nspans >= CSM_MAX_SPANS)
		return -ENOSPC;
	c->spans[c->nspans++] = span;
	if (!c->loop)
		c->loop = span->loop;
	return 0;
}

static void dc_step(struct ev_timer *t, void *arg);

struct csm_port *csm_add_port(struct csm *c, unsigned slot, unsigned port,
			      const struct csm_line_ops *lops, void *lctx)
{
	struct csm_port *p;

	if (c->nports >= CSM_MAX_PORTS)
		return NULL;
	p = &c->ports[c->nports++];
	memset(p, 0, sizeof(*p));
	p->csm = c;
	p->slot = slot;
	p->port = port;
	p->lops = lops;
	p->lctx = lctx;
	p->state = CSM_IDLE;
	ev_timer_init(&p->dc_timer, dc_step, p);
	return p;
}

void csm_port_busyout(struct csm_port *p, bool on)
{
	p->busyout = on;
}

/* ---- from the modem ------------------------------------------------------------ */

/* The digits are all in: SETUP (the seed's "making a voice_call"). */
static void place_call(struct csm_port *p)
{
	struct csm *c = p->csm;
	struct isdn_call *call;
	uint8_t cause = 0;

	dbg(DBG_MODEM_CSM, "%s: called party num: (%s) at slot %u, port %u",
	    csm_state_name(p->state), p->digits, p->slot, p->port);
	dbg(DBG_MODEM_CSM, "process_pri_call making a voice_call.");
	p->state = CSM_OC4_DIALING;
	p->calls_out++;
	call = isdn_call_out_group(c->spans, c->nspans, p->digits, ISDN_BEARER_SPEECH, p, &cause);
	if (!call) {
		dbg(DBG_MODEM_CSM, "%s: call failed, cause 0x%02X at slot %u, port %u",
		    csm_state_name(p->state), cause, p->slot, p->port);
		p->calls_failed++;
		p->state = CSM_OC1_REQUEST_DIGIT;
		if (p->lops && p->lops->failed)
			p->lops->failed(p->lctx, fail_reason(cause));
		return;
	}
	p->call = call;
	p->span = call->span;
}

/* The digit collector's steps: ready (OC1), first digit (OC2), all digits (OC3). */
static void dc_step(struct ev_timer *t, void *arg)
{
	struct csm_port *p = arg;
	struct csm *c = p->csm;

	(void)t;
	switch (p->state) {
	case CSM_OC1_REQUEST_DIGIT:
		event(p, "CSM_EVENT_DIGIT_COLLECT_READY");
		event(p, "CSM_EVENT_ADDR_INFO_COLLECTED");
		p->state = CSM_OC2_COLLECT_1ST_DIGIT;
		if (c->loop && c->dc_first_digit) {
			ev_timer_start(c->loop, &p->dc_timer, c->dc_first_digit);
			return;
		}
		/* fall through */
	case CSM_OC2_COLLECT_1ST_DIGIT:
		event(p, "CSM_EVENT_GET_1ST_DIGIT");
		p->state = CSM_OC3_COLLECT_ALL_DIGIT;
		if (c->loop && c->dc_all_digits) {
			ev_timer_start(c->loop, &p->dc_timer, c->dc_all_digits);
			return;
		}
		/* fall through */
	case CSM_OC3_COLLECT_ALL_DIGIT:
		event(p, "CSM_EVENT_GET_ALL_DIGITS");
		place_call(p);
		return;
	default:
		return;	/* on hook meanwhile */
	}
}

static bool dchan_up(const struct csm *c)
{
	for (size_t i = 0; i < c->nspans; i++) {
		const struct isdn_span *s = c->spans[i]->ctl ? c->spans[i]->ctl : c->spans[i];

		if (lapd_is_up(&s->lapd) || (s->backup && lapd_is_up(&s->backup->lapd)))
			return true;
	}
	return false;
}

int csm_port_dial(struct csm_port *p, const char *digits)
{
	struct csm *c = p->csm;
	size_t n = 0;

	if (p->call || p->busyout)
		return -EBUSY;
	if (p->state == CSM_IDLE) {
		/* a modem that dials without reporting off-hook first */
		event(p, "CSM_EVENT_MODEM_OFFHOOK");
		p->state = CSM_OC1_REQUEST_DIGIT;
	}
	if (p->state != CSM_OC1_REQUEST_DIGIT || ev_timer_active(&p->dc_timer))
		return -EBUSY;
	if (!dchan_up(c)) {
		/* no D-channel to signal on: no dial tone */
		dbg(DBG_MODEM_CSM, "%s: no ISDN D-channel up at slot %u, port %u",
		    csm_state_name(p->state), p->slot, p->port);
		p->calls_failed++;
		return -ENETUNREACH;
	}
	/* the digit collector: only what an ISDN called number can carry */
	for (const char *d = digits; *d && n < ISDN_MAX_NUMBER; d++)
		if ((*d >= '0' && *d <= '9') || *d == '*' || *d == '#')
			p->digits[n++] = *d;
	p->digits[n] = '\0';
	if (c->loop && c->dc_ready)
		ev_timer_start(c->loop, &p->dc_timer, c->dc_ready);
	else
		dc_step(&p->dc_timer, p);
	return 0;
}

int csm_port_answer(struct csm_port *p)
{
	if (!p->call || p->state != CSM_IC1_RING)
		return -EINVAL;
	dbg(DBG_MODEM_CSM, "Fast Ringing Off at modem slot %u, port %u", p->slot, p->port);
	event(p, "CSM_EVENT_MODEM_OFFHOOK");
	p->state = CSM_IC4_WAIT_FOR_CARRIER;
	if (isdn_answer(p->call) < 0) {
		p->state = CSM_IC1_RING;
		return -EINVAL;
	}
	return 0;
}

/* The modem is on hook: release whatever call it had. */
static void onhook(struct csm_port *p)
{
	struct isdn_call *call = p->call;

	if (p->csm->loop)
		ev_timer_stop(p->csm->loop, &p->dc_timer);

	event(p, "CSM_EVENT_MODEM_ONHOOK");
	p->state = CSM_IDLE;
	p->call = NULL;
	bchan_switch(p, false);
	deallocate(p);
	if (call)
		isdn_hangup(call, Q931_CAUSE_NORMAL_CLEARING);
}

void csm_port_hangup(struct csm_port *p)
{
	if (p->state == CSM_IC1_RING && p->call)
		dbg(DBG_MODEM_CSM, "Fast Ringing Off at modem slot %u, port %u", p->slot, p->port);
	if (p->call || p->state != CSM_IDLE)
		onhook(p);
}

void csm_port_hook(struct csm_port *p, bool off_hook)
{
	if (off_hook) {
		if (p->state == CSM_IDLE && !p->call) {
			event(p, "CSM_EVENT_MODEM_OFFHOOK");
			p->state = CSM_OC1_REQUEST_DIGIT;
		}
		/* answering / dialing modems went off hook through answer / dial */
		return;
	}
	if (p->state != CSM_IDLE || p->call)
		onhook(p);
}

/* ---- the mapping onto modem.h ------------------------------------------------------ */

static int m_incoming(void *lctx)
{
	return modem_incoming_call(lctx);
}

static void m_connected(void *lctx, unsigned speed)
{
	modem_call_connected(lctx, speed);
}

static void m_failed(void *lctx, enum csm_fail why)
{
	static const enum modem_fail map[] = {
		[CSM_FAIL_BUSY] = MODEM_FAIL_BUSY, [CSM_FAIL_NO_ANSWER] = MODEM_FAIL_NO_ANSWER,
		[CSM_FAIL_NO_DIALTONE] = MODEM_FAIL_NO_DIALTONE,
		[CSM_FAIL_NO_CARRIER] = MODEM_FAIL_NO_CARRIER,
	};

	modem_call_failed(lctx, (unsigned)why < 4 ? map[why] : MODEM_FAIL_NO_CARRIER);
}

static void m_remote_hangup(void *lctx)
{
	modem_remote_hangup(lctx);
}

const struct csm_line_ops csm_modem_line_ops = {
	.incoming = m_incoming,
	.connected = m_connected,
	.failed = m_failed,
	.remote_hangup = m_remote_hangup,
};
