/*
 * lcp.c - PPP Link Control Protocol (RFC 1661, RFC 1570 callback option) on fsm.c
 *
 * Every option is parsed with its own bounded cursor: `len < 2 || len > remaining`
 * ends the parse (the rest is Configure-Rejected), then each type checks its exact
 * length.  The link's ACCM/PFC/ACFC/MRU go to the line through set_link() only when
 * LCP reaches Opened (after our last Configure-Ack went out with the old settings)
 * and when it leaves Opened.
 *
 * SPDX-License-Identifier: MIT
 */
#include "lcp.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "ppp.h"

#define LCP_ECHO_MAX_MISSED	5
#define LCP_MAX_LOOPBACK_NAKS	5

static inline struct lcp *lcp_of(struct fsm *f) { return (struct lcp *)f; }

static const char *auth_name(uint16_t proto)
{
	switch (proto) {
	case PPP_PROTO_CHAP: return "CHAP";
	case PPP_PROTO_PAP: return "PAP";
	case 0xC227: return "EAP";
	default: return "unknown";
	}
}

/* One debug line per option, as IOS prints them. */
static void lcp_print_opts(struct fsm *f, const uint8_t *p, size_t len)
{
	const char *sn = f->sess->sname;
	char hex[2 * 64 + 8];

	while (len > 0) {
		size_t ol = len >= 2 ? p[1] : 0;

		if (len < 2 || ol < 2 || ol > len) {
			ppp_hex(hex, sizeof(hex), p, len);
			dbg(DBG_PPP_NEGOTIATION, "%s LCP: Malformed option (%s)", sn, hex);
			return;
		}
		ppp_hex(hex, sizeof(hex), p, ol);
		switch (p[0]) {
		case LCP_OPT_MRU:
			if (ol == 4) {
				dbg(DBG_PPP_NEGOTIATION, "%s LCP: MRU %u (%s)", sn, ppp_get16(p + 2), hex);
				break;
			}
			goto other;
		case LCP_OPT_ACCM:
			if (ol == 6) {
				dbg(DBG_PPP_NEGOTIATION, "%s LCP: ACCM 0x%08X (%s)", sn,
				    ppp_get32(p + 2), hex);
				break;
			}
			goto other;
		case LCP_OPT_AUTH:
			if (ol >= 4) {
				dbg(DBG_PPP_NEGOTIATION, "%s LCP: AuthProto %s (%s)", sn,
				    auth_name(ppp_get16(p + 2)), hex);
				break;
			}
			goto other;
		case LCP_OPT_MAGIC:
			if (ol == 6) {
				dbg(DBG_PPP_NEGOTIATION, "%s LCP: MagicNumber 0x%08X (%s)", sn,
				    ppp_get32(p + 2), hex);
				break;
			}
			goto other;
		case LCP_OPT_PFC:
			dbg(DBG_PPP_NEGOTIATION, "%s LCP: PFC (%s)", sn, hex);
			break;
		case LCP_OPT_ACFC:
			dbg(DBG_PPP_NEGOTIATION, "%s LCP: ACFC (%s)", sn, hex);
			break;
		case LCP_OPT_CALLBACK:
			if (ol >= 3) {
				dbg(DBG_PPP_NEGOTIATION, "%s LCP: Callback %u (%s)", sn, p[2], hex);
				break;
			}
			goto other;
		case LCP_OPT_MRRU:
			dbg(DBG_PPP_NEGOTIATION, "%s LCP: MRRU (%s)", sn, hex);
			break;
		case LCP_OPT_EPDISC:
			dbg(DBG_PPP_NEGOTIATION, "%s LCP: EndpointDisc (%s)", sn, hex);
			break;
		default:
		other:
			dbg(DBG_PPP_NEGOTIATION, "%s LCP: Option %u (%s)", sn, p[0], hex);
			break;
		}
		p += ol;
		len -= ol;
	}
}

