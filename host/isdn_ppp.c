/*
 * isdn_ppp.c - PPP on ISDN B-channels for digital calls (see isdn_ppp.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "isdn_ppp.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "card.h"
#include "config.h"
#include "ctl.h"
#include "log.h"
#include "nas.h"

/* --- slots ------------------------------------------------------------------------- */

static struct isdn_ppp *slot_of(struct isdn_ppp_pool *p, void *owner)
{
	uintptr_t o = (uintptr_t)owner, b = (uintptr_t)p->slot;

	if (!p->slot || o < b || o >= b + p->nslots * sizeof(p->slot[0]) ||
	    (o - b) % sizeof(p->slot[0]))
		return NULL;
	return owner;
}

static unsigned slots_in_use(const struct isdn_ppp_pool *p)
{
	unsigned n = 0;

	for (unsigned i = 0; i < p->nslots; i++)
		if (p->slot[i].state != ISDN_PPP_FREE)
			n++;
	return n;
}

unsigned isdn_ppp_active(const struct isdn_ppp_pool *p)
{
	return p->slot ? slots_in_use(p) : 0;
}

static struct isdn_ppp *slot_get(struct isdn_ppp_pool *p)
{
	if (slots_in_use(p) >= p->limit)
		return NULL;
	for (unsigned i = 0; i < p->nslots; i++)
		if (p->slot[i].state == ISDN_PPP_FREE)
			return &p->slot[i];
	return NULL;
}

/* The card channel of a call's B-channel (NFAS: the span that carries it). */
static int chan_of(const struct isdn_call *c)
{
	const struct isdn_span *bs = c->bspan ? c->bspan : c->span;

	if (!c->bchan)
		return -1;
	return (int)(bs->cfg.unit * CARD_CHANS_PER_SPAN + c->bchan - 1u);
}

static struct card *card_of(const struct isdn_ppp *s)
{
	const struct nas *n = s->pool->nas;

	return n->card && n->card_ready ? n->card : NULL;
}

/* The B-channel's names: Serial<unit>:<bchan-1>, "Se<unit>:<bchan-1>". */
static void set_names(struct isdn_ppp *s, const struct isdn_call *c)
{
	const struct isdn_span *bs = c->bspan ? c->bspan : c->span;

	isdn_bchan_ifname(bs, c->bchan, s->lname, sizeof(s->lname));
	snprintf(s->sname, sizeof(s->sname), "Se%u:%u", bs->cfg.unit, c->bchan ? c->bchan - 1u : 0u);
}

/* Switch the slot to the call's B-channel in sync HDLC. */
static int bind_chan(struct isdn_ppp *s)
{
	struct nas *n = s->pool->nas;
	struct card *card = card_of(s);
	int chan = chan_of(s->call);
	struct card_chan_cfg cc = { .mode = CARD_MODE_SYNC_HDLC, .mru = 1600 };

	if (chan == s->chan)
		return 0;
	if (chan < 0 || (unsigned)chan >= n->nchans || n->chan_line[chan])
		return -EBUSY;
	s->chan = chan;
	set_names(s, s->call);
	if (card)
		card_chan_config(card, (unsigned)chan, &cc);
	return 0;
}

static void unbind_chan(struct isdn_ppp *s)
{
	struct card *card = card_of(s);
	struct card_chan_cfg cc = { .mode = CARD_MODE_OFF };

	if (s->chan < 0)
		return;
	if (card)
		card_chan_config(card, (unsigned)s->chan, &cc);
	s->chan = -1;
}

static void stop_ppp(struct isdn_ppp *s)
{
	if (s->ppp_running) {
		s->ppp_running = false;
		ppp_lower_down(&s->ppp);
		ppp_session_fini(&s->ppp);
	}
}

/* Drop the call (DISCONNECT if it is still up), the channel and the session. */
static void slot_reset(struct isdn_ppp *s, bool keep_callback)
{
	struct isdn_call *c = s->call;

	stop_ppp(s);
	ip_session_down(&s->ip);
	s->call = NULL;
	if (c)
		isdn_hangup(c, Q931_CAUSE_NORMAL_CLEARING);
	unbind_chan(s);
	s->user[0] = '\0';
	s->peer_addr = 0;
	if (keep_callback)
		return;
	ev_timer_stop(s->pool->nas->loop, &s->cb_timer);
	s->callback_leg = false;
	s->cb_hangup_pending = false;
	s->cb_user[0] = '\0';
	s->cb_number[0] = '\0';
	s->state = ISDN_PPP_FREE;
	nas_reload_collect_later(s->pool->nas);	/* a retired configuration may go now */
}

