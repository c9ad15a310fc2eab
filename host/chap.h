/*
 * chap.h - PPP CHAP with MD5 (RFC 1994): authenticator (NAS) and, for tests and the
 * back-to-back rig, the peer role
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CHAP_H
#define DIALBACK_CHAP_H

#include <stdbool.h>
#include <stdint.h>

#include "evloop.h"

#define PPP_PROTO_CHAP	0xC223
#define CHAP_MD5	5
#define CHAP_CHALLENGE_LEN 16
#define CHAP_MAX_CHALLENGES 10		/* retransmissions before giving up */

enum { CHAP_CHALLENGE = 1, CHAP_RESPONSE = 2, CHAP_SUCCESS = 3, CHAP_FAILURE = 4 };

struct chap {
	struct ev_timer timer;
	uint8_t state;			/*!< enum chap_state (chap.c) */
	uint8_t id;			/*!< id of the outstanding Challenge */
	uint8_t transmits;
	uint8_t failures;		/*!< bad responses so far (ppp max-bad-auth) */
	uint8_t challenge[CHAP_CHALLENGE_LEN];
};

struct ppp_session;
void chap_init(struct chap *c);
/* Authenticator: start challenging (LCP up, auth phase). */
void chap_auth_peer(struct ppp_session *s);
void chap_input(struct ppp_session *s, const uint8_t *pkt, size_t len);
void chap_lowerdown(struct ppp_session *s);

#endif /* DIALBACK_CHAP_H */