static void lcp_resetci(struct fsm *f)
{
	struct lcp *l = lcp_of(f);
	const struct ppp_profile *pr = f->sess->prof;

	memset(&l->want, 0, sizeof(l->want));
	l->want.neg_accm = !pr->sync;	/* RFC 1662 7.1: async links only */
	l->want.accm = pr->accm;
	if (!pr->client && pr->nauth > 0) {
		if (l->auth_index >= pr->nauth)
			l->auth_index = 0;
		l->want.neg_auth = true;
		l->want.auth_proto = pr->auth[l->auth_index] == PPP_AUTH_PAP ? PPP_PROTO_PAP
									  : PPP_PROTO_CHAP;
	}
	l->want.neg_magic = true;
	l->want.magic = ppp_magic(f->sess);
	l->want.neg_pfc = true;
	l->want.neg_acfc = true;
	if (pr->client && pr->client_callback) {
		l->want.neg_callback = true;
		l->want.callback_op = LCP_CALLBACK_CBCP;
	}
	l->want.mru = LCP_DEFAULT_MRU;
	l->loopback_naks = 0;
}

static size_t lcp_addci(struct fsm *f, uint8_t *b, size_t room)
{
	const struct lcp_opts *w = &lcp_of(f)->want;
	size_t n = 0;

	if (room < 40)
		return 0;
	if (w->neg_mru) {
		b[n] = LCP_OPT_MRU; b[n + 1] = 4; ppp_put16(b + n + 2, w->mru); n += 4;
	}
	if (w->neg_accm) {
		b[n] = LCP_OPT_ACCM; b[n + 1] = 6; ppp_put32(b + n + 2, w->accm); n += 6;
	}
	if (w->neg_auth) {
		b[n] = LCP_OPT_AUTH;
		ppp_put16(b + n + 2, w->auth_proto);
		if (w->auth_proto == PPP_PROTO_CHAP) {
			b[n + 1] = 5; b[n + 4] = CHAP_MD5; n += 5;
		} else {
			b[n + 1] = 4; n += 4;
		}
	}
	if (w->neg_magic) {
		b[n] = LCP_OPT_MAGIC; b[n + 1] = 6; ppp_put32(b + n + 2, w->magic); n += 6;
	}
	if (w->neg_pfc) {
		b[n] = LCP_OPT_PFC; b[n + 1] = 2; n += 2;
	}
	if (w->neg_acfc) {
		b[n] = LCP_OPT_ACFC; b[n + 1] = 2; n += 2;
	}
	if (w->neg_callback) {
		b[n] = LCP_OPT_CALLBACK; b[n + 1] = 3; b[n + 2] = w->callback_op; n += 3;
	}
	return n;
}

/* An Ack must be an exact copy of our last request. */
static int lcp_ackci(struct fsm *f, const uint8_t *p, size_t len)
{
	uint8_t buf[64];
	size_t n = lcp_addci(f, buf, sizeof(buf));

	return n == len && memcmp(buf, p, n) == 0;
}

/* Try the next configured authentication protocol that matches `proto`. */
/*
 * The peer Nak'd our authentication protocol and suggested another.  Take
 * the suggestion when it is one we are configured for (CHAP only with MD5);
 * otherwise go on to the next configured method after the current one.
 * False when no method is left.
 */
static bool lcp_switch_auth(struct lcp *l, const struct ppp_profile *pr, const uint8_t *opt,
			    size_t ol)
{
	uint16_t proto = ppp_get16(opt + 2);
	bool md5 = ol >= 5 && opt[4] == CHAP_MD5;

	for (unsigned i = 0; i < pr->nauth; i++) {
		uint16_t cand = pr->auth[i] == PPP_AUTH_PAP ? PPP_PROTO_PAP : PPP_PROTO_CHAP;

		if (cand == proto && cand != l->want.auth_proto &&
		    (cand == PPP_PROTO_PAP || md5)) {
			l->auth_index = (uint8_t)i;
			l->want.auth_proto = cand;
			return true;
		}
	}
	for (unsigned i = l->auth_index + 1u; i < pr->nauth; i++) {
		uint16_t cand = pr->auth[i] == PPP_AUTH_PAP ? PPP_PROTO_PAP : PPP_PROTO_CHAP;

		if (cand != l->want.auth_proto) {
			l->auth_index = (uint8_t)i;
			l->want.auth_proto = cand;
			return true;
		}
	}
	return false;
}

