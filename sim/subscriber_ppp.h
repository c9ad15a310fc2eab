/*
 * subscriber_ppp.h - a scripted PPP client, the subscriber PC of the co-simulation
 *
 * Plays the seed's Windows dial-up client (and a few others) over an octet stream in
 * RFC 1662 async HDLC framing: LCP with the Microsoft Callback option (13, operation
 * 6 = CBCP), CHAP-MD5 (or PAP), the Microsoft Callback Control Protocol (MCB/CBCP,
 * 0xC029), LCP Terminate "call me back", and on the callback leg LCP without callback,
 * CHAP and IPCP up to an IP address; then it carries IPv4 packets (ICMP echo).
 *
 * It is written apart from the daemon's PPP code (host/lcp.c ...) on purpose: it is
 * a client script with option tables, not an RFC 1661 automaton, so that the daemon
 * and the client are not wrong together.  Golden bytes (seed/000, notes/seed-bytes):
 *   LCP CONFREQ  01 03 00 17 02 06 00 0A 00 00 05 06 <magic> 07 02 08 02 0D 03 06
 *   CBCP Resp    02 <id> 00 11 02 0D 0F 01 "527-9651" 00   (Windows, delay 15)
 *   LCP TERMREQ  05 05 00 04
 *   callback leg LCP CONFREQ id 3 len 20 (no callback), IPCP CONFREQ id 1 len 40
 *   (VJ 02 06 00 2D 0F 01, address, 0x81..0x84 = 0.0.0.0), then id 2 after the
 *   server's Configure-Reject, id 3 with the address the server NAKs.
 *
 * Input: sub_ppp_input() with received octets.  Output: ops.tx() with octets to send.
 * Timers run on the given ev_loop (simulated time).  All state is in the struct.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_SUBSCRIBER_PPP_H
#define DIALBACK_SIM_SUBSCRIBER_PPP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"
#include "hdlc_async.h"

#define SUB_PPP_PROTO_IP	0x0021
#define SUB_PPP_PROTO_LCP	0xC021
#define SUB_PPP_PROTO_PAP	0xC023
#define SUB_PPP_PROTO_CHAP	0xC223
#define SUB_PPP_PROTO_CBCP	0xC029
#define SUB_PPP_PROTO_IPCP	0x8021

#define SUB_PPP_MAX_NUMBER	40	/*!< longest callback number kept */
#define SUB_PPP_MAX_NAME	64
#define SUB_PPP_RX_PENDING	4096	/*!< octets queued while input is re-entered */

/* Which client this is (how it configures LCP and answers the server's CBCP offer). */
enum sub_ppp_variant {
	/* Windows 95/98: no client-side callback configuration; it asks for callback in
	 * LCP and answers the server's offer: an administrator number (type 3) is taken
	 * at once, a "give your number" offer (type 2) opens a dialog (think_time). */
	SUB_PPP_WIN9X,
	/* Windows NT/2000 "Always call me back at N": type 2 answered at once. */
	SUB_PPP_WINNT_ALWAYS,
	/* Windows NT/2000 "Ask me during dialing" (the seed): the first Request opens the
	 * dialog; the answer goes out think_time later with THAT request's id; later
	 * Requests are answered at once from the cached number.  Type 3 also asks. */
	SUB_PPP_WINNT_ASK,
	/* "No callback": no Callback option, plain dial-in up to IPCP. */
	SUB_PPP_NO_CALLBACK,
	/* A user whose number the administrator configured: the client accepts the
	 * server-specified number (Response type 3), whatever else is offered. */
	SUB_PPP_PRECONFIGURED,
	/* Linux pppd 2.4.9 "callback N" (notes/pppd-vm.md): LCP id 1 with
	 * asyncmap 0 and callback first; Response 02 0C 05 01 <digits> 00; after an Ack
	 * with an option of type != 1 it sends TERMREQ "Call me back, please". */
	SUB_PPP_PPPD,
};

enum sub_ppp_phase {
	SUB_PPP_DEAD,		/*!< no carrier */
	SUB_PPP_ESTABLISH,	/*!< LCP negotiating */
	SUB_PPP_AUTHENTICATE,	/*!< CHAP/PAP */
	SUB_PPP_CALLBACK,	/*!< CBCP */
	SUB_PPP_NETWORK,	/*!< IPCP (open or negotiating) */
	SUB_PPP_TERMINATE,	/*!< TERMREQ sent or received */
	SUB_PPP_WAIT_CALLBACK,	/*!< hung up for the callback ("waiting for callback") */
};

