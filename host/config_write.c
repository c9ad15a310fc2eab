/*
 * config_write.c - `show running-config`: a loaded configuration written back in IOS
 * syntax, in IOS's block order, so that it parses again to the same configuration
 *
 * Secrets are shown as IOS shows them: with `service password-encryption` every
 * password is written `password 7 HEX` (Cisco type 7); without it, as configured
 * (type 7 if it was given so, else `password 0 TEXT`).  `enable secret 5` and user
 * `secret 5` hashes are written as they are.  What the parser accepts and ignores
 * (routing protocol statements, `transport output`, ...) is not written back.
 *
 * SPDX-License-Identifier: MIT
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

/* A word as the tokenizer reads it back: quoted when empty or holding blanks (a
 * quoted token never holds a '"', so quoting always works for what was parsed). */
static const char *qw(char *buf, size_t size, const char *w)
{
	if (*w && !strpbrk(w, " \t"))
		return w;
	snprintf(buf, size, "\"%s\"", w);
	return buf;
}
#define W(w) qw((char[CFG_SECRET_MAX + 4]){ 0 }, CFG_SECRET_MAX + 4, (w))

static void ip(FILE *out, uint32_t a)
{
	fprintf(out, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}

/* Type 7 with the salt the password was given with (so the same configuration shows
 * the same text), or a fixed one for a password given in clear. */
static void password(FILE *out, const struct nas_config *cfg, const char *plain, bool enc,
		     unsigned salt)
{
	char hex[2 * CFG_SECRET_MAX + 4];

	if ((cfg->password_encryption || enc) &&
	    config_type7_encode(plain, enc && salt <= 15 ? salt : 2, hex, sizeof(hex)) == 0)
		fprintf(out, "password 7 %s", hex);
	else
		fprintf(out, "password 0 %s", W(plain));
}

static const char *method_name(enum aaa_method m)
{
	static const char *const names[] = {
		[AAA_M_NONE] = "none", [AAA_M_LOCAL] = "local", [AAA_M_LINE] = "line",
		[AAA_M_ENABLE] = "enable", [AAA_M_IF_NEEDED] = "if-needed",
		[AAA_M_TACACS] = "tacacs+", [AAA_M_RADIUS] = "radius",
	};

	return (unsigned)m < sizeof(names) / sizeof(names[0]) && names[m] ? names[m] : "none";
}

static void timeslots(FILE *out, uint32_t mask)
{
	bool first = true;

	for (unsigned i = 1; i <= 24; i++) {
		unsigned j = i;

		if (!(mask & (1u << (i - 1))))
			continue;
		while (j < 24 && (mask & (1u << j)))
			j++;
		fprintf(out, "%s%u", first ? "" : ",", i);
		if (j > i)
			fprintf(out, "-%u", j);
		first = false;
		i = j;
	}
}

static void write_interface(FILE *out, const struct nas_config *cfg, const struct cfg_interface *f)
{
	fprintf(out, "interface %s\n", f->name);
	if (f->has_ip) {
		fprintf(out, " ip address ");
		ip(out, f->ip);
		fputc(' ', out);
		ip(out, f->mask);
		fputc('\n', out);
	} else if (f->unnumbered[0]) {
		fprintf(out, " ip unnumbered %s\n", f->unnumbered);
	} else {
		fprintf(out, " no ip address\n");
	}
	if (f->vj != CFG_VJ_OFF)
		fprintf(out, " ip tcp header-compression%s\n", f->vj == CFG_VJ_PASSIVE ? " passive" : "");
	if (f->encap_ppp)
		fprintf(out, " encapsulation ppp\n");
	if (f->dialer_group >= 0)
		fprintf(out, " dialer-group %d\n", f->dialer_group);
	if (f->has_redial) {
		fprintf(out, " dialer redial interval %u attempts %u", f->redial_interval,
			f->redial_attempts);
		if (f->redial_reenable)
			fprintf(out, " re-enable %u", f->redial_reenable);
		fputc('\n', out);
	}
	if (f->isdn_voice_modem)
		fprintf(out, " isdn incoming-voice modem\n");
	if (f->peer_pool[0])
		fprintf(out, " peer default ip address pool %s\n", W(f->peer_pool));
	if (f->async_interactive)
		fprintf(out, " async mode interactive\n");
	else if (f->async_dedicated)
		fprintf(out, " async mode dedicated\n");
	if (!f->cdp)
		fprintf(out, " no cdp enable\n");
	if (f->keepalive)
		fprintf(out, " keepalive %u\n", f->keepalive);
	if (f->max_bad_auth)
		fprintf(out, " ppp max-bad-auth %u\n", f->max_bad_auth);
	if (f->callback_accept)
		fprintf(out, " ppp callback accept\n");
	if (f->nauth) {
		fprintf(out, " ppp authentication");
		for (unsigned i = 0; i < f->nauth && i < 2; i++)
			fprintf(out, " %s", f->auth[i] == CFG_AUTH_PAP ? "pap" : "chap");
		if (f->auth_list[0])
			fprintf(out, " %s", W(f->auth_list));
		fputc('\n', out);
	}
	for (int k = 0; k < 2; k++) {
		const uint32_t *srv = k ? f->wins : f->dns;

		if (!srv[0])
			continue;
		fprintf(out, " ppp ipcp %s ", k ? "wins" : "dns");
		ip(out, srv[0]);
		if (srv[1]) {
			fputc(' ', out);
			ip(out, srv[1]);
		}
		fputc('\n', out);
	}
	if (f->kind == CFG_IF_GROUP_ASYNC && f->group_first)
		fprintf(out, " group-range %u %u\n", f->group_first, f->group_last);
	if (f->shutdown)
		fprintf(out, " shutdown\n");
	(void)cfg;
	fprintf(out, "!\n");
}

static void write_line(FILE *out, const struct nas_config *cfg, const struct cfg_line *l)
{
	static const char *const kinds[] = {
		[CFG_LINE_TTY] = "", [CFG_LINE_CON] = "con ", [CFG_LINE_AUX] = "aux ",
		[CFG_LINE_VTY] = "vty ",
	};

	fprintf(out, "line %s%u", kinds[l->kind], l->first);
	if (l->last != l->first)
		fprintf(out, " %u", l->last);
	fputc('\n', out);
	if (l->has_exec_timeout)
		fprintf(out, " exec-timeout %u %u\n", l->exec_timeout_min, l->exec_timeout_sec);
	if (l->password[0]) {
		fputc(' ', out);
		password(out, cfg, l->password, l->password_encrypted, l->password_salt);
		fputc('\n', out);
	}
	if (l->autoselect_during_login)
		fprintf(out, " autoselect during-login\n");
	if (l->autoselect_ppp)
		fprintf(out, " autoselect ppp\n");
	if (l->script_offhook[0])
		fprintf(out, " script modem-off-hook %s\n", W(l->script_offhook));
	if (l->script_callback[0])
		fprintf(out, " script callback %s\n", W(l->script_callback));
	if (l->has_forced_wait)
		fprintf(out, " callback forced-wait %u\n", l->callback_forced_wait);
	if (l->login_auth[0])
		fprintf(out, " login authentication %s\n", W(l->login_auth));
	if (l->modem_inout)
		fprintf(out, " modem InOut\n");
	if (l->modem_busyout)
		fprintf(out, " modem busyout\n");
	if (l->transport_input[0])
		fprintf(out, " transport input %s\n", W(l->transport_input));
}

static void write_body(FILE *out, const struct nas_config *cfg)
{
	fprintf(out, "!\n");
	if (cfg->version[0])
		fprintf(out, "version %s\n", W(cfg->version));
	if (cfg->ts_debug_datetime || cfg->ts_debug_msec)
		fprintf(out, "service timestamps debug%s%s\n", cfg->ts_debug_datetime ? " datetime" : "",
			cfg->ts_debug_msec ? " msec" : "");
	if (cfg->ts_log_datetime)
		fprintf(out, "service timestamps log datetime\n");
	fprintf(out, "%sservice password-encryption\n", cfg->password_encryption ? "" : "no ");
	fprintf(out, "!\nhostname %s\n!\n", W(cfg->hostname));

	if (cfg->aaa.new_model)
		fprintf(out, "aaa new-model\n");
	for (unsigned i = 0; i < cfg->aaa.nlists; i++) {
		const struct cfg_aaa_list *l = &cfg->aaa.lists[i];

		fprintf(out, "aaa authentication %s %s", l->ppp ? "ppp" : "login", W(l->name));
		for (unsigned m = 0; m < l->nmethods; m++)
			fprintf(out, " %s", method_name(l->methods[m]));
		fputc('\n', out);
	}
	if (cfg->aaa.author_network && cfg->aaa.author_nmethods) {
		fprintf(out, "aaa authorization network");
		for (unsigned m = 0; m < cfg->aaa.author_nmethods; m++)
			fprintf(out, " %s", method_name(cfg->aaa.author_methods[m]));
		fputc('\n', out);
	}
	if (cfg->enable_secret[0])
		fprintf(out, "enable secret %s%s\n",
			strncmp(cfg->enable_secret, "$1$", 3) == 0 ? "5 " : "", W(cfg->enable_secret));
	fprintf(out, "!\n");
	for (unsigned i = 0; i < cfg->nusers; i++) {
		const struct cfg_user *u = &cfg->users[i];

		fprintf(out, "username %s", W(u->name));
		if (u->has_callback)
			fprintf(out, " callback-dialstring %s", W(u->callback_dialstring));
		if (u->secret) {
			fprintf(out, " secret 5 %s", W(u->password));
		} else if (u->password[0]) {
			fputc(' ', out);
			password(out, cfg, u->password, u->password_encrypted, u->password_salt);
		}
		fputc('\n', out);
	}
	if (cfg->domain_name[0])
		fprintf(out, "ip domain-name %s\n", W(cfg->domain_name));
	if (cfg->isdn_switch_type[0])
		fprintf(out, "isdn switch-type %s\n", W(cfg->isdn_switch_type));
	for (unsigned i = 0; i < cfg->nchat; i++)
		fprintf(out, "chat-script %s %s\n", W(cfg->chat[i].name), cfg->chat[i].text);
	if (cfg->tz_name[0]) {
		int h = cfg->tz_offset_min / 60, m = abs(cfg->tz_offset_min % 60);

		if (m)
			fprintf(out, "clock timezone %s %d %d\n", W(cfg->tz_name), h, m);
		else
			fprintf(out, "clock timezone %s %d\n", W(cfg->tz_name), h);
	}
	if (cfg->summer_name[0])
		fprintf(out, "clock summer-time %s %s\n", W(cfg->summer_name),
			cfg->summer_recurring ? "recurring" : "date");
	fprintf(out, "!\n");
	for (unsigned i = 0; i < cfg->nt1; i++) {
		const struct cfg_controller_t1 *t = &cfg->t1[i];

		fprintf(out, "controller T1 %u\n", t->unit);
		fprintf(out, " framing %s\n", t->framing == CFG_FRAMING_SF ? "sf" : "esf");
		fprintf(out, " clock source %s\n", t->clock == CFG_CLK_INTERNAL ? "internal" :
			t->clock == CFG_CLK_LINE_SECONDARY ? "line secondary" : "line primary");
		fprintf(out, " linecode %s\n", t->linecode == CFG_LINECODE_AMI ? "ami" : "b8zs");
		if (t->pri_group) {
			fprintf(out, " pri-group timeslots ");
			timeslots(out, t->pri_timeslots);
			fputc('\n', out);
		}
		if (t->shutdown)
			fprintf(out, " shutdown\n");
		fprintf(out, "!\n");
	}
	for (unsigned i = 0; i < cfg->nifs; i++)
		if (cfg->ifs[i].group_parent < 0)	/* group-range clones are derived */
			write_interface(out, cfg, &cfg->ifs[i]);
	if (cfg->router_eigrp) {
		fprintf(out, "router eigrp %u\n", cfg->eigrp_as);
		for (unsigned i = 0; i < cfg->nrouter_cmds; i++)
			fprintf(out, " %s\n", cfg->router_cmds[i]);
		fprintf(out, "!\n");
	}
	for (unsigned i = 0; i < cfg->npools; i++)
		for (unsigned r = 0; r < cfg->pools[i].nranges; r++) {
			fprintf(out, "ip local pool %s ", W(cfg->pools[i].name));
			ip(out, cfg->pools[i].ranges[r].lo);
			fputc(' ', out);
			ip(out, cfg->pools[i].ranges[r].hi);
			fputc('\n', out);
		}
	if (cfg->default_gateway) {
		fprintf(out, "ip default-gateway ");
		ip(out, cfg->default_gateway);
		fputc('\n', out);
	}
	fprintf(out, "%sip classless\n", cfg->ip_classless ? "" : "no ");
	for (int k = 0; k < 2; k++) {
		const uint32_t *srv = k ? cfg->bootp_nbns : cfg->bootp_dns;

		if (!srv[0])
			continue;
		fprintf(out, "async-bootp %s ", k ? "nbns-server" : "dns-server");
		ip(out, srv[0]);
		if (srv[1]) {
			fputc(' ', out);
			ip(out, srv[1]);
		}
		fputc('\n', out);
	}
	for (unsigned i = 0; i < cfg->ndialer_lists; i++)
		fprintf(out, "dialer-list %u protocol %s %s\n", cfg->dialer_lists[i].num,
			W(cfg->dialer_lists[i].proto), cfg->dialer_lists[i].permit ? "permit" : "deny");
	fprintf(out, "!\n");
	for (unsigned i = 0; i < cfg->nlines; i++)
		write_line(out, cfg, &cfg->lines[i]);
	fprintf(out, "!\nend\n");
}

int config_write(const struct nas_config *cfg, FILE *out)
{
	char *body = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&body, &len);

	if (!mem)
		return -1;
	write_body(mem, cfg);
	if (fclose(mem) != 0) {
		free(body);
		return -1;
	}
	fprintf(out, "Building configuration...\n\nCurrent configuration : %zu bytes\n", len);
	fwrite(body, 1, len, out);
	free(body);
	return 0;
}
