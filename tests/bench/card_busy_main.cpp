/*
 * card_busy_main.cpp - Verilator speed of the whole card with every channel busy
 *
 * Used by tests/bench/bench_rtl_speed.sh.  The card (rtl/card.f, real T1 line bank) is
 * driven only through its FT232H pins by the card_top testbenches' host harness
 * (tests/rtl/common/card_harness.h).  Every span's transmit pins are wired to its
 * receive pins; every span is configured ESF/B8ZS/internal clock and must come into
 * frame; then each span's 23 B-channels run async HDLC and its timeslot 24 sync HDLC,
 * all of them kept sending random frames within the credit the card reports in
 * VERSION.  Speed is measured over `secs` simulated seconds once all spans are in
 * frame: simulated clocks per CPU-second and line-seconds per CPU-second, plus the
 * frames that came back.  A benchmark: it prints figures and asserts nothing (a card
 * that does not come into frame is reported, and the exit status is 1).
 *
 * SPDX-License-Identifier: MIT
 */
#include <ctime>

#define NCH (SPANS * 24)
#include "card_harness.h"

static double cpu_now()
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* one core clock with every span looped back at the pins */
static void step(harness &h)
{
	h.top->liu_rpos = h.top->liu_tpos;
	h.top->liu_rneg = h.top->liu_tneg;
	h.top->liu_rclk = h.top->liu_tclk;
	h.tick();
}

static bool all_in_frame(harness &h)
{
	bool ok[SPANS] = {};
	size_t from = h.other.size();
	int answered = 0;

	for (int s = 0; s < SPANS; s++)
		h.send(CARD_MSG_SPAN_QUERY, 0, (uint16_t)s, {});
	for (uint64_t i = 0; i < (uint64_t)CORE_HZ / 100 && answered < SPANS; i++) {
		step(h);
		for (; from < h.other.size(); from++) {
			const card_msg &m = h.other[from];
			const bytes &p = h.other_payload[from];
			if (m.type != CARD_MSG_SPAN_STATUS || m.chan >= SPANS)
				continue;
			answered++;
			ok[m.chan] = p[1] == 1 && (p[0] & (CARD_ALARM_LOS | CARD_ALARM_LOF | CARD_ALARM_AIS)) == 0;
		}
	}
	for (int s = 0; s < SPANS; s++)
		if (!ok[s])
			return false;
	return true;
}

int main(int argc, char **argv)
{
	const double secs = argc > 1 ? atof(argv[1]) : 0.1;	/* simulated line time measured */
	harness h(argc, argv);
	std::mt19937 rng(1);

	/* the transmit credit the card reports */
	size_t from = h.other.size();
	h.send(CARD_MSG_GET_VERSION, 0, 0, {});
	int vi = h.wait_other(CARD_MSG_VERSION, from);
	if (vi < 0) {
		printf("card_busy: no VERSION from the card\n");
		return 1;
	}
	h.tx_buffer = card_get16(h.other_payload[vi].data() + 4);

	for (int s = 0; s < SPANS; s++)
		h.send(CARD_MSG_SPAN_CONFIG, 0, (uint16_t)s,
		       bytes{CARD_FRAMING_ESF, CARD_LINECODE_B8ZS, CARD_CLK_INTERNAL, CARD_SPAN_ENABLE});
	bool framed = false;
	for (int tries = 0; tries < 30 && !framed; tries++) {
		for (uint64_t i = 0; i < (uint64_t)CORE_HZ / 20; i++)	/* 50 ms */
			step(h);
		framed = all_in_frame(h);
	}
	if (!framed) {
		printf("card_busy: spans %d: not every span came into frame\n", SPANS);
		return 1;
	}
	for (int c = 0; c < NCH; c++)
		h.chan_config((uint16_t)c, c % 24 == 23 ? CARD_MODE_SYNC_HDLC : CARD_MODE_ASYNC_HDLC,
			      c % 3 == 1 ? CARD_OPT_FCS32 : 0, 0, 0xFFFFFFFF, 1600);

	uint64_t rx = 0, bad = 0;
	for (int c = 0; c < NCH; c++)
		h.ch[c].rx.clear();
	const uint64_t n = (uint64_t)(secs * CORE_HZ);
	const double t0 = cpu_now();
	for (uint64_t i = 0; i < n; i++) {
		if ((i & 1023) == 0)
			for (int c = 0; c < NCH; c++) {
				chan_host &ch = h.ch[c];
				while (ch.txq.size() < 2)
					ch.txq.push_back({rand_frame(rng, 1 + rng() % 200), 0});
				/* keep the reassembled frames from growing without bound */
				for (const rx_frame_msg &f : ch.rx) {
					rx++;
					bad += f.status != CARD_RX_OK;
				}
				ch.rx.clear();
			}
		step(h);
	}
	const double cpu = cpu_now() - t0;
	printf("card busy      spans %2d core %6.3f MHz: %6.2f Mclk/s, %6.3f x real time (%.2f s simulated in %.2f s CPU), "
	       "%llu frames back (%llu not OK)\n",
	       SPANS, CORE_HZ / 1e6, (double)n / cpu / 1e6, secs / cpu, secs, cpu,
	       (unsigned long long)rx, (unsigned long long)bad);
	h.top->final();
	return 0;
}