static int lcp_nakci(struct fsm *f, const uint8_t *p, size_t len, bool treat_as_reject)
{
	struct lcp *l = lcp_of(f);
	const struct ppp_profile *pr = f->sess->prof;

	while (len > 0) {
		size_t ol;

		if (len < 2 || p[1] < 2 || p[1] > len)
			return 0;
		ol = p[1];
		switch (p[0]) {
		case LCP_OPT_MRU:
			if (ol != 4)
				return 0;
			if (l->want.neg_mru) {
				uint16_t m = ppp_get16(p + 2);
				if (treat_as_reject)
					l->want.neg_mru = false;
				else if (m >= LCP_MIN_MRU && m <= LCP_DEFAULT_MRU)
					l->want.mru = m;
			}
			break;
		case LCP_OPT_ACCM:
			if (ol != 6)
				return 0;
			if (l->want.neg_accm) {
				if (treat_as_reject)
					l->want.neg_accm = false;
				else
					l->want.accm |= ppp_get32(p + 2);
			}
			break;
		case LCP_OPT_AUTH:
			if (ol < 4)
				return 0;
			if (l->want.neg_auth && !lcp_switch_auth(l, pr, p, ol)) {
				/* The peer will not do any protocol we accept. */
				dbg(DBG_PPP_NEGOTIATION, "%s LCP: Peer refuses our authentication (%s)",
				    f->sess->sname, auth_name(ppp_get16(p + 2)));
				fsm_close(f, "Authentication refused");
			}
			break;
		case LCP_OPT_MAGIC:
			if (ol != 6)
				return 0;
			if (l->want.neg_magic) {
				if (treat_as_reject)
					l->want.neg_magic = false;
				else
					l->want.magic = ppp_magic(f->sess);
			}
			break;
		default:
			break;	/* a hint for an option we did not ask: ignore */
		}
		p += ol;
		len -= ol;
	}
	return 1;
}

static int lcp_rejci(struct fsm *f, const uint8_t *p, size_t len)
{
	struct lcp *l = lcp_of(f);
	struct lcp_opts w = l->want;

	while (len > 0) {
		size_t ol;

		if (len < 2 || p[1] < 2 || p[1] > len)
			return 0;
		ol = p[1];
		switch (p[0]) {
		case LCP_OPT_MRU: if (!w.neg_mru || ol != 4) return 0; w.neg_mru = false; break;
		case LCP_OPT_ACCM: if (!w.neg_accm || ol != 6) return 0; w.neg_accm = false; break;
		case LCP_OPT_AUTH: if (!w.neg_auth) return 0; w.neg_auth = false; break;
		case LCP_OPT_MAGIC: if (!w.neg_magic || ol != 6) return 0; w.neg_magic = false; break;
		case LCP_OPT_PFC: if (!w.neg_pfc || ol != 2) return 0; w.neg_pfc = false; break;
		case LCP_OPT_ACFC: if (!w.neg_acfc || ol != 2) return 0; w.neg_acfc = false; break;
		case LCP_OPT_CALLBACK:
			if (!w.neg_callback) return 0;
			w.neg_callback = false;
			break;
		default:
			return 0;	/* rejecting what we never sent: bogus */
		}
		p += ol;
		len -= ol;
	}
	if (l->want.neg_auth && !w.neg_auth) {
		/* We must authenticate the peer: without it there is no session. */
		l->want = w;
		l->want.neg_auth = true;
		dbg(DBG_PPP_NEGOTIATION, "%s LCP: Peer rejected authentication", f->sess->sname);
		fsm_close(f, "Authentication required");
		return 1;
	}
	l->want = w;
	return 1;
}

