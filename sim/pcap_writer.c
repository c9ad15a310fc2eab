/*
 * pcap_writer.c - PPP-with-direction pcap files from simulated time (see pcap_writer.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "pcap_writer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "hdlc_async.h"

struct pcap_writer {
	pcap_t *pcap;
	pcap_dumper_t *dump;
	time_t base;
	unsigned long frames, bad;
	/* raw-octet capture: a deframer per direction and the time of its last input */
	struct hdlc_async_decoder dec[2];
	ev_time_t octet_time;
	enum pcap_dir octet_dir;
};

static char last_error[PCAP_ERRBUF_SIZE + 64];

const char *pcap_writer_last_error(void)
{
	return last_error;
}

static void on_frame(void *ctx, enum hdlc_async_event ev, const uint8_t *d, size_t n)
{
	struct pcap_writer *w = ctx;

	if (ev == HDLC_FRAME_OK)
		pcap_writer_frame(w, w->octet_time, w->octet_dir, d, n);
	else if (ev != HDLC_FRAME_RUNT || n > 0)
		w->bad++;
}

struct pcap_writer *pcap_writer_open(const char *path, time_t base)
{
	struct pcap_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->base = base;
	w->pcap = pcap_open_dead_with_tstamp_precision(PCAP_LINKTYPE_PPP_WITH_DIR, 65535,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!w->pcap) {
		snprintf(last_error, sizeof(last_error), "pcap_open_dead failed");
		free(w);
		errno = ENOMEM;
		return NULL;
	}
	w->dump = pcap_dump_open(w->pcap, path);
	if (!w->dump) {
		snprintf(last_error, sizeof(last_error), "%s: %s", path, pcap_geterr(w->pcap));
		pcap_close(w->pcap);
		free(w);
		errno = EIO;
		return NULL;
	}
	for (int d = 0; d < 2; d++)
		hdlc_async_decoder_init(&w->dec[d], 0, false, on_frame, w);
	return w;
}

int pcap_writer_frame(struct pcap_writer *w, ev_time_t t, enum pcap_dir dir,
		      const uint8_t *frame, size_t len)
{
	uint8_t rec[1 + 2 + HDLC_ASYNC_MAX_FRAME + 4];
	struct pcap_pkthdr h;
	size_t k = 0;

	if (!w || !w->dump)
		return -EBADF;
	if (len == 0 || len > HDLC_ASYNC_MAX_FRAME + 4)
		return -EMSGSIZE;
	rec[k++] = dir == PCAP_DIR_FROM_NAS ? 1 : 0;
	if (len < 2 || frame[0] != 0xFF || frame[1] != 0x03) {
		rec[k++] = 0xFF;
		rec[k++] = 0x03;
	}
	memcpy(rec + k, frame, len);
	k += len;
	memset(&h, 0, sizeof(h));
	/* nanosecond file: tv_usec carries nanoseconds (libpcap's convention) */
	h.ts.tv_sec = w->base + (time_t)(t / EV_SEC);
	h.ts.tv_usec = (suseconds_t)(t % EV_SEC);
	h.caplen = (bpf_u_int32)k;
	h.len = (bpf_u_int32)k;
	pcap_dump((u_char *)w->dump, &h, rec);
	w->frames++;
	return 0;
}

void pcap_writer_octets(struct pcap_writer *w, ev_time_t t, enum pcap_dir dir,
			const uint8_t *octets, size_t len)
{
	if (!w)
		return;
	w->octet_time = t;
	w->octet_dir = dir;
	hdlc_async_decode(&w->dec[dir == PCAP_DIR_FROM_NAS ? 1 : 0], octets, len);
}

void pcap_writer_flush(struct pcap_writer *w)
{
	if (w && w->dump)
		pcap_dump_flush(w->dump);
}

void pcap_writer_close(struct pcap_writer *w)
{
	if (!w)
		return;
	if (w->dump)
		pcap_dump_close(w->dump);
	if (w->pcap)
		pcap_close(w->pcap);
	free(w);
}

unsigned long pcap_writer_frames(const struct pcap_writer *w)
{
	return w ? w->frames : 0;
}

unsigned long pcap_writer_bad_frames(const struct pcap_writer *w)
{
	return w ? w->bad : 0;
}
