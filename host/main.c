/*
 * main.c - dialbackd: the dial-in access server daemon (thin: the work is in libdialback)
 *
 *   dialbackd -t -f FILE    check a configuration and exit (0 = it loads)
 *   dialbackd -f FILE [-F]  run (foreground with -F, logging to stderr; else syslog)
 *
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <syslog.h>
#include <unistd.h>

#include "card_usb.h"
#include "config.h"
#include "ctl.h"
#include "evloop.h"
#include "ip_session.h"
#include "log.h"
#include "nas.h"

#define DEFAULT_CONFIG	"/etc/dialback/dialback.cfg"
#define DEFAULT_PIDFILE	"/run/dialbackd.pid"
#define DEFAULT_SOCKET	"/run/dialbackd.sock"

struct daemon_state {
	struct ev_loop   *loop;
	struct ev_io      sig_io;
	int               sig_fd;
	const char       *config_path;
	struct nas       *nas;		/*!< owns the running configuration */
	struct ctl       *ctl;
	struct card_usb_host *usb_host;
	struct card_usb  *usb;		/*!< the line card (one per daemon for now) */
};

/* The card came (at start or hot-plugged): the NAS configures it from scratch. */
static void card_up(void *ctx, struct card_usb *u)
{
	struct daemon_state *d = ctx;

	if (d->nas->card)
		nas_detach_card(d->nas);
	if (nas_attach_card(d->nas, &card_usb_ops, u) < 0) {
		log_err("line card: cannot attach");
		return;
	}
	card_usb_set_card(u, d->nas->card);
	/* the card may have kept running while it was away (no FPGA reset): learn its
	 * credit counts anew before any data goes out */
	card_resync(d->nas->card);
	log_notice("line card up: configuring spans and channels");
}

/* The card went away: every call on it is cleared, the lines are freed, the daemon
 * keeps running and takes the card back when it returns. */
static void card_down(void *ctx, struct card_usb *u, const char *why)
{
	struct daemon_state *d = ctx;

	card_usb_set_card(u, NULL);
	if (d->nas->card)
		nas_detach_card(d->nas);
	log_warn("line card down (%s): calls cleared, lines free", why);
}

static const struct card_usb_events card_usb_events = { .up = card_up, .down = card_down };

static int cmd_show_controllers_usb(void *ctx, int argc, char **argv, FILE *out)
{
	struct daemon_state *d = ctx;
	char buf[2048];

	(void)argc;
	(void)argv;
	if (!d->usb) {
		fprintf(out, "No USB line card configured\n");
		return 0;
	}
	card_usb_show(d->usb, buf, sizeof(buf));
	fputs(buf, out);
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: dialbackd [-t] [-F] [-f FILE] [-p PIDFILE] [-s SOCKET] [-c SERIAL|-n]\n"
		   "  -f FILE   configuration (IOS syntax; default %s)\n"
		   "  -t        test the configuration and exit (0 when it loads)\n"
		   "  -F        stay in the foreground, log to stderr\n"
		   "  -p FILE   pid file (default %s)\n"
		   "  -s PATH   control socket for dialbackctl (default %s)\n"
		   "  -c SERIAL the line card's USB serial number (default: the first FT232H)\n"
		   "  -n        no line card (configuration and CLI only)\n"
		   "  -i NAME   the sessions' TUN interface (default %s; \"none\": no IP data plane)\n",
		DEFAULT_CONFIG, DEFAULT_PIDFILE, DEFAULT_SOCKET, TUN_DEFAULT_NAME);
}

static void sink_stderr(void *ctx, enum log_level lvl, const char *line)
{
	(void)ctx;
	(void)lvl;
	fprintf(stderr, "%s\n", line);
}

static void sink_syslog(void *ctx, enum log_level lvl, const char *line)
{
	(void)ctx;
	syslog((int)lvl, "%s", line);
}

/* SIGHUP: load the configuration file again and put it in force; live sessions keep
 * what they negotiated, a file that does not load changes nothing (its errors, with
 * line numbers, go to the log).  See host/nas_reload.c. */
static void reload(struct daemon_state *d)
{
	if (nas_reload_file(d->nas, d->config_path) == 0)
		log_notice("configuration %s reloaded", d->config_path);
}

static void on_signal(struct ev_io *io, int fd, uint32_t revents, void *arg)
{
	struct daemon_state *d = arg;
	struct signalfd_siginfo si;

	(void)io;
	(void)revents;
	while (read(fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGHUP:
			reload(d);
			break;
		case SIGTERM:
		case SIGINT:
			log_notice("signal %u: shutting down", si.ssi_signo);
			ev_loop_break(d->loop);
			break;
		default:
			break;
		}
	}
}

