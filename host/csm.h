/*
 * csm.h - the Call Switching Module: joins ISDN calls (isdn.h) to the NAS's
 * modem lines, with the AS5200's `debug modem csm` texts
 *
 * One struct csm per NAS holds the PRI spans and one struct csm_port per modem
 * ("slot 0, port 3" = tty4).  It is the isdn_span_ops of every span (pass
 * &csm_isdn_ops and the csm as ctx to isdn_span_init), and the lines forward
 * their modem's call-side requests to it:
 *
 *   modem_ops.dial   -> csm_port_dial()      (ATD: collect digits, SETUP)
 *   modem_ops.answer -> csm_port_answer()    (ATA / auto-answer: CONNECT)
 *   modem_ops.hangup -> csm_port_hangup()    (ATH, DTR drop: DISCONNECT)
 *   modem_ops.hook   -> csm_port_hook()      (off-hook / on-hook events)
 *
 * Toward the modem the CSM calls csm_line_ops; csm_modem_line_ops maps them onto
 * modem.h (modem_incoming_call, modem_call_connected, modem_call_failed,
 * modem_remote_hangup) with the struct modem as lctx.  ops->bchan tells the
 * integrator which B-channel to switch the modem's card channel to.
 *
 * Seed texts: "EVENT_FROM_ISDN::dchan_idb=0x7F8EE0, call_id=0xA, ces=0x1 bchan=0x12,
 * event=0x1, cause=0x0", "VDEV_ALLOCATE: slot 0 and port 3 is allocated.",
 * "EVENT_FROM_ISDN:(000A): DEV_INCALL at slot 0 and port 3",
 * "CSM_PROC_IDLE: CSM_EVENT_ISDN_CALL at slot 0, port 3", "Fast Ringing On at modem
 * slot 0, port 3", "CSM_PROC_OC3_COLLECT_ALL_DIGIT: called party num: (5279651) at
 * slot 0, port 3", "process_pri_call making a voice_call." ...
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CSM_H
#define DIALBACK_CSM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isdn.h"

#define CSM_MAX_SPANS	28	/*!< CARD_MAX_SPANS: a 28-span card */
#define CSM_MAX_PORTS	672	/*!< one modem per channel of 28 spans (CARD_MAX_CHANS) */

enum csm_state {
	CSM_IDLE,
	CSM_IC1_RING,			/*!< incoming call offered, modem ringing */
	CSM_IC4_WAIT_FOR_CARRIER,	/*!< modem answered, CONNECT sent */
	CSM_IC5_OC6_CONNECTED,		/*!< B-channel through to the modem */
	CSM_OC1_REQUEST_DIGIT,		/*!< modem off hook, no digits yet */
	CSM_OC2_COLLECT_1ST_DIGIT,
	CSM_OC3_COLLECT_ALL_DIGIT,
	CSM_OC4_DIALING,		/*!< SETUP sent */
	CSM_OC5_WAIT_FOR_CARRIER,	/*!< B-channel assigned, waiting for CONNECT */
};

/* Why an outgoing call failed (maps onto enum modem_fail). */
enum csm_fail { CSM_FAIL_BUSY, CSM_FAIL_NO_ANSWER, CSM_FAIL_NO_DIALTONE, CSM_FAIL_NO_CARRIER };

/* CSM -> modem (lctx = what csm_add_port got). */
struct csm_line_ops {
	int  (*incoming)(void *lctx);			/*!< 0 = ringing, <0 = refuses */
	void (*connected)(void *lctx, unsigned speed);
	void (*failed)(void *lctx, enum csm_fail why);
	void (*remote_hangup)(void *lctx);
};
/* The mapping onto modem.h; lctx must be a struct modem *. */
extern const struct csm_line_ops csm_modem_line_ops;

struct csm;
struct csm_port;

struct csm_ops {
	/* A span's D-channel frame out (the card's sync-HDLC channel). */
	int  (*send_dchan)(void *ctx, struct isdn_span *span, const uint8_t *frame, size_t len);
	/* Digital (64k unrestricted) calls, e.g. to a sync-PPP channel; NULL = refuse. */
	int  (*incoming_data)(void *ctx, struct isdn_call *call, void **owner);
	void (*data_connected)(void *ctx, struct isdn_call *call, void *owner);
	void (*data_cleared)(void *ctx, struct isdn_call *call, void *owner, uint8_t cause);
	/* Connect (on) or disconnect the port's modem to span's B-channel (1..24). */
	void (*bchan)(void *ctx, struct csm_port *p, struct isdn_span *span, unsigned bchan, bool on);
};

struct csm_port {
	struct csm *csm;
	unsigned slot, port;		/*!< "slot 0, port 3" */
	const struct csm_line_ops *lops;
	void *lctx;
	enum csm_state state;
	struct isdn_call *call;
	struct isdn_span *span;		/*!< span of the connected B-channel */
	unsigned bchan;			/*!< connected B-channel, 0 none */
	bool busyout;
	char digits[ISDN_MAX_NUMBER + 1];
	struct ev_timer dc_timer;	/*!< digit collection steps (OC1 -> OC2 -> OC3) */
	uint32_t calls_in, calls_out, calls_failed;
};

struct csm {
	const struct csm_ops *ops;
	void *ctx;
	struct isdn_span *spans[CSM_MAX_SPANS];
	size_t nspans;
	struct csm_port ports[CSM_MAX_PORTS];
	size_t nports;
	uint32_t no_modem;		/*!< incoming calls refused: no free modem */
	unsigned next_port;		/*!< round robin: where the next incoming call starts looking */
	/* Digit collection of an outgoing call, as the seed times it: the collector is
	 * ready 132 ms after the dial, the first digit 1 s later, all digits 3 s after
	 * that, then SETUP.  All 0 (or no span yet, so no loop): at once. */
	struct ev_loop *loop;		/*!< the first span's */
	ev_time_t dc_ready, dc_first_digit, dc_all_digits;
};

/* isdn_span_ops for the spans (ctx = the struct csm). */
extern const struct isdn_span_ops csm_isdn_ops;

void csm_init(struct csm *c, const struct csm_ops *ops, void *ctx);
/* The span must have been initialised with &csm_isdn_ops and this csm as ctx
 * (its D-channel frames go out through ops->send_dchan).  Digital calls offered
 * to ops->incoming_data keep their own owner: the CSM's other callbacks ignore
 * calls it did not place on a port. */
int  csm_add_span(struct csm *c, struct isdn_span *span);
struct csm_port *csm_add_port(struct csm *c, unsigned slot, unsigned port,
			      const struct csm_line_ops *lops, void *lctx);
void csm_port_busyout(struct csm_port *p, bool on);

/* From the modem (see above).  dial: 0 or -errno (NO DIALTONE: busied out, no
 * D-channel up); a failure after the digits were collected is reported through
 * lops->failed. */
int  csm_port_dial(struct csm_port *p, const char *digits);
int  csm_port_answer(struct csm_port *p);
void csm_port_hangup(struct csm_port *p);
void csm_port_hook(struct csm_port *p, bool off_hook);

const char *csm_state_name(enum csm_state s);	/* "CSM_PROC_IC1_RING" */

#endif /* DIALBACK_CSM_H */
