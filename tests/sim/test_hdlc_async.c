/*
 * test_hdlc_async.c - the subscribers' RFC 1662 codec: round trips for every byte
 * value and ACCM, shared flags, aborts, bad FCS, runts, ACCM-dropped characters
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

#include "hdlc_async.h"

struct got {
	int n;
	enum hdlc_async_event ev[16];
	uint8_t data[16][600];
	size_t len[16];
};

static void on_frame(void *ctx, enum hdlc_async_event ev, const uint8_t *d, size_t len)
{
	struct got *g = ctx;

	assert_true(g->n < 16);
	g->ev[g->n] = ev;
	memcpy(g->data[g->n], d, len < 600 ? len : 600);
	g->len[g->n] = len;
	g->n++;
}

static void test_roundtrip_all_bytes_all_accm(void **state)
{
	(void)state;
	uint8_t frame[256], wire[1024];
	const uint32_t maps[] = { 0, 0xFFFFFFFF, 0x000A0000 };

	for (int i = 0; i < 256; i++)
		frame[i] = (uint8_t)i;
	for (int fcs32 = 0; fcs32 < 2; fcs32++)
		for (size_t m = 0; m < 3; m++) {
			struct hdlc_async_decoder d;
			struct got g = { 0 };
			size_t n = hdlc_async_encode(wire, frame, 256, maps[m], fcs32);

			/* nothing in the map, and never 0x7E, appears unescaped inside */
			for (size_t i = 1; i + 1 < n; i++) {
				assert_int_not_equal(wire[i], 0x7E);
				if (wire[i] < 0x20)
					assert_false(maps[m] & (1u << wire[i]));
			}
			hdlc_async_decoder_init(&d, maps[m], fcs32, on_frame, &g);
			hdlc_async_decode(&d, wire, n);
			assert_int_equal(g.n, 1);
			assert_int_equal(g.ev[0], HDLC_FRAME_OK);
			assert_int_equal(g.len[0], 256);
			assert_memory_equal(g.data[0], frame, 256);
		}
}

static void test_shared_flags_abort_badfcs_runt(void **state)
{
	(void)state;
	uint8_t wire[2048];
	size_t n = 0, m;
	struct hdlc_async_decoder d;
	struct got g = { 0 };
	const uint8_t a[] = { 0xFF, 0x03, 0xC0, 0x21, 1, 2 }, b[] = { 0xFF, 0x03, 0x80, 0x21 };

	n += hdlc_async_encode(wire + n, a, sizeof(a), 0, false);
	n--;					/* share the closing flag with the next opening */
	n += hdlc_async_encode(wire + n, b, sizeof(b), 0, false);
	m = hdlc_async_encode(wire + n, a, sizeof(a), 0, false);
	wire[n + 3] ^= 0x40;			/* corrupt: bad FCS */
	n += m;
	wire[n++] = 0x11; wire[n++] = 0x22; wire[n++] = 0x7D; wire[n++] = 0x7E;	/* abort */
	wire[n++] = 0x55; wire[n++] = 0x7E;	/* runt */
	wire[n++] = 0x13;			/* XOFF inserted by a DCE, in the map: dropped */
	m = hdlc_async_encode(wire + n, b, sizeof(b), 0, false);
	memmove(wire + n + 3, wire + n + 2, m - 2);
	wire[n + 2] = 0x13;
	n += m + 1;

	hdlc_async_decoder_init(&d, 0x000A0000 | (1u << 0x13), false, on_frame, &g);
	hdlc_async_decode(&d, wire, n);
	assert_int_equal(g.n, 6);
	assert_int_equal(g.ev[0], HDLC_FRAME_OK);
	assert_int_equal(g.len[0], sizeof(a));
	assert_int_equal(g.ev[1], HDLC_FRAME_OK);
	assert_memory_equal(g.data[1], b, sizeof(b));
	assert_int_equal(g.ev[2], HDLC_FRAME_BAD_FCS);
	assert_int_equal(g.ev[3], HDLC_FRAME_ABORT);
	assert_int_equal(g.ev[4], HDLC_FRAME_RUNT);
	assert_int_equal(g.ev[5], HDLC_FRAME_OK);
	assert_memory_equal(g.data[5], b, sizeof(b));
	assert_int_equal(d.bad_fcs, 1);
	assert_int_equal(d.aborts, 1);
	assert_int_equal(d.runts, 1);
}

static void test_too_long(void **state)
{
	(void)state;
	static uint8_t big[HDLC_ASYNC_MAX_FRAME + 10], wire[2 * sizeof(big) + 16];
	struct hdlc_async_decoder d;
	struct got g = { 0 };
	size_t n = hdlc_async_encode(wire, big, sizeof(big), 0, false);

	hdlc_async_decoder_init(&d, 0, false, on_frame, &g);
	hdlc_async_decode(&d, wire, n);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.ev[0], HDLC_FRAME_TOO_LONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_all_bytes_all_accm),
		cmocka_unit_test(test_shared_flags_abort_badfcs_runt),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
