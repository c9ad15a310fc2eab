/*
 * aaa.c - local AAA with IOS's debug texts (see aaa.h)
 *
 * Debug lines follow the seed ("AAA/AUTHEN/START (44582883): Method=LOCAL",
 * "AAA/AUTHOR/LCP As4: Processing AV callback-dialstring=" ...).  The request ids
 * IOS prints are opaque numbers; ours come from a per-AAA-context generator so
 * runs are reproducible.  MD5 comes from nettle.
 *
 * SPDX-License-Identifier: MIT
 */
#include "aaa.h"

#include <stdio.h>
#include <string.h>

#include <nettle/md5.h>
#include <nettle/memops.h>

#include "config.h"
#include "log.h"

void aaa_init(struct aaa *a, const struct nas_config *cfg, uint32_t seed)
{
	a->cfg = cfg;
	a->seq = seed ? seed : 0x2A8F3E1u;
}

static uint32_t next_id(struct aaa *a)
{
	a->seq = a->seq * 1103515245u + 12345u;
	return a->seq ^ (a->seq >> 15);
}

static bool new_model(const struct aaa *a)
{
	return a->cfg && a->cfg->aaa.new_model;
}

static const struct cfg_aaa_list *find_list(const struct aaa *a, bool ppp, const char *name)
{
	for (unsigned i = 0; a->cfg && i < a->cfg->aaa.nlists; i++) {
		const struct cfg_aaa_list *l = &a->cfg->aaa.lists[i];
		if (l->ppp == ppp && strcmp(l->name, name) == 0)
			return l;
	}
	return NULL;
}

const char *aaa_user_secret(const struct aaa *a, const char *user)
{
	const struct cfg_user *u = a->cfg ? config_find_user(a->cfg, user) : NULL;

	return u ? u->password : NULL;
}

typedef bool (*local_check_fn)(const struct cfg_user *u, const void *arg);

/* Walk the ppp "default" list; LOCAL checks the user database. */
static enum aaa_result authen(struct aaa *a, const struct aaa_port *port, const char *user,
			      const char *type, local_check_fn check, const void *arg)
{
	const struct cfg_aaa_list *l;
	uint32_t id;
	enum aaa_method def[1] = { AAA_M_LOCAL };
	const enum aaa_method *m = def;
	unsigned nm = 1;
	const struct cfg_user *u = a->cfg ? config_find_user(a->cfg, user) : NULL;

	if (!new_model(a))
		return u && check(u, arg) ? AAA_PASS : AAA_FAIL;
	id = next_id(a);
	a->last_user = id & 0xFFFFFCu;
	dbg(DBG_AAA_AUTHENTICATION,
	    "AAA/AUTHEN: create_user (0x%X) user='%s' ruser='' port='%s' rem_addr='%s' authen_type=%s service=PPP priv=1",
	    a->last_user, user, port->lname, port->rem_addr, type);
	dbg(DBG_AAA_AUTHENTICATION,
	    "AAA/AUTHEN/START (%u): port='%s' list='%s' action=LOGIN service=PPP", id,
	    port->lname, port->list ? port->list : "");
	l = find_list(a, true, port->list ? port->list : "default");
	if (l && port->list) {
		dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN/START (%u): found list %s", id, port->list);
	} else if (l) {
		dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN/START (%u): using \"default\" list", id);
	} else if (port->list) {
		dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN/START (%u): no list %s", id, port->list);
		dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN (%u): status = ERROR", id);
		return AAA_FAIL;
	}
	if (l) {
		m = l->methods;
		nm = l->nmethods;
	}
	for (unsigned i = 0; i < nm; i++) {
		switch (m[i]) {
		case AAA_M_LOCAL: {
			bool ok = u && check(u, arg);
			dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN/START (%u): Method=LOCAL", id);
			dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN (%u): status = %s", id,
			    ok ? "PASS" : "FAIL");
			return ok ? AAA_PASS : AAA_FAIL;
		}
		case AAA_M_NONE:
			dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN/START (%u): Method=NONE", id);
			dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN (%u): status = PASS", id);
			return AAA_PASS;
		default:
			dbg(DBG_AAA_AUTHENTICATION,
			    "AAA/AUTHEN/START (%u): Method not available, trying next", id);
			break;
		}
	}
	dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN (%u): status = ERROR", id);
	return AAA_FAIL;
}

