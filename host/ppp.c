/*
 * ppp.c - a PPP session per line: phases, frame parsing with ACFC/PFC, the protocol
 * dispatch table (Protocol-Reject for the rest) and the glue between LCP, the
 * authentication protocols, MCB and IPCP
 *
 * Phases are printed as the seed's IOS prints them: "Phase is ESTABLISHING, Active
 * Open", "Phase is AUTHENTICATING, by this end", "Phase is UP" (network),
 * "Phase is TERMINATING", "Phase is DOWN" (dead); the callback phase has no line.
 *
 * SPDX-License-Identifier: MIT
 */
#include "ppp.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include "aaa.h"
#include "config.h"
#include "ippool.h"
#include "log.h"

#define PPP_FRAME_MAX	(LCP_DEFAULT_MRU + 8)

const char *ppp_phase_name(enum ppp_phase ph)
{
	switch (ph) {
	case PPP_PHASE_DEAD: return "DOWN";
	case PPP_PHASE_ESTABLISHING: return "ESTABLISHING";
	case PPP_PHASE_AUTHENTICATING: return "AUTHENTICATING";
	case PPP_PHASE_CALLBACK: return "CALLBACK";
	case PPP_PHASE_NETWORK: return "UP";
	case PPP_PHASE_TERMINATING: return "TERMINATING";
	}
	return "?";
}

void ppp_dbg2(int cat_a, int cat_b, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	enum dbg_cat cat;

	if (dbg_enabled((enum dbg_cat)cat_a))
		cat = (enum dbg_cat)cat_a;
	else if (dbg_enabled((enum dbg_cat)cat_b))
		cat = (enum dbg_cat)cat_b;
	else
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dbg(cat, "%s", buf);
}

void ppp_hex(char *out, size_t size, const uint8_t *p, size_t len)
{
	static const char hx[] = "0123456789ABCDEF";
	size_t o = 0;

	if (size < 4) {
		if (size)
			out[0] = 0;
		return;
	}
	out[o++] = '0';
	out[o++] = 'x';
	for (size_t i = 0; i < len && o + 3 < size; i++) {
		out[o++] = hx[p[i] >> 4];
		out[o++] = hx[p[i] & 15];
	}
	out[o] = 0;
}

static void set_phase_msg(struct ppp_session *s, enum ppp_phase ph, const char *suffix)
{
	s->phase = (uint8_t)ph;
	if (ph != PPP_PHASE_CALLBACK)
		dbg(DBG_PPP_NEGOTIATION, "%s PPP: Phase is %s%s", s->sname, ppp_phase_name(ph),
		    suffix ? suffix : "");
	if (s->ops->phase)
		s->ops->phase(s->ctx, ph);
}

void ppp_set_phase(struct ppp_session *s, enum ppp_phase ph)
{
	set_phase_msg(s, ph, NULL);
}

