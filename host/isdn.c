/*
 * isdn.c - ISDN PRI call control, Q.931 user side (see isdn.h)
 *
 * Error handling follows Q.931 5.8: messages too short or with a foreign
 * protocol discriminator or call reference length are ignored; an unknown call
 * reference gets RELEASE COMPLETE (cause 81); an unknown message type gets
 * STATUS (97); a message the state does not allow gets STATUS (101); a missing
 * or broken mandatory IE gets STATUS (96 / 100), or for a SETUP a RELEASE
 * COMPLETE; an unknown optional IE is skipped and reported with STATUS (99).
 *
 * SPDX-License-Identifier: MIT
 */
#include "isdn.h"

#include <errno.h>
#include <string.h>

#include "log.h"

#define LOC_USER	0	/* cause location: user */

void isdn_span_config_default(struct isdn_span_config *cfg, unsigned unit)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->unit = unit;
	cfg->switch_type = ISDN_SWITCH_PRIMARY_5ESS;
	cfg->bchan_mask = 0x00FFFFFEu;	/* channels 1..23: pri-group timeslots 1-24 */
	cfg->incoming_voice_modem = true;
	cfg->first_callref = 1;
	cfg->first_call_id = 1;
	cfg->t303 = 4 * EV_SEC;
	cfg->t305 = 30 * EV_SEC;
	cfg->t308 = 4 * EV_SEC;
	cfg->t310 = 30 * EV_SEC;
	cfg->t313 = 4 * EV_SEC;
}

const char *isdn_switch_name(enum isdn_switch_type t)
{
	return t == ISDN_SWITCH_PRIMARY_NI ? "primary-ni" : "primary-5ess";
}

int isdn_switch_parse(const char *name, enum isdn_switch_type *t)
{
	if (!strcmp(name, "primary-5ess"))
		*t = ISDN_SWITCH_PRIMARY_5ESS;
	else if (!strcmp(name, "primary-ni"))
		*t = ISDN_SWITCH_PRIMARY_NI;
	else
		return -EINVAL;
	return 0;
}

const char *isdn_state_name(enum isdn_call_state st)
{
	switch (st) {
	case ISDN_U0_NULL:			return "U0 Null";
	case ISDN_U1_CALL_INITIATED:		return "U1 Call Initiated";
	case ISDN_U3_OUTGOING_PROCEEDING:	return "U3 Outgoing Call Proceeding";
	case ISDN_U4_CALL_DELIVERED:		return "U4 Call Delivered";
	case ISDN_U6_CALL_PRESENT:		return "U6 Call Present";
	case ISDN_U7_CALL_RECEIVED:		return "U7 Call Received";
	case ISDN_U8_CONNECT_REQUEST:		return "U8 Connect Request";
	case ISDN_U9_INCOMING_PROCEEDING:	return "U9 Incoming Call Proceeding";
	case ISDN_U10_ACTIVE:			return "U10 Active";
	case ISDN_U11_DISCONNECT_REQUEST:	return "U11 Disconnect Request";
	case ISDN_U12_DISCONNECT_INDICATION:	return "U12 Disconnect Indication";
	case ISDN_U19_RELEASE_REQUEST:		return "U19 Release Request";
	}
	return "U? Unknown";
}

void isdn_bchan_ifname(const struct isdn_span *s, uint8_t bchan, char *buf, size_t size)
{
	/* IOS numbers the B-channel interfaces from 0: channel 19 is Serial0:18 */
	snprintf(buf, size, "Serial%u:%u", s->cfg.unit, bchan ? bchan - 1u : 0u);
}

unsigned isdn_active_calls(const struct isdn_span *s)
{
	unsigned n = 0;

	for (unsigned i = 0; i < ISDN_MAX_CALLS; i++)
		if (s->calls[i].in_use)
			n++;
	return n;
}

/* ---- sending ------------------------------------------------------------------ */

/* The D-channel Q.931 uses: the span's own, or in NFAS the backup's while the
 * primary's is down.  NULL when none is up. */
static struct lapd *active_lapd(struct isdn_span *s)
{
	if (lapd_is_up(&s->lapd))
		return &s->lapd;
	if (s->backup && lapd_is_up(&s->backup->lapd))
		return &s->backup->lapd;
	return NULL;
}

static void send_msg(struct isdn_span *s, struct q931_enc *e)
{
	struct lapd *l = active_lapd(s);

	if (e->overflow) {
		log_err("ISDN %s: message too long, not sent", s->dname);
		return;
	}
	q931_trace(l ? l->cfg.name : s->dname, true, e->buf, e->len);
	s->stats.tx_msgs++;
	if (!l || lapd_send(l, e->buf, e->len) < 0)
		dbg(DBG_ISDN_Q931, "ISDN %s: TX message dropped, link %s", s->dname,
		    lapd_state_name(s->lapd.state));
}

/* Messages of a call: our own references go without the flag, the network's with. */
static void begin(struct q931_enc *e, const struct isdn_call *c, uint8_t type)
{
	q931_enc_begin(e, 2, c->cr, !c->outgoing, type);
}

static void send_simple(struct isdn_call *c, uint8_t type)
{
	struct q931_enc e;

	begin(&e, c, type);
	send_msg(c->span, &e);
}

static void send_with_cause(struct isdn_call *c, uint8_t type, uint8_t cause)
{
	struct q931_enc e;

	begin(&e, c, type);
	q931_enc_cause(&e, LOC_USER, cause, NULL, 0);
	send_msg(c->span, &e);
}

static void send_status(struct isdn_call *c, uint8_t cause, const uint8_t *diag, size_t dlen)
{
	struct q931_enc e;

	begin(&e, c, Q931_STATUS);
	q931_enc_cause(&e, LOC_USER, cause, diag, dlen);
	q931_enc_call_state(&e, (uint8_t)c->state);
	c->span->stats.rx_status_sent++;
	send_msg(c->span, &e);
}

/* Answers to a message whose call reference we do not know. */
static void send_for_ref(struct isdn_span *s, const struct q931_msg *m, uint8_t type,
			 uint8_t cause, bool with_state)
{
	struct q931_enc e;

	q931_enc_begin(&e, m->cr_len, m->cr, !m->cr_flag, type);
	q931_enc_cause(&e, LOC_USER, cause, NULL, 0);
	if (with_state)
		q931_enc_call_state(&e, 0);
	send_msg(s, &e);
}

/* ---- call records and channels -------------------------------------------------- */

static void call_timer_cb(struct ev_timer *t, void *arg);

