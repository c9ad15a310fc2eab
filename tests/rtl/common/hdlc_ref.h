/*
 * hdlc_ref.h - independent reference models for the RTL testbenches (test only)
 *
 * RFC 1662 async HDLC and ISO 3309 bit-stuffed sync HDLC encoders/decoders,
 * written from the RFCs, not from the RTL.  FCS from drivers/card_msg.c.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_HDLC_REF_H
#define DIALBACK_HDLC_REF_H

#include <cstdint>
#include <vector>

#include "card_msg.h"

namespace hdlc_ref {

using bytes = std::vector<uint8_t>;

/* Content + FCS (ones' complement, low octet first). */
inline bytes with_fcs(const bytes &d, bool fcs32)
{
	bytes o = d;
	if (fcs32) {
		uint32_t f = ~fcs32_update(FCS32_INIT, d.data(), d.size());
		for (int i = 0; i < 4; i++)
			o.push_back((uint8_t)(f >> (8 * i)));
	} else {
		uint16_t f = (uint16_t)~fcs16_update(FCS16_INIT, d.data(), d.size());
		o.push_back((uint8_t)f);
		o.push_back((uint8_t)(f >> 8));
	}
	return o;
}

inline bool fcs_good(const bytes &d, bool fcs32)
{
	if (fcs32)
		return fcs32_update(FCS32_INIT, d.data(), d.size()) == FCS32_GOOD;
	return fcs16_update(FCS16_INIT, d.data(), d.size()) == FCS16_GOOD;
}

/* The B-channel's character stream (docs/card-protocol.md): 0xFF is idle, a
 * character 0xFF or 0x7D goes as 0x7D, char ^ 0x20. */
inline void ds0_put(bytes &line, uint8_t ch)
{
	if (ch == 0xFF || ch == 0x7D) {
		line.push_back(0x7D);
		line.push_back(ch ^ 0x20);
	} else
		line.push_back(ch);
}

/* Async: one frame (content + FCS) between flags, escaped per RFC 1662 4.2, as
 * characters on the character stream. */
inline void async_encode(bytes &line, const bytes &content, bool fcs32, uint32_t accm,
			 bool open_flag = true)
{
	if (open_flag)
		ds0_put(line, 0x7E);
	for (uint8_t b : with_fcs(content, fcs32)) {
		if (b == 0x7E || b == 0x7D || (b < 0x20 && ((accm >> b) & 1))) {
			ds0_put(line, 0x7D);
			ds0_put(line, b ^ 0x20);
		} else
			ds0_put(line, b);
	}
	ds0_put(line, 0x7E);
}

struct rx_frame {
	bytes data;		/* content without FCS when good */
	bool aborted = false;
	bool fcs_ok = false;
	bool aligned = true;	/* sync: ended on an octet boundary */
};

/* Async receiver over a line octet stream: the character stream decoded (idle
 * 0xFF dropped, 0x7D escapes undone), then frames between flags (empty ones
 * skipped), characters before the first flag ignored, no ACCM dropping. */
struct async_decoder {
	bool fcs32;
	bool synced = false, esc = false, ds0_esc = false;
	bytes cur;
	std::vector<rx_frame> frames;
	std::vector<int> flags_between;	/* flags seen between consecutive frames */
	int flag_run = 0;
	explicit async_decoder(bool f32) : fcs32(f32) {}
	void octet(uint8_t o)
	{
		if (o == 0xFF)
			return;			/* idle */
		if (ds0_esc) {
			ds0_esc = false;
			o ^= 0x20;
		} else if (o == 0x7D) {
			ds0_esc = true;
			return;
		}
		character(o);
	}
	void character(uint8_t b)
	{
		if (b == 0x7E) {
			if (synced && (esc || !cur.empty())) {
				rx_frame f;
				f.aborted = esc;
				f.fcs_ok = !esc && fcs_good(cur, fcs32);
				f.data = cur;
				if (f.fcs_ok)
					f.data.resize(cur.size() - (fcs32 ? 4 : 2));
				frames.push_back(f);
				flags_between.push_back(flag_run);
				flag_run = 0;
			}
			flag_run++;
			synced = true;
			esc = false;
			cur.clear();
			return;
		}
		if (!synced)
			return;
		if (b == 0x7D) {
			esc = true;
			return;
		}
		cur.push_back(esc ? (uint8_t)(b ^ 0x20) : b);
		esc = false;
	}
};

/* Sync: bit-stuffed encoder.  Bits LSB first; flags between frames. */
struct sync_encoder {
	std::vector<int> bits;
	int ones = 0;
	void raw(uint8_t b)
	{
		for (int i = 0; i < 8; i++)
			bits.push_back((b >> i) & 1);
		ones = 0;
	}
	void data(uint8_t b)
	{
		for (int i = 0; i < 8; i++) {
			int v = (b >> i) & 1;
			bits.push_back(v);
			ones = v ? ones + 1 : 0;
			if (ones == 5) {
				bits.push_back(0);
				ones = 0;
			}
		}
	}
	void frame(const bytes &content, bool fcs32)
	{
		raw(0x7E);
		for (uint8_t b : with_fcs(content, fcs32))
			data(b);
		raw(0x7E);
	}
	/* pack to octets (LSB first), padding with flags */
	bytes octets()
	{
		for (int i = 0; i < 8; i++)
			bits.push_back(1);	/* idle ones (seven or more: no frame) */
		while (bits.size() % 8)
			bits.push_back(1);
		bytes o;
		for (size_t i = 0; i + 8 <= bits.size(); i += 8) {
			uint8_t b = 0;
			for (int k = 0; k < 8; k++)
				b |= (uint8_t)(bits[i + k] << k);
			o.push_back(b);
		}
		return o;
	}
};

/* Sync receiver over line octets. */
struct sync_decoder {
	bool fcs32;
	bool synced = false;
	int ones = 0;
	std::vector<int> cur;	/* destuffed bits since the last flag */
	std::vector<rx_frame> frames;
	explicit sync_decoder(bool f32) : fcs32(f32) {}
	void bit(int v)
	{
		if (v) {
			ones++;
			if (ones >= 7) {
				if (synced && cur.size() > 7) {
					rx_frame f;
					f.aborted = true;
					frames.push_back(f);
				}
				synced = false;
				cur.clear();
				return;
			}
			cur.push_back(1);
			return;
		}
		if (ones == 6) {
			/* flag: the 7 bits 0111111 before this zero belong to it */
			if (synced && cur.size() >= 7 && cur.size() - 7 > 0) {
				size_t n = cur.size() - 7;
				rx_frame f;
				f.aligned = (n % 8) == 0;
				for (size_t i = 0; i + 8 <= n; i += 8) {
					uint8_t b = 0;
					for (int k = 0; k < 8; k++)
						b |= (uint8_t)(cur[i + k] << k);
					f.data.push_back(b);
				}
				f.fcs_ok = f.aligned && fcs_good(f.data, fcs32);
				if (f.fcs_ok)
					f.data.resize(f.data.size() - (fcs32 ? 4 : 2));
				frames.push_back(f);
			}
			synced = true;
			cur.clear();
			ones = 0;
			return;
		}
		if (ones == 5) {	/* stuffed zero */
			ones = 0;
			return;
		}
		ones = 0;
		cur.push_back(0);
	}
	void octet(uint8_t b)
	{
		for (int i = 0; i < 8; i++)
			bit((b >> i) & 1);
	}
};

} // namespace hdlc_ref

#endif
