/*
 * test_ip_endpoint.c - the co-simulation's in-process IP endpoint behind the TUN
 * abstraction: echo requests to the NAS's address are answered through
 * tun_dispatch() (so the reply reaches the session's send), other datagrams are
 * ignored and counted, routes are recorded; all without root
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "evloop.h"
#include "ip_endpoint.h"
#include "ippkt.h"
#include "tun.h"

#define NAS_ADDR	0xAC101934u
#define PEER_ADDR	0xAC10193Cu

struct sess {
	uint8_t pkt[4][1600];
	size_t len[4];
	unsigned n;
};

static int sess_send(void *ctx, const uint8_t *pkt, size_t len)
{
	struct sess *s = ctx;

	assert_true(s->n < 4);
	memcpy(s->pkt[s->n], pkt, len);
	s->len[s->n++] = len;
	return 0;
}

static void test_echo_reply_through_dispatch(void **state)
{
	struct ev_loop *loop = ev_loop_new_manual(0);
	static struct ip_endpoint ep;
	struct tun t;
	struct tun_peer p;
	struct sess s;
	uint8_t req[128];
	size_t len;

	(void)state;
	memset(&s, 0, sizeof(s));
	memset(&p, 0, sizeof(p));
	tun_init(&t);
	ip_endpoint_attach(&ep, loop, &t, NAS_ADDR);
	assert_true(tun_ready(&t));
	assert_string_equal(t.name, "sim0");
	assert_int_equal(t.addr, NAS_ADDR);
	assert_int_equal(tun_peer_add(&t, &p, PEER_ADDR, 1500, sess_send, &s), 0);
	assert_int_equal(tun_route_add(&t, PEER_ADDR), 0);
	assert_true(ip_endpoint_has_route(&ep, PEER_ADDR));

	len = pk_icmp_echo(req, 8, PEER_ADDR, NAS_ADDR, 0x1234, 7, 56);
	assert_int_equal(tun_write(&t, &p, req, len), 0);
	assert_int_equal(ep.stats.echo_requests, 1);
	assert_int_equal(s.n, 0);			/* not inside the write */
	ev_loop_step(loop, 2 * EV_MSEC);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.len[0], len);
	const uint8_t *r = s.pkt[0];
	assert_true(pk_ip_checksum_ok(r));
	assert_int_equal(r[20], 0);			/* echo reply */
	assert_memory_equal(r + 12, req + 16, 4);	/* from the NAS */
	assert_memory_equal(r + 16, req + 12, 4);	/* to the peer */
	assert_memory_equal(r + 24, req + 24, len - 24);	/* ident, seq, data */
	assert_int_equal(pk_fold(pk_sum(0, r + 20, len - 20)), 0);
	assert_int_equal(ep.stats.echo_replies, 1);
	assert_int_equal(p.stats.out_packets, 1);
	assert_int_equal(p.stats.in_packets, 1);

	/* an echo to another address, a reply, a broken ICMP checksum: ignored */
	len = pk_icmp_echo(req, 8, PEER_ADDR, NAS_ADDR + 1, 1, 1, 8);
	tun_write(&t, &p, req, len);
	len = pk_icmp_echo(req, 0, PEER_ADDR, NAS_ADDR, 1, 1, 8);
	tun_write(&t, &p, req, len);
	len = pk_icmp_echo(req, 8, PEER_ADDR, NAS_ADDR, 1, 1, 8);
	req[len - 1] ^= 1;
	tun_write(&t, &p, req, len);
	ev_loop_step(loop, 10 * EV_MSEC);
	assert_int_equal(ep.stats.ignored, 3);
	assert_int_equal(s.n, 1);

	/* the session went away before the reply: counted, no crash */
	len = pk_icmp_echo(req, 8, PEER_ADDR, NAS_ADDR, 1, 2, 8);
	tun_write(&t, &p, req, len);
	tun_peer_del(&t, &p);
	assert_int_equal(tun_route_del(&t, PEER_ADDR), 0);
	assert_false(ip_endpoint_has_route(&ep, PEER_ADDR));
	ev_loop_step(loop, 20 * EV_MSEC);
	assert_int_equal(ep.stats.reply_failed, 1);

	ip_endpoint_detach(&ep);
	assert_false(tun_ready(&t));
	tun_fini(&t);
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_reply_through_dispatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
