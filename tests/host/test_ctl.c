/*
 * test_ctl.c - the operator command table: abbreviations, ambiguity, arguments,
 * debug switches and `show debug`, and the control socket end to end
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <cmocka.h>

#include "ctl.h"
#include "log.h"

static char *run(struct ctl *c, const char *line, int *rc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*rc = ctl_execute(c, line, f);
	fclose(f);
	return buf;
}

static int last_argc;
static char last_arg[64];

static int cmd_record(void *ctx, int argc, char **argv, FILE *out)
{
	last_argc = argc;
	snprintf(last_arg, sizeof(last_arg), "%s", argv[argc - 1]);
	fprintf(out, "%s\n", (const char *)ctx);
	return 0;
}

static void test_matching(void **state)
{
	(void)state;
	struct ctl *c = ctl_new();
	int rc;
	char *o;

	ctl_register(c, "show users", 0, 0, cmd_record, "users", "");
	ctl_register(c, "show isdn active", 0, 0, cmd_record, "active", "");
	ctl_register(c, "show isdn status", 0, 0, cmd_record, "status", "");
	ctl_register(c, "show interfaces async", 1, 1, cmd_record, "ifasync", "");
	ctl_register(c, "clear line", 1, 1, cmd_record, "clear", "");

	o = run(c, "sh us", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(o, "users\n");
	free(o);
	o = run(c, "show isdn act", &rc);
	assert_string_equal(o, "active\n");
	free(o);
	o = run(c, "show isdn", &rc);		/* needs a third word */
	assert_int_equal(rc, -1);
	assert_non_null(strstr(o, "Invalid input"));
	free(o);
	o = run(c, "show isdn s", &rc);
	assert_string_equal(o, "status\n");
	free(o);
	o = run(c, "sh i", &rc);		/* fits nothing with zero args */
	assert_int_equal(rc, -1);
	free(o);
	o = run(c, "show interfaces async 4", &rc);
	assert_int_equal(rc, 0);
	assert_int_equal(last_argc, 4);
	assert_string_equal(last_arg, "4");
	free(o);
	o = run(c, "clear line", &rc);		/* missing argument */
	assert_int_equal(rc, -1);
	free(o);
	o = run(c, "frobnicate", &rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(o, "% Invalid input detected"));
	free(o);
	ctl_free(c);
}

static void test_ambiguous(void **state)
{
	(void)state;
	struct ctl *c = ctl_new();
	int rc;
	char *o;

	ctl_register(c, "show caller", 0, 0, cmd_record, "caller", "");
	ctl_register(c, "show controllers", 0, 0, cmd_record, "controllers", "");
	o = run(c, "show c", &rc);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(o, "Ambiguous"));
	free(o);
	o = run(c, "show ca", &rc);
	assert_string_equal(o, "caller\n");
	free(o);
	ctl_free(c);
}

static void test_debug_commands(void **state)
{
	(void)state;
	struct ctl *c = ctl_new();
	int rc;
	char *o;

	log_reset();
	ctl_register_debug(c);
	free(run(c, "debug modem", &rc));
	free(run(c, "debug aaa authentication", &rc));
	free(run(c, "debug aaa authorization", &rc));
	free(run(c, "debug ppp negotiation", &rc));
	free(run(c, "debug isdn q931", &rc));
	free(run(c, "debug chat", &rc));
	o = run(c, "debug modem csm", &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(o, "Modem Management Call Switching Module debugging is on\n");
	free(o);
	assert_true(dbg_enabled(DBG_MODEM_CSM));
	/* the seed's `show debug` */
	o = run(c, "show debug", &rc);
	assert_string_equal(o,
		"General OS:\n"
		"Modem control/process activation debugging is on\n"
		"AAA Authentication debugging is on\n"
		"AAA Authorization debugging is on\n"
		"PPP:\n"
		"PPP protocol negotiation debugging is on\n"
		"ISDN:\n"
		"ISDN Q931 packets debugging is on\n"
		"Chat Scripts:\n"
		"Chat scripts activity debugging is on\n"
		"Modem Management:\n"
		"Modem Management Call Switching Module debugging is on\n");
	free(o);
	o = run(c, "undebug all", &rc);
	assert_int_equal(rc, 0);
	free(o);
	assert_false(dbg_enabled(DBG_PPP_NEGOTIATION));
	o = run(c, "debug ppp nego", &rc);	/* abbreviated */
	assert_int_equal(rc, 0);
	assert_true(dbg_enabled(DBG_PPP_NEGOTIATION));
	free(o);
	o = run(c, "debug ppp", &rc);		/* incomplete */
	assert_int_equal(rc, -1);
	free(o);
	ctl_free(c);
	log_reset();
}

static void test_socket(void **state)
{
	(void)state;
	struct ev_loop *loop = ev_loop_new_manual(0);
	struct ctl *c = ctl_new();
	char path[64], buf[256];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/tmp/dialback-test-ctl-%d.sock", (int)getpid());
	ctl_register(c, "show users", 0, 0, cmd_record, "Line User Host(s)", "");
	assert_int_equal(ctl_listen(c, loop, path), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(write(fd, "sh users\n", 9), 9);
	shutdown(fd, SHUT_WR);
	ev_loop_step(loop, 1);			/* the daemon's loop serves it */
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "Line User Host(s)\n");
	close(fd);
	ctl_free(c);
	assert_int_not_equal(stat(path, &st), 0);	/* removed on exit */
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_ambiguous),
		cmocka_unit_test(test_debug_commands),
		cmocka_unit_test(test_socket),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
