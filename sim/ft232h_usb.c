/*
 * ft232h_usb.c - FT232H USB device model (see ft232h_usb.h)
 *
 * Queues are byte buffers with a read offset (compacted when the offset passes half
 * the buffer), so taking a packet is O(packet), not O(queue).
 *
 * SPDX-License-Identifier: MIT
 */
#include "ft232h_usb.h"

#include "ft232h.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#define REQ_RESET		0x00
#define REQ_SET_MODEM_CTRL	0x01
#define REQ_SET_FLOW_CTRL	0x02
#define REQ_SET_BAUDRATE	0x03
#define REQ_SET_DATA		0x04
#define REQ_GET_MODEM_STATUS	0x05
#define REQ_SET_LATENCY		0x09
#define REQ_GET_LATENCY		0x0A
#define REQ_SET_BITMODE		0x0B
#define REQ_READ_PINS		0x0C
#define STATUS0			0x32	/* modem status: CTS, DSR, low nibble 2 */
#define STATUS1			0x60	/* line status: THRE, TEMT */

struct bytequeue {
	uint8_t *buf;
	size_t   off, len, cap;
};

struct ft232h_usb {
	pthread_mutex_t lock;
	uint16_t vid, pid;
	char     serial[32], product[64];
	struct bytequeue to_card, to_host;
	struct ft232h_usb_stats st;
	int      efd;
	void   (*wakeup)(void *arg);
	void    *wakeup_arg;
};

static int bq_put(struct bytequeue *q, const uint8_t *p, size_t n)
{
	if (q->off && q->off + q->len + n > q->cap) {
		memmove(q->buf, q->buf + q->off, q->len);
		q->off = 0;
	}
	if (q->len + n > q->cap) {
		size_t cap = q->cap ? q->cap : 4096;
		uint8_t *nb;

		while (cap < q->len + n)
			cap *= 2;
		nb = realloc(q->buf, cap);
		if (!nb)
			return -ENOMEM;
		q->buf = nb;
		q->cap = cap;
	}
	memcpy(q->buf + q->off + q->len, p, n);
	q->len += n;
	return 0;
}

static size_t bq_take(struct bytequeue *q, uint8_t *p, size_t max)
{
	size_t n = max < q->len ? max : q->len;

	if (n == 0)
		return 0;
	memcpy(p, q->buf + q->off, n);
	q->off += n;
	q->len -= n;
	if (q->len == 0)
		q->off = 0;
	return n;
}

struct ft232h_usb *ft232h_usb_new(const struct ft232h_usb_cfg *cfg)
{
	struct ft232h_usb *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	pthread_mutex_init(&m->lock, NULL);
	m->vid = cfg && cfg->vid ? cfg->vid : FT232H_USB_VID;
	m->pid = cfg && cfg->pid ? cfg->pid : FT232H_USB_PID;
	snprintf(m->serial, sizeof(m->serial), "%s", cfg && cfg->serial ? cfg->serial : "FT000001");
	snprintf(m->product, sizeof(m->product), "%s",
		 cfg && cfg->product ? cfg->product : "dialback line card");
	m->st.latency_ms = 16;		/* the chip's power-on default */
	m->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (m->efd < 0) {
		free(m);
		return NULL;
	}
	return m;
}

void ft232h_usb_free(struct ft232h_usb *m)
{
	if (!m)
		return;
	close(m->efd);
	free(m->to_card.buf);
	free(m->to_host.buf);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

uint16_t ft232h_usb_vid(const struct ft232h_usb *m) { return m->vid; }
uint16_t ft232h_usb_pid(const struct ft232h_usb *m) { return m->pid; }
int ft232h_usb_notify_fd(const struct ft232h_usb *m) { return m->efd; }

void ft232h_usb_get_stats(struct ft232h_usb *m, struct ft232h_usb_stats *st)
{
	pthread_mutex_lock(&m->lock);
	*st = m->st;
	pthread_mutex_unlock(&m->lock);
}

void ft232h_usb_set_wakeup(struct ft232h_usb *m, void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&m->lock);
	m->wakeup = fn;
	m->wakeup_arg = arg;
	pthread_mutex_unlock(&m->lock);
}

