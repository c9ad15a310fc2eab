/*
 * card_usb.c - the `usb` card transport: libusb-1.0, FTDI FT232H sync FIFO (see card_usb.h)
 *
 * Event integration: libusb's pollfds (its event fd, timerfd, one fd per open device)
 * become ev_io watchers on the daemon's loop; when any is ready we call
 * libusb_handle_events_timeout_completed() with a zero timeout, which runs our
 * transfer and hotplug callbacks.  If libusb ever needs timeouts handled by us
 * (libusb_pollfds_handle_timeouts() == 0), libusb_get_next_timeout() drives an
 * ev_timer.  No thread of ours; nothing blocks except the one string-descriptor read
 * while probing a newly arrived device.
 *
 * Callbacks from libusb only record what happened; state changes that open or close
 * devices run from zero-delay ev_timers ("work"), outside libusb's event handling.
 *
 * FTDI vendor requests (bmRequestType 0x40 out / 0xC0 in, wIndex = port, 1 for the
 * FT232H's only port): 0x00 RESET (wValue 0 reset, 1 purge RX, 2 purge TX), 0x02
 * SET_FLOW_CTRL (wIndex high byte 0x01 = RTS/CTS, as AN_130 asks for sync FIFO), 0x09
 * SET_LATENCY_TIMER (wValue ms), 0x0B SET_BITMODE (wValue = mode << 8 | pin mask;
 * mode 0x00 reset, 0x40 single-channel synchronous FIFO).
 *
 * SPDX-License-Identifier: MIT
 */
#include "card_usb.h"

#include <errno.h>
#include <libusb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "evloop.h"
#include "log.h"

#define FTDI_REQ_OUT		(LIBUSB_REQUEST_TYPE_VENDOR | LIBUSB_RECIPIENT_DEVICE | \
				 LIBUSB_ENDPOINT_OUT)
#define FTDI_SIO_RESET		0x00
#define FTDI_SIO_SET_FLOW_CTRL	0x02
#define FTDI_SIO_SET_LATENCY	0x09
#define FTDI_SIO_SET_BITMODE	0x0B
#define FTDI_RESET_SIO		0
#define FTDI_RESET_PURGE_RX	1
#define FTDI_RESET_PURGE_TX	2
#define FTDI_FLOW_RTS_CTS	0x0100
#define FTDI_BITMODE_RESET	0x00
#define FTDI_BITMODE_SYNCFF	0x40
#define FTDI_PORT_A		1
/* second status byte: OE 0x02, PE 0x04, FE 0x08, RCVR FIFO error 0x80 */
#define FTDI_LSR_ERRORS		0x8E

#define MAX_XFERS		16
#define CTRL_TIMEOUT_MS		1000
#define ERROR_STORM		8	/* consecutive failed transfers: reopen */
#define RESCAN_DELAY		(1 * EV_SEC)
#define FALLBACK_POLL		(10 * EV_MSEC)

enum usb_state {
	ST_DOWN,	/* no device */
	ST_SETUP,	/* opened and claimed, FTDI set-up running over EP0 */
	ST_UP,		/* bulk transfers running */
	ST_CLOSING,	/* cancelling transfers; closed when none is left */
};

static const char *const state_names[] = { "down", "setting up", "up", "closing" };

struct usb_pollfd {
	struct usb_pollfd *next;
	struct card_usb_host *h;
	struct ev_io io;
	int  fd;
	bool dead;		/* removed by libusb; freed later (the loop may hold it) */
};

struct usb_event {
	libusb_device *dev;
	bool arrived;
};

struct card_usb_host {
	struct ev_loop  *loop;
	libusb_context  *ctx;
	struct usb_pollfd *fds;
	struct ev_timer  timeout;	/* libusb timeouts (only if it needs us) */
	struct ev_timer  poll_fallback;	/* an fd epoll refused: poll by time */
	struct ev_timer  work;		/* hotplug events, probing */
	struct ev_timer  rescan;
	struct usb_event *events;
	size_t nevents, capevents;
	struct card_usb *cards;
	bool hotplug;
	uint64_t wakeups;
};

struct card_usb {
	struct card_usb *next;
	struct card_usb_host *h;
	struct card_usb_cfg cfg;
	char    *serial_want;
	const struct card_usb_events *ev;
	void    *ctx;
	struct card *card;
	card_usb_rx_fn rx_fn;
	void    *rx_ctx;
	libusb_hotplug_callback_handle hp;
	bool     hp_registered;

	enum usb_state state;
	bool     owner_up;		/* up() was reported, down() is owed */
	const char *down_why;
	libusb_device *dev;
	libusb_device_handle *dh;
	char     serial[64];
	uint8_t  bus, addr, ep_in, ep_out;
	int      speed;
	uint16_t mps_in, mps_out;

	struct libusb_transfer *in[MAX_XFERS], *out[MAX_XFERS], *ctrl;
	bool     in_busy[MAX_XFERS], out_busy[MAX_XFERS], ctrl_busy;
	unsigned setup_step;
	unsigned consecutive_errors;

	uint8_t *txq;			/* bytes toward the card */
	size_t   txq_off, txq_len, txq_cap;

	struct ev_timer flush;		/* coalesce writes of one loop turn */
	struct ev_timer work;		/* finish closing */
	struct card_usb_stats stats;
};

/* --- pure helpers -------------------------------------------------------------- */

size_t card_usb_strip_status(uint8_t *buf, size_t len, size_t mps, struct card_usb_strip *st)
{
	size_t out = 0;

	memset(st, 0, sizeof(*st));
	if (mps <= CARD_USB_STATUS_LEN)
		mps = 512;
	for (size_t off = 0; off < len; off += mps) {
		size_t plen = len - off < mps ? len - off : mps;

		st->packets++;
		if (plen < CARD_USB_STATUS_LEN) {
			st->bad_packets++;
			continue;
		}
		st->have_status = true;
		st->status[0] = buf[off];
		st->status[1] = buf[off + 1];
		if (buf[off + 1] & FTDI_LSR_ERRORS)
			st->status_errors++;
		memmove(buf + out, buf + off + CARD_USB_STATUS_LEN, plen - CARD_USB_STATUS_LEN);
		out += plen - CARD_USB_STATUS_LEN;
	}
	return out;
}

