/*
 * test_evloop.c - timer heap order, determinism, restart/stop, manual clock, fds
 *
 * SPDX-License-Identifier: MIT
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <cmocka.h>

#include "evloop.h"

struct rec {
	struct ev_loop *loop;
	int order[256];
	ev_time_t at[256];
	int n;
};

struct tmr {
	struct ev_timer t;
	struct rec *r;
	int id;
	int restarts;
};

static void fired(struct ev_timer *t, void *arg)
{
	struct tmr *m = arg;

	(void)t;
	m->r->order[m->r->n] = m->id;
	m->r->at[m->r->n] = ev_now(m->r->loop);
	m->r->n++;
	if (m->restarts > 0) {
		m->restarts--;
		ev_timer_start(m->r->loop, &m->t, 2 * EV_SEC);
	}
}

static void test_order_and_ties(void **state)
{
	(void)state;
	struct rec r = { .loop = ev_loop_new_manual(0) };
	struct tmr t[6];
	const ev_time_t due[6] = { 5, 1, 3, 3, 1, 2 };	/* seconds */

	for (int i = 0; i < 6; i++) {
		t[i] = (struct tmr){ .r = &r, .id = i };
		ev_timer_init(&t[i].t, fired, &t[i]);
		ev_timer_start(r.loop, &t[i].t, due[i] * EV_SEC);
	}
	assert_int_equal(ev_loop_next_due(r.loop), 1 * EV_SEC);
	ev_loop_step(r.loop, 10 * EV_SEC);
	/* due order; equal due times fire in start order */
	const int want[6] = { 1, 4, 5, 2, 3, 0 };
	assert_int_equal(r.n, 6);
	assert_memory_equal(r.order, want, sizeof(want));
	assert_int_equal(ev_loop_timer_count(r.loop), 0);
	ev_loop_free(r.loop);
}

static void test_step_fires_only_due(void **state)
{
	(void)state;
	struct rec r = { .loop = ev_loop_new_manual(100) };
	struct tmr a = { .r = &r, .id = 1, .restarts = 3 };

	ev_timer_init(&a.t, fired, &a);
	ev_timer_start(r.loop, &a.t, 2 * EV_SEC);
	assert_int_equal(a.t.due, 100 + 2 * EV_SEC);
	ev_loop_step(r.loop, 100 + 2 * EV_SEC - 1);
	assert_int_equal(r.n, 0);
	ev_loop_step(r.loop, 100 + 2 * EV_SEC);
	assert_int_equal(r.n, 1);
	/* a periodic timer restarted from its callback: stepping far ahead fires once
	 * per step (callback sees the stepped time), never in a loop */
	ev_loop_step(r.loop, 100 + 9 * EV_SEC);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.at[1], 100 + 9 * EV_SEC);
	ev_timer_stop(r.loop, &a.t);
	assert_false(ev_timer_active(&a.t));
	ev_loop_step(r.loop, 100 + 60 * EV_SEC);
	assert_int_equal(r.n, 2);
	ev_loop_free(r.loop);
}

/* Random start/stop/restart against a trivially correct model. */
static void test_random_against_model(void **state)
{
	(void)state;
	enum { N = 200 };
	struct rec r = { .loop = ev_loop_new_manual(0) };
	struct tmr *t = calloc(N, sizeof(*t));
	ev_time_t model[N];

	srand(42);
	for (int i = 0; i < N; i++) {
		t[i] = (struct tmr){ .r = &r, .id = i };
		ev_timer_init(&t[i].t, fired, &t[i]);
		model[i] = EV_NEVER;
	}
	for (int op = 0; op < 5000; op++) {
		int i = rand() % N;

		if (rand() % 3 == 0) {
			ev_timer_stop(r.loop, &t[i].t);
			model[i] = EV_NEVER;
		} else {
			ev_time_t d = (ev_time_t)(rand() % 1000) * EV_MSEC + 1;

			ev_timer_start(r.loop, &t[i].t, d);
			model[i] = ev_now(r.loop) + d;
		}
		ev_time_t min = EV_NEVER;
		for (int k = 0; k < N; k++)
			if (model[k] < min)
				min = model[k];
		assert_int_equal(ev_loop_next_due(r.loop), min);
	}
	ev_loop_free(r.loop);
	free(t);
}

static void on_fd(struct ev_io *io, int fd, uint32_t revents, void *arg)
{
	char buf[8];
	int *hits = arg;

	(void)io;
	assert_true(revents & EPOLLIN);
	assert_int_equal(read(fd, buf, sizeof(buf)), 3);
	(*hits)++;
}

static void test_fd_polled_without_blocking(void **state)
{
	(void)state;
	struct ev_loop *loop = ev_loop_new_manual(0);
	struct ev_io io;
	int p[2], hits = 0;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(ev_io_start(loop, &io, p[0], EPOLLIN, on_fd, &hits), 0);
	ev_loop_step(loop, 1);
	assert_int_equal(hits, 0);
	assert_int_equal(write(p[1], "abc", 3), 3);
	ev_loop_step(loop, 2);
	assert_int_equal(hits, 1);
	ev_io_stop(loop, &io);
	close(p[0]);
	close(p[1]);
	ev_loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_ties),
		cmocka_unit_test(test_step_fires_only_due),
		cmocka_unit_test(test_random_against_model),
		cmocka_unit_test(test_fd_polled_without_blocking),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
