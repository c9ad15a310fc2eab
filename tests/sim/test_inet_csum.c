/*
 * test_inet_csum.c - the simulator's Internet checksum against RFC 1071's worked example
 * and the "a correct header sums to zero" property
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "inet_csum.h"

static void test_rfc1071_example(void **state)
{
	/* RFC 1071 section 3: the words 0001 f203 f4f5 f6f7 sum to ddf2 */
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	(void)state;
	assert_int_equal(inet_csum(b, sizeof(b)), (uint16_t)~0xddf2);
	/* an odd length pads the last octet with zero: 0001 f203 f400 */
	assert_int_equal(inet_csum(b, 5), (uint16_t)~(0x0001 + 0xf203 + 0xf400 - 0xffff));
}

static void test_header_with_its_checksum_sums_to_zero(void **state)
{
	uint8_t h[20] = { 0x45, 0, 0, 84, 0x12, 0x34, 0, 0, 64, 1, 0, 0,
			  172, 16, 25, 59, 172, 16, 25, 52 };
	uint16_t c = inet_csum(h, sizeof(h));

	(void)state;
	h[10] = (uint8_t)(c >> 8);
	h[11] = (uint8_t)c;
	assert_int_equal(inet_csum(h, sizeof(h)), 0);
	h[15] ^= 1;			/* one bit off: no longer zero */
	assert_int_not_equal(inet_csum(h, sizeof(h)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1071_example),
		cmocka_unit_test(test_header_with_its_checksum_sums_to_zero),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
