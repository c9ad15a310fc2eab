/*
 * test_pcap_writer.c - PPP-with-direction pcap files: the seed's frames written with
 * simulated timestamps (deframed and as raw async-HDLC octets) and read back with
 * libpcap: link type 204, direction octet, FF 03 header, nanosecond times.
 *
 * With PCAP_OUT=<file> in the environment the file is also written there and kept,
 * for tests/system/test_pcap_tshark.sh (which checks it with tshark).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <pcap/pcap.h>

#include "hdlc_async.h"
#include "pcap_writer.h"

struct rec {
	ev_time_t t;		/* ms */
	enum pcap_dir dir;
	uint8_t d[64];
	size_t n;
};

#define S(...) { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ })
#define TO PCAP_DIR_TO_NAS
#define FROM PCAP_DIR_FROM_NAS

/* The seed's exchange (times in ms from the first frame), protocol first. */
static const struct rec seed[] = {
	{ 0, FROM, S(0xC0, 0x21, 0x01, 0x03, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		     0x03, 0x05, 0xC2, 0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0x04, 0xA3, 0x07,
		     0x02, 0x08, 0x02) },
	{ 136, TO, S(0xC0, 0x21, 0x02, 0x03, 0x00, 0x19, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		     0x03, 0x05, 0xC2, 0x23, 0x05, 0x05, 0x06, 0x60, 0x8D, 0x04, 0xA3, 0x07,
		     0x02, 0x08, 0x02) },
	{ 388, TO, S(0xC0, 0x21, 0x01, 0x03, 0x00, 0x17, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		     0x05, 0x06, 0x00, 0x4A, 0x4A, 0x09, 0x07, 0x02, 0x08, 0x02, 0x0D, 0x03,
		     0x06) },
	{ 400, FROM, S(0xC0, 0x21, 0x02, 0x03, 0x00, 0x17, 0x02, 0x06, 0x00, 0x0A, 0x00, 0x00,
		       0x05, 0x06, 0x00, 0x4A, 0x4A, 0x09, 0x07, 0x02, 0x08, 0x02, 0x0D, 0x03,
		       0x06) },
	{ 3484, FROM, S(0xC2, 0x23, 0x01, 0x04, 0x00, 0x1C, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 9,
			10, 11, 12, 13, 14, 15, 16, 'i', 's', 'd', 'n', '2', '-', '2') },
	{ 3572, TO, S(0xC2, 0x23, 0x02, 0x04, 0x00, 0x1F, 0x10, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5,
		      0xA6, 0xA7, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xAF, 0xB0, 'c', 'a',
		      'l', 'l', 'm', 'e', 'b', 'a', 'c', 'k') },
	{ 3620, FROM, S(0xC2, 0x23, 0x03, 0x04, 0x00, 0x04) },
	{ 3628, FROM, S(0xC0, 0x29, 0x01, 0x14, 0x00, 0x09, 0x02, 0x05, 0x00, 0x01, 0x00) },
	{ 13148, TO, S(0xC0, 0x29, 0x02, 0x14, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01, 0x35, 0x32,
		       0x37, 0x2D, 0x39, 0x36, 0x35, 0x31, 0x00) },
	{ 14112, FROM, S(0xC0, 0x29, 0x03, 0x1A, 0x00, 0x11, 0x02, 0x0D, 0x0F, 0x01, 0x35, 0x32,
			 0x37, 0x2D, 0x39, 0x36, 0x35, 0x31, 0x00) },
	{ 14200, TO, S(0xC0, 0x21, 0x05, 0x05, 0x00, 0x04) },
	{ 14200, FROM, S(0xC0, 0x21, 0x06, 0x05, 0x00, 0x04) },
	/* callback leg: IPCP */
	{ 65950, FROM, S(0x80, 0x21, 0x01, 0x01, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x00,
			 0x03, 0x06, 0xAC, 0x10, 0x19, 0x34) },
	{ 66004, TO, S(0x80, 0x21, 0x01, 0x01, 0x00, 0x28, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
		       0x03, 0x06, 0, 0, 0, 0, 0x81, 0x06, 0, 0, 0, 0, 0x82, 0x06, 0, 0, 0, 0,
		       0x83, 0x06, 0, 0, 0, 0, 0x84, 0x06, 0, 0, 0, 0) },
	{ 66036, FROM, S(0x80, 0x21, 0x04, 0x01, 0x00, 0x1C, 0x81, 0x06, 0, 0, 0, 0, 0x82, 0x06,
			 0, 0, 0, 0, 0x83, 0x06, 0, 0, 0, 0, 0x84, 0x06, 0, 0, 0, 0) },
	{ 66124, TO, S(0x80, 0x21, 0x01, 0x02, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
		       0x03, 0x06, 0, 0, 0, 0) },
	{ 66140, FROM, S(0x80, 0x21, 0x03, 0x02, 0x00, 0x0A, 0x03, 0x06, 0xAC, 0x10, 0x19, 0x3C) },
	{ 66240, TO, S(0x80, 0x21, 0x01, 0x03, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
		       0x03, 0x06, 0xAC, 0x10, 0x19, 0x3C) },
	{ 66284, FROM, S(0x80, 0x21, 0x02, 0x03, 0x00, 0x10, 0x02, 0x06, 0x00, 0x2D, 0x0F, 0x01,
			 0x03, 0x06, 0xAC, 0x10, 0x19, 0x3C) },
};

#define NSEED (sizeof(seed) / sizeof(seed[0]))

static uint16_t csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return (uint16_t)~s;
}

/* An ICMP echo (type 8) or reply (0) between the client and the NAS, with a 1-octet
 * protocol field (PFC) and no address/control (ACFC): the writer adds FF 03. */