static int lcp_reqci(struct fsm *f, const uint8_t *in, size_t len, uint8_t *out,
		     size_t *outlen, size_t room, bool reject_if_disagree)
{
	struct lcp *l = lcp_of(f);
	const struct ppp_profile *pr = f->sess->prof;
	uint8_t nak[256];
	size_t naklen = 0, rejlen = 0;
	const uint8_t *p = in;
	size_t rem = len;

	memset(&l->his, 0, sizeof(l->his));
	while (rem > 0) {
		size_t ol;
		bool rej = false, isnak = false;
		uint8_t nb[8];
		size_t nbl = 0;

		if (rem < 2 || p[1] < 2 || p[1] > rem) {
			/* Malformed: reject the rest as it stands. */
			fsm_ci_append(out, &rejlen, room, p, rem);
			f->sess->lcp.bad_packets++;
			break;
		}
		ol = p[1];
		switch (p[0]) {
		case LCP_OPT_MRU:
			if (ol != 4) { rej = true; break; }
			if (ppp_get16(p + 2) < LCP_MIN_MRU) {
				isnak = true;
				nb[0] = LCP_OPT_MRU; nb[1] = 4; ppp_put16(nb + 2, LCP_DEFAULT_MRU); nbl = 4;
			} else {
				l->his.neg_mru = true;
				l->his.mru = ppp_get16(p + 2);
			}
			break;
		case LCP_OPT_ACCM:
			if (ol != 6) { rej = true; break; }
			l->his.neg_accm = true;
			l->his.accm = ppp_get32(p + 2);
			break;
		case LCP_OPT_AUTH:
			if (!pr->client || ol < 4) { rej = true; break; }
			if (ppp_get16(p + 2) == PPP_PROTO_CHAP && ol == 5 && p[4] == CHAP_MD5) {
				l->his.neg_auth = true; l->his.auth_proto = PPP_PROTO_CHAP;
			} else if (ppp_get16(p + 2) == PPP_PROTO_PAP && ol == 4) {
				l->his.neg_auth = true; l->his.auth_proto = PPP_PROTO_PAP;
			} else {
				isnak = true;
				nb[0] = LCP_OPT_AUTH; nb[1] = 5; ppp_put16(nb + 2, PPP_PROTO_CHAP);
				nb[4] = CHAP_MD5; nbl = 5;
			}
			break;
		case LCP_OPT_MAGIC: {
			uint32_t m;

			if (ol != 6) { rej = true; break; }
			m = ppp_get32(p + 2);
			if (m == 0 || (l->want.neg_magic && m == l->want.magic)) {
				/* Looped back (or invalid): Nak with another value. */
				l->loopback_naks++;
				dbg(DBG_PPP_NEGOTIATION, "%s LCP: MagicNumber 0x%08X %s", f->sess->sname,
				    m, m ? "matches ours: line may be looped back" : "is invalid");
				if (l->loopback_naks >= LCP_MAX_LOOPBACK_NAKS) {
					log_console("%%LINK-4-LOOPBACK: Interface %s, line appears to be looped back",
						    f->sess->lname);
				}
				l->want.magic = ppp_magic(f->sess);
				isnak = true;
				nb[0] = LCP_OPT_MAGIC; nb[1] = 6; ppp_put32(nb + 2, ppp_magic(f->sess));
				nbl = 6;
			} else {
				l->his.neg_magic = true;
				l->his.magic = m;
			}
			break;
		}
		case LCP_OPT_PFC:
			if (ol != 2) { rej = true; break; }
			l->his.neg_pfc = true;
			break;
		case LCP_OPT_ACFC:
			if (ol != 2) { rej = true; break; }
			l->his.neg_acfc = true;
			break;
		case LCP_OPT_CALLBACK:
			/* Operation 6 = MS-CBCP: ours when `ppp callback accept`.  RFC 1570
			 * operations 0-4 (user auth, dial string, location id, E.164, name)
			 * are recognised but not offered: rejected. */
			if (ol < 3 || pr->client || !pr->callback_accept ||
			    p[2] != LCP_CALLBACK_CBCP) {
				if (ol >= 3 && p[2] <= 4)
					dbg(DBG_PPP_NEGOTIATION,
					    "%s LCP: Callback operation %u (RFC 1570) not supported",
					    f->sess->sname, p[2]);
				rej = true;
				break;
			}
			l->his.neg_callback = true;
			l->his.callback_op = p[2];
			break;
		default:
			rej = true;	/* Quality, MRRU, SSN, endpoint discriminator, ... */
			break;
		}
		if (isnak && reject_if_disagree)
			rej = true;
		if (rej)
			fsm_ci_append(out, &rejlen, room, p, ol);
		else if (isnak)
			fsm_ci_append(nak, &naklen, sizeof(nak), nb, nbl);
		p += ol;
		rem -= ol;
	}
	if (rejlen || naklen)
		return fsm_ci_verdict(out, outlen, rejlen, nak, naklen);
	if (len > room)
		len = room;
	memcpy(out, in, len);
	*outlen = len;
	return CP_CONFACK;
}

static void lcp_echo_timeout(struct ev_timer *t, void *arg);

static void lcp_send_echo(struct lcp *l)
{
	struct ppp_session *s = l->fsm.sess;
	uint8_t d[4];
	uint8_t id = l->echo_id++;

	ppp_put32(d, l->want.neg_magic ? l->want.magic : 0);
	dbg(DBG_PPP_NEGOTIATION, "%s LCP: O ECHOREQ [Open] id %u len 8 magic 0x%08X", s->sname,
	    id, ppp_get32(d));
	fsm_send(&l->fsm, CP_ECHOREQ, id, d, 4);
}

