/*
 * vj.c - Van Jacobson TCP/IP header compression (RFC 1144), both directions
 *
 * The compressor remembers, per slot, the last TCP/IP header of a connection and
 * sends only what changed: a change mask, the TCP checksum and small deltas of the
 * urgent pointer, window, ack, sequence number and IP id.  Two encodings cover the
 * common cases without any delta: SPECIAL_I (*SA, an echoed interactive segment:
 * seq and ack both advance by the previous segment's data length) and SPECIAL_D
 * (*S, a bulk data segment: seq advances by the previous segment's data length).
 * Whatever cannot be described this way goes as uncompressed TCP, which carries the
 * slot id in the IP protocol octet and resynchronises the receiver.
 *
 * Beyond RFC 1144, the compressor also sends uncompressed when TCP flags other than
 * PSH/URG or the reserved bits change (ECN's ECE/CWR did not exist in 1990), so that
 * decompression gives back exactly the original datagram.
 *
 * SPDX-License-Identifier: MIT
 */
#include "vj.h"

#include <errno.h>
#include <string.h>

/* The change mask (first octet of a compressed packet). */
enum {
	VJ_NEW_U	= 0x01,	/*!< urgent pointer follows (URG set) */
	VJ_NEW_W	= 0x02,	/*!< window delta */
	VJ_NEW_A	= 0x04,	/*!< ack delta */
	VJ_NEW_S	= 0x08,	/*!< sequence delta */
	VJ_PUSH		= 0x10,	/*!< TCP PSH flag */
	VJ_NEW_I	= 0x20,	/*!< IP id delta (otherwise id + 1) */
	VJ_NEW_C	= 0x40,	/*!< slot id follows */
	VJ_SPECIAL_I	= VJ_NEW_S | VJ_NEW_W | VJ_NEW_U,		/*!< *SA */
	VJ_SPECIAL_D	= VJ_NEW_S | VJ_NEW_A | VJ_NEW_W | VJ_NEW_U,	/*!< *S */
	VJ_SPECIALS	= 0x0f,
};

/* TCP flags. */
enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PSH = 0x08, TH_ACK = 0x10,
       TH_URG = 0x20 };

#define IP_PROTO_TCP	6
#define NO_SLOT		255

static inline uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}

/* Offsets into the IP and TCP headers. */
enum { IP_LEN = 2, IP_ID = 4, IP_OFF = 6, IP_TTL = 8, IP_PROTO = 9, IP_SUM = 10, IP_SRC = 12 };
enum { TCP_SEQ = 4, TCP_ACK = 8, TCP_OFF = 12, TCP_FLAGS = 13, TCP_WIN = 14, TCP_SUM = 16,
       TCP_URP = 18 };

