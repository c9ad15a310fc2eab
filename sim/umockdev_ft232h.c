/*
 * umockdev_ft232h.c - the FT232H model behind an emulated usbfs node (see
 * umockdev_ft232h.h)
 *
 * Built only with DIALBACK_UMOCKDEV (tests/umockdev/rules.mk): the top Makefile
 * compiles every sim C file into libsim.a without the umockdev/glib flags, so without
 * the macro this file is empty.
 *
 * SPDX-License-Identifier: MIT
 */
#ifdef DIALBACK_UMOCKDEV

#include "umockdev_ft232h.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>		/* before usbdevice_fs.h: _IOR in case labels */
#include <sys/stat.h>
#include <unistd.h>
#include <linux/usbdevice_fs.h>

#define PAGE		4096
#define ESHUTDOWN_	ESHUTDOWN

struct urb {
	UMockdevIoctlData *d;	/* the client's struct usbdevfs_urb */
	UMockdevIoctlData *b;	/* its buffer (NULL when empty) */
	size_t off;		/* OUT: bytes the chip took so far */
};

struct client {
	UMockdevIoctlClient *c;
	GQueue in, out, done;	/* of struct urb */
	bool dead;
};

struct umockdev_ft232h {
	GMutex lock;
	UMockdevTestbed *tb;
	UMockdevIoctlBase *handler;
	struct ft232h_usb *m;
	unsigned bus, addr;
	char devnode[64], syspath[160], nodefile[512];
	bool plugged, attached;
	int  fifo_fd;
	bool fifo_writable;
	GList *clients;
	GMainContext *worker;
	GSource *lat;
	unsigned lat_ms;
	unsigned stall_in, stall_out;	/* injected STALLs still to come */
	bool halted_in, halted_out, runt;
	size_t in_chunk;
	bool manual;		/* IN URBs complete only in umockdev_ft232h_serve_in() */
	bool serve_in;
	struct umockdev_ft232h_stats st;
};

static struct usbdevfs_urb *U(const struct urb *u) { return (struct usbdevfs_urb *)u->d->data; }

static void urb_free(struct urb *u)
{
	if (u->b)
		g_object_unref(u->b);
	g_object_unref(u->d);
	g_free(u);
}

static void urb_done(struct client *cl, struct urb *u, int status, size_t actual)
{
	U(u)->status = status;
	U(u)->actual_length = (int)actual;
	g_queue_push_tail(&cl->done, u);
}

/* --- the FIFO node: full = not writable = libusb sleeps ---------------------------- */

static void fifo_set(struct umockdev_ft232h *g, bool writable)
{
	static const uint8_t page[PAGE];
	uint8_t buf[PAGE];

	if (g->fifo_fd < 0 || writable == g->fifo_writable)
		return;
	if (writable) {
		if (read(g->fifo_fd, buf, sizeof(buf)) < 0) {
			/* empty already: it is writable */
		}
	} else {
		while (write(g->fifo_fd, page, sizeof(page)) == (ssize_t)sizeof(page))
			;
	}
	g->fifo_writable = writable;
}

static void fifo_update(struct umockdev_ft232h *g)
{
	bool any = false;

	for (GList *l = g->clients; l; l = l->next) {
		struct client *cl = l->data;

		if (!cl->dead && !g_queue_is_empty(&cl->done))
			any = true;
	}
	fifo_set(g, any);
}

/* --- serving URBs (lock held) ------------------------------------------------------ */

static gboolean on_latency(gpointer arg);

static void arm_latency(struct umockdev_ft232h *g)
{
	unsigned ms = ft232h_usb_latency_ms(g->m);

	if (g->lat && g->lat_ms == ms)
		return;
	if (g->lat) {
		g_source_destroy(g->lat);
		g_source_unref(g->lat);
	}
	g->lat = g_timeout_source_new(ms);
	g->lat_ms = ms;
	g_source_set_callback(g->lat, on_latency, g, NULL);
	g_source_attach(g->lat, g->worker);
}

static void disarm_latency(struct umockdev_ft232h *g)
{
	if (!g->lat)
		return;
	g_source_destroy(g->lat);
	g_source_unref(g->lat);
	g->lat = NULL;
}

