/*
 * fuzz_ip_session.c - libFuzzer target: a PPP session's IP data plane with VJ in both
 * directions.  The input is split into packets at each 0xA5 0x5A pair; the first
 * octet of each picks what it is: a PPP IP / VJ-compressed / VJ-uncompressed payload
 * from the peer (ip_session_input), or a datagram from the host for the peer
 * (tun_dispatch -> VJ compress -> PPP).  Whatever the bytes: no crash, counters only.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ip_session.h"
#include "ipcp.h"
#include "ppp.h"
#include "tun.h"

#define NAS_ADDR	0xAC101934u
#define PEER_ADDR	0xAC10193Cu

static int host_out(void *ctx, const uint8_t *pkt, size_t len)
{
	static volatile uint8_t sink;

	(void)ctx;
	for (size_t i = 0; i < len; i++)	/* ASan checks the length */
		sink = (uint8_t)(sink ^ pkt[i]);
	return (len & 3) == 3 ? -11 : 0;
}

static int ppp_out(void *ctx, const uint8_t *frame, size_t len, unsigned flags)
{
	static volatile uint8_t sink;

	(void)ctx;
	(void)flags;
	for (size_t i = 0; i < len; i++)
		sink = (uint8_t)(sink ^ frame[i]);
	return 0;
}

static const struct tun_backend be = { .name = "fz0", .output = host_out };
static const struct ppp_lower_ops ops = { .send = ppp_out };
static const struct ppp_profile prof = { .hostname = "fz" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ppp_session s;
	static struct ip_session is;
	struct tun t;
	size_t start = 0;

	memset(&s, 0, sizeof(s));
	s.ops = &ops;
	s.prof = &prof;
	s.peer_mru = size > 0 ? (uint16_t)(200 + data[0] * 8) : 1500;
	s.ipcp.his_vj = true;
	s.ipcp.want_vj = true;
	s.ipcp.his_vj_slots = size > 1 ? data[1] : 15;
	s.ipcp.his_vj_cslot = size > 2 && (data[2] & 1);
	tun_init(&t);
	tun_set_backend(&t, &be, NULL);
	tun_set_addr(&t, NAS_ADDR);
	ip_session_init(&is, &t, &s, "As1", size > 2 && (data[2] & 2));
	if (ip_session_up(&is, PEER_ADDR) < 0)
		return 0;
	/* data[0..2] set the session up; packets follow, separated by A5 5A */
	start = 3;
	for (size_t i = start; i <= size; i++) {
		if (i < size && !(data[i] == 0xA5 && i + 1 < size && data[i + 1] == 0x5A))
			continue;
		if (i > start) {
			const uint8_t *p = data + start + 1;
			size_t n = i - start - 1;

			switch (data[start] & 3) {
			case 0: ip_session_input(&is, PPP_PROTO_IP, p, n); break;
			case 1: ip_session_input(&is, PPP_PROTO_VJC, p, n); break;
			case 2: ip_session_input(&is, PPP_PROTO_VJUC, p, n); break;
			default: tun_dispatch(&t, p, n); break;
			}
		}
		start = i + 2;
		i++;
	}
	ip_session_down(&is);
	tun_fini(&t);
	return 0;
}
