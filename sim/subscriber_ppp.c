/*
 * subscriber_ppp.c - the scripted PPP client of the subscriber PCs (see subscriber_ppp.h)
 *
 * Each variant is a row of `variants[]`: what the client puts in its LCP Configure-
 * Request and in which order, its ids, and which CBCP offer it takes and how fast.
 * The server's options are judged against small rule tables.  Every packet is read
 * with a bounded cursor; anything malformed is counted and dropped.
 *
 * SPDX-License-Identifier: MIT
 */
#include "subscriber_ppp.h"
#include "inet_csum.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <nettle/md5.h>

#define PPP_MTU		1500
#define FRAME_MAX	(PPP_MTU + 8)

/* control-protocol codes (RFC 1661), LCP extras, CHAP/PAP and CBCP codes */
enum { CP_CONFREQ = 1, CP_CONFACK, CP_CONFNAK, CP_CONFREJ, CP_TERMREQ, CP_TERMACK,
       CP_CODEREJ, CP_PROTREJ, LCP_ECHOREQ, LCP_ECHOREP, LCP_DISCREQ, LCP_IDENT,
       LCP_TIMEREM };
enum { CHAP_CHALLENGE = 1, CHAP_RESPONSE, CHAP_SUCCESS, CHAP_FAILURE };
enum { PAP_REQ = 1, PAP_ACK, PAP_NAK };
enum { CBCP_REQUEST = 1, CBCP_RESPONSE, CBCP_ACK };
enum { CBCP_NONE = 1, CBCP_USER = 2, CBCP_ADMIN = 3, CBCP_LIST = 4 };

enum { LCP_MRU = 1, LCP_ACCM = 2, LCP_AUTH = 3, LCP_MAGIC = 5, LCP_PFC = 7, LCP_ACFC = 8,
       LCP_CALLBACK = 13 };
#define CALLBACK_OP_CBCP	6

enum { IPCP_VJ = 2, IPCP_ADDR = 3, IPCP_DNS1 = 0x81, IPCP_WINS1 = 0x82, IPCP_DNS2 = 0x83,
       IPCP_WINS2 = 0x84 };
#define PROTO_VJ_COMP	0x002D
#define PROTO_VJ_UNCOMP	0x002F

/* ---- the variants ------------------------------------------------------------------ */

struct cbcp_choice {
	uint8_t type;		/*!< CBCP_* offered by the server, 0 = end */
	bool    think;		/*!< the user has to answer a dialog first */
};

struct variant_desc {
	const char *name;
	bool     lcp_callback;		/*!< Callback option 13 op 6 on the first call */
	uint32_t accm;			/*!< ACCM we ask for */
	uint8_t  lcp_order[5];		/*!< option order in our CONFREQ (0 = end) */
	uint8_t  first_id;
	uint8_t  term_id_step;		/*!< TERMREQ id = CONFREQ id + step */
	uint8_t  cbcp_delay;
	bool     think_any;		/*!< the think timer is used at all */
	bool     ack_needs_option;	/*!< pppd: an empty Ack is ignored */
	const char *term_text;		/*!< data in our TERMREQ */
	bool     ask_dns;
	bool     magic_ticks;
	struct cbcp_choice pref[4];	/*!< in order of preference */
};

static const struct variant_desc variants[] = {
	[SUB_PPP_WIN9X] = {
		.name = "win9x", .lcp_callback = true, .accm = 0x000A0000,
		.lcp_order = { LCP_ACCM, LCP_MAGIC, LCP_PFC, LCP_ACFC, LCP_CALLBACK },
		.first_id = 3, .term_id_step = 2, .cbcp_delay = 15, .think_any = true,
		.ask_dns = true, .magic_ticks = true,
		.pref = { { CBCP_ADMIN, false }, { CBCP_USER, true }, { CBCP_NONE, false } },
	},
	[SUB_PPP_WINNT_ALWAYS] = {
		.name = "winnt-always", .lcp_callback = true, .accm = 0x000A0000,
		.lcp_order = { LCP_ACCM, LCP_MAGIC, LCP_PFC, LCP_ACFC, LCP_CALLBACK },
		.first_id = 3, .term_id_step = 2, .cbcp_delay = 15,
		.ask_dns = true, .magic_ticks = true,
		.pref = { { CBCP_USER, false }, { CBCP_ADMIN, false }, { CBCP_NONE, false } },
	},
	[SUB_PPP_WINNT_ASK] = {
		.name = "winnt-ask", .lcp_callback = true, .accm = 0x000A0000,
		.lcp_order = { LCP_ACCM, LCP_MAGIC, LCP_PFC, LCP_ACFC, LCP_CALLBACK },
		.first_id = 3, .term_id_step = 2, .cbcp_delay = 15, .think_any = true,
		.ask_dns = true, .magic_ticks = true,
		.pref = { { CBCP_USER, true }, { CBCP_ADMIN, true }, { CBCP_NONE, false } },
	},
	[SUB_PPP_NO_CALLBACK] = {
		.name = "no-callback", .lcp_callback = false, .accm = 0x000A0000,
		.lcp_order = { LCP_ACCM, LCP_MAGIC, LCP_PFC, LCP_ACFC },
		.first_id = 3, .term_id_step = 2, .cbcp_delay = 15,
		.ask_dns = true, .magic_ticks = true,
		.pref = { { CBCP_NONE, false } },
	},
	[SUB_PPP_PRECONFIGURED] = {
		.name = "preconfigured", .lcp_callback = true, .accm = 0x000A0000,
		.lcp_order = { LCP_ACCM, LCP_MAGIC, LCP_PFC, LCP_ACFC, LCP_CALLBACK },
		.first_id = 3, .term_id_step = 2, .cbcp_delay = 15,
		.ask_dns = true, .magic_ticks = true,
		.pref = { { CBCP_ADMIN, false }, { CBCP_USER, false }, { CBCP_NONE, false } },
	},
	[SUB_PPP_PPPD] = {
		.name = "pppd", .lcp_callback = true, .accm = 0,
		.lcp_order = { LCP_ACCM, LCP_CALLBACK, LCP_MAGIC, LCP_PFC, LCP_ACFC },
		.first_id = 1, .term_id_step = 1, .cbcp_delay = 5, .ack_needs_option = true,
		.term_text = "Call me back, please", .ask_dns = false, .magic_ticks = false,
		.pref = { { CBCP_USER, false }, { CBCP_ADMIN, false }, { CBCP_NONE, false } },
	},
};

#define NVARIANTS (sizeof(variants) / sizeof(variants[0]))

static const struct variant_desc *vd(const struct sub_ppp *c)
{
	return &variants[(unsigned)c->cfg.variant < NVARIANTS ? c->cfg.variant : 0];
}

/* Rules for the server's LCP and IPCP options: length bounds; anything else and
 * unknown types are rejected. */
struct opt_rule {
	uint8_t type, min_len, max_len;
};

static const struct opt_rule lcp_rules[] = {
	{ LCP_MRU, 4, 4 }, { LCP_ACCM, 6, 6 }, { LCP_AUTH, 4, 5 }, { LCP_MAGIC, 6, 6 },
	{ LCP_PFC, 2, 2 }, { LCP_ACFC, 2, 2 },
};