struct chap_arg {
	uint8_t id;
	const uint8_t *challenge, *response;
	size_t clen, rlen;
};

static bool chap_check(const struct cfg_user *u, const void *arg)
{
	const struct chap_arg *c = arg;
	struct md5_ctx md5;
	uint8_t digest[MD5_DIGEST_SIZE];

	if (c->rlen != MD5_DIGEST_SIZE)
		return false;
	md5_init(&md5);
	md5_update(&md5, 1, &c->id);
	md5_update(&md5, strlen(u->password), (const uint8_t *)u->password);
	md5_update(&md5, c->clen, c->challenge);
	md5_digest(&md5, MD5_DIGEST_SIZE, digest);
	return memeql_sec(digest, c->response, MD5_DIGEST_SIZE);
}

enum aaa_result aaa_authen_chap(struct aaa *a, const struct aaa_port *port,
				const char *user, uint8_t id, const uint8_t *challenge,
				size_t clen, const uint8_t *response, size_t rlen)
{
	struct chap_arg c = { id, challenge, response, clen, rlen };

	return authen(a, port, user, "CHAP", chap_check, &c);
}

struct pap_arg { const char *pw; size_t len; };

static bool pap_check(const struct cfg_user *u, const void *arg)
{
	const struct pap_arg *p = arg;
	size_t l = strlen(u->password);

	return l == p->len && memeql_sec(u->password, p->pw, l);
}

enum aaa_result aaa_authen_pap(struct aaa *a, const struct aaa_port *port,
			       const char *user, const char *password, size_t plen)
{
	struct pap_arg p = { password, plen };

	return authen(a, port, user, "PAP", pap_check, &p);
}

static void callback_of(const struct cfg_user *u, struct aaa_callback *cb)
{
	const char *d = u ? u->callback_dialstring : "";
	size_t i = 0;

	memset(cb, 0, sizeof(*cb));
	if (!u || !u->has_callback) {
		cb->type = AAA_CB_NONE;
		return;
	}
	while (d[i] == ' ')
		i++;
	if (!d[i]) {
		cb->type = AAA_CB_CLIENT;	/* "" or " ": the client chooses */
		return;
	}
	snprintf(cb->dialstring, sizeof(cb->dialstring), "%s", d + i);
	cb->type = strchr(cb->dialstring, ',') ? AAA_CB_LIST : AAA_CB_ADMIN;
}

static bool author_on(const struct aaa *a)
{
	return new_model(a) && a->cfg->aaa.author_network;
}

enum aaa_result aaa_author_lcp(struct aaa *a, const struct aaa_port *port,
			       const char *user, struct aaa_callback *cb)
{
	const struct cfg_user *u = a->cfg ? config_find_user(a->cfg, user) : NULL;
	uint32_t id;

	callback_of(u, cb);
	if (!author_on(a))
		return AAA_PASS;
	id = next_id(a);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/LCP %s: Authorize LCP", port->sname);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/LCP: %s: (%u): user='%s'", port->lname, id, user);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/LCP: %s: (%u): send AV service=ppp", port->lname, id);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/LCP: %s: (%u): send AV protocol=lcp", port->lname, id);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/LCP: %s (%u): Method=LOCAL", port->lname, id);
	if (!u) {
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR (%u): Post authorization status = FAIL", id);
		return AAA_FAIL;
	}
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR (%u): Post authorization status = PASS_ADD", id);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/LCP %s: Processing AV service=ppp", port->sname);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/LCP %s: Processing AV protocol=lcp", port->sname);
	if (u->has_callback)
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/LCP %s: Processing AV callback-dialstring=%s",
		    port->sname, u->callback_dialstring);
	return AAA_PASS;
}

enum aaa_result aaa_author_ipcp_start(struct aaa *a, const struct aaa_port *port,
				      const char *user)
{
	uint32_t id;

	if (!author_on(a))
		return AAA_PASS;
	id = next_id(a);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/FSM %s: (0): Can we start IPCP?", port->sname);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/FSM: %s: (%u): user='%s'", port->lname, id, user);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/FSM: %s: (%u): send AV service=ppp", port->lname, id);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/FSM: %s: (%u): send AV protocol=ip", port->lname, id);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/FSM: %s (%u): Method=LOCAL", port->lname, id);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR (%u): Post authorization status = PASS_REPL", id);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/FSM %s: We can start IPCP", port->sname);
	return AAA_PASS;
}

