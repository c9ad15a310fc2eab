/*
 * test_card_msg.c - card protocol codec: FCS check values, encode/parse round trip,
 * resynchronisation after garbage and corruption
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "card_msg.h"

/* RFC 1662 appendix C: appending the complemented FCS gives the good residue. */
static void test_fcs16_rfc1662(void **state)
{
	(void)state;
	uint8_t buf[16] = "123456789";
	uint16_t fcs = (uint16_t)~fcs16_update(FCS16_INIT, buf, 9);

	/* CRC-16/X.25 check value of "123456789" */
	assert_int_equal(fcs, 0x906E);
	buf[9] = (uint8_t)fcs;
	buf[10] = (uint8_t)(fcs >> 8);
	assert_int_equal(fcs16_update(FCS16_INIT, buf, 11), FCS16_GOOD);
}

static void test_fcs32_rfc1662(void **state)
{
	(void)state;
	uint8_t buf[16] = "123456789";
	uint32_t fcs = ~fcs32_update(FCS32_INIT, buf, 9);

	assert_int_equal(fcs, 0xCBF43926u);	/* CRC-32 check value */
	for (int i = 0; i < 4; i++)
		buf[9 + i] = (uint8_t)(fcs >> (8 * i));
	assert_int_equal(fcs32_update(FCS32_INIT, buf, 13), FCS32_GOOD);
}

struct seen {
	int n;
	struct { uint8_t type, flags, len; uint16_t chan; uint8_t payload[255]; } m[64];
};

static void collect(void *ctx, const struct card_msg *msg)
{
	struct seen *s = ctx;

	assert_true(s->n < 64);
	s->m[s->n].type = msg->type;
	s->m[s->n].flags = msg->flags;
	s->m[s->n].chan = msg->chan;
	s->m[s->n].len = msg->len;
	memcpy(s->m[s->n].payload, msg->payload, msg->len);
	s->n++;
}

static void test_encode_layout(void **state)
{
	(void)state;
	uint8_t out[CARD_MSG_MAX_LEN];
	const uint8_t pl[3] = { 0xFF, 0x03, 0xC0 };
	size_t n = card_msg_encode(out, CARD_MSG_TX_DATA, CARD_TX_EOF, 0x0123, pl, 3);

	assert_int_equal(n, 6 + 3 + 2);
	assert_int_equal(out[0], 0xA5);
	assert_int_equal(out[1], 0x81);
	assert_int_equal(out[2], 0x01);
	assert_int_equal(out[3], 0x23);		/* little endian channel */
	assert_int_equal(out[4], 0x01);
	assert_int_equal(out[5], 3);
	assert_memory_equal(out + 6, pl, 3);
	assert_int_equal(fcs16_update(FCS16_INIT, out + 1, n - 1), FCS16_GOOD);
}

static void test_roundtrip_any_split(void **state)
{
	(void)state;
	uint8_t stream[4096];
	size_t len = 0;
	uint8_t pl[255];

	for (int i = 0; i < 255; i++)
		pl[i] = (uint8_t)i;
	len += card_msg_encode(stream + len, CARD_MSG_RX_DATA, 0, 5, pl, 255);
	len += card_msg_encode(stream + len, CARD_MSG_RX_EOF, 0, 5, (uint8_t[]){ 0, 255, 0 }, 3);
	len += card_msg_encode(stream + len, CARD_MSG_TX_CREDIT, 0, 671, (uint8_t[]){ 1, 2 }, 2);
	for (size_t split = 1; split <= len; split += 7) {
		struct card_parser p;
		struct seen s = { 0 };

		card_parser_init(&p);
		for (size_t off = 0; off < len; off += split)
			card_parser_feed(&p, stream + off, off + split > len ? len - off : split,
					 collect, &s);
		assert_int_equal(s.n, 3);
		assert_int_equal(s.m[0].len, 255);
		assert_memory_equal(s.m[0].payload, pl, 255);
		assert_int_equal(s.m[1].type, CARD_MSG_RX_EOF);
		assert_int_equal(s.m[2].chan, 671);
		assert_int_equal(p.stats.crc_errors, 0);
		assert_int_equal(p.stats.skipped_bytes, 0);
	}
}

/* Garbage full of false SYNC bytes, and a corrupted message, between good ones:
 * every good message after the garbage is still delivered. */
static void test_resync(void **state)
{
	(void)state;
	uint8_t stream[8192];
	size_t len = 0, bad_at;
	struct card_parser p;
	struct seen s = { 0 };
	uint8_t pl[40];

	srand(7);
	for (int round = 0; round < 20; round++) {
		for (int i = 0; i < 60; i++)
			stream[len++] = (i % 3 == 0) ? CARD_MSG_SYNC : (uint8_t)rand();
		for (int i = 0; i < 40; i++)
			pl[i] = (uint8_t)(round + i);
		len += card_msg_encode(stream + len, CARD_MSG_RX_DATA, 0, (uint16_t)round, pl, 40);
	}
	bad_at = len;
	len += card_msg_encode(stream + len, CARD_MSG_ECHO_REPLY, 0, 1, pl, 10);
	stream[bad_at + 8] ^= 0x10;		/* corrupt its payload */
	len += card_msg_encode(stream + len, CARD_MSG_ECHO_REPLY, 0, 2, pl, 10);

	card_parser_init(&p);
	card_parser_feed(&p, stream, len, collect, &s);
	assert_int_equal(s.n, 21);
	for (int round = 0; round < 20; round++) {
		assert_int_equal(s.m[round].chan, round);
		assert_int_equal(s.m[round].payload[0], (uint8_t)round);
	}
	assert_int_equal(s.m[20].chan, 2);
	assert_true(p.stats.crc_errors + p.stats.bad_headers > 0);
	assert_true(p.stats.skipped_bytes >= 20 * 60);
}

static void test_len_rules(void **state)
{
	(void)state;
	assert_true(card_msg_len_ok(CARD_MSG_RX_EOF, 3));
	assert_false(card_msg_len_ok(CARD_MSG_RX_EOF, 4));
	assert_false(card_msg_len_ok(CARD_MSG_RX_DATA, 0));
	assert_true(card_msg_len_ok(CARD_MSG_CHAN_CONFIG, 12));
	assert_true(card_msg_len_ok(CARD_MSG_SPAN_STATUS, 26));
	assert_true(card_msg_len_ok(CARD_MSG_TS_MAP, 48));
	assert_false(card_msg_len_ok(0x55, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fcs16_rfc1662),
		cmocka_unit_test(test_fcs32_rfc1662),
		cmocka_unit_test(test_encode_layout),
		cmocka_unit_test(test_roundtrip_any_split),
		cmocka_unit_test(test_resync),
		cmocka_unit_test(test_len_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
