/*
 * pcap_writer.h - one pcap file per line: PPP frames with their direction
 * (LINKTYPE_PPP_WITH_DIR = 204) and simulated-time stamps, through libpcap
 *
 * Record layout (tcpdump.org link-layer types): one direction octet, 0x00 = the
 * frame was received by the capturing host, 0x01 = sent by it; then the PPP frame
 * as in LINKTYPE_PPP (address/control when present, protocol, information; no flags,
 * no escapes, no FCS).  The capturing host is the NAS: frames from the subscriber
 * are PCAP_DIR_TO_NAS (0), the NAS's own PCAP_DIR_FROM_NAS (1).
 *
 * Timestamps: nanosecond precision, base + simulated time (ev_time_t).
 * Frames can be given deframed (pcap_writer_frame) or as raw async-HDLC octet
 * streams per direction (pcap_writer_octets: an RFC 1662 decoder per direction
 * deframes them; bad-FCS frames are counted, not written).
 *
 * SPDX-License-Identifier: MIT
 */
#ifndef DIALBACK_SIM_PCAP_WRITER_H
#define DIALBACK_SIM_PCAP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "evloop.h"

#define PCAP_LINKTYPE_PPP_WITH_DIR	204

enum pcap_dir {
	PCAP_DIR_TO_NAS = 0,		/*!< received by the NAS (sent by the subscriber) */
	PCAP_DIR_FROM_NAS = 1,		/*!< sent by the NAS */
};

struct pcap_writer;

/* Create (truncate) path.  base: Unix time of simulated time 0.  NULL on error
 * (errno set, or EIO with libpcap's message in pcap_writer_last_error()). */
struct pcap_writer *pcap_writer_open(const char *path, time_t base);
/* One PPP frame; the address/control field FF 03 is put in front when the frame
 * lacks it (ACFC), so that readers always see the RFC 1662 header.  0 or -errno. */
int pcap_writer_frame(struct pcap_writer *w, ev_time_t t, enum pcap_dir dir,
		      const uint8_t *frame, size_t len);
/* Async-HDLC octets as they went over the line in one direction. */
void pcap_writer_octets(struct pcap_writer *w, ev_time_t t, enum pcap_dir dir,
			const uint8_t *octets, size_t len);
/* Flush to disk (also done on close). */
void pcap_writer_flush(struct pcap_writer *w);
void pcap_writer_close(struct pcap_writer *w);

unsigned long pcap_writer_frames(const struct pcap_writer *w);
unsigned long pcap_writer_bad_frames(const struct pcap_writer *w);
const char *pcap_writer_last_error(void);

#endif /* DIALBACK_SIM_PCAP_WRITER_H */
