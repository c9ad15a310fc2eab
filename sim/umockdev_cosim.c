/*
 * umockdev_cosim.c - `dialback-sim --transport usb` (see cosim_usb.h)
 *
 * Built only with DIALBACK_UMOCKDEV (tests/umockdev/rules.mk), into
 * $(BUILD)/umockdev/dialback-sim in place of the stub sim/cosim_usb.c.
 *
 * Determinism.  Every byte moves on the simulator's thread at a frame boundary:
 *  - the FT232H model runs in manual mode (umockdev_ft232h_set_manual): no latency
 *    timer; a SUBMITURB returns only when the OUT bytes are in the chip's buffer;
 *    IN URBs complete only when we serve them;
 *  - libusb's events are handled when we say so (card_usb_host_poll, only when the
 *    model has a URB to reap, so an idle frame costs no ioctl);
 *  - the driver runs on a loop of its own (manual clock, stepped to the same
 *    simulated time once per frame), so that bringing the card up at time 0 does not
 *    run the daemon's own timers before the first frame, as the in-process transport
 *    does not either; the daemon's card layer and everything above it stay on the
 *    daemon's loop.
 * umockdev's worker thread only answers ioctls while our thread waits in ioctl(), so
 * the order of everything is fixed by the simulation.
 *
 * SPDX-License-Identifier: MIT
 */
#ifdef DIALBACK_UMOCKDEV

#include "cosim_usb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <umockdev.h>

#include "card_usb.h"
#include "cosim.h"
#include "evloop.h"
#include "ft232h.h"
#include "ft232h_usb.h"
#include "nas.h"
#include "umockdev_ft232h.h"

#define COSIM_USB_SERIAL	"DBKSIM01"
#define BRING_UP_WALL_NS	(20ull * 1000000000ull)

struct cosim_usb {
	struct cosim *cs;
	struct nas *nas;
	struct ev_loop *loop;		/* the daemon's */
	struct ev_loop *usb_loop;	/* the driver's, same simulated time */
	UMockdevTestbed *tb;
	struct ft232h_usb *m;
	struct umockdev_ft232h *g;
	struct card_usb_host *h;
	struct card_usb *u;
	unsigned ups, downs;
	uint64_t frames, io_frames;
	/* DIALBACK_USB_UNPLUG=T1,T2: surprise removal at simulated T1 s, re-plug at T2 s;
	 * the card (RTL) runs on, nothing resets it */
	ev_time_t unplug_at, replug_at;
	bool unplugged;
};

static uint64_t wall_ns(void);
static bool bring_up(struct cosim_usb *cu, ev_time_t now);

static void on_up(void *ctx, struct card_usb *u)
{
	struct cosim_usb *cu = ctx;

	cu->ups++;
	if (cu->nas->card)
		nas_detach_card(cu->nas);
	if (nas_attach_card(cu->nas, &card_usb_ops, u) < 0) {
		fprintf(stderr, "dialback-sim: usb: cannot attach the card\n");
		return;
	}
	card_usb_set_card(u, cu->nas->card);
	/* dialbackd re-syncs the credit counts of every card that comes; the seed run
	 * does not by default (the in-process run does not, and the traces must be the
	 * same): DIALBACK_USB_RESYNC=1 checks the card RTL's side of it */
	if (getenv("DIALBACK_USB_RESYNC") || cu->ups > 1)
		card_resync(cu->nas->card);
	if (cu->ups > 1)
		fprintf(stderr, "dialback-sim: usb: the card is up again (%u), credit re-sync\n",
			cu->ups);
}

static void on_down(void *ctx, struct card_usb *u, const char *why)
{
	struct cosim_usb *cu = ctx;

	cu->downs++;
	fprintf(stderr, "dialback-sim: usb: the card went down (%s)\n", why);
	card_usb_set_card(u, NULL);
	if (cu->nas->card)
		nas_detach_card(cu->nas);
}

static const struct card_usb_events usb_events = { .up = on_up, .down = on_down };

static void reap(struct cosim_usb *cu)
{
	if (umockdev_ft232h_reapable(cu->g))
		card_usb_host_poll(cu->h);
}

