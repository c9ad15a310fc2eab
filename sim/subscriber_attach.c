/*
 * subscriber_attach.c - an outside program on a subscriber line (see subscriber_attach.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "subscriber_attach.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int unix_addr(struct sockaddr_un *sa, const char *path)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (!path[0] || strlen(path) >= sizeof(sa->sun_path))
		return -1;
	memcpy(sa->sun_path, path, strlen(path) + 1);
	return 0;
}

static int open_listen(struct sub_attach *a, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	struct stat st;

	if (unix_addr(&sa, a->path) < 0) {
		snprintf(err, errlen, "bad socket path '%s'", a->path);
		return -1;
	}
	if (lstat(a->path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a socket", a->path);
			return -1;
		}
		unlink(a->path);
	}
	a->lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (a->lfd < 0 || bind(a->lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(a->lfd, 1) < 0 || set_nonblock(a->lfd) < 0) {
		snprintf(err, errlen, "listen on %s: %s", a->path, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_connect(struct sub_attach *a, char *err, size_t errlen)
{
	struct sockaddr_un sa;

	if (unix_addr(&sa, a->path) < 0) {
		snprintf(err, errlen, "bad socket path '%s'", a->path);
		return -1;
	}
	a->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (a->fd < 0 || connect(a->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    set_nonblock(a->fd) < 0) {
		snprintf(err, errlen, "connect to %s: %s", a->path, strerror(errno));
		return -1;
	}
	a->connected = a->ever_connected = true;
	a->connections = 1;
	return 0;
}

static int open_pty(struct sub_attach *a, char *err, size_t errlen)
{
	struct termios tio;
	const char *name;

	a->fd = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (a->fd < 0 || grantpt(a->fd) < 0 || unlockpt(a->fd) < 0 ||
	    !(name = ptsname(a->fd)) || set_nonblock(a->fd) < 0) {
		snprintf(err, errlen, "pty: %s", strerror(errno));
		return -1;
	}
	snprintf(a->path, sizeof(a->path), "%s", name);
	/* the slave starts raw: no echo or line editing before the program sets it up */
	if (tcgetattr(a->fd, &tio) == 0) {
		cfmakeraw(&tio);
		tcsetattr(a->fd, TCSANOW, &tio);
	}
	if (a->link[0]) {
		unlink(a->link);
		if (symlink(a->path, a->link) < 0) {
			snprintf(err, errlen, "symlink %s -> %s: %s", a->link, a->path, strerror(errno));
			return -1;
		}
	}
	a->closed_since = wall_now();
	return 0;
}

int sub_attach_open(struct sub_attach *a, const char *spec, char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');

	memset(a, 0, sizeof(*a));
	a->lfd = a->fd = -1;
	if (colon && strlen(colon + 1) >= sizeof(a->path)) {
		snprintf(err, errlen, "path too long (at most %zu characters)", sizeof(a->path) - 1);
		return -1;
	}
	if (strncmp(spec, "unix:", 5) == 0) {
		a->kind = SUB_ATTACH_UNIX_LISTEN;
		snprintf(a->path, sizeof(a->path), "%s", spec + 5);
		if (open_listen(a, err, errlen) < 0)
			goto fail;
	} else if (strncmp(spec, "unix-connect:", 13) == 0) {
		a->kind = SUB_ATTACH_UNIX_CONNECT;
		snprintf(a->path, sizeof(a->path), "%s", spec + 13);
		if (open_connect(a, err, errlen) < 0)
			goto fail;
	} else if (strcmp(spec, "pty") == 0 || strncmp(spec, "pty:", 4) == 0) {
		a->kind = SUB_ATTACH_PTY;
		if (spec[3] == ':')
			snprintf(a->link, sizeof(a->link), "%s", spec + 4);
		if (open_pty(a, err, errlen) < 0)
			goto fail;
	} else {
		snprintf(err, errlen, "'%s': expected unix:PATH, unix-connect:PATH or pty[:LINK]",
			 spec);
		return -1;
	}
	return 0;
fail:
	sub_attach_close(a);
	return -1;
}

