/*
 * log_capture.c - collect the daemon's log lines in a test (see log_capture.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "log_capture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"

static void sink(void *ctx, enum log_level lvl, const char *line)
{
	struct log_capture *c = ctx;
	const char *text = line;

	(void)lvl;
	if (getenv("LOG_CAPTURE_TRACE"))
		fprintf(stderr, "%s\n", line);
	/* debug lines: keep the text after the timestamp */
	if (line[0] == '*' && strstr(line, ": "))
		text = strstr(line, ": ") + 2;
	if (c->n < c->max)
		snprintf(c->line[c->n++], sizeof(c->line[0]), "%s", text);
	else
		c->dropped++;
}

void log_capture_start(struct log_capture *c, unsigned max)
{
	memset(c, 0, sizeof(*c));
	c->line = calloc(max, sizeof(*c->line));
	assert_non_null(c->line);
	c->max = max;
	c->handle = log_add_sink(sink, c);
	assert_true(c->handle >= 0);
}

void log_capture_stop(struct log_capture *c)
{
	if (c->handle >= 0)
		log_remove_sink(c->handle);
	free(c->line);
	memset(c, 0, sizeof(*c));
	c->handle = -1;
}

void log_capture_clear(struct log_capture *c)
{
	c->n = 0;
	c->dropped = 0;
}

int log_capture_find(const struct log_capture *c, unsigned from, const char *s)
{
	for (unsigned i = from; i < c->n; i++)
		if (strstr(c->line[i], s))
			return (int)i;
	return -1;
}

bool log_capture_has(const struct log_capture *c, const char *s)
{
	return log_capture_find(c, 0, s) >= 0;
}

void log_capture_dump(const struct log_capture *c, unsigned from, const char *prefix)
{
	for (unsigned i = from; i < c->n; i++)
		fprintf(stderr, "%s%s\n", prefix, c->line[i]);
	if (c->dropped)
		fprintf(stderr, "%s(%u more lines not kept)\n", prefix, c->dropped);
}
