/*
 * test_subscriber_attach.c - sim/subscriber_attach.c: an outside program on a
 * subscriber line (unix socket listening / connecting, pty), byte transport both ways,
 * connect and hang-up (DTR drop) events, bad specs
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "subscriber_attach.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/attach-test-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char p[128];

	(void)state;
	snprintf(p, sizeof(p), "%s/s", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/l", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/srv", dir);
	unlink(p);
	rmdir(dir);
	return 0;
}

static void nap(void)
{
	struct timespec ts = { 0, 2 * 1000 * 1000 };

	nanosleep(&ts, NULL);
}

/* Poll until ev (or 2 s). */
static int poll_for(struct sub_attach *a, int want)
{
	for (int i = 0; i < 1000; i++) {
		int ev = sub_attach_poll(a);

		if (ev == want)
			return ev;
		nap();
	}
	return 0;
}

static size_t read_some(struct sub_attach *a, uint8_t *buf, size_t max)
{
	for (int i = 0; i < 1000; i++) {
		size_t n;

		sub_attach_poll(a);
		n = sub_attach_read(a, buf, max);
		if (n)
			return n;
		nap();
	}
	return 0;
}

static int unix_client(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -1;
	return fd;
}

static void test_unix_listen(void **state)
{
	struct sub_attach *a = calloc(1, sizeof(*a));
	char spec[128], err[128], path[100], got[16] = { 0 };
	uint8_t buf[64];
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/s", dir);
	snprintf(spec, sizeof(spec), "unix:%s", path);
	assert_int_equal(sub_attach_open(a, spec, err, sizeof(err)), 0);
	assert_false(a->connected);
	/* nothing connected: output is dropped, not queued */
	sub_attach_write(a, (const uint8_t *)"RING\r\n", 6);
	assert_int_equal(a->dropped, 6);

	fd = unix_client(path);
	assert_true(fd >= 0);
	assert_int_equal(poll_for(a, 1), 1);
	assert_true(a->connected);
	assert_int_equal(a->connections, 1);

	assert_int_equal(write(fd, "ATZ\r", 4), 4);
	assert_int_equal(read_some(a, buf, sizeof(buf)), 4);
	assert_memory_equal(buf, "ATZ\r", 4);
	assert_int_equal(a->rx, 4);

	sub_attach_write(a, (const uint8_t *)"\r\nOK\r\n", 6);
	assert_int_equal(read(fd, got, sizeof(got)), 6);
	assert_string_equal(got, "\r\nOK\r\n");
	assert_int_equal(a->tx, 6);

	close(fd);			/* the program goes away: DTR drop */
	assert_int_equal(poll_for(a, -1), -1);
	assert_false(a->connected);
	assert_true(a->ever_connected);

	fd = unix_client(path);		/* and may come back */
	assert_true(fd >= 0);
	assert_int_equal(poll_for(a, 1), 1);
	assert_int_equal(a->connections, 2);
	close(fd);
	sub_attach_close(a);
	assert_int_equal(access(path, F_OK), -1);	/* the socket file is removed */
	free(a);
}

static void test_unix_connect(void **state)
{
	struct sub_attach *a = calloc(1, sizeof(*a));
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char spec[128], err[128];
	uint8_t buf[8];
	int lfd, fd;

	(void)state;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/srv", dir);
	snprintf(spec, sizeof(spec), "unix-connect:%s", sa.sun_path);
	/* nobody listening yet: a clear error */
	assert_int_equal(sub_attach_open(a, spec, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "connect"));

	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	assert_int_equal(sub_attach_open(a, spec, err, sizeof(err)), 0);
	assert_true(a->connected);
	fd = accept(lfd, NULL, NULL);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "AT\r", 3), 3);
	assert_int_equal(read_some(a, buf, sizeof(buf)), 3);
	close(fd);
	assert_int_equal(poll_for(a, -1), -1);
	assert_true(a->ended);
	sub_attach_close(a);
	close(lfd);
	free(a);
}

static void test_pty(void **state)
{
	struct sub_attach *a = calloc(1, sizeof(*a));
	char spec[128], err[128], link[100], got[16] = { 0 };
	uint8_t buf[16];
	int fd;

	(void)state;
	snprintf(link, sizeof(link), "%s/l", dir);
	snprintf(spec, sizeof(spec), "pty:%s", link);
	assert_int_equal(sub_attach_open(a, spec, err, sizeof(err)), 0);
	assert_int_equal(strncmp(a->path, "/dev/pts/", 9), 0);
	fd = open(link, O_RDWR | O_NOCTTY);	/* through the symlink */
	assert_true(fd >= 0);
	sub_attach_poll(a);
	assert_true(a->connected);
	assert_int_equal(write(fd, "ATDT1\r", 6), 6);
	assert_int_equal(read_some(a, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, "ATDT1\r", 6);
	sub_attach_write(a, (const uint8_t *)"BUSY\r\n", 6);
	assert_int_equal(read(fd, got, sizeof(got)), 6);	/* raw: no echo, no CR mapping */
	assert_string_equal(got, "BUSY\r\n");
	close(fd);				/* the last close of the slave: DTR drop */
	assert_int_equal(poll_for(a, -1), -1);
	assert_false(a->connected);
	sub_attach_close(a);
	assert_int_equal(access(link, F_OK), -1);
	free(a);
}

static void test_bad_specs(void **state)
{
	struct sub_attach *a = calloc(1, sizeof(*a));
	char err[128], spec[256];

	(void)state;
	assert_int_equal(sub_attach_open(a, "tcp:1234", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "expected"));
	assert_int_equal(sub_attach_open(a, "unix:", err, sizeof(err)), -1);
	memset(spec, 'x', sizeof(spec) - 1);
	spec[sizeof(spec) - 1] = 0;
	memcpy(spec, "unix:/", 6);
	assert_int_equal(sub_attach_open(a, spec, err, sizeof(err)), -1);
	/* a file that is not a socket is not replaced */
	snprintf(spec, sizeof(spec), "%s/s", dir);
	{
		FILE *f = fopen(spec, "w");

		assert_non_null(f);
		fclose(f);
	}
	snprintf(spec, sizeof(spec), "unix:%s/s", dir);
	assert_int_equal(sub_attach_open(a, spec, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a socket"));
	free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unix_listen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unix_connect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_specs, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