static size_t in_capacity(size_t buflen)
{
	return buflen / FT232H_USB_MPS * (FT232H_USB_MPS - 2) +
	       (buflen % FT232H_USB_MPS > 2 ? buflen % FT232H_USB_MPS - 2 : 0);
}

static void service(struct umockdev_ft232h *g)
{
	bool in_waiting = false;

	for (GList *l = g->clients; l; l = l->next) {
		struct client *cl = l->data;
		struct urb *u;

		if (cl->dead)
			continue;
		while ((u = g_queue_peek_head(&cl->out)) && !g->halted_out) {
			size_t len = (size_t)U(u)->buffer_length;

			if (g->stall_out) {
				g->stall_out--;
				g->halted_out = true;
				g->st.stalls_out++;
				g_queue_pop_head(&cl->out);
				urb_done(cl, u, -EPIPE, u->off);
				break;
			}
			if (u->off < len)
				u->off += ft232h_usb_bulk_out(g->m, u->b->data + u->off, len - u->off);
			if (u->off < len)
				break;		/* NAK: the chip's buffer is full */
			g_queue_pop_head(&cl->out);
			urb_done(cl, u, 0, len);
		}
		while ((u = g_queue_peek_head(&cl->in)) && !g->halted_in) {
			size_t len = (size_t)U(u)->buffer_length, pending, n;

			if (g->stall_in) {
				g->stall_in--;
				g->halted_in = true;
				g->st.stalls_in++;
				g_queue_pop_head(&cl->in);
				urb_done(cl, u, -EPIPE, 0);
				break;
			}
			pending = ft232h_usb_in_pending(g->m);
			if (g->manual) {
				/* the simulator's microframe: all there is, now; never
				 * an empty packet (no latency timer in simulated time) */
				if (!g->serve_in || pending == 0)
					break;
				n = ft232h_usb_bulk_in(g->m, u->b->data, len, false);
				g_queue_pop_head(&cl->in);
				urb_done(cl, u, 0, n);
				continue;
			}
			if (g->runt && pending) {
				g->runt = false;
				g->st.runts++;
				u->b->data[0] = 0x32;
				g_queue_pop_head(&cl->in);
				urb_done(cl, u, 0, 1);
				continue;
			}
			if (g->in_chunk && pending) {
				size_t max = g->in_chunk + 2 < len ? g->in_chunk + 2 : len;

				n = ft232h_usb_bulk_in(g->m, u->b->data, max, false);
			} else if (pending >= in_capacity(len)) {
				n = ft232h_usb_bulk_in(g->m, u->b->data, len, false);
			} else {
				in_waiting = true;	/* the latency timer sends it */
				break;
			}
			g_queue_pop_head(&cl->in);
			urb_done(cl, u, 0, n);
		}
		if (!g_queue_is_empty(&cl->in))
			in_waiting = true;
	}
	if (in_waiting && g->worker && !g->manual)
		arm_latency(g);
	else if (!in_waiting)
		disarm_latency(g);
	fifo_update(g);
}

/* Latency timer: the head IN URB of each client gets what is there (maybe only the
 * status bytes), as the chip sends a short packet when its timer expires. */
static gboolean on_latency(gpointer arg)
{
	struct umockdev_ft232h *g = arg;

	g_mutex_lock(&g->lock);
	for (GList *l = g->clients; l; l = l->next) {
		struct client *cl = l->data;
		struct urb *u = cl->dead || g->halted_in ? NULL : g_queue_peek_head(&cl->in);

		if (!u)
			continue;
		g_queue_pop_head(&cl->in);
		urb_done(cl, u, 0, ft232h_usb_bulk_in(g->m, u->b->data,
						      (size_t)U(u)->buffer_length, true));
	}
	service(g);
	g_mutex_unlock(&g->lock);
	return G_SOURCE_CONTINUE;	/* service() destroys it when nothing waits */
}

static void on_model_wakeup(void *arg)
{
	struct umockdev_ft232h *g = arg;

	g_mutex_lock(&g->lock);
	service(g);
	g_mutex_unlock(&g->lock);
}

/* --- ioctls (worker thread) ---------------------------------------------------------- */

static struct client *find_client(struct umockdev_ft232h *g, UMockdevIoctlClient *c, bool add)
{
	struct client *cl;

