/*
 * test_vj.c - Van Jacobson header compression (RFC 1144): real TCP/IP datagrams with
 * correct checksums through compressor and decompressor, byte for byte; the exact
 * encoding of every delta, the *SA / *S special cases, slot LRU, slot-id compression,
 * resynchronisation, TOSS, and malformed input.
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ippkt.h"
#include "vj.h"

#define CLIENT 0x0a000002u	/* 10.0.0.2 */
#define SERVER 0xac101934u	/* 172.16.25.52 */

struct pair {
	struct vj_comp c;
	struct vj_decomp d;
};

static void pair_init(struct pair *p, uint8_t max_slot, bool cid)
{
	vj_comp_init(&p->c, max_slot, cid);
	vj_decomp_init(&p->d, max_slot);
}

struct res {
	int proto;
	uint8_t comp[2048];
	size_t clen;
	uint16_t tcp_sum;
};

/* Compress and decompress one segment; the result must be the original, exactly. */
static struct res rt(struct pair *p, const struct pk_tcp *s)
{
	static uint8_t pkt[2048], out[2048 + VJ_DECOMP_EXTRA];
	struct res r;
	size_t len = pk_tcp_build(pkt, s), olen = 0;
	size_t iphl = (size_t)(pkt[0] & 0x0f) * 4;

	r.tcp_sum = (uint16_t)(pkt[iphl + 16] << 8 | pkt[iphl + 17]);
	r.proto = vj_compress(&p->c, pkt, len, r.comp, sizeof(r.comp), &r.clen);
	assert_true(r.proto == VJ_PROTO_IP || r.proto == VJ_PROTO_COMP ||
		    r.proto == VJ_PROTO_UNCOMP);
	assert_true(r.clen <= len);
	assert_int_equal(vj_decompress(&p->d, (uint16_t)r.proto, r.comp, r.clen, out,
				       sizeof(out), &olen), 0);
	assert_int_equal(olen, len);
	assert_memory_equal(out, pkt, len);
	return r;
}

/* Round trip, and the compressed header must be pre + checksum + post. */
static void expect_comp(struct pair *p, const struct pk_tcp *s, const char *pre, size_t npre,
			const char *post, size_t npost)
{
	struct res r = rt(p, s);
	uint8_t want[32];

	assert_int_equal(r.proto, VJ_PROTO_COMP);
	memcpy(want, pre, npre);
	want[npre] = (uint8_t)(r.tcp_sum >> 8);
	want[npre + 1] = (uint8_t)r.tcp_sum;
	memcpy(want + npre + 2, post, npost);
	assert_int_equal(r.clen, npre + 2 + npost + s->datalen);
	assert_memory_equal(r.comp, want, npre + 2 + npost);
}

static struct pk_tcp base_seg(void)
{
	return (struct pk_tcp){ .src = CLIENT, .dst = SERVER, .sport = 1025, .dport = 23,
				.seq = 1000, .ack = 5000, .flags = PK_ACK, .win = 8192,
				.id = 100, .datalen = 10, .frag = 0x4000 };
}

/* --- every delta, exact bytes ------------------------------------------------------ */

