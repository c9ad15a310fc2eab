/*
 * tb.cpp - card_top system test: FT232H FIFO pins <-> card <-> DS0 loopback
 *
 * Drives the card only through its FT232H pins (ft232h_model.h) with messages
 * built by drivers/card_msg.c, loops every timeslot back through the stand-in
 * line bank (tests/rtl/common/t1_line_bank_stub.v, DPI line_tap), and checks:
 *  - VERSION, REG_WRITE/REG_READ, SPAN_CONFIG/SPAN_QUERY, TS_MAP;
 *  - the parser resynchronising after garbage and corrupted messages (every
 *    good ECHO answered, in order; HOST_ERRORs counted);
 *  - async HDLC (FCS-16/32, ACCM all-ones/zero/mixed, CARD_TX_FULL_ACCM,
 *    every octet value, back-to-back frames sharing a flag) and sync HDLC
 *    (bit stuffing, random data) frames come back intact with status OK, and
 *    the octets on the line decode, with an independent RFC 1662 / ISO 3309
 *    reference, to the frames sent with a good FCS;
 *  - a corrupted line octet gives RX_EOF BAD_FCS, never a good frame;
 *  - injected line streams: runt, too long (MRU), abort, bad FCS, ACCM
 *    dropping, sync abort;
 *  - credits: TX_CREDIT is absolute and monotonic, never above what was sent;
 *    overflow -> CHAN_EVENT TX_OVERFLOW; underrun -> CHAN_EVENT TX_UNDERRUN +
 *    RX_EOF ABORT; CHAN_CONFIG flushes and counts flushed octets as consumed.
 *
 * SPDX-License-Identifier: MIT
 */
#include <map>

#ifndef TB_SPANS
#define TB_SPANS 2
#endif
#ifndef TB_TX_BUF		/* card_top's TX_BUF_BYTES, RX_CHUNK and ring entries (-G) */
#define TB_TX_BUF 64
#endif
#ifndef TB_RX_CHUNK
#define TB_RX_CHUNK 32
#endif
#ifndef TB_TXQ
#define TB_TXQ 128
#endif

#include "Vcard_top__Dpi.h"
#include "card_harness.h"

/* ---------------- line tap (DPI from the stand-in line bank) ---------------- */
struct tap_state {
	std::vector<uint8_t> rec[NCH];		/* octets sent per timeslot index */
	std::deque<uint8_t> inject[NCH];	/* replace the line octets of a timeslot */
	bool injecting[NCH] = {};
	uint8_t inject_idle[NCH] = {};
	int corrupt_ts = -1;			/* flip the first marker octet seen here */
	uint8_t corrupt_marker = 0;
	bool corrupted = false;
};
static tap_state g_tap;

extern "C" int line_tap(int span, int ts, int octet)
{
	int i = span * 24 + ts;
	if (i < 0 || i >= NCH)
		return octet;
	uint8_t o = (uint8_t)octet;
	g_tap.rec[i].push_back(o);
	if (i == g_tap.corrupt_ts && !g_tap.corrupted && o == g_tap.corrupt_marker) {
		g_tap.corrupted = true;
		return o ^ 0x01;
	}
	if (g_tap.injecting[i]) {
		if (g_tap.inject[i].empty())
			return g_tap.inject_idle[i];
		o = g_tap.inject[i].front();
		g_tap.inject[i].pop_front();
	}
	return o;
}

/* Frames decoded from a recorded line stream (after the channel was configured). */
static std::vector<hdlc_ref::rx_frame> decode_line(int ts, bool sync, bool fcs32, size_t from = 0)
{
	if (sync) {
		hdlc_ref::sync_decoder d(fcs32);
		for (size_t i = from; i < g_tap.rec[ts].size(); i++)
			d.octet(g_tap.rec[ts][i]);
		return d.frames;
	}
	hdlc_ref::async_decoder d(fcs32);
	for (size_t i = from; i < g_tap.rec[ts].size(); i++)
		d.octet(g_tap.rec[ts][i]);
	return d.frames;
}