static const struct opt_rule ipcp_rules[] = {
	{ IPCP_VJ, 4, 6 }, { IPCP_ADDR, 6, 6 },
};

static const struct opt_rule *find_rule(const struct opt_rule *r, size_t n, uint8_t type)
{
	for (size_t i = 0; i < n; i++)
		if (r[i].type == type)
			return &r[i];
	return NULL;
}

/* ---- small helpers ----------------------------------------------------------------- */

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t xorshift32(uint32_t *s)
{
	uint32_t x = *s ? *s : 0x9E3779B9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static void emit(struct sub_ppp *c, enum sub_ppp_event ev)
{
	if (c->ops.event)
		c->ops.event(c->ctx, ev);
}

/* Walk options [p, p+n): 0 if every option has 2 <= len <= remaining. */
static int options_valid(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		if (n - i < 2 || p[i + 1] < 2 || p[i + 1] > n - i)
			return -EINVAL;
		i += p[i + 1];
	}
	return 0;
}

/* ---- transmit ---------------------------------------------------------------------- */

static void send_frame(struct sub_ppp *c, uint16_t proto, const uint8_t *info, size_t n)
{
	uint8_t f[FRAME_MAX];
	uint8_t out[2 * FRAME_MAX + 8];
	bool open = c->lcp == SUB_CP_OPENED;
	bool lcp = proto == SUB_PPP_PROTO_LCP;
	bool compress = open && !lcp && !c->cfg.no_compress;
	size_t k = 0;

	if (n > PPP_MTU + 4)
		n = PPP_MTU + 4;
	if (!(compress && c->peer_acfc)) {
		f[k++] = 0xFF;
		f[k++] = 0x03;
	}
	if (compress && c->peer_pfc && proto < 0x100) {
		f[k++] = (uint8_t)proto;
	} else {
		put16(f + k, proto);
		k += 2;
	}
	if (n)
		memcpy(f + k, info, n);
	k += n;
	/* every LCP packet, and everything before LCP is open, escapes all controls */
	size_t m = hdlc_async_encode(out, f, k, (lcp || !open) ? 0xFFFFFFFFu : c->tx_accm,
				     false);
	c->st.frames_tx++;
	if (c->ops.frame)
		c->ops.frame(c->ctx, true, f, k);
	if (c->ops.tx)
		c->ops.tx(c->ctx, out, m);
}

static void send_cp(struct sub_ppp *c, uint16_t proto, uint8_t code, uint8_t id,
		    const uint8_t *data, size_t n)
{
	uint8_t p[PPP_MTU];

	if (n > sizeof(p) - 4)
		n = sizeof(p) - 4;
	p[0] = code;
	p[1] = id;
	put16(p + 2, (uint16_t)(n + 4));
	if (n)
		memcpy(p + 4, data, n);
	send_frame(c, proto, p, n + 4);
}

/* ---- LCP --------------------------------------------------------------------------- */

static uint32_t new_magic(struct sub_ppp *c)
{
	uint32_t m;

	if (c->cfg.magic_ticks)
		m = c->cfg.magic_base + (uint32_t)((ev_now(c->loop) - c->created) / EV_MSEC);
	else
		m = xorshift32(&c->rng);
	return m ? m : 1;
}

static size_t build_lcp_options(struct sub_ppp *c, uint8_t *o)
{
	const struct variant_desc *v = vd(c);
	size_t k = 0;

	for (size_t i = 0; i < sizeof(v->lcp_order) && v->lcp_order[i]; i++) {
		switch (v->lcp_order[i]) {
		case LCP_ACCM:
			if (!c->want_accm)
				break;
			o[k++] = LCP_ACCM; o[k++] = 6;
			put32(o + k, v->accm);
			k += 4;
			break;
		case LCP_MAGIC:
			o[k++] = LCP_MAGIC; o[k++] = 6;
			put32(o + k, c->magic);
			k += 4;
			break;
		case LCP_PFC:
			if (c->want_pfc) {
				o[k++] = LCP_PFC; o[k++] = 2;
			}
			break;
		case LCP_ACFC:
			if (c->want_acfc) {
				o[k++] = LCP_ACFC; o[k++] = 2;
			}
			break;
		case LCP_CALLBACK:
			if (c->want_callback) {
				o[k++] = LCP_CALLBACK; o[k++] = 3; o[k++] = CALLBACK_OP_CBCP;
			}
			break;
		default:
			break;
		}
	}
	return k;
}

static void lcp_send_confreq(struct sub_ppp *c)
{
	uint8_t o[64];
	size_t n = build_lcp_options(c, o);

	c->st.lcp_confreq_tx++;
	if (c->want_callback && !c->callback_leg)
		c->st.callback_requested = true;
	send_cp(c, SUB_PPP_PROTO_LCP, CP_CONFREQ, c->lcp_id, o, n);
	c->lcp_tries++;
	ev_timer_start(c->loop, &c->lcp_timer, c->cfg.restart_time);
}

static void lcp_new_confreq(struct sub_ppp *c)
{
	c->lcp_id = c->lcp_next_id++;
	c->lcp_tries = 0;
	lcp_send_confreq(c);
}

static void ipcp_start(struct sub_ppp *c);
static void after_auth(struct sub_ppp *c);

static void link_failed(struct sub_ppp *c)
{
	ev_timer_stop(c->loop, &c->lcp_timer);
	ev_timer_stop(c->loop, &c->ipcp_timer);
	ev_timer_stop(c->loop, &c->think_timer);
	c->lcp = SUB_CP_CLOSED;
	c->ipcp = SUB_CP_CLOSED;
	c->phase = SUB_PPP_TERMINATE;
	emit(c, SUB_PPP_EV_FAILED);
}

static void lcp_send_termreq(struct sub_ppp *c)
{
	const char *t = vd(c)->term_text;

	c->st.lcp_termreq_tx++;
	c->term_tries++;
	send_cp(c, SUB_PPP_PROTO_LCP, CP_TERMREQ, c->lcp_id, (const uint8_t *)t,
		t ? strlen(t) : 0);
	ev_timer_start(c->loop, &c->lcp_timer, c->cfg.restart_time);
}

/* We close the link ourselves (callback, authentication failure). */
static void lcp_close(struct sub_ppp *c)
{
	ev_timer_stop(c->loop, &c->ipcp_timer);
	ev_timer_stop(c->loop, &c->think_timer);
	c->ipcp = SUB_CP_CLOSED;
	c->lcp_id = (uint8_t)(c->lcp_id + vd(c)->term_id_step);
	c->lcp_next_id = (uint8_t)(c->lcp_id + 1);
	c->term_tries = 0;
	c->phase = SUB_PPP_TERMINATE;
	lcp_send_termreq(c);
	c->lcp = SUB_CP_CLOSING;
}

/* Our TERMREQ was acknowledged (or timed out). */
static void lcp_closed(struct sub_ppp *c)
{
	ev_timer_stop(c->loop, &c->lcp_timer);
	c->lcp = SUB_CP_CLOSED;
	if (c->st.callback_acked && !c->callback_leg) {
		c->phase = SUB_PPP_WAIT_CALLBACK;
		emit(c, SUB_PPP_EV_WAIT_CALLBACK);
	} else {
		c->phase = SUB_PPP_TERMINATE;
		emit(c, SUB_PPP_EV_TERMINATED);
	}
}

