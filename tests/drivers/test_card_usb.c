/*
 * test_card_usb.c - the USB transport's pure logic: FT232H status-byte stripping
 * (packet boundaries, short and runt packets, error flags) and transfer-status
 * accounting.  The device paths are tested end to end under umockdev
 * (tests/umockdev/test_usb_e2e.c).
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <libusb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "card.h"
#include "card_sim.h"
#include "card_usb.h"

/* Build an IN transfer from FIFO bytes the way an FT232H does: each packet of `mps`
 * bytes starts with the two status bytes; the last packet may be short. */
static size_t packetise(const uint8_t *data, size_t len, size_t mps, uint8_t s0, uint8_t s1,
			uint8_t *out)
{
	size_t o = 0, i = 0;

	do {
		size_t n = len - i < mps - 2 ? len - i : mps - 2;

		out[o++] = s0;
		out[o++] = s1;
		memcpy(out + o, data + i, n);
		o += n;
		i += n;
	} while (i < len);
	return o;
}

static void test_strip_full_and_short_packets(void **state)
{
	uint8_t data[1600], buf[2048];
	struct card_usb_strip st;
	size_t n, len;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	/* 1600 bytes: 3 full 512-byte packets (510 data each) + one of 2 + 70 */
	len = packetise(data, sizeof(data), 512, 0x32, 0x60, buf);
	assert_int_equal(len, 3 * 512 + 72);
	n = card_usb_strip_status(buf, len, 512, &st);
	assert_int_equal(n, sizeof(data));
	assert_memory_equal(buf, data, sizeof(data));
	assert_int_equal(st.packets, 4);
	assert_int_equal(st.bad_packets, 0);
	assert_int_equal(st.status_errors, 0);
	assert_true(st.have_status);
	assert_int_equal(st.status[0], 0x32);
	assert_int_equal(st.status[1], 0x60);
}

static void test_strip_exact_multiple(void **state)
{
	uint8_t data[1020], buf[1024];
	struct card_usb_strip st;
	size_t len, n;

	(void)state;
	memset(data, 0xA5, sizeof(data));
	len = packetise(data, sizeof(data), 512, 0x31, 0x60, buf);
	assert_int_equal(len, 1024);
	n = card_usb_strip_status(buf, len, 512, &st);
	assert_int_equal(n, 1020);
	assert_int_equal(st.packets, 2);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(buf[i], 0xA5);	/* no status byte leaked into the data */
}

static void test_strip_idle_and_empty(void **state)
{
	uint8_t buf[4] = { 0x32, 0x60, 0, 0 };
	struct card_usb_strip st;

	(void)state;
	/* latency-timer packet: status only */
	assert_int_equal(card_usb_strip_status(buf, 2, 512, &st), 0);
	assert_int_equal(st.packets, 1);
	assert_int_equal(st.bad_packets, 0);
	assert_true(st.have_status);
	/* zero-length transfer */
	assert_int_equal(card_usb_strip_status(buf, 0, 512, &st), 0);
	assert_int_equal(st.packets, 0);
	assert_false(st.have_status);
}

static void test_strip_runt_packet_counted(void **state)
{
	uint8_t buf[600];
	struct card_usb_strip st;
	size_t n;

	(void)state;
	/* a full packet then a 1-byte runt: the runt is dropped and counted */
	buf[0] = 0x32; buf[1] = 0x60;
	for (int i = 2; i < 512; i++)
		buf[i] = (uint8_t)i;
	buf[512] = 0x99;
	n = card_usb_strip_status(buf, 513, 512, &st);
	assert_int_equal(n, 510);
	assert_int_equal(st.packets, 2);
	assert_int_equal(st.bad_packets, 1);
	assert_int_equal(buf[0], 2);
	assert_int_equal(buf[509], (uint8_t)511);
}

static void test_strip_status_errors(void **state)
{
	uint8_t data[600], buf[700];
	struct card_usb_strip st;
	size_t len;

	(void)state;
	memset(data, 1, sizeof(data));
	len = packetise(data, sizeof(data), 512, 0x32, 0x62, buf);	/* OE set */
	assert_int_equal(card_usb_strip_status(buf, len, 512, &st), sizeof(data));
	assert_int_equal(st.status_errors, 2);
}

static void test_strip_full_speed_mps(void **state)
{
	uint8_t data[200], buf[256];
	struct card_usb_strip st;
	size_t len, n;

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)i;
	len = packetise(data, sizeof(data), 64, 0x32, 0x60, buf);	/* 62 per packet */
	assert_int_equal(len, 200 + 2 * 4);
	n = card_usb_strip_status(buf, len, 64, &st);
	assert_int_equal(n, 200);
	assert_memory_equal(buf, data, 200);
	assert_int_equal(st.packets, 4);
}

/* Messages that straddle packet and transfer boundaries reach the card layer intact. */
struct echo_seen {
	unsigned replies;
	uint8_t  last[CARD_MSG_MAX_PAYLOAD];
	size_t   last_len;
	unsigned bad;
};

