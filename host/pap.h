/*
 * pap.h - PPP Password Authentication Protocol (RFC 1334): authenticator and peer
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_PAP_H
#define DIALBACK_PAP_H

#include <stdint.h>

#include "evloop.h"

#define PPP_PROTO_PAP	0xC023
enum { PAP_AUTHREQ = 1, PAP_AUTHACK = 2, PAP_AUTHNAK = 3 };

struct pap {
	struct ev_timer timer;
	uint8_t state;
	uint8_t id;
	uint8_t transmits;
	uint8_t failures;
};

struct ppp_session;
void pap_init(struct pap *p);
void pap_auth_peer(struct ppp_session *s);	/* authenticator: wait for a request */
void pap_auth_withpeer(struct ppp_session *s);	/* peer role: send our request */
void pap_input(struct ppp_session *s, const uint8_t *pkt, size_t len);
void pap_lowerdown(struct ppp_session *s);

#endif /* DIALBACK_PAP_H */
