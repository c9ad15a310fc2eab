/*
 * telco_q931.c - Q.931 coding for the simulated network side (see telco_q931.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "telco_q931.h"

#include <string.h>

static void take_digits(char *dst, const uint8_t *src, size_t n)
{
	size_t k = n > 32 ? 32 : n;

	memcpy(dst, src, k);
	dst[k] = 0;
}

static void ie(struct tq_msg *m, uint8_t id, const uint8_t *v, size_t n)
{
	size_t i;

	switch (id) {
	case 0x04:
		m->bearer_present = true;
		m->bearer_len = (uint8_t)(n > sizeof(m->bearer) ? sizeof(m->bearer) : n);
		memcpy(m->bearer, v, m->bearer_len);
		break;
	case 0x08:
		if (n < 2) {
			m->malformed = true;
			break;
		}
		m->cause_present = true;
		m->cause_loc = v[0] & 0x0F;
		m->cause = v[(v[0] & 0x80) ? 1 : (n > 2 ? 2 : 1)] & 0x7F;
		break;
	case 0x14:
		if (n >= 1) {
			m->state_present = true;
			m->state = v[0] & 0x3F;
		}
		break;
	case 0x18:
		m->chan_present = true;
		m->chan = -1;
		if (n < 1) {
			m->chan_bad = true;
			break;
		}
		m->chan_exclusive = (v[0] >> 3) & 1;
		m->chan_ifid = (v[0] >> 6) & 1;
		if (m->chan_ifid && n >= 2)
			m->chan_int_id = v[1] & 0x7F;
		i = m->chan_ifid ? 2 : 1;
		if ((v[0] & 3) == 1 && n >= i + 2 && (v[i] & 0x7F) == 0x03)
			m->chan = v[i + 1] & 0x7F;
		else if ((v[0] & 3) != 3)
			m->chan_bad = true;
		break;
	case 0x1E:
		if (n >= 2) {
			m->progress_present = true;
			m->progress_loc = v[0] & 0x0F;
			m->progress = v[1] & 0x7F;
		}
		break;
	case 0x6C:
		if (n >= 1) {
			size_t skip = (v[0] & 0x80) ? 1 : 2;

			m->calling_present = true;
			m->calling_tp = v[0];
			if (n >= skip)
				take_digits(m->calling, v + skip, n - skip);
		}
		break;
	case 0x70:
		if (n >= 1) {
			m->called_present = true;
			m->called_tp = v[0];
			take_digits(m->called, v + 1, n - 1);
		}
		break;
	case 0x79:
		if (n >= 1) {
			m->restart_present = true;
			m->restart_class = v[0] & 7;
		}
		break;
	default:
		break;
	}
}

int tq_decode(const uint8_t *p, size_t n, struct tq_msg *m)
{
	size_t at = 5;

	memset(m, 0, sizeof(*m));
	m->chan = -1;
	if (n < 5 || p[0] != 0x08 || p[1] != 0x02)
		return -1;
	m->flag = p[2] >> 7;
	m->cr = (uint16_t)((p[2] & 0x7F) << 8 | p[3]);
	m->type = p[4];
	while (at < n) {
		uint8_t id = p[at];

		if (id & 0x80) {	/* one-octet IE: shift, sending complete... */
			at++;
			continue;
		}
		if (at + 1 >= n || at + 2 + p[at + 1] > n) {
			m->malformed = true;
			break;
		}
		ie(m, id, p + at + 2, p[at + 1]);
		at += 2u + p[at + 1];
	}
	return 0;
}

struct out {
	uint8_t *b;
	size_t cap, len;
	bool full;
};

static void w(struct out *o, const uint8_t *v, size_t n)
{
	if (o->len + n > o->cap) {
		o->full = true;
		return;
	}
	memcpy(o->b + o->len, v, n);
	o->len += n;
}

static void wie(struct out *o, uint8_t id, const uint8_t *v, size_t n)
{
	uint8_t h[2] = { id, (uint8_t)n };

	w(o, h, 2);
	w(o, v, n);
}

size_t tq_encode(const struct tq_msg *m, uint8_t *buf, size_t cap)
{
	struct out o = { buf, cap, 0, false };
	uint8_t h[5] = { 0x08, 0x02, (uint8_t)((m->cr >> 8 & 0x7F) | (m->flag ? 0x80 : 0)),
			 (uint8_t)m->cr, m->type };
	uint8_t v[40];
	size_t k;

	w(&o, h, 5);
	/* IEs in ascending identifier order (Q.931 4.5.1) */
	if (m->bearer_present)
		wie(&o, 0x04, m->bearer, m->bearer_len);
	if (m->cause_present) {
		v[0] = (uint8_t)(0x80 | m->cause_loc);
		v[1] = (uint8_t)(0x80 | m->cause);
		wie(&o, 0x08, v, 2);
	}
	if (m->state_present) {
		v[0] = m->state & 0x3F;
		wie(&o, 0x14, v, 1);
	}
	if (m->chan_present) {
		k = 0;
		v[k++] = (uint8_t)(0xA1 | (m->chan_exclusive ? 0x08 : 0) | (m->chan_ifid ? 0x40 : 0));
		if (m->chan_ifid)
			v[k++] = (uint8_t)(0x80 | (m->chan_int_id & 0x7F));
		v[k++] = 0x83;
		v[k++] = (uint8_t)(0x80 | (m->chan & 0x7F));
		wie(&o, 0x18, v, k);
	}
	if (m->progress_present) {
		v[0] = (uint8_t)(0x80 | m->progress_loc);
		v[1] = (uint8_t)(0x80 | m->progress);
		wie(&o, 0x1E, v, 2);
	}
	if (m->calling_present) {
		k = strlen(m->calling);
		v[0] = m->calling_tp;
		memcpy(v + 1, m->calling, k);
		wie(&o, 0x6C, v, k + 1);
	}
	if (m->called_present) {
		k = strlen(m->called);
		v[0] = m->called_tp;
		memcpy(v + 1, m->called, k);
		wie(&o, 0x70, v, k + 1);
	}
	if (m->restart_present) {
		v[0] = (uint8_t)(0x80 | m->restart_class);
		wie(&o, 0x79, v, 1);
	}
	return o.full ? 0 : o.len;
}

const char *tq_name(uint8_t t)
{
	switch (t) {
	case TQ_ALERTING:	return "ALERTING";
	case TQ_CALL_PROC:	return "CALL_PROC";
	case TQ_PROGRESS:	return "PROGRESS";
	case TQ_SETUP:		return "SETUP";
	case TQ_CONNECT:	return "CONNECT";
	case TQ_CONNECT_ACK:	return "CONNECT_ACK";
	case TQ_DISCONNECT:	return "DISCONNECT";
	case TQ_RESTART:	return "RESTART";
	case TQ_RELEASE:	return "RELEASE";
	case TQ_RESTART_ACK:	return "RESTART_ACK";
	case TQ_REL_COMP:	return "RELEASE_COMP";
	case TQ_STATUS_ENQ:	return "STATUS_ENQ";
	case TQ_STATUS:		return "STATUS";
	}
	return "?";
}
