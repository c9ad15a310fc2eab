/*
 * pap.c - PPP Password Authentication Protocol (RFC 1334)
 *
 * Authenticator: wait for Authenticate-Request (bounded parse of peer-id and
 * password), check with local AAA, authorise LCP, answer Ack/Nak; `ppp max-bad-auth`
 * failures close the link.  The peer role (tests) sends its request every restart
 * period until answered.
 *
 * SPDX-License-Identifier: MIT
 */
#include "pap.h"

#include <stdio.h>
#include <string.h>

#include "aaa.h"
#include "log.h"
#include "ppp.h"

enum pap_state { PAP_ST_IDLE, PAP_ST_WAIT_REQ, PAP_ST_DONE, PAP_ST_REQ_SENT, PAP_ST_FAILED };

#define PAP_WAIT_REQ	(30 * EV_SEC)
#define PAP_MAX_REQ	10

static void pap_timeout(struct ev_timer *t, void *arg);

void pap_init(struct pap *p)
{
	memset(p, 0, sizeof(*p));
	ev_timer_init(&p->timer, pap_timeout, NULL);
}

void pap_auth_peer(struct ppp_session *s)
{
	s->pap.timer.arg = s;
	s->pap.state = PAP_ST_WAIT_REQ;
	ev_timer_start(s->loop, &s->pap.timer, PAP_WAIT_REQ);
}

static void send_req(struct ppp_session *s)
{
	const char *u = s->prof->client_user ? s->prof->client_user : "";
	const char *pw = s->prof->client_secret ? s->prof->client_secret : "";
	size_t ul = strlen(u), pl = strlen(pw);
	uint8_t pkt[4 + 2 + 255 + 255];

	if (ul > 255) ul = 255;
	if (pl > 255) pl = 255;
	pkt[0] = PAP_AUTHREQ;
	pkt[1] = s->pap.id;
	ppp_put16(pkt + 2, (uint16_t)(6 + ul + pl));
	pkt[4] = (uint8_t)ul;
	memcpy(pkt + 5, u, ul);
	pkt[5 + ul] = (uint8_t)pl;
	memcpy(pkt + 6 + ul, pw, pl);
	s->pap.transmits++;
	ppp_send(s, PPP_PROTO_PAP, pkt, 6 + ul + pl);
	ev_timer_start(s->loop, &s->pap.timer, s->prof->restart ? s->prof->restart : 2 * EV_SEC);
}

void pap_auth_withpeer(struct ppp_session *s)
{
	s->pap.timer.arg = s;
	s->pap.state = PAP_ST_REQ_SENT;
	s->pap.id = s->next_id++;
	s->pap.transmits = 0;
	send_req(s);
}

static void pap_timeout(struct ev_timer *t, void *arg)
{
	struct ppp_session *s = arg;

	(void)t;
	if (s->pap.state == PAP_ST_REQ_SENT && s->pap.transmits < PAP_MAX_REQ) {
		send_req(s);
		return;
	}
	if (s->pap.state == PAP_ST_WAIT_REQ || s->pap.state == PAP_ST_REQ_SENT) {
		ppp_dbg2(DBG_PPP_AUTHENTICATION, DBG_PPP_NEGOTIATION,
			 "%s PAP: Timeout, no authentication", s->sname);
		s->pap.state = PAP_ST_FAILED;
		ppp_auth_done(s, false, NULL);
	}
}

static void send_result(struct ppp_session *s, uint8_t code, uint8_t id)
{
	uint8_t pkt[5] = { code, id, 0, 5, 0 };

	ppp_dbg2(DBG_PPP_AUTHENTICATION, DBG_PPP_NEGOTIATION, "%s PAP: O %s id %u len 5",
		 s->sname, code == PAP_AUTHACK ? "AUTH-ACK" : "AUTH-NAK", id);
	ppp_send(s, PPP_PROTO_PAP, pkt, sizeof(pkt));
}

static void rcv_authreq(struct ppp_session *s, uint8_t id, const uint8_t *d, size_t n,
			size_t plen)
{
	const struct ppp_profile *pr = s->prof;
	struct aaa_port port = { s->sname, s->lname, s->rem_addr, s->prof->auth_list };
	char user[64];
	size_t ul, pl;
	bool ok = false;

	/* bounded cursor: peer-id length, peer-id, passwd length, passwd */
	if (n < 1 || (size_t)d[0] + 2 > n) {
		s->stats.bad_packets++;
		return;
	}
	ul = d[0];
	pl = d[1 + ul];
	if (2 + ul + pl > n) {
		s->stats.bad_packets++;
		return;
	}
	{
		size_t o = 0;
		for (size_t i = 0; i < ul && o + 1 < sizeof(user); i++)
			user[o++] = (d[1 + i] >= 0x20 && d[1 + i] < 0x7F) ? (char)d[1 + i] : '?';
		user[o] = 0;
	}
	ppp_dbg2(DBG_PPP_AUTHENTICATION, DBG_PPP_NEGOTIATION,
		 "%s PAP: I AUTH-REQ id %u len %zu from \"%s\"", s->sname, id, plen, user);
	if (s->pap.state == PAP_ST_DONE) {
		send_result(s, PAP_AUTHACK, id);	/* our Ack was lost */
		return;
	}
	if (s->pap.state != PAP_ST_WAIT_REQ)
		return;
	ppp_dbg2(DBG_PPP_AUTHENTICATION, DBG_PPP_NEGOTIATION, "%s PAP: Authenticating peer %s",
		 s->sname, user);
	if (ul > 0 && ul < sizeof(user) && !memchr(d + 1, 0, ul) && pr->aaa)
		ok = aaa_authen_pap(pr->aaa, &port, user, (const char *)d + 2 + ul, pl) == AAA_PASS &&
		     ppp_authorize_lcp(s, user);
	if (ok) {
		ev_timer_stop(s->loop, &s->pap.timer);
		s->pap.state = PAP_ST_DONE;
		send_result(s, PAP_AUTHACK, id);
		ppp_auth_done(s, true, user);
		return;
	}
	s->pap.failures++;
	send_result(s, PAP_AUTHNAK, id);
	if (s->wrong_user || s->pap.failures >= (pr->max_bad_auth ? pr->max_bad_auth : 1)) {
		ev_timer_stop(s->loop, &s->pap.timer);
		s->pap.state = PAP_ST_FAILED;
		ppp_auth_done(s, false, NULL);
	}
}

void pap_input(struct ppp_session *s, const uint8_t *pkt, size_t len)
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
	if (s->prof->client) {
		if (s->pap.state != PAP_ST_REQ_SENT || pkt[1] != s->pap.id)
			return;
		ev_timer_stop(s->loop, &s->pap.timer);
		if (pkt[0] == PAP_AUTHACK) {
			s->pap.state = PAP_ST_DONE;
			ppp_auth_done(s, true, NULL);
		} else if (pkt[0] == PAP_AUTHNAK) {
			s->pap.state = PAP_ST_FAILED;
			s->pap.failures++;
		}
		return;
	}
	if (pkt[0] == PAP_AUTHREQ && s->lcp.want.auth_proto == PPP_PROTO_PAP)
		rcv_authreq(s, pkt[1], pkt + 4, plen - 4, plen);
	else
		s->stats.bad_packets++;
}

void pap_lowerdown(struct ppp_session *s)
{
	if (ev_timer_active(&s->pap.timer))
		ev_timer_stop(s->loop, &s->pap.timer);
	s->pap.state = PAP_ST_IDLE;
}