const char *card_usb_status_name(int status)
{
	switch (status) {
	case LIBUSB_TRANSFER_COMPLETED:	return "COMPLETED";
	case LIBUSB_TRANSFER_ERROR:	return "ERROR";
	case LIBUSB_TRANSFER_TIMED_OUT:	return "TIMED_OUT";
	case LIBUSB_TRANSFER_CANCELLED:	return "CANCELLED";
	case LIBUSB_TRANSFER_STALL:	return "STALL";
	case LIBUSB_TRANSFER_NO_DEVICE:	return "NO_DEVICE";
	case LIBUSB_TRANSFER_OVERFLOW:	return "OVERFLOW";
	default:			return "UNKNOWN";
	}
}

enum card_usb_action card_usb_account(struct card_usb_stats *st, bool in, int status)
{
	uint64_t *errors = in ? &st->rx_errors : &st->tx_errors;

	switch (status) {
	case LIBUSB_TRANSFER_COMPLETED:
		if (in)
			st->rx_transfers++;
		else
			st->tx_transfers++;
		return CARD_USB_OK;
	case LIBUSB_TRANSFER_CANCELLED:
		return CARD_USB_STOP;
	case LIBUSB_TRANSFER_NO_DEVICE:
		(*errors)++;
		return CARD_USB_GONE;
	case LIBUSB_TRANSFER_STALL:
		(*errors)++;
		if (in)
			st->rx_stalls++;
		else
			st->tx_stalls++;
		return CARD_USB_CLEAR_HALT;
	case LIBUSB_TRANSFER_TIMED_OUT:
		(*errors)++;
		if (in)
			st->rx_timeouts++;
		else
			st->tx_timeouts++;
		return CARD_USB_RETRY;
	case LIBUSB_TRANSFER_ERROR:
	case LIBUSB_TRANSFER_OVERFLOW:
	default:
		(*errors)++;
		return CARD_USB_RETRY;
	}
}

/* --- event-loop integration ------------------------------------------------------ */

static void host_handle_events(struct card_usb_host *h);

static void update_timeout(struct card_usb_host *h)
{
	struct timeval tv;
	int r;

	if (libusb_pollfds_handle_timeouts(h->ctx))
		return;
	r = libusb_get_next_timeout(h->ctx, &tv);
	if (r == 1)
		ev_timer_start(h->loop, &h->timeout,
			       (ev_time_t)tv.tv_sec * EV_SEC + (ev_time_t)tv.tv_usec * EV_USEC);
	else
		ev_timer_stop(h->loop, &h->timeout);
}

static void host_handle_events(struct card_usb_host *h)
{
	struct timeval zero = { 0, 0 };
	int r;

	h->wakeups++;
	r = libusb_handle_events_timeout_completed(h->ctx, &zero, NULL);

	if (r < 0 && r != LIBUSB_ERROR_INTERRUPTED)
		log_warn("usb: libusb_handle_events: %s", libusb_error_name(r));
	update_timeout(h);
}

static void on_pollfd(struct ev_io *io, int fd, uint32_t revents, void *arg)
{
	struct usb_pollfd *p = arg;

	(void)io; (void)fd; (void)revents;
	if (!p->dead)
		host_handle_events(p->h);
}

static void on_timeout(struct ev_timer *t, void *arg)
{
	(void)t;
	host_handle_events(arg);
}

static void on_poll_fallback(struct ev_timer *t, void *arg)
{
	struct card_usb_host *h = arg;

	host_handle_events(h);
	ev_timer_start(h->loop, t, FALLBACK_POLL);
}

static void pollfd_added(int fd, short events, void *arg)
{
	struct card_usb_host *h = arg;
	struct usb_pollfd *p = calloc(1, sizeof(*p));
	uint32_t ev = 0;
	int r;

	if (!p) {
		log_err("usb: out of memory for a pollfd; polling by time");
		ev_timer_start(h->loop, &h->poll_fallback, FALLBACK_POLL);
		return;
	}
	if (events & POLLIN)
		ev |= EPOLLIN;
	if (events & POLLOUT)
		ev |= EPOLLOUT;
	p->h = h;
	p->fd = fd;
	r = ev_io_start(h->loop, &p->io, fd, ev, on_pollfd, p);
	if (r < 0) {
		/* e.g. epoll refuses regular files: keep working, by time */
		log_warn("usb: cannot watch libusb fd %d (%s); polling every %u ms", fd,
			 strerror(-r), (unsigned)(FALLBACK_POLL / EV_MSEC));
		p->dead = true;
		if (!ev_timer_active(&h->poll_fallback))
			ev_timer_start(h->loop, &h->poll_fallback, FALLBACK_POLL);
	}
	p->next = h->fds;
	h->fds = p;
}

static void pollfd_removed(int fd, void *arg)
{
	struct card_usb_host *h = arg;

	for (struct usb_pollfd *p = h->fds; p; p = p->next) {
		if (p->fd == fd && !p->dead) {
			ev_io_stop(h->loop, &p->io);
			p->dead = true;
		}
	}
}

/* Free watchers libusb removed; called from timers, never inside an fd batch. */
static void pollfd_reap(struct card_usb_host *h)
{
	struct usb_pollfd **pp = &h->fds;

	while (*pp) {
		struct usb_pollfd *p = *pp;

		if (p->dead && !p->io.added) {
			*pp = p->next;
			free(p);
		} else {
			pp = &p->next;
		}
	}
}

/* --- transmit queue ---------------------------------------------------------------- */