static void lcp_echo_timeout(struct ev_timer *t, void *arg)
{
	struct lcp *l = arg;
	struct ppp_session *s = l->fsm.sess;

	(void)t;
	if (l->fsm.state != FSM_OPENED || l->echo_rejected)
		return;
	if (l->echo_outstanding >= LCP_ECHO_MAX_MISSED) {
		dbg(DBG_PPP_NEGOTIATION, "%s LCP: No response to %u echo-requests", s->sname,
		    l->echo_outstanding);
		ppp_close(s, "Peer not responding");
		return;
	}
	l->echo_outstanding++;
	lcp_send_echo(l);
	ev_timer_start(s->loop, &l->echo_timer, (ev_time_t)s->prof->keepalive_sec * EV_SEC);
}

static void lcp_up(struct fsm *f)
{
	struct lcp *l = lcp_of(f);
	struct ppp_session *s = f->sess;
	uint32_t tx_accm = l->his.neg_accm ? l->his.accm : 0xFFFFFFFFu;
	uint32_t rx_accm = l->want.neg_accm ? l->want.accm : 0xFFFFFFFFu;

	s->tx_pfc = l->his.neg_pfc;
	s->tx_acfc = l->his.neg_acfc;
	s->rx_pfc = l->want.neg_pfc;
	s->rx_acfc = l->want.neg_acfc;
	s->peer_mru = l->his.neg_mru ? l->his.mru : LCP_DEFAULT_MRU;
	if (s->ops->set_link)
		s->ops->set_link(s->ctx, tx_accm, rx_accm, s->tx_pfc, s->tx_acfc,
				 l->want.neg_mru ? l->want.mru : LCP_DEFAULT_MRU);
	l->echo_outstanding = 0;
	l->echo_rejected = false;
	if (s->prof->keepalive_sec)
		ev_timer_start(s->loop, &l->echo_timer, (ev_time_t)s->prof->keepalive_sec * EV_SEC);
	ppp_lcp_up(s);
}

static void lcp_reset_link(struct ppp_session *s)
{
	s->tx_pfc = s->tx_acfc = s->rx_pfc = s->rx_acfc = false;
	s->peer_mru = LCP_DEFAULT_MRU;
	if (s->ops->set_link)
		s->ops->set_link(s->ctx, 0xFFFFFFFFu, 0xFFFFFFFFu, false, false, LCP_DEFAULT_MRU);
}

static void lcp_down(struct fsm *f)
{
	struct lcp *l = lcp_of(f);
	struct ppp_session *s = f->sess;

	if (ev_timer_active(&l->echo_timer))
		ev_timer_stop(s->loop, &l->echo_timer);
	ppp_lcp_down(s);
	lcp_reset_link(s);
}

static void lcp_finished(struct fsm *f)
{
	ppp_lcp_finished(f->sess);
}

void lcp_send_protrej(struct lcp *l, uint16_t proto, const uint8_t *info, size_t len)
{
	struct ppp_session *s = l->fsm.sess;
	uint8_t buf[LCP_DEFAULT_MRU];
	size_t max = (s->peer_mru ? s->peer_mru : LCP_DEFAULT_MRU) - 6;
	uint8_t id;

	if (l->fsm.state != FSM_OPENED)
		return;		/* RFC 1661 5.7: only in the Opened state */
	if (max > sizeof(buf) - 2)
		max = sizeof(buf) - 2;
	if (len > max)
		len = max;
	ppp_put16(buf, proto);
	if (len)
		memcpy(buf + 2, info, len);
	id = fsm_next_id(&l->fsm);
	dbg(DBG_PPP_NEGOTIATION, "%s LCP: O PROTREJ [Open] id %u len %zu protocol 0x%04X",
	    s->sname, id, len + 6, proto);
	s->stats.protrej_sent++;
	fsm_send(&l->fsm, CP_PROTREJ, id, buf, len + 2);
}