/* --- callback -------------------------------------------------------------------------- */

static void callback_failed(struct isdn_ppp *s, const char *why)
{
	struct nas *n = s->pool->nas;

	log_notice("%s: callback to %s for %s failed: %s", s->lname, s->cb_number, s->cb_user,
		   why);
	dbg(DBG_CALLBACK, "%s Callback to %s failed: %s", s->sname, s->cb_number, why);
	if (s->cb_attempt < n->tune.callback_retries) {
		s->cb_attempt++;
		slot_reset(s, true);
		s->state = ISDN_PPP_CB_WAIT;
		ev_timer_start(n->loop, &s->cb_timer, n->tune.callback_retry_wait);
		return;
	}
	s->pool->stats.callbacks_failed++;
	n->stats.callbacks_failed++;
	slot_reset(s, false);
}

static void cb_timer_fired(struct ev_timer *t, void *arg)
{
	struct isdn_ppp *s = arg;
	struct nas *n = s->pool->nas;
	struct isdn_call *c;
	uint8_t cause = 0;

	(void)t;
	if (s->state != ISDN_PPP_CB_WAIT)
		return;
	if (s->cb_hangup_pending) {
		ev_time_t rest = n->tune.callback_delay > n->tune.callback_hangup
				 ? n->tune.callback_delay - n->tune.callback_hangup : 0;

		/* our TERMACK is out: clear the caller's call, dial back later */
		s->cb_hangup_pending = false;
		slot_reset(s, true);
		ev_timer_start(n->loop, &s->cb_timer, rest);
		return;
	}
	dbg(DBG_CALLBACK, "%s Callback: dialing %s for %s (digital)", s->sname, s->cb_number,
	    s->cb_user);
	s->state = ISDN_PPP_CB_DIAL;
	s->callback_leg = true;
	s->call_start = ev_now(n->loop);
	c = isdn_call_out(s->sig_span, s->cb_number, ISDN_BEARER_DIGITAL, s, &cause);
	if (!c) {
		char why[64];

		snprintf(why, sizeof(why), "call not placed, cause %u (%s)", cause,
			 q931_cause_text(cause));
		callback_failed(s, why);
		return;
	}
	s->call = c;
	s->pool->stats.calls_out++;
	n->stats.calls_out++;
	snprintf(s->remote, sizeof(s->remote), "%s", s->cb_number);
}

static void start_callback(struct isdn_ppp *s, const char *user, const char *number)
{
	struct nas *n = s->pool->nas;
	size_t k = 0;

	snprintf(s->cb_user, sizeof(s->cb_user), "%s", user);
	/* the dial string as the client gave it ("527-9651"): digits only */
	for (const char *d = number; *d && k + 1 < sizeof(s->cb_number); d++)
		if ((*d >= '0' && *d <= '9') || *d == '*' || *d == '#')
			s->cb_number[k++] = *d;
	s->cb_number[k] = '\0';
	s->cb_attempt = 0;
	n->stats.callbacks_started++;
	dbg(DBG_CALLBACK, "%s Callback process initiated, user: %s dialstring %s", s->lname, user,
	    number);
	stop_ppp(s);
	s->state = ISDN_PPP_CB_WAIT;
	s->cb_hangup_pending = true;
	ev_timer_start(n->loop, &s->cb_timer, n->tune.callback_hangup);
}

/* --- PPP below and above ------------------------------------------------------------- */

static int pp_send(void *ctx, const uint8_t *frame, size_t len, unsigned flags)
{
	struct isdn_ppp *s = ctx;
	struct card *card = card_of(s);

	if (s->chan < 0 || !card)
		return -ENOTCONN;
	/* no ACCM on a synchronous link: every frame goes as it is */
	return card_send_frame(card, (unsigned)s->chan, frame, len, flags & ~PPP_TX_FULL_ACCM);
}