/* Once per frame, before the daemon's loop is stepped (cosim.c host_frame). */
static void host_io(void *ctx, struct cosim *cs)
{
	struct cosim_usb *cu = ctx;
	uint8_t buf[FT232H_RX_BUF > FT232H_TX_BUF ? FT232H_RX_BUF : FT232H_TX_BUF];
	size_t n;
	bool moved = false;

	cu->frames++;
	if (cu->unplug_at && !cu->unplugged && cosim_now(cs) >= cu->unplug_at) {
		fprintf(stderr, "dialback-sim: usb: unplugging the card at %.3f s\n",
			(double)cosim_now(cs) / 1e9);
		umockdev_ft232h_unplug(cu->g);
		cu->unplugged = true;
		cu->unplug_at = 0;
	}
	if (cu->unplugged && cu->replug_at && cosim_now(cs) >= cu->replug_at) {
		/* a USB bus stops nothing else: simulated time waits for the bring-up */
		fprintf(stderr, "dialback-sim: usb: re-plugging the card at %.3f s\n",
			(double)cosim_now(cs) / 1e9);
		cu->unplugged = false;
		cu->replug_at = 0;
		if (umockdev_ft232h_plug(cu->g) < 0 || !bring_up(cu, cosim_now(cs)))
			fprintf(stderr, "dialback-sim: usb: the card did not come back\n");
	}
	reap(cu);					/* OUT transfers back: free again */
	ev_loop_step(cu->usb_loop, cosim_now(cs));	/* the driver's own timers */
	if (card_usb_tx_pending(cu->u)) {
		card_usb_flush(cu->u);			/* what the daemon wrote: bulk OUT */
		moved = true;
	}
	n = ft232h_usb_to_card(cu->m, buf, ft232h_to_card_room(&cs->ft));
	ft232h_write_to_card(&cs->ft, buf, n);
	/* no host: the chip's buffer toward USB fills and the card waits (TXE#) */
	n = cu->unplugged ? 0 : ft232h_read_to_host(&cs->ft, buf, sizeof(buf));
	if (n) {
		if (ft232h_usb_from_card(cu->m, buf, n) != n)
			fprintf(stderr, "dialback-sim: usb: the chip's IN buffer overflowed\n");
		umockdev_ft232h_serve_in(cu->g);	/* one IN transfer, all of it */
		moved = true;
	}
	reap(cu);					/* -> card_input() */
	if (moved)
		cu->io_frames++;
}

static bool under_umockdev(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p && strstr(p, "umockdev");
}

void cosim_usb_wrap(int argc, char **argv)
{
	char **av;
	const char *asan = getenv("ASAN_OPTIONS");
	char *opts;

	if (under_umockdev() || getenv("DIALBACK_NO_WRAP"))
		return;
	av = calloc((size_t)argc + 2, sizeof(*av));
	if (!av)
		return;
	av[0] = (char *)"umockdev-wrapper";
	for (int i = 0; i < argc; i++)
		av[i + 1] = argv[i];
	/* umockdev's preload comes before the ASan runtime; and never wrap twice */
	if (asprintf(&opts, "%s%sverify_asan_link_order=0", asan ? asan : "", asan ? ":" : "") > 0)
		setenv("ASAN_OPTIONS", opts, 1);
	setenv("DIALBACK_NO_WRAP", "1", 1);
	fflush(NULL);
	execvp(av[0], av);
	fprintf(stderr, "dialback-sim: cannot run umockdev-wrapper (package umockdev): %s\n",
		strerror(errno));
	free(av);
}