static int txq_append(struct card_usb *u, const uint8_t *buf, size_t len)
{
	if (u->txq_off && u->txq_off + u->txq_len + len > u->txq_cap) {
		memmove(u->txq, u->txq + u->txq_off, u->txq_len);
		u->txq_off = 0;
	}
	if (u->txq_len + len > u->txq_cap) {
		size_t cap = u->txq_cap ? u->txq_cap : 4096;
		uint8_t *nb;

		while (cap < u->txq_len + len)
			cap *= 2;
		nb = realloc(u->txq, cap);
		if (!nb)
			return -ENOMEM;
		u->txq = nb;
		u->txq_cap = cap;
	}
	memcpy(u->txq + u->txq_off + u->txq_len, buf, len);
	u->txq_len += len;
	return 0;
}

/* --- device bring-up and tear-down ------------------------------------------------ */

static void start_closing(struct card_usb *u, const char *why);
static void pump_out(struct card_usb *u);

static unsigned in_flight(const struct card_usb *u)
{
	return u->stats.in_flight_in + u->stats.in_flight_out + (u->ctrl_busy ? 1u : 0u);
}

static void kick_work(struct card_usb *u)
{
	ev_timer_start(u->h->loop, &u->work, 0);
}

static void free_transfers(struct card_usb *u)
{
	for (unsigned i = 0; i < MAX_XFERS; i++) {
		if (u->in[i]) {
			free(u->in[i]->buffer);
			libusb_free_transfer(u->in[i]);
			u->in[i] = NULL;
		}
		if (u->out[i]) {
			free(u->out[i]->buffer);
			libusb_free_transfer(u->out[i]);
			u->out[i] = NULL;
		}
	}
	if (u->ctrl) {
		free(u->ctrl->buffer);
		libusb_free_transfer(u->ctrl);
		u->ctrl = NULL;
	}
}

/* Everything is back from libusb: release and close, become DOWN. */
static void finish_close(struct card_usb *u)
{
	free_transfers(u);
	if (u->dh) {
		libusb_release_interface(u->dh, 0);	/* fails harmlessly when unplugged */
		libusb_close(u->dh);
		u->dh = NULL;
	}
	if (u->dev) {
		libusb_unref_device(u->dev);
		u->dev = NULL;
	}
	u->state = ST_DOWN;
	u->txq_off = u->txq_len = 0;
	dbg(DBG_CARD, "usb %s: closed (%s)", u->serial[0] ? u->serial : "-",
	    u->down_why ? u->down_why : "");
	/* a re-plugged device may be waiting, or the device is still there after a
	 * failure: look again */
	ev_timer_start(u->h->loop, &u->h->work, 0);
	if (u->down_why && strcmp(u->down_why, "unplugged") != 0)
		ev_timer_start(u->h->loop, &u->h->rescan, RESCAN_DELAY);
}

static void on_card_work(struct ev_timer *t, void *arg)
{
	struct card_usb *u = arg;

	(void)t;
	pollfd_reap(u->h);
	if (u->state == ST_CLOSING && in_flight(u) == 0)
		finish_close(u);
}

static void on_flush(struct ev_timer *t, void *arg)
{
	(void)t;
	pump_out(arg);
}

static void tell_down(struct card_usb *u, const char *why)
{
	if (!u->owner_up)
		return;
	u->owner_up = false;
	if (u->ev && u->ev->down)
		u->ev->down(u->ctx, u, why);
}

static void start_closing(struct card_usb *u, const char *why)
{
	if (u->state == ST_DOWN || u->state == ST_CLOSING)
		return;
	u->state = ST_CLOSING;
	u->down_why = why;
	if (strcmp(why, "unplugged") == 0)
		u->stats.removals++;
	if (u->txq_len)
		u->stats.tx_dropped += u->txq_len;
	u->txq_off = u->txq_len = 0;
	ev_timer_stop(u->h->loop, &u->flush);
	if (u->cfg.quiet)
		dbg(DBG_CARD, "usb card %04x:%04x serial %s bus %03u address %03u: %s",
		    u->cfg.vid, u->cfg.pid, u->serial[0] ? u->serial : "-", u->bus, u->addr, why);
	else
		log_notice("usb card %04x:%04x serial %s bus %03u address %03u: %s",
			   u->cfg.vid, u->cfg.pid, u->serial[0] ? u->serial : "-", u->bus, u->addr,
			   why);
	for (unsigned i = 0; i < MAX_XFERS; i++) {
		if (u->in_busy[i])
			libusb_cancel_transfer(u->in[i]);	/* NOT_FOUND: completing anyway */
		if (u->out_busy[i])
			libusb_cancel_transfer(u->out[i]);
	}
	if (u->ctrl_busy)
		libusb_cancel_transfer(u->ctrl);
	tell_down(u, why);
	kick_work(u);
}

static void handle_submit_error(struct card_usb *u, int r, const char *what)
{
	u->stats.submit_errors++;
	log_warn("usb %s: submit %s: %s", u->serial, what, libusb_error_name(r));
	start_closing(u, r == LIBUSB_ERROR_NO_DEVICE ? "unplugged" : "submit failed");
}

/* An error that is not the device leaving; too many in a row: reopen. */
static bool error_storm(struct card_usb *u)
{
	if (++u->consecutive_errors < ERROR_STORM)
		return false;
	start_closing(u, "too many transfer errors");
	return true;
}

static void LIBUSB_CALL on_in(struct libusb_transfer *t);
static void LIBUSB_CALL on_out(struct libusb_transfer *t);

static int submit_in(struct card_usb *u, unsigned i)
{
	int r = libusb_submit_transfer(u->in[i]);

	if (r < 0) {
		handle_submit_error(u, r, "bulk IN");
		return r;
	}
	u->in_busy[i] = true;
	u->stats.in_flight_in++;
	return 0;
}

static void clear_halt(struct card_usb *u, uint8_t ep)
{
	int r = libusb_clear_halt(u->dh, ep);

	if (r < 0)
		log_warn("usb %s: clear halt on 0x%02x: %s", u->serial, ep, libusb_error_name(r));
}