static void test_deltas(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();
	struct res r;

	pair_init(&p, 15, true);
	r = rt(&p, &s);
	assert_int_equal(r.proto, VJ_PROTO_UNCOMP);
	assert_int_equal(r.comp[9], 0);			/* slot 0 in the protocol octet */

	/* window +256: 3-octet form; slot id left out (same slot as last sent) */
	s.id++; s.win += 256;
	expect_comp(&p, &s, "\x02", 1, "\x00\x01\x00", 3);
	/* window -1 (deltas are 16-bit two's complement) */
	s.id++; s.win -= 1;
	expect_comp(&p, &s, "\x02", 1, "\x00\xff\xff", 3);
	/* ack +5 */
	s.id++; s.ack += 5;
	expect_comp(&p, &s, "\x04", 1, "\x05", 1);
	/* ack +300 */
	s.id++; s.ack += 300;
	expect_comp(&p, &s, "\x04", 1, "\x00\x01\x2c", 3);
	/* seq +3 (not the previous data length: no special case) */
	s.id++; s.seq += 3;
	expect_comp(&p, &s, "\x08", 1, "\x03", 1);
	/* urgent pointer 3 with URG */
	s.id++; s.flags = PK_ACK | PK_URG; s.urp = 3;
	expect_comp(&p, &s, "\x01", 1, "\x03", 1);
	/* URG with urgent pointer 0: the zero needs the 3-octet form */
	s.id++; s.urp = 0;
	expect_comp(&p, &s, "\x01", 1, "\x00\x00\x00", 3);
	/* URG off, same pointer, ack moves */
	s.id++; s.flags = PK_ACK; s.ack += 1;
	expect_comp(&p, &s, "\x04", 1, "\x01", 1);
	/* IP id +2 */
	s.id += 2; s.ack += 1;
	expect_comp(&p, &s, "\x24", 1, "\x01\x02", 2);
	/* IP id unchanged (delta 0) */
	s.ack += 1;
	expect_comp(&p, &s, "\x24", 1, "\x01\x00\x00\x00", 4);
	/* PUSH */
	s.id++; s.ack += 1; s.flags = PK_ACK | PK_PSH;
	expect_comp(&p, &s, "\x14", 1, "\x01", 1);
	/* U W A and I at once, in that order (U W A S would read as *S) */
	s.id += 7; s.flags = PK_ACK | PK_URG; s.urp = 9; s.win += 2; s.ack += 3;
	expect_comp(&p, &s, "\x27", 1, "\x09\x02\x03\x07", 4);
	/* W A S and I */
	s.id += 7; s.flags = PK_ACK; s.win += 2; s.ack += 3; s.seq += 4;
	expect_comp(&p, &s, "\x2e", 1, "\x02\x03\x04\x07", 4);
	assert_int_equal(p.d.stats.errors, 0);
	assert_int_equal(p.c.stats.uncompressed, 1);
}

/* --- special cases ----------------------------------------------------------------- */

static void test_special_sa_interactive(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();

	pair_init(&p, 15, true);
	s.datalen = 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	/* seq and ack both advance by the last segment's data: *SA, no deltas at all */
	s.id++; s.seq += 1; s.ack += 1;
	expect_comp(&p, &s, "\x0b", 1, "", 0);
	/* once more, with PUSH */
	s.id++; s.seq += 1; s.ack += 1; s.flags = PK_ACK | PK_PSH;
	expect_comp(&p, &s, "\x1b", 1, "", 0);
	/* seq +1 and ack +2: not special, plain deltas (A then S) */
	s.id++; s.seq += 1; s.ack += 2; s.flags = PK_ACK;
	expect_comp(&p, &s, "\x0c", 1, "\x02\x01", 2);
	/* seq and ack move together, but not by the last data length (1): plain deltas */
	s.id++; s.seq += 2; s.ack += 2;
	expect_comp(&p, &s, "\x0c", 1, "\x02\x02", 2);
}

static void test_special_s_data(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();

	pair_init(&p, 15, true);
	s.datalen = 512;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	for (int i = 0; i < 5; i++) {
		s.id++; s.seq += 512; s.data_seed = (uint8_t)i;
		expect_comp(&p, &s, "\x0f", 1, "", 0);
	}
	/* a shorter last segment still follows a 512-octet one: *S */
	s.id++; s.seq += 512; s.datalen = 100;
	expect_comp(&p, &s, "\x0f", 1, "", 0);
	/* the next one advances by 100 */
	s.id++; s.seq += 100; s.datalen = 7;
	expect_comp(&p, &s, "\x0f", 1, "", 0);
	/* advancing by something else is a plain seq delta */
	s.id++; s.seq += 8;
	expect_comp(&p, &s, "\x08", 1, "\x08", 1);
	/* after a segment with URG, no special case (an RFC 1144 decompressor would
	 * keep URG set): a plain seq delta (found by fuzz_vj) */
	s.id++; s.seq += 7; s.flags = PK_ACK | PK_URG; s.urp = 1;
	expect_comp(&p, &s, "\x09", 1, "\x01\x07", 2);
	s.id++; s.seq += 7; s.flags = PK_ACK;
	expect_comp(&p, &s, "\x08", 1, "\x07", 1);
}

