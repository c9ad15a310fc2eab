/*
 * ppp.h - one PPP session per line: phases, frame parsing (ACFC/PFC), protocol
 * dispatch with Protocol-Reject, and the interface to the line below and above
 *
 * Object tree: line -> struct ppp_session (embedded or allocated by the line) ->
 * struct lcp / chap / pap / mcb / ipcp, each embedding its state and timers.  Nothing
 * per session is global.  A session is about 1 KiB.
 *
 * Frames exchanged with the line are PPP frames as the card's async-HDLC channel
 * wants them: address/control FF 03 (absent if ACFC applies), protocol field (one
 * octet if PFC applies), information.  No FCS, no escaping: the card does those.
 *
 * Debug lines use the short and long interface names the line gives ("As4",
 * "Async4"), in the seed's IOS formats.  `%LINK-3-UPDOWN` and `%LINEPROTO-5-UPDOWN`
 * console messages for the Async interface are printed here.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_PPP_H
#define DIALBACK_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"
#include "fsm.h"
#include "lcp.h"
#include "chap.h"
#include "pap.h"
#include "mcb.h"
#include "ipcp.h"

struct aaa;
struct ip_pool;
struct nas_config;
struct cfg_interface;
struct ip_pools;

enum ppp_phase {
	PPP_PHASE_DEAD,			/*!< printed "DOWN" as IOS does */
	PPP_PHASE_ESTABLISHING,
	PPP_PHASE_AUTHENTICATING,
	PPP_PHASE_CALLBACK,		/*!< MCB negotiation (IOS prints no phase line) */
	PPP_PHASE_NETWORK,		/*!< printed "UP" */
	PPP_PHASE_TERMINATING
};

enum ppp_auth { PPP_AUTH_NONE = 0, PPP_AUTH_CHAP = 1, PPP_AUTH_PAP = 2 };

/* Flags for ops->send (values of drivers/include/card_proto.h enum card_tx_flags). */
#define PPP_TX_FULL_ACCM 0x02		/* == CARD_TX_FULL_ACCM */

/* Per-interface settings (one per Group-Async, shared by its lines; read-only). */
struct ppp_profile {
	const char *hostname;		/*!< CHAP name ("isdn2-2") */
	struct aaa *aaa;
	struct ip_pool *pool;		/*!< peer default ip address pool, or NULL */
	const char *pool_name;
	const char *auth_list;		/*!< aaa authentication ppp LIST, NULL = default */
	uint32_t our_addr;		/*!< host order; ip unnumbered source */
	uint32_t dns[2], wins[2];	/*!< 0 = none -> Configure-Reject */
	uint32_t accm;			/*!< ACCM we ask for (0x000A0000) */
	bool sync;			/*!< bit-synchronous link (ISDN B-channel): no ACCM asked */
	bool vj;			/*!< ip tcp header-compression [passive] */
	bool callback_accept;		/*!< ppp callback accept */
	uint8_t nauth;
	uint8_t auth[2];		/*!< enum ppp_auth, in preference order */
	uint8_t max_bad_auth;		/*!< ppp max-bad-auth (>= 1) */
	unsigned keepalive_sec;		/*!< LCP echo interval, 0 off */
	ev_time_t restart;		/*!< fsm restart timer (2 s) */

	/* Test-only peer ("client") role: a dial-up PC. */
	bool client;
	const char *client_user, *client_secret;
	const char *client_callback;	/*!< number to offer in CBCP, NULL = no callback */
};

/* The line below and above the session.  Every member but send may be NULL.
 * Upcalls run inside ppp_input()/timers: they must not feed frames back into the same
 * session synchronously (queue them; the back-to-back tests and the bench do). */
struct ppp_lower_ops {
	/* One PPP frame to the card channel; flags: PPP_TX_FULL_ACCM. 0 or -errno. */
	int  (*send)(void *ctx, const uint8_t *frame, size_t len, unsigned flags);
	/* LCP opened/closed: reconfigure the channel (takes effect for the next frame). */
	void (*set_link)(void *ctx, uint32_t tx_accm, uint32_t rx_accm, bool pfc,
			 bool acfc, uint16_t mru);
	void (*phase)(void *ctx, enum ppp_phase phase);
	/* Callback negotiated and the peer hung up: call `number` back for `user`. */
	void (*callback_needed)(void *ctx, const char *user, const char *number);
	/* The session is finished (LCP closed/stopped); the line should hang up. */
	void (*down)(void *ctx, const char *reason);
	void (*ip_up)(void *ctx, uint32_t peer_addr);
	void (*ip_down)(void *ctx, uint32_t peer_addr);
	/* IP / VJ datagrams once IPCP is open. */
	void (*ip_input)(void *ctx, uint16_t proto, const uint8_t *data, size_t len);
	/* Random bytes (magic numbers, challenges); NULL = getrandom(). */
	void (*random)(void *ctx, void *buf, size_t len);
};

struct ppp_stats {
	uint32_t rx_frames, tx_frames, rx_bad_header, rx_bad_proto, rx_dropped,
		 protrej_sent, coderej_sent, coderej_rcvd, protrej_rcvd, bad_packets;
};