static unsigned xfer_index(struct libusb_transfer *const *arr, const struct libusb_transfer *t)
{
	for (unsigned i = 0; i < MAX_XFERS; i++)
		if (arr[i] == t)
			return i;
	return MAX_XFERS;
}

static void LIBUSB_CALL on_in(struct libusb_transfer *t)
{
	struct card_usb *u = t->user_data;
	unsigned i = xfer_index(u->in, t);
	enum card_usb_action act = card_usb_account(&u->stats, true, t->status);
	struct card_usb_strip st;
	size_t n;

	u->in_busy[i] = false;
	u->stats.in_flight_in--;
	if (act != CARD_USB_OK && act != CARD_USB_STOP)
		log_warn("usb %s: bulk IN 0x%02x: %s (%d bytes)", u->serial, u->ep_in,
			 card_usb_status_name(t->status), t->actual_length);
	/* data that made it is good data, whatever the status */
	if (t->actual_length > 0 && u->state == ST_UP) {
		n = card_usb_strip_status(t->buffer, (size_t)t->actual_length, u->mps_in, &st);
		u->stats.rx_bad_packets += st.bad_packets;
		u->stats.rx_status_errors += st.status_errors;
		if (st.have_status)
			memcpy(u->stats.modem_status, st.status, sizeof(st.status));
		u->stats.rx_bytes += n;
		if (n && u->rx_fn)
			u->rx_fn(u->rx_ctx, t->buffer, n);
		else if (n && u->card)
			card_input(u->card, t->buffer, n);
	}
	if (u->state != ST_UP) {
		kick_work(u);
		return;
	}
	switch (act) {
	case CARD_USB_OK:
		u->consecutive_errors = 0;
		break;
	case CARD_USB_STOP:
		return;
	case CARD_USB_GONE:
		start_closing(u, "unplugged");
		return;
	case CARD_USB_CLEAR_HALT:
		clear_halt(u, u->ep_in);
		/* fall through */
	case CARD_USB_RETRY:
		if (error_storm(u))
			return;
		break;
	}
	submit_in(u, i);
}

static void LIBUSB_CALL on_out(struct libusb_transfer *t)
{
	struct card_usb *u = t->user_data;
	unsigned i = xfer_index(u->out, t);
	enum card_usb_action act = card_usb_account(&u->stats, false, t->status);
	int left = t->length - t->actual_length;

	u->out_busy[i] = false;
	u->stats.in_flight_out--;
	u->stats.tx_bytes += (uint64_t)t->actual_length;
	if (act != CARD_USB_OK && act != CARD_USB_STOP)
		log_warn("usb %s: bulk OUT 0x%02x: %s (%d of %d bytes)", u->serial, u->ep_out,
			 card_usb_status_name(t->status), t->actual_length, t->length);
	if (u->state != ST_UP) {
		kick_work(u);
		return;
	}
	switch (act) {
	case CARD_USB_OK:
		u->consecutive_errors = 0;
		break;
	case CARD_USB_STOP:
		return;
	case CARD_USB_GONE:
		start_closing(u, "unplugged");
		return;
	case CARD_USB_CLEAR_HALT:
		/* the card did not take the rest: clear the halt and send the rest
		 * again, so the byte stream stays intact -- but only if no later
		 * transfer is queued behind it, which would then overtake it and
		 * reorder the stream (a frame's chunks swapped would leave the card
		 * with a good FCS on bad data); otherwise drop it and let the card
		 * resynchronise */
		clear_halt(u, u->ep_out);
		if (error_storm(u))
			return;
		if (left > 0 && u->stats.in_flight_out > 0) {
			u->stats.tx_dropped += (uint64_t)left;
		} else if (left > 0) {
			memmove(t->buffer, t->buffer + t->actual_length, (size_t)left);
			t->length = left;
			if (libusb_submit_transfer(t) < 0) {
				u->stats.tx_dropped += (uint64_t)left;
				u->stats.submit_errors++;
			} else {
				u->out_busy[i] = true;
				u->stats.in_flight_out++;
			}
		}
		break;
	case CARD_USB_RETRY:
		if (left > 0)
			u->stats.tx_dropped += (uint64_t)left;	/* the stream resyncs */
		if (error_storm(u))
			return;
		break;
	}
	pump_out(u);
}

static void pump_out(struct card_usb *u)
{
	if (u->state != ST_UP)
		return;
	for (unsigned i = 0; i < u->cfg.out_xfers && u->txq_len; i++) {
		struct libusb_transfer *t = u->out[i];
		size_t n;
		int r;

		if (u->out_busy[i])
			continue;
		n = u->txq_len < u->cfg.out_size ? u->txq_len : u->cfg.out_size;
		memcpy(t->buffer, u->txq + u->txq_off, n);
		t->length = (int)n;
		r = libusb_submit_transfer(t);
		if (r < 0) {
			u->stats.tx_dropped += n;
			handle_submit_error(u, r, "bulk OUT");
			return;
		}
		u->out_busy[i] = true;
		u->stats.in_flight_out++;
		u->txq_off += n;
		u->txq_len -= n;
		if (u->txq_len == 0)
			u->txq_off = 0;
	}
}

/* The FTDI set-up, one control transfer after the other. */
struct setup_step {
	uint8_t  request;
	uint16_t value;		/* 0xFFFF: the latency timer */
	uint16_t index;
	const char *what;
};

