/*
 * inet_csum.c - the Internet checksum (RFC 1071) for the simulator's IP packets
 *
 * SPDX-License-Identifier: MIT
 */
#include "inet_csum.h"

uint16_t inet_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xFFFF) + (s >> 16);
	return (uint16_t)~s;
}