int main(int argc, char **argv)
{
	harness h(argc, argv);
	std::mt19937 rng(4242);

	/* ---- bring-up ---- */
	h.run(3000);
	size_t from = h.other.size();
	h.send(CARD_MSG_GET_VERSION, 0, 0, {});
	int vi = h.wait_other(CARD_MSG_VERSION, from);
	CHECK(vi >= 0, "no VERSION");
	if (vi >= 0) {
		const bytes &p = h.other_payload[vi];
		CHECK(p[0] == CARD_PROTO_VERSION && p[1] == TB_SPANS && card_get16(&p[2]) == NCH, "VERSION fields");
		h.tx_buffer = card_get16(&p[4]);
		CHECK(h.tx_buffer == TB_TX_BUF && card_get16(&p[6]) == TB_RX_CHUNK, "VERSION buffers %d %d", h.tx_buffer, card_get16(&p[6]));
		h.rx_chunk = card_get16(&p[6]);
	}
	CHECK(h.reg_read(0x0000) == 0x4442434B, "ID register");
	h.send(CARD_MSG_REG_WRITE, 0, 0, bytes{0x03, 0x00, 0x78, 0x56, 0x34, 0x12});
	CHECK(h.reg_read(0x0003) == 0x12345678, "scratch register");

	/* spans: status at reset (span events), query, config */
	from = h.other.size();
	h.send(CARD_MSG_SPAN_QUERY, 0, 1, {});
	int si = h.wait_other(CARD_MSG_SPAN_STATUS, from);
	CHECK(si >= 0, "no SPAN_STATUS");
	{
		int n1 = 0;
		for (size_t i = 0; i < h.other.size(); i++)
			if (h.other[i].type == CARD_MSG_SPAN_STATUS && h.other[i].chan == 1) {
				const bytes &p = h.other_payload[i];
				CHECK(p[0] == 0 && p[1] == 1, "SPAN_STATUS alarms/in_frame");
				CHECK(card_get32(&p[2]) == 0x102 && card_get32(&p[22]) == 0x107, "SPAN_STATUS counters %x %x",
				      card_get32(&p[2]), card_get32(&p[22]));
				n1++;
			}
		CHECK(n1 >= 2, "span 1 status: event + query, got %d", n1);
	}
	h.send(CARD_MSG_SPAN_CONFIG, 0, 1, bytes{CARD_FRAMING_SF, CARD_LINECODE_AMI, CARD_CLK_LINE_PRIMARY,
						  CARD_SPAN_ENABLE | CARD_SPAN_LOOP_LOCAL});
	CHECK(h.reg_read(0x1010) == (1u | (1u << 2) | (1u << 4) | (1u << 8) | (1u << 10)), "SPAN_CONFIG -> CONFIG register");

	/* ---- parser resynchronisation ---- */
	{
		std::vector<bytes> good;
		for (int k = 0; k < 40; k++) {
			/* garbage, with plenty of false SYNCs */
			int g = rng() % 40;
			for (int i = 0; i < g; i++)
				h.ft.to_card.push_back((rng() % 4) == 0 ? 0xA5 : (uint8_t)rng());
			bytes p = rand_frame(rng, rng() % 200);
			uint8_t buf[CARD_MSG_MAX_LEN];
			size_t n = card_msg_encode(buf, CARD_MSG_ECHO, 0, (uint16_t)k, p.data(), (uint8_t)p.size());
			if (k % 3 == 1) {
				/* corrupted: a flipped bit anywhere after SYNC, or cut short */
				if (rng() % 2)
					buf[1 + rng() % (n - 1)] ^= (uint8_t)(1u << (rng() % 8));
				else
					n = 1 + rng() % (n - 1);
				h.ft.to_card.insert(h.ft.to_card.end(), buf, buf + n);
			} else {
				h.ft.to_card.insert(h.ft.to_card.end(), buf, buf + n);
				good.push_back(p);
				good.back().push_back((uint8_t)k);
			}
		}
		from = h.other.size();
		/* a final good message flushes any cut-short candidate */
		h.send(CARD_MSG_ECHO, 0, 999, bytes{1, 2, 3});
		good.push_back(bytes{1, 2, 3, (uint8_t)(999 & 0xff)});
		h.run_until([&] {
			size_t n = 0;
			for (size_t i = from; i < h.other.size(); i++)
				n += h.other[i].type == CARD_MSG_ECHO_REPLY;
			return n >= good.size();
		}, 2000000);
		std::vector<bytes> got;
		for (size_t i = from; i < h.other.size(); i++)
			if (h.other[i].type == CARD_MSG_ECHO_REPLY) {
				bytes p = h.other_payload[i];
				p.push_back((uint8_t)h.other[i].chan);
				got.push_back(p);
			}
		/* a corrupted message may by chance still be a good one only if its CRC matches: never here */
		CHECK(got.size() == good.size(), "echo replies %zu, expected %zu", got.size(), good.size());
		for (size_t i = 0; i < got.size() && i < good.size(); i++)
			CHECK(got[i] == good[i], "echo %zu differs", i);
		CHECK(h.host_errors_seen > 0, "no HOST_ERROR after corrupted messages");
	}

	/* ---- well-formed messages the card must refuse, each with its HOST_ERROR reason ---- */
	{
		const struct { uint8_t type; uint16_t chan; uint8_t len; uint8_t reason; } bad[] = {
			{CARD_MSG_CHAN_CONFIG, 3, 11, 3},	/* wrong LEN */
			{CARD_MSG_GET_VERSION, 0, 1, 3},
			{0x42, 0, 0, 2},			/* unknown type */
			{CARD_MSG_RX_DATA, 0, 4, 2},		/* card -> host type */
			{CARD_MSG_CREDIT_POLL, 999, 0, 4},	/* no such channel */
			{CARD_MSG_SPAN_QUERY, TB_SPANS, 0, 4},	/* no such span */
		};
		for (auto &b : bad) {
			size_t n0 = h.host_error_reasons.size();
			uint32_t c0 = h.host_errors_seen;
			h.send(b.type, 0, b.chan, bytes(b.len, 0));
			h.run_until([&] { return h.host_error_reasons.size() > n0; }, 100000);
			CHECK(h.host_error_reasons.size() == n0 + 1 && h.host_error_reasons.back() == b.reason,
			      "type %02x len %u: HOST_ERROR reason %d, expected %u", b.type, b.len,
			      h.host_error_reasons.size() > n0 ? h.host_error_reasons.back() : -1, b.reason);
			CHECK(h.host_errors_seen == c0 + 1, "HOST_ERROR count %u after %u", h.host_errors_seen, c0);
		}
	}

	/* ---- channels ---- */
	struct cfg { int chan; uint8_t mode, opts; uint32_t rx_accm, tx_accm; };
	std::vector<cfg> cfgs = {
		{0, CARD_MODE_ASYNC_HDLC, 0, 0xFFFFFFFF, 0xFFFFFFFF},
		{1, CARD_MODE_ASYNC_HDLC, 0, 0, 0},
		{2, CARD_MODE_ASYNC_HDLC, CARD_OPT_FCS32, 0, 0x000A0001},
		{3, CARD_MODE_SYNC_HDLC, 0, 0, 0},
		{6, CARD_MODE_SYNC_HDLC, CARD_OPT_FCS32, 0, 0},
		{5, CARD_MODE_ASYNC_HDLC, 0, 0, 0},
	};
	/* more channels at once, random configurations */
	for (int c = 12; c < 22; c++)
		cfgs.push_back({c, (uint8_t)(c % 3 == 0 ? CARD_MODE_SYNC_HDLC : CARD_MODE_ASYNC_HDLC),
				(uint8_t)(c % 2 ? CARD_OPT_FCS32 : 0), 0, c % 4 == 0 ? 0xFFFFFFFFu : (uint32_t)rng()});
	for (const cfg &c : cfgs)
		h.chan_config((uint16_t)c.chan, c.mode, c.opts, c.rx_accm, c.tx_accm, 1600);
	h.run(4 * 772);
	size_t rec_from[NCH];
	for (int i = 0; i < NCH; i++)
		rec_from[i] = g_tap.rec[i].size() - 2;	/* from inside the flag fill */

	std::map<int, std::vector<bytes>> sent_frames;
	std::vector<bool> ch1_full;
	for (const cfg &c : cfgs) {
		if (c.chan == 5)
			continue;
		std::vector<bytes> fr;
		bytes all(256);
		for (int i = 0; i < 256; i++)
			all[i] = (uint8_t)i;
		fr.push_back(all);
		fr.push_back(bytes(40, 0xFF));			/* long runs of ones: stuffing */
		fr.push_back(bytes{0x7E, 0x7D, 0x7E, 0x7D, 0x00, 0x20, 0x5E, 0x5D});
		fr.push_back(bytes{0x42});
		fr.push_back(bytes{0x5A});	/* index 4: a one-octet full-ACCM frame on channel 1 */
		for (int k = 0; k < 20; k++)
			fr.push_back(rand_frame(rng, 1 + rng() % (k % 3 ? 12 : 300)));
		for (size_t k = 0; k < fr.size(); k++) {
			uint8_t fl = (c.chan == 1 && (k % 2) == 0) ? CARD_TX_FULL_ACCM : 0;
			if (c.chan == 1)
				ch1_full.push_back(fl != 0);
			h.ch[c.chan].txq.push_back({fr[k], fl});
		}
		sent_frames[c.chan] = fr;
	}
	/* channel 5: letters only, one marker octet in frame 2, corrupted on the line */
	{
		std::vector<bytes> fr;
		for (int k = 0; k < 4; k++) {
			bytes b(30);
			for (auto &x : b)
				x = (uint8_t)('a' + rng() % 26);
			if (k == 2)
				b[20] = 0x5A;
			fr.push_back(b);
			h.ch[5].txq.push_back({b, 0});
		}
		sent_frames[5] = fr;
		g_tap.corrupt_ts = 5;
		g_tap.corrupt_marker = 0x5A;
	}
	if (getenv("TB_DEBUG")) {
		h.run(300 * 772);
		for (int c : {0, 1, 3}) {
			printf("chan %d sent %u consumed %u txq %zu rx %zu cur %zu\n", c, h.ch[c].sent, h.ch[c].consumed, h.ch[c].txq.size(), h.ch[c].rx.size(), h.ch[c].rx_cur.size());
			printf("chan %d line:", c);
			for (size_t i = rec_from[c] - 10; i < rec_from[c] + 40 && i < g_tap.rec[c].size(); i++)
				printf(" %02x", g_tap.rec[c][i]);
			printf("\n");
		}
	}
	h.run_until([&] {
		for (auto &kv : sent_frames)
			if (h.ch[kv.first].rx.size() < kv.second.size())
				return false;
		return true;
	}, 4000000);
	for (auto &kv : sent_frames) {
		int c = kv.first;
		const cfg *cf = nullptr;
		for (const cfg &x : cfgs)
			if (x.chan == c)
				cf = &x;
		auto &rx = h.ch[c].rx;
		CHECK(rx.size() == kv.second.size(), "chan %d: %zu frames back, sent %zu", c, rx.size(), kv.second.size());
		for (size_t k = 0; k < rx.size() && k < kv.second.size(); k++) {
			if (c == 5 && k == 2) {
				CHECK(rx[k].status == CARD_RX_BAD_FCS, "chan 5: corrupted frame status %u", rx[k].status);
				continue;
			}
			CHECK(rx[k].status == CARD_RX_OK, "chan %d frame %zu: status %u", c, k, rx[k].status);
			CHECK(rx[k].data == kv.second[k], "chan %d frame %zu: content differs (len %zu vs %zu)", c, k,
			      rx[k].data.size(), kv.second[k].size());
		}
		CHECK(h.ch[c].underruns == 0, "chan %d: unexpected underrun", c);
		/* what the card put on the line, by the reference decoder */
		bool sync = cf->mode == CARD_MODE_SYNC_HDLC, f32 = cf->opts & CARD_OPT_FCS32;
		auto lf = decode_line(c, sync, f32, rec_from[c]);
		CHECK(lf.size() == kv.second.size(), "chan %d: %zu frames on the line, sent %zu", c, lf.size(), kv.second.size());
		for (size_t k = 0; k < lf.size() && k < kv.second.size(); k++) {
			CHECK(lf[k].fcs_ok && !lf[k].aborted, "chan %d line frame %zu: FCS bad", c, k);
			CHECK(lf[k].data == kv.second[k], "chan %d line frame %zu differs", c, k);
		}
		if (!sync) {
			/* escaping per ACCM: no octet the ACCM selects appears raw */
			bool in = false;
			int fidx = -1, raw_ctl_in_plain = 0;
			for (size_t i = rec_from[c]; i < g_tap.rec[c].size(); i++) {
				uint8_t o = g_tap.rec[c][i];
				if (o == 0x7E) {
					in = false;
					continue;
				}
				if (!in) {
					in = true;
					fidx++;
				}
				if (o < 0x20) {
					uint32_t accm = cf->tx_accm;
					if (c == 1 && fidx >= 0 && fidx < (int)ch1_full.size() && ch1_full[fidx])
						accm = 0xFFFFFFFF;
					CHECK(!((accm >> o) & 1), "chan %d: octet %02x sent raw in frame %d", c, o, fidx);
					if (c == 1)
						raw_ctl_in_plain++;
				}
			}
			if (c == 1)
				CHECK(raw_ctl_in_plain > 0, "chan 1 (ACCM 0): control octets should go raw");
		}
	}
	CHECK(g_tap.corrupted, "corruption marker never seen on the line");
	{
		/* back-to-back frames share one flag somewhere */
		hdlc_ref::async_decoder d(false);
		for (size_t i = rec_from[1]; i < g_tap.rec[1].size(); i++)
			d.octet(g_tap.rec[1][i]);
		int shared = 0;
		for (size_t i = 1; i < d.flags_between.size(); i++)
			shared += d.flags_between[i] == 1;
		CHECK(shared > 0, "no back-to-back frames with a shared flag");
	}

	/* ---- injected receive streams ---- */
	{
		const int C = 24, S = 25;
		h.chan_config(C, CARD_MODE_ASYNC_HDLC, 0, 0x00000002, 0, 100);
		h.chan_config(S, CARD_MODE_SYNC_HDLC, 0, 0, 0, 1600);
		h.run(3 * 772);
		bytes line;
		bytes g1 = rand_frame(rng, 50), g2 = rand_frame(rng, 100), g3 = rand_frame(rng, 20);
		hdlc_ref::async_encode(line, g1, false, 0xFFFFFFFF);
		line.push_back(0x7E); line.push_back(0x55); line.push_back(0x7E);		/* runt: 1 octet */
		line.push_back(0x11); line.push_back(0x22); line.push_back(0x7E);		/* runt: 2 octets */
		hdlc_ref::async_encode(line, rand_frame(rng, 150), false, 0xFFFFFFFF);	/* too long */
		for (int i = 0; i < 10; i++)
			line.push_back((uint8_t)('A' + i));
		/* abort: the characters 0x7D 0x7E; the 0x7D goes escaped on the character stream */
		hdlc_ref::ds0_put(line, 0x7D); hdlc_ref::ds0_put(line, 0x7E);
		{
			bytes bad;
			hdlc_ref::async_encode(bad, rand_frame(rng, 30), false, 0xFFFFFFFF);
			bad[10] ^= 0x40;
			if (bad[10] == 0x7E || bad[10] == 0x7D || bad[10] == 0xFF || bad[9] == 0x7D)
				bad[10] ^= 0x01;
			line.insert(line.end(), bad.begin(), bad.end());
		}
		hdlc_ref::async_encode(line, g2, false, 0xFFFFFFFF);			/* exactly MRU */
		{
			/* character 0x01 is in the receive ACCM: dropped wherever it appears between
			 * characters (a 0x7D on the line starts a two-octet character) */
			bytes l3;
			hdlc_ref::async_encode(l3, g3, false, 0xFFFFFFFF);
			for (size_t i = 0; i < l3.size(); i++) {
				line.push_back(l3[i]);
				if (i % 3 == 0 && l3[i] != 0x7D)
					line.push_back(0x01);
			}
		}
		/* FCS-32 and back-to-back frames are covered above; sync: random frames, an abort */
		hdlc_ref::sync_encoder se;
		std::vector<bytes> sf;
		for (int k = 0; k < 8; k++) {
			bytes f = rand_frame(rng, 1 + rng() % 80);
			if (k == 3)
				f = bytes(30, 0xFF);
			if (k == 5) {
				/* an aborted frame: flag, data, seven+ ones */
				se.raw(0x7E);
				se.data(0x12); se.data(0x34); se.data(0x56);
				se.raw(0xFF);
			}
			se.frame(f, false);
			sf.push_back(f);
		}
		bytes sline = se.octets();

		size_t r0 = h.ch[C].rx.size(), s0 = h.ch[S].rx.size();
		g_tap.inject_idle[C] = 0x7E;
		g_tap.inject_idle[S] = 0x7E;
		g_tap.inject[C].assign(line.begin(), line.end());
		g_tap.inject[S].assign(sline.begin(), sline.end());
		g_tap.injecting[C] = g_tap.injecting[S] = true;
		h.run_until([&] { return h.ch[C].rx.size() >= r0 + 8 && h.ch[S].rx.size() >= s0 + 9; }, 3000000);
		h.run(10 * 772);
		auto &rx = h.ch[C].rx;
		CHECK(rx.size() == r0 + 8, "injected async: %zu EOFs", rx.size() - r0);
		if (rx.size() >= r0 + 8) {
			CHECK(rx[r0].status == CARD_RX_OK && rx[r0].data == g1, "inj: good frame");
			CHECK(rx[r0 + 1].status == CARD_RX_RUNT && rx[r0 + 1].data.empty(), "inj: runt 1 -> %u", rx[r0 + 1].status);
			CHECK(rx[r0 + 2].status == CARD_RX_RUNT && rx[r0 + 2].data.empty(), "inj: runt 2 -> %u", rx[r0 + 2].status);
			CHECK(rx[r0 + 3].status == CARD_RX_TOO_LONG && rx[r0 + 3].data.size() == 100, "inj: too long -> %u len %zu",
			      rx[r0 + 3].status, rx[r0 + 3].data.size());
			CHECK(rx[r0 + 4].status == CARD_RX_ABORT && rx[r0 + 4].data.size() == 8, "inj: abort -> %u len %zu",
			      rx[r0 + 4].status, rx[r0 + 4].data.size());
			CHECK(rx[r0 + 5].status == CARD_RX_BAD_FCS, "inj: bad fcs -> %u", rx[r0 + 5].status);
			CHECK(rx[r0 + 6].status == CARD_RX_OK && rx[r0 + 6].data == g2, "inj: MRU frame -> %u", rx[r0 + 6].status);
			CHECK(rx[r0 + 7].status == CARD_RX_OK && rx[r0 + 7].data == g3, "inj: ACCM-dropped octets");
		}
		auto &srx = h.ch[S].rx;
		CHECK(srx.size() == s0 + 9, "injected sync: %zu EOFs", srx.size() - s0);
		size_t k = 0;
		for (size_t i = s0; i < srx.size(); i++) {
			if (srx[i].status == CARD_RX_ABORT)
				continue;
			CHECK(k < sf.size() && srx[i].status == CARD_RX_OK && srx[i].data == sf[k], "sync inj frame %zu status %u",
			      k, srx[i].status);
			k++;
		}
		CHECK(k == sf.size(), "sync inj: %zu good frames", k);
		g_tap.injecting[C] = g_tap.injecting[S] = false;
	}

	/* ---- underrun, abort, overflow, flush ---- */
	{
		size_t r1 = h.ch[1].rx.size();
		uint32_t ur0 = h.reg_read(0x0017);
		h.send(CARD_MSG_TX_DATA, 0, 1, rand_frame(rng, 10));	/* no EOF, nothing more */
		h.run_until([&] { return h.ch[1].underruns > 0 && h.ch[1].rx.size() > r1; }, 200000);
		CHECK(h.ch[1].underruns == 1, "underrun events %d", h.ch[1].underruns);
		CHECK(h.ch[1].rx.size() == r1 + 1 && h.ch[1].rx[r1].status == CARD_RX_ABORT, "underrun -> RX_EOF ABORT");
		CHECK(h.reg_read(0x0017) == ur0 + 1, "underrun counter");

		h.send(CARD_MSG_TX_DATA, 0, 1, rand_frame(rng, 5));
		h.send(CARD_MSG_TX_DATA, CARD_TX_ABORT, 1, {});
		h.run_until([&] { return h.ch[1].rx.size() > r1 + 1; }, 200000);
		CHECK(h.ch[1].rx.size() == r1 + 2 && h.ch[1].rx[r1 + 1].status == CARD_RX_ABORT, "host abort -> ABORT");
		CHECK(h.ch[1].underruns == 1, "host abort is not an underrun");

		/* overflow on a raw channel: three 100-octet chunks at once (60 for a
		   64-entry ring) */
		h.chan_config(4, CARD_MODE_RAW, 0, 0, 0, 0);
		h.run(3 * 772);
		size_t rr0 = h.ch[4].raw_rx.size();
		const size_t big = TB_TXQ >= 128 ? 100 : 60;
		bytes a = rand_frame(rng, big), b = rand_frame(rng, big), c = rand_frame(rng, big);
		h.send(CARD_MSG_TX_DATA, 0, 4, a);
		h.send(CARD_MSG_TX_DATA, 0, 4, b);
		h.send(CARD_MSG_TX_DATA, 0, 4, c);
		h.run_until([&] { return h.ch[4].overflows > 0 && h.ch[4].consumed == (uint16_t)h.ch[4].sent; }, 2000000);
		CHECK(h.ch[4].overflows >= 1, "no TX_OVERFLOW event");
		CHECK(h.ch[4].consumed == (uint16_t)h.ch[4].sent, "raw: consumed %u != sent %u", h.ch[4].consumed, h.ch[4].sent);
		h.run(100 * 772);
		bytes &r = h.ch[4].raw_rx;
		bytes seen(r.begin() + (long)rr0, r.end());
		auto contains = [&](const bytes &n) {
			return std::search(seen.begin(), seen.end(), n.begin(), n.end()) != seen.end();
		};
		CHECK(contains(a), "raw: first chunk not looped back");
		CHECK(!(contains(a) && contains(b) && contains(c)), "raw: all three chunks made it despite overflow");

		/* flush: a frame without EOF, then CHAN_CONFIG: credit counts the flushed octets */
		h.send(CARD_MSG_TX_DATA, 0, 2, rand_frame(rng, 60));
		h.chan_config(2, CARD_MODE_ASYNC_HDLC, CARD_OPT_FCS32, 0, 0, 1600);
		from = h.other.size();
		h.run(20 * 772);
		h.send(CARD_MSG_CREDIT_POLL, 0, 2, {});
		h.run(3 * 772);
		CHECK(h.ch[2].consumed == (uint16_t)h.ch[2].sent, "flush: consumed %u sent %u", h.ch[2].consumed, h.ch[2].sent);
		for (int i = 0; i < NCH; i++)
			CHECK(h.ch[i].credit_seen || h.ch[i].sent == 0, "chan %d never got credit", i);

		/* in-place update (CARD_OPT_UPDATE): new maps in the middle of a frame, which
		 * must neither be flushed nor aborted */
		{
			size_t r0 = h.ch[2].rx.size();
			const long half = TB_TXQ >= 128 ? 60 : 30;	/* each half fits the ring */
			bytes f = rand_frame(rng, 2 * (size_t)half);
			bytes a(f.begin(), f.begin() + half), b(f.begin() + half, f.end());

			h.send(CARD_MSG_TX_DATA, 0, 2, a);
			h.chan_config(2, CARD_MODE_ASYNC_HDLC, CARD_OPT_FCS32 | CARD_OPT_UPDATE, 0,
				      0x000A0000, 1600);
			h.send(CARD_MSG_TX_DATA, CARD_TX_EOF, 2, b);
			h.run_until([&] { return h.ch[2].rx.size() > r0; }, 400000);
			CHECK(h.ch[2].rx.size() == r0 + 1 && h.ch[2].rx[r0].status == CARD_RX_OK &&
			      h.ch[2].rx[r0].data == f, "update: frame across an in-place CHAN_CONFIG");
		}
	}

	/* ---- TS_MAP: swap channels 10 and 11 on span 0 ---- */
	{
		bytes m(48);
		for (int t = 0; t < 24; t++) {
			int c = t == 10 ? 11 : t == 11 ? 10 : t;
			card_put16(&m[2 * t], (uint16_t)c);
		}
		h.send(CARD_MSG_TS_MAP, 0, 0, m);
		h.chan_config(10, CARD_MODE_RAW, 0, 0, 0, 0);
		h.run(3 * 772);
		size_t t11 = g_tap.rec[11].size();
		bytes p = rand_frame(rng, 20);
		h.send(CARD_MSG_TX_DATA, 0, 10, p);
		h.run(40 * 772);
		/* the raw channel's characters, decoded from the line (0xFF idle, 0x7D escape) */
		bytes s;
		bool esc = false;
		for (auto it = g_tap.rec[11].begin() + (long)t11; it != g_tap.rec[11].end(); ++it) {
			uint8_t o = *it;
			if (o == 0xFF)
				continue;
			if (esc) {
				s.push_back(o ^ 0x20);
				esc = false;
			} else if (o == 0x7D) {
				esc = true;
			} else {
				s.push_back(o);
			}
		}
		CHECK(std::search(s.begin(), s.end(), p.begin(), p.end()) != s.end(), "TS_MAP: channel 10 not on timeslot 11");
	}

	/* ---- full load: 22 more channels at once, long frames back to back ---- */
	{
		uint32_t ovr0 = h.reg_read(0x0013);
		std::map<int, std::vector<bytes>> load;
		std::map<int, size_t> base;
		for (int c = 26; c < 48; c++) {
			h.chan_config((uint16_t)c, c % 5 == 0 ? CARD_MODE_SYNC_HDLC : CARD_MODE_ASYNC_HDLC,
				      c % 2 ? CARD_OPT_FCS32 : 0, 0, (uint32_t)rng(), 1600);
		}
		h.run(4 * 772);
		for (int c = 26; c < 48; c++) {
			base[c] = h.ch[c].rx.size();
			for (int k = 0; k < 4; k++) {
				bytes f = rand_frame(rng, 100 + rng() % 200);
				h.ch[c].txq.push_back({f, 0});
				load[c].push_back(f);
			}
		}
		h.run_until([&] {
			for (auto &kv : load)
				if (h.ch[kv.first].rx.size() < base[kv.first] + kv.second.size())
					return false;
			return true;
		}, 6000000);
		for (auto &kv : load) {
			auto &rx = h.ch[kv.first].rx;
			CHECK(rx.size() == base[kv.first] + kv.second.size(), "load chan %d: %zu frames", kv.first,
			      rx.size() - base[kv.first]);
			for (size_t k = 0; k < kv.second.size() && base[kv.first] + k < rx.size(); k++)
				CHECK(rx[base[kv.first] + k].status == CARD_RX_OK && rx[base[kv.first] + k].data == kv.second[k],
				      "load chan %d frame %zu: status %u", kv.first, k, rx[base[kv.first] + k].status);
			CHECK(h.ch[kv.first].underruns == 0, "load chan %d: underrun", kv.first);
		}
		CHECK(h.reg_read(0x0013) == ovr0, "receive overruns under load");
	}

	/* ---- counters ---- */
	uint32_t herr = h.reg_read(0x0019);
	CHECK(herr >= 1 && herr == h.host_errors_seen, "host error counter %u vs reported %u", herr, h.host_errors_seen);
	CHECK(h.reg_read(0x0011) >= 2, "rx bad-FCS counter");
	CHECK(h.ft.errors == 0, "FT232H protocol errors: %ld", h.ft.errors);
	CHECK(h.parser.stats.crc_errors == 0 && h.parser.stats.bad_headers == 0, "card -> host stream had errors");

	printf("card_top: %s, %d failures, %llu clocks, %llu messages from the card\n", g_fail ? "FAIL" : "PASS",
	       g_fail, (unsigned long long)h.cycle, (unsigned long long)h.parser.stats.messages);
	h.top->final();
	return g_fail ? 1 : 0;
}
