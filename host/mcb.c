/*
 * mcb.c - Microsoft Callback Control Protocol (CBCP, 0xC029), IOS's "MCB"
 *
 * Server side exactly as the seed shows it (see mcb.h); every option is parsed with
 * a bounded cursor (type, length >= 2 and <= what is left, then per-type checks), so
 * pppd cbcp.c's cursor bug has no counterpart here.  A callback number the client
 * offers is only used for "Client ANY" users, and only if it is a plain dial string
 * (digits and - ( ) + * # , . space): anything else could inject modem commands into
 * the callback chat script.  Users with a preconfigured number are always called at
 * that number (toll-fraud protection).
 *
 * SPDX-License-Identifier: MIT
 */
#include "mcb.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "ppp.h"

static void mcb_timeout(struct ev_timer *t, void *arg);

void mcb_init(struct mcb *m)
{
	memset(m, 0, sizeof(*m));
	m->next_id = MCB_FIRST_ID;
	ev_timer_init(&m->timer, mcb_timeout, NULL);
}

const char *mcb_type_name(unsigned type)
{
	switch (type) {
	case MCB_OPT_NONE: return "None";
	case MCB_OPT_USER: return "Client-Num";
	case MCB_OPT_ADMIN: return "Server-Num";
	case MCB_OPT_LIST: return "Server-List";
	default: return "Unknown";
	}
}

static const char *code_name(unsigned code)
{
	switch (code) {
	case MCB_REQUEST: return "Request";
	case MCB_RESPONSE: return "Response";
	case MCB_ACK: return "Ack";
	default: return "Unknown";
	}
}

#define MCB_DBG(...) ppp_dbg2(DBG_PPP_CBCP, DBG_PPP_NEGOTIATION, __VA_ARGS__)

/* "Async4 PPP: O MCB Request(1) id 20 len 9" and "Async4 MCB: O 1 14 0 9 2 5 0 1 0" */
static void print_pkt(struct ppp_session *s, const char *dir, const uint8_t *p, size_t len)
{
	char hex[3 * 64 + 8];
	size_t o = 0;

	if (!dbg_enabled(DBG_PPP_CBCP) && !dbg_enabled(DBG_PPP_NEGOTIATION))
		return;
	for (size_t i = 0; i < len && i < 64; i++)
		o += (size_t)snprintf(hex + o, sizeof(hex) - o, "%s%X", i ? " " : "", p[i]);
	hex[o] = 0;
	MCB_DBG("%s PPP: %s MCB %s(%u) id %u len %zu", s->lname, dir, code_name(p[0]), p[0],
		p[1], len);
	MCB_DBG("%s MCB: %s %s", s->lname, dir, hex);
}

static void send_pkt(struct ppp_session *s, uint8_t code, uint8_t id, const uint8_t *opt,
		     size_t olen)
{
	uint8_t pkt[4 + 255];

	if (olen > sizeof(pkt) - 4)
		olen = sizeof(pkt) - 4;
	pkt[0] = code;
	pkt[1] = id;
	ppp_put16(pkt + 2, (uint16_t)(4 + olen));
	memcpy(pkt + 4, opt, olen);
	print_pkt(s, "O", pkt, 4 + olen);
	ppp_send(s, PPP_PROTO_CBCP, pkt, 4 + olen);
}

static void set_number(struct mcb *m, const char *src)
{
	size_t l = strnlen(src, sizeof(m->number) - 1);

	memcpy(m->number, src, l);
	m->number[l] = 0;
}

static bool dialstring_ok(const char *p, size_t n)
{
	if (n == 0 || n >= MCB_NUMBER_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (!((c >= '0' && c <= '9') || (c && strchr("-()+*#,. ", c))))
			return false;
	}
	return true;
}

/* The n-th number of a "a,b,c" list into out; false past the end. */
static bool list_item(const char *list, unsigned n, char *out, size_t size)
{
	const char *p = list;

	for (unsigned i = 0; i < n; i++) {
		p = strchr(p, ',');
		if (!p)
			return false;
		p++;
	}
	size_t l = strcspn(p, ",");
	if (l == 0 || l >= size)
		return false;
	memcpy(out, p, l);
	out[l] = 0;
	return true;
}