static const struct setup_step setup_steps[] = {
	{ FTDI_SIO_RESET, FTDI_RESET_SIO, FTDI_PORT_A, "reset" },
	{ FTDI_SIO_RESET, FTDI_RESET_PURGE_RX, FTDI_PORT_A, "purge RX" },
	{ FTDI_SIO_RESET, FTDI_RESET_PURGE_TX, FTDI_PORT_A, "purge TX" },
	{ FTDI_SIO_SET_LATENCY, 0xFFFF, FTDI_PORT_A, "latency timer" },
	{ FTDI_SIO_SET_BITMODE, FTDI_BITMODE_RESET << 8 | 0xFF, FTDI_PORT_A, "bitmode reset" },
	{ FTDI_SIO_SET_BITMODE, FTDI_BITMODE_SYNCFF << 8 | 0xFF, FTDI_PORT_A, "bitmode sync FIFO" },
	{ FTDI_SIO_SET_FLOW_CTRL, 0, FTDI_FLOW_RTS_CTS | FTDI_PORT_A, "flow control RTS/CTS" },
};
#define SETUP_STEPS (sizeof(setup_steps) / sizeof(setup_steps[0]))

static void LIBUSB_CALL on_ctrl(struct libusb_transfer *t);

static void setup_next(struct card_usb *u)
{
	const struct setup_step *s = &setup_steps[u->setup_step];
	uint16_t value = s->value == 0xFFFF ? u->cfg.latency_ms : s->value;
	int r;

	libusb_fill_control_setup(u->ctrl->buffer, FTDI_REQ_OUT, s->request, value, s->index, 0);
	libusb_fill_control_transfer(u->ctrl, u->dh, u->ctrl->buffer, on_ctrl, u, CTRL_TIMEOUT_MS);
	r = libusb_submit_transfer(u->ctrl);
	if (r < 0) {
		handle_submit_error(u, r, s->what);
		return;
	}
	u->ctrl_busy = true;
}

static void go_up(struct card_usb *u)
{
	u->state = ST_UP;
	u->consecutive_errors = 0;
	for (unsigned i = 0; i < u->cfg.in_xfers; i++)
		if (submit_in(u, i) < 0)
			return;
	if (u->cfg.quiet)
		dbg(DBG_CARD, "usb card %04x:%04x serial %s bus %03u address %03u: up",
		    u->cfg.vid, u->cfg.pid, u->serial[0] ? u->serial : "-", u->bus, u->addr);
	else
		log_notice("usb card %04x:%04x serial %s bus %03u address %03u: up",
			   u->cfg.vid, u->cfg.pid, u->serial[0] ? u->serial : "-", u->bus, u->addr);
	u->owner_up = true;
	if (u->ev && u->ev->up)
		u->ev->up(u->ctx, u);
}

static void LIBUSB_CALL on_ctrl(struct libusb_transfer *t)
{
	struct card_usb *u = t->user_data;
	const struct setup_step *s = &setup_steps[u->setup_step];

	u->ctrl_busy = false;
	if (u->state != ST_SETUP) {
		kick_work(u);
		return;
	}
	if (t->status != LIBUSB_TRANSFER_COMPLETED) {
		u->stats.setup_errors++;
		log_warn("usb %s: FTDI %s: %s", u->serial, s->what, card_usb_status_name(t->status));
		start_closing(u, t->status == LIBUSB_TRANSFER_NO_DEVICE ? "unplugged"
							     : "FTDI set-up failed");
		return;
	}
	if (++u->setup_step < SETUP_STEPS)
		setup_next(u);
	else
		go_up(u);
}

static struct libusb_transfer *alloc_xfer(size_t size)
{
	struct libusb_transfer *t = libusb_alloc_transfer(0);

	if (!t)
		return NULL;
	t->buffer = malloc(size);
	if (!t->buffer) {
		libusb_free_transfer(t);
		return NULL;
	}
	return t;
}

/* Find the bulk endpoints of interface 0 and their max packet sizes. */
static int find_endpoints(struct card_usb *u)
{
	struct libusb_config_descriptor *cd;
	const struct libusb_interface_descriptor *id;
	int r = libusb_get_active_config_descriptor(u->dev, &cd);

	if (r < 0)
		return r;
	r = LIBUSB_ERROR_NOT_FOUND;
	if (cd->bNumInterfaces >= 1 && cd->interface[0].num_altsetting >= 1) {
		id = &cd->interface[0].altsetting[0];
		for (unsigned i = 0; i < id->bNumEndpoints; i++) {
			const struct libusb_endpoint_descriptor *ep = &id->endpoint[i];

			if ((ep->bmAttributes & LIBUSB_TRANSFER_TYPE_MASK) != LIBUSB_TRANSFER_TYPE_BULK)
				continue;
			if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN) {
				u->ep_in = ep->bEndpointAddress;
				u->mps_in = ep->wMaxPacketSize & 0x7FF;
			} else {
				u->ep_out = ep->bEndpointAddress;
				u->mps_out = ep->wMaxPacketSize & 0x7FF;
			}
		}
		if (u->ep_in && u->ep_out && u->mps_in > CARD_USB_STATUS_LEN)
			r = 0;
	}
	libusb_free_config_descriptor(cd);
	return r;
}