	for (GList *l = g->clients; l; l = l->next) {
		cl = l->data;
		if (cl->c == c)
			return cl;
	}
	if (!add)
		return NULL;
	cl = g_new0(struct client, 1);
	cl->c = g_object_ref(c);
	g_queue_init(&cl->in);
	g_queue_init(&cl->out);
	g_queue_init(&cl->done);
	g->clients = g_list_prepend(g->clients, cl);
	return cl;
}

static void client_free(struct client *cl)
{
	struct urb *u;

	while ((u = g_queue_pop_head(&cl->in)))
		urb_free(u);
	while ((u = g_queue_pop_head(&cl->out)))
		urb_free(u);
	while ((u = g_queue_pop_head(&cl->done)))
		urb_free(u);
	g_object_unref(cl->c);
	g_free(cl);
}

static void on_client_vanished(UMockdevIoctlBase *base, UMockdevIoctlClient *c, gpointer arg)
{
	struct umockdev_ft232h *g = arg;
	struct client *cl;

	(void)base;
	g_mutex_lock(&g->lock);
	cl = find_client(g, c, false);
	if (cl) {
		g->clients = g_list_remove(g->clients, cl);
		client_free(cl);
		service(g);
	}
	g_mutex_unlock(&g->lock);
}

static void submit_urb(struct umockdev_ft232h *g, struct client *cl, UMockdevIoctlClient *c,
		       UMockdevIoctlData *arg)
{
	GError *err = NULL;
	struct urb *u = g_new0(struct urb, 1);
	struct usbdevfs_urb *ur;

	u->d = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), &err);
	if (!u->d) {
		g_clear_error(&err);
		g_free(u);
		umockdev_ioctl_client_complete(c, -1, EFAULT);
		return;
	}
	ur = U(u);
	if (ur->buffer_length > 0) {
		u->b = umockdev_ioctl_data_resolve(u->d, offsetof(struct usbdevfs_urb, buffer),
						   (gsize)ur->buffer_length, &err);
		if (!u->b) {
			g_clear_error(&err);
			urb_free(u);
			umockdev_ioctl_client_complete(c, -1, EFAULT);
			return;
		}
	}
	g->st.urbs++;
	/* complete the ioctl at once; the URB waits in our queues.  In manual mode only
	 * after the URB went where it goes (bytes into the chip): the caller's thread
	 * then finds them there as soon as its ioctl() returns */
	if (!g->manual)
		umockdev_ioctl_client_complete(c, 0, 0);
	if (ur->type == USBDEVFS_URB_TYPE_CONTROL) {
		size_t len;
		int rc;

		if (ur->buffer_length < 8) {
			urb_done(cl, u, -EINVAL, 0);
		} else {
			len = (size_t)ur->buffer_length - 8;
			rc = ft232h_usb_control(g->m, u->b->data, u->b->data + 8, &len);
			urb_done(cl, u, rc, rc ? 0 : len);
		}
	} else if (ur->type == USBDEVFS_URB_TYPE_BULK && ur->endpoint == FT232H_USB_EP_OUT) {
		if (!u->b)
			urb_done(cl, u, 0, 0);
		else
			g_queue_push_tail(&cl->out, u);
	} else if (ur->type == USBDEVFS_URB_TYPE_BULK && ur->endpoint == FT232H_USB_EP_IN && u->b) {
		g_queue_push_tail(&cl->in, u);
	} else {
		urb_done(cl, u, -EINVAL, 0);
	}
	service(g);
	if (g->manual)
		umockdev_ioctl_client_complete(c, 0, 0);
}

static void reap_urb(struct umockdev_ft232h *g, struct client *cl, UMockdevIoctlClient *c,
		     UMockdevIoctlData *arg)
{
	GError *err = NULL;
	struct urb *u = g_queue_pop_head(&cl->done);
	UMockdevIoctlData *slot;

	if (!u) {
		if (cl->dead) {
			g->st.enodev++;
			umockdev_ioctl_client_complete(c, -1, ENODEV);
		} else {
			g->st.reap_eagain++;
			umockdev_ioctl_client_complete(c, -1, EAGAIN);
		}
		return;
	}
	slot = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), &err);
	if (!slot) {
		g_clear_error(&err);
		g_queue_push_head(&cl->done, u);
		umockdev_ioctl_client_complete(c, -1, EFAULT);
		return;
	}
	umockdev_ioctl_data_set_ptr(slot, 0, u->d);
	umockdev_ioctl_client_complete(c, 0, 0);	/* writes back the URB and its data */
	g_object_unref(slot);
	urb_free(u);
	fifo_update(g);
}

