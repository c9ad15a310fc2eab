/*
 * vj.h - Van Jacobson TCP/IP header compression (RFC 1144) for PPP (RFC 1332)
 *
 * One compressor and one decompressor per PPP session, embedded in the session's
 * owner (no allocation, nothing global).  IPCP option 2 (`02 06 00 2D <max slot>
 * <comp slot>`) gives, per direction, the highest slot id the receiver keeps and
 * whether the connection-id octet may be left out; the seed negotiates "VJ 15 slots
 * CompressSlotID" (0x0F, 0x01).  Slots are 0..VJ_SLOTS-1, which covers max-slot-id
 * 15; a compressor told a larger max-slot-id simply uses VJ_SLOTS of them (the RFC
 * lets a compressor use fewer slots than the receiver keeps).
 *
 * PPP protocols:
 *   0x0021 IP              a datagram the compressor would not or could not compress
 *   0x002F uncompressed TCP the IP protocol octet carries the slot id; (re)synchronises
 *   0x002D compressed TCP   change mask, [slot id], TCP checksum, deltas, data
 *
 * Decompression recomputes the IP header checksum; the TCP checksum is carried.
 * After any error (malformed packet, unknown slot, a frame lost below) the
 * decompressor tosses compressed packets until one names its slot explicitly or an
 * uncompressed-TCP packet arrives, as RFC 1144 section 4.2 describes.  Every field
 * is read through a bounded cursor: bad input is counted, never a crash.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_VJ_H
#define DIALBACK_VJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VJ_SLOTS	16	/*!< slots per direction: max-slot-id 15, as the seed */
#define VJ_HDR_MAX	120	/*!< IP header (<= 60) + TCP header (<= 60) */
/* Output room vj_decompress() needs beyond the input length. */
#define VJ_DECOMP_EXTRA	VJ_HDR_MAX

#define VJ_PROTO_IP	0x0021
#define VJ_PROTO_COMP	0x002D
#define VJ_PROTO_UNCOMP	0x002F

/* One remembered TCP/IP header. */
struct vj_slot {
	uint8_t  hdr[VJ_HDR_MAX];	/*!< the last IP+TCP header seen on this slot */
	uint8_t  hlen;			/*!< IP header length + TCP header length */
	bool     valid;
	uint64_t used;			/*!< compressor: LRU stamp (0 = never used) */
};

struct vj_comp_stats {
	uint64_t packets;		/*!< datagrams offered */
	uint64_t tcp;			/*!< of which compressible TCP */
	uint64_t compressed;		/*!< sent as 0x002D */
	uint64_t uncompressed;		/*!< sent as 0x002F */
	uint64_t searches;		/*!< slot searches beyond the last used slot */
	uint64_t misses;		/*!< new connections (a slot taken over) */
};

struct vj_decomp_stats {
	uint64_t compressed;		/*!< 0x002D decompressed */
	uint64_t uncompressed;		/*!< 0x002F accepted */
	uint64_t errors;		/*!< malformed or unknown slot: toss started */
	uint64_t tossed;		/*!< compressed packets dropped while tossing */
};

struct vj_comp {
	struct vj_slot slot[VJ_SLOTS];
	uint8_t  nslots;		/*!< slots in use: min(max_slot_id + 1, VJ_SLOTS) */
	bool     compress_cid;		/*!< the peer lets us leave out the slot id */
	uint8_t  last_xmit;		/*!< slot of the last 0x002D/0x002F sent, 255 none */
	uint64_t clock;			/*!< LRU stamp source */
	bool     passive;		/*!< `ip tcp header-compression passive` */
	bool     peer_seen;		/*!< the peer has sent VJ: passive may compress */
	struct vj_comp_stats stats;
};

struct vj_decomp {
	struct vj_slot slot[VJ_SLOTS];
	uint8_t  nslots;		/*!< slot ids above nslots-1 are errors */
	bool     toss;			/*!< discard 0x002D without an explicit slot */
	uint8_t  last_recv;		/*!< slot of the last packet, 255 none */
	struct vj_decomp_stats stats;
};

/*
 * Initialise for the values IPCP negotiated.  Compressor: the PEER's option (what
 * it can receive).  Decompressor: OUR option as the peer acked it.  max_slot_id
 * is the option's octet (15 for "VJ 15 slots"); values >= VJ_SLOTS are clamped
 * for the compressor; for the decompressor slot ids beyond VJ_SLOTS-1 are errors,
 * so do not offer more than VJ_SLOTS-1.  Re-initialise on each IPCP up (this
 * clears the passive flag too: set it again after vj_comp_init).
 */
void vj_comp_init(struct vj_comp *c, uint8_t max_slot_id, bool compress_cid);
void vj_decomp_init(struct vj_decomp *d, uint8_t max_slot_id);

/*
 * `ip tcp header-compression passive`: send plain IP until the peer has sent
 * compressed TCP itself; report that with vj_comp_peer_seen() whenever a 0x002D or
 * 0x002F packet decompressed successfully.
 */
static inline void vj_comp_set_passive(struct vj_comp *c, bool passive) { c->passive = passive; }
static inline void vj_comp_peer_seen(struct vj_comp *c) { c->peer_seen = true; }

/*
 * Compress one IPv4 datagram `pkt` (len bytes) into `out` (out_size >= len; the
 * result is never longer than the input).  Returns the PPP protocol to send it with
 * (VJ_PROTO_IP, VJ_PROTO_UNCOMP or VJ_PROTO_COMP) and sets *out_len, or -EINVAL
 * when out_size < len.  Anything that is not a compressible TCP segment (not IPv4,
 * fragments, SYN/FIN/RST, no ACK, odd lengths) goes as VJ_PROTO_IP unchanged.
 */
int vj_compress(struct vj_comp *c, const uint8_t *pkt, size_t len,
		uint8_t *out, size_t out_size, size_t *out_len);

/*
 * Turn a received PPP payload of protocol `proto` (0x0021, 0x002D or 0x002F) back
 * into an IPv4 datagram in `out` (out_size >= len + VJ_DECOMP_EXTRA always
 * suffices).  Returns 0 and sets *out_len, or a negative errno: -EINVAL malformed
 * (counted in errors, toss set), -ENOENT tossed (counted), -EPROTONOSUPPORT an
 * unknown proto, -ENOSPC out too small.
 */
int vj_decompress(struct vj_decomp *d, uint16_t proto, const uint8_t *in, size_t len,
		  uint8_t *out, size_t out_size, size_t *out_len);

/* A frame was lost below (bad FCS, overrun): toss until resynchronised. */
void vj_decomp_error(struct vj_decomp *d);

#endif /* DIALBACK_VJ_H */