static void lcp_timeout(struct ev_timer *t, void *arg)
{
	struct sub_ppp *c = arg;

	(void)t;
	switch (c->lcp) {
	case SUB_CP_REQSENT:
	case SUB_CP_ACKRCVD:
	case SUB_CP_ACKSENT:
		if (c->lcp_tries >= c->cfg.max_configure) {
			link_failed(c);
			return;
		}
		if (c->lcp == SUB_CP_ACKRCVD)
			c->lcp = SUB_CP_REQSENT;
		lcp_send_confreq(c);
		break;
	case SUB_CP_CLOSING:
		if (c->term_tries >= c->cfg.max_terminate)
			lcp_closed(c);
		else
			lcp_send_termreq(c);
		break;
	default:
		break;
	}
}

static void lcp_opened(struct sub_ppp *c)
{
	ev_timer_stop(c->loop, &c->lcp_timer);
	c->lcp = SUB_CP_OPENED;
	emit(c, SUB_PPP_EV_LCP_OPEN);
	if (c->peer_auth == SUB_PPP_PROTO_PAP) {
		const char *u = c->cfg.user ? c->cfg.user : "";
		const char *s = c->cfg.secret ? c->cfg.secret : "";
		size_t ul = strnlen(u, 255), sl = strnlen(s, 255);
		uint8_t p[4 + 2 + 255 + 255];

		c->phase = SUB_PPP_AUTHENTICATE;
		p[0] = PAP_REQ;
		p[1] = ++c->pap_id;
		put16(p + 2, (uint16_t)(6 + ul + sl));
		p[4] = (uint8_t)ul;
		memcpy(p + 5, u, ul);
		p[5 + ul] = (uint8_t)sl;
		memcpy(p + 6 + ul, s, sl);
		c->st.pap_requests_tx++;
		send_frame(c, SUB_PPP_PROTO_PAP, p, 6 + ul + sl);
	} else if (c->peer_auth == SUB_PPP_PROTO_CHAP) {
		c->phase = SUB_PPP_AUTHENTICATE;	/* wait for the Challenge */
	} else {
		after_auth(c);
	}
}

/* The server's Configure-Request: ACK, NAK or REJ it against lcp_rules. */
static void lcp_rx_confreq(struct sub_ppp *c, uint8_t id, const uint8_t *o, size_t n)
{
	uint8_t rej[PPP_MTU], nak[16];
	size_t nrej = 0, nnak = 0;
	uint32_t accm = 0xFFFFFFFFu;
	bool pfc = false, acfc = false;
	uint16_t auth = 0, mru = PPP_MTU;

	if (options_valid(o, n) < 0) {
		c->st.malformed++;
		return;
	}
	for (size_t i = 0; i < n; i += o[i + 1]) {
		const uint8_t *p = o + i;
		uint8_t len = p[1];
		const struct opt_rule *r = find_rule(lcp_rules, sizeof(lcp_rules) /
						     sizeof(lcp_rules[0]), p[0]);

		if (!r || len < r->min_len || len > r->max_len) {
			memcpy(rej + nrej, p, len);
			nrej += len;
			continue;
		}
		switch (p[0]) {
		case LCP_MRU:
			mru = get16(p + 2);
			break;
		case LCP_ACCM:
			accm = get32(p + 2);
			break;
		case LCP_AUTH:
			if (len == 5 && get16(p + 2) == SUB_PPP_PROTO_CHAP && p[4] == 5) {
				auth = SUB_PPP_PROTO_CHAP;
			} else if (len == 4 && get16(p + 2) == SUB_PPP_PROTO_PAP) {
				auth = SUB_PPP_PROTO_PAP;
			} else if (nnak == 0) {
				static const uint8_t chap[] = { LCP_AUTH, 5, 0xC2, 0x23, 5 };

				memcpy(nak, chap, sizeof(chap));
				nnak = sizeof(chap);
			}
			break;
		case LCP_PFC:
			pfc = true;
			break;
		case LCP_ACFC:
			acfc = true;
			break;
		default:		/* magic: any value */
			break;
		}
	}
	if (c->lcp == SUB_CP_OPENED) {	/* renegotiation: start over */
		c->lcp = SUB_CP_REQSENT;
		c->phase = SUB_PPP_ESTABLISH;
		c->ipcp = SUB_CP_INITIAL;
		ev_timer_stop(c->loop, &c->ipcp_timer);
		lcp_new_confreq(c);
	}
	if (nrej) {
		c->st.lcp_confrej_tx++;
		send_cp(c, SUB_PPP_PROTO_LCP, CP_CONFREJ, id, rej, nrej);
		if (c->lcp == SUB_CP_ACKSENT)
			c->lcp = SUB_CP_REQSENT;
		return;
	}
	if (nnak) {
		c->st.lcp_confnak_tx++;
		send_cp(c, SUB_PPP_PROTO_LCP, CP_CONFNAK, id, nak, nnak);
		if (c->lcp == SUB_CP_ACKSENT)
			c->lcp = SUB_CP_REQSENT;
		return;
	}
	c->tx_accm = accm;
	c->peer_pfc = pfc;
	c->peer_acfc = acfc;
	c->peer_auth = auth;
	c->peer_mru = mru;
	c->st.lcp_confack_tx++;
	send_cp(c, SUB_PPP_PROTO_LCP, CP_CONFACK, id, o, n);
	if (c->lcp == SUB_CP_ACKRCVD)
		lcp_opened(c);
	else if (c->lcp == SUB_CP_REQSENT)
		c->lcp = SUB_CP_ACKSENT;
}

static void lcp_rx_confack(struct sub_ppp *c, uint8_t id, const uint8_t *o, size_t n)
{
	uint8_t mine[64];
	size_t m;

	if (id != c->lcp_id || (c->lcp != SUB_CP_REQSENT && c->lcp != SUB_CP_ACKSENT)) {
		c->st.malformed++;
		return;
	}
	m = build_lcp_options(c, mine);
	if (m != n || memcmp(mine, o, n) != 0) {	/* an ACK must echo our request */
		c->st.malformed++;
		return;
	}
	c->lcp_next_id = (uint8_t)(c->lcp_id + 1);
	if (c->want_callback && !c->callback_leg) {
		c->cb_negotiated = true;
		c->st.callback_option_acked = true;
	}
	if (c->lcp == SUB_CP_ACKSENT) {
		lcp_opened(c);
	} else {
		c->lcp = SUB_CP_ACKRCVD;
		ev_timer_start(c->loop, &c->lcp_timer, c->cfg.restart_time);
		c->lcp_tries = 0;
	}
}

