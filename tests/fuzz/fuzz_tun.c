/*
 * fuzz_tun.c - libFuzzer target: datagrams from the kernel side (tun_dispatch) and
 * from a session (tun_write, no device) are untrusted; the IPv4 checks, the address
 * table lookup and the counters must hold for any bytes.  The input is split into
 * datagrams at each 0xA5 0x5A pair; the first octet of each picks the direction.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tun.h"

struct sent {
	size_t total;
	unsigned n;
};

static int fz_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct sent *s = ctx;
	static volatile uint8_t sink;

	for (size_t i = 0; i < len; i++)	/* ASan checks the length */
		sink = (uint8_t)(sink ^ pkt[i]);
	s->total += len;
	s->n++;
	return (len & 1) ? -55 : 0;		/* sometimes the session cannot send */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tun t;
	struct tun_peer peers[8];
	struct sent sent = { 0 };
	size_t start = 0;

	tun_init(&t);
	memset(peers, 0, sizeof(peers));
	for (unsigned i = 0; i < 8; i++)
		tun_peer_add(&t, &peers[i], 0x0a000000u + i, (uint16_t)(i * 200), fz_send, &sent);
	for (size_t i = 0; i <= size; i++) {
		if (i < size && !(i + 1 < size && data[i] == 0xA5 && data[i + 1] == 0x5A))
			continue;
		if (i > start) {
			const uint8_t *d = data + start + 1;
			size_t n = i - start - 1;

			if (data[start] & 1)
				tun_write(&t, &peers[data[start] >> 5], d, n);
			else
				tun_dispatch(&t, d, n);
		}
		start = i + 2;
		i++;
	}
	/* every datagram counted exactly once */
	if (t.stats.out_packets + t.drops.send_failed != sent.n)
		__builtin_trap();
	tun_fini(&t);
	return 0;
}