static struct isdn_call *call_alloc(struct isdn_span *s)
{
	for (unsigned i = 0; i < ISDN_MAX_CALLS; i++) {
		struct isdn_call *c = &s->calls[i];

		if (!c->in_use) {
			memset(c, 0, sizeof(*c));
			c->span = s;
			c->in_use = true;
			c->setup_time = ev_now(s->loop);
			ev_timer_init(&c->timer, call_timer_cb, c);
			return c;
		}
	}
	return NULL;
}

static struct isdn_call *call_find(struct isdn_span *s, uint16_t cr, bool outgoing)
{
	for (unsigned i = 0; i < ISDN_MAX_CALLS; i++) {
		struct isdn_call *c = &s->calls[i];

		if (c->in_use && c->cr == cr && c->outgoing == outgoing)
			return c;
	}
	return NULL;
}

static bool bchan_usable(const struct isdn_span *s, unsigned ch)
{
	return ch >= 1 && ch <= ISDN_MAX_BCHAN && (s->cfg.bchan_mask & (1u << ch));
}

static bool bchan_free(const struct isdn_span *s, unsigned ch)
{
	return bchan_usable(s, ch) && !s->bchan[ch];
}

static struct isdn_span *ctl_of(struct isdn_span *s)
{
	return s->ctl ? s->ctl : s;
}

/* IOS's default order: the highest free channel first (member by member). */
static uint8_t bchan_pick(struct isdn_span *ctl, struct isdn_span **bs)
{
	for (size_t m = 0; m < ctl->nmembers; m++) {
		struct isdn_span *sp = ctl->members[m];

		for (unsigned ch = ISDN_MAX_BCHAN; ch >= 1; ch--) {
			if (bchan_free(sp, ch)) {
				*bs = sp;
				return (uint8_t)ch;
			}
		}
	}
	*bs = NULL;
	return 0;
}

/* Move the call to channel ch of span bs (ch 0: let go of its channel). */
static void bchan_take(struct isdn_call *c, struct isdn_span *bs, uint8_t ch)
{
	if (c->bchan && c->bspan && c->bspan->bchan[c->bchan] == c)
		c->bspan->bchan[c->bchan] = NULL;
	c->bchan = ch;
	c->bspan = ch ? bs : NULL;
	if (ch && bs)
		bs->bchan[ch] = c;
}

/* The span a Channel ID names: its interface identifier, or the signalling span. */
static struct isdn_span *chan_span(struct isdn_span *ctl, const struct q931_chanid *ci)
{
	if (!ci->int_id_present)
		return ctl;
	for (size_t m = 0; m < ctl->nmembers; m++)
		if (ctl->members[m]->cfg.nfas_int_id == ci->int_id)
			return ctl->members[m];
	return NULL;
}

/* Channel ID of a call: exclusive or preferred; the interface identifier when
 * asked for (5ESS SETUP) or in an NFAS group. */
static void enc_chan(struct q931_enc *e, const struct isdn_call *c, bool exclusive, bool ifid)
{
	const struct isdn_span *bs = c->bspan ? c->bspan : c->span;

	q931_enc_chanid_if(e, exclusive, ifid || c->span->nfas ? bs->cfg.nfas_int_id : -1, c->bchan);
}

static void timer_start(struct isdn_call *c, enum isdn_timer_id id)
{
	const struct isdn_span_config *cfg = &c->span->cfg;
	ev_time_t d;

	switch (id) {
	case ISDN_T303: d = cfg->t303; break;
	case ISDN_T305: d = cfg->t305; break;
	case ISDN_T308: d = cfg->t308; break;
	case ISDN_T310: d = cfg->t310; break;
	case ISDN_T313: d = cfg->t313; break;
	default: return;
	}
	if (c->timer_id != id)
		c->timer_count = 0;
	c->timer_id = id;
	ev_timer_start(c->span->loop, &c->timer, d);
}

static void timer_stop(struct isdn_call *c)
{
	ev_timer_stop(c->span->loop, &c->timer);
	c->timer_id = ISDN_T_NONE;
	c->timer_count = 0;
}

static const char *remote_number(const struct isdn_call *c)
{
	const char *n = c->outgoing ? c->called : c->calling;

	return n[0] ? n : "unknown";
}

static void console_disconnect(struct isdn_call *c)
{
	char ifn[32];

	if (!c->connect_time || !c->bchan)
		return;
	isdn_bchan_ifname(c->bspan ? c->bspan : c->span, c->bchan, ifn, sizeof(ifn));
	log_console("%%ISDN-6-DISCONNECT: Interface %s disconnected from %s , call lasted %llu seconds",
		    ifn, remote_number(c),
		    (unsigned long long)((ev_now(c->span->loop) - c->connect_time) / EV_SEC));
	c->connect_time = 0;	/* printed once */
}

/* Tell the line the call is gone (once) and detach it. */
static void notify_cleared(struct isdn_call *c, uint8_t cause)
{
	void *owner = c->owner;
	struct isdn_span *s = c->span;

	c->owner = NULL;
	if (owner && s->ops->cleared)
		s->ops->cleared(s->ctx, c, owner, cause);
}

/* The call reference is free again (state U0). */
static void call_free(struct isdn_call *c, uint8_t cause)
{
	timer_stop(c);
	console_disconnect(c);
	bchan_take(c, NULL, 0);
	c->state = ISDN_U0_NULL;
	c->cause = cause;
	c->in_use = false;
	notify_cleared(c, cause);
}

/* ---- clearing ------------------------------------------------------------------ */

static void start_release(struct isdn_call *c, bool with_cause, uint8_t cause)
{
	timer_stop(c);
	if (with_cause)
		send_with_cause(c, Q931_RELEASE, cause);
	else
		send_simple(c, Q931_RELEASE);
	c->state = ISDN_U19_RELEASE_REQUEST;
	timer_start(c, ISDN_T308);
}

static void start_disconnect(struct isdn_call *c, uint8_t cause)
{
	timer_stop(c);
	c->cause = cause;
	send_with_cause(c, Q931_DISCONNECT, cause);
	c->state = ISDN_U11_DISCONNECT_REQUEST;
	timer_start(c, ISDN_T305);
}

/* SETUP for an outgoing call: bearer, channel (5ESS: preferred with the interface
 * identifier, 0xE1 80 83 97 in the seed; NI: exclusive, 0xA9 83 97), called number
 * (national, E.164). */
static void send_setup(struct isdn_call *c)
{
	struct q931_enc e;
	uint8_t itc = c->bearer == ISDN_BEARER_SPEECH ? Q931_ITC_SPEECH :
		      c->bearer == ISDN_BEARER_AUDIO ? Q931_ITC_AUDIO_3K1 : Q931_ITC_UNRESTRICTED;

	begin(&e, c, Q931_SETUP);
	q931_enc_bearer(&e, itc);
	if (c->span->cfg.switch_type == ISDN_SWITCH_PRIMARY_5ESS)
		enc_chan(&e, c, false, true);
	else
		enc_chan(&e, c, true, false);
	q931_enc_number(&e, Q931_IE_CALLED, 0x21, c->called);
	send_msg(c->span, &e);
}

