/*
 * evloop.h - the daemon's one event loop: epoll for file descriptors, a timer heap,
 * and an injectable clock.
 *
 * Every protocol timer in dialbackd reads ev_now(); nothing calls clock_gettime
 * or time() directly.  In production the loop runs on CLOCK_MONOTONIC and blocks
 * in epoll_wait until the next fd event or timer.  In the co-simulation the loop
 * is created with ev_loop_new_manual() and the simulator owns time: it calls
 * ev_loop_step(loop, now) with non-decreasing simulated times, which fires every
 * timer due at or before `now` (in due order, ties in start order) and polls fds
 * without blocking.  A run is therefore deterministic for a given simulator seed.
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_EVLOOP_H
#define DIALBACK_EVLOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Time on the loop's clock, in nanoseconds. */
typedef uint64_t ev_time_t;

#define EV_USEC	((ev_time_t)1000)
#define EV_MSEC	((ev_time_t)1000000)
#define EV_SEC	((ev_time_t)1000000000)
#define EV_NEVER UINT64_MAX

struct ev_loop;
struct ev_timer;
struct ev_io;

typedef void (*ev_timer_cb)(struct ev_timer *t, void *arg);
typedef void (*ev_io_cb)(struct ev_io *io, int fd, uint32_t revents, void *arg);

/* A timer is embedded in its owner (no allocation); initialise it once. */
struct ev_timer {
	ev_time_t   due;	/*!< absolute expiry on the loop clock */
	uint64_t    seq;	/*!< start order, breaks ties deterministically */
	size_t      heap_idx;	/*!< position in the heap, SIZE_MAX when stopped */
	ev_timer_cb cb;
	void       *arg;
};

/* An fd watcher is embedded in its owner too. */
struct ev_io {
	int       fd;
	uint32_t  events;	/*!< EPOLLIN / EPOLLOUT ... */
	ev_io_cb  cb;
	void     *arg;
	bool      added;
};

/* A loop on CLOCK_MONOTONIC (production). */
struct ev_loop *ev_loop_new(void);
/* A loop whose clock only moves in ev_loop_step() (co-simulation, tests). */
struct ev_loop *ev_loop_new_manual(ev_time_t start);
void ev_loop_free(struct ev_loop *loop);

/* The loop's current time (cached per iteration in production). */
ev_time_t ev_now(const struct ev_loop *loop);
/* Whether the clock is the manual, simulator-owned one. */
bool ev_loop_is_manual(const struct ev_loop *loop);

void ev_timer_init(struct ev_timer *t, ev_timer_cb cb, void *arg);
/* (Re)start: fire after `delay` from now.  Restarting an active timer moves it. */
void ev_timer_start(struct ev_loop *loop, struct ev_timer *t, ev_time_t delay);
/* Start at an absolute time on the loop clock. */
void ev_timer_start_at(struct ev_loop *loop, struct ev_timer *t, ev_time_t due);
void ev_timer_stop(struct ev_loop *loop, struct ev_timer *t);
static inline bool ev_timer_active(const struct ev_timer *t) { return t->heap_idx != SIZE_MAX; }

/* fd watchers; return 0 or -errno. */
int  ev_io_start(struct ev_loop *loop, struct ev_io *io, int fd, uint32_t events,
		 ev_io_cb cb, void *arg);
int  ev_io_modify(struct ev_loop *loop, struct ev_io *io, uint32_t events);
void ev_io_stop(struct ev_loop *loop, struct ev_io *io);

/* Time of the earliest active timer, or EV_NEVER. */
ev_time_t ev_loop_next_due(const struct ev_loop *loop);

/* Production: run until ev_loop_break(); returns 0 or -errno. */
int  ev_loop_run(struct ev_loop *loop);
void ev_loop_break(struct ev_loop *loop);

/* Manual clock: advance to `now` (must not go backwards), fire due timers, poll fds
 * once without blocking.  Returns the number of callbacks run. */
unsigned ev_loop_step(struct ev_loop *loop, ev_time_t now);

/* Number of active timers (for tests and `show` commands). */
size_t ev_loop_timer_count(const struct ev_loop *loop);

#endif /* DIALBACK_EVLOOP_H */
