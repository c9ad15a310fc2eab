/*
 * t1_ref.cpp - independent reference model of a T1 line (see t1_ref.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "t1_ref.h"

#include <cstdio>
#include <cstdlib>

namespace t1ref {

const int FPS[6] = {0, 0, 1, 0, 1, 1};
const int SFPAT[12] = {1, 0, 0, 0, 1, 1, 0, 1, 1, 1, 0, 0};

unsigned crc6(const std::vector<uint8_t> &bits)
{
	/* remainder of M(x) * x^6 divided by x^6 + x + 1, by long division */
	static const uint8_t gen[7] = {1, 0, 0, 0, 0, 1, 1};
	std::vector<uint8_t> w(bits);
	w.resize(bits.size() + 6, 0);
	for (size_t i = 0; i < bits.size(); i++)
		if (w[i])
			for (int j = 0; j < 7; j++)
				w[i + j] ^= gen[j];
	unsigned r = 0;
	for (int j = 0; j < 6; j++)
		r = (r << 1) | w[bits.size() + j];
	return r;
}

void Generator::gen_frame()
{
	std::vector<uint8_t> fr(193);
	if (ais) {
		for (auto &b : fr) b = 1;
		for (auto b : fr) bitq.push_back(b);
		return;
	}
	Octets oct;
	for (int t = 0; t < 24; t++) {
		int z = (int)(rng() % 100);
		uint8_t v = (uint8_t)rng();
		if (no_zero_octets) v |= (uint8_t)(1u << (rng() % 8));
		else if (z < zero_pct) v = 0;
		if (idle_octet >= 0 && t < idle_slots) v = (uint8_t)idle_octet;
		if (zero_runs > 0 && t >= 4 && t < 7) v = 0;
		if (sf && sf_rai) v &= 0xBF;
		oct[t] = v;
	}
	if (zero_runs > 0) { zero_runs--; zrun_done++; }
	int fh = sf ? h % 12 : h;
	int fbit;
	bool pattern = false;
	if (sf) {
		fbit = SFPAT[fh];
		pattern = true;
	} else if (fh % 2 == 0) {
		/* FDL: RAI 8 ones + 8 zeros, else HDLC flags 01111110 */
		unsigned k = fdl_idx++;
		fbit = fdl_rai ? ((k % 16) < 8) : ((k % 8) != 0 && (k % 8) != 7);
	} else if (fh % 4 == 1) {
		fbit = (crc_prev >> (5 - (fh - 1) / 4)) & 1;
	} else {
		fbit = FPS[(fh - 3) / 4];
		pattern = true;
	}
	if (pattern && flip_fbit > 0) {
		if (fbit_gap_left > 0) {
			fbit_gap_left--;
		} else {
			fbit ^= 1;
			flip_fbit--;
			fbit_done++;
			fbit_gap_left = flip_fbit_gap;
		}
	}
	fr[0] = (uint8_t)fbit;
	for (int t = 0; t < 24; t++)
		for (int b = 0; b < 8; b++)
			fr[1 + t * 8 + b] = (oct[t] >> (7 - b)) & 1;
	history.emplace_back(frames, oct);
	if (history.size() > 4000) history.pop_front();
	frames++;
	if (!sf) {
		if (h == 0) {
			sfbits.clear();
			corrupt_this_sf = false;
			if (corrupt_sf > 0) {
				if (corrupt_skip) corrupt_skip = false;
				else { corrupt_this_sf = true; corrupt_sf--; crc_done++; corrupt_skip = true; }
			}
		}
		sfbits.push_back(1);
		for (int i = 1; i < 193; i++) sfbits.push_back(fr[i]);
		if (h == 23) crc_prev = crc6(sfbits);
		if (corrupt_this_sf && h == 10) fr[1 + 8 * 5 + 3] ^= 1;
	}
	h = (h + 1) % 24;
	for (auto b : fr) bitq.push_back(b);
}

void Generator::encode_some()
{
	while (bitq.size() < 16) gen_frame();
	bool allzero = true;
	for (int i = 0; i < 8; i++) if (bitq[i]) { allzero = false; break; }
	if (b8zs && allzero) {
		/* 000VB0VB, V the polarity of the last pulse, B the opposite */
		const int p = lastpol;
		const int seq[8] = {0, 0, 0, p, -p, 0, -p, p};
		for (int i = 0; i < 8; i++) { symq.push_back((int8_t)seq[i]); subq.push_back(1); bitq.pop_front(); }
		/* the last pulse sent was p: unchanged */
		return;
	}
	uint8_t b = bitq.front();
	bitq.pop_front();
	if (b) { lastpol = -lastpol; symq.push_back((int8_t)lastpol); }
	else symq.push_back(0);
	subq.push_back(0);
}