/* Our decompressor clears URG in the special cases whatever the slot held. */
static void test_special_clears_urg(void **state)
{
	(void)state;
	struct vj_decomp d;
	struct pk_tcp s = base_seg();
	uint8_t pkt[256], out[256 + VJ_DECOMP_EXTRA];
	size_t len, olen;
	const uint8_t star_s[] = { 0x4f, 0, 0x12, 0x34 };

	vj_decomp_init(&d, 15);
	s.flags = PK_ACK | PK_URG; s.urp = 4;
	len = pk_tcp_build(pkt, &s);
	pkt[9] = 0;
	assert_int_equal(vj_decompress(&d, VJ_PROTO_UNCOMP, pkt, len, out, sizeof(out), &olen), 0);
	assert_int_equal(out[33] & PK_URG, PK_URG);
	assert_int_equal(vj_decompress(&d, VJ_PROTO_COMP, star_s, sizeof(star_s), out,
				       sizeof(out), &olen), 0);
	assert_int_equal(olen, 40);
	assert_int_equal(out[33] & PK_URG, 0);
	assert_int_equal(out[24 + 3], (uint8_t)(1000 + 10));	/* seq advanced by 10 */
	assert_true(pk_ip_checksum_ok(out));
}

/* Real changes whose mask would read as a special case go uncompressed. */
static void test_special_collisions(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();

	pair_init(&p, 15, true);
	rt(&p, &s);
	/* S W U = SPECIAL_I's mask */
	s.id++; s.seq += 1; s.win += 1; s.flags = PK_ACK | PK_URG; s.urp = 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	/* S A W U = SPECIAL_D's mask */
	s.id++; s.seq += 1; s.ack += 1; s.win += 1; s.urp = 2;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	/* and the stream carries on compressed */
	s.id++; s.ack += 1;
	expect_comp(&p, &s, "\x05", 1, "\x02\x01", 2);
}

/* --- what cannot be compressed ------------------------------------------------------ */

static void test_uncompressed_cases(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();
	static const uint8_t opt_a[4] = { 1, 1, 1, 1 }, opt_b[4] = { 1, 1, 1, 0 };

	pair_init(&p, 15, true);
	rt(&p, &s);
	/* identical segment again: a retransmission */
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	/* a bare ack, then data with nothing else moving: compressed, mask 0 */
	s.id++; s.datalen = 0; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_COMP);
	s.id++; s.datalen = 20;
	expect_comp(&p, &s, "\x00", 1, "", 0);
	/* ack going backwards / jumping more than 65535 */
	s.id++; s.ack -= 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.ack += 70000;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.seq += 0x10000;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	/* urgent pointer changed without URG */
	s.id++; s.urp = 5; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	/* TOS, TTL, DF, IP options, TCP options, ECE, reserved bits */
	s.id++; s.tos = 0x10; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.ttl = 32; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.frag = 0; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.ipopt = opt_a; s.ipoptlen = 4; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_COMP);	/* same options: fine */
	s.id++; s.ipopt = opt_b; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.tcpopt = opt_a; s.tcpoptlen = 4; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.tcpopt = opt_b; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_COMP);
	s.id++; s.flags = PK_ACK | 0x40; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.x2 = 1; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.ack += 1;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_COMP);
}

