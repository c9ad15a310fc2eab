/*
 * bench_usb.c - bulk throughput and idle cost of the USB transport through the
 * emulated FT232H (umockdev).  Prints figures; asserts nothing.
 *
 *   umockdev-wrapper bench_usb [--mbytes N] [--out-kb K] [--in-kb K] [--in-xfers N]
 *                              [--out-xfers N] [--latency MS] [--idle SECONDS]
 *
 * Throughput: the card behind the FIFO loops every byte back; the host writes
 * through card_usb_ops.write (as the card layer does) and reads through the raw sink,
 * comparing the data.  Idle: the card attached, nothing sent, CPU per second.
 *
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>

#include "card_usb.h"
#include "evloop.h"
#include "ft232h_usb.h"
#include "umockdev_ft232h.h"

struct bench {
	struct ev_loop *loop;
	struct ft232h_usb *m;
	struct card_usb *u;
	struct ev_io io;
	struct ev_timer tick, deadline;
	size_t total, sent, received, mismatches;
	bool up;
};

static uint8_t pattern(size_t i) { return (uint8_t)(i * 131 + (i >> 9)); }

/* The card: loop every byte back, as fast as the chip's buffer toward the host
 * takes them (TXE#); the tick timer retries when it was full. */
static void card_loop(struct bench *b)
{
	uint8_t buf[65536];
	size_t n, room;

	while ((room = ft232h_usb_from_card_room(b->m)) > 0 &&
	       (n = ft232h_usb_to_card(b->m, buf, room < sizeof(buf) ? room : sizeof(buf))) > 0)
		if (ft232h_usb_from_card(b->m, buf, n) != n)
			b->mismatches++;	/* cannot happen: room was checked */
}

static void on_card(struct ev_io *io, int fd, uint32_t revents, void *arg)
{
	(void)io; (void)fd; (void)revents;
	card_loop(arg);
}

static void on_rx(void *ctx, const uint8_t *buf, size_t len)
{
	struct bench *b = ctx;

	for (size_t i = 0; i < len; i++)
		if (buf[i] != pattern(b->received + i))
			b->mismatches++;
	b->received += len;
	if (b->received >= b->total)
		ev_loop_break(b->loop);
}

/* Keep about a window of data outstanding. */
static void feed(struct bench *b)
{
	uint8_t chunk[4096];
	const size_t window = 2u << 20;

	while (b->sent < b->total && b->sent - b->received < window &&
	       card_usb_tx_pending(b->u) < window / 2) {
		size_t n = b->total - b->sent < sizeof(chunk) ? b->total - b->sent : sizeof(chunk);

		for (size_t i = 0; i < n; i++)
			chunk[i] = pattern(b->sent + i);
		if (card_usb_ops.write(b->u, chunk, n) < 0)
			return;
		b->sent += n;
	}
}

static void on_tick(struct ev_timer *t, void *arg)
{
	struct bench *b = arg;

	card_loop(b);
	if (card_usb_is_up(b->u))
		feed(b);
	ev_timer_start(b->loop, t, EV_MSEC);
}

static void on_deadline(struct ev_timer *t, void *arg)
{
	(void)t;
	ev_loop_break(((struct bench *)arg)->loop);
}

static void on_up(void *ctx, struct card_usb *u)
{
	(void)u;
	((struct bench *)ctx)->up = true;
	ev_loop_break(((struct bench *)ctx)->loop);
}