static int lcp_extcode(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *d, size_t len)
{
	struct lcp *l = lcp_of(f);
	struct ppp_session *s = f->sess;
	const char *st = fsm_state_name(f->state);

	switch (code) {
	case CP_PROTREJ: {
		uint16_t proto;

		if (len < 2) {
			s->stats.bad_packets++;
			return 1;
		}
		proto = ppp_get16(d);
		dbg(DBG_PPP_NEGOTIATION, "%s LCP: I PROTREJ [%s] id %u len %zu protocol 0x%04X",
		    s->sname, st, id, len + 4, proto);
		s->stats.protrej_rcvd++;
		if (f->state != FSM_OPENED)
			return 1;
		if (proto == PPP_PROTO_LCP) {
			fsm_rxj_minus(f);
		} else if (proto == PPP_PROTO_IPCP) {
			fsm_rxj_minus(&s->ipcp.fsm);
		} else if (proto == PPP_PROTO_CHAP || proto == PPP_PROTO_PAP ||
			   (proto == PPP_PROTO_CBCP && s->phase == PPP_PHASE_CALLBACK)) {
			ppp_close(s, "Peer refused a required protocol");
		}
		return 1;
	}
	case CP_ECHOREQ:
		if (len < 4) {
			s->stats.bad_packets++;
			return 1;
		}
		dbg(DBG_PPP_NEGOTIATION, "%s LCP: I ECHOREQ [%s] id %u len %zu magic 0x%08X",
		    s->sname, st, id, len + 4, ppp_get32(d));
		if (f->state != FSM_OPENED)
			return 1;
		if (l->want.neg_magic && ppp_get32(d) == l->want.magic && l->want.magic) {
			dbg(DBG_PPP_ERROR, "%s LCP: Echo-Request with our magic: looped back?",
			    s->sname);
		} else {
			uint8_t buf[LCP_DEFAULT_MRU];
			size_t n = len > sizeof(buf) ? sizeof(buf) : len;

			memcpy(buf, d, n);
			ppp_put32(buf, l->want.neg_magic ? l->want.magic : 0);
			dbg(DBG_PPP_NEGOTIATION, "%s LCP: O ECHOREP [%s] id %u len %zu magic 0x%08X",
			    s->sname, st, id, n + 4, ppp_get32(buf));
			fsm_send(f, CP_ECHOREP, id, buf, n);
		}
		return 1;
	case CP_ECHOREP:
		if (len < 4) {
			s->stats.bad_packets++;
			return 1;
		}
		dbg(DBG_PPP_NEGOTIATION, "%s LCP: I ECHOREP [%s] id %u len %zu magic 0x%08X",
		    s->sname, st, id, len + 4, ppp_get32(d));
		if (l->want.neg_magic && ppp_get32(d) == l->want.magic && l->want.magic)
			dbg(DBG_PPP_ERROR, "%s LCP: Echo-Reply with our magic: looped back?",
			    s->sname);
		else
			l->echo_outstanding = 0;
		return 1;
	case CP_DISCREQ:
		return 1;
	case CP_IDENTIFY: case CP_TIMEREMAIN:
		/* Windows sends Identification; logged and ignored as IOS does. */
		dbg(DBG_PPP_NEGOTIATION, "%s LCP: I %s [%s] id %u len %zu", s->sname,
		    fsm_code_name(code), st, id, len + 4);
		return 1;
	default:
		return 0;
	}
}

static int lcp_coderej_ok(struct fsm *f, uint8_t code)
{
	if (code == CP_ECHOREQ)
		lcp_of(f)->echo_rejected = true;
	return code >= CP_PROTREJ;
}

const struct fsm_callbacks lcp_callbacks = {
	.name = "LCP",
	.proto = PPP_PROTO_LCP,
	.resetci = lcp_resetci,
	.addci = lcp_addci,
	.ackci = lcp_ackci,
	.nakci = lcp_nakci,
	.rejci = lcp_rejci,
	.reqci = lcp_reqci,
	.up = lcp_up,
	.down = lcp_down,
	.starting = NULL,
	.finished = lcp_finished,
	.extcode = lcp_extcode,
	.coderej_ok = lcp_coderej_ok,
	.print_opts = lcp_print_opts,
};

void lcp_init(struct lcp *l, struct ppp_session *s)
{
	memset(l, 0, sizeof(*l));
	fsm_init(&l->fsm, s, &lcp_callbacks, &s->next_id);
	ev_timer_init(&l->echo_timer, lcp_echo_timeout, l);
	l->echo_id = 1;
}

void lcp_stop_timers(struct lcp *l)
{
	fsm_stop_timer(&l->fsm);
	if (l->fsm.sess && ev_timer_active(&l->echo_timer))
		ev_timer_stop(l->fsm.sess->loop, &l->echo_timer);
}