static int write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		log_err("cannot write pid file %s: %s", path, strerror(errno));
		return -errno;
	}
	fprintf(f, "%ld\n", (long)getpid());
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	struct daemon_state d = { .config_path = DEFAULT_CONFIG, .sig_fd = -1 };
	struct nas_config *cfg = NULL;
	const char *pidfile = DEFAULT_PIDFILE, *sock = DEFAULT_SOCKET, *serial = NULL;
	const char *ifname = TUN_DEFAULT_NAME;
	bool test_only = false, foreground = false, no_card = false;
	sigset_t mask;
	int c, rc;

	while ((c = getopt(argc, argv, "f:tFp:s:c:ni:h")) != -1) {
		switch (c) {
		case 'f': d.config_path = optarg; break;
		case 't': test_only = true; break;
		case 'F': foreground = true; break;
		case 'p': pidfile = optarg; break;
		case 's': sock = optarg; break;
		case 'c': serial = optarg; break;
		case 'n': no_card = true; break;
		case 'i': ifname = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}

	rc = config_load_file(d.config_path, &cfg, stderr);
	if (test_only) {
		if (rc == 0)
			fprintf(stderr, "%s: configuration OK\n", d.config_path);
		config_free(cfg);
		return rc == 0 ? 0 : 1;
	}
	if (rc < 0) {
		fprintf(stderr, "dialbackd: %s does not load; not starting\n", d.config_path);
		config_free(cfg);
		return 1;
	}

	if (foreground) {
		log_add_sink(sink_stderr, NULL);
	} else {
		openlog("dialbackd", LOG_PID, LOG_DAEMON);
		log_add_sink(sink_syslog, NULL);
		if (daemon(0, 0) < 0) {
			fprintf(stderr, "dialbackd: daemon(): %s\n", strerror(errno));
			return 1;
		}
		write_pidfile(pidfile);
	}

	d.loop = ev_loop_new();
	if (!d.loop) {
		log_err("cannot create the event loop: %s", strerror(errno));
		return 1;
	}
	log_set_clock(d.loop, time(NULL) - (time_t)(ev_now(d.loop) / EV_SEC), false);

	/* signals arrive through the event loop, never in a handler */
	sigemptyset(&mask);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	d.sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (d.sig_fd < 0 || ev_io_start(d.loop, &d.sig_io, d.sig_fd, EPOLLIN, on_signal, &d) < 0) {
		log_err("signalfd: %s", strerror(errno));
		return 1;
	}

	d.nas = nas_new(d.loop, cfg, NULL);
	d.ctl = ctl_new();
	if (!d.nas || !d.ctl)
		return 1;
	ctl_register_debug(d.ctl);
	nas_register_commands(d.nas, d.ctl);
	/* the IP data plane: always tried (unless -i none); without CAP_NET_ADMIN the
	 * daemon says so and runs on, sessions without IP forwarding */
	if (strcmp(ifname, "none") != 0)
		ip_plane_open_kernel(d.nas, ifname);
	if (ctl_listen(d.ctl, d.loop, sock) < 0)
		return 1;

	ctl_register(d.ctl, "show controllers usb", 0, 0, cmd_show_controllers_usb, &d,
		     "the USB line card");
	if (!no_card) {
		struct card_usb_cfg ucfg = { .serial = serial };

		d.usb_host = card_usb_host_new(d.loop);
		d.usb = d.usb_host ? card_usb_new(d.usb_host, &ucfg, &card_usb_events, &d) : NULL;
		if (!d.usb)
			log_warn("no USB access (libusb): running without a line card");
	}
	log_notice("dialbackd started with %s%s", d.config_path,
		   d.usb && !card_usb_is_up(d.usb) ? "; waiting for the line card" : "");
	rc = ev_loop_run(d.loop);

	nas_shutdown(d.nas);
	ctl_free(d.ctl);
	if (d.usb) {
		card_usb_set_card(d.usb, NULL);
		if (d.nas->card)
			nas_detach_card(d.nas);
		card_usb_free(d.usb);
	}
	card_usb_host_free(d.usb_host);
	nas_free(d.nas);
	ev_io_stop(d.loop, &d.sig_io);
	close(d.sig_fd);
	ev_loop_free(d.loop);
	if (!foreground)
		unlink(pidfile);
	return rc < 0 ? 1 : 0;
}