/* Control-protocol negotiation state (client-side subset of RFC 1661's). */
enum sub_cp_state { SUB_CP_INITIAL, SUB_CP_REQSENT, SUB_CP_ACKRCVD, SUB_CP_ACKSENT,
		    SUB_CP_OPENED, SUB_CP_CLOSING, SUB_CP_CLOSED };

/* Events reported to the owner (the PC glue, the tests). */
enum sub_ppp_event {
	SUB_PPP_EV_LCP_OPEN,
	SUB_PPP_EV_AUTH_OK,
	SUB_PPP_EV_AUTH_FAILED,
	SUB_PPP_EV_CBCP_RESPONSE,	/*!< a Response went out */
	SUB_PPP_EV_CALLBACK_ACKED,	/*!< the server will call back */
	SUB_PPP_EV_WAIT_CALLBACK,	/*!< link terminated: hang up, wait for the call */
	SUB_PPP_EV_IPCP_OPEN,
	SUB_PPP_EV_TERMINATED,		/*!< the server terminated the link */
	SUB_PPP_EV_FAILED,		/*!< negotiation gave up (max-configure/terminate) */
	SUB_PPP_EV_IP_RX,		/*!< an IPv4 packet arrived */
};

struct sub_ppp_ops {
	/* octets to send toward the server (through the modem) */
	void (*tx)(void *ctx, const uint8_t *octets, size_t n);
	/* optional: progress events */
	void (*event)(void *ctx, enum sub_ppp_event ev);
	/* optional: every PPP frame as sent/received (address/control .. information,
	 * no FCS), for traces and pcap; out = true when the client sent it */
	void (*frame)(void *ctx, bool out, const uint8_t *frame, size_t n);
	/* optional: a received IPv4 packet */
	void (*ip_rx)(void *ctx, const uint8_t *pkt, size_t n);
};

struct sub_ppp_config {
	enum sub_ppp_variant variant;
	const char *user;		/*!< CHAP/PAP name ("callmeback") */
	const char *secret;		/*!< "cisco" */
	const char *callback_number;	/*!< "527-9651" (pppd variant: digits "5279651") */
	uint32_t magic_seed;		/*!< per-client generator seed */
	/* magic = magic_base + milliseconds since sub_ppp_init when magic_ticks (Windows
	 * uses its tick count: the seed's 0x004A4A09 and, 62.7 s later, 0x004B3EF5);
	 * otherwise a xorshift generator seeded with magic_seed */
	bool magic_ticks;
	uint32_t magic_base;
	uint8_t lcp_first_id;		/*!< 3 as the seed (pppd: 1) */
	uint8_t cbcp_delay;		/*!< delay in our Response: 15 as the seed (pppd 5) */
	ev_time_t think_time;		/*!< user typing the number: 9.5 s as the seed */
	ev_time_t restart_time;		/*!< LCP/IPCP retransmission: 3 s */
	unsigned max_configure;		/*!< CONFREQs before giving up: 10 */
	unsigned max_terminate;		/*!< TERMREQs: 2 */
	bool no_compress;		/*!< never use ACFC/PFC even if the server allows */
	bool ask_dns;			/*!< ask for DNS/WINS in IPCP (Windows: yes) */
};

/* Outcomes and counters for the tests. */
struct sub_ppp_stats {
	unsigned frames_tx, frames_rx;
	unsigned bad_fcs, hdlc_errors;		/*!< framing errors from the decoder */
	unsigned malformed;			/*!< frames or packets we could not parse */
	unsigned unknown_proto;			/*!< answered with Protocol-Reject */
	unsigned lcp_confreq_tx, lcp_confack_tx, lcp_confnak_tx, lcp_confrej_tx;
	unsigned lcp_termreq_tx, lcp_termack_tx, lcp_echo_tx, lcp_coderej_tx, lcp_protrej_tx;
	unsigned lcp_protrej_rx, lcp_coderej_rx;
	unsigned chap_challenges_rx, chap_responses_tx, pap_requests_tx;
	unsigned cbcp_requests_rx, cbcp_responses_tx, cbcp_acks_rx, cbcp_ignored;
	unsigned ipcp_confreq_tx, ipcp_confack_tx, ipcp_confnak_rx, ipcp_confrej_rx;
	unsigned ip_rx, ip_tx, icmp_echo_rx, icmp_reply_rx, icmp_reply_tx;
	bool callback_requested;		/*!< Callback option in our CONFREQ */
	bool callback_option_acked;		/*!< ... and the server ACKed it */
	bool callback_option_rejected;
	bool callback_acked;			/*!< CBCP Ack with a callback option */
	bool auth_ok, auth_failed;
	uint8_t cbcp_type_answered;		/*!< 1, 2 or 3 */
	uint8_t last_cbcp_response_id;
	uint32_t ip_addr, peer_ip_addr;		/*!< host order, 0 until IPCP open */
	uint32_t dns[2], wins[2];
	unsigned calls;				/*!< lower_up count */
};