/* Take over an opened device (from the host's probe) and start the FTDI set-up. */
static void attach_device(struct card_usb *u, libusb_device *dev, libusb_device_handle *dh,
			  const char *serial)
{
	size_t in_size;
	int r;

	u->dev = libusb_ref_device(dev);
	u->dh = dh;
	snprintf(u->serial, sizeof(u->serial), "%s", serial);
	u->bus = libusb_get_bus_number(dev);
	u->addr = libusb_get_device_address(dev);
	u->speed = libusb_get_device_speed(dev);
	u->ep_in = u->ep_out = 0;
	u->setup_step = 0;
	u->down_why = NULL;
	u->state = ST_SETUP;
	u->stats.arrivals++;

	r = find_endpoints(u);
	if (r < 0) {
		log_err("usb %s: no bulk endpoint pair on interface 0: %s", u->serial,
			libusb_error_name(r));
		goto fail;
	}
	libusb_set_auto_detach_kernel_driver(dh, 1);
	r = libusb_claim_interface(dh, 0);
	if (r < 0) {
		log_err("usb %s: claim interface 0: %s", u->serial, libusb_error_name(r));
		goto fail;
	}
	/* a halt left over from before (an error storm closed us) must not block */
	clear_halt(u, u->ep_in);
	clear_halt(u, u->ep_out);
	/* IN transfers: whole packets, so every packet's status bytes are where we
	 * look for them */
	in_size = u->cfg.in_size / u->mps_in * u->mps_in;
	if (in_size == 0)
		in_size = u->mps_in;
	u->ctrl = alloc_xfer(LIBUSB_CONTROL_SETUP_SIZE + 64);
	if (!u->ctrl)
		goto nomem;
	for (unsigned i = 0; i < u->cfg.in_xfers; i++) {
		u->in[i] = alloc_xfer(in_size);
		if (!u->in[i])
			goto nomem;
		libusb_fill_bulk_transfer(u->in[i], dh, u->ep_in, u->in[i]->buffer, (int)in_size,
					  on_in, u, 0);
	}
	for (unsigned i = 0; i < u->cfg.out_xfers; i++) {
		u->out[i] = alloc_xfer(u->cfg.out_size);
		if (!u->out[i])
			goto nomem;
		libusb_fill_bulk_transfer(u->out[i], dh, u->ep_out, u->out[i]->buffer, 0,
					  on_out, u, 0);
	}
	dbg(DBG_CARD, "usb %s: bus %03u address %03u, IN 0x%02x/%u OUT 0x%02x/%u, set-up",
	    u->serial, u->bus, u->addr, u->ep_in, u->mps_in, u->ep_out, u->mps_out);
	setup_next(u);
	return;
nomem:
	log_err("usb %s: out of memory for transfers", u->serial);
fail:
	u->stats.setup_errors++;
	u->state = ST_CLOSING;
	u->down_why = "set-up failed";
	kick_work(u);
}

/* --- probing and hotplug (host level) ----------------------------------------------- */

static bool device_taken(const struct card_usb_host *h, const libusb_device *dev)
{
	for (const struct card_usb *u = h->cards; u; u = u->next)
		if (u->dev == dev)
			return true;
	return false;
}

static void probe(struct card_usb_host *h, libusb_device *dev)
{
	struct libusb_device_descriptor dd;
	struct card_usb *match = NULL;
	libusb_device_handle *dh;
	unsigned char serial[64] = "";
	bool wanted = false;
	int r;

	if (device_taken(h, dev) || libusb_get_device_descriptor(dev, &dd) < 0)
		return;
	for (struct card_usb *u = h->cards; u; u = u->next)
		if (u->state == ST_DOWN && u->cfg.vid == dd.idVendor && u->cfg.pid == dd.idProduct)
			wanted = true;
	if (!wanted)
		return;
	r = libusb_open(dev, &dh);
	if (r < 0) {
		log_warn("usb: open %04x:%04x bus %03u address %03u: %s", dd.idVendor,
			 dd.idProduct, libusb_get_bus_number(dev), libusb_get_device_address(dev),
			 libusb_error_name(r));
		return;
	}
	if (dd.iSerialNumber) {
		r = libusb_get_string_descriptor_ascii(dh, dd.iSerialNumber, serial, sizeof(serial));
		if (r < 0) {
			log_warn("usb: serial number of %04x:%04x: %s", dd.idVendor, dd.idProduct,
				 libusb_error_name(r));
			serial[0] = 0;
		}
	}
	/* a card asking for this serial first, then one that takes any */
	for (struct card_usb *u = h->cards; u && !match; u = u->next)
		if (u->state == ST_DOWN && u->cfg.vid == dd.idVendor && u->cfg.pid == dd.idProduct &&
		    u->serial_want && strcmp(u->serial_want, (char *)serial) == 0)
			match = u;
	for (struct card_usb *u = h->cards; u && !match; u = u->next)
		if (u->state == ST_DOWN && u->cfg.vid == dd.idVendor && u->cfg.pid == dd.idProduct &&
		    !u->serial_want)
			match = u;
	if (!match) {
		dbg(DBG_CARD, "usb: %04x:%04x serial %s is not one of ours", dd.idVendor,
		    dd.idProduct, serial);
		libusb_close(dh);
		return;
	}
	attach_device(match, dev, dh, (char *)serial);
}

static void on_host_work(struct ev_timer *t, void *arg)
{
	struct card_usb_host *h = arg;
	/* take the batch: probing calls libusb, which may record new events */
	struct usb_event *ev = h->events;
	size_t nev = h->nevents;

	(void)t;
	h->events = NULL;
	h->nevents = h->capevents = 0;
	pollfd_reap(h);
	/* events in order; a device that left before we got to it is skipped */
	for (size_t i = 0; i < nev; i++) {
		if (!ev[i].arrived) {
			for (struct card_usb *u = h->cards; u; u = u->next)
				if (u->dev == ev[i].dev)
					start_closing(u, "unplugged");
		} else {
			bool left_later = false;

			for (size_t j = i + 1; j < nev; j++)
				if (ev[j].dev == ev[i].dev && !ev[j].arrived)
					left_later = true;
			if (!left_later)
				probe(h, ev[i].dev);
		}
	}
	for (size_t i = 0; i < nev; i++)
		libusb_unref_device(ev[i].dev);
	free(ev);
}

static int LIBUSB_CALL on_hotplug(libusb_context *ctx, libusb_device *dev,
				  libusb_hotplug_event event, void *arg)
{
	struct card_usb_host *h = arg;
	bool arrived = event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED;

	(void)ctx;
	/* two cards with one VID:PID register twice: record each event once */
	if (h->nevents && h->events[h->nevents - 1].dev == dev &&
	    h->events[h->nevents - 1].arrived == arrived)
		return 0;
	if (h->nevents == h->capevents) {
		size_t cap = h->capevents ? 2 * h->capevents : 8;
		struct usb_event *ne = realloc(h->events, cap * sizeof(*ne));

		if (!ne) {
			log_err("usb: out of memory for a hotplug event");
			return 0;
		}
		h->events = ne;
		h->capevents = cap;
	}
	h->events[h->nevents].dev = libusb_ref_device(dev);
	h->events[h->nevents].arrived = arrived;
	h->nevents++;
	ev_timer_start(h->loop, &h->work, 0);
	return 0;
}

