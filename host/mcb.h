/*
 * mcb.h - Microsoft Callback Control Protocol (CBCP, PPP 0xC029), server side as IOS
 * calls it "MCB", plus a small client role for tests
 *
 * Server: after authentication, if the peer's LCP Callback option 6 was acked, send a
 * Request every 2 s with a NEW id each time until a Response with the CURRENT id
 * arrives (older ids: "Resp ignored. ID Expected N, got id M"); answer with an Ack
 * under a new id echoing the accepted option; then wait for the peer's LCP
 * Terminate-Request and report callback-needed to the line.  Callback types:
 *   none (user not authorised: Request "No callback", the call continues to IPCP),
 *   client-number (empty callback-dialstring: "Client ANY"),
 *   administrator number (preconfigured: the number the client offers is ignored),
 *   list (type 4, several preconfigured numbers: the client picks one of them).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_MCB_H
#define DIALBACK_MCB_H

#include <stdbool.h>
#include <stdint.h>

#include "evloop.h"

#define PPP_PROTO_CBCP	0xC029
enum { MCB_REQUEST = 1, MCB_RESPONSE = 2, MCB_ACK = 3 };
enum { MCB_OPT_NONE = 1, MCB_OPT_USER = 2, MCB_OPT_ADMIN = 3, MCB_OPT_LIST = 4 };

#define MCB_FIRST_ID	20	/* the seed's first Request id */
#define MCB_RETRY	(2 * EV_SEC)
#define MCB_MAX_REQUESTS 30	/* 60 s for the user to type a number, then give up */
#define MCB_TERM_WAIT	(10 * EV_SEC)	/* after the Ack, wait this long for TERMREQ */
#define MCB_NUMBER_MAX	40

enum mcb_state { MCB_ST_IDLE, MCB_ST_WAIT_RESPONSE, MCB_ST_ACKED, MCB_ST_DONE,
		 MCB_ST_CLIENT_WAIT };

struct mcb {
	struct ev_timer timer;
	uint8_t state;			/*!< enum mcb_state */
	uint8_t id;			/*!< current Request id */
	uint8_t next_id;		/*!< per line, persists across calls */
	uint8_t type;			/*!< MCB_OPT_* we offer */
	uint8_t requests;
	uint8_t delay;			/*!< delay the peer asked for */
	bool we_terminate;		/*!< the peer did not hang up after our Ack */
	uint8_t ack_id;			/*!< id of our Ack (resent if the Response repeats) */
	uint8_t ack_len;
	uint8_t ack_opt[MCB_NUMBER_MAX + 8];	/*!< the option our Ack carries */
	char number[MCB_NUMBER_MAX];	/*!< the number we will call */
	char offer[MCB_NUMBER_MAX * 2];	/*!< admin number, or list "a,b,c" */
};

struct ppp_session;
void mcb_init(struct mcb *m);
/* Server: authentication passed and LCP acked Callback 6: begin. */
void mcb_start(struct ppp_session *s);
void mcb_input(struct ppp_session *s, const uint8_t *pkt, size_t len);
/* LCP saw the peer's Terminate-Request while we were in the callback phase.  Returns
 * true when it completes a negotiated callback. */
bool mcb_peer_terminating(struct ppp_session *s);
void mcb_lowerdown(struct ppp_session *s);
/* Debug name of an option type ("Client-Num" ...). */
const char *mcb_type_name(unsigned type);

#endif /* DIALBACK_MCB_H */
