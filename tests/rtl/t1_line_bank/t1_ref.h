/*
 * t1_ref.h - independent reference model of a T1 line for the t1_* RTL testbenches
 *
 * Written from ANSI T1.403 / T1.102 (not from the RTL): a far-end line generator
 * (ESF / SF framing, CRC-6 by polynomial long division, FDL, B8ZS / AMI line code
 * with error injection) and a line checker that decodes a captured symbol stream,
 * finds the frame alignment by brute force and checks framing, CRC-6 and payload.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef T1_REF_H
#define T1_REF_H

#include <array>
#include <cstdint>
#include <deque>
#include <random>
#include <vector>

namespace t1ref {

using Octets = std::array<uint8_t, 24>;

/* C1..C6 of a superframe (bits in transmission order, F bits already set to 1),
 * returned with C1 in bit 5. */
unsigned crc6(const std::vector<uint8_t> &bits);

/* Framing bit of 0-based frame h of an ESF superframe / SF superframe. */
extern const int FPS[6];        /* 0 0 1 0 1 1 */
extern const int SFPAT[12];     /* 1 0 0 0 1 1 0 1 1 1 0 0 */

class Generator {
public:
	explicit Generator(uint32_t seed) : rng(seed) {}
	/* configuration (may change between frames) */
	bool sf = false;             /* SF instead of ESF */
	bool b8zs = true;            /* B8ZS instead of AMI */
	bool ais = false;            /* unframed all ones */
	bool los = false;            /* no pulses at all (clock keeps running) */
	bool fdl_rai = false;        /* ESF: FDL carries 11111111 00000000 */
	bool sf_rai = false;         /* SF: bit 2 of every channel = 0 */
	int zero_pct = 25;           /* share of all-zero payload octets */
	bool no_zero_octets = false; /* AMI: keep zero runs short */
	int idle_octet = -1;         /* >= 0: timeslots 1..idle_slots carry this octet (idle) */
	int idle_slots = 24;
	/* injection requests, consumed as they are applied */
	int flip_fbit = 0;           /* flip the next N framing-pattern bits */
	int flip_fbit_gap = 0;       /* pattern bits to leave alone between flips */
	int corrupt_sf = 0;          /* flip one payload bit in each of N superframes (every other) */
	int bpv = 0;                 /* insert N bipolar violations */
	int zero_runs = 0;           /* N runs of 3 zero octets (AMI excess zeros) */
	/* results */
	uint64_t frames = 0;         /* framed frames generated */
	int bpv_done = 0, fbit_done = 0, crc_done = 0, zrun_done = 0;
	std::deque<std::pair<uint64_t, Octets>> history;   /* payload of recent frames */

	int next_symbol();           /* -1, 0, +1 */

private:
	std::mt19937 rng;
	std::deque<uint8_t> bitq;    /* bits not yet line coded */
	std::deque<int8_t> symq;     /* symbols ready to go */
	std::deque<uint8_t> subq;    /* per symbol in symq: part of a B8ZS substitution */
	int lastpol = -1;
	int lastpol_sent_ = -1;
	int h = 0;                   /* frame index within the superframe (0..23) */
	std::vector<uint8_t> sfbits; /* current ESF superframe, F bits as 1 */
	unsigned crc_prev = 0;
	unsigned fdl_idx = 0;
	int fbit_gap_left = 0;
	bool corrupt_this_sf = false, corrupt_skip = false;
	int since_sub = 100;
	void gen_frame();
	void encode_some();
};

/* Offline checker of a captured symbol stream. */
struct CheckResult {
	bool aligned = false;
	int bpv = 0;
	int crc_errors = 0, crc_checked = 0;
	int fbit_errors = 0;
	int rai_fdl_words = 0;       /* FDL 16-bit windows equal to 0xFF00 */
	int sf_rai_frames = 0;       /* SF frames with bit 2 = 0 in all channels */
	std::vector<Octets> frames;  /* payload of every complete frame, in order */
};
CheckResult check_line(const std::vector<int8_t> &syms, bool b8zs, bool sf);

} /* namespace t1ref */

#endif
