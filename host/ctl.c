/*
 * ctl.c - command table, IOS-style abbreviation matching, control socket (see ctl.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "log.h"

#define CTL_LINE_MAX	512

struct ctl_cmd {
	char     *words[CTL_MAX_WORDS];
	unsigned  nwords, nargs_min, nargs_max;
	ctl_fn    fn;
	void     *ctx;
	char     *help;
};

struct ctl {
	struct ctl_cmd *cmds;
	unsigned ncmds;
	struct ev_loop *loop;
	struct ev_io listen_io;
	int listen_fd;
	char *path;
};

struct ctl *ctl_new(void)
{
	struct ctl *c = calloc(1, sizeof(*c));

	if (c)
		c->listen_fd = -1;
	return c;
}

void ctl_free(struct ctl *c)
{
	if (!c)
		return;
	if (c->listen_fd >= 0) {
		ev_io_stop(c->loop, &c->listen_io);
		close(c->listen_fd);
		unlink(c->path);
	}
	for (unsigned i = 0; i < c->ncmds; i++) {
		for (unsigned w = 0; w < c->cmds[i].nwords; w++)
			free(c->cmds[i].words[w]);
		free(c->cmds[i].help);
	}
	free(c->cmds);
	free(c->path);
	free(c);
}

static unsigned split(char *line, char **w, unsigned max)
{
	unsigned n = 0;
	char *save = NULL;

	for (char *tok = strtok_r(line, " \t\r\n", &save); tok && n < max;
	     tok = strtok_r(NULL, " \t\r\n", &save))
		w[n++] = tok;
	return n;
}

int ctl_register(struct ctl *c, const char *words, unsigned nargs_min, unsigned nargs_max,
		 ctl_fn fn, void *ctx, const char *help)
{
	char buf[CTL_LINE_MAX], *w[CTL_MAX_WORDS];
	struct ctl_cmd *cmds, *cmd;
	unsigned n;

	snprintf(buf, sizeof(buf), "%s", words);
	n = split(buf, w, CTL_MAX_WORDS);
	if (n == 0 || n + nargs_max > CTL_MAX_WORDS)
		return -EINVAL;
	cmds = realloc(c->cmds, (c->ncmds + 1) * sizeof(*cmds));
	if (!cmds)
		return -ENOMEM;
	c->cmds = cmds;
	cmd = &c->cmds[c->ncmds++];
	memset(cmd, 0, sizeof(*cmd));
	for (unsigned i = 0; i < n; i++)
		cmd->words[i] = strdup(w[i]);
	cmd->nwords = n;
	cmd->nargs_min = nargs_min;
	cmd->nargs_max = nargs_max;
	cmd->fn = fn;
	cmd->ctx = ctx;
	cmd->help = strdup(help ? help : "");
	return 0;
}

static bool word_matches(const char *typed, const char *word)
{
	size_t n = strlen(typed);

	return n > 0 && strncasecmp(typed, word, n) == 0;
}

/* A command fits when its fixed words match the typed prefixes and the rest are
 * within its argument count.  The fit with the most fixed words wins ("undebug all"
 * over "undebug X"); among those, an exact spelling beats an abbreviation. */
int ctl_execute(struct ctl *c, const char *line, FILE *out)
{
	char buf[CTL_LINE_MAX], *w[CTL_MAX_WORDS + 1];
	unsigned n, best_words = 0, nbest = 0;
	struct ctl_cmd *fit = NULL;
	bool best_exact = false;

	snprintf(buf, sizeof(buf), "%s", line);
	n = split(buf, w, CTL_MAX_WORDS + 1);
	if (n == 0)
		return 0;
	if (n > CTL_MAX_WORDS) {
		fprintf(out, "%% Invalid input detected\n");
		return -1;
	}
	for (unsigned i = 0; i < c->ncmds; i++) {
		struct ctl_cmd *cmd = &c->cmds[i];
		bool ok = n >= cmd->nwords + cmd->nargs_min && n <= cmd->nwords + cmd->nargs_max;
		bool is_exact = true;

		for (unsigned k = 0; ok && k < cmd->nwords; k++) {
			ok = word_matches(w[k], cmd->words[k]);
			is_exact = is_exact && strcasecmp(w[k], cmd->words[k]) == 0;
		}
		if (!ok)
			continue;
		if (cmd->nwords > best_words || (cmd->nwords == best_words && is_exact && !best_exact)) {
			best_words = cmd->nwords;
			best_exact = is_exact;
			fit = cmd;
			nbest = 1;
		} else if (cmd->nwords == best_words && is_exact == best_exact) {
			nbest++;
		}
	}
	if (nbest > 1) {
		fprintf(out, "%% Ambiguous command:  \"%s\"\n", line);
		return -1;
	}
	if (!fit) {
		fprintf(out, "%% Invalid input detected\n");
		return -1;
	}
	for (unsigned k = 0; k < fit->nwords; k++)
		w[k] = fit->words[k];
	return fit->fn(fit->ctx, (int)n, w, out);
}

/* --- the socket --------------------------------------------------------------------- */

