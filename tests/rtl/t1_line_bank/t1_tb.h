/*
 * t1_tb.h - what the t1_line_bank testbenches share: the check counters and CHECK macro,
 * the T1SEED environment offset for their random generators, the span registers
 * (docs/card-registers.md) and the bus read/write of one core clock
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef T1_TB_H
#define T1_TB_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>

static int failures, checks;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		checks++;                                                       \
		if (!(cond)) {                                                  \
			failures++;                                             \
			fprintf(stderr, "FAIL line %d: ", __LINE__);            \
			fprintf(stderr, __VA_ARGS__);                           \
			fputc('\n', stderr);                                    \
		}                                                               \
	} while (0)

/* A generator's seed: its default plus T1SEED from the environment, if set. */
static inline unsigned seed_env(unsigned dflt)
{
	const char *e = getenv("T1SEED");
	return e ? (unsigned)strtoul(e, nullptr, 0) + dflt : dflt;
}

/* Span registers: 0x1000 + 16 * span + R_x; STATUS bits. */
enum { R_CONFIG, R_STATUS, R_BPV, R_EXZ, R_CRC6, R_FBIT, R_SLIPS, R_LOFC, R_FDL };
enum { LOS = 1, LOF = 2, AIS = 4, RAI = 8, INF = 16 };
static inline unsigned reg(int span, int r) { return 0x1000 + span * 16 + r; }

/* One bus read (data one clock after bus_re) and one bus write, each one tick(). */
template <class Top> static uint32_t bus_read(Top &top, void (*tick)(), unsigned addr)
{
	top.bus_re = 1;
	top.bus_addr = addr;
	tick();
	uint32_t v = top.bus_rdata;
	top.bus_re = 0;
	return v;
}

template <class Top> static void bus_write(Top &top, void (*tick)(), unsigned addr, uint32_t v)
{
	top.bus_we = 1;
	top.bus_addr = addr;
	top.bus_wdata = v;
	tick();
	top.bus_we = 0;
}

#endif