static void on_echo(void *ctx, unsigned chan, const uint8_t *data, size_t len)
{
	struct echo_seen *e = ctx;

	if (chan != 5 || len != 200)
		e->bad++;
	for (size_t i = 0; i < len; i++)
		if (data[i] != (uint8_t)(e->replies + i))
			e->bad++;
	e->replies++;
	memcpy(e->last, data, len);
	e->last_len = len;
}

static void test_stream_across_packets_and_transfers(void **state)
{
	static const struct card_events ev = { .echo_reply = on_echo };
	struct echo_seen seen = { 0 };
	struct card_sim *sim = card_sim_new();
	struct card *c = card_new(4, 64, &card_sim_ops, sim, &ev, &seen);
	uint8_t stream[20 * CARD_MSG_MAX_LEN], xfer[8192];
	size_t slen = 0;

	(void)state;
	assert_non_null(c);
	for (unsigned m = 0; m < 20; m++) {
		uint8_t pl[200];

		for (size_t i = 0; i < sizeof(pl); i++)
			pl[i] = (uint8_t)(m + i);
		slen += card_msg_encode(stream + slen, CARD_MSG_ECHO_REPLY, 0, 5, pl, sizeof(pl));
	}
	/* cut the stream into transfers of odd sizes, each packetised and stripped */
	for (size_t off = 0, cut = 333; off < slen; off += cut, cut = cut * 3 % 1700 + 1) {
		size_t n = slen - off < cut ? slen - off : cut;
		struct card_usb_strip st;
		size_t len = packetise(stream + off, n, 512, 0x32, 0x60, xfer);

		card_input(c, xfer, card_usb_strip_status(xfer, len, 512, &st));
		assert_int_equal(st.bad_packets, 0);
	}
	assert_int_equal(seen.replies, 20);
	assert_int_equal(seen.bad, 0);
	assert_int_equal(card_get_stats(c)->parser.crc_errors, 0);
	assert_int_equal(card_get_stats(c)->parser.skipped_bytes, 0);
	card_free(c);
	card_sim_free(sim);
}

static void test_account(void **state)
{
	struct card_usb_stats st;

	(void)state;
	memset(&st, 0, sizeof(st));
	assert_int_equal(card_usb_account(&st, true, LIBUSB_TRANSFER_COMPLETED), CARD_USB_OK);
	assert_int_equal(card_usb_account(&st, false, LIBUSB_TRANSFER_COMPLETED), CARD_USB_OK);
	assert_int_equal(st.rx_transfers, 1);
	assert_int_equal(st.tx_transfers, 1);
	assert_int_equal(st.rx_errors + st.tx_errors, 0);

	assert_int_equal(card_usb_account(&st, true, LIBUSB_TRANSFER_STALL), CARD_USB_CLEAR_HALT);
	assert_int_equal(card_usb_account(&st, false, LIBUSB_TRANSFER_STALL), CARD_USB_CLEAR_HALT);
	assert_int_equal(st.rx_stalls, 1);
	assert_int_equal(st.tx_stalls, 1);

	assert_int_equal(card_usb_account(&st, true, LIBUSB_TRANSFER_TIMED_OUT), CARD_USB_RETRY);
	assert_int_equal(st.rx_timeouts, 1);
	assert_int_equal(card_usb_account(&st, true, LIBUSB_TRANSFER_ERROR), CARD_USB_RETRY);
	assert_int_equal(card_usb_account(&st, false, LIBUSB_TRANSFER_OVERFLOW), CARD_USB_RETRY);
	assert_int_equal(card_usb_account(&st, true, 1234), CARD_USB_RETRY);	/* unknown */
	assert_int_equal(card_usb_account(&st, true, LIBUSB_TRANSFER_NO_DEVICE), CARD_USB_GONE);
	/* our own cancel is not an error */
	assert_int_equal(card_usb_account(&st, false, LIBUSB_TRANSFER_CANCELLED), CARD_USB_STOP);

	assert_int_equal(st.rx_errors, 5);	/* stall, timeout, error, unknown, no device */
	assert_int_equal(st.tx_errors, 2);	/* stall, overflow */
	assert_int_equal(st.rx_transfers, 1);
	assert_int_equal(st.tx_transfers, 1);
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(card_usb_status_name(LIBUSB_TRANSFER_STALL), "STALL");
	assert_string_equal(card_usb_status_name(LIBUSB_TRANSFER_NO_DEVICE), "NO_DEVICE");
	assert_string_equal(card_usb_status_name(LIBUSB_TRANSFER_COMPLETED), "COMPLETED");
	assert_string_equal(card_usb_status_name(99), "UNKNOWN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strip_full_and_short_packets),
		cmocka_unit_test(test_strip_exact_multiple),
		cmocka_unit_test(test_strip_idle_and_empty),
		cmocka_unit_test(test_strip_runt_packet_counted),
		cmocka_unit_test(test_strip_status_errors),
		cmocka_unit_test(test_strip_full_speed_mps),
		cmocka_unit_test(test_stream_across_packets_and_transfers),
		cmocka_unit_test(test_account),
		cmocka_unit_test(test_status_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
