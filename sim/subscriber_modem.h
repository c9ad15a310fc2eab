/*
 * subscriber_modem.h - the modem on the subscriber's side of the line: Hayes AT
 * commands over the PC's serial stream, calls through the telco model, and in data
 * mode a transparent pipe between the PC and the call's B-channel
 *
 *   PC (sub_ppp / a script)  --sub_modem_from_pc()-->  modem  --ops.to_line()--> B-channel
 *                            <--ops.to_pc()----------         <--sub_modem_from_line()--
 *   telco events: sub_modem_ring(), _alerting(), _connected(), _cleared(cause)
 *   modem actions: ops.dial(number), ops.answer(), ops.hangup()
 *
 * Commands: AT, ATZ, AT&F, ATE0/1, ATV0/1, ATQ0/1, ATSn=v, ATSn?, ATDT/ATDP/ATD<number>
 * (non-digits other than * # are dropped: "527-9651" dials 5279651), ATA, ATH/ATH0,
 * ATH1 (off hook), ATO, ATI, &C/&D/&K/L/M/X/B/N/W accepted; several per line
 * ("ATE0V1S0=1").  Result codes (verbose / numeric): OK 0, CONNECT <rate> 1, RING 2,
 * NO CARRIER 3, ERROR 4, NO DIALTONE 6, BUSY 7, NO ANSWER 8.
 * Incoming calls: RING every ring_period; S0=n answers on the n-th ring (ATS0=1 is
 * how the waiting Windows client takes the callback); ATA answers at once.
 * Data mode: escape "+++" framed by guard_time of silence (S12) to online command
 * mode; DTR drop with &D2 (default) hangs up; the far end hanging up gives NO CARRIER.
 * Timers on the loop: ring cadence, dial timeout (S7), carrier training, guard time.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_SUBSCRIBER_MODEM_H
#define DIALBACK_SIM_SUBSCRIBER_MODEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evloop.h"

#define SUB_MODEM_CMD_MAX	80
#define SUB_MODEM_NUMBER_MAX	32
#define SUB_MODEM_SREGS		16
#define SUB_MODEM_TXQ		16384	/*!< octets queued toward the line (pull mode) */

/* What the integrator binds: the telco below, the PC above. */
struct sub_modem_ops {
	/* go off hook and dial (digits only); 0 or -errno (any error: NO DIALTONE) */
	int  (*dial)(void *ctx, const char *digits);
	/* answer the call that is ringing; 0 or -errno */
	int  (*answer)(void *ctx);
	/* go on hook (clears the call) */
	int  (*hangup)(void *ctx);
	/* data mode: octets from the PC toward the far end.  NULL = pull mode: they are
	 * queued and the line takes them at its own pace with sub_modem_line_pull()
	 * (a 64 kbit/s B-channel: one octet per 125 us frame) */
	void (*to_line)(void *ctx, const uint8_t *d, size_t n);
	/* result codes, echo and data toward the PC */
	void (*to_pc)(void *ctx, const uint8_t *d, size_t n);
};

struct sub_modem_config {
	ev_time_t train_time;		/*!< call connected -> CONNECT (0 = at once) */
	ev_time_t ring_period;		/*!< RING cadence: 6 s */
	ev_time_t guard_time;		/*!< +++ guard (S12 = 50 -> 1 s) */
	ev_time_t dial_timeout;		/*!< S7 = 50 s */
	unsigned  connect_rate;		/*!< "CONNECT 64000" */
};

enum sub_modem_state {
	SUB_MODEM_IDLE,			/*!< on hook, command mode */
	SUB_MODEM_OFFHOOK,		/*!< ATH1: off hook, no call */
	SUB_MODEM_DIALING,
	SUB_MODEM_RINGING,		/*!< incoming call offered */
	SUB_MODEM_ANSWERING,
	SUB_MODEM_TRAINING,		/*!< call up, carrier training */
	SUB_MODEM_ONLINE,		/*!< data mode */
	SUB_MODEM_ONLINE_CMD,		/*!< call up, command mode after +++ */
};

struct sub_modem_stats {
	unsigned commands, errors;
	unsigned dials, rings, answers, connects, no_carrier, busy, no_answer;
	unsigned escapes;		/*!< +++ recognised */
	uint64_t to_line, to_pc_data, line_dropped;
	uint64_t txq_overflow;		/*!< pull mode: octets lost to a full queue */
	char last_dialed[SUB_MODEM_NUMBER_MAX + 1];
};

struct sub_modem {
	struct sub_modem_config cfg;
	struct sub_modem_ops ops;
	void *ctx;
	struct ev_loop *loop;
	enum sub_modem_state state;
	bool dtr;
	bool echo, verbose, quiet;
	uint8_t dtr_mode;		/*!< &D */
	uint8_t s[SUB_MODEM_SREGS];
	char cmd[SUB_MODEM_CMD_MAX + 1];
	size_t cmd_len;
	char last_cmd[SUB_MODEM_CMD_MAX + 1];
	bool cmd_a_seen;		/*!< "A" typed: waiting for "T" or "/" */
	unsigned ring_count;
	bool hanging_up;		/*!< our own hang-up: no result code on clear */
	/* +++ detection */
	ev_time_t last_pc_octet;
	unsigned plus_count;
	struct ev_timer ring_timer, dial_timer, train_timer, guard_timer;
	/* pull mode transmit queue (ring buffer) */
	size_t txq_head, txq_len;
	uint8_t txq[SUB_MODEM_TXQ];
	struct sub_modem_stats st;
};

void sub_modem_config_default(struct sub_modem_config *cfg);
void sub_modem_init(struct sub_modem *m, struct ev_loop *loop, const struct sub_modem_config *cfg,
		    const struct sub_modem_ops *ops, void *ctx);
void sub_modem_fini(struct sub_modem *m);

/* The PC's side: serial octets and DTR. */
void sub_modem_from_pc(struct sub_modem *m, const uint8_t *d, size_t n);
void sub_modem_set_dtr(struct sub_modem *m, bool on);
/* Convenience: send a command line ("ATDT4084327528" -> adds CR). */
void sub_modem_command(struct sub_modem *m, const char *line);

/* The telco's side. */
int  sub_modem_ring(struct sub_modem *m);		/*!< -EBUSY if not idle */
void sub_modem_alerting(struct sub_modem *m);
void sub_modem_connected(struct sub_modem *m);
void sub_modem_cleared(struct sub_modem *m, uint8_t cause);
void sub_modem_from_line(struct sub_modem *m, const uint8_t *d, size_t n);

/* Pull mode: up to max queued octets toward the line; returns how many.  The queue
 * is emptied when the call ends. */
size_t sub_modem_line_pull(struct sub_modem *m, uint8_t *out, size_t max);
size_t sub_modem_line_pending(const struct sub_modem *m);

bool sub_modem_online(const struct sub_modem *m);	/*!< data mode (carrier up) */
const struct sub_modem_stats *sub_modem_stats(const struct sub_modem *m);
const char *sub_modem_state_name(enum sub_modem_state s);

#endif /* DIALBACK_SIM_SUBSCRIBER_MODEM_H */