static void call_timer_cb(struct ev_timer *t, void *arg)
{
	struct isdn_call *c = arg;

	(void)t;
	if (!c->in_use)
		return;
	c->timer_count++;
	switch (c->timer_id) {
	case ISDN_T303:
		if (c->timer_count < 2) {
			/* SETUP again, same reference; a channel lost to glare is replaced */
			if (!c->bchan) {
				struct isdn_span *bs;
				uint8_t ch = bchan_pick(c->span, &bs);

				if (!ch) {
					call_free(c, Q931_CAUSE_NO_CHANNEL);
					return;
				}
				bchan_take(c, bs, ch);
			}
			send_setup(c);
			ev_timer_start(c->span->loop, &c->timer, c->span->cfg.t303);
			return;
		}
		send_with_cause(c, Q931_RELEASE_COMPLETE, Q931_CAUSE_TIMER_EXPIRY);
		call_free(c, Q931_CAUSE_TIMER_EXPIRY);
		return;
	case ISDN_T305:
		dbg(DBG_ISDN_Q931, "ISDN %s: T305 expired, call id 0x%X", c->span->dname, c->call_id);
		start_release(c, true, c->cause ? c->cause : Q931_CAUSE_NORMAL_CLEARING);
		return;
	case ISDN_T308:
		if (c->timer_count < 2) {
			send_with_cause(c, Q931_RELEASE, Q931_CAUSE_TIMER_EXPIRY);
			ev_timer_start(c->span->loop, &c->timer, c->span->cfg.t308);
			return;
		}
		call_free(c, Q931_CAUSE_TIMER_EXPIRY);
		return;
	case ISDN_T310:
	case ISDN_T313:
		notify_cleared(c, Q931_CAUSE_TIMER_EXPIRY);
		start_disconnect(c, Q931_CAUSE_TIMER_EXPIRY);
		return;
	case ISDN_T_NONE:
		return;
	}
}

/* Every call gone without signalling (link or layer 1 lost). */
static void clear_all_calls(struct isdn_span *s, uint8_t cause)
{
	for (unsigned i = 0; i < ISDN_MAX_CALLS; i++)
		if (s->calls[i].in_use)
			call_free(&s->calls[i], cause);
}

/* ---- line API ------------------------------------------------------------------- */

struct isdn_call *isdn_call_out(struct isdn_span *s, const char *number, enum isdn_bearer bearer,
				void *owner, uint8_t *cause)
{
	struct isdn_call *c;
	struct isdn_span *bs;
	uint8_t ch, dummy;

	if (!cause)
		cause = &dummy;
	s = ctl_of(s);
	if (!number || !number[0] || strlen(number) > ISDN_MAX_NUMBER) {
		*cause = Q931_CAUSE_INVALID_NUMBER;
		return NULL;
	}
	for (const char *p = number; *p; p++) {
		if (!((*p >= '0' && *p <= '9') || *p == '*' || *p == '#')) {
			*cause = Q931_CAUSE_INVALID_NUMBER;
			return NULL;
		}
	}
	if (!active_lapd(s)) {
		*cause = Q931_CAUSE_NETWORK_OUT_OF_ORDER;
		return NULL;
	}
	ch = bchan_pick(s, &bs);
	if (!ch) {
		*cause = Q931_CAUSE_NO_CHANNEL;
		return NULL;
	}
	c = call_alloc(s);
	if (!c) {
		*cause = Q931_CAUSE_RESOURCE_UNAVAIL;
		return NULL;
	}
	/* next free call reference */
	for (unsigned tries = 0; tries < 0x7FFF; tries++) {
		uint16_t cr = s->next_cr;

		s->next_cr = (uint16_t)(cr >= 0x7FFF ? 1 : cr + 1);
		if (!call_find(s, cr, true)) {
			c->cr = cr;
			break;
		}
	}
	c->outgoing = true;
	c->bearer = bearer;
	c->owner = owner;
	/* outgoing call ids in the seed: 0xA000 + call reference (0xA005) */
	c->call_id = (uint16_t)(0xA000 + c->cr);
	snprintf(c->called, sizeof(c->called), "%s", number);
	bchan_take(c, bs, ch);
	s->stats.calls_out++;

	c->state = ISDN_U1_CALL_INITIATED;
	send_setup(c);
	timer_start(c, ISDN_T303);
	return c;
}

struct isdn_call *isdn_call_out_group(struct isdn_span *const *spans, size_t n, const char *number,
				      enum isdn_bearer bearer, void *owner, uint8_t *cause)
{
	uint8_t dummy, last = Q931_CAUSE_NO_CHANNEL;

	if (!cause)
		cause = &dummy;
	for (size_t i = 0; i < n; i++) {
		struct isdn_call *c = isdn_call_out(spans[i], number, bearer, owner, cause);

		if (c)
			return c;
		last = *cause;
		if (last == Q931_CAUSE_INVALID_NUMBER)
			break;
	}
	*cause = last;
	return NULL;
}

static void send_connect(struct isdn_call *c)
{
	send_simple(c, Q931_CONNECT);
	c->state = ISDN_U8_CONNECT_REQUEST;
	timer_start(c, ISDN_T313);
}

int isdn_answer(struct isdn_call *c)
{
	if (!c || !c->in_use || c->outgoing)
		return -EINVAL;
	switch (c->state) {
	case ISDN_U6_CALL_PRESENT:
		c->answer_pending = true;	/* CONNECT after CALL_PROC / ALERTING */
		return 0;
	case ISDN_U7_CALL_RECEIVED:
	case ISDN_U9_INCOMING_PROCEEDING:
		send_connect(c);
		return 0;
	default:
		return -EINVAL;
	}
}