void ppp_fill_random(struct ppp_session *s, void *buf, size_t len)
{
	uint8_t *b = buf;
	size_t got = 0;

	if (s->ops->random) {
		s->ops->random(s->ctx, buf, len);
		return;
	}
	while (got < len) {
		ssize_t n = getrandom(b + got, len - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		got += (size_t)n;
	}
	if (got < len) {	/* no kernel randomness: a weak fill, never uninitialised */
		static uint32_t x = 0x9E3779B9u;
		for (; got < len; got++) {
			x ^= x << 13; x ^= x >> 17; x ^= x << 5;
			b[got] = (uint8_t)x;
		}
	}
}

uint32_t ppp_magic(struct ppp_session *s)
{
	uint32_t m = 0;

	for (int i = 0; i < 8 && m == 0; i++)
		ppp_fill_random(s, &m, sizeof(m));
	return m ? m : 0x5A5A5A5Au;
}

void ppp_session_init(struct ppp_session *s, struct ev_loop *loop,
		      const struct ppp_profile *prof, const struct ppp_lower_ops *ops,
		      void *ctx, const char *short_name, const char *long_name)
{
	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->prof = prof;
	s->ops = ops;
	s->ctx = ctx;
	snprintf(s->sname, sizeof(s->sname), "%s", short_name ? short_name : "?");
	snprintf(s->lname, sizeof(s->lname), "%s", long_name ? long_name : "?");
	snprintf(s->rem_addr, sizeof(s->rem_addr), "async");
	s->next_id = 1;
	s->peer_mru = LCP_DEFAULT_MRU;
	lcp_init(&s->lcp, s);
	ipcp_init(&s->ipcp, s);
	chap_init(&s->chap);
	pap_init(&s->pap);
	mcb_init(&s->mcb);
	/* chap/pap/mcb timers need the session as their argument */
	s->chap.timer.arg = s;
	s->pap.timer.arg = s;
	s->mcb.timer.arg = s;
}

void ppp_set_remote(struct ppp_session *s, const char *rem_addr)
{
	snprintf(s->rem_addr, sizeof(s->rem_addr), "%s", rem_addr ? rem_addr : "");
}

void ppp_set_expected_user(struct ppp_session *s, const char *user)
{
	snprintf(s->expect_user, sizeof(s->expect_user), "%s", user ? user : "");
}

void ppp_set_next_id(struct ppp_session *s, uint8_t id)
{
	s->next_id = id;
}

int ppp_send(struct ppp_session *s, uint16_t proto, const uint8_t *info, size_t len)
{
	uint8_t frame[PPP_FRAME_MAX];
	size_t n = 0;
	unsigned flags = 0;
	bool lcp = proto == PPP_PROTO_LCP;

	/* RFC 1661 6.6: LCP packets always carry the address/control field */
	if (lcp || !s->tx_acfc) {
		frame[n++] = 0xFF;
		frame[n++] = 0x03;
	}
	if (!lcp && s->tx_pfc && proto < 0x100) {
		frame[n++] = (uint8_t)proto;
	} else {
		ppp_put16(frame + n, proto);
		n += 2;
	}
	if (len > sizeof(frame) - n)
		len = sizeof(frame) - n;
	if (len)
		memcpy(frame + n, info, len);
	n += len;
	if (lcp && len >= 1 && info[0] >= CP_CONFREQ && info[0] <= CP_CODEREJ)
		flags |= PPP_TX_FULL_ACCM;	/* RFC 1662 7.1 */
	s->stats.tx_frames++;
	if (dbg_enabled(DBG_PPP_PACKET))
		dbg(DBG_PPP_PACKET, "%s PPP: O pkt type 0x%04X, datagramsize %zu", s->sname, proto,
		    n);
	return s->ops->send ? s->ops->send(s->ctx, frame, n, flags) : -ENOTCONN;
}

/* --- dispatch ------------------------------------------------------------------ */

static void in_lcp(struct ppp_session *s, const uint8_t *p, size_t n)
{
	fsm_input(&s->lcp.fsm, p, n);
}

static void in_chap(struct ppp_session *s, const uint8_t *p, size_t n)
{
	chap_input(s, p, n);
}

static void in_pap(struct ppp_session *s, const uint8_t *p, size_t n)
{
	pap_input(s, p, n);
}

static void in_cbcp(struct ppp_session *s, const uint8_t *p, size_t n)
{
	if (s->phase == PPP_PHASE_CALLBACK)
		mcb_input(s, p, n);
	else
		s->stats.rx_dropped++;
}

static void in_ipcp(struct ppp_session *s, const uint8_t *p, size_t n)
{
	if (s->phase == PPP_PHASE_NETWORK)
		fsm_input(&s->ipcp.fsm, p, n);
	else
		s->stats.rx_dropped++;	/* RFC 1661 3.4: NCP packets before the network phase */
}

static void in_ip(struct ppp_session *s, uint16_t proto, const uint8_t *p, size_t n)
{
	/* VJ from the peer only when it acked our request for it (RFC 1332 4) */
	if (s->ipcp.fsm.state != FSM_OPENED ||
	    (proto != PPP_PROTO_IP && !s->ipcp.want_vj)) {
		s->stats.rx_dropped++;
		return;
	}
	if (s->ops->ip_input)
		s->ops->ip_input(s->ctx, proto, p, n);
}

struct ppp_protocol {
	uint16_t proto;
	const char *name;
	void (*input)(struct ppp_session *s, const uint8_t *p, size_t n);
};

static const struct ppp_protocol protocols[] = {
	{ PPP_PROTO_LCP,  "LCP",  in_lcp },
	{ PPP_PROTO_PAP,  "PAP",  in_pap },
	{ PPP_PROTO_CHAP, "CHAP", in_chap },
	{ PPP_PROTO_CBCP, "MCB",  in_cbcp },
	{ PPP_PROTO_IPCP, "IPCP", in_ipcp },
};

void ppp_input(struct ppp_session *s, const uint8_t *frame, size_t len)
{
	const uint8_t *p = frame;
	size_t n = len;
	uint16_t proto;

	s->stats.rx_frames++;
	if (n >= 2 && p[0] == 0xFF && p[1] == 0x03) {
		p += 2;
		n -= 2;
	} else if (!s->rx_acfc) {
		s->stats.rx_bad_header++;	/* RFC 1662 3.2: no FF 03 without ACFC */
		return;
	}
	if (n < 1) {
		s->stats.rx_bad_header++;
		return;
	}
	if (p[0] & 1) {			/* PFC: one-octet protocol field */
		proto = p[0];
		p += 1;
		n -= 1;
	} else {
		if (n < 2 || !(p[1] & 1)) {
			s->stats.rx_bad_proto++;
			return;
		}
		proto = ppp_get16(p);
		p += 2;
		n -= 2;
	}
	if (dbg_enabled(DBG_PPP_PACKET))
		dbg(DBG_PPP_PACKET, "%s PPP: I pkt type 0x%04X, datagramsize %zu", s->sname, proto,
		    len);
	if (s->lcp.fsm.state == FSM_INITIAL || s->lcp.fsm.state == FSM_STARTING) {
		s->stats.rx_dropped++;
		return;
	}
	if (proto != PPP_PROTO_LCP && s->lcp.fsm.state != FSM_OPENED) {
		s->stats.rx_dropped++;	/* RFC 1661 3.2: only LCP before Opened */
		return;
	}
	for (size_t i = 0; i < sizeof(protocols) / sizeof(protocols[0]); i++) {
		if (protocols[i].proto == proto) {
			protocols[i].input(s, p, n);
			return;
		}
	}
	if (proto == PPP_PROTO_IP || proto == PPP_PROTO_VJC || proto == PPP_PROTO_VJUC) {
		in_ip(s, proto, p, n);
		return;
	}
	dbg(DBG_PPP_NEGOTIATION, "%s PPP: Protocol-Reject for unknown protocol 0x%04X", s->sname,
	    proto);
	lcp_send_protrej(&s->lcp, proto, p, n);
}

/* --- phases -------------------------------------------------------------------- */

static void reset_call(struct ppp_session *s)
{
	s->user[0] = 0;
	s->cb_number[0] = 0;
	s->authenticated = false;
	s->callback_pending = false;
	s->wrong_user = false;
	s->tx_pfc = s->tx_acfc = s->rx_pfc = s->rx_acfc = false;
	s->peer_mru = LCP_DEFAULT_MRU;
	s->chap.failures = 0;
	s->pap.failures = 0;
	s->lcp.auth_index = 0;
}

static void open_common(struct ppp_session *s, bool active)
{
	if (s->lcp.fsm.state != FSM_INITIAL) {
		bool printed = s->link_up_printed;
		char expect[sizeof(s->expect_user)];

		memcpy(expect, s->expect_user, sizeof(expect));
		s->link_up_printed = false;
		ppp_lower_down(s);
		s->link_up_printed = printed;
		memcpy(s->expect_user, expect, sizeof(expect));
	}
	reset_call(s);
	if (!s->link_up_printed) {
		log_console("%%LINK-3-UPDOWN: Interface %s, changed state to up", s->lname);
		s->link_up_printed = true;
	}
	if (active)
		dbg(DBG_PPP_NEGOTIATION, "%s PPP: Treating connection as a dedicated line",
		    s->sname);
	set_phase_msg(s, PPP_PHASE_ESTABLISHING, active ? ", Active Open" : ", Passive Open");
	fsm_lowerup(&s->lcp.fsm);
	if (active)
		fsm_open(&s->lcp.fsm);
	else
		fsm_open_passive(&s->lcp.fsm);
}

void ppp_open_active(struct ppp_session *s)
{
	open_common(s, true);
}

void ppp_open_passive(struct ppp_session *s)
{
	open_common(s, false);
}

void ppp_lcp_up(struct ppp_session *s)
{
	const struct ppp_profile *pr = s->prof;

	if (pr->client) {
		if (s->lcp.his.neg_auth) {
			set_phase_msg(s, PPP_PHASE_AUTHENTICATING, ", by the peer");
			if (s->lcp.his.auth_proto == PPP_PROTO_PAP)
				pap_auth_withpeer(s);
			/* CHAP: wait for the Challenge */
		} else {
			ppp_auth_done(s, true, NULL);
		}
		return;
	}
	if (s->lcp.want.neg_auth) {
		set_phase_msg(s, PPP_PHASE_AUTHENTICATING, ", by this end");
		if (s->lcp.want.auth_proto == PPP_PROTO_PAP)
			pap_auth_peer(s);
		else
			chap_auth_peer(s);
	} else {
		ppp_auth_done(s, true, NULL);
	}
}

void ppp_lineproto_up(struct ppp_session *s)
{
	if (!s->lineproto_up) {
		log_console("%%LINEPROTO-5-UPDOWN: Line protocol on Interface %s, changed state to up",
			    s->lname);
		s->lineproto_up = true;
	}
}

void ppp_auth_done(struct ppp_session *s, bool ok, const char *user)
{
	const struct ppp_profile *pr = s->prof;

	if (!ok) {
		dbg(DBG_PPP_NEGOTIATION, "%s PPP: Authentication failed", s->sname);
		ppp_close(s, "Authentication failure");
		return;
	}
	s->authenticated = true;
	if (user)
		snprintf(s->user, sizeof(s->user), "%s", user);
	if (!pr->client && pr->aaa && user) {
		s->aaa_user = pr->aaa->last_user;
		s->auth_proto = s->lcp.want.auth_proto;
	}
	if (pr->client) {
		ppp_lineproto_up(s);
		if (s->lcp.want.neg_callback) {
			set_phase_msg(s, PPP_PHASE_CALLBACK, NULL);
			s->mcb.state = MCB_ST_CLIENT_WAIT;
			return;
		}
		ppp_start_network(s);
		return;
	}
	/* MS Callback needs an authenticated user (IOS requires authentication). */
	if (s->lcp.his.neg_callback && pr->callback_accept && s->user[0]) {
		set_phase_msg(s, PPP_PHASE_CALLBACK, NULL);
		mcb_start(s);
		return;
	}
	ppp_start_network(s);
}

bool ppp_authorize_lcp(struct ppp_session *s, const char *user)
{
	struct aaa_port port = { s->sname, s->lname, s->rem_addr, NULL };
	struct aaa_callback cb;

	if (s->expect_user[0] && strcmp(s->expect_user, user) != 0) {
		dbg(DBG_PPP_NEGOTIATION, "%s PPP: Callback for %s answered by %s: wrong user",
		    s->sname, s->expect_user, user);
		s->wrong_user = true;
		return false;
	}
	if (!s->prof->aaa || aaa_author_lcp(s->prof->aaa, &port, user, &cb) != AAA_PASS)
		return false;
	s->mcb.type = cb.type == AAA_CB_CLIENT ? MCB_OPT_USER :
		      cb.type == AAA_CB_ADMIN ? MCB_OPT_ADMIN :
		      cb.type == AAA_CB_LIST ? MCB_OPT_LIST : MCB_OPT_NONE;
	snprintf(s->mcb.offer, sizeof(s->mcb.offer), "%s", cb.dialstring);
	return true;
}

void ppp_start_network(struct ppp_session *s)
{
	const struct ppp_profile *pr = s->prof;
	struct aaa_port port = { s->sname, s->lname, s->rem_addr, NULL };

	set_phase_msg(s, PPP_PHASE_NETWORK, NULL);
	if (!pr->client && pr->aaa &&
	    aaa_author_ipcp_start(pr->aaa, &port, s->user) != AAA_PASS) {
		ppp_close(s, "IPCP not authorized");
		return;
	}
	s->ipcp.fsm.own_id = 1;
	fsm_lowerup(&s->ipcp.fsm);
	fsm_open(&s->ipcp.fsm);
}

void ppp_lcp_down(struct ppp_session *s)
{
	bool callback = false;

	if (s->phase == PPP_PHASE_CALLBACK)
		callback = mcb_peer_terminating(s);
	if (!callback)
		set_phase_msg(s, PPP_PHASE_TERMINATING, NULL);
	fsm_lowerdown(&s->ipcp.fsm);
	if (s->ipcp.fsm.state == FSM_STARTING)
		fsm_close(&s->ipcp.fsm, NULL);
	ipcp_release(&s->ipcp);
	chap_lowerdown(s);
	pap_lowerdown(s);
	mcb_lowerdown(s);
	if (s->lineproto_up) {
		log_console("%%LINEPROTO-5-UPDOWN: Line protocol on Interface %s, changed state to down",
			    s->lname);
		s->lineproto_up = false;
	}
}

void ppp_lcp_finished(struct ppp_session *s)
{
	if (s->phase != PPP_PHASE_DEAD)
		set_phase_msg(s, PPP_PHASE_DEAD, NULL);
	if (s->ops->down)
		s->ops->down(s->ctx, s->lcp.fsm.term_reason_len ? "closed" : "LCP finished");
}

void ppp_close(struct ppp_session *s, const char *reason)
{
	fsm_close(&s->lcp.fsm, reason);
}

void ppp_lower_down(struct ppp_session *s)
{
	const struct ppp_lower_ops *ops = s->ops;
	struct ppp_lower_ops tmp;

	/* No "down" upcall while the line itself is tearing us down. */
	tmp = *ops;
	tmp.down = NULL;
	s->ops = &tmp;
	fsm_lowerdown(&s->lcp.fsm);
	if (s->lcp.fsm.state == FSM_STARTING)
		fsm_close(&s->lcp.fsm, NULL);	/* -> Initial */
	if (s->lcp.fsm.state != FSM_INITIAL)
		s->lcp.fsm.state = FSM_INITIAL;
	if (s->phase != PPP_PHASE_DEAD)
		set_phase_msg(s, PPP_PHASE_DEAD, NULL);
	lcp_stop_timers(&s->lcp);
	fsm_stop_timer(&s->ipcp.fsm);
	s->ipcp.fsm.state = FSM_INITIAL;
	ipcp_release(&s->ipcp);
	chap_lowerdown(s);
	pap_lowerdown(s);
	mcb_lowerdown(s);
	s->ops = ops;
	if (s->authenticated && s->user[0] && !s->prof->client && s->prof->aaa) {
		aaa_free_user(s->prof->aaa, s->aaa_user, s->user, s->lname, s->rem_addr,
			      s->auth_proto == PPP_PROTO_PAP ? "PAP" : "CHAP");
		s->authenticated = false;
	}
	if (s->lineproto_up) {
		log_console("%%LINEPROTO-5-UPDOWN: Line protocol on Interface %s, changed state to down",
			    s->lname);
		s->lineproto_up = false;
	}
	if (s->link_up_printed) {
		log_console("%%LINK-3-UPDOWN: Interface %s, changed state to down", s->lname);
		s->link_up_printed = false;
	}
	s->tx_pfc = s->tx_acfc = s->rx_pfc = s->rx_acfc = false;
	s->expect_user[0] = 0;
}

void ppp_session_fini(struct ppp_session *s)
{
	lcp_stop_timers(&s->lcp);
	fsm_stop_timer(&s->ipcp.fsm);
	ipcp_release(&s->ipcp);
	chap_lowerdown(s);
	pap_lowerdown(s);
	mcb_lowerdown(s);
}

void ppp_profile_from_config(struct ppp_profile *p, const struct nas_config *cfg,
			     const struct cfg_interface *ifc, struct aaa *aaa,
			     struct ip_pools *pools)
{
	memset(p, 0, sizeof(*p));
	p->hostname = cfg && cfg->hostname[0] ? cfg->hostname : "Router";
	p->aaa = aaa;
	p->accm = 0x000A0000u;
	p->restart = FSM_DEFAULT_RESTART;
	p->max_bad_auth = 1;
	if (!ifc)
		return;
	p->our_addr = config_interface_address(cfg, ifc);
	if (ifc->peer_pool[0] && pools) {
		p->pool = ippool_find(pools, ifc->peer_pool);
		p->pool_name = ifc->peer_pool;
	}
	for (int i = 0; i < 2; i++) {
		p->dns[i] = ifc->dns[i] ? ifc->dns[i] : cfg->bootp_dns[i];
		p->wins[i] = ifc->wins[i] ? ifc->wins[i] : cfg->bootp_nbns[i];
	}
	p->vj = ifc->vj != CFG_VJ_OFF;
	p->callback_accept = ifc->callback_accept;
	p->nauth = (uint8_t)(ifc->nauth > 2 ? 2 : ifc->nauth);
	for (unsigned i = 0; i < p->nauth; i++)
		p->auth[i] = ifc->auth[i] == CFG_AUTH_PAP ? PPP_AUTH_PAP : PPP_AUTH_CHAP;
	p->max_bad_auth = (uint8_t)(ifc->max_bad_auth ? (ifc->max_bad_auth > 255 ? 255
								: ifc->max_bad_auth) : 1);
	p->keepalive_sec = ifc->keepalive;
	p->auth_list = ifc->auth_list[0] ? ifc->auth_list : NULL;
}

int ppp_describe(const struct ppp_session *s, char *buf, size_t size)
{
	uint32_t a = s->ipcp.his_addr;
	int n = snprintf(buf, size, "PPP %s, LCP %s, IPCP %s", ppp_phase_name((enum ppp_phase)s->phase),
			 fsm_state_name(s->lcp.fsm.state), fsm_state_name(s->ipcp.fsm.state));

	if (n < 0 || (size_t)n >= size)
		return n;
	if (s->user[0])
		n += snprintf(buf + n, size - (size_t)n, ", user %s", s->user);
	if ((size_t)n < size && s->ipcp.fsm.state == FSM_OPENED && a)
		n += snprintf(buf + n, size - (size_t)n, ", peer %u.%u.%u.%u", a >> 24,
			      (a >> 16) & 255, (a >> 8) & 255, a & 255);
	if ((size_t)n < size && s->callback_pending && s->cb_number[0])
		n += snprintf(buf + n, size - (size_t)n, ", callback %s", s->cb_number);
	return n;
}