static uint16_t ip_header_sum(const uint8_t *h, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		if (i != IP_SUM)
			sum += get16(h + i);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Header lengths of a TCP/IP datagram whose headers are all present, or false.
 * Checks only what both directions need; the compressor checks more.
 */
static bool tcpip_lengths(const uint8_t *p, size_t len, size_t *iphl, size_t *hlen)
{
	if (len < 40 || p[0] >> 4 != 4 || (p[0] & 0x0f) < 5)
		return false;
	*iphl = (size_t)(p[0] & 0x0f) * 4;
	if (len < *iphl + 20)
		return false;
	const uint8_t *tcp = p + *iphl;
	if (tcp[TCP_OFF] >> 4 < 5)
		return false;
	*hlen = *iphl + (size_t)(tcp[TCP_OFF] >> 4) * 4;
	return *hlen <= len;
}

/* --- compressor ------------------------------------------------------------------- */

void vj_comp_init(struct vj_comp *c, uint8_t max_slot_id, bool compress_cid)
{
	memset(c, 0, sizeof(*c));
	c->nslots = max_slot_id >= VJ_SLOTS ? VJ_SLOTS : (uint8_t)(max_slot_id + 1);
	c->compress_cid = compress_cid;
	c->last_xmit = NO_SLOT;
}

/* Same connection: addresses (IP 12..19) and ports (TCP 0..3). */
static bool same_conn(const struct vj_slot *s, const uint8_t *pkt, size_t iphl)
{
	size_t siphl = (size_t)(s->hdr[0] & 0x0f) * 4;

	return s->valid && memcmp(s->hdr + IP_SRC, pkt + IP_SRC, 8) == 0 &&
	       memcmp(s->hdr + siphl, pkt + iphl, 4) == 0;
}

static unsigned find_slot(struct vj_comp *c, const uint8_t *pkt, size_t iphl, bool *found)
{
	unsigned victim = 0;

	if (c->last_xmit < c->nslots && same_conn(&c->slot[c->last_xmit], pkt, iphl)) {
		*found = true;
		return c->last_xmit;
	}
	c->stats.searches++;
	for (unsigned i = 0; i < c->nslots; i++) {
		if (same_conn(&c->slot[i], pkt, iphl)) {
			*found = true;
			return i;
		}
		/* unused slots (stamp 0) first, lowest index first; then least recently used */
		if (c->slot[i].used < c->slot[victim].used)
			victim = i;
	}
	*found = false;
	c->stats.misses++;
	return victim;
}

/* Append a delta: 1..255 in one octet, 0 or 256..65535 as 00 hi lo. */
static uint8_t *put_delta(uint8_t *p, uint32_t v)
{
	if (v == 0 || v > 255) {
		*p++ = 0;
		put16(p, (uint16_t)v);
		return p + 2;
	}
	*p++ = (uint8_t)v;
	return p;
}

/* Everything but id, length and checksums must be as in the slot. */
static bool header_matches(const struct vj_slot *s, const uint8_t *pkt, size_t iphl, size_t hlen)
{
	const uint8_t *o = s->hdr, *ot = s->hdr + iphl, *nt = pkt + iphl;

	if (s->hlen != hlen || memcmp(o, pkt, 2) != 0 || memcmp(o + IP_OFF, pkt + IP_OFF, 4) != 0)
		return false;
	if (memcmp(o + 20, pkt + 20, iphl - 20) != 0)			/* IP options */
		return false;
	if (ot[TCP_OFF] != nt[TCP_OFF] ||
	    (ot[TCP_FLAGS] & ~(TH_PSH | TH_URG)) != (nt[TCP_FLAGS] & ~(TH_PSH | TH_URG)))
		return false;
	return memcmp(ot + 20, nt + 20, hlen - iphl - 20) == 0;	/* TCP options */
}

static void slot_save(struct vj_comp *c, unsigned i, const uint8_t *pkt, size_t hlen)
{
	struct vj_slot *s = &c->slot[i];

	memcpy(s->hdr, pkt, hlen);
	s->hlen = (uint8_t)hlen;
	s->valid = true;
	s->used = ++c->clock;
}

int vj_compress(struct vj_comp *c, const uint8_t *pkt, size_t len,
		uint8_t *out, size_t out_size, size_t *out_len)
{
	size_t iphl, hlen;
	uint8_t deltas[16], *dp = deltas, *p;
	bool found;

	if (out_size < len)
		return -EINVAL;
	c->stats.packets++;
	*out_len = len;
	if (c->nslots == 0 || (c->passive && !c->peer_seen) || !tcpip_lengths(pkt, len, &iphl, &hlen) ||
	    pkt[IP_PROTO] != IP_PROTO_TCP || get16(pkt + IP_LEN) != len ||
	    (get16(pkt + IP_OFF) & 0x3fff) != 0 ||
	    (pkt[iphl + TCP_FLAGS] & (TH_SYN | TH_FIN | TH_RST | TH_ACK)) != TH_ACK) {
		memmove(out, pkt, len);
		return VJ_PROTO_IP;
	}
	c->stats.tcp++;

	unsigned idx = find_slot(c, pkt, iphl, &found);
	struct vj_slot *s = &c->slot[idx];
	const uint8_t *nt = pkt + iphl, *ot = s->hdr + iphl;
	unsigned changes = 0;

	if (!found || !header_matches(s, pkt, iphl, hlen))
		goto uncompressed;

	if (nt[TCP_FLAGS] & TH_URG) {
		dp = put_delta(dp, get16(nt + TCP_URP));
		changes |= VJ_NEW_U;
	} else if (get16(nt + TCP_URP) != get16(ot + TCP_URP)) {
		goto uncompressed;
	}
	uint16_t dw = (uint16_t)(get16(nt + TCP_WIN) - get16(ot + TCP_WIN));
	if (dw) {
		dp = put_delta(dp, dw);
		changes |= VJ_NEW_W;
	}
	uint32_t da = get32(nt + TCP_ACK) - get32(ot + TCP_ACK);
	if (da) {
		if (da > 0xffff)
			goto uncompressed;
		dp = put_delta(dp, da);
		changes |= VJ_NEW_A;
	}
	uint32_t ds = get32(nt + TCP_SEQ) - get32(ot + TCP_SEQ);
	if (ds) {
		if (ds > 0xffff)
			goto uncompressed;
		dp = put_delta(dp, ds);
		changes |= VJ_NEW_S;
	}

	uint16_t old_len = get16(s->hdr + IP_LEN);
	uint32_t old_data = (uint32_t)(old_len - hlen);	/* old_len >= hlen: checked on save */
	/* RFC 1144's decompressor keeps the old URG flag in the special cases: only use
	 * them when the previous segment had URG clear too (ours clears it) */
	bool special_ok = !(ot[TCP_FLAGS] & TH_URG);
	switch (changes) {
	case 0:
		/* Nothing moved: a data segment after a bare ack (interactive traffic) is
		 * worth compressing; anything else is a retransmission or a window probe,
		 * sent uncompressed so a receiver that lost state resynchronises. */
		if (len != old_len && old_len == hlen)
			break;
		goto uncompressed;
	case VJ_SPECIAL_I:
	case VJ_SPECIAL_D:
		/* real changes that look like a special encoding */
		goto uncompressed;
	case VJ_NEW_S | VJ_NEW_A:
		if (special_ok && ds == da && ds == old_data) {	/* echoed interactive traffic */
			changes = VJ_SPECIAL_I;
			dp = deltas;
		}
		break;
	case VJ_NEW_S:
		if (special_ok && ds == old_data) {			/* unidirectional data */
			changes = VJ_SPECIAL_D;
			dp = deltas;
		}
		break;
	default:
		break;
	}
	uint16_t di = (uint16_t)(get16(pkt + IP_ID) - get16(s->hdr + IP_ID));
	if (di != 1) {
		dp = put_delta(dp, di);
		changes |= VJ_NEW_I;
	}
	if (nt[TCP_FLAGS] & TH_PSH)
		changes |= VJ_PUSH;

	uint8_t sum[2] = { nt[TCP_SUM], nt[TCP_SUM + 1] };
	slot_save(c, idx, pkt, hlen);
	/* out may be pkt itself: the header is saved, the data moves down */
	p = out;
	if (!c->compress_cid || c->last_xmit != idx) {
		*p++ = (uint8_t)(changes | VJ_NEW_C);
		*p++ = (uint8_t)idx;
		c->last_xmit = (uint8_t)idx;
	} else {
		*p++ = (uint8_t)changes;
	}
	*p++ = sum[0];
	*p++ = sum[1];
	memcpy(p, deltas, (size_t)(dp - deltas));
	p += dp - deltas;
	memmove(p, pkt + hlen, len - hlen);
	*out_len = (size_t)(p - out) + (len - hlen);
	c->stats.compressed++;
	return VJ_PROTO_COMP;

uncompressed:
	slot_save(c, idx, pkt, hlen);
	c->last_xmit = (uint8_t)idx;
	memmove(out, pkt, len);
	out[IP_PROTO] = (uint8_t)idx;
	c->stats.uncompressed++;
	return VJ_PROTO_UNCOMP;
}

/* --- decompressor ----------------------------------------------------------------- */

void vj_decomp_init(struct vj_decomp *d, uint8_t max_slot_id)
{
	memset(d, 0, sizeof(*d));
	d->nslots = max_slot_id >= VJ_SLOTS ? VJ_SLOTS : (uint8_t)(max_slot_id + 1);
	d->last_recv = NO_SLOT;
	d->toss = true;		/* nothing to decompress against yet */
}

void vj_decomp_error(struct vj_decomp *d)
{
	d->toss = true;
}

/* A bounded reader: every get fails once the input is used up. */
struct cursor {
	const uint8_t *p;
	size_t left;
};

static bool cur_u8(struct cursor *c, uint8_t *v)
{
	if (c->left < 1)
		return false;
	*v = *c->p++;
	c->left--;
	return true;
}

static bool cur_u16(struct cursor *c, uint16_t *v)
{
	if (c->left < 2)
		return false;
	*v = get16(c->p);
	c->p += 2;
	c->left -= 2;
	return true;
}

static bool cur_delta(struct cursor *c, uint16_t *v)
{
	uint8_t b;

	if (!cur_u8(c, &b))
		return false;
	if (b != 0) {
		*v = b;
		return true;
	}
	return cur_u16(c, v);
}

static int bad(struct vj_decomp *d)
{
	d->stats.errors++;
	d->toss = true;
	return -EINVAL;
}

static int decomp_uncompressed(struct vj_decomp *d, const uint8_t *in, size_t len,
			       uint8_t *out, size_t out_size, size_t *out_len)
{
	size_t iphl, hlen;

	if (!tcpip_lengths(in, len, &iphl, &hlen) || in[IP_PROTO] >= d->nslots)
		return bad(d);
	size_t tot = get16(in + IP_LEN);
	if (tot < hlen || tot > len)
		return bad(d);
	if (out_size < tot) {
		d->stats.errors++;
		d->toss = true;
		return -ENOSPC;
	}
	unsigned idx = in[IP_PROTO];
	struct vj_slot *s = &d->slot[idx];

	memmove(out, in, tot);
	out[IP_PROTO] = IP_PROTO_TCP;
	memcpy(s->hdr, out, hlen);
	s->hlen = (uint8_t)hlen;
	s->valid = true;
	d->last_recv = (uint8_t)idx;
	d->toss = false;
	d->stats.uncompressed++;
	*out_len = tot;
	return 0;
}

static int decomp_compressed(struct vj_decomp *d, const uint8_t *in, size_t len,
			     uint8_t *out, size_t out_size, size_t *out_len)
{
	struct cursor cur = { in, len };
	uint8_t changes, idx, hdr[VJ_HDR_MAX];
	uint16_t v;

	if (!cur_u8(&cur, &changes) || (changes & 0x80))
		return bad(d);
	if (changes & VJ_NEW_C) {
		if (!cur_u8(&cur, &idx) || idx >= d->nslots)
			return bad(d);
		d->toss = false;
		d->last_recv = idx;
	} else if (d->toss) {
		d->stats.tossed++;
		return -ENOENT;
	} else {
		idx = d->last_recv;
	}
	struct vj_slot *s = &d->slot[idx];
	if (!s->valid)
		return bad(d);

	size_t hlen = s->hlen, iphl = (size_t)(s->hdr[0] & 0x0f) * 4;
	uint8_t *tcp = hdr + iphl;
	memcpy(hdr, s->hdr, hlen);

	if (!cur_u16(&cur, &v))
		return bad(d);
	put16(tcp + TCP_SUM, v);
	if (changes & VJ_PUSH)
		tcp[TCP_FLAGS] |= TH_PSH;
	else
		tcp[TCP_FLAGS] &= (uint8_t)~TH_PSH;

	uint32_t prev_data = (uint32_t)(get16(hdr + IP_LEN) - hlen);
	switch (changes & VJ_SPECIALS) {
	case VJ_SPECIAL_I:
		/* a special case means no urgent data (NEW_U is part of its mask) */
		tcp[TCP_FLAGS] &= (uint8_t)~TH_URG;
		put32(tcp + TCP_ACK, get32(tcp + TCP_ACK) + prev_data);
		put32(tcp + TCP_SEQ, get32(tcp + TCP_SEQ) + prev_data);
		break;
	case VJ_SPECIAL_D:
		tcp[TCP_FLAGS] &= (uint8_t)~TH_URG;
		put32(tcp + TCP_SEQ, get32(tcp + TCP_SEQ) + prev_data);
		break;
	default:
		if (changes & VJ_NEW_U) {
			if (!cur_delta(&cur, &v))
				return bad(d);
			put16(tcp + TCP_URP, v);
			tcp[TCP_FLAGS] |= TH_URG;
		} else {
			tcp[TCP_FLAGS] &= (uint8_t)~TH_URG;
		}
		if (changes & VJ_NEW_W) {
			if (!cur_delta(&cur, &v))
				return bad(d);
			put16(tcp + TCP_WIN, (uint16_t)(get16(tcp + TCP_WIN) + v));
		}
		if (changes & VJ_NEW_A) {
			if (!cur_delta(&cur, &v))
				return bad(d);
			put32(tcp + TCP_ACK, get32(tcp + TCP_ACK) + v);
		}
		if (changes & VJ_NEW_S) {
			if (!cur_delta(&cur, &v))
				return bad(d);
			put32(tcp + TCP_SEQ, get32(tcp + TCP_SEQ) + v);
		}
		break;
	}
	if (changes & VJ_NEW_I) {
		if (!cur_delta(&cur, &v))
			return bad(d);
	} else {
		v = 1;
	}
	put16(hdr + IP_ID, (uint16_t)(get16(hdr + IP_ID) + v));

	size_t tot = hlen + cur.left;
	if (tot > 0xffff)
		return bad(d);
	if (out_size < tot) {
		d->stats.errors++;
		d->toss = true;
		return -ENOSPC;
	}
	put16(hdr + IP_LEN, (uint16_t)tot);
	put16(hdr + IP_SUM, ip_header_sum(hdr, iphl));
	memcpy(s->hdr, hdr, hlen);
	/* data first: out may be in itself, and the header is longer than what it replaced */
	memmove(out + hlen, cur.p, cur.left);
	memcpy(out, hdr, hlen);
	*out_len = tot;
	d->stats.compressed++;
	return 0;
}

int vj_decompress(struct vj_decomp *d, uint16_t proto, const uint8_t *in, size_t len,
		  uint8_t *out, size_t out_size, size_t *out_len)
{
	switch (proto) {
	case VJ_PROTO_IP:
		if (out_size < len)
			return -ENOSPC;
		memmove(out, in, len);
		*out_len = len;
		return 0;
	case VJ_PROTO_UNCOMP:
		return decomp_uncompressed(d, in, len, out, out_size, out_len);
	case VJ_PROTO_COMP:
		return decomp_compressed(d, in, len, out, out_size, out_len);
	default:
		return -EPROTONOSUPPORT;
	}
}