void sub_attach_close(struct sub_attach *a)
{
	if (a->fd >= 0)
		close(a->fd);
	if (a->lfd >= 0) {
		close(a->lfd);
		unlink(a->path);
	}
	if (a->kind == SUB_ATTACH_PTY && a->link[0])
		unlink(a->link);
	a->fd = a->lfd = -1;
	a->connected = false;
}

static void drop_connection(struct sub_attach *a)
{
	if (a->kind != SUB_ATTACH_PTY) {
		close(a->fd);
		a->fd = -1;
		if (a->kind == SUB_ATTACH_UNIX_CONNECT)
			a->ended = true;
	} else {
		a->closed_since = wall_now();
	}
	a->connected = false;
	a->out_len = a->out_head = 0;
}

static void flush_out(struct sub_attach *a)
{
	while (a->connected && a->out_len) {
		size_t chunk = a->out_len;
		ssize_t w;

		if (a->out_head + chunk > sizeof(a->out))
			chunk = sizeof(a->out) - a->out_head;
		w = write(a->fd, a->out + a->out_head, chunk);
		if (w <= 0)
			break;		/* EAGAIN: later; errors show up as a hang-up on poll */
		a->out_head = (a->out_head + (size_t)w) % sizeof(a->out);
		a->out_len -= (size_t)w;
		a->tx += (uint64_t)w;
	}
}

int sub_attach_poll(struct sub_attach *a)
{
	struct pollfd p;
	int ev = 0;

	if (a->kind == SUB_ATTACH_UNIX_LISTEN && !a->connected && a->lfd >= 0) {
		int fd = accept4(a->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			a->fd = fd;
			a->connected = a->ever_connected = true;
			a->connections++;
			ev = 1;
		}
	}
	if (a->fd < 0)
		return ev;
	p.fd = a->fd;
	p.events = POLLIN;
	p.revents = 0;
	if (poll(&p, 1, 0) < 0)
		return ev;
	if (a->kind == SUB_ATTACH_PTY) {
		bool open_now = !(p.revents & POLLHUP);

		if (open_now && !a->connected) {
			a->connected = a->ever_connected = true;
			a->connections++;
			ev = 1;
		} else if (!open_now && a->connected) {
			drop_connection(a);
			ev = -1;
		}
	} else if (a->connected && (p.revents & (POLLHUP | POLLERR | POLLIN))) {
		uint8_t c;
		ssize_t n = recv(a->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);

		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			drop_connection(a);
			ev = -1;
		}
	}
	flush_out(a);
	return ev;
}

size_t sub_attach_read(struct sub_attach *a, uint8_t *buf, size_t max)
{
	ssize_t n;

	if (!a->connected || a->fd < 0 || max == 0)
		return 0;
	n = read(a->fd, buf, max);
	if (n <= 0)
		return 0;		/* EOF and errors are seen by sub_attach_poll */
	a->rx += (uint64_t)n;
	return (size_t)n;
}

void sub_attach_write(struct sub_attach *a, const uint8_t *d, size_t n)
{
	if (!a->connected) {
		a->dropped += n;
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (a->out_len == sizeof(a->out)) {
			a->dropped += n - i;
			break;
		}
		a->out[(a->out_head + a->out_len++) % sizeof(a->out)] = d[i];
	}
	flush_out(a);
}

int sub_attach_wait_fd(const struct sub_attach *a)
{
	if (a->kind == SUB_ATTACH_UNIX_LISTEN && !a->connected)
		return a->lfd;
	return a->connected ? a->fd : -1;
}

const char *sub_attach_describe(const struct sub_attach *a, char *buf, size_t size)
{
	switch (a->kind) {
	case SUB_ATTACH_UNIX_LISTEN:
		snprintf(buf, size, "unix socket %s (listening)", a->path);
		break;
	case SUB_ATTACH_UNIX_CONNECT:
		snprintf(buf, size, "unix socket %s (connected)", a->path);
		break;
	case SUB_ATTACH_PTY:
		snprintf(buf, size, "pty %s%s%s", a->path, a->link[0] ? " linked as " : "",
			 a->link);
		break;
	}
	return buf;
}