static void pp_set_link(void *ctx, uint32_t tx_accm, uint32_t rx_accm, bool pfc, bool acfc,
			uint16_t mru)
{
	struct isdn_ppp *s = ctx;
	struct card *card = card_of(s);
	struct card_chan_cfg cc = { .mode = CARD_MODE_SYNC_HDLC, .mru = mru > 1600 ? mru : 1600 };

	(void)tx_accm;	/* RFC 1662 7.1: the ACCM is for asynchronous links only */
	(void)rx_accm;
	(void)pfc;
	(void)acfc;
	if (s->chan >= 0 && card)
		card_chan_update(card, (unsigned)s->chan, &cc);
}

static void pp_phase(void *ctx, enum ppp_phase ph)
{
	struct isdn_ppp *s = ctx;
	struct nas *n = s->pool->nas;

	if (ph != PPP_PHASE_NETWORK)
		return;
	snprintf(s->user, sizeof(s->user), "%s", s->ppp.user);
	if (s->callback_leg && strcmp(s->ppp.user, s->cb_user) != 0) {
		char why[200];

		snprintf(why, sizeof(why), "wrong user on callback: '%s', expected '%s'",
			 s->ppp.user, s->cb_user);
		ppp_close(&s->ppp, "wrong user on callback");
		callback_failed(s, why);
		return;
	}
	log_console("%%ISDN-6-CONNECT: Interface %s is now connected to %s %s", s->lname,
		    s->remote[0] ? s->remote : "unknown", s->user);
	if (s->callback_leg) {
		s->pool->stats.callbacks_ok++;
		n->stats.callbacks_ok++;
		s->callback_leg = false;
		s->cb_user[0] = '\0';
	}
}

static void pp_callback_needed(void *ctx, const char *user, const char *number)
{
	start_callback(ctx, user, number);
}

static void pp_down(void *ctx, const char *reason)
{
	struct isdn_ppp *s = ctx;

	if (s->state == ISDN_PPP_CB_WAIT)
		return;		/* the session ended for the callback */
	log_info("%s: PPP down (%s)", s->lname, reason ? reason : "");
	if (s->callback_leg) {
		callback_failed(s, reason ? reason : "PPP failed on the callback");
		return;
	}
	slot_reset(s, false);
}

static void pp_ip_up(void *ctx, uint32_t addr)
{
	struct isdn_ppp *s = ctx;

	s->peer_addr = addr;
	ip_session_up(&s->ip, addr);
}

static void pp_ip_down(void *ctx, uint32_t addr)
{
	struct isdn_ppp *s = ctx;

	(void)addr;
	s->peer_addr = 0;
	ip_session_down(&s->ip);
}

static void pp_ip_input(void *ctx, uint16_t proto, const uint8_t *data, size_t len)
{
	ip_session_input(&((struct isdn_ppp *)ctx)->ip, proto, data, len);
}

static void pp_random(void *ctx, void *buf, size_t len)
{
	struct nas *n = ((struct isdn_ppp *)ctx)->pool->nas;

	n->random(n->random_ctx, buf, len);
}

static const struct ppp_lower_ops pp_ops = {
	.send = pp_send, .set_link = pp_set_link, .phase = pp_phase,
	.callback_needed = pp_callback_needed, .down = pp_down, .ip_up = pp_ip_up,
	.ip_down = pp_ip_down, .ip_input = pp_ip_input, .random = pp_random,
};

static void start_ppp(struct isdn_ppp *s)
{
	struct isdn_ppp_pool *p = s->pool;
	struct nas *n = p->nas;
	unsigned unit = s->sig_span->cfg.unit;

	stop_ppp(s);
	s->prof = p->prof[unit];
	ppp_session_init(&s->ppp, n->loop, &s->prof, &pp_ops, s, s->sname, s->lname);
	ppp_set_remote(&s->ppp, s->rem_addr);
	s->ip.passive = p->vj_passive[unit];
	s->ppp_running = true;
	s->state = ISDN_PPP_UP;
	p->stats.sessions++;
	n->stats.ppp_sessions++;
	if (s->callback_leg) {
		/* our call: we speak first, and only the user we call back may log in */
		ppp_set_expected_user(&s->ppp, s->cb_user);
		ppp_open_active(&s->ppp);
		return;
	}
	log_console("%%LINK-3-UPDOWN: Interface %s, changed state to up", s->lname);
	s->ppp.link_up_printed = true;
	dbg(DBG_PPP_NEGOTIATION, "%s PPP: Treating connection as a callin", s->sname);
	ppp_open_passive(&s->ppp);
}

/* --- the CSM's data calls ------------------------------------------------------------ */