/* NAK or REJ of our request: drop (or for the magic, renew) what the server named. */
static void lcp_rx_nakrej(struct sub_ppp *c, uint8_t code, uint8_t id, const uint8_t *o,
			  size_t n)
{
	if (id != c->lcp_id || (c->lcp != SUB_CP_REQSENT && c->lcp != SUB_CP_ACKSENT) ||
	    options_valid(o, n) < 0) {
		c->st.malformed++;
		return;
	}
	for (size_t i = 0; i < n; i += o[i + 1]) {
		switch (o[i]) {
		case LCP_ACCM:
			c->want_accm = false;
			break;
		case LCP_MAGIC:
			if (code == CP_CONFNAK)
				c->magic = new_magic(c) ^ xorshift32(&c->rng);
			break;
		case LCP_PFC:
			c->want_pfc = false;
			break;
		case LCP_ACFC:
			c->want_acfc = false;
			break;
		case LCP_CALLBACK:
			if (c->want_callback && !c->callback_leg)
				c->st.callback_option_rejected = true;
			c->want_callback = false;
			break;
		default:
			break;
		}
	}
	lcp_new_confreq(c);
}

static void lcp_send_protrej(struct sub_ppp *c, uint16_t proto, const uint8_t *info,
			     size_t n)
{
	uint8_t p[PPP_MTU];

	if (n > sizeof(p) - 6)
		n = sizeof(p) - 6;
	put16(p, proto);
	if (n)
		memcpy(p + 2, info, n);
	c->st.lcp_protrej_tx++;
	c->st.unknown_proto++;
	send_cp(c, SUB_PPP_PROTO_LCP, CP_PROTREJ, c->lcp_next_id++, p, n + 2);
}

static void rx_lcp(struct sub_ppp *c, const uint8_t *pkt, size_t len)
{
	uint8_t code = pkt[0], id = pkt[1];
	const uint8_t *d = pkt + 4;
	size_t n = len - 4;

	if (c->lcp == SUB_CP_INITIAL || c->phase == SUB_PPP_DEAD ||
	    c->phase == SUB_PPP_WAIT_CALLBACK)
		return;				/* no link: silently discard */
	switch (code) {
	case CP_CONFREQ:
		if (c->lcp == SUB_CP_CLOSING || c->lcp == SUB_CP_CLOSED)
			return;
		lcp_rx_confreq(c, id, d, n);
		break;
	case CP_CONFACK:
		lcp_rx_confack(c, id, d, n);
		break;
	case CP_CONFNAK:
	case CP_CONFREJ:
		lcp_rx_nakrej(c, code, id, d, n);
		break;
	case CP_TERMREQ:
		c->st.lcp_termack_tx++;
		send_cp(c, SUB_PPP_PROTO_LCP, CP_TERMACK, id, NULL, 0);
		if (c->lcp == SUB_CP_CLOSING) {
			lcp_closed(c);
			return;
		}
		ev_timer_stop(c->loop, &c->lcp_timer);
		ev_timer_stop(c->loop, &c->ipcp_timer);
		ev_timer_stop(c->loop, &c->think_timer);
		c->lcp = SUB_CP_CLOSED;
		c->ipcp = SUB_CP_CLOSED;
		if (c->st.callback_acked && !c->callback_leg) {
			c->phase = SUB_PPP_WAIT_CALLBACK;
			emit(c, SUB_PPP_EV_WAIT_CALLBACK);
		} else {
			c->phase = SUB_PPP_TERMINATE;
			emit(c, SUB_PPP_EV_TERMINATED);
		}
		break;
	case CP_TERMACK:
		if (c->lcp == SUB_CP_CLOSING)
			lcp_closed(c);
		break;
	case CP_CODEREJ:
		c->st.lcp_coderej_rx++;
		break;
	case CP_PROTREJ:
		c->st.lcp_protrej_rx++;
		break;
	case LCP_ECHOREQ:
		if (c->lcp == SUB_CP_OPENED && n >= 4) {
			uint8_t r[PPP_MTU];
			size_t m = n > sizeof(r) ? sizeof(r) : n;

			memcpy(r, d, m);
			put32(r, c->magic);
			c->st.lcp_echo_tx++;
			send_cp(c, SUB_PPP_PROTO_LCP, LCP_ECHOREP, id, r, m);
		} else if (n < 4) {
			c->st.malformed++;
		}
		break;
	case LCP_ECHOREP:
	case LCP_DISCREQ:
	case LCP_IDENT:
	case LCP_TIMEREM:
		break;
	default:
		c->st.lcp_coderej_tx++;
		send_cp(c, SUB_PPP_PROTO_LCP, CP_CODEREJ, c->lcp_next_id++, pkt, len);
		break;
	}
}

/* ---- authentication ---------------------------------------------------------------- */

static void auth_done(struct sub_ppp *c, bool ok)
{
	if (ok) {
		if (c->phase != SUB_PPP_AUTHENTICATE)
			return;			/* a repeated Success */
		c->st.auth_ok = true;
		emit(c, SUB_PPP_EV_AUTH_OK);
		after_auth(c);
	} else {
		c->st.auth_failed = true;
		emit(c, SUB_PPP_EV_AUTH_FAILED);
		lcp_close(c);
	}
}

static void rx_chap(struct sub_ppp *c, const uint8_t *pkt, size_t len)
{
	if (c->lcp != SUB_CP_OPENED || c->peer_auth != SUB_PPP_PROTO_CHAP)
		return;
	switch (pkt[0]) {
	case CHAP_CHALLENGE: {
		uint8_t vs = len > 4 ? pkt[4] : 0;
		const char *u = c->cfg.user ? c->cfg.user : "";
		const char *s = c->cfg.secret ? c->cfg.secret : "";
		size_t ul = strnlen(u, SUB_PPP_MAX_NAME);
		uint8_t r[4 + 1 + MD5_DIGEST_SIZE + SUB_PPP_MAX_NAME];
		struct md5_ctx md5;

		if (len < 5 || vs == 0 || (size_t)vs + 5 > len) {
			c->st.malformed++;
			return;
		}
		c->st.chap_challenges_rx++;
		md5_init(&md5);
		md5_update(&md5, 1, pkt + 1);
		md5_update(&md5, strlen(s), (const uint8_t *)s);
		md5_update(&md5, vs, pkt + 5);
		r[0] = CHAP_RESPONSE;
		r[1] = pkt[1];
		put16(r + 2, (uint16_t)(5 + MD5_DIGEST_SIZE + ul));
		r[4] = MD5_DIGEST_SIZE;
		md5_digest(&md5, MD5_DIGEST_SIZE, r + 5);
		memcpy(r + 5 + MD5_DIGEST_SIZE, u, ul);
		c->st.chap_responses_tx++;
		send_frame(c, SUB_PPP_PROTO_CHAP, r, 5 + MD5_DIGEST_SIZE + ul);
		break;
	}
	case CHAP_SUCCESS:
		auth_done(c, true);
		break;
	case CHAP_FAILURE:
		if (c->phase == SUB_PPP_AUTHENTICATE)
			auth_done(c, false);
		break;
	default:
		c->st.malformed++;
		break;
	}
}

static void rx_pap(struct sub_ppp *c, const uint8_t *pkt, size_t len)
{
	(void)len;
	if (c->lcp != SUB_CP_OPENED || c->peer_auth != SUB_PPP_PROTO_PAP ||
	    c->phase != SUB_PPP_AUTHENTICATE)
		return;
	if (pkt[1] != c->pap_id) {
		c->st.malformed++;
		return;
	}
	if (pkt[0] == PAP_ACK)
		auth_done(c, true);
	else if (pkt[0] == PAP_NAK)
		auth_done(c, false);
	else
		c->st.malformed++;
}