static uint64_t wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Turn the driver's loop at simulated time `now` until the card is up and attached
 * (a hot-plugged one arrives through libusb's hotplug thread: wall-clock bounded). */
static bool bring_up(struct cosim_usb *cu, ev_time_t now)
{
	uint64_t t0 = wall_ns();
	unsigned ups = cu->ups;

	while (!card_usb_is_up(cu->u) || !cu->nas->card || cu->ups == ups) {
		struct timespec nap = { 0, 100000 };

		ev_loop_step(cu->usb_loop, now);
		if (wall_ns() - t0 > BRING_UP_WALL_NS)
			return false;
		if (!card_usb_is_up(cu->u))
			nanosleep(&nap, NULL);
	}
	return true;
}

struct cosim_usb *cosim_usb_new(struct cosim *cs, struct ev_loop *loop, struct nas *nas)
{
	struct cosim_usb *cu;
	struct ft232h_usb_cfg mc = { .serial = COSIM_USB_SERIAL };
	struct card_usb_cfg uc = { .serial = COSIM_USB_SERIAL, .quiet = true };

	if (!under_umockdev()) {
		fprintf(stderr, "dialback-sim: --transport usb must run under umockdev-wrapper\n");
		return NULL;
	}
	cu = calloc(1, sizeof(*cu));
	if (!cu)
		return NULL;
	cu->cs = cs;
	cu->nas = nas;
	cu->loop = loop;
	cu->usb_loop = ev_loop_new_manual(ev_now(loop));
	cu->tb = umockdev_testbed_new();
	cu->m = ft232h_usb_new(&mc);
	if (!cu->usb_loop || !cu->tb || !cu->m)
		goto fail;
	cu->g = umockdev_ft232h_new(cu->tb, cu->m, 1, 2);
	umockdev_ft232h_set_manual(cu->g, true);
	/* plugged before libusb starts: found by enumeration, no uevent racing us */
	if (umockdev_ft232h_plug(cu->g) < 0)
		goto fail;
	cu->h = card_usb_host_new(cu->usb_loop);
	if (!cu->h)
		goto fail;
	cu->u = card_usb_new(cu->h, &uc, &usb_events, cu);
	if (!cu->u)
		goto fail;
	/* bring-up (probe, claim, FTDI set-up over EP0) at simulated time 0: the
	 * model answers control requests at once, so this only takes loop turns */
	if (!bring_up(cu, ev_now(loop))) {
		fprintf(stderr, "dialback-sim: usb: the card did not come up\n");
		goto fail;
	}
	{
		const char *e = getenv("DIALBACK_USB_UNPLUG");
		double t1 = 0, t2 = 0;

		if (e && sscanf(e, "%lf,%lf", &t1, &t2) >= 1 && t1 > 0) {
			cu->unplug_at = (ev_time_t)(t1 * (double)EV_SEC);
			cu->replug_at = t2 > t1 ? (ev_time_t)(t2 * (double)EV_SEC) : 0;
		}
	}
	cs->transport = NULL;
	cs->host_card = NULL;
	cs->host_io = host_io;
	cs->host_io_ctx = cu;
	return cu;
fail:
	cosim_usb_free(cu);
	return NULL;
}

void cosim_usb_free(struct cosim_usb *cu)
{
	if (!cu)
		return;
	if (cu->cs && cu->cs->host_io_ctx == cu) {
		cu->cs->host_io = NULL;
		cu->cs->host_io_ctx = NULL;
	}
	if (cu->u)
		card_usb_set_card(cu->u, NULL);
	if (getenv("DIALBACK_USB_STATS") && cu->u) {
		char buf[2048];
		struct umockdev_ft232h_stats st;

		card_usb_show(cu->u, buf, sizeof(buf));
		umockdev_ft232h_get_stats(cu->g, &st);
		fprintf(stderr, "%s  frames %llu, with USB traffic %llu; emulator: %llu ioctls, "
			"%llu URBs, %llu empty reaps\n", buf, (unsigned long long)cu->frames,
			(unsigned long long)cu->io_frames, (unsigned long long)st.ioctls,
			(unsigned long long)st.urbs, (unsigned long long)st.reap_eagain);
	}
	card_usb_host_free(cu->h);	/* frees cu->u */
	if (cu->g)
		umockdev_ft232h_free(cu->g);
	ft232h_usb_free(cu->m);
	if (cu->tb)
		g_object_unref(cu->tb);
	ev_loop_free(cu->usb_loop);
	free(cu);
}

#else
/* Without umockdev this translation unit is intentionally empty of code. */
typedef int umockdev_cosim_not_built;
#endif /* DIALBACK_UMOCKDEV */
