/*
 * q931.h - Q.931 message and information element coding (ISDN PRI, user side)
 *
 * A decoder that indexes a message's IEs without copying (every length checked
 * against what is left: bounded cursors, never a read past the buffer), decoders
 * for the IEs call control needs, an encoder into a fixed buffer, and the
 * `debug isdn q931` printer in the seed's format:
 *
 *   ISDN Se0:23: RX <- SETUP pd = 8 callref = 0x36
 *   Bearer Capability i = 0x9090A2
 *   Channel ID i = 0xA98393
 *   Called Party Number i = 0xC1, '4084327528'
 *
 * Call references are 2 octets on a PRI; the flag bit (0x80 of the first octet)
 * is set in messages sent by the side that did not allocate the reference.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_Q931_H
#define DIALBACK_Q931_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define Q931_PD			0x08	/*!< protocol discriminator, Q.931 call control */
#define Q931_MAX_MSG		260	/*!< = LAPD N201 */
#define Q931_MAX_IES		24	/*!< IEs indexed per message; more are counted */
#define Q931_MAX_DIGITS		32

enum q931_msg_type {
	Q931_ALERTING		= 0x01,
	Q931_CALL_PROCEEDING	= 0x02,
	Q931_PROGRESS		= 0x03,
	Q931_SETUP		= 0x05,
	Q931_CONNECT		= 0x07,
	Q931_SETUP_ACK		= 0x0D,
	Q931_CONNECT_ACK	= 0x0F,
	Q931_DISCONNECT		= 0x45,
	Q931_RESTART		= 0x46,
	Q931_RELEASE		= 0x4D,
	Q931_RESTART_ACK	= 0x4E,
	Q931_RELEASE_COMPLETE	= 0x5A,
	Q931_FACILITY		= 0x62,
	Q931_NOTIFY		= 0x6E,
	Q931_STATUS_ENQUIRY	= 0x75,
	Q931_INFORMATION	= 0x7B,
	Q931_STATUS		= 0x7D,
};

/* Codeset 0 information element identifiers. */
enum q931_ie_id {
	Q931_IE_SHIFT		= 0x90,	/*!< single octet, 0x9N: locking/non-locking shift */
	Q931_IE_SENDING_COMPLETE = 0xA1,
	Q931_IE_BEARER		= 0x04,
	Q931_IE_CAUSE		= 0x08,
	Q931_IE_CALL_STATE	= 0x14,
	Q931_IE_CHANNEL_ID	= 0x18,
	Q931_IE_FACILITY	= 0x1C,
	Q931_IE_PROGRESS	= 0x1E,
	Q931_IE_NOTIFY		= 0x27,
	Q931_IE_DISPLAY		= 0x28,
	Q931_IE_CALLING		= 0x6C,
	Q931_IE_CALLING_SUB	= 0x6D,
	Q931_IE_CALLED		= 0x70,
	Q931_IE_CALLED_SUB	= 0x71,
	Q931_IE_REDIRECTING	= 0x74,
	Q931_IE_RESTART_IND	= 0x79,
	Q931_IE_LLC		= 0x7C,
	Q931_IE_HLC		= 0x7D,
};