static void wake(struct ft232h_usb *m)
{
	void (*fn)(void *);
	void *arg;

	pthread_mutex_lock(&m->lock);
	fn = m->wakeup;
	arg = m->wakeup_arg;
	pthread_mutex_unlock(&m->lock);
	if (fn)
		fn(arg);
}

/* --- descriptors ------------------------------------------------------------------ */

size_t ft232h_usb_descriptors(const struct ft232h_usb *m, uint8_t *buf, size_t max)
{
	const uint8_t desc[] = {
		/* device: USB 2.0, class per interface, EP0 64, bcdDevice 9.00 (FT232H) */
		18, 1, 0x00, 0x02, 0, 0, 0, 64,
		(uint8_t)m->vid, (uint8_t)(m->vid >> 8), (uint8_t)m->pid, (uint8_t)(m->pid >> 8),
		0x00, 0x09, 1, 2, 3, 1,
		/* configuration: 1 interface, bus powered, 90 mA */
		9, 2, 32, 0, 1, 1, 0, 0x80, 45,
		/* interface 0: vendor specific, 2 endpoints, iInterface = product */
		9, 4, 0, 0, 2, 0xFF, 0xFF, 0xFF, 2,
		/* bulk IN 0x81, 512 */
		7, 5, FT232H_USB_EP_IN, 2, 0x00, 0x02, 0,
		/* bulk OUT 0x02, 512 */
		7, 5, FT232H_USB_EP_OUT, 2, 0x00, 0x02, 0,
	};
	size_t n = sizeof(desc) < max ? sizeof(desc) : max;

	memcpy(buf, desc, n);
	return n;
}

/* String descriptor `idx` (UTF-16LE) into buf; returns its length or 0. */
static size_t string_desc(const struct ft232h_usb *m, unsigned idx, uint8_t *buf, size_t max)
{
	const char *s;
	size_t n, i;

	if (idx == 0) {
		const uint8_t langs[4] = { 4, 3, 0x09, 0x04 };

		n = max < 4 ? max : 4;
		memcpy(buf, langs, n);
		return n;
	}
	s = idx == 1 ? "FTDI" : idx == 2 ? m->product : idx == 3 ? m->serial : NULL;
	if (!s)
		return 0;
	n = 2 + 2 * strlen(s);
	if (n > 254)
		n = 254;
	if (max >= 1)
		buf[0] = (uint8_t)n;
	if (max >= 2)
		buf[1] = 3;
	for (i = 2; i + 1 < n && i + 1 < max; i += 2) {
		buf[i] = (uint8_t)s[(i - 2) / 2];
		buf[i + 1] = 0;
	}
	return n < max ? n : max;
}

/* --- endpoint 0 ------------------------------------------------------------------- */

