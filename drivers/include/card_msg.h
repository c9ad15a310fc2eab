/*
 * card_msg.h - encode and parse card protocol messages (card_proto.h)
 *
 * Used by the host's card layer, by the simulator and by the RTL testbenches as
 * their independent reference.  No allocation; the parser resynchronises after
 * garbage as described in card_proto.h.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CARD_MSG_H
#define DIALBACK_CARD_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "card_proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* RFC 1662 FCS-16 (also the card protocol's CRC). */
#define FCS16_INIT	0xFFFFu
#define FCS16_GOOD	0xF0B8u		/*!< residue over data + its FCS */
uint16_t fcs16_update(uint16_t fcs, const uint8_t *p, size_t len);

/* RFC 1662 FCS-32. */
#define FCS32_INIT	0xFFFFFFFFu
#define FCS32_GOOD	0xDEBB20E3u	/*!< residue over data + its FCS */
uint32_t fcs32_update(uint32_t fcs, const uint8_t *p, size_t len);

/* One decoded message; payload points into the parser's buffer (valid until the
 * next card_parser_feed call). */
struct card_msg {
	uint8_t  type;		/*!< enum card_msg_type */
	uint8_t  flags;		/*!< FLAGS byte */
	uint16_t chan;		/*!< CHAN (channel or span) */
	uint8_t  len;		/*!< payload length */
	const uint8_t *payload;
};

/* Encode one message into out (at least CARD_MSG_MAX_LEN bytes); returns its length. */
size_t card_msg_encode(uint8_t *out, uint8_t type, uint8_t flags, uint16_t chan,
		       const void *payload, uint8_t len);

/* Whether LEN is legal for TYPE (unknown types are illegal). */
bool card_msg_len_ok(uint8_t type, uint8_t len);

struct card_parser_stats {
	uint64_t messages;	/*!< good messages delivered */
	uint64_t crc_errors;	/*!< candidate messages whose CRC failed */
	uint64_t bad_headers;	/*!< candidates with an unknown type or illegal LEN */
	uint64_t skipped_bytes;	/*!< bytes discarded while hunting for SYNC */
};

/* Resynchronising stream parser.  Feed it any byte split; it calls cb for each
 * good message, in order. */
struct card_parser {
	uint8_t buf[2 * CARD_MSG_MAX_LEN];
	size_t  fill;
	struct card_parser_stats stats;
};

typedef void (*card_msg_cb)(void *ctx, const struct card_msg *msg);

void card_parser_init(struct card_parser *p);
void card_parser_feed(struct card_parser *p, const uint8_t *data, size_t len,
		      card_msg_cb cb, void *ctx);

/* Little-endian field helpers (no casts of packed structs on the host). */
static inline uint16_t card_get16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t card_get32(const uint8_t *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static inline void card_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void card_put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

#ifdef __cplusplus
}
#endif

#endif /* DIALBACK_CARD_MSG_H */
