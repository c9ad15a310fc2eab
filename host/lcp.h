/*
 * lcp.h - PPP Link Control Protocol (RFC 1661) on the shared fsm
 *
 * Options: MRU, ACCM, Authentication-Protocol (CHAP-MD5 / PAP), Magic-Number with
 * loopback detection, PFC, ACFC and Callback (13): operation 6 (Microsoft CBCP) is
 * accepted when `ppp callback accept` is configured; RFC 1570 operations 0-4 are
 * recognised and Configure-Rejected.  Everything else (Quality-Protocol, MRRU, short
 * sequence numbers, endpoint discriminator, ...) is Configure-Rejected.  Extra codes:
 * Protocol-Reject, Echo-Request/Reply (keepalives), Discard-Request, Identification,
 * Time-Remaining.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_LCP_H
#define DIALBACK_LCP_H

#include <stdbool.h>
#include <stdint.h>

#include "fsm.h"

#define PPP_PROTO_LCP	0xC021

enum lcp_opt {
	LCP_OPT_MRU = 1, LCP_OPT_ACCM = 2, LCP_OPT_AUTH = 3, LCP_OPT_QUALITY = 4,
	LCP_OPT_MAGIC = 5, LCP_OPT_PFC = 7, LCP_OPT_ACFC = 8, LCP_OPT_CALLBACK = 13,
	LCP_OPT_MRRU = 17, LCP_OPT_SSN = 18, LCP_OPT_EPDISC = 19
};

#define LCP_CALLBACK_CBCP	6	/* operation 6: Microsoft Callback Control Protocol */
#define LCP_DEFAULT_MRU		1500
#define LCP_MIN_MRU		128

/* One side's option values plus which ones are in play. */
struct lcp_opts {
	uint32_t accm;
	uint32_t magic;
	uint16_t mru;
	uint16_t auth_proto;		/*!< 0xC223 CHAP, 0xC023 PAP */
	uint8_t  callback_op;
	bool neg_mru, neg_accm, neg_auth, neg_magic, neg_pfc, neg_acfc, neg_callback;
};

struct lcp {
	struct fsm fsm;
	struct lcp_opts want;		/*!< what we ask for (adjusted by Nak/Reject) */
	struct lcp_opts his;		/*!< what we acknowledged of the peer's request */
	struct ev_timer echo_timer;
	uint8_t echo_outstanding;	/*!< Echo-Requests without a Reply */
	uint8_t echo_id;
	uint8_t auth_index;		/*!< which of the profile's auth methods we ask */
	bool echo_rejected;
	uint32_t loopback_naks;
	uint32_t bad_packets;		/*!< malformed LCP packets (counter) */
};

struct ppp_session;
void lcp_init(struct lcp *l, struct ppp_session *s);
/* Protocol-Reject the (already parsed) frame information field of `proto`. */
void lcp_send_protrej(struct lcp *l, uint16_t proto, const uint8_t *info, size_t len);
void lcp_stop_timers(struct lcp *l);
extern const struct fsm_callbacks lcp_callbacks;

#endif /* DIALBACK_LCP_H */
