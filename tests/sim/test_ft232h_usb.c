/*
 * test_ft232h_usb.c - the FT232H USB device model without any USB emulation: FTDI
 * vendor requests, descriptors, IN packetisation with status bytes and the latency
 * (forced) packet, OUT back-pressure, the notify fd and the bridge to the pin model.
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ft232h.h"
#include "ft232h_usb.h"

static void setup_pkt(uint8_t s[8], uint8_t type, uint8_t req, uint16_t value, uint16_t index,
		      uint16_t len)
{
	s[0] = type; s[1] = req;
	s[2] = (uint8_t)value; s[3] = (uint8_t)(value >> 8);
	s[4] = (uint8_t)index; s[5] = (uint8_t)(index >> 8);
	s[6] = (uint8_t)len; s[7] = (uint8_t)(len >> 8);
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

static void test_vendor_requests(void **state)
{
	struct ft232h_usb_cfg cfg = { .serial = "ABC123" };
	struct ft232h_usb *m = ft232h_usb_new(&cfg);
	struct ft232h_usb_stats st;
	uint8_t s[8], data[64];
	size_t len;

	(void)state;
	assert_non_null(m);
	setup_pkt(s, 0x40, 0x09, 2, 1, 0);		/* latency 2 ms */
	len = 0;
	assert_int_equal(ft232h_usb_control(m, s, data, &len), 0);
	assert_int_equal(ft232h_usb_latency_ms(m), 2);
	setup_pkt(s, 0x40, 0x0B, 0x40FF, 1, 0);		/* sync FIFO, all outputs */
	assert_int_equal(ft232h_usb_control(m, s, data, &len), 0);
	setup_pkt(s, 0x40, 0x02, 0, 0x0101, 0);		/* RTS/CTS */
	assert_int_equal(ft232h_usb_control(m, s, data, &len), 0);
	setup_pkt(s, 0xC0, 0x0A, 0, 1, 1);		/* get latency */
	len = sizeof(data);
	assert_int_equal(ft232h_usb_control(m, s, data, &len), 0);
	assert_int_equal(len, 1);
	assert_int_equal(data[0], 2);
	setup_pkt(s, 0x80, 6, 0x0303, 0x0409, 64);	/* serial string */
	len = sizeof(data);
	assert_int_equal(ft232h_usb_control(m, s, data, &len), 0);
	assert_int_equal(len, 2 + 2 * 6);
	assert_int_equal(data[1], 3);
	assert_int_equal(data[2], 'A');
	assert_int_equal(data[12], '3');
	setup_pkt(s, 0x40, 0x77, 0, 1, 0);		/* unknown: STALL */
	len = 0;
	assert_int_equal(ft232h_usb_control(m, s, data, &len), -EPIPE);
	setup_pkt(s, 0x40, 0x09, 0, 1, 0);		/* latency 0 is illegal */
	assert_int_equal(ft232h_usb_control(m, s, data, &len), -EPIPE);
	ft232h_usb_get_stats(m, &st);
	assert_int_equal(st.bitmode, 0x40);
	assert_int_equal(st.bitmask, 0xFF);
	assert_int_equal(st.flow_ctrl, 0x0100);
	assert_int_equal(st.ctrl_stalls, 2);
	ft232h_usb_free(m);
}

static void test_descriptors(void **state)
{
	struct ft232h_usb *m = ft232h_usb_new(NULL);
	uint8_t d[64];
	size_t n;

	(void)state;
	n = ft232h_usb_descriptors(m, d, sizeof(d));
	assert_int_equal(n, 18 + 32);
	assert_int_equal(d[8] | d[9] << 8, 0x0403);
	assert_int_equal(d[10] | d[11] << 8, 0x6014);
	assert_int_equal(d[18 + 2] | d[18 + 3] << 8, 32);	/* wTotalLength */
	assert_int_equal(d[18 + 18 + 2], 0x81);			/* bulk IN */
	assert_int_equal(d[18 + 18 + 4] | d[18 + 18 + 5] << 8, 512);
	assert_int_equal(d[18 + 25 + 2], 0x02);			/* bulk OUT */
	ft232h_usb_free(m);
}

