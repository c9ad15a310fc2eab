/*
 * ctl.h - the operator's command interface: an IOS-style command table, executed
 * from the control socket (dialbackctl), from the simulator's scripts and from tests
 *
 * Words may be abbreviated as on IOS ("sh deb" = "show debug"); an abbreviation that
 * fits two commands is "% Ambiguous command", a command that fits none is
 * "% Invalid input detected".  Modules register their commands with ctl_register().
 *
 * The socket speaks one request per connection: the client writes one command line,
 * the daemon writes the output and closes.  The socket is created mode 0600.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_CTL_H
#define DIALBACK_CTL_H

#include <stdio.h>

#include "evloop.h"

#define CTL_MAX_WORDS	12

struct ctl;

/* argv holds every word typed, expanded to the registered spelling for the fixed
 * words and as typed for the rest (arguments). */
typedef int (*ctl_fn)(void *ctx, int argc, char **argv, FILE *out);

struct ctl *ctl_new(void);
void ctl_free(struct ctl *c);
/* words: the fixed part, e.g. "show isdn active"; nargs_min/max: extra words. */
int  ctl_register(struct ctl *c, const char *words, unsigned nargs_min, unsigned nargs_max,
		  ctl_fn fn, void *ctx, const char *help);
/* Run one command line; returns the command's result or -1 for a parse error. */
int  ctl_execute(struct ctl *c, const char *line, FILE *out);

/* Serve the command table on a Unix socket at path (replaced if stale). */
int  ctl_listen(struct ctl *c, struct ev_loop *loop, const char *path);

/* The `debug ...`, `undebug all` and `show debug` commands (host/log.h flags). */
void ctl_register_debug(struct ctl *c);

#endif /* DIALBACK_CTL_H */
