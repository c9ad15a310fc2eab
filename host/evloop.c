/*
 * evloop.c - epoll + timer heap + injectable clock (see evloop.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "evloop.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#define EV_MAX_EVENTS 64

struct ev_loop {
	int        epfd;
	bool       manual;	/* clock moved only by ev_loop_step() */
	bool       stop;
	ev_time_t  now;
	uint64_t   next_seq;
	struct ev_timer **heap;	/* min-heap on (due, seq) */
	size_t     heap_len, heap_cap;
	size_t     io_count;
};

static ev_time_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ev_time_t)ts.tv_sec * EV_SEC + (ev_time_t)ts.tv_nsec;
}

static struct ev_loop *loop_alloc(bool manual, ev_time_t start)
{
	struct ev_loop *loop = calloc(1, sizeof(*loop));

	if (!loop)
		return NULL;
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0) {
		free(loop);
		return NULL;
	}
	loop->manual = manual;
	loop->now = manual ? start : monotonic_ns();
	return loop;
}

struct ev_loop *ev_loop_new(void) { return loop_alloc(false, 0); }
struct ev_loop *ev_loop_new_manual(ev_time_t start) { return loop_alloc(true, start); }

void ev_loop_free(struct ev_loop *loop)
{
	if (!loop)
		return;
	for (size_t i = 0; i < loop->heap_len; i++)
		loop->heap[i]->heap_idx = SIZE_MAX;
	close(loop->epfd);
	free(loop->heap);
	free(loop);
}

ev_time_t ev_now(const struct ev_loop *loop) { return loop->now; }
bool ev_loop_is_manual(const struct ev_loop *loop) { return loop->manual; }
size_t ev_loop_timer_count(const struct ev_loop *loop) { return loop->heap_len; }

/* --- timer heap ------------------------------------------------------------------ */

static bool earlier(const struct ev_timer *a, const struct ev_timer *b)
{
	return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_set(struct ev_loop *loop, size_t i, struct ev_timer *t)
{
	loop->heap[i] = t;
	t->heap_idx = i;
}

static void sift_up(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (!earlier(t, loop->heap[parent]))
			break;
		heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	heap_set(loop, i, t);
}

static void sift_down(struct ev_loop *loop, size_t i)
{
	struct ev_timer *t = loop->heap[i];

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= loop->heap_len)
			break;
		if (child + 1 < loop->heap_len && earlier(loop->heap[child + 1], loop->heap[child]))
			child++;
		if (!earlier(loop->heap[child], t))
			break;
		heap_set(loop, i, loop->heap[child]);
		i = child;
	}
	heap_set(loop, i, t);
}

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->heap_idx = SIZE_MAX;
	t->cb = cb;
	t->arg = arg;
}

void ev_timer_stop(struct ev_loop *loop, struct ev_timer *t)
{
	size_t i = t->heap_idx;

	if (i == SIZE_MAX)
		return;
	t->heap_idx = SIZE_MAX;
	loop->heap_len--;
	if (i == loop->heap_len)
		return;
	struct ev_timer *moved = loop->heap[loop->heap_len];

	heap_set(loop, i, moved);
	if (i > 0 && earlier(moved, loop->heap[(i - 1) / 2]))
		sift_up(loop, i);
	else
		sift_down(loop, i);
}

void ev_timer_start_at(struct ev_loop *loop, struct ev_timer *t, ev_time_t due)
{
	ev_timer_stop(loop, t);
	if (loop->heap_len == loop->heap_cap) {
		size_t cap = loop->heap_cap ? loop->heap_cap * 2 : 64;
		struct ev_timer **h = realloc(loop->heap, cap * sizeof(*h));

		if (!h)
			abort();	/* out of memory for a timer: nothing sane to do */
		loop->heap = h;
		loop->heap_cap = cap;
	}
	t->due = due;
	t->seq = loop->next_seq++;
	heap_set(loop, loop->heap_len, t);
	loop->heap_len++;
	sift_up(loop, loop->heap_len - 1);
}

void ev_timer_start(struct ev_loop *loop, struct ev_timer *t, ev_time_t delay)
{
	ev_time_t due = loop->now + delay;

	ev_timer_start_at(loop, t, due < loop->now ? EV_NEVER : due);
}

ev_time_t ev_loop_next_due(const struct ev_loop *loop)
{
	return loop->heap_len ? loop->heap[0]->due : EV_NEVER;
}

/* Fire every timer due at or before now; timers started by callbacks for `now`
 * or earlier fire in this same pass. */
static unsigned run_timers(struct ev_loop *loop)
{
	unsigned n = 0;

	while (loop->heap_len && loop->heap[0]->due <= loop->now) {
		struct ev_timer *t = loop->heap[0];

		ev_timer_stop(loop, t);
		t->cb(t, t->arg);
		n++;
	}
	return n;
}

/* --- fds ------------------------------------------------------------------------- */

int ev_io_start(struct ev_loop *loop, struct ev_io *io, int fd, uint32_t events,
		ev_io_cb cb, void *arg)
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	io->fd = fd;
	io->events = events;
	io->cb = cb;
	io->arg = arg;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	io->added = true;
	loop->io_count++;
	return 0;
}

int ev_io_modify(struct ev_loop *loop, struct ev_io *io, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = io };

	if (!io->added)
		return -EINVAL;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, io->fd, &ev) < 0)
		return -errno;
	io->events = events;
	return 0;
}

void ev_io_stop(struct ev_loop *loop, struct ev_io *io)
{
	if (!io->added)
		return;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, io->fd, NULL);
	io->added = false;
	loop->io_count--;
}

static int poll_fds(struct ev_loop *loop, int timeout_ms, unsigned *ran)
{
	struct epoll_event evs[EV_MAX_EVENTS];
	int n;

	if (loop->io_count == 0 && timeout_ms == 0)
		return 0;
	n = epoll_wait(loop->epfd, evs, EV_MAX_EVENTS, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	if (!loop->manual)
		loop->now = monotonic_ns();
	for (int i = 0; i < n; i++) {
		struct ev_io *io = evs[i].data.ptr;

		io->cb(io, io->fd, evs[i].events, io->arg);
		(*ran)++;
	}
	return 0;
}

unsigned ev_loop_step(struct ev_loop *loop, ev_time_t now)
{
	unsigned ran = 0;

	if (now > loop->now)
		loop->now = now;
	ran += run_timers(loop);
	poll_fds(loop, 0, &ran);
	ran += run_timers(loop);
	return ran;
}

void ev_loop_break(struct ev_loop *loop) { loop->stop = true; }

int ev_loop_run(struct ev_loop *loop)
{
	loop->stop = false;
	while (!loop->stop) {
		unsigned ran = 0;
		int timeout_ms = -1;
		int rc;

		if (!loop->manual)
			loop->now = monotonic_ns();
		run_timers(loop);
		if (loop->stop)
			break;
		if (loop->heap_len) {
			ev_time_t due = loop->heap[0]->due;
			ev_time_t wait = due > loop->now ? due - loop->now : 0;

			/* round up so a timer is never polled for early */
			timeout_ms = (int)((wait + EV_MSEC - 1) / EV_MSEC);
			if (wait > (ev_time_t)1000 * EV_SEC)
				timeout_ms = 1000 * 1000;
		}
		if (loop->manual && loop->io_count == 0)
			return -EDEADLK;	/* nothing can ever move a manual clock here */
		rc = poll_fds(loop, loop->manual ? 0 : timeout_ms, &ran);
		if (rc < 0)
			return rc;
	}
	return 0;
}