static const struct card_usb_events events = { .up = on_up };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_s(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       1e-6 * (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

int main(int argc, char **argv)
{
	struct card_usb_cfg cfg = { 0 };
	struct bench b = { 0 };
	double mbytes = 16, idle = 0, t0, t1, c0, c1, p0, p1;
	UMockdevTestbed *tb;
	struct umockdev_ft232h *g;
	struct card_usb_host *h;
	const struct card_usb_stats *st;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--mbytes"))
			mbytes = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--out-kb"))
			cfg.out_size = (size_t)atoi(argv[i + 1]) * 1024;
		else if (!strcmp(argv[i], "--in-kb"))
			cfg.in_size = (size_t)atoi(argv[i + 1]) * 1024;
		else if (!strcmp(argv[i], "--in-xfers"))
			cfg.in_xfers = (unsigned)atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--out-xfers"))
			cfg.out_xfers = (unsigned)atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--latency"))
			cfg.latency_ms = (uint8_t)atoi(argv[i + 1]);
		else if (!strcmp(argv[i], "--idle"))
			idle = atof(argv[i + 1]);
	}
	tb = umockdev_testbed_new();
	b.m = ft232h_usb_new(NULL);
	g = umockdev_ft232h_new(tb, b.m, 1, 2);
	if (!tb || !b.m || !g || umockdev_ft232h_plug(g) < 0) {
		fprintf(stderr, "bench_usb: no emulated device (run under umockdev-wrapper)\n");
		return 1;
	}
	b.loop = ev_loop_new();
	ev_io_start(b.loop, &b.io, ft232h_usb_notify_fd(b.m), EPOLLIN, on_card, &b);
	ev_timer_init(&b.tick, on_tick, &b);
	ev_timer_init(&b.deadline, on_deadline, &b);
	h = card_usb_host_new(b.loop);
	b.u = h ? card_usb_new(h, &cfg, &events, &b) : NULL;
	if (!b.u) {
		fprintf(stderr, "bench_usb: no USB host\n");
		return 1;
	}
	card_usb_set_rx(b.u, on_rx, &b);
	ev_timer_start(b.loop, &b.deadline, 10 * EV_SEC);
	ev_loop_run(b.loop);
	if (!b.up) {
		fprintf(stderr, "bench_usb: the card did not come up\n");
		return 1;
	}
	st = card_usb_get_stats(b.u);
	if (idle > 0) {
		uint64_t x0 = st->rx_transfers, w0 = card_usb_host_wakeups(h);

		ev_timer_start(b.loop, &b.deadline, (ev_time_t)(idle * 1e9));
		t0 = now_s(); c0 = cpu_s(RUSAGE_THREAD); p0 = cpu_s(RUSAGE_SELF);
		ev_loop_run(b.loop);
		t1 = now_s(); c1 = cpu_s(RUSAGE_THREAD); p1 = cpu_s(RUSAGE_SELF);
		printf("idle, latency %2u ms: daemon thread %6.1f ms CPU/s, process %6.1f ms CPU/s, "
		       "%5.0f IN transfers/s, %5.0f loop wake-ups/s\n",
		       cfg.latency_ms ? cfg.latency_ms : CARD_USB_LATENCY_MS,
		       1e3 * (c1 - c0) / (t1 - t0), 1e3 * (p1 - p0) / (t1 - t0),
		       (double)(st->rx_transfers - x0) / (t1 - t0),
		       (double)(card_usb_host_wakeups(h) - w0) / (t1 - t0));
	} else {
		b.total = (size_t)(mbytes * 1048576.0);
		ev_timer_start(b.loop, &b.deadline, 120 * EV_SEC);
		ev_timer_start(b.loop, &b.tick, 0);
		t0 = now_s(); c0 = cpu_s(RUSAGE_THREAD); p0 = cpu_s(RUSAGE_SELF);
		ev_loop_run(b.loop);
		t1 = now_s(); c1 = cpu_s(RUSAGE_THREAD); p1 = cpu_s(RUSAGE_SELF);
		ev_timer_stop(b.loop, &b.tick);
		printf("loopback %5.1f MiB, OUT %4zu KiB x %u, IN %4zu KiB x %u: %7.2f MB/s each way "
		       "(%llu OUT / %llu IN transfers), daemon thread %3.0f%% CPU, process %3.0f%%, "
		       "%zu mismatches%s\n",
		       (double)b.received / 1048576.0,
		       (cfg.out_size ? cfg.out_size : CARD_USB_OUT_SIZE) / 1024,
		       cfg.out_xfers ? cfg.out_xfers : CARD_USB_OUT_XFERS,
		       (cfg.in_size ? cfg.in_size : CARD_USB_IN_SIZE) / 1024,
		       cfg.in_xfers ? cfg.in_xfers : CARD_USB_IN_XFERS,
		       (double)b.received / (t1 - t0) / 1e6,
		       (unsigned long long)st->tx_transfers, (unsigned long long)st->rx_transfers,
		       100.0 * (c1 - c0) / (t1 - t0), 100.0 * (p1 - p0) / (t1 - t0), b.mismatches,
		       b.received < b.total ? " (TIMED OUT)" : "");
	}
	card_usb_host_free(h);
	ev_io_stop(b.loop, &b.io);
	umockdev_ft232h_free(g);
	ft232h_usb_free(b.m);
	ev_loop_free(b.loop);
	g_object_unref(tb);
	return 0;
}
