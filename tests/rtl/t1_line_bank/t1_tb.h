/*
 * t1_tb.h - what the t1_line_bank testbenches share: the check counters and CHECK macro,
 * and the T1SEED environment offset for their random generators
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef T1_TB_H
#define T1_TB_H

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

#endif