/* ---- CBCP (MCB) -------------------------------------------------------------------- */

static void after_auth(struct sub_ppp *c)
{
	if (c->cb_negotiated) {
		c->phase = SUB_PPP_CALLBACK;	/* the server sends the Request */
		return;
	}
	ipcp_start(c);
}

static void cbcp_send_response(struct sub_ppp *c, uint8_t id, uint8_t type)
{
	uint8_t o[4 + SUB_PPP_MAX_NUMBER + 1];
	size_t k = 0;
	const char *num = c->cfg.callback_number ? c->cfg.callback_number : "";
	size_t nl = strnlen(num, SUB_PPP_MAX_NUMBER);

	o[k++] = type;
	switch (type) {
	case CBCP_USER:
		o[k++] = (uint8_t)(4 + nl + 1);
		o[k++] = c->cfg.cbcp_delay;
		o[k++] = 1;			/* address type: PSTN */
		memcpy(o + k, num, nl);
		k += nl;
		o[k++] = 0;
		break;
	case CBCP_ADMIN:
		o[k++] = 3;
		o[k++] = c->cfg.cbcp_delay;
		break;
	default:
		o[k++] = 2;
		break;
	}
	c->st.cbcp_responses_tx++;
	c->st.cbcp_type_answered = type;
	c->st.last_cbcp_response_id = id;
	send_cp(c, SUB_PPP_PROTO_CBCP, CBCP_RESPONSE, id, o, k);
	emit(c, SUB_PPP_EV_CBCP_RESPONSE);
	if (type == CBCP_NONE)		/* no callback: on to the network phase */
		ipcp_start(c);
}

static void think_done(struct ev_timer *t, void *arg)
{
	struct sub_ppp *c = arg;

	(void)t;
	c->cbcp_thinking = false;
	c->cbcp_have_answer = true;		/* the dialog's answer is cached */
	if (c->phase == SUB_PPP_CALLBACK)
		cbcp_send_response(c, c->cbcp_think_id, c->cbcp_think_type);
}

static void cbcp_rx_request(struct sub_ppp *c, uint8_t id, const uint8_t *o, size_t n)
{
	unsigned offered = 0;
	const struct variant_desc *v = vd(c);

	if (options_valid(o, n) < 0) {
		c->st.malformed++;
		return;
	}
	for (size_t i = 0; i < n; i += o[i + 1]) {
		uint8_t type = o[i], len = o[i + 1];

		/* type 1 is 2 octets; 2..4 carry at least the delay */
		if (type == CBCP_NONE || (type >= CBCP_USER && type <= CBCP_LIST && len >= 3))
			offered |= 1u << type;
	}
	c->st.cbcp_requests_rx++;
	for (size_t i = 0; i < 4 && v->pref[i].type; i++) {
		const struct cbcp_choice *ch = &v->pref[i];

		if (!(offered & (1u << ch->type)))
			continue;
		if (ch->think && !c->cbcp_have_answer && c->cfg.think_time) {
			if (c->cbcp_thinking) {
				c->st.cbcp_ignored++;	/* the dialog is still open */
				return;
			}
			c->cbcp_thinking = true;
			c->cbcp_think_id = id;
			c->cbcp_think_type = ch->type;
			ev_timer_start(c->loop, &c->think_timer, c->cfg.think_time);
			return;
		}
		cbcp_send_response(c, id, ch->type);
		return;
	}
	c->st.cbcp_ignored++;			/* nothing we can take: wait */
}

static void rx_cbcp(struct sub_ppp *c, const uint8_t *pkt, size_t len)
{
	const uint8_t *o = pkt + 4;
	size_t n = len - 4;

	if (c->phase != SUB_PPP_CALLBACK) {
		if (c->lcp == SUB_CP_OPENED && !c->cb_negotiated)
			lcp_send_protrej(c, SUB_PPP_PROTO_CBCP, pkt, len);
		return;
	}
	switch (pkt[0]) {
	case CBCP_REQUEST:
		cbcp_rx_request(c, pkt[1], o, n);
		break;
	case CBCP_ACK: {
		uint8_t type;

		if (options_valid(o, n) < 0) {
			c->st.malformed++;
			return;
		}
		c->st.cbcp_acks_rx++;
		if (n == 0) {
			if (vd(c)->ack_needs_option || c->st.cbcp_responses_tx == 0)
				return;		/* pppd: keeps waiting */
			type = c->st.cbcp_type_answered;
		} else {
			type = o[0];
		}
		if (type == CBCP_NONE) {
			if (c->ipcp == SUB_CP_INITIAL)
				ipcp_start(c);
			return;
		}
		ev_timer_stop(c->loop, &c->think_timer);
		c->cbcp_thinking = false;
		c->st.callback_acked = true;
		emit(c, SUB_PPP_EV_CALLBACK_ACKED);
		lcp_close(c);			/* hang up for the callback */
		break;
	}
	default:
		c->st.malformed++;
		break;
	}
}

/* ---- IPCP -------------------------------------------------------------------------- */

static size_t build_ipcp_options(struct sub_ppp *c, uint8_t *o)
{
	size_t k = 0;

	if (c->want_vj) {
		static const uint8_t vj[] = { IPCP_VJ, 6, 0x00, 0x2D, 0x0F, 0x01 };

		memcpy(o, vj, sizeof(vj));
		k += sizeof(vj);
	}
	for (size_t i = 0; i < 5; i++) {
		if (!c->want[i].on)
			continue;
		o[k++] = c->want[i].type;
		o[k++] = 6;
		put32(o + k, c->want[i].value);
		k += 4;
	}
	return k;
}

static void ipcp_send_confreq(struct sub_ppp *c)
{
	uint8_t o[64];
	size_t n = build_ipcp_options(c, o);

	c->st.ipcp_confreq_tx++;
	c->ipcp_tries++;
	send_cp(c, SUB_PPP_PROTO_IPCP, CP_CONFREQ, c->ipcp_id, o, n);
	ev_timer_start(c->loop, &c->ipcp_timer, c->cfg.restart_time);
}

static void ipcp_start(struct sub_ppp *c)
{
	static const uint8_t types[5] = { IPCP_ADDR, IPCP_DNS1, IPCP_WINS1, IPCP_DNS2,
					  IPCP_WINS2 };

	c->phase = SUB_PPP_NETWORK;
	c->ipcp = SUB_CP_REQSENT;
	c->ipcp_id = 1;
	c->ipcp_tries = 0;
	c->want_vj = true;
	for (size_t i = 0; i < 5; i++) {
		c->want[i].type = types[i];
		c->want[i].on = i == 0 || c->cfg.ask_dns;
		c->want[i].value = 0;
	}
	ipcp_send_confreq(c);
}

static void ipcp_timeout(struct ev_timer *t, void *arg)
{
	struct sub_ppp *c = arg;

	(void)t;
	if (c->ipcp != SUB_CP_REQSENT && c->ipcp != SUB_CP_ACKRCVD &&
	    c->ipcp != SUB_CP_ACKSENT)
		return;
	if (c->ipcp_tries >= c->cfg.max_configure) {
		link_failed(c);
		return;
	}
	if (c->ipcp == SUB_CP_ACKRCVD)
		c->ipcp = SUB_CP_REQSENT;
	ipcp_send_confreq(c);
}