int isdn_ppp_incoming(struct isdn_ppp_pool *p, struct isdn_call *call, void **owner)
{
	struct nas *n = p->nas;
	unsigned unit = call->span->cfg.unit;
	struct isdn_ppp *s;
	int chan = chan_of(call);

	if (unit >= CARD_MAX_SPANS || !p->prof_ok[unit]) {
		dbg(DBG_ISDN_Q931, "ISDN %s: digital call id 0x%X refused: %s runs no PPP",
		    call->span->dname, call->call_id, call->span->ifname);
		p->stats.calls_rejected++;
		return Q931_CAUSE_INCOMPATIBLE_DEST;
	}
	if (!n->card || !n->card_ready) {
		p->stats.calls_rejected++;
		return Q931_CAUSE_TEMPORARY_FAILURE;
	}
	if (chan < 0 || (unsigned)chan >= n->nchans || n->chan_line[chan]) {
		p->stats.calls_rejected++;
		return Q931_CAUSE_CHANNEL_NOT_AVAIL;
	}
	s = slot_get(p);
	if (!s) {
		dbg(DBG_ISDN_Q931, "ISDN %s: digital call id 0x%X refused: no free PPP session",
		    call->span->dname, call->call_id);
		p->stats.calls_rejected++;
		return Q931_CAUSE_RESOURCE_UNAVAIL;
	}
	s->state = ISDN_PPP_CALL;
	s->call = call;
	s->sig_span = call->span;
	s->chan = -1;
	s->callback_leg = false;
	s->call_start = ev_now(n->loop);
	snprintf(s->remote, sizeof(s->remote), "%s", call->calling);
	if (call->calling[0])
		snprintf(s->rem_addr, sizeof(s->rem_addr), "%s/%s", call->calling, call->called);
	else
		snprintf(s->rem_addr, sizeof(s->rem_addr), "%s", call->called);
	if (bind_chan(s) < 0) {
		s->call = NULL;
		s->state = ISDN_PPP_FREE;
		p->stats.calls_rejected++;
		return Q931_CAUSE_CHANNEL_NOT_AVAIL;
	}
	p->stats.calls_in++;
	n->stats.calls_in++;
	*owner = s;
	/* a data call is answered at once: CONNECT follows CALL PROCEEDING */
	isdn_answer(call);
	return 0;
}

void isdn_ppp_connected(struct isdn_ppp_pool *p, struct isdn_call *call, void *owner)
{
	struct isdn_ppp *s = slot_of(p, owner);

	if (!s || s->call != call)
		return;
	if (bind_chan(s) < 0) {
		log_err("%s: B-channel %u of call id 0x%X is taken", s->sig_span->ifname,
			call->bchan, call->call_id);
		if (s->callback_leg)
			callback_failed(s, "B-channel taken");
		else
			slot_reset(s, false);
		return;
	}
	if (s->callback_leg) {
		snprintf(s->rem_addr, sizeof(s->rem_addr), "%s", call->called);
		s->state = ISDN_PPP_UP;
	}
	start_ppp(s);
}

void isdn_ppp_cleared(struct isdn_ppp_pool *p, struct isdn_call *call, void *owner,
		      uint8_t cause)
{
	struct isdn_ppp *s = slot_of(p, owner);
	bool connected;

	if (!s || s->call != call)
		return;
	connected = s->ppp_running;
	s->call = NULL;		/* the network cleared it: no DISCONNECT from us */
	if (s->callback_leg && !connected) {
		char why[80];

		snprintf(why, sizeof(why), "call cleared, cause %u (%s)", cause,
			 q931_cause_text(cause));
		callback_failed(s, why);
		return;
	}
	slot_reset(s, false);
}

bool isdn_ppp_rx_frame(struct isdn_ppp_pool *p, unsigned chan, const uint8_t *data, size_t len)
{
	for (unsigned i = 0; p->slot && i < p->nslots; i++) {
		struct isdn_ppp *s = &p->slot[i];

		if (s->state == ISDN_PPP_FREE || s->chan != (int)chan)
			continue;
		if (s->ppp_running)
			ppp_input(&s->ppp, data, len);
		else
			p->stats.rx_unbound++;
		return true;
	}
	return false;
}

