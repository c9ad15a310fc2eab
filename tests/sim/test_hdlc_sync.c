/*
 * test_hdlc_sync.c - the telco's bit-synchronous HDLC: random frames (long runs of
 * ones force zero insertion) round trip through stuffing, back-to-back and idle
 * flags; a corrupted frame fails its FCS; seven ones abort
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

#include "hdlc_sync.h"

struct got { int n; uint8_t d[64][HDLC_SYNC_MAX_FRAME]; size_t len[64]; };

static void on_frame(void *ctx, const uint8_t *d, size_t len)
{
	struct got *g = ctx;

	assert_true(g->n < 64);
	memcpy(g->d[g->n], d, len);
	g->len[g->n++] = len;
}

static void test_roundtrip(void **state)
{
	(void)state;
	struct hdlc_sync_tx tx;
	struct hdlc_sync_rx rx;
	struct got *g = calloc(1, sizeof(*g));
	uint8_t f[40][200];
	size_t fl[40];

	srand(5);
	hdlc_sync_tx_init(&tx);
	hdlc_sync_rx_init(&rx, on_frame, g);
	for (int i = 0; i < 40; i++) {
		fl[i] = 1 + (size_t)(rand() % 200);
		for (size_t k = 0; k < fl[i]; k++)
			f[i][k] = (i % 3 == 0) ? 0xFF : (uint8_t)rand();	/* runs of ones */
	}
	for (int round = 0; round < 40; round++) {
		assert_true(hdlc_sync_tx_frame(&tx, f[round], fl[round]));
		for (int k = 0; k < 30 + round % 5; k++)
			hdlc_sync_rx_octet(&rx, hdlc_sync_tx_octet(&tx));
		if (round % 4 == 0)		/* sometimes drain to idle flags */
			for (int k = 0; k < 300; k++)
				hdlc_sync_rx_octet(&rx, hdlc_sync_tx_octet(&tx));
	}
	for (int k = 0; k < 8000; k++)
		hdlc_sync_rx_octet(&rx, hdlc_sync_tx_octet(&tx));
	assert_int_equal(g->n, 40);
	for (int i = 0; i < 40; i++) {
		assert_int_equal(g->len[i], fl[i]);
		assert_memory_equal(g->d[i], f[i], fl[i]);
	}
	assert_int_equal(rx.bad_fcs, 0);
	free(g);
}

static void test_corrupt_and_abort(void **state)
{
	(void)state;
	struct hdlc_sync_tx tx;
	struct hdlc_sync_rx rx;
	struct got *g = calloc(1, sizeof(*g));
	const uint8_t f[] = { 0x00, 0x01, 0x03, 0x08, 0x02, 0x00, 0x05 };
	uint8_t line[64];
	int n = 0;

	hdlc_sync_tx_init(&tx);
	hdlc_sync_rx_init(&rx, on_frame, g);
	hdlc_sync_tx_frame(&tx, f, sizeof(f));
	while (tx.len)
		line[n++] = hdlc_sync_tx_octet(&tx);
	line[3] ^= 0x10;			/* one bit error */
	for (int i = 0; i < n; i++)
		hdlc_sync_rx_octet(&rx, line[i]);
	hdlc_sync_rx_octet(&rx, 0x7E);
	assert_int_equal(g->n, 0);
	assert_int_equal(rx.bad_fcs, 1);

	/* a frame cut by seven ones, then a good one */
	hdlc_sync_tx_frame(&tx, f, sizeof(f));
	n = 0;
	while (tx.len)
		line[n++] = hdlc_sync_tx_octet(&tx);
	for (int i = 0; i < 3; i++)
		hdlc_sync_rx_octet(&rx, line[i]);
	hdlc_sync_rx_octet(&rx, 0xFF);
	hdlc_sync_tx_frame(&tx, f, sizeof(f));
	for (int k = 0; k < 20; k++)
		hdlc_sync_rx_octet(&rx, hdlc_sync_tx_octet(&tx));
	assert_int_equal(rx.aborts, 1);
	assert_int_equal(g->n, 1);
	assert_memory_equal(g->d[0], f, sizeof(f));
	free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_corrupt_and_abort),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