static void ipcp_opened(struct sub_ppp *c)
{
	ev_timer_stop(c->loop, &c->ipcp_timer);
	c->ipcp = SUB_CP_OPENED;
	c->st.ip_addr = c->want[0].value;
	c->st.dns[0] = c->want[1].value;
	c->st.wins[0] = c->want[2].value;
	c->st.dns[1] = c->want[3].value;
	c->st.wins[1] = c->want[4].value;
	emit(c, SUB_PPP_EV_IPCP_OPEN);
}

static void ipcp_rx_confreq(struct sub_ppp *c, uint8_t id, const uint8_t *o, size_t n)
{
	uint8_t rej[PPP_MTU];
	size_t nrej = 0;
	uint32_t peer = 0;

	if (options_valid(o, n) < 0) {
		c->st.malformed++;
		return;
	}
	for (size_t i = 0; i < n; i += o[i + 1]) {
		const struct opt_rule *r = find_rule(ipcp_rules, sizeof(ipcp_rules) /
						     sizeof(ipcp_rules[0]), o[i]);
		uint8_t len = o[i + 1];

		if (!r || len < r->min_len || len > r->max_len ||
		    (o[i] == IPCP_VJ && get16(o + i + 2) != PROTO_VJ_COMP)) {
			memcpy(rej + nrej, o + i, len);
			nrej += len;
			continue;
		}
		if (o[i] == IPCP_ADDR)
			peer = get32(o + i + 2);
	}
	if (nrej) {
		send_cp(c, SUB_PPP_PROTO_IPCP, CP_CONFREJ, id, rej, nrej);
		if (c->ipcp == SUB_CP_ACKSENT)
			c->ipcp = SUB_CP_REQSENT;
		return;
	}
	c->st.peer_ip_addr = peer;
	c->st.ipcp_confack_tx++;
	send_cp(c, SUB_PPP_PROTO_IPCP, CP_CONFACK, id, o, n);
	if (c->ipcp == SUB_CP_ACKRCVD)
		ipcp_opened(c);
	else if (c->ipcp == SUB_CP_REQSENT)
		c->ipcp = SUB_CP_ACKSENT;
}

static void ipcp_rx_nakrej(struct sub_ppp *c, uint8_t code, uint8_t id, const uint8_t *o,
			   size_t n)
{
	if (id != c->ipcp_id || (c->ipcp != SUB_CP_REQSENT && c->ipcp != SUB_CP_ACKSENT) ||
	    options_valid(o, n) < 0) {
		c->st.malformed++;
		return;
	}
	if (code == CP_CONFNAK)
		c->st.ipcp_confnak_rx++;
	else
		c->st.ipcp_confrej_rx++;
	for (size_t i = 0; i < n; i += o[i + 1]) {
		uint8_t type = o[i], len = o[i + 1];

		if (type == IPCP_VJ) {
			c->want_vj = false;	/* we never send compressed anyway */
			continue;
		}
		for (size_t w = 0; w < 5; w++) {
			if (c->want[w].type != type || !c->want[w].on)
				continue;
			if (code == CP_CONFREJ)
				c->want[w].on = false;
			else if (len == 6)
				c->want[w].value = get32(o + i + 2);
		}
	}
	c->ipcp_id++;
	c->ipcp_tries = 0;
	ipcp_send_confreq(c);
}

static void ipcp_rx_confack(struct sub_ppp *c, uint8_t id, const uint8_t *o, size_t n)
{
	uint8_t mine[64];
	size_t m = build_ipcp_options(c, mine);

	if (id != c->ipcp_id || m != n || memcmp(mine, o, n) != 0 ||
	    (c->ipcp != SUB_CP_REQSENT && c->ipcp != SUB_CP_ACKSENT)) {
		c->st.malformed++;
		return;
	}
	if (c->ipcp == SUB_CP_ACKSENT) {
		ipcp_opened(c);
	} else {
		c->ipcp = SUB_CP_ACKRCVD;
		c->ipcp_tries = 0;
	}
}

static void rx_ipcp(struct sub_ppp *c, const uint8_t *pkt, size_t len)
{
	const uint8_t *o = pkt + 4;
	size_t n = len - 4;

	if (c->phase != SUB_PPP_NETWORK)
		return;				/* before the network phase: discard */
	switch (pkt[0]) {
	case CP_CONFREQ:
		if (c->ipcp == SUB_CP_OPENED) {	/* renegotiation */
			c->ipcp = SUB_CP_REQSENT;
			c->ipcp_tries = 0;
			c->ipcp_id++;
			ipcp_send_confreq(c);
		}
		ipcp_rx_confreq(c, pkt[1], o, n);
		break;
	case CP_CONFACK:
		ipcp_rx_confack(c, pkt[1], o, n);
		break;
	case CP_CONFNAK:
	case CP_CONFREJ:
		ipcp_rx_nakrej(c, pkt[0], pkt[1], o, n);
		break;
	case CP_TERMREQ:
		send_cp(c, SUB_PPP_PROTO_IPCP, CP_TERMACK, pkt[1], NULL, 0);
		c->ipcp = SUB_CP_CLOSED;
		ev_timer_stop(c->loop, &c->ipcp_timer);
		break;
	case CP_TERMACK:
	case CP_CODEREJ:
		break;
	default:
		send_cp(c, SUB_PPP_PROTO_IPCP, CP_CODEREJ, (uint8_t)(c->ipcp_id + 100), pkt,
			len);
		break;
	}
}

/* ---- IPv4 -------------------------------------------------------------------------- */

static void build_ipv4(uint8_t *p, size_t total, uint8_t proto, uint16_t ident,
		       uint32_t src, uint32_t dst)
{
	p[0] = 0x45;
	p[1] = 0;
	put16(p + 2, (uint16_t)total);
	put16(p + 4, ident);
	put16(p + 6, 0);
	p[8] = 128;				/* Windows' TTL */
	p[9] = proto;
	put16(p + 10, 0);
	put32(p + 12, src);
	put32(p + 16, dst);
	put16(p + 10, inet_csum(p, 20));
}

int sub_ppp_send_ip(struct sub_ppp *c, const uint8_t *pkt, size_t n)
{
	if (c->ipcp != SUB_CP_OPENED)
		return -ENOTCONN;
	if (n == 0 || n > PPP_MTU)
		return -EMSGSIZE;
	c->st.ip_tx++;
	send_frame(c, SUB_PPP_PROTO_IP, pkt, n);
	return 0;
}

int sub_ppp_ping(struct sub_ppp *c, uint32_t dst, uint16_t ident, uint16_t seq,
		 size_t payload_len)
{
	uint8_t p[PPP_MTU];
	size_t total = 20 + 8 + payload_len;

	if (total > sizeof(p))
		return -EMSGSIZE;
	build_ipv4(p, total, 1, c->ip_ident++, c->st.ip_addr, dst);
	p[20] = 8;				/* echo request */
	p[21] = 0;
	put16(p + 22, 0);
	put16(p + 24, ident);
	put16(p + 26, seq);
	for (size_t i = 0; i < payload_len; i++)
		p[28 + i] = (uint8_t)('a' + i % 23);	/* Windows' ping pattern */
	put16(p + 22, inet_csum(p + 20, total - 20));
	return sub_ppp_send_ip(c, p, total);
}

