/*
 * tb.cpp - card_top with the real T1 line bank (rtl/card.f) in local loopback
 *
 * The card is driven only through its FT232H pins.  Span 0 is configured with
 * SPAN_CONFIG (ESF, B8ZS, internal clock, enabled, local loop), must report
 * in frame via SPAN_STATUS, and then async-HDLC (FCS-16 and FCS-32) and
 * sync-HDLC frames sent on its channels must come back from the T1 loop
 * intact with status OK, in order, with credits returned.
 *
 * SPDX-License-Identifier: MIT
 */
#include <map>

#include "card_harness.h"

int main(int argc, char **argv)
{
	harness h(argc, argv);
	std::mt19937 rng(77);
	h.run(3000);

	/* span 0: enable + local loop; span 1 left alone */
	h.send(CARD_MSG_SPAN_CONFIG, 0, 0, bytes{CARD_FRAMING_ESF, CARD_LINECODE_B8ZS, CARD_CLK_INTERNAL,
						  CARD_SPAN_ENABLE | CARD_SPAN_LOOP_LOCAL});
	bool in_frame = false;
	for (int tries = 0; tries < 40 && !in_frame; tries++) {
		size_t from = h.other.size();
		h.run(200 * 772);
		h.send(CARD_MSG_SPAN_QUERY, 0, 0, {});
		int i = h.wait_other(CARD_MSG_SPAN_STATUS, from, 400000);
		for (size_t k = from; k < h.other.size(); k++)
			if (h.other[k].type == CARD_MSG_SPAN_STATUS && h.other[k].chan == 0)
				in_frame = h.other_payload[k][1] == 1 && (h.other_payload[k][0] & (CARD_ALARM_LOS | CARD_ALARM_LOF)) == 0;
		(void)i;
	}
	CHECK(in_frame, "span 0 never came into frame on the local loop");

	struct cfg { int chan; uint8_t mode, opts; };
	const cfg cfgs[] = {
		{2, CARD_MODE_ASYNC_HDLC, 0},
		{9, CARD_MODE_ASYNC_HDLC, CARD_OPT_FCS32},
		{23, CARD_MODE_SYNC_HDLC, 0},
	};
	for (const cfg &c : cfgs)
		h.chan_config((uint16_t)c.chan, c.mode, c.opts, 0, 0, 1600);
	h.run(10 * 772);
	std::map<int, std::vector<bytes>> sent;
	std::map<int, size_t> r0;
	for (const cfg &c : cfgs) {
		r0[c.chan] = h.ch[c.chan].rx.size();
		for (int k = 0; k < 6; k++) {
			bytes f = rand_frame(rng, 1 + rng() % 120);
			if (k == 0) {
				f.resize(256);
				for (int i = 0; i < 256; i++)
					f[i] = (uint8_t)i;
			}
			h.ch[c.chan].txq.push_back({f, 0});
			sent[c.chan].push_back(f);
		}
	}
	h.run_until([&] {
		for (auto &kv : sent)
			if (h.ch[kv.first].rx.size() < r0[kv.first] + kv.second.size())
				return false;
		return true;
	}, 6000000);
	for (auto &kv : sent) {
		int c = kv.first;
		auto &rx = h.ch[c].rx;
		/* frames that were on the way while the loop settled may precede ours: match from the end */
		CHECK(rx.size() >= r0[c] + kv.second.size(), "chan %d: %zu of %zu frames back", c, rx.size() - r0[c],
		      kv.second.size());
		if (rx.size() < r0[c] + kv.second.size())
			continue;
		size_t base = rx.size() - kv.second.size();
		for (size_t k = 0; k < kv.second.size(); k++)
			CHECK(rx[base + k].status == CARD_RX_OK && rx[base + k].data == kv.second[k],
			      "chan %d frame %zu: status %u len %zu/%zu", c, k, rx[base + k].status, rx[base + k].data.size(),
			      kv.second[k].size());
		CHECK(h.ch[c].underruns == 0, "chan %d: underrun", c);
	}
	h.run(40 * 772);
	for (auto &kv : sent)
		CHECK(h.ch[kv.first].consumed == (uint16_t)h.ch[kv.first].sent, "chan %d: credit %u of %u", kv.first,
		      h.ch[kv.first].consumed, h.ch[kv.first].sent);
	CHECK(h.ft.errors == 0, "FT232H protocol errors: %ld", h.ft.errors);

	printf("card_t1: %s, %d failures, %llu clocks\n", g_fail ? "FAIL" : "PASS", g_fail, (unsigned long long)h.cycle);
	h.top->final();
	return g_fail ? 1 : 0;
}
