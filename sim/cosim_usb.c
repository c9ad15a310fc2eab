/*
 * cosim_usb.c - `--transport usb` when dialback-sim is built without umockdev: says
 * how to get it.  The real one is sim/umockdev_cosim.c, linked instead of this by
 * tests/umockdev/rules.mk into $(BUILD)/umockdev/dialback-sim.
 *
 * SPDX-License-Identifier: MIT
 */
#include "cosim_usb.h"

#include <stdio.h>

void cosim_usb_wrap(int argc, char **argv)
{
	(void)argc;
	(void)argv;
}

struct cosim_usb *cosim_usb_new(struct cosim *cs, struct ev_loop *loop, struct nas *nas)
{
	(void)cs;
	(void)loop;
	(void)nas;
	fprintf(stderr, "dialback-sim: this build has no USB transport; use the umockdev build "
			"(make umockdev: $BUILD/umockdev/dialback-sim, run under umockdev-wrapper)\n");
	return NULL;
}

void cosim_usb_free(struct cosim_usb *u)
{
	(void)u;
}