static void rx_ip(struct sub_ppp *c, const uint8_t *p, size_t n)
{
	size_t ihl, total;

	if (c->ipcp != SUB_CP_OPENED)
		return;
	if (n < 20 || (p[0] >> 4) != 4 || (ihl = (size_t)(p[0] & 15) * 4) < 20 || ihl > n ||
	    (total = get16(p + 2)) < ihl || total > n) {
		c->st.malformed++;
		return;
	}
	c->st.ip_rx++;
	if (c->ops.ip_rx)
		c->ops.ip_rx(c->ctx, p, total);
	emit(c, SUB_PPP_EV_IP_RX);
	if (p[9] != 1 || total < ihl + 8)
		return;
	if (p[ihl] == 0) {
		c->st.icmp_reply_rx++;
	} else if (p[ihl] == 8 && get32(p + 16) == c->st.ip_addr) {
		uint8_t r[PPP_MTU];

		c->st.icmp_echo_rx++;
		memcpy(r, p, total);
		build_ipv4(r, total, 1, c->ip_ident++, c->st.ip_addr, get32(p + 12));
		if (ihl > 20) {			/* drop IP options in the reply */
			memmove(r + 20, p + ihl, total - ihl);
			total = total - ihl + 20;
			build_ipv4(r, total, 1, (uint16_t)(c->ip_ident - 1), c->st.ip_addr,
				   get32(p + 12));
		}
		r[20] = 0;
		put16(r + 22, 0);
		put16(r + 22, inet_csum(r + 20, total - 20));
		c->st.icmp_reply_tx++;
		sub_ppp_send_ip(c, r, total);
	}
}

/* ---- receive ----------------------------------------------------------------------- */

void sub_ppp_input_frame(struct sub_ppp *c, const uint8_t *f, size_t n)
{
	size_t i = 0;
	uint16_t proto;

	c->st.frames_rx++;
	if (c->ops.frame)
		c->ops.frame(c->ctx, false, f, n);
	if (n >= 1 && f[0] == 0xFF) {
		if (n < 2 || f[1] != 0x03) {
			c->st.malformed++;
			return;
		}
		i = 2;
	}
	if (i >= n) {
		c->st.malformed++;
		return;
	}
	if (f[i] & 1) {
		proto = f[i++];
	} else {
		if (n - i < 2 || !(f[i + 1] & 1)) {
			c->st.malformed++;
			return;
		}
		proto = get16(f + i);
		i += 2;
	}
	f += i;
	n -= i;
	if (proto == SUB_PPP_PROTO_IP) {
		rx_ip(c, f, n);
		return;
	}
	if (proto == PROTO_VJ_COMP || proto == PROTO_VJ_UNCOMP) {
		c->st.malformed++;		/* we never agreed to decode these */
		return;
	}
	if (proto != SUB_PPP_PROTO_LCP && proto != SUB_PPP_PROTO_CHAP &&
	    proto != SUB_PPP_PROTO_PAP && proto != SUB_PPP_PROTO_CBCP &&
	    proto != SUB_PPP_PROTO_IPCP) {
		if (c->lcp == SUB_CP_OPENED)
			lcp_send_protrej(c, proto, f, n);
		else
			c->st.unknown_proto++;
		return;
	}
	/* a control packet: code, id, length; octets past length are padding */
	if (n < 4 || get16(f + 2) < 4 || get16(f + 2) > n) {
		c->st.malformed++;
		return;
	}
	n = get16(f + 2);
	switch (proto) {
	case SUB_PPP_PROTO_LCP:
		rx_lcp(c, f, n);
		break;
	case SUB_PPP_PROTO_CHAP:
		rx_chap(c, f, n);
		break;
	case SUB_PPP_PROTO_PAP:
		rx_pap(c, f, n);
		break;
	case SUB_PPP_PROTO_CBCP:
		rx_cbcp(c, f, n);
		break;
	default:
		rx_ipcp(c, f, n);
		break;
	}
}

static void on_hdlc(void *ctx, enum hdlc_async_event ev, const uint8_t *d, size_t n)
{
	struct sub_ppp *c = ctx;

	if (ev == HDLC_FRAME_OK) {
		/* a copy: the handlers below may outlive the decoder's buffer */
		uint8_t f[HDLC_ASYNC_MAX_FRAME + 4];

		if (n > sizeof(f))
			n = sizeof(f);
		memcpy(f, d, n);
		sub_ppp_input_frame(c, f, n);
	} else if (ev == HDLC_FRAME_BAD_FCS) {
		c->st.bad_fcs++;
	} else if (ev != HDLC_FRAME_RUNT || n > 0) {
		c->st.hdlc_errors++;
	}
}

void sub_ppp_input(struct sub_ppp *c, const uint8_t *octets, size_t n)
{
	uint8_t chunk[SUB_PPP_RX_PENDING];

	if (c->rx_busy) {
		/* re-entered from our own output (a peer that answers synchronously):
		 * the decoder is mid-frame, so queue and decode after it returns */
		if (n > sizeof(c->rx_pending) - c->rx_pending_len) {
			c->st.hdlc_errors++;
			return;
		}
		memcpy(c->rx_pending + c->rx_pending_len, octets, n);
		c->rx_pending_len += n;
		return;
	}
	c->rx_busy = true;
	for (;;) {
		if (c->phase != SUB_PPP_DEAD && c->phase != SUB_PPP_WAIT_CALLBACK)
			hdlc_async_decode(&c->dec, octets, n);
		if (c->rx_pending_len == 0)
			break;
		n = c->rx_pending_len;
		memcpy(chunk, c->rx_pending, n);
		c->rx_pending_len = 0;
		octets = chunk;
	}
	c->rx_busy = false;
}

/* ---- life cycle -------------------------------------------------------------------- */

void sub_ppp_config_default(struct sub_ppp_config *cfg, enum sub_ppp_variant v)
{
	const struct variant_desc *d = &variants[(unsigned)v < NVARIANTS ? v : 0];

	memset(cfg, 0, sizeof(*cfg));
	cfg->variant = v;
	cfg->user = "callmeback";
	cfg->secret = "cisco";
	cfg->callback_number = v == SUB_PPP_PPPD ? "5279651" : "527-9651";
	cfg->magic_ticks = d->magic_ticks;
	cfg->magic_base = 0x004A4A09;		/* the seed's first magic */
	cfg->lcp_first_id = d->first_id;
	cfg->cbcp_delay = d->cbcp_delay;
	cfg->think_time = d->think_any ? 9500 * EV_MSEC : 0;
	cfg->restart_time = 3 * EV_SEC;
	cfg->max_configure = 10;
	cfg->max_terminate = 2;
	cfg->ask_dns = d->ask_dns;
}

