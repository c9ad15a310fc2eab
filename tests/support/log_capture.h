/*
 * log_capture.h - collect the daemon's log lines in a test (test only)
 *
 * A log sink (host/log.h) that keeps every line in memory with the debug timestamp
 * ("*Mar  1 01:25:16.611: ") cut off, so tests compare the text the seed shows
 * after it; searching and dumping for failure messages.  Set LOG_CAPTURE_TRACE in
 * the environment to also see the lines, whole, on stderr as they come.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_LOG_CAPTURE_H
#define DIALBACK_LOG_CAPTURE_H

#include <stdbool.h>
#include <stdio.h>

#define LOG_CAPTURE_LEN 256		/* longer lines are cut */

struct log_capture {
	char (*line)[LOG_CAPTURE_LEN];	/* the lines, oldest first */
	unsigned n;			/* lines kept */
	unsigned max;			/* lines after that are dropped (and counted) */
	unsigned dropped;
	int handle;			/* of log_add_sink, -1 when not capturing */
};

/* Allocate room for `max` lines and add the sink (assert on failure). */
void log_capture_start(struct log_capture *c, unsigned max);
/* Remove the sink and free the lines. */
void log_capture_stop(struct log_capture *c);
/* Forget the lines kept so far. */
void log_capture_clear(struct log_capture *c);
/* Index of the first line at or after `from` that contains `s`, or -1. */
int  log_capture_find(const struct log_capture *c, unsigned from, const char *s);
bool log_capture_has(const struct log_capture *c, const char *s);
/* Print the lines from `from` on, each after `prefix`, to stderr. */
void log_capture_dump(const struct log_capture *c, unsigned from, const char *prefix);

#endif