static void test_not_tcp_goes_as_ip(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();
	uint8_t pkt[256], out[256];
	size_t len, olen;

	pair_init(&p, 15, true);
	s.flags = PK_SYN;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_IP);
	s.flags = PK_SYN | PK_ACK;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_IP);
	s.flags = PK_FIN | PK_ACK;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_IP);
	s.flags = PK_RST | PK_ACK;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_IP);
	s.flags = PK_PSH;				/* no ACK */
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_IP);
	s.flags = PK_ACK; s.frag = 0x2000;		/* more fragments */
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_IP);
	s.frag = 0x0010;				/* a later fragment */
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_IP);
	assert_int_equal(p.c.stats.tcp, 0);

	/* ICMP, a truncated datagram, a length field that disagrees, IPv6 */
	len = pk_icmp_echo(pkt, 8, CLIENT, SERVER, 1, 1, 16);
	assert_int_equal(vj_compress(&p.c, pkt, len, out, sizeof(out), &olen), VJ_PROTO_IP);
	assert_int_equal(olen, len);
	assert_memory_equal(out, pkt, len);
	s.frag = 0;
	len = pk_tcp_build(pkt, &s);
	assert_int_equal(vj_compress(&p.c, pkt, 39, out, sizeof(out), &olen), VJ_PROTO_IP);
	assert_int_equal(vj_compress(&p.c, pkt, len - 1, out, sizeof(out), &olen), VJ_PROTO_IP);
	pkt[0] = 0x65;
	assert_int_equal(vj_compress(&p.c, pkt, len, out, sizeof(out), &olen), VJ_PROTO_IP);
	pkt[0] = 0x44;					/* ihl 4 */
	assert_int_equal(vj_compress(&p.c, pkt, len, out, sizeof(out), &olen), VJ_PROTO_IP);
	assert_int_equal(p.c.stats.tcp, 0);
	/* output smaller than the input */
	assert_int_equal(vj_compress(&p.c, pkt, len, out, len - 1, &olen), -EINVAL);

	/* VJ not negotiated (0 slots would be a bug; max 0 means one slot) */
	struct vj_comp none;
	memset(&none, 0, sizeof(none));
	pkt[0] = 0x45;
	assert_int_equal(vj_compress(&none, pkt, len, out, sizeof(out), &olen), VJ_PROTO_IP);
}

/* --- a whole conversation ---------------------------------------------------------- */

struct end {
	uint32_t addr;
	uint16_t port;
	uint32_t seq;
	uint16_t id, win;
};

static struct res send_seg(struct pair *p, struct end *from, struct end *to, size_t n,
			   bool push, uint8_t seed)
{
	struct pk_tcp s = { .src = from->addr, .dst = to->addr, .sport = from->port,
			    .dport = to->port, .seq = from->seq, .ack = to->seq,
			    .flags = (uint8_t)(PK_ACK | (push ? PK_PSH : 0)), .win = from->win,
			    .id = from->id++, .datalen = n, .data_seed = seed, .frag = 0x4000 };
	from->seq += (uint32_t)n;
	return rt(p, &s);
}

static void test_conversation(void **state)
{
	(void)state;
	struct pair up, down;		/* client -> server, server -> client */
	struct end cl = { CLIENT, 1025, 0xfffffe00u, 1, 8760 };	/* seq wraps on the way */
	struct end sv = { SERVER, 23, 77777, 5000, 4096 };
	struct res r;
	size_t raw = 0, sent = 0;

	pair_init(&up, 15, true);
	pair_init(&down, 15, true);
	/* telnet: keystroke, echo, ack -- 40 times */
	for (int i = 0; i < 40; i++) {
		r = send_seg(&up, &cl, &sv, 1, true, (uint8_t)i);
		raw += 41; sent += r.clen;
		if (i > 0)
			assert_int_equal(r.proto, VJ_PROTO_COMP);
		r = send_seg(&down, &sv, &cl, 1, true, (uint8_t)i);
		raw += 41; sent += r.clen;
		r = send_seg(&up, &cl, &sv, 0, false, 0);
		raw += 40; sent += r.clen;
		if (i > 0) {
			/* the bare ack after an echo: seq +1, ack +1 -> *SA, 3 octets */
			assert_int_equal(r.proto, VJ_PROTO_COMP);
			assert_int_equal(r.clen, 3);
			assert_int_equal(r.comp[0], 0x0b);
		}
	}
	/* bulk download: 512-octet segments, an ack every two with a window update */
	for (int i = 0; i < 64; i++) {
		r = send_seg(&down, &sv, &cl, 512, i % 4 == 3, (uint8_t)(i * 3));
		raw += 552; sent += r.clen;
		assert_int_equal(r.proto, VJ_PROTO_COMP);
		assert_true(r.clen <= 512 + 5);
		if (i % 2 == 1) {
			cl.win = (uint16_t)(cl.win + (i % 3 ? 512 : -1024));
			r = send_seg(&up, &cl, &sv, 0, false, 0);
			raw += 40; sent += r.clen;
			assert_int_equal(r.proto, VJ_PROTO_COMP);
		}
	}
	assert_true(up.c.stats.compressed + up.c.stats.uncompressed == up.c.stats.tcp);
	assert_int_equal(up.c.stats.uncompressed, 1);
	assert_int_equal(down.c.stats.uncompressed, 1);
	assert_int_equal(up.d.stats.errors + down.d.stats.errors, 0);
	assert_true(sent < raw);
	print_message("conversation: %zu octets of datagrams sent as %zu\n", raw, sent);
}

