/*
 * inet_csum.h - the Internet checksum (RFC 1071) for the simulator's IP packets: the
 * subscriber PCs' pings and the in-process IP endpoint's replies
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_INET_CSUM_H
#define DIALBACK_SIM_INET_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* The ones' complement of the ones' complement sum of the 16-bit big-endian words of
 * p[0..len) (an odd last octet padded with zero).  Over a header that carries its own
 * correct checksum, the result is 0. */
uint16_t inet_csum(const uint8_t *p, size_t len);

#endif /* DIALBACK_SIM_INET_CSUM_H */