static void discard_urb(struct umockdev_ft232h *g, struct client *cl, UMockdevIoctlClient *c,
			UMockdevIoctlData *arg)
{
	gulong addr = *(gulong *)arg->data;
	GQueue *qs[2] = { &cl->in, &cl->out };

	for (int q = 0; q < 2; q++) {
		for (GList *l = qs[q]->head; l; l = l->next) {
			struct urb *u = l->data;

			if (u->d->client_addr == addr) {
				g_queue_delete_link(qs[q], l);
				urb_done(cl, u, -ENOENT, u->off);
				g->st.discards++;
				umockdev_ioctl_client_complete(c, 0, 0);
				service(g);
				return;
			}
		}
	}
	umockdev_ioctl_client_complete(c, -1, EINVAL);	/* already completed */
}

static gboolean on_handle_ioctl(UMockdevIoctlBase *base, UMockdevIoctlClient *c, gpointer arg)
{
	struct umockdev_ft232h *g = arg;
	gulong req = umockdev_ioctl_client_get_request(c);
	UMockdevIoctlData *a = umockdev_ioctl_client_get_arg(c);
	GError *err = NULL;
	struct client *cl;

	(void)base;
	g_mutex_lock(&g->lock);
	if (!g->worker)
		g->worker = g_main_context_ref_thread_default();
	g->st.ioctls++;
	cl = find_client(g, c, true);
	if (cl->dead && req != USBDEVFS_REAPURB && req != USBDEVFS_REAPURBNDELAY) {
		g->st.enodev++;
		umockdev_ioctl_client_complete(c, -1, ENODEV);
		g_mutex_unlock(&g->lock);
		return TRUE;
	}
	switch (req) {
	case USBDEVFS_SUBMITURB:
		submit_urb(g, cl, c, a);
		break;
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY:
		reap_urb(g, cl, c, a);
		break;
	case USBDEVFS_DISCARDURB:
		discard_urb(g, cl, c, a);
		break;
	case USBDEVFS_GET_CAPABILITIES: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(a, 0, sizeof(uint32_t), &err);
		uint32_t caps = USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION |
				USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_BULK_SCATTER_GATHER |
				USBDEVFS_CAP_REAP_AFTER_DISCONNECT;

		if (!d) {
			g_clear_error(&err);
			umockdev_ioctl_client_complete(c, -1, EFAULT);
			break;
		}
		memcpy(d->data, &caps, sizeof(caps));
		umockdev_ioctl_client_complete(c, 0, 0);
		g_object_unref(d);
		break;
	}
	case USBDEVFS_CLEAR_HALT: {
		UMockdevIoctlData *d = umockdev_ioctl_data_resolve(a, 0, sizeof(unsigned), &err);
		unsigned ep = 0;

		if (!d) {
			g_clear_error(&err);
			umockdev_ioctl_client_complete(c, -1, EFAULT);
			break;
		}
		memcpy(&ep, d->data, sizeof(ep));
		g_object_unref(d);
		if (ep == FT232H_USB_EP_IN)
			g->halted_in = false;
		else if (ep == FT232H_USB_EP_OUT)
			g->halted_out = false;
		umockdev_ioctl_client_complete(c, 0, 0);
		service(g);
		break;
	}
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_RELEASEINTERFACE:
	case USBDEVFS_DISCONNECT_CLAIM:
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_SETCONFIGURATION:
	case USBDEVFS_RESETEP:
	case USBDEVFS_RESET:
		umockdev_ioctl_client_complete(c, 0, 0);
		break;
	case USBDEVFS_GETDRIVER:
	case USBDEVFS_IOCTL:
		umockdev_ioctl_client_complete(c, -1, ENODATA);
		break;
	default:
		umockdev_ioctl_client_complete(c, -1, ENOTTY);
		break;
	}
	g_mutex_unlock(&g->lock);
	return TRUE;
}