static size_t build_request_opt(struct mcb *m, uint8_t *o, size_t room)
{
	size_t n = 0;

	switch (m->type) {
	case MCB_OPT_USER:	/* 02 05 00 01 00: delay 0, PSTN, empty number */
		o[0] = MCB_OPT_USER; o[1] = 5; o[2] = 0; o[3] = 1; o[4] = 0;
		return 5;
	case MCB_OPT_ADMIN:
		o[0] = MCB_OPT_ADMIN; o[1] = 3; o[2] = 0;
		return 3;
	case MCB_OPT_LIST: {
		char num[MCB_NUMBER_MAX];

		o[0] = MCB_OPT_LIST; o[2] = 0; n = 3;
		for (unsigned i = 0; list_item(m->offer, i, num, sizeof(num)); i++) {
			size_t l = strlen(num);
			if (n + l + 2 > room || n + l + 2 > 255)
				break;
			o[n++] = 1;
			memcpy(o + n, num, l);
			n += l;
			o[n++] = 0;
		}
		o[1] = (uint8_t)n;
		return n;
	}
	default:
		o[0] = MCB_OPT_NONE; o[1] = 2;
		return 2;
	}
}

static void send_request(struct ppp_session *s)
{
	struct mcb *m = &s->mcb;
	uint8_t opt[255];
	size_t n = build_request_opt(m, opt, sizeof(opt));

	m->id = m->next_id++;
	m->requests++;
	send_pkt(s, MCB_REQUEST, m->id, opt, n);
	MCB_DBG("%s MCB: O Request Id %u Callback Type %s delay 0", s->sname, m->id,
		mcb_type_name(m->type));
	ev_timer_start(s->loop, &m->timer, MCB_RETRY);
}

void mcb_start(struct ppp_session *s)
{
	struct mcb *m = &s->mcb;

	m->timer.arg = s;
	m->requests = 0;
	m->we_terminate = false;
	m->number[0] = 0;
	switch (m->type) {
	case MCB_OPT_USER:
		MCB_DBG("%s MCB: User %s Callback Number - Client ANY", s->sname, s->user);
		break;
	case MCB_OPT_ADMIN:
		MCB_DBG("%s MCB: User %s Callback Number - Server %s", s->sname, s->user, m->offer);
		break;
	case MCB_OPT_LIST:
		MCB_DBG("%s MCB: User %s Callback Number - Server list %s", s->sname, s->user,
			m->offer);
		break;
	default:
		m->type = MCB_OPT_NONE;
		MCB_DBG("%s MCB: User %s not authorized for callback", s->sname, s->user);
		break;
	}
	m->state = MCB_ST_WAIT_RESPONSE;
	send_request(s);
	ppp_lineproto_up(s);
}

static void mcb_timeout(struct ev_timer *t, void *arg)
{
	struct ppp_session *s = arg;
	struct mcb *m = &s->mcb;

	(void)t;
	if (m->state == MCB_ST_WAIT_RESPONSE) {
		MCB_DBG("%s MCB: Timeout in state WAIT_RESPONSE", s->sname);
		if (m->requests >= MCB_MAX_REQUESTS) {
			MCB_DBG("%s MCB: No response from peer, giving up", s->sname);
			m->state = MCB_ST_DONE;
			ppp_close(s, "MCB timeout");
			return;
		}
		send_request(s);
	} else if (m->state == MCB_ST_ACKED) {
		MCB_DBG("%s MCB: Peer did not terminate the link", s->sname);
		m->we_terminate = true;
		ppp_close(s, "Callback");
	}
}

static void send_ack(struct ppp_session *s)
{
	struct mcb *m = &s->mcb;

	send_pkt(s, MCB_ACK, m->ack_id, m->ack_opt, m->ack_len);
	MCB_DBG("%s MCB: O Ack Id %u Callback Type %s delay %u", s->sname, m->ack_id,
		mcb_type_name(m->ack_opt[0]), m->ack_len > 2 ? m->ack_opt[2] : 0);
}

static void accept_response(struct ppp_session *s, const uint8_t *opt, size_t olen)
{
	struct mcb *m = &s->mcb;

	ev_timer_stop(s->loop, &m->timer);
	if (olen > sizeof(m->ack_opt))
		olen = sizeof(m->ack_opt);
	memcpy(m->ack_opt, opt, olen);
	m->ack_len = (uint8_t)olen;
	m->ack_id = m->next_id++;
	send_ack(s);
	MCB_DBG("%s MCB: Negotiated MCB with peer", s->sname);
	if (m->ack_opt[0] == MCB_OPT_NONE) {
		m->state = MCB_ST_DONE;
		ppp_start_network(s);
		return;
	}
	m->state = MCB_ST_ACKED;
	snprintf(s->cb_number, sizeof(s->cb_number), "%s", m->number);
	s->callback_pending = true;
	ev_timer_start(s->loop, &m->timer, MCB_TERM_WAIT);
}