static const char *ipstr(uint32_t a, char *buf)
{
	snprintf(buf, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
	return buf;
}

enum aaa_result aaa_author_ipcp_addr(struct aaa *a, const struct aaa_port *port,
				     const char *user, uint32_t her, uint32_t want)
{
	char h[16], w[16];

	if (!author_on(a))
		return AAA_PASS;
	ipstr(her, h);
	ipstr(want, w);
	/* "IPCPC" is how the seed's IOS prints this step */
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCPC %s: Start. Her address %s, we want %s",
	    port->sname, h, w);
	if (her && her == want) {
		/* the final request: a full authorization of the address, as in the seed */
		uint32_t id = next_id(a);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCPC %s: %s: (%u): user='%s'", port->sname,
		    port->lname, id, user);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCPC %s: %s: (%u): send AV service=ppp",
		    port->sname, port->lname, id);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCPC %s: %s: (%u): send AV protocol=ip",
		    port->sname, port->lname, id);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCP: %s: (%u): send AV addr*%s", port->lname,
		    id, w);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCP: %s (%u): Method=LOCAL", port->lname, id);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR (%u): Post authorization status = PASS_REPL", id);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCP %s: Reject %s, using %s", port->sname, h, w);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCP %s: Processing AV service=ppp", port->sname);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCP %s: Processing AV protocol=ip", port->sname);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCP %s: Processing AV addr*%s", port->sname, w);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCP %s: Authorization succeeded", port->sname);
		dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCP %s: Done. Her address %s, we want %s",
		    port->sname, h, w);
		return AAA_PASS;
	}
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCPC %s: Processing AV service=ppp", port->sname);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCPC %s: Processing AV protocol=ip", port->sname);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCPC %s: Authorization succeeded", port->sname);
	dbg(DBG_AAA_AUTHORIZATION, "AAA/AUTHOR/IPCPC %s: Done. Her address %s, we want %s",
	    port->sname, h, w);
	return AAA_PASS;
}

uint32_t aaa_login_start(struct aaa *a, unsigned tty, const char *rem_addr,
			 const char *list, uint32_t *user_handle)
{
	uint32_t id = next_id(a), h = next_id(a) & 0xFFFFFCu;
	const char *l = list && list[0] ? list : "default";
	const struct cfg_aaa_list *al = find_list(a, false, l);

	if (user_handle)
		*user_handle = h;
	if (!new_model(a))
		return id;
	dbg(DBG_AAA_AUTHENTICATION,
	    "AAA/AUTHEN: create_user (0x%X) user='' ruser='' port='tty%u' rem_addr='%s' authen_type=ASCII service=LOGIN priv=1",
	    h, tty, rem_addr);
	dbg(DBG_AAA_AUTHENTICATION,
	    "AAA/AUTHEN/START (%u): port='tty%u' list='%s' action=LOGIN service=LOGIN", id, tty,
	    list ? list : "");
	if (al) {
		dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN/START (%u): found list %s", id, l);
		dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN/START (%u): Method=%s", id,
		    al->nmethods && al->methods[0] == AAA_M_NONE ? "NONE" : "LOCAL");
	} else {
		dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN/START (%u): Method=LOCAL", id);
	}
	dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN (%u): status = GETUSER", id);
	return id;
}

void aaa_login_abort(struct aaa *a, uint32_t id, uint32_t user_handle, unsigned tty,
		     const char *rem_addr, const char *why)
{
	if (!new_model(a))
		return;
	dbg(DBG_AAA_AUTHENTICATION, "AAA/AUTHEN/ABORT: (%u) because %s.", id, why);
	dbg(DBG_AAA_AUTHENTICATION,
	    "AAA/AUTHEN: free_user (0x%X) user='' ruser='' port='tty%u' rem_addr='%s' authen_type=ASCII service=LOGIN priv=1",
	    user_handle, tty, rem_addr);
}

void aaa_free_user(struct aaa *a, uint32_t user_handle, const char *user, const char *port,
		   const char *rem_addr, const char *authen_type)
{
	if (!new_model(a))
		return;
	dbg(DBG_AAA_AUTHENTICATION,
	    "AAA/AUTHEN: free_user (0x%X) user='%s' ruser='' port='%s' rem_addr='%s' authen_type=%s service=PPP priv=1",
	    user_handle, user, port, rem_addr, authen_type);
}
