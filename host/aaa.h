/*
 * aaa.h - local AAA: authentication lists, the local user database and network
 * authorization, printing IOS's `debug aaa authentication|authorization` lines
 *
 * `aaa new-model`, `aaa authentication login|ppp LIST METHOD...`,
 * `aaa authorization network METHOD...`, `username NAME [callback-dialstring "..."]
 * password [0|7] ...`.  Only the LOCAL (and NONE) methods are implemented; TACACS+
 * and RADIUS methods are parsed and fail over to the next method.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_AAA_H
#define DIALBACK_AAA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nas_config;

struct aaa {
	const struct nas_config *cfg;
	uint32_t seq;			/*!< pseudo-random request ids for debug lines */
	uint32_t last_user;		/*!< handle of the last create_user (for free_user) */
};

enum aaa_result { AAA_FAIL = 0, AAA_PASS = 1 };

/* Callback authorization of a user (LCP authorization). */
enum aaa_cb_type { AAA_CB_NONE, AAA_CB_CLIENT, AAA_CB_ADMIN, AAA_CB_LIST };
struct aaa_callback {
	enum aaa_cb_type type;
	char dialstring[64];		/*!< admin number or "a,b,c" list */
};

/* Who is asking (for the debug lines). */
struct aaa_port {
	const char *sname;		/*!< "As4" */
	const char *lname;		/*!< "Async4" */
	const char *rem_addr;		/*!< "async/4084327528" */
	const char *list;		/*!< ppp authentication list, NULL = "default" */
};

void aaa_init(struct aaa *a, const struct nas_config *cfg, uint32_t seed);
/* CHAP-MD5: response == MD5(id || secret || challenge). */
enum aaa_result aaa_authen_chap(struct aaa *a, const struct aaa_port *port,
				const char *user, uint8_t id, const uint8_t *challenge,
				size_t clen, const uint8_t *response, size_t rlen);
enum aaa_result aaa_authen_pap(struct aaa *a, const struct aaa_port *port,
			       const char *user, const char *password, size_t plen);
/* LCP authorization after authentication: callback rights. */
enum aaa_result aaa_author_lcp(struct aaa *a, const struct aaa_port *port,
			       const char *user, struct aaa_callback *cb);
/* "Can we start IPCP?" */
enum aaa_result aaa_author_ipcp_start(struct aaa *a, const struct aaa_port *port,
				      const char *user);
/* IPCP address authorization ("Start. Her address ..., we want ..."). */
enum aaa_result aaa_author_ipcp_addr(struct aaa *a, const struct aaa_port *port,
				     const char *user, uint32_t her, uint32_t want);
/* EXEC login on a tty (before autoselect), as the seed prints it:
 * create_user, START with the line's `login authentication` list, Method, GETUSER.
 * Returns the request id; *user_handle gets the create_user handle. */
uint32_t aaa_login_start(struct aaa *a, unsigned tty, const char *rem_addr,
			 const char *list, uint32_t *user_handle);
/* "AAA/AUTHEN/ABORT: (id) because Autoselected." and the matching free_user. */
void aaa_login_abort(struct aaa *a, uint32_t id, uint32_t user_handle, unsigned tty,
		     const char *rem_addr, const char *why);
/* free_user for a PPP user at the end of a session (authen_type CHAP or PAP). */
void aaa_free_user(struct aaa *a, uint32_t user_handle, const char *user, const char *port,
		   const char *rem_addr, const char *authen_type);
/* The secret of a local user (peer role and tests), or NULL. */
const char *aaa_user_secret(const struct aaa *a, const char *user);

#endif /* DIALBACK_AAA_H */
