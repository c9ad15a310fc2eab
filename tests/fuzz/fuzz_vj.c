/*
 * fuzz_vj.c - libFuzzer target for Van Jacobson header compression (RFC 1144).
 *
 * First input byte even: the decompressor gets random packets.  Records are
 * [selector][length][length bytes]: the selector picks 0x002D / 0x002F / 0x0021 /
 * another protocol or a lost frame; a record may also be a valid uncompressed-TCP
 * packet built from its bytes, so the compressed path runs against real slot state.
 * Every success must give a datagram with a good IP header checksum and no more than
 * input + VJ_DECOMP_EXTRA octets.
 *
 * First input byte odd: a round-trip property.  Each 16-byte record mutates a TCP
 * segment of one of four connections (seq/ack/window/urgent/id deltas, flags, TOS,
 * options, data length); the segment goes through compressor and decompressor and
 * must come back byte for byte.  Slot count and slot-id compression come from the
 * second byte.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ippkt.h"
#include "vj.h"

static uint8_t out[65536 + VJ_DECOMP_EXTRA];

static void fuzz_decompressor(const uint8_t *d, size_t n)
{
	struct vj_decomp dc;
	uint8_t pkt[600];
	size_t off = 0, olen;

	vj_decomp_init(&dc, n ? d[0] : 15);
	while (off + 2 <= n) {
		uint8_t sel = d[off], len = d[off + 1];
		const uint8_t *rec = d + off + 2;
		size_t rl = n - off - 2 < len ? n - off - 2 : len;
		uint16_t proto;
		int rc;

		off += 2 + rl;
		switch (sel & 7) {
		case 0: case 1: case 2:
			proto = VJ_PROTO_COMP;
			break;
		case 3:
			proto = VJ_PROTO_UNCOMP;
			break;
		case 4: {
			/* a well-formed uncompressed-TCP packet seeded from the record */
			struct pk_tcp s = { .src = 0x0a000001, .dst = 0x0a000002, .flags = PK_ACK };
			if (rl >= 12) {
				s.sport = (uint16_t)(rec[0] << 8 | rec[1]);
				s.seq = (uint32_t)rec[2] << 24 | (uint32_t)rec[3] << 8;
				s.ack = (uint32_t)rec[4] << 16 | rec[5];
				s.win = (uint16_t)(rec[6] << 8 | rec[7]);
				s.id = (uint16_t)(rec[8] << 8 | rec[9]);
				s.datalen = rec[10];
				s.flags = rec[11];
			}
			size_t pl = pk_tcp_build(pkt, &s);
			pkt[9] = (uint8_t)(sel >> 4);
			rc = vj_decompress(&dc, VJ_PROTO_UNCOMP, pkt, pl, out, sizeof(out), &olen);
			if (rc == 0 && (olen != pl || !pk_ip_checksum_ok(out)))
				__builtin_trap();
			continue;
		}
		case 5:
			vj_decomp_error(&dc);
			continue;
		case 6:
			proto = VJ_PROTO_IP;
			break;
		default:
			proto = (uint16_t)(sel << 8 | len);
			break;
		}
		/* the output room is the documented minimum, to catch overruns */
		rc = vj_decompress(&dc, proto, rec, rl, out, rl + VJ_DECOMP_EXTRA, &olen);
		if (rc == 0) {
			if (olen > rl + VJ_DECOMP_EXTRA)
				__builtin_trap();
			if (proto != VJ_PROTO_IP && !pk_ip_checksum_ok(out))
				__builtin_trap();
		}
	}
}

static void fuzz_roundtrip(const uint8_t *d, size_t n)
{
	struct vj_comp c;
	struct vj_decomp dc;
	struct pk_tcp conn[4];
	static const uint8_t opts[8] = { 1, 1, 8, 10, 0, 0, 0, 1 };
	static uint8_t pkt[2048], comp[2048];
	size_t clen, olen;
	uint8_t cfg = n > 1 ? d[1] : 0;

	vj_comp_init(&c, cfg & 0x0f, cfg & 0x10);
	vj_decomp_init(&dc, cfg & 0x0f);
	for (unsigned i = 0; i < 4; i++)
		conn[i] = (struct pk_tcp){ .src = 0x0a000001, .dst = 0xac101934,
					   .sport = (uint16_t)(1024 + i), .dport = 80,
					   .flags = PK_ACK, .win = 8192, .frag = 0x4000 };
	for (size_t off = 2; off + 16 <= n; off += 16) {
		const uint8_t *r = d + off;
		struct pk_tcp *s = &conn[r[0] & 3];
		uint8_t op = r[1];

		/* small deltas mostly, big ones sometimes */
		uint32_t ds = (uint32_t)(r[2] << 8 | r[3]), da = (uint32_t)(r[4] << 8 | r[5]);
		if (op & 0x01)
			ds <<= 8;
		if (op & 0x02)
			da = (uint32_t)-da;
		s->seq += ds;
		s->ack += da;
		if (op & 0x04)
			s->win = (uint16_t)(s->win + (r[6] << 8 | r[7]));
		if (op & 0x08)
			s->urp = (uint16_t)(r[8] << 8 | r[9]);
		s->id = (uint16_t)(s->id + ((op & 0x10) ? r[10] : 1));
		s->flags = (op & 0x20) ? r[11] : (uint8_t)(PK_ACK | (r[11] & (PK_PSH | PK_URG)));
		if (op & 0x40) {
			s->tcpoptlen = (r[12] & 1) ? 8 : 0;
			s->tcpopt = opts;
			s->tos = r[12] & 0x1c;
			s->x2 = (r[12] >> 5) & 1;
		}
		s->datalen = (size_t)(r[13] << 8 | r[14]) % 300;
		s->data_seed = r[15];
		if (op & 0x80) {
			vj_decomp_error(&dc);	/* a lost frame: only the next sync matters */
			vj_decomp_init(&dc, cfg & 0x0f);
			vj_comp_init(&c, cfg & 0x0f, cfg & 0x10);
		}

		size_t len = pk_tcp_build(pkt, s);
		int proto = vj_compress(&c, pkt, len, comp, sizeof(comp), &clen);
		if (proto < 0 || clen > len)
			__builtin_trap();
		int rc = vj_decompress(&dc, (uint16_t)proto, comp, clen, out, sizeof(out), &olen);
		if (rc != 0 || olen != len || memcmp(out, pkt, len) != 0)
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		fuzz_roundtrip(data, size);
	else
		fuzz_decompressor(data + 1, size - 1);
	return 0;
}