/* Server: a Response (options after the header). */
static void rcv_response(struct ppp_session *s, uint8_t id, const uint8_t *p, size_t len)
{
	struct mcb *m = &s->mcb;

	MCB_DBG("%s MCB: Received response", s->sname);
	if (m->state == MCB_ST_ACKED && id == m->id) {
		send_ack(s);		/* our Ack was lost: repeat it */
		return;
	}
	if (m->state != MCB_ST_WAIT_RESPONSE) {
		MCB_DBG("%s MCB: Resp ignored. Not waiting for a response", s->sname);
		return;
	}
	if (id != m->id) {
		MCB_DBG("%s MCB: Resp ignored. ID Expected %u, got id %u", s->sname, m->id, id);
		return;
	}
	while (len > 0) {
		size_t ol;
		uint8_t delay;
		char num[MCB_NUMBER_MAX] = "";

		if (len < 2 || p[1] < 2 || p[1] > len) {
			s->stats.bad_packets++;
			MCB_DBG("%s MCB: Bad response option", s->sname);
			return;
		}
		ol = p[1];
		delay = ol >= 3 ? p[2] : 0;
		if (ol >= 5) {	/* address type, NUL-terminated number within the option */
			const uint8_t *a = p + 4;
			size_t al = ol - 4, l = 0;

			while (l < al && a[l])
				l++;
			if (l < sizeof(num)) {
				memcpy(num, a, l);
				num[l] = 0;
			}
			MCB_DBG("%s MCB: Response CBK-%s %u %u %u, addr %u-%s", s->sname,
				mcb_type_name(p[0]), p[0], p[1], delay, p[3], num);
		} else {
			MCB_DBG("%s MCB: Response CBK-%s %u %u %u", s->sname, mcb_type_name(p[0]),
				p[0], p[1], delay);
		}
		m->delay = delay;
		switch (p[0]) {
		case MCB_OPT_NONE:
			if (m->type == MCB_OPT_NONE || m->type == MCB_OPT_USER) {
				static const uint8_t none[2] = { MCB_OPT_NONE, 2 };
				accept_response(s, none, 2);
			} else {
				MCB_DBG("%s MCB: Client refused callback required for %s", s->sname,
					s->user);
				m->state = MCB_ST_DONE;
				ppp_close(s, "Callback required");
			}
			return;
		case MCB_OPT_USER:
			if (m->type == MCB_OPT_USER) {
				if (!dialstring_ok(num, strlen(num))) {
					MCB_DBG("%s MCB: Bad callback number from client", s->sname);
					break;	/* try the next option; else keep asking */
				}
				set_number(m, num);
				accept_response(s, p, ol);
				return;
			}
			if (m->type == MCB_OPT_ADMIN) {
				uint8_t a[3] = { MCB_OPT_ADMIN, 3, delay };
				MCB_DBG("%s MCB: Client number %s ignored, using %s", s->sname,
					num[0] ? num : "(none)", m->offer);
				set_number(m, m->offer);
				accept_response(s, a, 3);
				return;
			}
			break;
		case MCB_OPT_ADMIN:
			if (m->type == MCB_OPT_ADMIN) {
				uint8_t a[3] = { MCB_OPT_ADMIN, 3, delay };
				set_number(m, m->offer);
				accept_response(s, a, 3);
				return;
			}
			break;
		case MCB_OPT_LIST:
			if (m->type == MCB_OPT_LIST) {
				char item[MCB_NUMBER_MAX];
				bool found = false;

				for (unsigned i = 0; list_item(m->offer, i, item, sizeof(item)); i++)
					if (strcmp(item, num) == 0)
						found = true;
				if (!found && !list_item(m->offer, 0, item, sizeof(item)))
					break;
				set_number(m, found ? num : item);
				accept_response(s, p, ol);
				return;
			}
			break;
		default:
			break;
		}
		p += ol;
		len -= ol;
	}
	if (m->type == MCB_OPT_NONE) {
		MCB_DBG("%s MCB: Callback not authorized for %s", s->sname, s->user);
		m->state = MCB_ST_DONE;
		ppp_close(s, "Callback not authorized");
		return;
	}
	MCB_DBG("%s MCB: No acceptable callback option in response", s->sname);
}