/* --- slots ---------------------------------------------------------------------------- */

static struct pk_tcp conn(unsigned n)
{
	struct pk_tcp s = base_seg();

	s.sport = (uint16_t)(2000 + n);
	return s;
}

static void test_slot_lru(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s[6];
	struct res r;

	pair_init(&p, 2, true);			/* three slots: 0 1 2 */
	for (unsigned i = 0; i < 6; i++)
		s[i] = conn(i);
	for (unsigned i = 0; i < 3; i++) {
		r = rt(&p, &s[i]);
		assert_int_equal(r.proto, VJ_PROTO_UNCOMP);
		assert_int_equal(r.comp[9], i);		/* unused slots in order */
	}
	/* use connection 0 again (compressed, names slot 0) */
	s[0].id++; s[0].ack++;
	r = rt(&p, &s[0]);
	assert_int_equal(r.proto, VJ_PROTO_COMP);
	assert_int_equal(r.comp[0], 0x44);
	assert_int_equal(r.comp[1], 0);
	/* a fourth connection takes the least recently used slot: 1 */
	r = rt(&p, &s[3]);
	assert_int_equal(r.proto, VJ_PROTO_UNCOMP);
	assert_int_equal(r.comp[9], 1);
	/* connection 1 lost its slot: it comes back uncompressed, taking slot 2 */
	s[1].id++; s[1].ack++;
	r = rt(&p, &s[1]);
	assert_int_equal(r.proto, VJ_PROTO_UNCOMP);
	assert_int_equal(r.comp[9], 2);
	/* connections 0, 3, 1 are all still compressible; 2 is not */
	s[0].id++; s[0].ack++;
	assert_int_equal(rt(&p, &s[0]).proto, VJ_PROTO_COMP);
	s[3].id++; s[3].ack++;
	assert_int_equal(rt(&p, &s[3]).proto, VJ_PROTO_COMP);
	s[1].id++; s[1].ack++;
	assert_int_equal(rt(&p, &s[1]).proto, VJ_PROTO_COMP);
	s[2].id++; s[2].ack++;
	r = rt(&p, &s[2]);
	assert_int_equal(r.proto, VJ_PROTO_UNCOMP);
	assert_int_equal(r.comp[9], 0);		/* 0 was the least recently used */
	assert_int_equal(p.c.stats.misses, 6);
	assert_int_equal(p.d.stats.errors, 0);
}

static void test_sixteen_slots(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s[17];
	struct res r;

	pair_init(&p, 15, false);
	for (unsigned i = 0; i < 17; i++) {
		s[i] = conn(i);
		r = rt(&p, &s[i]);
		assert_int_equal(r.comp[9], i % 16);
	}
	for (unsigned i = 1; i < 17; i++) {
		s[i].id++; s[i].ack += 2;
		r = rt(&p, &s[i]);
		assert_int_equal(r.proto, VJ_PROTO_COMP);
		assert_int_equal(r.comp[1], i % 16);
	}
	/* a max-slot-id beyond what we keep is clamped for the compressor */
	vj_comp_init(&p.c, 200, true);
	assert_int_equal(p.c.nslots, VJ_SLOTS);
}