static void serve_client(struct ctl *c, int fd)
{
	char line[CTL_LINE_MAX];
	size_t len = 0;
	char *outbuf = NULL;
	size_t outlen = 0;
	FILE *out;

	/* one short command line; the client sends it at once and shuts down writing */
	struct timeval tv = { .tv_sec = 1 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (len < sizeof(line) - 1) {
		ssize_t r = read(fd, line + len, sizeof(line) - 1 - len);

		if (r <= 0)
			break;
		len += (size_t)r;
		if (memchr(line, '\n', len))
			break;
	}
	line[len] = '\0';
	out = open_memstream(&outbuf, &outlen);
	if (!out)
		return;
	ctl_execute(c, line, out);
	fclose(out);
	for (size_t off = 0; off < outlen;) {
		ssize_t wr = write(fd, outbuf + off, outlen - off);

		if (wr <= 0)
			break;
		off += (size_t)wr;
	}
	free(outbuf);
}

static void on_accept(struct ev_io *io, int fd, uint32_t revents, void *arg)
{
	struct ctl *c = arg;
	int cfd;

	(void)io;
	(void)revents;
	while ((cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		serve_client(c, cfd);
		close(cfd);
	}
}

int ctl_listen(struct ctl *c, struct ev_loop *loop, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int fd, rc;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	old = umask(077);		/* the socket is created 0600 */
	rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc < 0 || listen(fd, 8) < 0) {
		rc = -errno;
		log_err("control socket %s: %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	chmod(path, 0600);
	rc = ev_io_start(loop, &c->listen_io, fd, EPOLLIN, on_accept, c);
	if (rc < 0) {
		close(fd);
		return rc;
	}
	c->listen_fd = fd;
	c->loop = loop;
	c->path = strdup(path);
	return 0;
}

/* --- debug commands ----------------------------------------------------------------- */

static const struct {
	const char *words;
	enum dbg_cat cat;
	const char *group;	/* `show debug` heading, as IOS groups them */
} debug_cmds[] = {
	{ "modem",			DBG_MODEM,		"General OS:" },
	{ "aaa authentication",		DBG_AAA_AUTHENTICATION,	"General OS:" },
	{ "aaa authorization",		DBG_AAA_AUTHORIZATION,	"General OS:" },
	{ "callback",			DBG_CALLBACK,		"General OS:" },
	{ "ppp negotiation",		DBG_PPP_NEGOTIATION,	"PPP:" },
	{ "ppp authentication",		DBG_PPP_AUTHENTICATION,	"PPP:" },
	{ "ppp packet",			DBG_PPP_PACKET,		"PPP:" },
	{ "ppp error",			DBG_PPP_ERROR,		"PPP:" },
	{ "ppp cbcp",			DBG_PPP_CBCP,		"PPP:" },
	{ "isdn q921",			DBG_ISDN_Q921,		"ISDN:" },
	{ "isdn q931",			DBG_ISDN_Q931,		"ISDN:" },
	{ "isdn events",		DBG_ISDN_EVENTS,	"ISDN:" },
	{ "chat",			DBG_CHAT,		"Chat Scripts:" },
	{ "modem csm",			DBG_MODEM_CSM,		"Modem Management:" },
	{ "card",			DBG_CARD,		"Line card:" },
};

/* The debug category whose words the typed words abbreviate (argv[0] is the verb). */
static int find_debug(int argc, char **argv)
{
	int found = -1;

	for (size_t i = 0; i < sizeof(debug_cmds) / sizeof(debug_cmds[0]); i++) {
		char words[64], *w[4], *save = NULL;
		int n = 0;

		snprintf(words, sizeof(words), "%s", debug_cmds[i].words);
		for (char *t = strtok_r(words, " ", &save); t && n < 4; t = strtok_r(NULL, " ", &save))
			w[n++] = t;
		if (n != argc - 1)
			continue;
		bool ok = true;
		for (int k = 0; k < n && ok; k++)
			ok = word_matches(argv[k + 1], w[k]);
		if (ok) {
			if (found >= 0)
				return -1;	/* ambiguous */
			found = (int)i;
		}
	}
	return found;
}

static int cmd_debug_on(void *ctx, int argc, char **argv, FILE *out)
{
	int i = find_debug(argc, argv);

	(void)ctx;
	if (i < 0) {
		fprintf(out, "%% Invalid input detected\n");
		return -1;
	}
	dbg_enable(debug_cmds[i].cat, true);
	fprintf(out, "%s debugging is on\n", dbg_cat_name(debug_cmds[i].cat));
	return 0;
}

static int cmd_debug_off(void *ctx, int argc, char **argv, FILE *out)
{
	int i = find_debug(argc, argv);

	(void)ctx;
	if (i < 0) {
		fprintf(out, "%% Invalid input detected\n");
		return -1;
	}
	dbg_enable(debug_cmds[i].cat, false);
	fprintf(out, "%s debugging is off\n", dbg_cat_name(debug_cmds[i].cat));
	return 0;
}

static int cmd_undebug_all(void *ctx, int argc, char **argv, FILE *out)
{
	(void)ctx;
	(void)argc;
	(void)argv;
	dbg_all_off();
	fprintf(out, "All possible debugging has been turned off\n");
	return 0;
}

static int cmd_show_debug(void *ctx, int argc, char **argv, FILE *out)
{
	const char *group = NULL;

	(void)ctx;
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(debug_cmds) / sizeof(debug_cmds[0]); i++) {
		if (!dbg_enabled(debug_cmds[i].cat))
			continue;
		if (!group || strcmp(group, debug_cmds[i].group) != 0) {
			group = debug_cmds[i].group;
			fprintf(out, "%s\n", group);
		}
		fprintf(out, "%s debugging is on\n", dbg_cat_name(debug_cmds[i].cat));
	}
	return 0;
}

void ctl_register_debug(struct ctl *c)
{
	ctl_register(c, "debug", 1, 2, cmd_debug_on, NULL, "switch a debug category on");
	ctl_register(c, "undebug all", 0, 0, cmd_undebug_all, NULL, "switch every debug off");
	ctl_register(c, "undebug", 1, 2, cmd_debug_off, NULL, "switch a debug category off");
	ctl_register(c, "no debug", 1, 2, cmd_debug_off, NULL, "switch a debug category off");
	ctl_register(c, "show debugging", 0, 0, cmd_show_debug, NULL, "debug categories that are on");
}