/* Q.850 cause values used by call control. */
enum q931_cause {
	Q931_CAUSE_UNALLOCATED		= 1,
	Q931_CAUSE_NO_ROUTE		= 3,
	Q931_CAUSE_CHANNEL_UNACCEPTABLE	= 6,
	Q931_CAUSE_NORMAL_CLEARING	= 16,
	Q931_CAUSE_USER_BUSY		= 17,
	Q931_CAUSE_NO_USER_RESPONDING	= 18,
	Q931_CAUSE_NO_ANSWER		= 19,
	Q931_CAUSE_CALL_REJECTED	= 21,
	Q931_CAUSE_DEST_OUT_OF_ORDER	= 27,
	Q931_CAUSE_INVALID_NUMBER	= 28,
	Q931_CAUSE_STATUS_ENQUIRY_RESP	= 30,
	Q931_CAUSE_NORMAL_UNSPECIFIED	= 31,
	Q931_CAUSE_NO_CHANNEL		= 34,
	Q931_CAUSE_NETWORK_OUT_OF_ORDER	= 38,
	Q931_CAUSE_TEMPORARY_FAILURE	= 41,
	Q931_CAUSE_CHANNEL_NOT_AVAIL	= 44,
	Q931_CAUSE_RESOURCE_UNAVAIL	= 47,
	Q931_CAUSE_BEARER_NOT_AVAIL	= 58,
	Q931_CAUSE_BEARER_NOT_IMPL	= 65,
	Q931_CAUSE_INVALID_CALLREF	= 81,
	Q931_CAUSE_CHANNEL_NONEXISTENT	= 82,
	Q931_CAUSE_INCOMPATIBLE_DEST	= 88,
	Q931_CAUSE_INVALID_MESSAGE	= 95,
	Q931_CAUSE_MANDATORY_IE_MISSING	= 96,
	Q931_CAUSE_MSG_TYPE_NONEXISTENT	= 97,
	Q931_CAUSE_MSG_NOT_COMPATIBLE_OR_NONEXISTENT = 98,
	Q931_CAUSE_IE_NONEXISTENT	= 99,
	Q931_CAUSE_INVALID_IE_CONTENTS	= 100,
	Q931_CAUSE_MSG_NOT_COMPATIBLE	= 101,
	Q931_CAUSE_TIMER_EXPIRY		= 102,
	Q931_CAUSE_PROTOCOL_ERROR	= 111,
	Q931_CAUSE_INTERWORKING		= 127,
};

/* Bearer capability: information transfer capability (octet 3, bits 5-1). */
enum q931_itc {
	Q931_ITC_SPEECH		= 0x00,
	Q931_ITC_UNRESTRICTED	= 0x08,
	Q931_ITC_RESTRICTED	= 0x09,
	Q931_ITC_AUDIO_3K1	= 0x10,
	Q931_ITC_UNRESTRICTED_TONES = 0x11,
	Q931_ITC_VIDEO		= 0x18,
};

/* One IE found in a message: where its contents are. */
struct q931_ie_ref {
	uint8_t  id;		/*!< identifier (single-octet IEs: the whole octet) */
	uint8_t  codeset;	/*!< 0 unless shifted */
	uint8_t  len;		/*!< contents length (0 for single-octet IEs) */
	uint16_t off;		/*!< offset of the contents in the message */
};

enum q931_parse_error {
	Q931_ERR_SHORT = 1,	/*!< shorter than pd + callref + type */
	Q931_ERR_PD,		/*!< not Q.931 call control */
	Q931_ERR_CALLREF,	/*!< callref length not 0..2 (PRI: 2), or too long for the buffer */
};

struct q931_msg {
	const uint8_t *raw;
	size_t   raw_len;
	uint8_t  pd;
	uint8_t  cr_len;	/*!< octets of call reference value (0 = dummy) */
	uint16_t cr;		/*!< value without the flag */
	bool     cr_flag;	/*!< flag bit: sent by the side that did not allocate cr */
	uint8_t  type;
	unsigned n_ie;
	struct q931_ie_ref ie[Q931_MAX_IES];
	unsigned n_dropped;	/*!< IEs beyond Q931_MAX_IES */
	bool     truncated;	/*!< the last IE ran past the end (ignored) */
	bool     bad_order;	/*!< codeset 0 IEs out of ascending order */
};

/* Index a message.  0 or -enum q931_parse_error; IE problems are flagged, not fatal. */
int q931_parse(const uint8_t *buf, size_t len, struct q931_msg *m);
/* First codeset-0 IE `id`, or NULL; *len gets its length. */
const uint8_t *q931_find_ie(const struct q931_msg *m, uint8_t id, uint8_t *len);
bool q931_is_global_cr(const struct q931_msg *m);

/* ---- IE contents -------------------------------------------------------------- */

