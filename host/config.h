/*
 * config.h - the IOS-syntax running configuration, parsed into struct nas_config
 *
 * The parser follows IOS's mode rules rather than indentation: a line is first tried
 * against the current sub-mode's commands (interface, controller, line, router), and
 * if it is not one of them, against the global commands (which may open another
 * sub-mode).  So the seed's column-0 `peer default ip address pool default` after
 * `interface Serial0:23` belongs to that interface, and its indented `line vty 0 4`
 * under `line aux 0` opens a new line block - exactly as IOS reads them.
 *
 * Diagnostics go to the `diag` stream:
 *   FILE:LINE: warning: unknown command 'xyz' (ignored)
 *   FILE:LINE:COL: error: <what is wrong>            (a known command, malformed)
 * config_parse() returns 0 when there were no errors (warnings allowed), else -1.
 *
 * Secrets: `password 7 HEX` is decoded (Cisco type 7, see config_type7_decode());
 * `password 0 TEXT` / `password TEXT` are kept as given; `enable secret 5 $1$...` is
 * kept as the MD5-crypt hash string.
 *
 * IPCP name servers (our choice of IOS syntax, both accepted):
 *   interface mode:  ppp ipcp dns A.B.C.D [A.B.C.D]   ppp ipcp wins A.B.C.D [A.B.C.D]
 *   global:          async-bootp dns-server A.B.C.D [A.B.C.D]
 *                    async-bootp nbns-server A.B.C.D [A.B.C.D]
 * The interface values win; with none, IPCP Configure-Rejects the RFC 1877 options.
 *
 * Callback list (our extension, documented): `username U callback-dialstring "N1,N2"`
 * (a comma in the dial string) offers the client MS-CBCP callback type 4, a list.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CONFIG_H
#define DIALBACK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CFG_ROUTER_CMD_MAX 96		/*!< a 'router' sub-command, as written */
#define CFG_NAME_MAX	64
#define CFG_SECRET_MAX	128
#define CFG_DIAL_MAX	64

/* An aaa authentication list: `aaa authentication login|ppp NAME METHOD...`. */
enum aaa_method { AAA_M_NONE, AAA_M_LOCAL, AAA_M_LINE, AAA_M_ENABLE, AAA_M_IF_NEEDED,
		  AAA_M_TACACS, AAA_M_RADIUS };
#define CFG_AAA_METHODS_MAX 4

struct cfg_aaa_list {
	char name[CFG_NAME_MAX];		/*!< "default", "use-local" */
	bool ppp;				/*!< ppp list (else login list) */
	unsigned nmethods;
	enum aaa_method methods[CFG_AAA_METHODS_MAX];
};

struct cfg_aaa {
	bool new_model;				/*!< aaa new-model */
	unsigned nlists;
	struct cfg_aaa_list *lists;
	bool author_network;			/*!< aaa authorization network ... */
	unsigned author_nmethods;
	enum aaa_method author_methods[CFG_AAA_METHODS_MAX];
};

struct cfg_user {
	char name[CFG_NAME_MAX];
	char password[CFG_SECRET_MAX];		/*!< plain text (type 7 decoded) */
	bool has_callback;			/*!< callback-dialstring given (even "") */
	char callback_dialstring[CFG_DIAL_MAX];	/*!< "" = client chooses */
	bool password_encrypted;		/*!< given as `password 7` */
	uint8_t password_salt;			/*!< ... with this salt (shown again) */
	bool secret;				/*!< given as `secret` (a hash, kept as is) */
	unsigned line;				/*!< config line (diagnostics) */
};

struct cfg_chat_script {
	char name[CFG_NAME_MAX];
	char *text;				/*!< raw script text after the name */
	unsigned line;
};

struct cfg_controller_t1 {
	unsigned unit;
	enum { CFG_FRAMING_ESF, CFG_FRAMING_SF } framing;
	enum { CFG_CLK_INTERNAL, CFG_CLK_LINE_PRIMARY, CFG_CLK_LINE_SECONDARY } clock;
	enum { CFG_LINECODE_B8ZS, CFG_LINECODE_AMI } linecode;
	bool pri_group;
	uint32_t pri_timeslots;			/*!< bit n-1 = timeslot n (1..24) */
	bool shutdown;
};

enum cfg_if_kind { CFG_IF_ETHERNET, CFG_IF_SERIAL, CFG_IF_GROUP_ASYNC, CFG_IF_ASYNC,
		   CFG_IF_OTHER };

struct cfg_interface {
	char name[CFG_NAME_MAX];		/*!< canonical: "Ethernet0", "Serial0:23",
						 *   "Group-Async1", "Async4" */
	enum cfg_if_kind kind;
	unsigned unit;				/*!< Async/Group-Async number */
	bool shutdown;
	bool has_ip;
	uint32_t ip, mask;			/*!< host order */
	char unnumbered[CFG_NAME_MAX];		/*!< ip unnumbered IFNAME, or "" */
	bool encap_ppp;
	int dialer_group;			/*!< -1 none */
	bool isdn_voice_modem;			/*!< isdn incoming-voice modem */
	char peer_pool[CFG_NAME_MAX];		/*!< peer default ip address pool NAME */
	enum { CFG_VJ_OFF, CFG_VJ_ON, CFG_VJ_PASSIVE } vj;
	bool async_interactive;			/*!< async mode interactive */
	bool async_dedicated;			/*!< async mode dedicated: PPP at once */
	bool cdp;				/*!< cdp enable (default on) */
	unsigned max_bad_auth;			/*!< ppp max-bad-auth N (default 1) */
	bool callback_accept;			/*!< ppp callback accept */
	unsigned nauth;				/*!< ppp authentication chap pap ... */
	enum { CFG_AUTH_CHAP = 1, CFG_AUTH_PAP = 2 } auth[2];
	char auth_list[CFG_NAME_MAX];		/*!< ppp authentication ... LIST ("" = default) */
	uint32_t dns[2], wins[2];		/*!< ppp ipcp dns/wins (0 = none) */
	unsigned keepalive;			/*!< seconds, 0 = off (our default for async) */
	unsigned group_first, group_last;	/*!< group-range (Group-Async) */
	bool has_redial;			/*!< dialer redial interval N attempts M */
	unsigned redial_interval, redial_attempts, redial_reenable;	/*!< s, count, s */
	int group_parent;			/*!< Async: index of its Group-Async, or -1 */
	unsigned line;
};