static size_t icmp_frame(uint8_t *f, uint8_t type, const uint8_t src[4], const uint8_t dst[4])
{
	uint8_t *ip = f + 1;
	uint16_t c;

	f[0] = 0x21;
	memset(ip, 0, 28 + 8);
	ip[0] = 0x45;
	ip[3] = 36;
	ip[8] = 128;
	ip[9] = 1;
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	c = csum(ip, 20);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	ip[20] = type;
	ip[25] = 1;			/* identifier 1 */
	ip[27] = 7;			/* sequence 7 */
	memcpy(ip + 28, "abcdefgh", 8);
	c = csum(ip + 20, 16);
	ip[22] = (uint8_t)(c >> 8);
	ip[23] = (uint8_t)c;
	return 1 + 36;
}

static const uint8_t client_ip[4] = { 172, 16, 25, 60 }, nas_ip[4] = { 172, 16, 25, 52 };

static void write_seed(const char *path, unsigned long *frames)
{
	struct pcap_writer *w = pcap_writer_open(path, 1700000000);
	uint8_t f[64], out[160];
	size_t n, m;

	assert_non_null(w);
	for (size_t i = 0; i < NSEED; i++) {
		uint8_t hdr[80];

		if (i % 2) {		/* with the address/control field */
			hdr[0] = 0xFF;
			hdr[1] = 0x03;
			memcpy(hdr + 2, seed[i].d, seed[i].n);
			assert_int_equal(pcap_writer_frame(w, seed[i].t * EV_MSEC, seed[i].dir,
							   hdr, seed[i].n + 2), 0);
		} else {
			assert_int_equal(pcap_writer_frame(w, seed[i].t * EV_MSEC, seed[i].dir,
							   seed[i].d, seed[i].n), 0);
		}
	}
	/* data plane, as raw line octets: an echo and its reply, then a corrupted frame */
	n = icmp_frame(f, 8, client_ip, nas_ip);
	m = hdlc_async_encode(out, f, n, 0x000A0000, false);
	pcap_writer_octets(w, 67000 * EV_MSEC + 123456, PCAP_DIR_TO_NAS, out, m / 2);
	pcap_writer_octets(w, 67000 * EV_MSEC + 223456, PCAP_DIR_TO_NAS, out + m / 2, m - m / 2);
	n = icmp_frame(f, 0, nas_ip, client_ip);
	m = hdlc_async_encode(out, f, n, 0, false);
	pcap_writer_octets(w, 67010 * EV_MSEC, PCAP_DIR_FROM_NAS, out, m);
	out[5] ^= 0x01;
	pcap_writer_octets(w, 67020 * EV_MSEC, PCAP_DIR_FROM_NAS, out, m);
	assert_int_equal(pcap_writer_bad_frames(w), 1);
	*frames = pcap_writer_frames(w);
	pcap_writer_close(w);
}

static void test_write_and_read_back(void **state)
{
	char path[] = "/tmp/test_pcap_writer_XXXXXX";
	int fd = mkstemp(path);
	char err[PCAP_ERRBUF_SIZE];
	unsigned long frames = 0;
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p;
	size_t i = 0;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_seed(path, &frames);
	assert_int_equal(frames, NSEED + 2);

	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), 204);
	while (pcap_next_ex(p, &h, &d) == 1) {
		if (i < NSEED) {
			ev_time_t t = seed[i].t * EV_MSEC;

			assert_int_equal(h->caplen, seed[i].n + 3);
			assert_int_equal(d[0], seed[i].dir == PCAP_DIR_FROM_NAS ? 1 : 0);
			assert_int_equal(d[1], 0xFF);
			assert_int_equal(d[2], 0x03);
			assert_memory_equal(d + 3, seed[i].d, seed[i].n);
			assert_int_equal(h->ts.tv_sec, 1700000000 + (long)(t / EV_SEC));
			assert_int_equal(h->ts.tv_usec, (long)(t % EV_SEC));
		} else if (i == NSEED) {
			/* the echo: stamped with the time of the octets that closed it */
			assert_int_equal(d[0], 0);
			assert_int_equal(d[3], 0x21);
			assert_int_equal(h->caplen, 3 + 1 + 36);
			assert_int_equal(h->ts.tv_usec, 223456);
		} else {
			assert_int_equal(d[0], 1);
			assert_int_equal(d[3 + 1 + 20], 0);	/* echo reply */
		}
		i++;
	}
	assert_int_equal(i, NSEED + 2);
	pcap_close(p);
	unlink(path);

	if (getenv("PCAP_OUT"))
		write_seed(getenv("PCAP_OUT"), &frames);
}

static void test_bad_arguments(void **state)
{
	struct pcap_writer *w;
	uint8_t big[HDLC_ASYNC_MAX_FRAME + 8] = { 0 };

	(void)state;
	assert_null(pcap_writer_open("/nonexistent-dir/x.pcap", 0));
	assert_true(strlen(pcap_writer_last_error()) > 0);
	assert_int_equal(pcap_writer_frame(NULL, 0, PCAP_DIR_TO_NAS, big, 4), -EBADF);
	w = pcap_writer_open("/dev/null", 0);
	assert_non_null(w);
	assert_int_equal(pcap_writer_frame(w, 0, PCAP_DIR_TO_NAS, big, 0), -EMSGSIZE);
	assert_int_equal(pcap_writer_frame(w, 0, PCAP_DIR_TO_NAS, big, sizeof(big)), -EMSGSIZE);
	assert_int_equal(pcap_writer_frames(w), 0);
	pcap_writer_close(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_and_read_back),
		cmocka_unit_test(test_bad_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
