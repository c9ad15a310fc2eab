/*
 * test_nas.c - the NAS built from the seed's configuration, without a card: its
 * lines (modems InOut on 1-6, busied out on 7-12), its span and its operator commands
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config.h"
#include "ctl.h"
#include "line.h"
#include "log.h"
#include "nas.h"

struct fixture {
	struct ev_loop *loop;
	struct nas *nas;
	struct ctl *ctl;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct nas_config *cfg = NULL;
	FILE *diag = fopen("/dev/null", "w");

	assert_int_equal(config_load_file("examples/seed.cfg", &cfg, diag), 0);
	fclose(diag);
	f->loop = ev_loop_new_manual(0);
	f->nas = nas_new(f->loop, cfg, NULL);
	assert_non_null(f->nas);
	f->ctl = ctl_new();
	nas_register_commands(f->nas, f->ctl);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ctl_free(f->ctl);
	nas_free(f->nas);
	ev_loop_free(f->loop);
	free(f);
	log_reset();
	return 0;
}

static char *run(struct fixture *f, const char *cmd, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	*rc = ctl_execute(f->ctl, cmd, out);
	fclose(out);
	return buf;
}

static void test_lines_from_the_seed(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->nas->nlines, 12);
	for (unsigned t = 1; t <= 12; t++) {
		struct line *l = &f->nas->lines[t - 1];

		assert_int_equal(l->phase, t <= 6 ? LINE_IDLE : LINE_BUSYOUT);
		assert_non_null(l->port);		/* every modem line is on the CSM */
		assert_int_equal(l->port->port, t - 1);	/* tty4 = slot 0, port 3 */
	}
	assert_string_equal(f->nas->lines[3].sname, "As4");
	assert_string_equal(f->nas->lines[3].lname, "Async4");
	/* controller T1 0 is the PRI (shutdown T1 1 has none) */
	assert_true(f->nas->nspans >= 1);
	assert_true(f->nas->spans[0].pri);
	assert_true(f->nas->spans[0].isdn_ready);
	assert_false(f->nas->nspans > 1 && f->nas->spans[1].pri);
	assert_int_equal(f->nas->spans[0].isdn.cfg.first_callref, 5);
}

static void test_show_commands(void **state)
{
	struct fixture *f = *state;
	int rc;
	char *o;

	o = run(f, "show line", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(o, "    4 TTY"));
	assert_non_null(strstr(o, "inout"));
	assert_non_null(strstr(o, "busy"));
	free(o);
	o = run(f, "show ip local pool", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(o, " default                  172.16.25.59    172.16.25.62        4       0"));
	free(o);
	o = run(f, "show users", &rc);
	assert_int_equal(rc, 0);
	assert_null(strstr(o, "tty 4"));		/* nobody is on a line */
	free(o);
	o = run(f, "show isdn status", &rc);
	assert_int_equal(rc, 0);
	assert_non_null(strstr(o, "primary-5ess"));
	free(o);
	o = run(f, "clear line 40", &rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(o, "Invalid line"));
	free(o);
	o = run(f, "clear line 4", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(f->nas->lines[3].phase, LINE_IDLE);
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lines_from_the_seed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_show_commands, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