void isdn_ppp_clear_all(struct isdn_ppp_pool *p, const char *why)
{
	for (unsigned i = 0; p->slot && i < p->nslots; i++) {
		struct isdn_ppp *s = &p->slot[i];

		if (s->state == ISDN_PPP_FREE)
			continue;
		log_notice("%s: cleared (%s)", s->lname, why);
		slot_reset(s, false);
	}
}

void isdn_ppp_show_users(const struct isdn_ppp_pool *p, FILE *out)
{
	for (unsigned i = 0; p->slot && i < p->nslots; i++) {
		const struct isdn_ppp *s = &p->slot[i];
		uint32_t a = s->peer_addr;

		if (s->state != ISDN_PPP_UP || !s->ppp_running)
			continue;
		fprintf(out, "  %-10s %-11s %-24s %-8s %u.%u.%u.%u\n", s->sname,
			s->user[0] ? s->user : "", "Sync PPP", "00:00:00", a >> 24,
			(a >> 16) & 255, (a >> 8) & 255, a & 255);
	}
}

/* `clear interface Serial0:22` (or Se0:22): hang up that B-channel's call. */
static int cmd_clear_interface(void *ctx, int argc, char **argv, FILE *out)
{
	struct isdn_ppp_pool *p = ctx;
	const char *name = argv[argc - 1];

	for (unsigned i = 0; p->slot && i < p->nslots; i++) {
		struct isdn_ppp *s = &p->slot[i];

		if (s->state == ISDN_PPP_FREE || s->chan < 0 ||
		    (strcasecmp(name, s->lname) && strcasecmp(name, s->sname)))
			continue;
		log_notice("%s: cleared (clear interface)", s->lname);
		slot_reset(s, false);
		return 0;
	}
	fprintf(out, "%% No call on interface %s\n", name);
	return -1;
}

void isdn_ppp_register_commands(struct isdn_ppp_pool *p, struct ctl *c)
{
	ctl_register(c, "clear interface", 1, 1, cmd_clear_interface, p,
		     "hang up a B-channel (digital) call");
}

/* --- life cycle ------------------------------------------------------------------------ */

static void load_profiles(struct isdn_ppp_pool *p)
{
	struct nas *n = p->nas;

	memset(p->prof, 0, sizeof(p->prof));
	memset(p->prof_ok, 0, sizeof(p->prof_ok));
	memset(p->vj_passive, 0, sizeof(p->vj_passive));
	for (unsigned u = 0; u < n->nspans && u < CARD_MAX_SPANS; u++) {
		char name[CFG_NAME_MAX];
		const struct cfg_interface *dif;

		if (!n->spans[u].pri)
			continue;
		snprintf(name, sizeof(name), "Serial%u:23", u);
		dif = config_find_interface(n->cfg, name);
		if (!dif || !dif->encap_ppp || dif->shutdown)
			continue;
		ppp_profile_from_config(&p->prof[u], n->cfg, dif, &n->aaa, &n->pools);
		p->prof[u].sync = true;
		p->prof_ok[u] = true;
		p->vj_passive[u] = dif->vj == CFG_VJ_PASSIVE;
	}
}

void isdn_ppp_reload(struct isdn_ppp_pool *p)
{
	if (p->nas)
		load_profiles(p);
}

int isdn_ppp_pool_init(struct isdn_ppp_pool *p, struct nas *n, unsigned nslots)
{
	memset(p, 0, sizeof(*p));
	p->nas = n;
	load_profiles(p);
	if (!nslots)
		return 0;
	p->slot = calloc(nslots, sizeof(*p->slot));
	if (!p->slot)
		return -ENOMEM;
	p->nslots = nslots;
	p->limit = nslots;
	for (unsigned i = 0; i < nslots; i++) {
		p->slot[i].pool = p;
		p->slot[i].chan = -1;
		ev_timer_init(&p->slot[i].cb_timer, cb_timer_fired, &p->slot[i]);
		ip_session_init(&p->slot[i].ip, &n->tun, &p->slot[i].ppp, p->slot[i].sname, false);
	}
	return 0;
}

void isdn_ppp_pool_fini(struct isdn_ppp_pool *p)
{
	for (unsigned i = 0; p->slot && i < p->nslots; i++) {
		struct isdn_ppp *s = &p->slot[i];

		stop_ppp(s);
		ip_session_down(&s->ip);
		ev_timer_stop(p->nas->loop, &s->cb_timer);
	}
	free(p->slot);
	p->slot = NULL;
	p->nslots = 0;
}
