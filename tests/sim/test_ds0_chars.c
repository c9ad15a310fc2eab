/*
 * test_ds0_chars.c - the DS0 character stream: every character value survives, idle
 * octets carry nothing, 0xFF and 0x7D are escaped, the PPP start stays visible
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ds0_chars.h"
#include "hdlc_async.h"

static void test_all_values_with_idle(void **state)
{
	(void)state;
	struct ds0_tx tx;
	struct ds0_rx rx;
	uint8_t in[512], out[512], c;
	size_t n = 0;

	ds0_tx_init(&tx);
	ds0_rx_init(&rx);
	for (int i = 0; i < 512; i++)
		in[i] = (uint8_t)(i * 37);
	assert_int_equal(ds0_tx_write(&tx, in, 256), 256);
	for (int f = 0; f < 2000; f++) {
		uint8_t o = ds0_tx_octet(&tx);

		if (f == 700)
			ds0_tx_write(&tx, in + 256, 256);
		if (ds0_rx_octet(&rx, o, &c))
			out[n++] = c;
	}
	assert_int_equal(n, 512);
	assert_memory_equal(in, out, 512);
	assert_true(ds0_tx_idle(&tx));
	assert_int_equal(ds0_tx_octet(&tx), 0xFF);	/* idle */
	assert_true(rx.idles > 0);
}

/* The line code is RFC 1662-compatible: an async-HDLC decoder reads a frame sent as
 * characters straight off the DS0 (idle between frames is dropped as 0xFF). */
static void test_ppp_frame_readable_by_rfc1662(void **state)
{
	(void)state;
	struct ds0_tx tx;
	struct hdlc_async_decoder d;
	const uint8_t f[] = { 0xFF, 0x03, 0xC0, 0x21, 0x01, 0x03, 0x00, 0x04 };
	uint8_t wire[64];
	size_t n = hdlc_async_encode(wire, f, sizeof(f), 0, false);
	int got = 0;

	ds0_tx_init(&tx);
	ds0_tx_write(&tx, wire, n);
	hdlc_async_decoder_init(&d, 0, false, NULL, NULL);
	for (int i = 0; i < 100; i++) {
		uint8_t o = ds0_tx_octet(&tx);

		assert_true(i != 1 || o == 0x7D);	/* the raw 0xFF address is escaped */
		if (o != 0xFF)
			hdlc_async_decode(&d, &o, 1);
	}
	got = (int)d.ok;
	assert_int_equal(got, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_values_with_idle),
		cmocka_unit_test(test_ppp_frame_readable_by_rfc1662),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