int Generator::next_symbol()
{
	if (los) return 0;
	while (symq.size() < 10) encode_some();
	int s = symq.front();
	uint8_t sub = subq.front();
	symq.pop_front();
	subq.pop_front();
	since_sub = sub ? 0 : since_sub + 1;
	/* a BPV: a zero (not near a substitution) sent as a pulse of the last polarity */
	if (bpv > 0 && s == 0 && !sub && since_sub > 8 && !subq[0] && !subq[1] && !subq[2] &&
	    !subq[3] && !subq[4] && !subq[5] && !subq[6] && !subq[7] && !subq[8]) {
		bpv--;
		bpv_done++;
		return lastpol_sent_;
	}
	if (s) lastpol_sent_ = s;
	return s;
}

CheckResult check_line(const std::vector<int8_t> &syms, bool b8zs, bool sf)
{
	CheckResult r;
	/* line decode: B8ZS substitutions relative to the last pulse */
	std::vector<uint8_t> bits;
	int prev = 0;
	size_t i = 0;
	while (i < syms.size()) {
		if (i + 8 > syms.size()) break;	/* a substitution may be cut off */
		if (b8zs && prev != 0 && syms[i] == 0 && syms[i + 1] == 0 &&
		    syms[i + 2] == 0 && syms[i + 3] == prev && syms[i + 4] == -prev && syms[i + 5] == 0 &&
		    syms[i + 6] == -prev && syms[i + 7] == prev) {
			for (int k = 0; k < 8; k++) bits.push_back(0);
			i += 8;
			continue;
		}
		int s = syms[i++];
		if (s) {
			if (s == prev && i > 16) {	/* not in a cut-off substitution */
				r.bpv++;
				if (getenv("T1DBG")) { fprintf(stderr, "bpv at %zu of %zu:", i, syms.size()); for (size_t k = i > 20 ? i - 20 : 0; k < i + 4 && k < syms.size(); k++) fprintf(stderr, " %d", syms[k]); fprintf(stderr, "\n"); }
			}
			prev = s;
		}
		bits.push_back(s != 0);
	}
	/* alignment: the one offset/phase where every pattern bit fits */
	const int N = sf ? 12 : 24;
	int nfound = 0, best_o = -1, best_p = -1;
	for (int o = 0; o < 193; o++) {
		int nf = (int)((bits.size() - o) / 193);
		if (nf < 2 * N) continue;
		for (int p = 0; p < N; p++) {
			bool ok = true;
			for (int j = 0; j < nf && ok; j++) {
				int fh = (j + p) % N;
				int f = bits[o + 193 * j];
				if (sf) ok = f == SFPAT[fh];
				else if (fh % 4 == 3) ok = f == FPS[fh / 4];
			}
			if (ok) { nfound++; best_o = o; best_p = p; }
		}
	}
	if (nfound != 1) return r;
	r.aligned = true;
	int nf = (int)((bits.size() - best_o) / 193);
	unsigned fdl = 0;
	int fdl_n = 0;
	std::vector<uint8_t> sfb;
	int have_crc = -1;          /* CRC of the last complete superframe */
	unsigned cb = 0;
	for (int j = 0; j < nf; j++) {
		const uint8_t *fr = &bits[best_o + 193 * j];
		int fh = (j + best_p) % N;
		Octets o;
		bool rai = true;
		for (int t = 0; t < 24; t++) {
			unsigned v = 0;
			for (int b = 0; b < 8; b++) v = (v << 1) | fr[1 + 8 * t + b];
			o[t] = (uint8_t)v;
			if (v & 0x40) rai = false;
		}
		r.frames.push_back(o);
		if (sf) {
			if (rai) r.sf_rai_frames++;
			continue;
		}
		if (fh == 0) sfb.clear();
		sfb.push_back(1);
		sfb.insert(sfb.end(), fr + 1, fr + 193);
		if (fh % 2 == 0) {
			fdl = ((fdl << 1) | fr[0]) & 0xFFFF;
			if (++fdl_n >= 16 && fdl == 0xFF00) r.rai_fdl_words++;
		} else if (fh % 4 == 1) {
			cb = (cb << 1) | fr[0];
			if (fh == 21 && have_crc >= 0) {
				r.crc_checked++;
				if ((cb & 0x3F) != (unsigned)have_crc) r.crc_errors++;
			}
		}
		if (fh == 23) {
			if ((int)sfb.size() == 24 * 193) have_crc = (int)crc6(sfb);
			else have_crc = -1;
		}
	}
	return r;
}

} /* namespace t1ref */