/* No hotplug, or a device that stayed after a failure: enumerate. */
static void on_rescan(struct ev_timer *t, void *arg)
{
	struct card_usb_host *h = arg;
	libusb_device **list;
	ssize_t n = libusb_get_device_list(h->ctx, &list);
	bool any_down = false;

	(void)t;
	if (n < 0) {
		log_warn("usb: device list: %s", libusb_error_name((int)n));
	} else {
		for (ssize_t i = 0; i < n; i++)
			probe(h, list[i]);
		libusb_free_device_list(list, 1);
	}
	for (struct card_usb *u = h->cards; u; u = u->next)
		any_down |= u->state == ST_DOWN;
	if (!h->hotplug && any_down)
		ev_timer_start(h->loop, &h->rescan, RESCAN_DELAY);
}

/* --- public API --------------------------------------------------------------------- */

struct card_usb_host *card_usb_host_new(struct ev_loop *loop)
{
	struct card_usb_host *h = calloc(1, sizeof(*h));
	const struct libusb_pollfd **fds;
	int r;

	if (!h)
		return NULL;
	h->loop = loop;
	ev_timer_init(&h->timeout, on_timeout, h);
	ev_timer_init(&h->poll_fallback, on_poll_fallback, h);
	ev_timer_init(&h->work, on_host_work, h);
	ev_timer_init(&h->rescan, on_rescan, h);
	r = libusb_init(&h->ctx);
	if (r < 0) {
		log_err("usb: libusb_init: %s", libusb_error_name(r));
		free(h);
		return NULL;
	}
	h->hotplug = libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) != 0;
	fds = libusb_get_pollfds(h->ctx);
	if (fds) {
		for (unsigned i = 0; fds[i]; i++)
			pollfd_added(fds[i]->fd, fds[i]->events, h);
		libusb_free_pollfds(fds);
	} else {
		log_warn("usb: libusb has no pollfds; polling by time");
		ev_timer_start(loop, &h->poll_fallback, FALLBACK_POLL);
	}
	libusb_set_pollfd_notifiers(h->ctx, pollfd_added, pollfd_removed, h);
	update_timeout(h);
	return h;
}

void card_usb_host_free(struct card_usb_host *h)
{
	if (!h)
		return;
	while (h->cards)
		card_usb_free(h->cards);
	for (size_t i = 0; i < h->nevents; i++)
		libusb_unref_device(h->events[i].dev);
	free(h->events);
	libusb_set_pollfd_notifiers(h->ctx, NULL, NULL, NULL);
	for (struct usb_pollfd *p = h->fds; p; p = p->next)
		ev_io_stop(h->loop, &p->io);
	libusb_exit(h->ctx);
	while (h->fds) {
		struct usb_pollfd *p = h->fds;

		h->fds = p->next;
		free(p);
	}
	ev_timer_stop(h->loop, &h->timeout);
	ev_timer_stop(h->loop, &h->poll_fallback);
	ev_timer_stop(h->loop, &h->work);
	ev_timer_stop(h->loop, &h->rescan);
	free(h);
}

struct card_usb *card_usb_new(struct card_usb_host *h, const struct card_usb_cfg *cfg,
			      const struct card_usb_events *ev, void *ctx)
{
	struct card_usb *u = calloc(1, sizeof(*u));
	int r;

	if (!u)
		return NULL;
	u->h = h;
	if (cfg)
		u->cfg = *cfg;
	if (!u->cfg.vid && !u->cfg.pid) {
		u->cfg.vid = CARD_USB_FTDI_VID;
		u->cfg.pid = CARD_USB_FT232H_PID;
	}
	if (!u->cfg.latency_ms)
		u->cfg.latency_ms = CARD_USB_LATENCY_MS;
	if (!u->cfg.in_xfers)
		u->cfg.in_xfers = CARD_USB_IN_XFERS;
	if (!u->cfg.out_xfers)
		u->cfg.out_xfers = CARD_USB_OUT_XFERS;
	if (u->cfg.in_xfers > MAX_XFERS)
		u->cfg.in_xfers = MAX_XFERS;
	if (u->cfg.out_xfers > MAX_XFERS)
		u->cfg.out_xfers = MAX_XFERS;
	if (!u->cfg.in_size)
		u->cfg.in_size = CARD_USB_IN_SIZE;
	if (!u->cfg.out_size)
		u->cfg.out_size = CARD_USB_OUT_SIZE;
	if (cfg && cfg->serial && cfg->serial[0]) {
		u->serial_want = strdup(cfg->serial);
		if (!u->serial_want) {
			free(u);
			return NULL;
		}
	}
	u->cfg.serial = u->serial_want;
	u->ev = ev;
	u->ctx = ctx;
	ev_timer_init(&u->flush, on_flush, u);
	ev_timer_init(&u->work, on_card_work, u);
	u->next = h->cards;
	h->cards = u;

	if (h->hotplug) {
		/* ENUMERATE: a card already present is reported now (queued) */
		r = libusb_hotplug_register_callback(h->ctx,
			LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT,
			LIBUSB_HOTPLUG_ENUMERATE, u->cfg.vid, u->cfg.pid, LIBUSB_HOTPLUG_MATCH_ANY,
			on_hotplug, h, &u->hp);
		if (r == LIBUSB_SUCCESS) {
			u->hp_registered = true;
		} else {
			log_warn("usb: hotplug registration: %s; scanning instead",
				 libusb_error_name(r));
			h->hotplug = false;
		}
	}
	if (!h->hotplug)
		ev_timer_start(h->loop, &h->rescan, 0);
	return u;
}