int isdn_hangup(struct isdn_call *c, uint8_t cause)
{
	struct isdn_span *s;

	if (!c || !c->in_use)
		return -EINVAL;
	s = c->span;
	if (!cause)
		cause = Q931_CAUSE_NORMAL_CLEARING;
	c->owner = NULL;	/* the line has let go */
	dbg(DBG_ISDN_Q931, "ISDN %s: Event: Hangup call to call id 0x%X", s->dname, c->call_id);
	switch (c->state) {
	case ISDN_U6_CALL_PRESENT:
		/* still being offered: rejected once the offer returns */
		c->cause = cause;
		return 0;
	case ISDN_U1_CALL_INITIATED:
	case ISDN_U3_OUTGOING_PROCEEDING:
	case ISDN_U4_CALL_DELIVERED:
	case ISDN_U7_CALL_RECEIVED:
	case ISDN_U8_CONNECT_REQUEST:
	case ISDN_U9_INCOMING_PROCEEDING:
	case ISDN_U10_ACTIVE:
		console_disconnect(c);
		start_disconnect(c, cause);
		return 0;
	case ISDN_U12_DISCONNECT_INDICATION:
		start_release(c, false, 0);
		return 0;
	default:
		return 0;	/* already clearing */
	}
}

/* ---- received messages ------------------------------------------------------------ */

/* Is an IE one we know (codeset 0)? */
static bool ie_known(uint8_t id)
{
	switch (id) {
	case Q931_IE_BEARER: case Q931_IE_CAUSE: case Q931_IE_CALL_STATE:
	case Q931_IE_CHANNEL_ID: case Q931_IE_FACILITY: case Q931_IE_PROGRESS:
	case Q931_IE_NOTIFY: case Q931_IE_DISPLAY: case Q931_IE_CALLING:
	case Q931_IE_CALLING_SUB: case Q931_IE_CALLED: case Q931_IE_CALLED_SUB:
	case Q931_IE_REDIRECTING: case Q931_IE_RESTART_IND: case Q931_IE_LLC:
	case Q931_IE_HLC:
		return true;
	}
	return false;
}

/* First unknown codeset-0 IE: 0 none; *required when comprehension is required. */
static uint8_t unknown_ie(const struct q931_msg *m, bool *required)
{
	*required = false;
	for (unsigned i = 0; i < m->n_ie; i++) {
		const struct q931_ie_ref *ie = &m->ie[i];

		if (ie->codeset != 0 || (ie->id & 0x80))
			continue;
		if (!ie_known(ie->id)) {
			*required = (ie->id & 0xF0) == 0;	/* Q.931 4.5.1 */
			return ie->id;
		}
	}
	return 0;
}

/* First optional IE whose contents break the coding rules (Q.931 5.8.7.2), or 0. */
static uint8_t bad_optional_ie(const struct q931_msg *m)
{
	for (unsigned i = 0; i < m->n_ie; i++) {
		const struct q931_ie_ref *ie = &m->ie[i];
		const uint8_t *d = m->raw + ie->off;
		struct q931_number num;
		uint8_t a, b;

		if (ie->codeset != 0)
			continue;
		switch (ie->id) {
		case Q931_IE_PROGRESS:
			if (q931_get_progress(d, ie->len, &a, &b) < 0)
				return ie->id;
			break;
		case Q931_IE_CALLING:
		case Q931_IE_CALLED:
			if (q931_get_number(d, ie->len, &num) < 0)
				return ie->id;
			break;
		default:
			break;
		}
	}
	return 0;
}

static bool known_type(uint8_t t)
{
	return q931_msg_name(t) != NULL;
}

/* Channel ID of a network response to our SETUP: take the channel it names. */
static int take_response_channel(struct isdn_call *c, const struct q931_msg *m)
{
	struct isdn_span *bs;
	const uint8_t *d;
	uint8_t len;
	struct q931_chanid ci;

	d = q931_find_ie(m, Q931_IE_CHANNEL_ID, &len);
	if (!d)
		return c->bchan ? 0 : -Q931_CAUSE_MANDATORY_IE_MISSING;
	if (q931_get_chanid(d, len, &ci) < 0 || !ci.pri)
		return -Q931_CAUSE_INVALID_IE_CONTENTS;
	bs = chan_span(c->span, &ci);
	if (!bs || !bchan_usable(bs, ci.bchan))
		return -Q931_CAUSE_CHANNEL_NONEXISTENT;
	if (bs == c->bspan && ci.bchan == c->bchan)
		return 0;
	if (bs->bchan[ci.bchan])
		return -Q931_CAUSE_CHANNEL_UNACCEPTABLE;
	bchan_take(c, bs, ci.bchan);
	return 0;
}

/* A response to our SETUP named a channel we cannot use: RELEASE (Q.931 5.1.2). */
static bool response_channel_ok(struct isdn_call *c, const struct q931_msg *m)
{
	int rc = take_response_channel(c, m);

	if (rc == 0)
		return true;
	notify_cleared(c, (uint8_t)-rc);
	start_release(c, true, (uint8_t)-rc);
	return false;
}

