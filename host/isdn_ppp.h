/*
 * isdn_ppp.h - PPP on ISDN B-channels: digital (64 kbit/s unrestricted) calls
 *
 * A digital call does not go through a modem: as in IOS it terminates on the
 * D-channel interface's B-channel interface (`Serial0:22`, debug prefix `Se0:22`),
 * which takes its PPP settings from `interface Serial0:23` (encapsulation ppp,
 * ppp authentication, ppp callback accept, peer default ip address pool ...).
 * The B-channel's card channel runs bit-synchronous HDLC (CARD_MODE_SYNC_HDLC), so
 * LCP neither asks for nor applies an ACCM there (ppp_profile.sync).
 *
 * One struct isdn_ppp per digital call in progress (a slot of the NAS's pool):
 *
 *   incoming SETUP (bearer 0x8890) -> CSM -> isdn_ppp_incoming(): a free slot, the
 *   card channel in sync HDLC, CONNECT -> CONNECT ACK -> isdn_ppp_connected(): PPP
 *   (passive open: "Treating connection as a callin") -> LCP, CHAP/PAP, MCB, IPCP.
 *   MCB callback: the caller's call is cleared once our TERMACK is out, and after
 *   the callback delay an outgoing digital SETUP to the client's number; on its
 *   CONNECT PPP starts again (active open) and only the same user may log in.
 *   DISCONNECT from the network, PPP going down, `clear` or the card going away
 *   clear the call and free the slot.
 *
 * Refusals (Q.850 causes): no PPP on the D-channel interface -> 88 (incompatible
 * destination); no card -> 41 (temporary failure); no free slot -> 47 (resource
 * unavailable); the channel held by something else -> 44.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_ISDN_PPP_H
#define DIALBACK_ISDN_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "card_proto.h"
#include "evloop.h"
#include "ip_session.h"
#include "isdn.h"
#include "ppp.h"

struct nas;
struct isdn_ppp_pool;

enum isdn_ppp_state {
	ISDN_PPP_FREE,
	ISDN_PPP_CALL,		/*!< call accepted / placed, not yet connected */
	ISDN_PPP_UP,		/*!< connected: PPP on the B-channel */
	ISDN_PPP_CB_WAIT,	/*!< callback: TERMACK draining, then the callback delay */
	ISDN_PPP_CB_DIAL,	/*!< callback: outgoing SETUP sent */
};

struct isdn_ppp {
	struct isdn_ppp_pool *pool;
	enum isdn_ppp_state state;
	struct isdn_call *call;
	struct isdn_span *sig_span;	/*!< span whose D-channel signals the call */
	int chan;			/*!< card channel, -1 none */
	char sname[12];			/*!< "Se0:22" */
	char lname[16];			/*!< "Serial0:22" */
	char remote[ISDN_MAX_NUMBER + 1];	/*!< the other end's number, "" unknown */
	char rem_addr[2 * ISDN_MAX_NUMBER + 2];	/*!< AAA: "calling/called" */
	struct ppp_session ppp;
	struct ppp_profile prof;	/*!< the session's own copy: a reload leaves it alone */
	bool ppp_running;
	struct ip_session ip;		/*!< its IP data plane (ip_session.h) */
	ev_time_t call_start;
	char user[64];
	uint32_t peer_addr;
	/* callback */
	bool callback_leg;
	bool cb_hangup_pending;
	unsigned cb_attempt;
	char cb_user[64];
	char cb_number[ISDN_MAX_NUMBER + 1];	/*!< digits only */
	struct ev_timer cb_timer;
};

struct isdn_ppp_stats {
	uint32_t calls_in, calls_rejected, calls_out, sessions, callbacks_ok, callbacks_failed;
	uint32_t rx_unbound;		/*!< frames for a channel with no session */
};

struct isdn_ppp_pool {
	struct nas *nas;
	struct ppp_profile prof[CARD_MAX_SPANS];	/*!< from interface Serial<unit>:23 */
	bool prof_ok[CARD_MAX_SPANS];			/*!< that interface runs PPP */
	bool vj_passive[CARD_MAX_SPANS];		/*!< ip tcp header-compression passive */
	struct isdn_ppp *slot;
	unsigned nslots;
	unsigned limit;			/*!< slots that may be in use (<= nslots) */
	struct isdn_ppp_stats stats;
};

/* Profiles from the configuration, nslots slots.  0 or -ENOMEM. */
int  isdn_ppp_pool_init(struct isdn_ppp_pool *p, struct nas *n, unsigned nslots);
void isdn_ppp_pool_fini(struct isdn_ppp_pool *p);
/* A reload put n->cfg and n->pools in force: new calls use profiles from them.  Live
 * sessions keep their copies, which point into the retired configuration and pools:
 * the reload keeps those while isdn_ppp_active() (host/nas_reload.c). */
void isdn_ppp_reload(struct isdn_ppp_pool *p);

/* The CSM's data-call callbacks (csm_ops.incoming_data / data_connected /
 * data_cleared): accept (0, *owner set) or refuse with a cause. */
int  isdn_ppp_incoming(struct isdn_ppp_pool *p, struct isdn_call *call, void **owner);
void isdn_ppp_connected(struct isdn_ppp_pool *p, struct isdn_call *call, void *owner);
void isdn_ppp_cleared(struct isdn_ppp_pool *p, struct isdn_call *call, void *owner,
		      uint8_t cause);

/* A frame from the card for `chan`: true when a digital session took it. */
bool isdn_ppp_rx_frame(struct isdn_ppp_pool *p, unsigned chan, const uint8_t *data, size_t len);

/* Hang up every digital call (card gone, shutdown). */
void isdn_ppp_clear_all(struct isdn_ppp_pool *p, const char *why);
unsigned isdn_ppp_active(const struct isdn_ppp_pool *p);

/* `show users` interface lines ("  Se0:22     callmeback  Sync PPP ..."). */
void isdn_ppp_show_users(const struct isdn_ppp_pool *p, FILE *out);
/* Operator commands: `clear interface Serial0:N`. */
struct ctl;
void isdn_ppp_register_commands(struct isdn_ppp_pool *p, struct ctl *c);

#endif /* DIALBACK_ISDN_PPP_H */