void card_usb_free(struct card_usb *u)
{
	struct card_usb_host *h;

	if (!u)
		return;
	h = u->h;
	if (u->hp_registered)
		libusb_hotplug_deregister_callback(h->ctx, u->hp);
	u->owner_up = false;		/* the owner is going away: no down() */
	start_closing(u, "shut down");
	/* wait (bounded) for libusb to give the transfers back */
	for (int i = 0; i < 200 && u->state == ST_CLOSING && in_flight(u); i++) {
		struct timeval tv = { 0, 10000 };

		libusb_handle_events_timeout_completed(h->ctx, &tv, NULL);
	}
	if (u->state == ST_CLOSING) {
		if (in_flight(u)) {
			log_err("usb %s: %u transfers never came back; leaking them", u->serial,
				in_flight(u));
			for (unsigned i = 0; i < MAX_XFERS; i++) {	/* still owned by libusb */
				if (u->in_busy[i])
					u->in[i] = NULL;
				if (u->out_busy[i])
					u->out[i] = NULL;
			}
			if (u->ctrl_busy)
				u->ctrl = NULL;
		}
		finish_close(u);
	}
	for (struct card_usb **pp = &h->cards; *pp; pp = &(*pp)->next) {
		if (*pp == u) {
			*pp = u->next;
			break;
		}
	}
	ev_timer_stop(h->loop, &u->flush);
	ev_timer_stop(h->loop, &u->work);
	free(u->txq);
	free(u->serial_want);
	free(u);
}

uint64_t card_usb_host_wakeups(const struct card_usb_host *h) { return h->wakeups; }

void card_usb_host_poll(struct card_usb_host *h)
{
	host_handle_events(h);
}

void card_usb_flush(struct card_usb *u)
{
	ev_timer_stop(u->h->loop, &u->flush);
	pump_out(u);
}

void card_usb_set_card(struct card_usb *u, struct card *c) { u->card = c; }

void card_usb_set_rx(struct card_usb *u, card_usb_rx_fn fn, void *ctx)
{
	u->rx_fn = fn;
	u->rx_ctx = ctx;
}
bool card_usb_is_up(const struct card_usb *u) { return u->state == ST_UP; }
const struct card_usb_stats *card_usb_get_stats(const struct card_usb *u) { return &u->stats; }
size_t card_usb_tx_pending(const struct card_usb *u) { return u->txq_len; }

static int usb_write(void *tp, const uint8_t *buf, size_t len)
{
	struct card_usb *u = tp;
	int r;

	if (u->state != ST_UP)
		return -ENODEV;
	r = txq_append(u, buf, len);
	if (r < 0)
		return r;
	/* submit at the end of this loop turn, with whatever else gets written */
	if (!ev_timer_active(&u->flush))
		ev_timer_start(u->h->loop, &u->flush, 0);
	return 0;
}

static void usb_close(void *tp)
{
	(void)tp;	/* owned by whoever made it: card_usb_free() */
}

const struct card_transport_ops card_usb_ops = {
	.name = "usb",
	.write = usb_write,
	.close = usb_close,
};

static const char *speed_name(int speed)
{
	switch (speed) {
	case LIBUSB_SPEED_LOW:		return "low (1.5 Mbit/s)";
	case LIBUSB_SPEED_FULL:		return "full (12 Mbit/s)";
	case LIBUSB_SPEED_HIGH:		return "high (480 Mbit/s)";
	case LIBUSB_SPEED_SUPER:	return "super (5 Gbit/s)";
	default:			return "unknown";
	}
}

size_t card_usb_show(const struct card_usb *u, char *buf, size_t size)
{
	const struct card_usb_stats *s = &u->stats;
	char where[160];
	int n;

	if (u->state == ST_DOWN)
		snprintf(where, sizeof(where), "  no device (waiting for it to be plugged in)");
	else
		snprintf(where, sizeof(where),
			 "  bus %03u address %03u, speed %s, bulk IN 0x%02x/%u OUT 0x%02x/%u",
			 u->bus, u->addr, speed_name(u->speed), u->ep_in, u->mps_in, u->ep_out,
			 u->mps_out);
	n = snprintf(buf, size,
		"USB card %04x:%04x serial %s: %s\n"
		"%s, latency %u ms\n"
		"  transfers in flight: %u IN (of %u x %zu bytes), %u OUT (of %u x %zu bytes)\n"
		"  input: %llu bytes, %llu transfers, %llu errors (%llu stalls, %llu timeouts), "
		"%llu bad packets, %llu status errors, modem status %02x %02x\n"
		"  output: %llu bytes, %llu transfers, %llu errors (%llu stalls, %llu timeouts), "
		"%llu bytes dropped, %zu queued\n"
		"  %llu submit errors, %llu set-up errors, %llu arrivals, %llu removals\n",
		u->cfg.vid, u->cfg.pid,
		u->serial[0] ? u->serial : (u->serial_want ? u->serial_want : "any"),
		state_names[u->state], where, u->cfg.latency_ms,
		s->in_flight_in, u->cfg.in_xfers, u->cfg.in_size,
		s->in_flight_out, u->cfg.out_xfers, u->cfg.out_size,
		(unsigned long long)s->rx_bytes, (unsigned long long)s->rx_transfers,
		(unsigned long long)s->rx_errors, (unsigned long long)s->rx_stalls,
		(unsigned long long)s->rx_timeouts, (unsigned long long)s->rx_bad_packets,
		(unsigned long long)s->rx_status_errors, s->modem_status[0], s->modem_status[1],
		(unsigned long long)s->tx_bytes, (unsigned long long)s->tx_transfers,
		(unsigned long long)s->tx_errors, (unsigned long long)s->tx_stalls,
		(unsigned long long)s->tx_timeouts, (unsigned long long)s->tx_dropped, u->txq_len,
		(unsigned long long)s->submit_errors, (unsigned long long)s->setup_errors,
		(unsigned long long)s->arrivals, (unsigned long long)s->removals);

	return n < 0 ? 0 : (size_t)n;
}
