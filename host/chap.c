/*
 * chap.c - PPP CHAP with MD5 (RFC 1994)
 *
 * Authenticator: a 16-octet challenge from getrandom() (or the line's injected
 * source), name = hostname, retransmitted every restart period with the same id and
 * value; the response is checked by local AAA (aaa.c, MD5 from nettle), then LCP
 * authorization (callback rights) runs before Success is sent, as in the seed.
 * `ppp max-bad-auth N`: after a failure a new challenge (new id) is sent, until N
 * failures, then the link is closed.
 * Peer role (tests): answer challenges with MD5(id || secret || challenge).
 *
 * SPDX-License-Identifier: MIT
 */
#include "chap.h"

#include <stdio.h>
#include <string.h>

#include <nettle/md5.h>

#include "aaa.h"
#include "log.h"
#include "ppp.h"

enum chap_state { CHAP_ST_IDLE, CHAP_ST_CHALLENGED, CHAP_ST_DONE, CHAP_ST_FAILED };

#define CHAP_FAIL_MSG "Authentication failure"

static void chap_timeout(struct ev_timer *t, void *arg);

void chap_init(struct chap *c)
{
	memset(c, 0, sizeof(*c));
	ev_timer_init(&c->timer, chap_timeout, NULL);
}

static void chap_dbg_name(char *out, size_t size, const uint8_t *name, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < n && o + 1 < size; i++)
		out[o++] = (name[i] >= 0x20 && name[i] < 0x7F) ? (char)name[i] : '?';
	out[o] = 0;
}

static void send_challenge(struct ppp_session *s)
{
	struct chap *c = &s->chap;
	const char *name = s->prof->hostname ? s->prof->hostname : "";
	size_t nl = strlen(name);
	uint8_t pkt[4 + 1 + CHAP_CHALLENGE_LEN + 64];

	if (nl > 64)
		nl = 64;
	pkt[0] = CHAP_CHALLENGE;
	pkt[1] = c->id;
	ppp_put16(pkt + 2, (uint16_t)(5 + CHAP_CHALLENGE_LEN + nl));
	pkt[4] = CHAP_CHALLENGE_LEN;
	memcpy(pkt + 5, c->challenge, CHAP_CHALLENGE_LEN);
	memcpy(pkt + 5 + CHAP_CHALLENGE_LEN, name, nl);
	ppp_dbg2(DBG_PPP_AUTHENTICATION, DBG_PPP_NEGOTIATION,
		 "%s CHAP: O CHALLENGE id %u len %zu from \"%.*s\"", s->sname, c->id,
		 5 + CHAP_CHALLENGE_LEN + nl, (int)nl, name);
	c->transmits++;
	ppp_send(s, PPP_PROTO_CHAP, pkt, 5 + CHAP_CHALLENGE_LEN + nl);
	ev_timer_start(s->loop, &c->timer, s->prof->restart ? s->prof->restart : 2 * EV_SEC);
}

static void new_challenge(struct ppp_session *s)
{
	struct chap *c = &s->chap;

	c->id = s->next_id++;
	ppp_fill_random(s, c->challenge, sizeof(c->challenge));
	c->transmits = 0;
	c->state = CHAP_ST_CHALLENGED;
	send_challenge(s);
}

void chap_auth_peer(struct ppp_session *s)
{
	s->chap.timer.arg = s;
	new_challenge(s);
}

static void chap_timeout(struct ev_timer *t, void *arg)
{
	struct ppp_session *s = arg;
	struct chap *c = &s->chap;

	(void)t;
	if (c->state != CHAP_ST_CHALLENGED)
		return;
	if (c->transmits >= CHAP_MAX_CHALLENGES) {
		ppp_dbg2(DBG_PPP_AUTHENTICATION, DBG_PPP_NEGOTIATION,
			 "%s CHAP: Timeout, no response from peer", s->sname);
		c->state = CHAP_ST_FAILED;
		ppp_auth_done(s, false, NULL);
		return;
	}
	send_challenge(s);
}

static void send_result(struct ppp_session *s, uint8_t code, uint8_t id)
{
	uint8_t pkt[4 + sizeof(CHAP_FAIL_MSG)];
	size_t len = 4;

	pkt[0] = code;
	pkt[1] = id;
	if (code == CHAP_FAILURE) {
		memcpy(pkt + 4, CHAP_FAIL_MSG, sizeof(CHAP_FAIL_MSG) - 1);
		len += sizeof(CHAP_FAIL_MSG) - 1;
		ppp_dbg2(DBG_PPP_AUTHENTICATION, DBG_PPP_NEGOTIATION,
			 "%s CHAP: O FAILURE id %u len %zu msg is \"%s\"", s->sname, id, len,
			 CHAP_FAIL_MSG);
	} else {
		ppp_dbg2(DBG_PPP_AUTHENTICATION, DBG_PPP_NEGOTIATION,
			 "%s CHAP: O SUCCESS id %u len %zu", s->sname, id, len);
	}
	ppp_put16(pkt + 2, (uint16_t)len);
	ppp_send(s, PPP_PROTO_CHAP, pkt, len);
}