static void test_cid_compression(void **state)
{
	(void)state;
	struct pair on, off;
	struct pk_tcp a = conn(1), b = conn(2);
	struct res r;

	pair_init(&on, 15, true);
	pair_init(&off, 15, false);
	rt(&on, &a); rt(&on, &b);
	rt(&off, &a); rt(&off, &b);
	/* b was the last sent: with slot-id compression its next packet omits the id */
	b.id++; b.ack++;
	r = rt(&on, &b);
	assert_int_equal(r.comp[0], 0x04);
	assert_int_equal(r.clen, 4 + 10);
	r = rt(&off, &b);
	assert_int_equal(r.comp[0], 0x44);
	assert_int_equal(r.comp[1], 1);
	assert_int_equal(r.clen, 5 + 10);
	/* switching to a: the id is always sent */
	a.id++; a.ack++;
	r = rt(&on, &a);
	assert_int_equal(r.comp[0], 0x44);
	assert_int_equal(r.comp[1], 0);
	r = rt(&off, &a);
	assert_int_equal(r.comp[0], 0x44);
	/* and a again: only the compressing side leaves it out */
	a.id++; a.ack++;
	assert_int_equal(rt(&on, &a).comp[0], 0x04);
	assert_int_equal(rt(&off, &a).comp[0], 0x44);
}

/* `ip tcp header-compression passive`: plain IP until the peer compresses */
static void test_passive(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();

	pair_init(&p, 15, true);
	vj_comp_set_passive(&p.c, true);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(rt(&p, &s).proto, VJ_PROTO_IP);
		s.id++; s.seq += 10;
	}
	assert_int_equal(p.c.stats.tcp, 0);
	vj_comp_peer_seen(&p.c);
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_UNCOMP);
	s.id++; s.seq += 10;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_COMP);
	/* a new IPCP negotiation starts passive again */
	vj_comp_init(&p.c, 15, true);
	vj_comp_set_passive(&p.c, true);
	assert_false(p.c.peer_seen);
}

/* --- errors, TOSS, resync --------------------------------------------------------- */

static int comp_only(struct vj_comp *c, const struct pk_tcp *s, uint8_t *out, size_t *olen)
{
	uint8_t pkt[2048];
	size_t len = pk_tcp_build(pkt, s);

	return vj_compress(c, pkt, len, out, 2048, olen);
}

static int decomp(struct vj_decomp *d, int proto, const uint8_t *in, size_t len)
{
	uint8_t out[2048 + VJ_DECOMP_EXTRA];
	size_t olen;

	return vj_decompress(d, (uint16_t)proto, in, len, out, sizeof(out), &olen);
}

static void test_lost_frame_toss_and_resync(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();
	uint8_t c[2048];
	size_t clen;
	int proto;

	pair_init(&p, 15, true);
	rt(&p, &s);
	s.id++; s.seq += 10;
	rt(&p, &s);
	/* this one is lost on the line (bad FCS): the link layer tells us */
	s.id++; s.seq += 10;
	proto = comp_only(&p.c, &s, c, &clen);
	assert_int_equal(proto, VJ_PROTO_COMP);
	vj_decomp_error(&p.d);
	/* the next compressed packet, without a slot id, is tossed */
	s.id++; s.seq += 10;
	proto = comp_only(&p.c, &s, c, &clen);
	assert_int_equal(proto, VJ_PROTO_COMP);
	assert_int_equal(c[0] & 0x40, 0);
	assert_int_equal(decomp(&p.d, proto, c, clen), -ENOENT);
	assert_int_equal(p.d.stats.tossed, 1);
	/* TCP retransmits the lost segment: seq goes back -> uncompressed -> resync */
	s.id++; s.seq -= 10;
	struct res r = rt(&p, &s);
	assert_int_equal(r.proto, VJ_PROTO_UNCOMP);
	assert_false(p.d.toss);
	s.id++; s.seq += 10;
	assert_int_equal(rt(&p, &s).proto, VJ_PROTO_COMP);
}

