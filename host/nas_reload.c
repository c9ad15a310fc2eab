/*
 * nas_reload.c - SIGHUP: a new configuration for a running access server, keeping the
 * live sessions (see nas.h)
 *
 * What changes at once: the user table (AAA), the address pools, the chat scripts, the
 * Group-Async/Async interface settings (the PPP profile), and the settings of every
 * free line.  A line in use keeps its line settings until its call ends; its PPP
 * session keeps the profile it started with and what it negotiated.  Its pool address
 * stays its own: it is reserved in the new pool of the same name (if the new pool still
 * holds it) and given back there when the session ends.
 *
 * The previous configuration, profile and chat scripts are kept as a "retired
 * generation" while anything may still point into them (a session's profile and the
 * hostname it names, a running chat script, a line that has not taken its new
 * settings yet), and freed once every line is free or at nas_free().
 *
 * Not applied live (logged; they need a restart): the number of tty lines, the T1
 * controllers and ISDN switch type.
 *
 * SPDX-License-Identifier: MIT
 */
#include "nas.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "line.h"
#include "log.h"

struct nas_generation {
	struct nas_generation *next;
	struct nas_config *cfg;
	struct ppp_profile prof;
	struct ip_pools pools;		/*!< only if no new pool took its sessions over */
	struct chat_registry chats;
	bool have_pools, have_chats;
};

static void generation_free(struct nas_generation *g)
{
	if (g->have_chats)
		chat_registry_clear(&g->chats);
	if (g->have_pools)
		ippool_free(&g->pools);
	config_free(g->cfg);
	free(g);
}

/* Every line free and settled: nothing points into a retired generation any more. */
static bool all_lines_free(const struct nas *n)
{
	if (isdn_ppp_active(&n->isdn_ppp))
		return false;		/* digital calls use it too (isdn_ppp.h) */
	for (unsigned i = 0; i < n->nlines; i++) {
		const struct line *l = &n->lines[i];

		if ((l->phase != LINE_IDLE && l->phase != LINE_BUSYOUT && l->phase != LINE_UNUSED) ||
		    l->ppp_running || l->cfg_pending || chat_run_active(&l->chat))
			return false;
	}
	return true;
}

void nas_reload_collect(struct nas *n, bool force)
{
	if (force && n->retired_gc_ready)
		ev_timer_stop(n->loop, &n->retired_gc);
	if (!force && !all_lines_free(n))
		return;
	while (n->retired) {
		struct nas_generation *g = n->retired;

		n->retired = g->next;
		generation_free(g);
	}
}

static void gc_fired(struct ev_timer *t, void *arg)
{
	(void)t;
	nas_reload_collect(arg, false);
}

void nas_reload_collect_later(struct nas *n)
{
	if (n->retired && n->retired_gc_ready)
		ev_timer_start(n->loop, &n->retired_gc, 0);
}

int nas_reload(struct nas *n, struct nas_config *cfg)
{
	struct nas_generation *g = calloc(1, sizeof(*g));
	struct chat_registry chats;
	struct ip_pools pools;
	bool chats_in_use = false, pools_in_use = false;
	unsigned ntty = config_max_tty(cfg);

	if (!g)
		return -ENOMEM;
	if (!n->retired_gc_ready) {
		ev_timer_init(&n->retired_gc, gc_fired, n);
		n->retired_gc_ready = true;
	}
	if (chat_registry_init(&chats) < 0) {
		free(g);
		return -ENOMEM;
	}
	if (ippool_init(&pools, cfg) < 0) {
		chat_registry_clear(&chats);
		free(g);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < cfg->nchat; i++) {
		struct chat_script *s;
		char err[128];
		int col = 0;

		if (chat_script_compile(cfg->chat[i].name, cfg->chat[i].text, &s, err, sizeof(err),
					&col) < 0) {
			log_err("chat-script %s (line %u): %s", cfg->chat[i].name, cfg->chat[i].line, err);
			continue;
		}
		chat_registry_add(&chats, s);
	}

	/* the old generation: what live sessions and scripts still use */
	g->cfg = n->cfg;
	g->prof = n->async_prof;
	for (unsigned i = 0; i < n->nlines; i++) {
		struct line *l = &n->lines[i];
		const struct ppp_profile *pp;
		uint32_t a;

		if (chat_run_active(&l->chat))
			chats_in_use = true;
		if (!l->ppp_running)
			continue;
		if (l->ppp.prof == &n->async_prof)
			l->ppp.prof = &g->prof;		/* it keeps what it started with */
		pp = l->ppp.prof;
		a = l->ppp.ipcp.pool_addr;
		if (a && pp->pool) {
			struct ip_pool *np = ippool_find(&pools, pp->pool->name);

			if (np && ippool_contains(np, a))
				ippool_reserve(np, a);	/* nobody new gets it */
			else
				pools_in_use = true;	/* only the old pool holds it */
		}
	}
	if (isdn_ppp_active(&n->isdn_ppp))
		pools_in_use = true;		/* digital sessions keep their pool */
	if (pools_in_use) {
		g->pools = n->pools;		/* kept: sessions give addresses back there */
		g->have_pools = true;
	} else {
		/* every session's address is in the new pools: they give it back there */
		for (struct nas_generation *o = g; o; o = o == g ? n->retired : o->next)
			if (o->prof.pool && o->prof.pool >= n->pools.pool &&
			    o->prof.pool < n->pools.pool + n->pools.n)
				o->prof.pool = ippool_find(&pools, o->prof.pool->name);
		ippool_free(&n->pools);
	}
	if (chats_in_use) {
		g->chats = n->chats;
		g->have_chats = true;
	} else {
		chat_registry_clear(&n->chats);
	}
	g->next = n->retired;
	n->retired = g;

	/* the new one */
	n->cfg = cfg;
	n->aaa.cfg = cfg;
	n->pools = pools;
	n->chats = chats;
	n->async_if = config_async_interface(cfg);
	if (n->async_if)
		ppp_profile_from_config(&n->async_prof, cfg, n->async_if, &n->aaa, &n->pools);
	else
		memset(&n->async_prof, 0, sizeof(n->async_prof));
	isdn_ppp_reload(&n->isdn_ppp);
	for (unsigned t = 1; t <= n->nlines; t++)
		line_apply_config(&n->lines[t - 1], config_find_tty_line(cfg, t));
	if (ntty > n->nlines)
		log_warn("reload: lines %u-%u need a restart to be used", n->nlines + 1, ntty);
	log_notice("configuration reloaded: %u users, %u pools, %u chat scripts; "
		   "live sessions kept", cfg->nusers, cfg->npools, cfg->nchat);
	nas_reload_collect(n, false);
	return 0;
}

int nas_reload_file(struct nas *n, const char *path)
{
	struct nas_config *cfg = NULL;
	char *diag = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&diag, &len);
	int rc;

	if (!f)
		return -ENOMEM;
	rc = config_load_file(path, &cfg, f);
	fclose(f);
	/* every diagnostic, with its line number, into the daemon's log */
	for (char *line = diag, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		if (*line)
			log_msg(strstr(line, ": error: ") ? LOG_LVL_ERR : LOG_LVL_WARNING, "%s", line);
	}
	free(diag);
	if (rc < 0) {
		log_err("reload of %s failed; keeping the running configuration", path);
		config_free(cfg);
		return -EINVAL;
	}
	rc = nas_reload(n, cfg);
	if (rc < 0) {
		config_free(cfg);
		log_err("reload of %s: %s; keeping the running configuration", path,
			strerror(-rc));
	}
	return rc;
}