int ft232h_usb_control(struct ft232h_usb *m, const uint8_t setup[8], uint8_t *data, size_t *len)
{
	uint8_t type = setup[0], req = setup[1];
	uint16_t value = (uint16_t)(setup[2] | setup[3] << 8);
	uint16_t index = (uint16_t)(setup[4] | setup[5] << 8);
	uint16_t wlen = (uint16_t)(setup[6] | setup[7] << 8);
	size_t room = *len < wlen ? *len : wlen;
	int rc = 0;

	pthread_mutex_lock(&m->lock);
	m->st.ctrl_requests++;
	*len = 0;
	if (type == 0x80 && req == 6) {			/* standard GET_DESCRIPTOR */
		uint8_t dt = (uint8_t)(value >> 8);

		if (dt == 3) {
			*len = string_desc(m, value & 0xFF, data, room);
			if (*len == 0)
				rc = -EPIPE;
		} else if (dt == 1 || dt == 2) {
			uint8_t all[64];
			size_t n = ft232h_usb_descriptors(m, all, sizeof(all));

			if (dt == 1) {
				*len = room < 18 ? room : 18;
				memcpy(data, all, *len);
			} else {
				*len = room < n - 18 ? room : n - 18;
				memcpy(data, all + 18, *len);
			}
		} else {
			rc = -EPIPE;
		}
	} else if (type == 0x00 && (req == 9 || req == 1 || req == 3)) {
		/* SET_CONFIGURATION, CLEAR/SET_FEATURE: accept */
	} else if (type == 0x40) {			/* FTDI vendor OUT */
		switch (req) {
		case REQ_RESET:
			if (value == 0) {
				m->st.resets++;
				m->to_card.len = m->to_card.off = 0;
				m->to_host.len = m->to_host.off = 0;
			} else if (value == 1) {
				m->st.purges_rx++;
				m->to_card.len = m->to_card.off = 0;
			} else if (value == 2) {
				m->st.purges_tx++;
				m->to_host.len = m->to_host.off = 0;
			} else {
				rc = -EPIPE;
			}
			break;
		case REQ_SET_LATENCY:
			if (value < 1 || value > 255)
				rc = -EPIPE;
			else
				m->st.latency_ms = (uint8_t)value;
			break;
		case REQ_SET_BITMODE:
			m->st.bitmode = (uint8_t)(value >> 8);
			m->st.bitmask = (uint8_t)value;
			break;
		case REQ_SET_FLOW_CTRL:
			m->st.flow_ctrl = index & 0xFF00;
			break;
		case REQ_SET_MODEM_CTRL:
		case REQ_SET_BAUDRATE:
		case REQ_SET_DATA:
			break;
		default:
			rc = -EPIPE;
		}
	} else if (type == 0xC0) {			/* FTDI vendor IN */
		switch (req) {
		case REQ_GET_MODEM_STATUS:
			if (room >= 1)
				data[0] = STATUS0;
			if (room >= 2)
				data[1] = STATUS1;
			*len = room < 2 ? room : 2;
			break;
		case REQ_GET_LATENCY:
			if (room >= 1)
				data[0] = m->st.latency_ms;
			*len = room < 1 ? room : 1;
			break;
		case REQ_READ_PINS:
			if (room >= 1)
				data[0] = 0;
			*len = room < 1 ? room : 1;
			break;
		default:
			rc = -EPIPE;
		}
	} else {
		rc = -EPIPE;
	}
	if (rc)
		m->st.ctrl_stalls++;
	pthread_mutex_unlock(&m->lock);
	return rc;
}

/* --- bulk ------------------------------------------------------------------------- */

size_t ft232h_usb_bulk_out(struct ft232h_usb *m, const uint8_t *buf, size_t len)
{
	size_t n;
	uint64_t one = 1;

	pthread_mutex_lock(&m->lock);
	n = FT232H_USB_TO_CARD_MAX - m->to_card.len;
	if (n > len)
		n = len;
	if (n && bq_put(&m->to_card, buf, n) < 0)
		n = 0;
	m->st.to_card += n;
	if (n && write(m->efd, &one, sizeof(one)) < 0) {
		/* eventfd counter saturated: it is readable anyway */
	}
	pthread_mutex_unlock(&m->lock);
	return n;
}

size_t ft232h_usb_bulk_in(struct ft232h_usb *m, uint8_t *buf, size_t max, bool force)
{
	size_t out = 0;

	pthread_mutex_lock(&m->lock);
	if (m->to_host.len == 0 && !force) {
		pthread_mutex_unlock(&m->lock);
		return 0;
	}
	while (out + 2 <= max) {
		size_t room = max - out - 2;
		size_t n;

		if (room > FT232H_USB_MPS - 2)
			room = FT232H_USB_MPS - 2;
		buf[out] = STATUS0;
		buf[out + 1] = STATUS1;
		n = bq_take(&m->to_host, buf + out + 2, room);
		out += 2 + n;
		m->st.in_packets++;
		m->st.to_host += n;
		/* a short packet ends the transfer */
		if (n < FT232H_USB_MPS - 2 || m->to_host.len == 0)
			break;
	}
	pthread_mutex_unlock(&m->lock);
	return out;
}