struct q931_bearer {
	uint8_t coding;		/*!< coding standard, 0 = CCITT */
	uint8_t itc;		/*!< enum q931_itc */
	uint8_t mode_rate;	/*!< octet 4: 0x10 = circuit, 64 kbit/s */
	uint8_t l1;		/*!< user information layer 1 protocol (0x02 mu-law, 0x03 A-law), 0 absent */
};
struct q931_chanid {
	bool    int_id_present;	/*!< explicit interface identifier follows */
	bool    pri;		/*!< interface type: primary rate */
	bool    exclusive;	/*!< else preferred */
	bool    dchan;		/*!< the D-channel itself */
	uint8_t sel;		/*!< information channel selection (0 none, 1 as indicated, 3 any) */
	uint8_t int_id;		/*!< interface identifier value */
	uint8_t bchan;		/*!< channel number 1..31, 0 when none given */
};
struct q931_number {
	uint8_t type_plan;	/*!< octet 3 without the extension bit: type << 4 | plan */
	bool    has_pres;	/*!< octet 3a present */
	uint8_t pres_screen;	/*!< octet 3a without the extension bit */
	char    digits[Q931_MAX_DIGITS + 1];
};
struct q931_cause_ie {
	uint8_t location;
	uint8_t value;		/*!< enum q931_cause */
};

/* Each returns 0 or -1 for contents that break the coding rules. */
int q931_get_bearer(const uint8_t *d, uint8_t len, struct q931_bearer *b);
int q931_get_chanid(const uint8_t *d, uint8_t len, struct q931_chanid *c);
int q931_get_number(const uint8_t *d, uint8_t len, struct q931_number *n);
int q931_get_cause(const uint8_t *d, uint8_t len, struct q931_cause_ie *c);
int q931_get_progress(const uint8_t *d, uint8_t len, uint8_t *location, uint8_t *descr);
int q931_get_call_state(const uint8_t *d, uint8_t len, uint8_t *state);
int q931_get_restart_ind(const uint8_t *d, uint8_t len, uint8_t *klass);

/* ---- encoding ----------------------------------------------------------------- */

struct q931_enc {
	uint8_t buf[Q931_MAX_MSG];
	size_t  len;
	bool    overflow;	/*!< something did not fit: do not send */
};

void q931_enc_begin(struct q931_enc *e, uint8_t cr_len, uint16_t cr, bool flag, uint8_t type);
void q931_enc_ie(struct q931_enc *e, uint8_t id, const uint8_t *data, size_t len);
void q931_enc_bearer(struct q931_enc *e, uint8_t itc);	/* 3 octets, circuit 64k, mu-law if audio */
/* PRI channel: exclusive or preferred; with_ifid adds interface id 0 (0xE1 0x80 ...). */
void q931_enc_chanid(struct q931_enc *e, bool exclusive, bool with_ifid, uint8_t bchan);
/* The same with an explicit interface identifier (NFAS), int_id < 0 for none. */
void q931_enc_chanid_if(struct q931_enc *e, bool exclusive, int int_id, uint8_t bchan);
void q931_enc_number(struct q931_enc *e, uint8_t id, uint8_t type_plan, const char *digits);
void q931_enc_cause(struct q931_enc *e, uint8_t location, uint8_t value, const uint8_t *diag,
		    size_t diag_len);
void q931_enc_progress(struct q931_enc *e, uint8_t location, uint8_t descr);
void q931_enc_call_state(struct q931_enc *e, uint8_t state);
void q931_enc_restart_ind(struct q931_enc *e, uint8_t klass);

/* ---- names and the debug printer ---------------------------------------------- */

const char *q931_msg_name(uint8_t type);		/* "CALL_PROC", NULL if unknown */
const char *q931_cause_text(uint8_t value);		/* "Normal call clearing" */
const char *q931_progress_text(uint8_t descr);

/* `debug isdn q931` lines for one message; `dname` is the D-channel ("Se0:23"). */
void q931_trace(const char *dname, bool tx, const uint8_t *buf, size_t len);

#endif /* DIALBACK_Q931_H */
