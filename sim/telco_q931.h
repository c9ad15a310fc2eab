/*
 * telco_q931.h - Q.931 coding for the simulated network side
 *
 * Written separately from host/q931.c (see telco_lapd.h for why): a message is
 * decoded into / encoded from one flat struct with a "present" flag per IE.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_TELCO_Q931_H
#define DIALBACK_SIM_TELCO_Q931_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Message types (Q.931 table 4-2) */
#define TQ_ALERTING	0x01
#define TQ_CALL_PROC	0x02
#define TQ_PROGRESS	0x03
#define TQ_SETUP	0x05
#define TQ_CONNECT	0x07
#define TQ_CONNECT_ACK	0x0F
#define TQ_DISCONNECT	0x45
#define TQ_RESTART	0x46
#define TQ_RELEASE	0x4D
#define TQ_RESTART_ACK	0x4E
#define TQ_REL_COMP	0x5A
#define TQ_STATUS_ENQ	0x75
#define TQ_STATUS	0x7D

struct tq_msg {
	uint16_t cr;		/* call reference value, 15 bits */
	bool     flag;		/* call reference flag */
	uint8_t  type;

	bool     bearer_present;
	uint8_t  bearer[8];	/* contents as on the wire */
	uint8_t  bearer_len;

	bool     chan_present;
	bool     chan_exclusive;
	bool     chan_ifid;	/* interface identifier octet present */
	uint8_t  chan_int_id;	/* its value (NFAS) */
	int      chan;		/* B-channel number, -1 if none/invalid */
	bool     chan_bad;

	bool     cause_present;
	uint8_t  cause_loc, cause;

	bool     progress_present;
	uint8_t  progress_loc, progress;

	bool     called_present;
	uint8_t  called_tp;	/* octet 3 incl. extension bit */
	char     called[33];

	bool     calling_present;
	uint8_t  calling_tp;
	char     calling[33];

	bool     state_present;
	uint8_t  state;

	bool     restart_present;
	uint8_t  restart_class;

	bool     malformed;	/* some IE ran past the end */
};

/* 0, or -1 when the header is not a 2-octet-callref Q.931 message. */
int tq_decode(const uint8_t *p, size_t n, struct tq_msg *m);
/* Encode; returns the length, 0 if it does not fit. */
size_t tq_encode(const struct tq_msg *m, uint8_t *out, size_t cap);
const char *tq_name(uint8_t type);

#endif /* DIALBACK_SIM_TELCO_Q931_H */
