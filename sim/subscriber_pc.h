/*
 * subscriber_pc.h - one subscriber PC of the co-simulation: the dial-up networking
 * client (sim/subscriber_ppp.c) on its serial port, the modem (sim/subscriber_modem.c)
 * on the other end of the cable, and the dialler that drives them:
 *
 *   sub_pc_start():  ATZ / OK, ATE0V1S0=0 / OK, ATDT<number> / CONNECT 64000 -> PPP
 *   PPP "wait for callback" (CBCP acked, link terminated): drop DTR (hang up), raise
 *   it, ATS0=1 / OK, then RING ... CONNECT 64000 -> PPP again as the callback leg
 *   IPCP open -> SUB_PC_ONLINE (sub_pc_ping() etc. through sub_pc_ppp())
 *   NO CARRIER while in PPP -> PPP lower down; failures -> SUB_PC_FAILED
 *
 * The integrator binds the line side (struct sub_pc_line_ops: the telco's dial /
 * answer / hangup and the B-channel toward the NAS) and forwards the telco's
 * events to the modem: sub_modem_ring/_alerting/_connected/_cleared(sub_pc_modem(pc))
 * and the B-channel's octets to sub_modem_from_line(sub_pc_modem(pc), ...).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_SUBSCRIBER_PC_H
#define DIALBACK_SIM_SUBSCRIBER_PC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"
#include "subscriber_modem.h"
#include "subscriber_ppp.h"

enum sub_pc_state {
	SUB_PC_OFF,
	SUB_PC_INIT,		/*!< ATZ / init string sent, waiting for OK */
	SUB_PC_DIALING,		/*!< ATDT sent, waiting for CONNECT */
	SUB_PC_PPP,		/*!< first call: PPP running */
	SUB_PC_ARMING,		/*!< hung up for the callback, ATS0=1 sent */
	SUB_PC_WAIT_CALLBACK,	/*!< "waiting for callback": modem auto-answers */
	SUB_PC_CALLBACK_PPP,	/*!< the server called back: PPP running */
	SUB_PC_ONLINE,		/*!< IPCP open */
	SUB_PC_DONE,		/*!< the link ended normally (server terminated) */
	SUB_PC_FAILED,		/*!< dialling or negotiation failed */
};

/* The line below the modem (= struct sub_modem_ops without to_pc).  to_line NULL:
 * the line pulls the PC's octets with sub_modem_line_pull(sub_pc_modem(pc), ...). */
struct sub_pc_line_ops {
	int  (*dial)(void *ctx, const char *digits);
	int  (*answer)(void *ctx);
	int  (*hangup)(void *ctx);
	void (*to_line)(void *ctx, const uint8_t *d, size_t n);
};

struct sub_pc_config {
	const char *dial_number;		/*!< the NAS: "4084327528" */
	const char *init_string;		/*!< after ATZ: "ATE0V1S0=0" */
	ev_time_t   command_timeout;		/*!< no OK to a command: 5 s */
	ev_time_t   ppp_start_delay;		/*!< CONNECT -> first PPP frame (0 = next step) */
	struct sub_ppp_config ppp;
	struct sub_modem_config modem;
};

struct sub_pc {
	struct sub_pc_config cfg;
	struct sub_pc_line_ops line;
	void *line_ctx;
	struct ev_loop *loop;
	struct sub_modem modem;
	struct sub_ppp ppp;
	enum sub_pc_state state;
	bool ppp_up;				/*!< lower_up given, no lower_down yet */
	unsigned init_step;			/*!< OKs seen in INIT */
	char text[96];				/*!< modem text line being read */
	size_t text_len;
	struct ev_timer cmd_timer, ppp_timer;
	/* optional observer */
	void (*on_state)(void *ctx, enum sub_pc_state s);
	void *on_state_ctx;
	char fail_reason[32];			/*!< last result code that failed us */
};

void sub_pc_config_default(struct sub_pc_config *cfg, enum sub_ppp_variant v);
void sub_pc_init(struct sub_pc *pc, struct ev_loop *loop, const struct sub_pc_config *cfg,
		 const struct sub_pc_line_ops *line, void *line_ctx);
void sub_pc_fini(struct sub_pc *pc);
/* Power on and dial the NAS.  0, or -EBUSY when already running. */
int  sub_pc_start(struct sub_pc *pc);
/* Hang up (DTR drop) and stop. */
void sub_pc_stop(struct sub_pc *pc);

static inline struct sub_modem *sub_pc_modem(struct sub_pc *pc) { return &pc->modem; }
static inline struct sub_ppp *sub_pc_ppp(struct sub_pc *pc) { return &pc->ppp; }
static inline enum sub_pc_state sub_pc_state(const struct sub_pc *pc) { return pc->state; }
const char *sub_pc_state_name(enum sub_pc_state s);

#endif /* DIALBACK_SIM_SUBSCRIBER_PC_H */