static void test_toss_after_error(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg(), t = conn(9);
	uint8_t c[2048];
	size_t clen;
	int proto;

	pair_init(&p, 15, true);
	/* a fresh decompressor tosses: nothing to decompress against */
	s.id++; s.ack++;
	const uint8_t early[] = { 0x04, 0x12, 0x34, 0x01 };
	assert_int_equal(decomp(&p.d, VJ_PROTO_COMP, early, sizeof(early)), -ENOENT);
	rt(&p, &s);
	rt(&p, &t);
	/* a truncated compressed packet: error, toss */
	const uint8_t trunc[] = { 0x04 };
	assert_int_equal(decomp(&p.d, VJ_PROTO_COMP, trunc, sizeof(trunc)), -EINVAL);
	assert_int_equal(p.d.stats.errors, 1);
	assert_true(p.d.toss);
	t.id++; t.ack++;
	proto = comp_only(&p.c, &t, c, &clen);
	assert_int_equal(c[0], 0x04);			/* no slot id */
	assert_int_equal(decomp(&p.d, proto, c, clen), -ENOENT);
	t.id++; t.ack++;
	proto = comp_only(&p.c, &t, c, &clen);
	assert_int_equal(decomp(&p.d, proto, c, clen), -ENOENT);
	assert_int_equal(p.d.stats.tossed, 3);
	/* a compressed packet naming its slot explicitly ends the toss (RFC 1144 4.2) */
	s.id++; s.ack++;
	assert_int_equal(rt(&p, &s).comp[0], 0x44);
	assert_false(p.d.toss);
	/* an error again; this time an uncompressed packet ends it */
	const uint8_t badslot[] = { 0x44, 16, 0, 0, 1 };
	assert_int_equal(decomp(&p.d, VJ_PROTO_COMP, badslot, sizeof(badslot)), -EINVAL);
	assert_true(p.d.toss);
	t.id++; t.ack += 0x20000;			/* too big a jump: uncompressed */
	assert_int_equal(rt(&p, &t).proto, VJ_PROTO_UNCOMP);
	assert_false(p.d.toss);
	assert_int_equal(p.d.stats.errors, 2);
}