static void rx_setup(struct isdn_span *s, const struct q931_msg *m)
{
	const uint8_t *d;
	uint8_t len, ch = 0, cause = 0;
	struct q931_bearer bc;
	struct q931_chanid ci;
	struct q931_number num;
	struct isdn_span *bs = NULL;
	enum isdn_bearer bearer = ISDN_BEARER_AUDIO;
	struct isdn_call *c;
	bool required, bad_optional = false;
	uint8_t unk = unknown_ie(m, &required);
	void *owner = NULL;
	int rc;

	if (unk && required) {
		cause = Q931_CAUSE_MANDATORY_IE_MISSING;
		goto reject;
	}
	d = q931_find_ie(m, Q931_IE_BEARER, &len);
	if (!d) {
		cause = Q931_CAUSE_MANDATORY_IE_MISSING;
		goto reject;
	}
	if (q931_get_bearer(d, len, &bc) < 0) {
		cause = Q931_CAUSE_INVALID_IE_CONTENTS;
		goto reject;
	}
	if (bc.coding != 0) {
		cause = Q931_CAUSE_BEARER_NOT_IMPL;
		goto reject;
	}
	switch (bc.itc) {
	case Q931_ITC_SPEECH:		bearer = ISDN_BEARER_SPEECH; break;
	case Q931_ITC_AUDIO_3K1:	bearer = ISDN_BEARER_AUDIO; break;
	case Q931_ITC_UNRESTRICTED:	bearer = ISDN_BEARER_DIGITAL; break;
	default:
		cause = Q931_CAUSE_BEARER_NOT_IMPL;
		goto reject;
	}

	d = q931_find_ie(m, Q931_IE_CHANNEL_ID, &len);
	if (!d) {
		cause = Q931_CAUSE_MANDATORY_IE_MISSING;
		goto reject;
	}
	if (q931_get_chanid(d, len, &ci) < 0 || !ci.pri || ci.dchan) {
		cause = Q931_CAUSE_INVALID_IE_CONTENTS;
		goto reject;
	}
	bs = chan_span(s, &ci);
	if (ci.sel == 3 || ci.sel == 0) {
		ch = bchan_pick(s, &bs);
		if (!ch) {
			cause = Q931_CAUSE_NO_CHANNEL;
			goto reject;
		}
	} else if (!bs || !bchan_usable(bs, ci.bchan)) {
		cause = Q931_CAUSE_CHANNEL_NONEXISTENT;
		goto reject;
	} else if (bs->bchan[ci.bchan]) {
		struct isdn_call *holder = bs->bchan[ci.bchan];

		if (holder->outgoing && holder->state == ISDN_U1_CALL_INITIATED) {
			/* glare: our SETUP only preferred this channel, the network's
			 * choice wins; our call gets a channel from CALL PROCEEDING */
			dbg(DBG_ISDN_Q931, "ISDN %s: glare on B-channel %u, yielding to the network",
			    s->dname, ci.bchan);
			bchan_take(holder, NULL, 0);
			ch = ci.bchan;
		} else if (ci.exclusive) {
			cause = Q931_CAUSE_CHANNEL_NOT_AVAIL;
			goto reject;
		} else {
			ch = bchan_pick(s, &bs);
			if (!ch) {
				cause = Q931_CAUSE_NO_CHANNEL;
				goto reject;
			}
		}
	} else {
		ch = ci.bchan;
	}

	c = call_alloc(s);
	if (!c) {
		cause = Q931_CAUSE_NO_CHANNEL;
		goto reject;
	}
	c->outgoing = false;
	c->cr = m->cr;
	c->bearer = bearer;
	c->call_id = s->next_call_id;
	s->next_call_id = (uint16_t)(s->next_call_id >= 0x7FFF ? 1 : s->next_call_id + 1);
	d = q931_find_ie(m, Q931_IE_CALLED, &len);
	if (d) {
		if (q931_get_number(d, len, &num) == 0)
			snprintf(c->called, sizeof(c->called), "%s", num.digits);
		else
			bad_optional = true;
	}
	d = q931_find_ie(m, Q931_IE_CALLING, &len);
	if (d) {
		if (q931_get_number(d, len, &num) == 0)
			snprintf(c->calling, sizeof(c->calling), "%s", num.digits);
		else
			bad_optional = true;
	}
	bchan_take(c, bs, ch);
	c->state = ISDN_U6_CALL_PRESENT;
	s->stats.calls_in++;
	dbg(DBG_ISDN_Q931, "ISDN %s: Incoming call id = 0x%X", s->dname, c->call_id);

	/* offer it to a line */
	if (bearer == ISDN_BEARER_DIGITAL)
		rc = s->ops->incoming_data ? s->ops->incoming_data(s->ctx, c, &owner)
					   : Q931_CAUSE_BEARER_NOT_AVAIL;
	else if (s->cfg.incoming_voice_modem && s->ops->incoming_voice)
		rc = s->ops->incoming_voice(s->ctx, c, &owner);
	else
		rc = Q931_CAUSE_BEARER_NOT_AVAIL;
	if (!c->in_use || c->state != ISDN_U6_CALL_PRESENT)
		return;	/* the line cleared it from inside the callback */
	if (rc == 0 && c->cause) {
		rc = c->cause;	/* accepted, then hung up inside the callback */
		owner = NULL;
	}
	if (rc != 0) {
		s->stats.calls_rejected++;
		c->owner = NULL;
		send_with_cause(c, Q931_RELEASE_COMPLETE, rc > 0 && rc < 128 ? (uint8_t)rc :
				Q931_CAUSE_CALL_REJECTED);
		call_free(c, (uint8_t)rc);
		return;
	}
	c->owner = owner;
	{
		struct q931_enc e;

		begin(&e, c, Q931_CALL_PROCEEDING);
		enc_chan(&e, c, true, false);
		send_msg(s, &e);
	}
	c->state = ISDN_U9_INCOMING_PROCEEDING;
	if (bad_optional) {
		send_status(c, Q931_CAUSE_INVALID_IE_CONTENTS, NULL, 0);
	} else if (unk) {
		send_status(c, Q931_CAUSE_IE_NONEXISTENT, &unk, 1);
	}
	send_simple(c, Q931_ALERTING);
	c->state = ISDN_U7_CALL_RECEIVED;
	if (c->answer_pending) {
		c->answer_pending = false;
		send_connect(c);
	}
	return;

reject:
	s->stats.calls_rejected++;
	dbg(DBG_ISDN_Q931, "ISDN %s: incoming call rejected, cause 0x%02X", s->dname, cause);
	send_for_ref(s, m, Q931_RELEASE_COMPLETE, cause, false);
}

static void rx_restart(struct isdn_span *s, const struct q931_msg *m)
{
	const uint8_t *d, *cid;
	uint8_t len, cid_len = 0, klass;
	struct q931_chanid ci;
	struct q931_enc e;

	d = q931_find_ie(m, Q931_IE_RESTART_IND, &len);
	if (!d || q931_get_restart_ind(d, len, &klass) < 0) {
		q931_enc_begin(&e, m->cr_len, 0, !m->cr_flag, Q931_STATUS);
		q931_enc_cause(&e, LOC_USER, d ? Q931_CAUSE_INVALID_IE_CONTENTS :
			       Q931_CAUSE_MANDATORY_IE_MISSING, NULL, 0);
		q931_enc_call_state(&e, 0);	/* REST0 */
		s->stats.rx_status_sent++;
		send_msg(s, &e);
		return;
	}
	cid = q931_find_ie(m, Q931_IE_CHANNEL_ID, &cid_len);
	if (klass == 0) {
		struct isdn_span *bs = NULL;

		if (cid && q931_get_chanid(cid, cid_len, &ci) == 0)
			bs = chan_span(s, &ci);
		if (!bs || !bchan_usable(bs, ci.bchan)) {
			q931_enc_begin(&e, m->cr_len, 0, !m->cr_flag, Q931_STATUS);
			q931_enc_cause(&e, LOC_USER, cid ? Q931_CAUSE_INVALID_IE_CONTENTS :
				       Q931_CAUSE_MANDATORY_IE_MISSING, NULL, 0);
			q931_enc_call_state(&e, 0);
			s->stats.rx_status_sent++;
			send_msg(s, &e);
			return;
		}
		if (bs->bchan[ci.bchan])
			call_free(bs->bchan[ci.bchan], Q931_CAUSE_TEMPORARY_FAILURE);
	} else if (klass == 6 && s->nfas) {
		/* one interface: the one the Channel ID names, else ours */
		struct isdn_span *bs = s;

		if (cid && q931_get_chanid(cid, cid_len, &ci) == 0 && chan_span(s, &ci))
			bs = chan_span(s, &ci);
		for (unsigned i = 0; i < ISDN_MAX_CALLS; i++)
			if (s->calls[i].in_use && s->calls[i].bspan == bs)
				call_free(&s->calls[i], Q931_CAUSE_TEMPORARY_FAILURE);
	} else {
		clear_all_calls(s, Q931_CAUSE_TEMPORARY_FAILURE);
	}
	q931_enc_begin(&e, m->cr_len, 0, !m->cr_flag, Q931_RESTART_ACK);
	if (cid)
		q931_enc_ie(&e, Q931_IE_CHANNEL_ID, cid, cid_len);
	q931_enc_restart_ind(&e, klass);
	send_msg(s, &e);
}