/* --- plug / unplug --------------------------------------------------------------------- */

struct umockdev_ft232h *umockdev_ft232h_new(UMockdevTestbed *tb, struct ft232h_usb *m,
					    unsigned bus, unsigned addr)
{
	struct umockdev_ft232h *g = g_new0(struct umockdev_ft232h, 1);
	char *root = umockdev_testbed_get_root_dir(tb);

	g_mutex_init(&g->lock);
	g->tb = g_object_ref(tb);
	g->m = m;
	g->bus = bus;
	g->addr = addr;
	g->fifo_fd = -1;
	snprintf(g->devnode, sizeof(g->devnode), "/dev/bus/usb/%03u/%03u", bus, addr);
	snprintf(g->syspath, sizeof(g->syspath),
		 "/sys/devices/pci0000:00/0000:00:14.0/usb%u/%u-%u", bus, bus, addr - 1);
	snprintf(g->nodefile, sizeof(g->nodefile), "%s%s", root, g->devnode);
	g_free(root);
	g->handler = umockdev_ioctl_base_new();
	g_signal_connect(g->handler, "handle-ioctl", G_CALLBACK(on_handle_ioctl), g);
	g_signal_connect(g->handler, "client-vanished", G_CALLBACK(on_client_vanished), g);
	ft232h_usb_set_wakeup(m, on_model_wakeup, g);
	return g;
}

