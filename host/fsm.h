/*
 * fsm.h - the RFC 1661 option-negotiation automaton, shared by LCP and IPCP
 *
 * One automaton with the ten states of RFC 1661 section 4, the restart timer and the
 * Max-Configure / Max-Terminate / Max-Failure counters.  What differs between LCP and
 * IPCP (building, checking and answering options; this-layer-up/down/started/finished;
 * extra codes) is in a per-protocol `static const struct fsm_callbacks` table, as in
 * pppd's fsm.c; all state is in struct fsm, embedded in the protocol's per-session
 * struct (no global per-unit arrays).  The restart timer is a struct ev_timer on the
 * session's event loop.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_FSM_H
#define DIALBACK_FSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"

struct ppp_session;
struct fsm;

/* RFC 1661 states (numbered as in the RFC's table). */
enum fsm_state {
	FSM_INITIAL = 0, FSM_STARTING, FSM_CLOSED, FSM_STOPPED, FSM_CLOSING, FSM_STOPPING,
	FSM_REQSENT, FSM_ACKRCVD, FSM_ACKSENT, FSM_OPENED
};

/* Packet codes common to LCP and IPCP. */
enum {
	CP_CONFREQ = 1, CP_CONFACK = 2, CP_CONFNAK = 3, CP_CONFREJ = 4,
	CP_TERMREQ = 5, CP_TERMACK = 6, CP_CODEREJ = 7,
	/* LCP only */
	CP_PROTREJ = 8, CP_ECHOREQ = 9, CP_ECHOREP = 10, CP_DISCREQ = 11,
	CP_IDENTIFY = 12, CP_TIMEREMAIN = 13
};

#define FSM_DEFAULT_RESTART	(2 * EV_SEC)	/* IOS `ppp timeout retry 2` */
#define FSM_DEFAULT_MAX_CONF	10
#define FSM_DEFAULT_MAX_TERM	2
#define FSM_DEFAULT_MAX_FAIL	5

struct fsm_callbacks {
	const char *name;		/*!< "LCP", "IPCP" (debug lines) */
	uint16_t proto;			/*!< 0xC021, 0x8021 */
	/* Reset our wanted options before the first Configure-Request. */
	void (*resetci)(struct fsm *f);
	/* Append our options to buf; return the length written (<= room). */
	size_t (*addci)(struct fsm *f, uint8_t *buf, size_t room);
	/* Peer's Configure-Ack: 1 if it matches what we sent, 0 if bogus. */
	int (*ackci)(struct fsm *f, const uint8_t *p, size_t len);
	/* Peer's Configure-Nak / Configure-Reject: 1 processed, 0 bogus. */
	int (*nakci)(struct fsm *f, const uint8_t *p, size_t len, bool treat_as_reject);
	int (*rejci)(struct fsm *f, const uint8_t *p, size_t len);
	/* Peer's Configure-Request: write the answer's options to out (room >= len + 64)
	 * and return CP_CONFACK, CP_CONFNAK or CP_CONFREJ.  `reject_if_disagree` is set
	 * once Max-Failure Naks were sent (Naks turn into Rejects). */
	int (*reqci)(struct fsm *f, const uint8_t *in, size_t len, uint8_t *out,
		     size_t *outlen, size_t room, bool reject_if_disagree);
	void (*up)(struct fsm *f);		/*!< this-layer-up */
	void (*down)(struct fsm *f);		/*!< this-layer-down */
	void (*starting)(struct fsm *f);	/*!< this-layer-started */
	void (*finished)(struct fsm *f);	/*!< this-layer-finished */
	/* Codes other than 1..7 (may be NULL): return 1 if handled, 0 -> Code-Reject. */
	int (*extcode)(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data,
		       size_t len);
	/* A Code-Reject we received: 1 if the rejected code is permitted (RXJ+). */
	int (*coderej_ok)(struct fsm *f, uint8_t code);
	/* Print one line per option (debug). */
	void (*print_opts)(struct fsm *f, const uint8_t *p, size_t len);
};

struct fsm {
	struct ppp_session *sess;
	const struct fsm_callbacks *cb;
	struct ev_timer timer;
	uint8_t state;			/*!< enum fsm_state */
	uint8_t reqid;			/*!< id of our last Configure-Request */
	bool reqid_valid;
	bool seen_ack;			/*!< an Ack for reqid already processed */
	uint8_t *idp;			/*!< id counter (LCP shares the session's) */
	uint8_t own_id;			/*!< storage when not shared */
	uint8_t retransmits;		/*!< restart counter */
	uint8_t nakloops;		/*!< Naks sent in a row */
	uint8_t rnakloops;		/*!< Naks received in a row */
	uint8_t max_conf, max_term, max_fail;
	uint8_t term_reason_len;
	ev_time_t restart;
	char term_reason[32];		/*!< text in our Terminate-Request */
};

void fsm_init(struct fsm *f, struct ppp_session *s, const struct fsm_callbacks *cb,
	      uint8_t *shared_id);
void fsm_lowerup(struct fsm *f);
void fsm_lowerdown(struct fsm *f);
void fsm_open(struct fsm *f);
/* Passive open of a Closed automaton: go to Stopped ("Listen") and wait. */
void fsm_open_passive(struct fsm *f);
void fsm_close(struct fsm *f, const char *reason);
/* Process one packet (code id length data...) of this protocol. */
void fsm_input(struct fsm *f, const uint8_t *pkt, size_t len);
/* Fatal rejection by the peer (Code-Reject of a needed code, Protocol-Reject). */
void fsm_rxj_minus(struct fsm *f);
/* Send one control packet of this protocol (code, id, data). */
void fsm_send(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len);
uint8_t fsm_next_id(struct fsm *f);
const char *fsm_state_name(unsigned state);
const char *fsm_code_name(unsigned code);
/* Stop the timer (session teardown). */
void fsm_stop_timer(struct fsm *f);

/* Shared by every protocol's reqci: append an option to a reply being built (dropped
 * if it does not fit), and the reply's verdict: a Configure-Reject of the rejected
 * options wins over a Configure-Nak (copied into out), else Configure-Ack. */
void fsm_ci_append(uint8_t *buf, size_t *blen, size_t room, const uint8_t *opt, size_t len);
int  fsm_ci_verdict(uint8_t *out, size_t *outlen, size_t rejlen, const uint8_t *nak,
		    size_t naklen);

#endif /* DIALBACK_FSM_H */