static void rx_global(struct isdn_span *s, const struct q931_msg *m)
{
	switch (m->type) {
	case Q931_RESTART:
		rx_restart(s, m);
		return;
	case Q931_STATUS:
	case Q931_RESTART_ACK:
		return;
	default:
		/* Q.931 5.8.3.2 g: anything else on the global reference */
		{
			struct q931_enc e;

			q931_enc_begin(&e, m->cr_len, 0, !m->cr_flag, Q931_STATUS);
			q931_enc_cause(&e, LOC_USER, Q931_CAUSE_INVALID_CALLREF, NULL, 0);
			q931_enc_call_state(&e, 0);
			s->stats.rx_status_sent++;
			send_msg(s, &e);
		}
		return;
	}
}

static void rx_unknown_ref(struct isdn_span *s, const struct q931_msg *m)
{
	const uint8_t *d;
	uint8_t len, st;

	switch (m->type) {
	case Q931_SETUP:
		if (!m->cr_flag)
			rx_setup(s, m);
		return;
	case Q931_RELEASE_COMPLETE:
		return;
	case Q931_STATUS:
		d = q931_find_ie(m, Q931_IE_CALL_STATE, &len);
		if (d && q931_get_call_state(d, len, &st) == 0 && st != 0)
			send_for_ref(s, m, Q931_RELEASE_COMPLETE, Q931_CAUSE_MSG_NOT_COMPATIBLE, false);
		return;
	case Q931_STATUS_ENQUIRY:
		send_for_ref(s, m, Q931_STATUS, Q931_CAUSE_STATUS_ENQUIRY_RESP, true);
		return;
	default:
		send_for_ref(s, m, Q931_RELEASE_COMPLETE, Q931_CAUSE_INVALID_CALLREF, false);
		return;
	}
}

static uint8_t msg_cause(const struct q931_msg *m, bool *present)
{
	const uint8_t *d;
	uint8_t len;
	struct q931_cause_ie ci;

	*present = false;
	d = q931_find_ie(m, Q931_IE_CAUSE, &len);
	if (!d)
		return Q931_CAUSE_NORMAL_UNSPECIFIED;
	if (q931_get_cause(d, len, &ci) < 0)
		return Q931_CAUSE_INVALID_IE_CONTENTS;
	*present = true;
	return ci.value;
}

static void rx_disconnect(struct isdn_call *c, const struct q931_msg *m)
{
	bool present;
	uint8_t cause = msg_cause(m, &present);

	switch (c->state) {
	case ISDN_U1_CALL_INITIATED:
	case ISDN_U3_OUTGOING_PROCEEDING:
	case ISDN_U4_CALL_DELIVERED:
	case ISDN_U7_CALL_RECEIVED:
	case ISDN_U8_CONNECT_REQUEST:
	case ISDN_U9_INCOMING_PROCEEDING:
	case ISDN_U10_ACTIVE:
	case ISDN_U11_DISCONNECT_REQUEST:
		console_disconnect(c);
		c->cause = cause;
		/* Q.931 5.8.6.1: a DISCONNECT without cause is still honoured */
		start_release(c, !present, Q931_CAUSE_MANDATORY_IE_MISSING);
		notify_cleared(c, cause);
		return;
	default:
		send_status(c, Q931_CAUSE_MSG_NOT_COMPATIBLE, NULL, 0);
		return;
	}
}

static void rx_in_call(struct isdn_call *c, const struct q931_msg *m)
{
	struct isdn_span *s = c->span;
	bool present, required;
	uint8_t cause, unk, st, len;
	const uint8_t *d;

	if (!known_type(m->type)) {
		send_status(c, Q931_CAUSE_MSG_TYPE_NONEXISTENT, &m->type, 1);
		return;
	}
	unk = unknown_ie(m, &required);

	switch (m->type) {
	case Q931_RELEASE:
		cause = msg_cause(m, &present);
		if (c->state != ISDN_U19_RELEASE_REQUEST)
			send_simple(c, Q931_RELEASE_COMPLETE);
		/* else: clear collision, the RELEASE acts as RELEASE COMPLETE */
		call_free(c, cause);
		return;
	case Q931_RELEASE_COMPLETE:
		cause = msg_cause(m, &present);
		call_free(c, cause);
		return;
	case Q931_DISCONNECT:
		rx_disconnect(c, m);
		return;
	case Q931_STATUS_ENQUIRY:
		send_status(c, Q931_CAUSE_STATUS_ENQUIRY_RESP, NULL, 0);
		return;
	case Q931_STATUS:
		d = q931_find_ie(m, Q931_IE_CALL_STATE, &len);
		if (!d || q931_get_call_state(d, len, &st) < 0 || !q931_find_ie(m, Q931_IE_CAUSE, NULL))
			return;	/* never answer a STATUS with a STATUS */
		if (st == 0 && c->state != ISDN_U0_NULL) {
			/* the network has forgotten the call */
			call_free(c, msg_cause(m, &present));
		}
		return;
	default:
		break;
	}

	if (unk && required) {
		send_status(c, Q931_CAUSE_MANDATORY_IE_MISSING, &unk, 1);
		return;
	}

	switch (m->type) {
	case Q931_CALL_PROCEEDING:
		if (c->state != ISDN_U1_CALL_INITIATED)
			goto incompatible;
		if (!response_channel_ok(c, m))
			return;
		timer_stop(c);
		c->state = ISDN_U3_OUTGOING_PROCEEDING;
		timer_start(c, ISDN_T310);
		if (c->owner && s->ops->proceeding)
			s->ops->proceeding(s->ctx, c, c->owner);
		break;
	case Q931_ALERTING:
		if (c->state != ISDN_U1_CALL_INITIATED && c->state != ISDN_U3_OUTGOING_PROCEEDING)
			goto incompatible;
		if (c->state == ISDN_U1_CALL_INITIATED && !response_channel_ok(c, m))
			return;
		timer_stop(c);
		c->state = ISDN_U4_CALL_DELIVERED;
		if (c->owner && s->ops->alerting)
			s->ops->alerting(s->ctx, c, c->owner);
		break;
	case Q931_CONNECT:
		if (c->state != ISDN_U1_CALL_INITIATED && c->state != ISDN_U3_OUTGOING_PROCEEDING &&
		    c->state != ISDN_U4_CALL_DELIVERED)
			goto incompatible;
		if (c->state == ISDN_U1_CALL_INITIATED && !response_channel_ok(c, m))
			return;
		timer_stop(c);
		c->state = ISDN_U10_ACTIVE;
		c->connect_time = ev_now(s->loop);
		/* the line hears first, then CONNECT ACKNOWLEDGE (the seed's order) */
		if (c->owner && s->ops->connected)
			s->ops->connected(s->ctx, c, c->owner);
		if (c->in_use && c->state == ISDN_U10_ACTIVE)
			send_simple(c, Q931_CONNECT_ACK);
		break;
	case Q931_CONNECT_ACK:
		if (c->state != ISDN_U8_CONNECT_REQUEST)
			goto incompatible;
		timer_stop(c);
		c->state = ISDN_U10_ACTIVE;
		c->connect_time = ev_now(s->loop);
		if (c->owner && s->ops->connected)
			s->ops->connected(s->ctx, c, c->owner);
		break;
	case Q931_PROGRESS:
	case Q931_INFORMATION:
	case Q931_NOTIFY:
	case Q931_FACILITY:
		break;	/* accepted, nothing to do */
	default:
		goto incompatible;	/* SETUP, SETUP_ACK, RESTART... on a live call */
	}
	/* optional IE problems are reported once the message has been acted on */
	if (unk && c->in_use) {
		send_status(c, Q931_CAUSE_IE_NONEXISTENT, &unk, 1);
	} else if (c->in_use) {
		uint8_t bad = bad_optional_ie(m);

		if (bad)
			send_status(c, Q931_CAUSE_INVALID_IE_CONTENTS, &bad, 1);
	}
	return;

incompatible:
	send_status(c, Q931_CAUSE_MSG_NOT_COMPATIBLE, &m->type, 1);
}