/* Authenticator: a Response. */
static void rcv_response(struct ppp_session *s, uint8_t id, const uint8_t *d, size_t n,
			 size_t plen)
{
	struct chap *c = &s->chap;
	const struct ppp_profile *pr = s->prof;
	struct aaa_port port = { s->sname, s->lname, s->rem_addr, s->prof->auth_list };
	char name[64];
	size_t vlen, nlen;
	bool ok = false;

	if (n < 1 || (size_t)d[0] + 1 > n) {
		s->stats.bad_packets++;
		ppp_dbg2(DBG_PPP_ERROR, DBG_PPP_AUTHENTICATION, "%s CHAP: malformed RESPONSE",
			 s->sname);
		return;
	}
	vlen = d[0];
	nlen = n - 1 - vlen;
	chap_dbg_name(name, sizeof(name), d + 1 + vlen, nlen);
	ppp_dbg2(DBG_PPP_AUTHENTICATION, DBG_PPP_NEGOTIATION,
		 "%s CHAP: I RESPONSE id %u len %zu from \"%s\"", s->sname, id, plen, name);
	if (c->state == CHAP_ST_DONE && id == c->id) {
		send_result(s, CHAP_SUCCESS, id);	/* our Success was lost */
		return;
	}
	if (c->state != CHAP_ST_CHALLENGED || id != c->id) {
		s->stats.rx_dropped++;
		return;
	}
	ev_timer_stop(s->loop, &c->timer);
	if (nlen == 0 || nlen >= sizeof(name) || memchr(d + 1 + vlen, 0, nlen)) {
		ok = false;		/* no usable name */
	} else if (pr->aaa) {
		ok = aaa_authen_chap(pr->aaa, &port, name, id, c->challenge, CHAP_CHALLENGE_LEN,
				     d + 1, vlen) == AAA_PASS &&
		     ppp_authorize_lcp(s, name);
	}
	if (ok) {
		c->state = CHAP_ST_DONE;
		send_result(s, CHAP_SUCCESS, id);
		ppp_auth_done(s, true, name);
		return;
	}
	c->failures++;
	send_result(s, CHAP_FAILURE, id);
	if (s->wrong_user || c->failures >= (pr->max_bad_auth ? pr->max_bad_auth : 1)) {
		c->state = CHAP_ST_FAILED;
		ppp_auth_done(s, false, NULL);
		return;
	}
	new_challenge(s);	/* ppp max-bad-auth: let the peer try again */
}

/* Peer role: answer a Challenge. */
static void rcv_challenge(struct ppp_session *s, uint8_t id, const uint8_t *d, size_t n)
{
	const struct ppp_profile *pr = s->prof;
	const char *user = pr->client_user ? pr->client_user : "";
	const char *secret = pr->client_secret ? pr->client_secret : "";
	size_t ul = strlen(user);
	uint8_t pkt[4 + 1 + MD5_DIGEST_SIZE + 64];
	struct md5_ctx md5;

	if (n < 1 || (size_t)d[0] + 1 > n || d[0] == 0) {
		s->stats.bad_packets++;
		return;
	}
	if (ul > 64)
		ul = 64;
	md5_init(&md5);
	md5_update(&md5, 1, &id);
	md5_update(&md5, strlen(secret), (const uint8_t *)secret);
	md5_update(&md5, d[0], d + 1);
	pkt[0] = CHAP_RESPONSE;
	pkt[1] = id;
	ppp_put16(pkt + 2, (uint16_t)(5 + MD5_DIGEST_SIZE + ul));
	pkt[4] = MD5_DIGEST_SIZE;
	md5_digest(&md5, MD5_DIGEST_SIZE, pkt + 5);
	memcpy(pkt + 5 + MD5_DIGEST_SIZE, user, ul);
	ppp_send(s, PPP_PROTO_CHAP, pkt, 5 + MD5_DIGEST_SIZE + ul);
}

void chap_input(struct ppp_session *s, const uint8_t *pkt, size_t len)
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
		switch (pkt[0]) {
		case CHAP_CHALLENGE:
			rcv_challenge(s, pkt[1], pkt + 4, plen - 4);
			break;
		case CHAP_SUCCESS:
			if (s->phase == PPP_PHASE_AUTHENTICATING)
				ppp_auth_done(s, true, NULL);
			break;
		case CHAP_FAILURE:
			s->chap.failures++;
			break;
		default:
			s->stats.bad_packets++;
			break;
		}
		return;
	}
	if (pkt[0] == CHAP_RESPONSE && s->lcp.want.auth_proto == PPP_PROTO_CHAP)
		rcv_response(s, pkt[1], pkt + 4, plen - 4, plen);
	else
		s->stats.bad_packets++;
}

void chap_lowerdown(struct ppp_session *s)
{
	if (ev_timer_active(&s->chap.timer))
		ev_timer_stop(s->loop, &s->chap.timer);
	s->chap.state = CHAP_ST_IDLE;
}