/* One IPCP option slot we ask for (type 3 address, 0x81..0x84 DNS/WINS). */
struct sub_ipcp_want {
	uint8_t  type;
	bool     on;
	uint32_t value;		/*!< host order */
};

struct sub_ppp {
	struct sub_ppp_config cfg;
	struct sub_ppp_ops ops;
	void *ctx;
	struct ev_loop *loop;
	ev_time_t created;
	uint32_t rng;

	struct hdlc_async_decoder dec;
	bool     rx_busy;			/*!< inside sub_ppp_input */
	size_t   rx_pending_len;
	uint8_t  rx_pending[SUB_PPP_RX_PENDING];
	enum sub_ppp_phase phase;
	bool callback_leg;		/*!< this call is the server calling us back */

	/* LCP */
	enum sub_cp_state lcp;
	uint8_t  lcp_id;		/*!< id of our current CONFREQ */
	uint8_t  lcp_next_id;
	uint32_t magic;
	bool     want_callback;		/*!< still in our CONFREQ */
	bool     cb_negotiated;		/*!< this call: the server ACKed Callback */
	bool     want_accm, want_pfc, want_acfc;
	uint32_t tx_accm;		/*!< ACCM the server asked for (in effect once open) */
	bool     peer_pfc, peer_acfc;	/*!< server receives compressed frames */
	uint16_t peer_auth;		/*!< 0, PAP or CHAP */
	uint16_t peer_mru;
	unsigned lcp_tries, term_tries;
	struct ev_timer lcp_timer;

	/* authentication */
	uint8_t pap_id;

	/* CBCP */
	bool     cbcp_thinking;
	bool     cbcp_have_answer;	/*!< the user has typed it (cache) */
	uint8_t  cbcp_think_id;
	uint8_t  cbcp_think_type;
	struct ev_timer think_timer;

	/* IPCP */
	enum sub_cp_state ipcp;
	uint8_t ipcp_id;
	bool    want_vj;
	struct sub_ipcp_want want[5];	/*!< address, DNS1, WINS1, DNS2, WINS2 */
	unsigned ipcp_tries;
	struct ev_timer ipcp_timer;
	uint16_t ip_ident;

	struct sub_ppp_stats st;
};

void sub_ppp_config_default(struct sub_ppp_config *cfg, enum sub_ppp_variant v);
void sub_ppp_init(struct sub_ppp *c, struct ev_loop *loop, const struct sub_ppp_config *cfg,
		  const struct sub_ppp_ops *ops, void *ctx);
/* Stop timers (the struct may then be freed). */
void sub_ppp_fini(struct sub_ppp *c);

/* Carrier up (CONNECT): start LCP.  callback_leg: the server called us back (no
 * Callback option this time). */
void sub_ppp_lower_up(struct sub_ppp *c, bool callback_leg);
/* Carrier lost (NO CARRIER): stop everything. */
void sub_ppp_lower_down(struct sub_ppp *c);
/* Octets received from the server. */
void sub_ppp_input(struct sub_ppp *c, const uint8_t *octets, size_t n);
/* One already-deframed PPP frame (no FCS), e.g. from a test or a fuzzer. */
void sub_ppp_input_frame(struct sub_ppp *c, const uint8_t *frame, size_t n);

/* Send an IPv4 packet (IPCP must be open); 0 or -errno. */
int sub_ppp_send_ip(struct sub_ppp *c, const uint8_t *pkt, size_t n);
/* Send an ICMP echo request from our address to dst (host order); 0 or -errno. */
int sub_ppp_ping(struct sub_ppp *c, uint32_t dst, uint16_t ident, uint16_t seq,
		 size_t payload_len);

const struct sub_ppp_stats *sub_ppp_stats(const struct sub_ppp *c);
const char *sub_ppp_phase_name(enum sub_ppp_phase p);
const char *sub_ppp_variant_name(enum sub_ppp_variant v);
/* One line for a trace, IOS-like: "LCP CONFREQ id 3 len 23", "MCB Response id 20
 * len 17", "CHAP RESPONSE id 4 len 31", "IP len 60".  Returns the length written. */
size_t sub_ppp_describe(const uint8_t *frame, size_t n, char *buf, size_t size);

#endif /* DIALBACK_SIM_SUBSCRIBER_PPP_H */