static void l3_input(struct isdn_span *rx, const uint8_t *buf, size_t len)
{
	struct isdn_span *s = rx->ctl ? rx->ctl : rx;	/* NFAS: the signalling span */
	struct q931_msg m;
	struct isdn_call *c;

	s->stats.rx_msgs++;
	q931_trace(rx->dname, false, buf, len);
	if (q931_parse(buf, len, &m) < 0 || m.cr_len != 2) {
		s->stats.rx_bad++;	/* Q.931 5.8.1 - 5.8.3.1: ignore */
		return;
	}
	if (m.cr == 0) {
		rx_global(s, &m);
		return;
	}
	/* flag set: a reference we allocated, i.e. one of our outgoing calls */
	c = call_find(s, m.cr, m.cr_flag);
	if (!c) {
		rx_unknown_ref(s, &m);
		return;
	}
	if (m.type == Q931_SETUP)
		return;	/* Q.931 5.8.3.2 f: SETUP on a live reference is ignored */
	rx_in_call(c, &m);
}

/* ---- LAPD glue ------------------------------------------------------------------ */

static int span_send_frame(void *ctx, const uint8_t *f, size_t len)
{
	struct isdn_span *s = ctx;

	return s->ops->send_dchan ? s->ops->send_dchan(s->ctx, s, f, len) : -ENOTCONN;
}

static void span_established(void *ctx)
{
	struct isdn_span *x = ctx, *s = ctl_of(x);
	struct isdn_span *other = x == s ? s->backup : s;
	bool switchover = other && other != x && lapd_is_up(&other->lapd);

	/* Q.931 5.8.9: calls that were being set up or cleared are released;
	 * active calls are checked with STATUS ENQUIRY.  Not when the other
	 * D-channel of an NFAS group kept signalling meanwhile. */
	for (unsigned i = 0; i < ISDN_MAX_CALLS && !switchover; i++) {
		struct isdn_call *c = &s->calls[i];

		if (!c->in_use)
			continue;
		if (c->state == ISDN_U10_ACTIVE) {
			send_simple(c, Q931_STATUS_ENQUIRY);
		} else if (c->state != ISDN_U19_RELEASE_REQUEST) {
			notify_cleared(c, Q931_CAUSE_TEMPORARY_FAILURE);
			start_release(c, true, Q931_CAUSE_TEMPORARY_FAILURE);
		}
	}
	log_console("%%ISDN-6-LAYER2UP: Layer 2 for Interface %s, TEI %u changed to up", x->dname,
		    x->lapd.cfg.tei);
	if (x->ops->link_state)
		x->ops->link_state(x->ctx, x, true);
}

static void span_released(void *ctx)
{
	struct isdn_span *x = ctx, *s = ctl_of(x);

	x->stats.link_losses++;
	log_console("%%ISDN-6-LAYER2DOWN: Layer 2 for Interface %s, TEI %u changed to down",
		    x->dname, x->lapd.cfg.tei);
	/* calls survive while another D-channel of the group signals for them */
	if (!active_lapd(s))
		clear_all_calls(s, Q931_CAUSE_NETWORK_OUT_OF_ORDER);
	if (x->ops->link_state)
		x->ops->link_state(x->ctx, x, false);
}

static void span_data(void *ctx, const uint8_t *d, size_t len)
{
	l3_input(ctx, d, len);
}

static const struct lapd_ops span_lapd_ops = {
	.send_frame = span_send_frame,
	.established = span_established,
	.released = span_released,
	.data_ind = span_data,
	.unitdata_ind = span_data,
};

void isdn_span_init(struct isdn_span *s, struct ev_loop *loop, const struct isdn_span_config *cfg,
		    const struct isdn_span_ops *ops, void *ctx)
{
	struct lapd_config lc;

	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->cfg = *cfg;
	s->ops = ops;
	s->ctx = ctx;
	snprintf(s->dname, sizeof(s->dname), "Se%u:23", cfg->unit);
	snprintf(s->ifname, sizeof(s->ifname), "Serial%u:23", cfg->unit);
	s->next_cr = cfg->first_callref >= 1 && cfg->first_callref <= 0x7FFF ? cfg->first_callref : 1;
	s->next_call_id = cfg->first_call_id ? cfg->first_call_id : 1;
	lapd_config_default(&lc, s->dname);
	lapd_init(&s->lapd, loop, &lc, &span_lapd_ops, s);
	s->ctl = s;
	s->members[0] = s;
	s->nmembers = 1;
	for (unsigned i = 0; i < ISDN_MAX_CALLS; i++)
		ev_timer_init(&s->calls[i].timer, call_timer_cb, &s->calls[i]);
}

