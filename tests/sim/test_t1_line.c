/*
 * test_t1_line.c - the telco's T1 framing and line code: encoder to decoder over
 * ESF/B8ZS and SF/AMI with random data and long zero runs, CRC-6 and BPV errors
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

#include "t1_line.h"

struct src {
	uint32_t seed;
	uint64_t n;		/* octets produced */
	bool zeros;		/* long zero runs */
};

static uint8_t gen(struct src *s, uint64_t i)
{
	uint32_t x = (uint32_t)(i * 2654435761u) ^ s->seed;

	x ^= x >> 13;
	x *= 0x5bd1e995u;
	x ^= x >> 15;
	if (s->zeros && (i / 48) % 3 == 0)
		return 0;
	return (uint8_t)x;
}

static uint8_t get_octet(void *ctx, unsigned ts)
{
	struct src *s = ctx;

	(void)ts;
	return gen(s, s->n++);
}

struct sink {
	struct src *ref;
	uint64_t frames;
	int64_t offset;		/* index of the first octet seen, found on the first frame */
	bool synced;
	uint64_t mismatches;
};

static void put_frame(void *ctx, const uint8_t *oct)
{
	struct sink *k = ctx;

	if (!k->synced) {
		bool blank = true;

		for (unsigned t = 0; t < 24; t++)
			blank = blank && oct[t] == 0;
		if (blank)	/* zero frames repeat: sync on one that says where it is */
			return;
		/* find which generated frame this is */
		for (uint64_t f = 0; f < 4000; f++) {
			bool ok = true;

			for (unsigned t = 0; t < 24 && ok; t++)
				ok = gen(k->ref, f * 24 + t) == oct[t];
			if (ok) {
				k->offset = (int64_t)(f * 24);
				k->synced = true;
				break;
			}
		}
		assert_true(k->synced);
	} else {
		for (unsigned t = 0; t < 24; t++)
			if (gen(k->ref, (uint64_t)k->offset + k->frames * 24 + t) != oct[t])
				k->mismatches++;
	}
	if (k->synced)
		k->frames++;
}

static void loop(enum t1_framing f, enum t1_linecode lc, bool zeros, unsigned frames,
		 unsigned phase, struct t1_decoder *d, struct t1_encoder *e, struct sink *k)
{
	static struct src s;

	s = (struct src){ .seed = 1234, .zeros = zeros };
	*k = (struct sink){ .ref = &s };
	t1_encoder_init(e, f, lc, get_octet, &s);
	t1_decoder_init(d, f, lc, put_frame, k);
	for (unsigned i = 0; i < phase; i++)	/* start the decoder mid-frame */
		t1_encoder_next(e);
	for (unsigned i = 0; i < frames * T1_FRAME_BITS; i++)
		t1_decoder_push(d, t1_encoder_next(e));
}

static void test_esf_b8zs(void **state)
{
	(void)state;
	struct t1_encoder e;
	struct t1_decoder d;
	struct sink k;

	loop(T1_ESF, T1_B8ZS, true, 24 * 10, 777, &d, &e, &k);
	assert_true(d.in_frame);
	assert_true(k.frames > 24 * 5);
	assert_int_equal(k.mismatches, 0);
	assert_int_equal(d.crc_errors, 0);
	assert_int_equal(d.bpv, 0);
	assert_true(d.b8zs_subs > 0);		/* the zero runs were substituted */
}

static void test_sf_ami(void **state)
{
	(void)state;
	struct t1_encoder e;
	struct t1_decoder d;
	struct sink k;

	loop(T1_SF, T1_AMI, false, 12 * 16, 1000, &d, &e, &k);
	assert_true(d.in_frame);
	assert_int_equal(k.mismatches, 0);
	assert_int_equal(d.fbit_errors, 0);
}

static void test_crc_and_bpv_errors_counted(void **state)
{
	(void)state;
	struct t1_encoder e;
	struct t1_decoder d;
	struct sink k;

	loop(T1_ESF, T1_B8ZS, false, 24 * 8, 5, &d, &e, &k);
	assert_true(d.in_frame);
	assert_int_equal(d.crc_errors, 0);
	e.crc_corrupt = 3;
	e.bpv_inject = 5;
	for (unsigned i = 0; i < 24 * 6 * T1_FRAME_BITS; i++)
		t1_decoder_push(&d, t1_encoder_next(&e));
	assert_int_equal(d.crc_errors, 3);
	assert_true(d.bpv >= 5);
}

static void test_crc6_register(void **state)
{
	(void)state;
	uint8_t crc = 0;

	/* x^6 + x + 1: one 1 leaves x^6 mod g = x + 1; five more zeros give
	 * x^11 = x^5 (x + 1) = x^6 + x^5 = x^5 + x + 1 */
	crc = t1_crc6_bit(crc, 1);
	assert_int_equal(crc, 0x03);
	for (int i = 0; i < 5; i++)
		crc = t1_crc6_bit(crc, 0);
	assert_int_equal(crc, 0x23);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc6_register),
		cmocka_unit_test(test_esf_b8zs),
		cmocka_unit_test(test_sf_ami),
		cmocka_unit_test(test_crc_and_bpv_errors_counted),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