enum cfg_line_kind { CFG_LINE_TTY, CFG_LINE_CON, CFG_LINE_AUX, CFG_LINE_VTY };

struct cfg_line {
	enum cfg_line_kind kind;
	unsigned first, last;
	bool autoselect_during_login, autoselect_ppp;
	char script_offhook[CFG_NAME_MAX];	/*!< script modem-off-hook NAME */
	char script_callback[CFG_NAME_MAX];	/*!< script callback NAME */
	char login_auth[CFG_NAME_MAX];		/*!< login authentication LIST */
	bool modem_inout, modem_busyout;
	char transport_input[CFG_NAME_MAX];	/*!< "all", "none", "telnet" ... */
	bool has_exec_timeout;
	unsigned exec_timeout_min, exec_timeout_sec;
	char password[CFG_SECRET_MAX];
	bool password_encrypted;		/*!< given as `password 7` */
	uint8_t password_salt;
	bool has_forced_wait;			/*!< callback forced-wait SECONDS */
	unsigned callback_forced_wait;
	unsigned line;
};

struct cfg_pool_range { uint32_t lo, hi; };	/* host order, inclusive */

struct cfg_ip_pool {
	char name[CFG_NAME_MAX];
	unsigned nranges;
	struct cfg_pool_range ranges[4];
};

struct cfg_dialer_list { unsigned num; char proto[16]; bool permit; };

struct nas_config {
	char version[16];
	char hostname[CFG_NAME_MAX];		/*!< default "Router" */
	bool ts_debug_datetime, ts_debug_msec;	/*!< service timestamps debug datetime msec */
	bool ts_log_datetime;
	bool password_encryption;
	char enable_secret[CFG_SECRET_MAX];	/*!< MD5-crypt "$1$salt$hash" */
	char domain_name[CFG_NAME_MAX];
	char isdn_switch_type[32];
	char tz_name[8];			/*!< clock timezone PST -8 */
	int tz_offset_min;
	char summer_name[8];			/*!< clock summer-time PDT recurring */
	bool summer_recurring;
	uint32_t default_gateway;
	bool ip_classless;
	uint32_t bootp_dns[2], bootp_nbns[2];	/*!< async-bootp dns-server/nbns-server */
	bool router_eigrp;			/*!< accepted and ignored (noted) */
	unsigned eigrp_as;
	unsigned nrouter_cmds;			/*!< its sub-commands, kept for show running-config */
	char (*router_cmds)[CFG_ROUTER_CMD_MAX];

	struct cfg_aaa aaa;

	unsigned nusers;
	struct cfg_user *users;
	unsigned nchat;
	struct cfg_chat_script *chat;
	unsigned nt1;
	struct cfg_controller_t1 *t1;
	unsigned nifs;
	struct cfg_interface *ifs;
	unsigned nlines;
	struct cfg_line *lines;
	unsigned npools;
	struct cfg_ip_pool *pools;
	unsigned ndialer_lists;
	struct cfg_dialer_list *dialer_lists;

	unsigned warnings, errors;
};

int  config_parse(const char *text, size_t len, const char *filename,
		  struct nas_config **out, FILE *diag);
int  config_load_file(const char *path, struct nas_config **out, FILE *diag);
void config_free(struct nas_config *cfg);

/* Cisco type 7: "02050D480809" -> "cisco".  Returns the plain length or -1. */
int  config_type7_decode(const char *enc, char *out, size_t outsize);
/* Encode with the given salt (0..15); returns 0 or -1 if out is too small. */
int  config_type7_encode(const char *plain, unsigned salt, char *out, size_t outsize);

/* `show running-config`: the configuration in IOS syntax (host/config_write.c); the
 * text parses back to the same configuration.  0, or -1 when out of memory. */
int  config_write(const struct nas_config *cfg, FILE *out);

/* Look-ups (NULL when absent). */
const struct cfg_interface *config_find_interface(const struct nas_config *cfg,
						  const char *name);
const struct cfg_user *config_find_user(const struct nas_config *cfg, const char *name);
const struct cfg_ip_pool *config_find_pool(const struct nas_config *cfg, const char *name);
const struct cfg_chat_script *config_find_chat(const struct nas_config *cfg,
					       const char *name);
/* The tty line block covering line number n (the last one, as later blocks override),
 * or NULL. */
const struct cfg_line *config_find_tty_line(const struct nas_config *cfg, unsigned n);
/* The highest tty line number configured (0 if none). */
unsigned config_max_tty(const struct nas_config *cfg);
/* The interface whose PPP settings the async lines use: Group-Async, else Async. */
const struct cfg_interface *config_async_interface(const struct nas_config *cfg);
/* The address an interface uses: its own or its unnumbered source's (0 if none). */
uint32_t config_interface_address(const struct nas_config *cfg,
				  const struct cfg_interface *ifc);

#endif /* DIALBACK_CONFIG_H */
