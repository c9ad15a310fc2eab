/*
 * ippool.c - `ip local pool` address pools (see ippool.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "ippool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

/* Index of addr inside the pool's ranges, or -1. */
static long pool_index(const struct ip_pool *p, uint32_t addr)
{
	uint32_t base = 0;

	for (unsigned i = 0; i < p->nranges; i++) {
		const struct ip_pool_range *r = &p->ranges[i];
		if (addr >= r->lo && addr <= r->hi)
			return (long)(base + (addr - r->lo));
		base += r->hi - r->lo + 1;
	}
	return -1;
}

static uint32_t pool_addr_at(const struct ip_pool *p, uint32_t idx)
{
	for (unsigned i = 0; i < p->nranges; i++) {
		uint32_t n = p->ranges[i].hi - p->ranges[i].lo + 1;
		if (idx < n)
			return p->ranges[i].lo + idx;
		idx -= n;
	}
	return 0;
}

int ippool_init(struct ip_pools *ps, const struct nas_config *cfg)
{
	memset(ps, 0, sizeof(*ps));
	if (!cfg || cfg->npools == 0)
		return 0;
	ps->pool = calloc(cfg->npools, sizeof(*ps->pool));
	if (!ps->pool)
		return -ENOMEM;
	for (unsigned i = 0; i < cfg->npools; i++) {
		const struct cfg_ip_pool *c = &cfg->pools[i];
		struct ip_pool *p = &ps->pool[ps->n];
		uint64_t size = 0;

		memcpy(p->name, c->name, sizeof(p->name) - 1);
		for (unsigned r = 0; r < c->nranges && r < 4; r++) {
			uint64_t n = (uint64_t)c->ranges[r].hi - c->ranges[r].lo + 1;
			if (c->ranges[r].hi < c->ranges[r].lo || size + n > IPPOOL_MAX_SIZE)
				continue;
			p->ranges[p->nranges].lo = c->ranges[r].lo;
			p->ranges[p->nranges].hi = c->ranges[r].hi;
			p->nranges++;
			size += n;
		}
		p->size = (uint32_t)size;
		p->bitmap = calloc((p->size + 7) / 8 + 1, 1);
		if (!p->bitmap) {
			ippool_free(ps);
			return -ENOMEM;
		}
		ps->n++;
	}
	return 0;
}

void ippool_free(struct ip_pools *ps)
{
	for (unsigned i = 0; i < ps->n; i++)
		free(ps->pool[i].bitmap);
	free(ps->pool);
	memset(ps, 0, sizeof(*ps));
}

struct ip_pool *ippool_find(struct ip_pools *ps, const char *name)
{
	for (unsigned i = 0; ps && i < ps->n; i++)
		if (strcmp(ps->pool[i].name, name) == 0)
			return &ps->pool[i];
	return NULL;
}

uint32_t ippool_alloc(struct ip_pool *p)
{
	if (!p || p->used >= p->size)
		return 0;
	for (uint32_t i = 0; i < p->size; i++) {
		if (!(p->bitmap[i >> 3] & (1u << (i & 7)))) {
			p->bitmap[i >> 3] |= (uint8_t)(1u << (i & 7));
			p->used++;
			return pool_addr_at(p, i);
		}
	}
	return 0;
}

bool ippool_contains(const struct ip_pool *p, uint32_t addr)
{
	return p && pool_index(p, addr) >= 0;
}

bool ippool_reserve(struct ip_pool *p, uint32_t addr)
{
	long i = p ? pool_index(p, addr) : -1;

	if (i < 0 || (p->bitmap[i >> 3] & (1u << (i & 7))))
		return false;
	p->bitmap[i >> 3] |= (uint8_t)(1u << (i & 7));
	p->used++;
	return true;
}

void ippool_release(struct ip_pool *p, uint32_t addr)
{
	long i = p ? pool_index(p, addr) : -1;

	if (i < 0 || !(p->bitmap[i >> 3] & (1u << (i & 7))))
		return;
	p->bitmap[i >> 3] &= (uint8_t)~(1u << (i & 7));
	p->used--;
}
