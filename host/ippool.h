/*
 * ippool.h - `ip local pool NAME LOW [HIGH]`: peer addresses for dial-in sessions
 *
 * Pools are owned by the daemon (one set per configuration), shared by all lines.
 * Allocation takes the lowest free address; a bitmap per pool.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_IPPOOL_H
#define DIALBACK_IPPOOL_H

#include <stdbool.h>
#include <stdint.h>

struct nas_config;

#define IPPOOL_MAX_SIZE	65536u

struct ip_pool_range { uint32_t lo, hi; };

struct ip_pool {
	char name[64];
	unsigned nranges;
	struct ip_pool_range ranges[4];
	uint32_t size, used;
	uint8_t *bitmap;		/*!< bit i = i-th address of the pool in use */
};

struct ip_pools {
	unsigned n;
	struct ip_pool *pool;
};

/* Build the pools of a configuration; 0 or -errno. */
int  ippool_init(struct ip_pools *ps, const struct nas_config *cfg);
void ippool_free(struct ip_pools *ps);
struct ip_pool *ippool_find(struct ip_pools *ps, const char *name);
/* Lowest free address (host order), 0 when exhausted. */
uint32_t ippool_alloc(struct ip_pool *p);
/* Take a specific address; false if not in the pool or in use. */
bool ippool_reserve(struct ip_pool *p, uint32_t addr);
void ippool_release(struct ip_pool *p, uint32_t addr);
bool ippool_contains(const struct ip_pool *p, uint32_t addr);

#endif /* DIALBACK_IPPOOL_H */
