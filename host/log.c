/*
 * log.c - IOS-style debug lines, console messages and the daemon log (see log.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define LOG_MAX_SINKS	16
#define LOG_LINE_MAX	1024

struct log_sink {
	log_sink_fn fn;
	void       *ctx;
};

/* Process-wide, as a router's debug flags are; no per-line state here. */
static struct {
	const struct ev_loop *loop;
	time_t  base;
	bool    authoritative;
	bool    debug_on[DBG_COUNT];
	struct log_sink sinks[LOG_MAX_SINKS];
} logger;

static const char *const dbg_names[DBG_COUNT] = {
	[DBG_PPP_NEGOTIATION]    = "PPP protocol negotiation",
	[DBG_PPP_AUTHENTICATION] = "PPP authentication",
	[DBG_PPP_PACKET]         = "PPP packet display",
	[DBG_PPP_ERROR]          = "PPP protocol errors",
	[DBG_PPP_CBCP]           = "PPP callback control protocol (MCB)",
	[DBG_AAA_AUTHENTICATION] = "AAA Authentication",
	[DBG_AAA_AUTHORIZATION]  = "AAA Authorization",
	[DBG_CALLBACK]           = "Callback",
	[DBG_CHAT]               = "Chat scripts activity",
	[DBG_MODEM]              = "Modem control/process activation",
	[DBG_MODEM_CSM]          = "Modem Management Call Switching Module",
	[DBG_ISDN_Q921]          = "ISDN Q921 packets",
	[DBG_ISDN_Q931]          = "ISDN Q931 packets",
	[DBG_ISDN_EVENTS]        = "ISDN events",
	[DBG_CARD]               = "Line card protocol",
};

void log_set_clock(const struct ev_loop *loop, time_t base, bool authoritative)
{
	logger.loop = loop;
	logger.base = base;
	logger.authoritative = authoritative;
}

void log_timestamp(char *buf, unsigned size)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	ev_time_t now = logger.loop ? ev_now(logger.loop) : 0;
	time_t secs = logger.base + (time_t)(now / EV_SEC);
	unsigned ms = (unsigned)((now % EV_SEC) / EV_MSEC);
	struct tm tm;

	gmtime_r(&secs, &tm);
	snprintf(buf, size, "%s%s %d %02d:%02d:%02d.%03u", logger.authoritative ? "" : "*",
		 mon[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
}

int log_add_sink(log_sink_fn fn, void *ctx)
{
	for (int i = 0; i < LOG_MAX_SINKS; i++) {
		if (!logger.sinks[i].fn) {
			logger.sinks[i].fn = fn;
			logger.sinks[i].ctx = ctx;
			return i;
		}
	}
	return -ENOSPC;
}

void log_remove_sink(int handle)
{
	if (handle >= 0 && handle < LOG_MAX_SINKS)
		logger.sinks[handle].fn = NULL;
}

void log_reset(void)
{
	memset(&logger, 0, sizeof(logger));
}

void dbg_enable(enum dbg_cat cat, bool on)
{
	if ((unsigned)cat < DBG_COUNT)
		logger.debug_on[cat] = on;
}

bool dbg_enabled(enum dbg_cat cat)
{
	return (unsigned)cat < DBG_COUNT && logger.debug_on[cat];
}

void dbg_all_off(void)
{
	memset(logger.debug_on, 0, sizeof(logger.debug_on));
}

const char *dbg_cat_name(enum dbg_cat cat)
{
	return (unsigned)cat < DBG_COUNT ? dbg_names[cat] : "?";
}

static void emit(enum log_level lvl, const char *line)
{
	for (int i = 0; i < LOG_MAX_SINKS; i++)
		if (logger.sinks[i].fn)
			logger.sinks[i].fn(logger.sinks[i].ctx, lvl, line);
}

void dbg(enum dbg_cat cat, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	int n;
	va_list ap;

	if (!dbg_enabled(cat))
		return;
	log_timestamp(line, sizeof(line));
	n = (int)strlen(line);
	n += snprintf(line + n, sizeof(line) - (size_t)n, ": ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	emit(LOG_LVL_DEBUG, line);
}

void log_console(const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	emit(LOG_LVL_NOTICE, line);
}

void log_vmsg(enum log_level lvl, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];

	vsnprintf(line, sizeof(line), fmt, ap);
	emit(lvl, line);
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(lvl, fmt, ap);
	va_end(ap);
}