struct ppp_session {
	struct ev_loop *loop;
	const struct ppp_profile *prof;
	const struct ppp_lower_ops *ops;
	void *ctx;
	char sname[12];			/*!< "As4" */
	char lname[16];			/*!< "Async4" */
	char rem_addr[40];		/*!< "async/4084327528" (AAA debug) */
	char user[64];			/*!< authenticated peer name */
	char cb_number[MCB_NUMBER_MAX];	/*!< callback number once negotiated */
	char expect_user[64];		/*!< callback leg: only this user may log in */

	uint8_t phase;			/*!< enum ppp_phase */
	uint8_t next_id;		/*!< LCP and CHAP ids (per line, like IOS) */
	bool tx_pfc, tx_acfc;		/*!< peer acked/asked: we may compress */
	bool rx_pfc, rx_acfc;		/*!< we asked: peer may compress */
	bool authenticated;
	bool callback_pending;		/*!< MCB negotiated: TERMREQ means call back */
	bool lineproto_up;
	bool wrong_user;		/*!< the callback leg authenticated someone else */
	bool link_up_printed;
	uint16_t peer_mru;
	uint16_t auth_proto;		/*!< protocol the peer authenticated with */
	uint32_t aaa_user;		/*!< AAA create_user handle (free_user at the end) */

	struct lcp lcp;
	struct ipcp ipcp;
	struct chap chap;
	struct pap pap;
	struct mcb mcb;
	struct ppp_stats stats;
};

/* Initialise a session (once per line); names as the seed prints them. */
void ppp_session_init(struct ppp_session *s, struct ev_loop *loop,
		      const struct ppp_profile *prof, const struct ppp_lower_ops *ops,
		      void *ctx, const char *short_name, const char *long_name);
/* Remote address text for AAA debug lines ("async/4084327528"). */
void ppp_set_remote(struct ppp_session *s, const char *rem_addr);
/* The callback leg: only `user` may authenticate (IOS drops anyone else).  Cleared
 * by ppp_lower_down(); NULL clears it. */
void ppp_set_expected_user(struct ppp_session *s, const char *user);
/* Set the first LCP/CHAP id (IOS keeps one counter per interface). */
void ppp_set_next_id(struct ppp_session *s, uint8_t id);

/* Active open: "Treating connection as a dedicated line", our CONFREQ at once. */
void ppp_open_active(struct ppp_session *s);
/* Passive open: wait for the peer's CONFREQ ("Passive Open", LCP "Listen"). */
void ppp_open_passive(struct ppp_session *s);
/* A frame from the card (FCS checked and stripped). */
void ppp_input(struct ppp_session *s, const uint8_t *frame, size_t len);
/* Carrier lost / call cleared. */
void ppp_lower_down(struct ppp_session *s);
/* Administrative close (sends Terminate-Request). */
void ppp_close(struct ppp_session *s, const char *reason);
/* Release timers and pool address (before freeing the line). */
void ppp_session_fini(struct ppp_session *s);

/* One line for `show` commands, e.g. "PPP UP, LCP Open, IPCP Open, user callmeback,
 * peer 172.16.25.60" (or ", callback 527-9651").  Returns snprintf's count. */
int  ppp_describe(const struct ppp_session *s, char *buf, size_t size);
/* Build a profile for interface `ifc` of `cfg` (Async or Group-Async). */
void ppp_profile_from_config(struct ppp_profile *p, const struct nas_config *cfg,
			     const struct cfg_interface *ifc, struct aaa *aaa,
			     struct ip_pools *pools);

/* --- for the protocol modules --- */
int  ppp_send(struct ppp_session *s, uint16_t proto, const uint8_t *info, size_t len);
void ppp_set_phase(struct ppp_session *s, enum ppp_phase ph);
void ppp_fill_random(struct ppp_session *s, void *buf, size_t len);
uint32_t ppp_magic(struct ppp_session *s);
/* LCP reached Opened / left it. */
void ppp_lcp_up(struct ppp_session *s);
void ppp_lcp_down(struct ppp_session *s);
void ppp_lcp_finished(struct ppp_session *s);
/* Authentication outcome (authenticator or peer role). */
void ppp_auth_done(struct ppp_session *s, bool ok, const char *user);
/* LCP authorization after a successful authentication (callback rights -> s->mcb). */
bool ppp_authorize_lcp(struct ppp_session *s, const char *user);
/* "%LINEPROTO-5-UPDOWN ... up" once per call (printed where the seed prints it). */
void ppp_lineproto_up(struct ppp_session *s);
/* MCB finished without callback (type none): continue to the network phase. */
void ppp_start_network(struct ppp_session *s);
/* Debug line in the first enabled of two categories. */
void ppp_dbg2(int cat_a, int cat_b, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* "0x0206000A0000" style hex of an option. */
void ppp_hex(char *out, size_t size, const uint8_t *p, size_t len);
const char *ppp_phase_name(enum ppp_phase ph);

static inline uint16_t ppp_get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t ppp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void ppp_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void ppp_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

#endif /* DIALBACK_PPP_H */