/* Peer role (tests): answer a Request as pppd 2.4.9 does (delay 5). */
static void client_request(struct ppp_session *s, uint8_t id, const uint8_t *p, size_t len)
{
	const char *num = s->prof->client_callback ? s->prof->client_callback : "";
	uint8_t best = 0, opt[MCB_NUMBER_MAX + 8];
	size_t n, nl = strlen(num);

	while (len >= 2 && p[1] >= 2 && p[1] <= len) {
		uint8_t t = p[0];
		/* preference: user number, admin, list, none */
		if (t == MCB_OPT_USER || (t == MCB_OPT_ADMIN && best != MCB_OPT_USER) ||
		    (t == MCB_OPT_LIST && best != MCB_OPT_USER && best != MCB_OPT_ADMIN) ||
		    (t == MCB_OPT_NONE && best == 0))
			best = t;
		len -= p[1];
		p += p[1];
	}
	if (nl >= MCB_NUMBER_MAX)
		nl = MCB_NUMBER_MAX - 1;
	switch (best) {
	case MCB_OPT_USER: case MCB_OPT_LIST:
		opt[0] = best; opt[1] = (uint8_t)(5 + nl); opt[2] = 5; opt[3] = 1;
		memcpy(opt + 4, num, nl);
		opt[4 + nl] = 0;
		n = 5 + nl;
		break;
	case MCB_OPT_ADMIN:
		opt[0] = MCB_OPT_ADMIN; opt[1] = 3; opt[2] = 5; n = 3;
		break;
	default:
		opt[0] = MCB_OPT_NONE; opt[1] = 2; n = 2;
		break;
	}
	send_pkt(s, MCB_RESPONSE, id, opt, n);
}

void mcb_input(struct ppp_session *s, const uint8_t *pkt, size_t len)
{
	size_t plen;

	if (len < 4) {
		s->stats.bad_packets++;
		return;
	}
	plen = ppp_get16(pkt + 2);
	if (plen < 4 || plen > len) {
		s->stats.bad_packets++;
		return;
	}
	print_pkt(s, "I", pkt, plen);
	if (s->prof->client) {
		if (pkt[0] == MCB_REQUEST && s->mcb.state == MCB_ST_CLIENT_WAIT) {
			client_request(s, pkt[1], pkt + 4, plen - 4);
		} else if (pkt[0] == MCB_ACK && s->mcb.state == MCB_ST_CLIENT_WAIT) {
			if (plen >= 6 && pkt[5] >= 2 && pkt[4] != MCB_OPT_NONE) {
				s->mcb.state = MCB_ST_DONE;
				s->callback_pending = true;
				ppp_close(s, "Call me back, please");
			} else {
				s->mcb.state = MCB_ST_DONE;
				ppp_start_network(s);
			}
		}
		return;
	}
	if (pkt[0] == MCB_RESPONSE)
		rcv_response(s, pkt[1], pkt + 4, plen - 4);
	else
		s->stats.bad_packets++;
}

bool mcb_peer_terminating(struct ppp_session *s)
{
	struct mcb *m = &s->mcb;

	if (s->prof->client)
		return false;
	if (m->state != MCB_ST_ACKED) {
		if (m->state == MCB_ST_WAIT_RESPONSE)
			MCB_DBG("%s MCB: Peer terminating the link", s->sname);
		return false;
	}
	if (ev_timer_active(&m->timer))
		ev_timer_stop(s->loop, &m->timer);
	m->state = MCB_ST_DONE;
	if (m->we_terminate)
		MCB_DBG("%s MCB: Terminating the link for callback", s->sname);
	else
		MCB_DBG("%s MCB: Peer terminating the link", s->sname);
	ppp_set_phase(s, PPP_PHASE_TERMINATING);
	MCB_DBG("%s MCB: Link terminated by peer, Callback Needed", s->sname);
	MCB_DBG("%s MCB: Initiate Callback for %s at %s using Async", s->sname, s->user,
		s->cb_number);
	MCB_DBG("%s MCB: Async-callback in progress", s->sname);
	if (s->ops->callback_needed)
		s->ops->callback_needed(s->ctx, s->user, s->cb_number);
	return true;
}

void mcb_lowerdown(struct ppp_session *s)
{
	struct mcb *m = &s->mcb;

	if (ev_timer_active(&m->timer))
		ev_timer_stop(s->loop, &m->timer);
	if (m->state != MCB_ST_DONE || !s->prof->client)
		m->state = MCB_ST_IDLE;
}