static void test_in_packets(void **state)
{
	struct ft232h_usb *m = ft232h_usb_new(NULL);
	uint8_t data[1200], buf[4096];
	size_t n;

	(void)state;
	/* nothing queued: nothing unless the latency timer forces a packet */
	assert_int_equal(ft232h_usb_bulk_in(m, buf, sizeof(buf), false), 0);
	assert_int_equal(ft232h_usb_bulk_in(m, buf, sizeof(buf), true), 2);
	assert_int_equal(buf[0], 0x32);
	assert_int_equal(buf[1], 0x60);
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i ^ 0x5A);
	assert_int_equal(ft232h_usb_from_card(m, data, sizeof(data)), sizeof(data));
	assert_int_equal(ft232h_usb_in_pending(m), sizeof(data));
	n = ft232h_usb_bulk_in(m, buf, sizeof(buf), false);
	/* 510 + 510 + 180 data bytes: 512 + 512 + 182 */
	assert_int_equal(n, 512 + 512 + 182);
	for (size_t p = 0; p < 3; p++) {
		assert_int_equal(buf[p * 512], 0x32);
		assert_int_equal(buf[p * 512 + 1], 0x60);
	}
	assert_memory_equal(buf + 2, data, 510);
	assert_memory_equal(buf + 514, data + 510, 510);
	assert_memory_equal(buf + 1026, data + 1020, 180);
	assert_int_equal(ft232h_usb_in_pending(m), 0);
	/* a transfer smaller than the data: whole packets, the rest stays */
	assert_int_equal(ft232h_usb_from_card(m, data, sizeof(data)), sizeof(data));
	assert_int_equal(ft232h_usb_bulk_in(m, buf, 512, false), 512);
	assert_int_equal(ft232h_usb_in_pending(m), sizeof(data) - 510);
	ft232h_usb_free(m);
}

static void test_out_and_notify(void **state)
{
	struct ft232h_usb *m = ft232h_usb_new(NULL);
	static uint8_t big[FT232H_USB_TO_CARD_MAX + 100];
	uint8_t buf[64];
	int fd = ft232h_usb_notify_fd(m);

	(void)state;
	assert_false(readable(fd));
	assert_int_equal(ft232h_usb_bulk_out(m, (const uint8_t *)"hello", 5), 5);
	assert_true(readable(fd));
	assert_int_equal(ft232h_usb_to_card(m, buf, 3), 3);
	assert_true(readable(fd));		/* two bytes still waiting */
	assert_int_equal(ft232h_usb_to_card(m, buf + 3, sizeof(buf) - 3), 2);
	assert_memory_equal(buf, "hello", 5);
	assert_false(readable(fd));
	/* the chip NAKs what does not fit */
	assert_int_equal(ft232h_usb_bulk_out(m, big, sizeof(big)), FT232H_USB_TO_CARD_MAX);
	assert_int_equal(ft232h_usb_bulk_out(m, big, 10), 0);
	ft232h_usb_free(m);
}

static unsigned wakeups;
static void on_wake(void *arg) { (void)arg; wakeups++; }

static void test_bridge(void **state)
{
	struct ft232h_usb *m = ft232h_usb_new(NULL);
	struct ft232h f;
	uint8_t buf[2048], out[2048];
	size_t n;

	(void)state;
	ft232h_init(&f);
	ft232h_usb_set_wakeup(m, on_wake, NULL);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 3);
	assert_int_equal(ft232h_usb_bulk_out(m, buf, sizeof(buf)), sizeof(buf));
	/* the pin model holds 1 KiB toward the card */
	n = ft232h_usb_bridge(m, &f);
	assert_int_equal(n, FT232H_RX_BUF);
	assert_int_equal(ft232h_usb_to_card_pending(m), sizeof(buf) - FT232H_RX_BUF);
	assert_true(wakeups >= 1);
	/* bytes from the card's FIFO pins reach the USB side */
	memcpy(f.to_host, "card", 4);
	f.to_host_head = 0;
	f.to_host_len = 4;
	ft232h_usb_bridge(m, &f);
	assert_int_equal(ft232h_usb_in_pending(m), 4);
	n = ft232h_usb_bulk_in(m, out, sizeof(out), false);
	assert_int_equal(n, 6);
	assert_memory_equal(out + 2, "card", 4);
	ft232h_usb_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vendor_requests),
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_in_packets),
		cmocka_unit_test(test_out_and_notify),
		cmocka_unit_test(test_bridge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