void isdn_span_fini(struct isdn_span *s)
{
	for (unsigned i = 0; i < ISDN_MAX_CALLS; i++) {
		s->calls[i].owner = NULL;
		if (s->calls[i].in_use)
			timer_stop(&s->calls[i]);
		s->calls[i].in_use = false;
	}
	s->lapd.wanted = false;
	ev_timer_stop(s->loop, &s->lapd.t200);
	ev_timer_stop(s->loop, &s->lapd.t203);
}

int isdn_nfas_group(struct isdn_span *primary, struct isdn_span *backup,
		    struct isdn_span *const *others, size_t n)
{
	struct isdn_span *all[ISDN_NFAS_MAX];
	size_t k = 0;

	if (!primary || n + 2 > ISDN_NFAS_MAX || backup == primary)
		return -EINVAL;
	all[k++] = primary;
	if (backup)
		all[k++] = backup;
	for (size_t i = 0; i < n; i++) {
		if (!others[i] || others[i] == primary || others[i] == backup)
			return -EINVAL;
		all[k++] = others[i];
	}
	/* interface identifiers must be distinct */
	for (size_t i = 0; i < k; i++)
		for (size_t j = i + 1; j < k; j++)
			if (all[i]->cfg.nfas_int_id == all[j]->cfg.nfas_int_id)
				return -EINVAL;
	for (size_t i = 0; i < k; i++) {
		all[i]->ctl = primary;
		all[i]->nfas = true;
		all[i]->backup = NULL;
		all[i]->nmembers = 0;
		primary->members[i] = all[i];
	}
	primary->nmembers = k;
	primary->backup = backup;
	return 0;
}

void isdn_span_l1(struct isdn_span *s, bool up)
{
	struct isdn_span *ctl = ctl_of(s);
	bool has_dchan = s == ctl || s == ctl->backup;

	if (up == s->l1_up)
		return;
	s->l1_up = up;
	if (up) {
		if (has_dchan)
			lapd_start(&s->lapd);
		return;
	}
	/* its D-channel (if any) goes: without another, every call goes */
	if (has_dchan)
		lapd_stop(&s->lapd);
	/* and its B-channels */
	for (unsigned i = 0; i < ISDN_MAX_CALLS; i++)
		if (ctl->calls[i].in_use && ctl->calls[i].bspan == s)
			call_free(&ctl->calls[i], Q931_CAUSE_NETWORK_OUT_OF_ORDER);
}

void isdn_span_dchan_input(struct isdn_span *s, const uint8_t *frame, size_t len)
{
	if (!s->l1_up)
		return;
	lapd_input(&s->lapd, frame, len);
}

/* ---- show commands -------------------------------------------------------------- */

void isdn_show_status(struct isdn_span *const *spans, size_t n, FILE *out)
{
	fprintf(out, "Global ISDN Switchtype = %s\n",
		n ? isdn_switch_name(spans[0]->cfg.switch_type) : "none");
	for (size_t i = 0; i < n; i++) {
		struct isdn_span *s = spans[i];
		unsigned calls = isdn_active_calls(s);
		uint32_t freemask = 0;

		for (unsigned ch = 1; ch <= ISDN_MAX_BCHAN; ch++)
			if (bchan_free(s, ch))
				freemask |= 1u << (ch - 1);
		fprintf(out, "ISDN %s interface\n", s->ifname);
		fprintf(out, "        dsl %u, interface ISDN Switchtype = %s\n", s->cfg.unit,
			isdn_switch_name(s->cfg.switch_type));
		fprintf(out, "    Layer 1 Status:\n        %s\n", s->l1_up ? "ACTIVE" : "DEACTIVATED");
		fprintf(out, "    Layer 2 Status:\n        TEI = %u, Ces = 1, SAPI = %u, State = %s\n",
			s->lapd.cfg.tei, s->lapd.cfg.sapi, lapd_state_name(s->lapd.state));
		fprintf(out, "    Layer 3 Status:\n        %u Active Layer 3 Call(s)\n", calls);
		fprintf(out, "    Activated dsl %u CCBs = %u\n", s->cfg.unit, calls);
		for (unsigned c = 0; c < ISDN_MAX_CALLS; c++) {
			const struct isdn_call *call = &s->calls[c];

			if (!call->in_use)
				continue;
			fprintf(out, "        CCB:callid=0x%X, callref=0x%04X, sapi=0, ces=1, B-chan=%u, "
				"calltype=%s, state=%s\n", call->call_id,
				call->cr | (call->outgoing ? 0 : 0x8000), call->bchan,
				call->bearer == ISDN_BEARER_DIGITAL ? "DATA" : "VOICE",
				isdn_state_name(call->state));
		}
		fprintf(out, "    The Free Channel Mask:  0x%08X\n", freemask);
	}
	{
		unsigned total = 0;

		for (size_t i = 0; i < n; i++)
			total += isdn_active_calls(spans[i]);
		fprintf(out, "    Total Allocated ISDN CCBs = %u\n", total);
	}
}

void isdn_show_active(struct isdn_span *const *spans, size_t n, FILE *out)
{
	static const char rule[] =
		"--------------------------------------------------------------------------------";

	fprintf(out, "%s\n%32s%s\n%s\n", rule, "", "ISDN ACTIVE CALLS", rule);
	fprintf(out, "%-8s%-20s%-20s%-12s%-12s%s\n", "Call", "Calling", "Called", "Interface",
		"Seconds", "State");
	fprintf(out, "%-8s%-20s%-20s%-12s%-12s\n", "Type", "Number", "Number", "", "Used");
	fprintf(out, "%s\n", rule);
	for (size_t i = 0; i < n; i++) {
		struct isdn_span *s = spans[i];

		for (unsigned c = 0; c < ISDN_MAX_CALLS; c++) {
			const struct isdn_call *call = &s->calls[c];
			char ifn[24] = "-";
			unsigned long long secs;

			if (!call->in_use)
				continue;
			if (call->bchan)
				isdn_bchan_ifname(call->bspan ? call->bspan : s, call->bchan, ifn,
						  sizeof(ifn));
			secs = (ev_now(s->loop) - (call->connect_time ? call->connect_time :
						   call->setup_time)) / EV_SEC;
			fprintf(out, "%-8s%-20s%-20s%-12s%-12llu%s\n", call->outgoing ? "Out" : "In",
				call->outgoing ? "" : (call->calling[0] ? call->calling : "unknown"),
				call->called, ifn, secs,
				call->state == ISDN_U10_ACTIVE ? "Active" : "Setup/Clearing");
		}
	}
	fprintf(out, "%s\n", rule);
}