static void test_malformed(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();
	uint8_t pkt[2048], out[2048 + VJ_DECOMP_EXTRA];
	size_t len, olen;

	pair_init(&p, 3, true);				/* slots 0..3 */
	assert_int_equal(decomp(&p.d, VJ_PROTO_COMP, NULL, 0), -EINVAL);
	/* explicit slot that was never set up */
	const uint8_t never[] = { 0x40, 2, 0, 0 };
	assert_int_equal(decomp(&p.d, VJ_PROTO_COMP, never, sizeof(never)), -EINVAL);
	/* slot beyond the negotiated maximum */
	const uint8_t beyond[] = { 0x40, 4, 0, 0 };
	assert_int_equal(decomp(&p.d, VJ_PROTO_COMP, beyond, sizeof(beyond)), -EINVAL);

	/* uncompressed-TCP problems */
	len = pk_tcp_build(pkt, &s);
	pkt[9] = 4;					/* slot 4 > max 3 */
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), -EINVAL);
	pkt[9] = 1;
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, 39), -EINVAL);
	pkt[0] = 0x46;					/* options claimed, none there */
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, 40), -EINVAL);
	pkt[0] = 0x55;
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), -EINVAL);
	pkt[0] = 0x45;
	pkt[32] = 0x40;					/* tcp data offset 4 */
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), -EINVAL);
	pkt[32] = 0xf0;					/* 60 octets of TCP header */
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), -EINVAL);
	pkt[32] = 0x50;
	pkt[3] = (uint8_t)(len + 1);			/* total length beyond the frame */
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), -EINVAL);
	pkt[3] = 39;					/* shorter than the headers */
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), -EINVAL);
	pkt[3] = (uint8_t)len;
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), 0);
	/* padding after the datagram is trimmed */
	assert_int_equal(vj_decompress(&p.d, VJ_PROTO_UNCOMP, pkt, len + 3, out, sizeof(out),
				       &olen), 0);
	assert_int_equal(olen, len);
	/* output too small */
	assert_int_equal(vj_decompress(&p.d, VJ_PROTO_UNCOMP, pkt, len, out, len - 1, &olen),
			 -ENOSPC);
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), 0);

	/* compressed: truncated at every field */
	const uint8_t full[] = { 0x67, 1, 0x12, 0x34, 0x05, 0x00, 0x01, 0x00, 0x07, 0x00, 0x00 };
	for (size_t n = 0; n <= sizeof(full); n++) {
		assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), 0);
		assert_int_equal(decomp(&p.d, VJ_PROTO_COMP, full, n), -EINVAL);
	}
	/* the last delta (IP id) in 3-octet form complete: accepted */
	const uint8_t ok[] = { 0x67, 1, 0x12, 0x34, 0x05, 0x00, 0x01, 0x00, 0x07, 0x00, 0x00, 0x02 };
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), 0);
	assert_int_equal(decomp(&p.d, VJ_PROTO_COMP, ok, sizeof(ok)), 0);
	/* the unused top bit of the change mask */
	const uint8_t top[] = { 0xc0, 1, 0, 0 };
	assert_int_equal(decomp(&p.d, VJ_PROTO_COMP, top, sizeof(top)), -EINVAL);
	/* other protocols are not ours */
	assert_int_equal(decomp(&p.d, 0x0057, pkt, len), -EPROTONOSUPPORT);
	/* plain IP passes through */
	assert_int_equal(vj_decompress(&p.d, VJ_PROTO_IP, pkt, len, out, sizeof(out), &olen), 0);
	assert_int_equal(olen, len);
	assert_memory_equal(out, pkt, len);
	/* a compressed datagram that would exceed 65535 octets */
	static uint8_t huge[70000];
	huge[0] = 0x40; huge[1] = 1;
	assert_int_equal(decomp(&p.d, VJ_PROTO_UNCOMP, pkt, len), 0);
	assert_int_equal(vj_decompress(&p.d, VJ_PROTO_COMP, huge, 65535, huge, sizeof(huge),
				       &olen), -EINVAL);
}

/* out may be the input buffer in both directions */
static void test_in_place(void **state)
{
	(void)state;
	struct pair p;
	struct pk_tcp s = base_seg();
	uint8_t orig[2048], buf[2048 + VJ_DECOMP_EXTRA];
	size_t len, clen, dlen;
	int proto;

	pair_init(&p, 15, true);
	s.datalen = 300;
	for (int i = 0; i < 4; i++) {
		len = pk_tcp_build(orig, &s);
		memcpy(buf, orig, len);
		proto = vj_compress(&p.c, buf, len, buf, sizeof(buf), &clen);
		assert_int_equal(proto, i == 0 ? VJ_PROTO_UNCOMP : VJ_PROTO_COMP);
		assert_int_equal(vj_decompress(&p.d, (uint16_t)proto, buf, clen, buf, sizeof(buf),
					       &dlen), 0);
		assert_int_equal(dlen, len);
		assert_memory_equal(buf, orig, len);
		assert_true(pk_ip_checksum_ok(buf));
		s.id++; s.seq += 300; s.data_seed++;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deltas),
		cmocka_unit_test(test_special_sa_interactive),
		cmocka_unit_test(test_special_s_data),
		cmocka_unit_test(test_special_collisions),
		cmocka_unit_test(test_special_clears_urg),
		cmocka_unit_test(test_uncompressed_cases),
		cmocka_unit_test(test_not_tcp_goes_as_ip),
		cmocka_unit_test(test_conversation),
		cmocka_unit_test(test_slot_lru),
		cmocka_unit_test(test_sixteen_slots),
		cmocka_unit_test(test_cid_compression),
		cmocka_unit_test(test_passive),
		cmocka_unit_test(test_lost_frame_toss_and_resync),
		cmocka_unit_test(test_toss_after_error),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