size_t ft232h_usb_in_pending(struct ft232h_usb *m)
{
	size_t n;

	pthread_mutex_lock(&m->lock);
	n = m->to_host.len;
	pthread_mutex_unlock(&m->lock);
	return n;
}

unsigned ft232h_usb_latency_ms(struct ft232h_usb *m)
{
	unsigned v;

	pthread_mutex_lock(&m->lock);
	v = m->st.latency_ms;
	pthread_mutex_unlock(&m->lock);
	return v;
}

void ft232h_usb_reset_buffers(struct ft232h_usb *m)
{
	pthread_mutex_lock(&m->lock);
	m->to_card.len = m->to_card.off = 0;
	m->to_host.len = m->to_host.off = 0;
	m->st.latency_ms = 16;
	m->st.bitmode = 0;
	pthread_mutex_unlock(&m->lock);
}

/* --- FIFO side -------------------------------------------------------------------- */

size_t ft232h_usb_to_card(struct ft232h_usb *m, uint8_t *buf, size_t max)
{
	size_t n;
	uint64_t v;

	pthread_mutex_lock(&m->lock);
	n = bq_take(&m->to_card, buf, max);
	/* re-arm the eventfd only once the queue is empty (under the lock, so a
	 * concurrent bulk_out's signal is never lost) */
	if (m->to_card.len == 0 && read(m->efd, &v, sizeof(v)) < 0) {
		/* EAGAIN: it was not signalled */
	}
	pthread_mutex_unlock(&m->lock);
	if (n)
		wake(m);	/* room for OUT transfers the chip was NAKing */
	return n;
}

size_t ft232h_usb_to_card_pending(struct ft232h_usb *m)
{
	size_t n;

	pthread_mutex_lock(&m->lock);
	n = m->to_card.len;
	pthread_mutex_unlock(&m->lock);
	return n;
}

size_t ft232h_usb_from_card(struct ft232h_usb *m, const uint8_t *buf, size_t len)
{
	size_t n;

	pthread_mutex_lock(&m->lock);
	n = FT232H_USB_TO_HOST_MAX - m->to_host.len;
	if (n > len)
		n = len;
	if (n && bq_put(&m->to_host, buf, n) < 0)
		n = 0;
	pthread_mutex_unlock(&m->lock);
	if (n)
		wake(m);
	return n;
}

size_t ft232h_usb_from_card_room(struct ft232h_usb *m)
{
	size_t n;

	pthread_mutex_lock(&m->lock);
	n = FT232H_USB_TO_HOST_MAX - m->to_host.len;
	pthread_mutex_unlock(&m->lock);
	return n;
}

/* --- bridge to the pin-level FIFO model ---------------------------------------------- */

size_t ft232h_usb_bridge(struct ft232h_usb *m, struct ft232h *f)
{
	uint8_t buf[FT232H_RX_BUF > FT232H_TX_BUF ? FT232H_RX_BUF : FT232H_TX_BUF];
	size_t room, n, moved = 0;

	room = ft232h_to_card_room(f);
	n = ft232h_usb_to_card(m, buf, room < sizeof(buf) ? room : sizeof(buf));
	ft232h_write_to_card(f, buf, n);
	moved += n;
	room = ft232h_usb_from_card_room(m);
	n = ft232h_read_to_host(f, buf, room < sizeof(buf) ? room : sizeof(buf));
	moved += ft232h_usb_from_card(m, buf, n);
	return moved;
}