int umockdev_ft232h_plug(struct umockdev_ft232h *g)
{
	uint8_t desc[64];
	size_t n = ft232h_usb_descriptors(g->m, desc, sizeof(desc));
	GString *rec = g_string_new(NULL);
	GError *err = NULL;
	uint16_t vid = ft232h_usb_vid(g->m), pid = ft232h_usb_pid(g->m);
	int rc = 0;

	g_mutex_lock(&g->lock);
	if (g->plugged) {
		g_mutex_unlock(&g->lock);
		g_string_free(rec, TRUE);
		return 0;
	}
	g_string_append_printf(rec,
		"P: %s\n"
		"N: bus/usb/%03u/%03u=00\n"
		"E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DEVNAME=%s\n"
		"E: BUSNUM=%03u\nE: DEVNUM=%03u\nE: PRODUCT=%x/%x/900\n"
		"A: busnum=%u\\n\nA: devnum=%u\\n\nA: speed=480\\n\n"
		"A: bConfigurationValue=1\\n\nA: bNumConfigurations=1\\n\n"
		"A: idVendor=%04x\\n\nA: idProduct=%04x\\n\nA: dev=189:%u\\n\n"
		"H: descriptors=",
		g->syspath + strlen("/sys"), g->bus, g->addr, g->devnode, g->bus, g->addr,
		vid, pid, g->bus, g->addr, vid, pid, (g->bus - 1) * 128 + g->addr - 1);
	for (size_t i = 0; i < n; i++)
		g_string_append_printf(rec, "%02X", desc[i]);
	g_string_append(rec, "\n");
	if (!umockdev_testbed_add_from_string(g->tb, rec->str, &err)) {
		fprintf(stderr, "umockdev_ft232h: add device: %s\n", err ? err->message : "?");
		g_clear_error(&err);
		rc = -1;
		goto out;
	}
	/* the node as a FIFO we keep full: see fifo_set() */
	if (unlink(g->nodefile) < 0 || mkfifo(g->nodefile, 0666) < 0) {
		perror("umockdev_ft232h: fifo node");
		rc = -1;
		goto out;
	}
	g->fifo_fd = open(g->nodefile, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (g->fifo_fd < 0) {
		perror("umockdev_ft232h: open fifo node");
		rc = -1;
		goto out;
	}
	g->fifo_writable = true;
	fifo_set(g, false);
	if (!g->attached) {
		if (!umockdev_testbed_attach_ioctl(g->tb, g->devnode, g->handler, &err)) {
			fprintf(stderr, "umockdev_ft232h: attach ioctl: %s\n",
				err ? err->message : "?");
			g_clear_error(&err);
			rc = -1;
			goto out;
		}
		g->attached = true;
	}
	g->halted_in = g->halted_out = false;
	g->plugged = true;
	g->st.plugs++;
out:
	g_mutex_unlock(&g->lock);
	g_string_free(rec, TRUE);
	return rc;
}

void umockdev_ft232h_unplug(struct umockdev_ft232h *g)
{
	g_mutex_lock(&g->lock);
	if (!g->plugged) {
		g_mutex_unlock(&g->lock);
		return;
	}
	for (GList *l = g->clients; l; l = l->next) {
		struct client *cl = l->data;
		struct urb *u;

		cl->dead = true;
		while ((u = g_queue_pop_head(&cl->in)))
			urb_done(cl, u, -ESHUTDOWN_, 0);
		while ((u = g_queue_pop_head(&cl->out)))
			urb_done(cl, u, -ESHUTDOWN_, u->off);
	}
	/* the open fds keep the old pipe: leave it writable for good, so libusb reaps
	 * the ended URBs and then sees ENODEV */
	fifo_set(g, true);
	if (g->fifo_fd >= 0)
		close(g->fifo_fd);
	g->fifo_fd = -1;
	disarm_latency(g);
	g->plugged = false;
	g->st.unplugs++;
	g_mutex_unlock(&g->lock);
	ft232h_usb_reset_buffers(g->m);
	umockdev_testbed_uevent(g->tb, g->syspath, "remove");
	umockdev_testbed_remove_device(g->tb, g->syspath);
}

bool umockdev_ft232h_plugged(struct umockdev_ft232h *g)
{
	bool p;

	g_mutex_lock(&g->lock);
	p = g->plugged;
	g_mutex_unlock(&g->lock);
	return p;
}

void umockdev_ft232h_free(struct umockdev_ft232h *g)
{
	if (!g)
		return;
	ft232h_usb_set_wakeup(g->m, NULL, NULL);
	if (g->attached)
		umockdev_testbed_detach_ioctl(g->tb, g->devnode, NULL);
	g_mutex_lock(&g->lock);
	disarm_latency(g);
	while (g->clients) {
		client_free(g->clients->data);
		g->clients = g_list_delete_link(g->clients, g->clients);
	}
	if (g->fifo_fd >= 0)
		close(g->fifo_fd);
	g_mutex_unlock(&g->lock);
	g_object_unref(g->handler);
	if (g->worker)
		g_main_context_unref(g->worker);
	g_object_unref(g->tb);
	g_mutex_clear(&g->lock);
	g_free(g);
}

void umockdev_ft232h_get_stats(struct umockdev_ft232h *g, struct umockdev_ft232h_stats *st)
{
	g_mutex_lock(&g->lock);
	*st = g->st;
	g_mutex_unlock(&g->lock);
}

#define INJECT(name, stmt)						\
	void umockdev_ft232h_##name(struct umockdev_ft232h *g)		\
	{								\
		g_mutex_lock(&g->lock);					\
		stmt;							\
		service(g);						\
		g_mutex_unlock(&g->lock);				\
	}
INJECT(stall_in, g->stall_in++)
INJECT(stall_out, g->stall_out++)
INJECT(runt_in, g->runt = true)

void umockdev_ft232h_set_manual(struct umockdev_ft232h *g, bool manual)
{
	g_mutex_lock(&g->lock);
	g->manual = manual;
	if (manual)
		disarm_latency(g);
	service(g);
	g_mutex_unlock(&g->lock);
}

void umockdev_ft232h_serve_in(struct umockdev_ft232h *g)
{
	g_mutex_lock(&g->lock);
	g->serve_in = true;
	service(g);
	g->serve_in = false;
	g_mutex_unlock(&g->lock);
}

bool umockdev_ft232h_reapable(struct umockdev_ft232h *g)
{
	bool any = false;

	g_mutex_lock(&g->lock);
	for (GList *l = g->clients; l && !any; l = l->next) {
		struct client *cl = l->data;

		any = !g_queue_is_empty(&cl->done);
	}
	g_mutex_unlock(&g->lock);
	return any;
}

void umockdev_ft232h_set_in_chunk(struct umockdev_ft232h *g, size_t n)
{
	g_mutex_lock(&g->lock);
	g->in_chunk = n;
	service(g);
	g_mutex_unlock(&g->lock);
}

#else
/* Without umockdev this translation unit is intentionally empty of code. */
typedef int umockdev_ft232h_not_built;
#endif /* DIALBACK_UMOCKDEV */