void sub_ppp_init(struct sub_ppp *c, struct ev_loop *loop, const struct sub_ppp_config *cfg,
		  const struct sub_ppp_ops *ops, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	if ((unsigned)c->cfg.variant >= NVARIANTS)
		c->cfg.variant = SUB_PPP_WINNT_ASK;
	if (c->cfg.max_configure == 0)
		c->cfg.max_configure = 10;
	if (c->cfg.max_terminate == 0)
		c->cfg.max_terminate = 2;
	if (c->cfg.restart_time == 0)
		c->cfg.restart_time = 3 * EV_SEC;
	if (ops)
		c->ops = *ops;
	c->ctx = ctx;
	c->loop = loop;
	c->created = ev_now(loop);
	c->rng = cfg->magic_seed ? cfg->magic_seed : 0x2545F491u;
	if (c->cfg.magic_ticks && cfg->magic_seed) {
		uint32_t s = cfg->magic_seed;	/* a per-client boot time, < 12 days */

		c->cfg.magic_base = xorshift32(&s) & 0x3FFFFFFFu;
	}
	c->phase = SUB_PPP_DEAD;
	c->lcp = SUB_CP_INITIAL;
	c->ipcp = SUB_CP_INITIAL;
	hdlc_async_decoder_init(&c->dec, vd(c)->accm, false, on_hdlc, c);
	ev_timer_init(&c->lcp_timer, lcp_timeout, c);
	ev_timer_init(&c->ipcp_timer, ipcp_timeout, c);
	ev_timer_init(&c->think_timer, think_done, c);
}

void sub_ppp_fini(struct sub_ppp *c)
{
	ev_timer_stop(c->loop, &c->lcp_timer);
	ev_timer_stop(c->loop, &c->ipcp_timer);
	ev_timer_stop(c->loop, &c->think_timer);
}

void sub_ppp_lower_up(struct sub_ppp *c, bool callback_leg)
{
	const struct variant_desc *v = vd(c);

	sub_ppp_fini(c);
	hdlc_async_decoder_init(&c->dec, v->accm, false, on_hdlc, c);
	c->st.calls++;
	c->callback_leg = callback_leg;
	c->phase = SUB_PPP_ESTABLISH;
	c->lcp = SUB_CP_REQSENT;
	c->ipcp = SUB_CP_INITIAL;
	c->lcp_next_id = c->cfg.lcp_first_id;
	c->want_callback = v->lcp_callback && !callback_leg;
	c->want_accm = c->want_pfc = c->want_acfc = true;
	c->tx_accm = 0xFFFFFFFFu;
	c->peer_pfc = c->peer_acfc = false;
	c->peer_auth = 0;
	c->peer_mru = PPP_MTU;
	c->cbcp_thinking = false;
	c->cb_negotiated = false;
	if (!callback_leg) {
		c->st.callback_option_acked = false;
		c->st.callback_acked = false;
	}
	c->st.auth_ok = c->st.auth_failed = false;
	c->st.ip_addr = 0;
	c->magic = new_magic(c);
	lcp_new_confreq(c);
}

void sub_ppp_lower_down(struct sub_ppp *c)
{
	sub_ppp_fini(c);
	c->lcp = SUB_CP_INITIAL;
	c->ipcp = SUB_CP_INITIAL;
	c->cbcp_thinking = false;
	if (c->phase != SUB_PPP_WAIT_CALLBACK)
		c->phase = SUB_PPP_DEAD;
}

const struct sub_ppp_stats *sub_ppp_stats(const struct sub_ppp *c)
{
	return &c->st;
}

const char *sub_ppp_phase_name(enum sub_ppp_phase p)
{
	static const char *const names[] = {
		[SUB_PPP_DEAD] = "dead", [SUB_PPP_ESTABLISH] = "establish",
		[SUB_PPP_AUTHENTICATE] = "authenticate", [SUB_PPP_CALLBACK] = "callback",
		[SUB_PPP_NETWORK] = "network", [SUB_PPP_TERMINATE] = "terminate",
		[SUB_PPP_WAIT_CALLBACK] = "wait-callback",
	};

	return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "?";
}

size_t sub_ppp_describe(const uint8_t *f, size_t n, char *buf, size_t size)
{
	static const char *const cp_codes[] = {
		"?", "CONFREQ", "CONFACK", "CONFNAK", "CONFREJ", "TERMREQ", "TERMACK",
		"CODEREJ", "PROTREJ", "ECHOREQ", "ECHOREP", "DISCREQ", "IDENTIFY", "TIMEREM",
	};
	static const char *const chap_codes[] = { "?", "CHALLENGE", "RESPONSE", "SUCCESS",
						  "FAILURE" };
	static const char *const pap_codes[] = { "?", "AUTH-REQ", "AUTH-ACK", "AUTH-NAK" };
	static const char *const mcb_codes[] = { "?", "Request", "Response", "Ack" };
	const char *name, *code = "?";
	size_t i = 0;
	uint16_t proto;
	int k;

	if (!buf || size == 0)
		return 0;
	buf[0] = 0;
	if (n >= 2 && f[0] == 0xFF && f[1] == 0x03)
		i = 2;
	if (i >= n) {
		k = snprintf(buf, size, "runt len %zu", n);
		return k < 0 ? 0 : (size_t)k < size ? (size_t)k : size - 1;
	}
	if (f[i] & 1) {
		proto = f[i++];
	} else if (n - i >= 2) {
		proto = get16(f + i);
		i += 2;
	} else {
		k = snprintf(buf, size, "runt len %zu", n);
		return k < 0 ? 0 : (size_t)k < size ? (size_t)k : size - 1;
	}
	f += i;
	n -= i;
	switch (proto) {
	case SUB_PPP_PROTO_IP:
		k = snprintf(buf, size, "IP len %zu", n);
		return k < 0 ? 0 : (size_t)k < size ? (size_t)k : size - 1;
	case SUB_PPP_PROTO_LCP: name = "LCP"; break;
	case SUB_PPP_PROTO_IPCP: name = "IPCP"; break;
	case SUB_PPP_PROTO_CHAP: name = "CHAP"; break;
	case SUB_PPP_PROTO_PAP: name = "PAP"; break;
	case SUB_PPP_PROTO_CBCP: name = "MCB"; break;
	default:
		k = snprintf(buf, size, "protocol 0x%04X len %zu", proto, n);
		return k < 0 ? 0 : (size_t)k < size ? (size_t)k : size - 1;
	}
	if (n < 4) {
		k = snprintf(buf, size, "%s runt len %zu", name, n);
		return k < 0 ? 0 : (size_t)k < size ? (size_t)k : size - 1;
	}
	if (proto == SUB_PPP_PROTO_CHAP && f[0] < 5)
		code = chap_codes[f[0]];
	else if (proto == SUB_PPP_PROTO_PAP && f[0] < 4)
		code = pap_codes[f[0]];
	else if (proto == SUB_PPP_PROTO_CBCP && f[0] < 4)
		code = mcb_codes[f[0]];
	else if ((proto == SUB_PPP_PROTO_LCP && f[0] < 14) ||
		 (proto == SUB_PPP_PROTO_IPCP && f[0] < 8))
		code = cp_codes[f[0]];
	k = snprintf(buf, size, "%s %s id %u len %u", name, code, f[1], get16(f + 2));
	return k < 0 ? 0 : (size_t)k < size ? (size_t)k : size - 1;
}

const char *sub_ppp_variant_name(enum sub_ppp_variant v)
{
	return (unsigned)v < NVARIANTS ? variants[v].name : "?";
}
