/*
 * q931.c - Q.931 message and IE coding, and the `debug isdn q931` printer (see q931.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "q931.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

/* ---- parsing ------------------------------------------------------------------ */

int q931_parse(const uint8_t *buf, size_t len, struct q931_msg *m)
{
	size_t pos;
	uint8_t locked = 0, last_id0 = 0;
	int once = -1;

	memset(m, 0, sizeof(*m));
	m->raw = buf;
	m->raw_len = len;
	if (!buf || len < 3)
		return -Q931_ERR_SHORT;
	m->pd = buf[0];
	if (m->pd != Q931_PD)
		return -Q931_ERR_PD;
	if (buf[1] & 0xF0)
		return -Q931_ERR_CALLREF;
	m->cr_len = buf[1] & 0x0F;
	if (m->cr_len > 2)
		return -Q931_ERR_CALLREF;
	if (len < 3 + (size_t)m->cr_len)
		return -Q931_ERR_SHORT;
	if (m->cr_len == 1) {
		m->cr_flag = buf[2] & 0x80;
		m->cr = buf[2] & 0x7F;
	} else if (m->cr_len == 2) {
		m->cr_flag = buf[2] & 0x80;
		m->cr = (uint16_t)(((buf[2] & 0x7F) << 8) | buf[3]);
	}
	pos = 2 + m->cr_len;
	m->type = buf[pos++];

	while (pos < len) {
		uint8_t o = buf[pos];
		struct q931_ie_ref ref;

		ref.codeset = once >= 0 ? (uint8_t)once : locked;
		once = -1;
		ref.id = o;
		if (o & 0x80) {
			/* single-octet IE */
			ref.len = 0;
			ref.off = (uint16_t)pos;
			pos++;
			if ((o & 0xF0) == Q931_IE_SHIFT) {
				if (o & 0x08)
					once = o & 7;	/* non-locking: the next IE only */
				else
					locked = o & 7;
			}
		} else {
			if (pos + 2 > len || pos + 2 + (size_t)buf[pos + 1] > len) {
				m->truncated = true;
				break;
			}
			ref.len = buf[pos + 1];
			ref.off = (uint16_t)(pos + 2);
			pos += 2 + (size_t)ref.len;
			if (ref.codeset == 0) {
				if (o < last_id0)
					m->bad_order = true;
				last_id0 = o;
			}
		}
		if (m->n_ie < Q931_MAX_IES)
			m->ie[m->n_ie++] = ref;
		else
			m->n_dropped++;
	}
	return 0;
}

const uint8_t *q931_find_ie(const struct q931_msg *m, uint8_t id, uint8_t *len)
{
	for (unsigned i = 0; i < m->n_ie; i++) {
		if (m->ie[i].codeset == 0 && m->ie[i].id == id) {
			if (len)
				*len = m->ie[i].len;
			return m->raw + m->ie[i].off;
		}
	}
	return NULL;
}

bool q931_is_global_cr(const struct q931_msg *m)
{
	return m->cr == 0;
}

/* ---- IE contents -------------------------------------------------------------- */

int q931_get_bearer(const uint8_t *d, uint8_t len, struct q931_bearer *b)
{
	size_t pos = 0;

	memset(b, 0, sizeof(*b));
	if (len < 2 || !(d[0] & 0x80))
		return -1;
	b->coding = (d[0] >> 5) & 3;
	b->itc = d[0] & 0x1F;
	pos = 1;
	b->mode_rate = d[pos] & 0x7F;
	/* octets 4a/4b follow while the extension bit is clear */
	while (pos < len && !(d[pos] & 0x80))
		pos++;
	if (pos >= len)
		return -1;
	pos++;
	if (pos < len && ((d[pos] >> 5) & 3) == 1)
		b->l1 = d[pos] & 0x1F;
	return 0;
}

int q931_get_chanid(const uint8_t *d, uint8_t len, struct q931_chanid *c)
{
	size_t pos = 1;

	memset(c, 0, sizeof(*c));
	if (len < 1 || !(d[0] & 0x80))
		return -1;
	c->int_id_present = d[0] & 0x40;
	c->pri = d[0] & 0x20;
	c->exclusive = d[0] & 0x08;
	c->dchan = d[0] & 0x04;
	c->sel = d[0] & 0x03;
	if (c->int_id_present) {
		while (pos < len && !(d[pos] & 0x80))
			pos++;
		if (pos >= len)
			return -1;
		c->int_id = d[pos] & 0x7F;
		pos++;
	}
	if (!c->pri) {
		c->bchan = (c->sel == 1 || c->sel == 2) ? c->sel : 0;
		return 0;
	}
	if (c->sel != 1)
		return 0;	/* none or any channel: no octets 3.2/3.3 */
	if (pos >= len || !(d[pos] & 0x80))
		return -1;
	if (d[pos] & 0x10)
		return -1;	/* slot map: not supported */
	if ((d[pos] & 0x0F) != 3)
		return -1;	/* not B-channel units */
	pos++;
	if (pos >= len)
		return -1;
	c->bchan = d[pos] & 0x7F;
	if (c->bchan == 0)
		return -1;
	return 0;
}

static bool ia5_digit(uint8_t ch)
{
	return (ch >= '0' && ch <= '9') || ch == '*' || ch == '#';
}

int q931_get_number(const uint8_t *d, uint8_t len, struct q931_number *n)
{
	size_t pos = 1, nd = 0;

	memset(n, 0, sizeof(*n));
	if (len < 1)
		return -1;
	n->type_plan = d[0] & 0x7F;
	if (!(d[0] & 0x80)) {
		if (len < 2 || !(d[1] & 0x80))
			return -1;
		n->has_pres = true;
		n->pres_screen = d[1] & 0x7F;
		pos = 2;
	}
	for (; pos < len; pos++) {
		if (!ia5_digit(d[pos]) || nd >= Q931_MAX_DIGITS)
			return -1;
		n->digits[nd++] = (char)d[pos];
	}
	n->digits[nd] = '\0';
	return 0;
}

int q931_get_cause(const uint8_t *d, uint8_t len, struct q931_cause_ie *c)
{
	size_t pos = 1;

	memset(c, 0, sizeof(*c));
	if (len < 2)
		return -1;
	c->location = d[0] & 0x0F;
	if (!(d[0] & 0x80)) {
		pos = 2;	/* octet 3a: recommendation */
		if (len < 3)
			return -1;
	}
	if (!(d[pos] & 0x80))
		return -1;
	c->value = d[pos] & 0x7F;
	return 0;
}

int q931_get_progress(const uint8_t *d, uint8_t len, uint8_t *location, uint8_t *descr)
{
	if (len < 2 || !(d[0] & 0x80) || !(d[1] & 0x80))
		return -1;
	*location = d[0] & 0x0F;
	*descr = d[1] & 0x7F;
	return 0;
}

int q931_get_call_state(const uint8_t *d, uint8_t len, uint8_t *state)
{
	if (len < 1)
		return -1;
	*state = d[0] & 0x3F;
	return 0;
}

int q931_get_restart_ind(const uint8_t *d, uint8_t len, uint8_t *klass)
{
	if (len < 1 || !(d[0] & 0x80))
		return -1;
	*klass = d[0] & 0x07;
	if (*klass != 0 && *klass != 6 && *klass != 7)
		return -1;
	return 0;
}

/* ---- encoding ----------------------------------------------------------------- */

static void put(struct q931_enc *e, const uint8_t *d, size_t n)
{
	if (e->overflow || e->len + n > sizeof(e->buf)) {
		e->overflow = true;
		return;
	}
	memcpy(e->buf + e->len, d, n);
	e->len += n;
}

void q931_enc_begin(struct q931_enc *e, uint8_t cr_len, uint16_t cr, bool flag, uint8_t type)
{
	uint8_t h[5];
	size_t n = 0;

	e->len = 0;
	e->overflow = false;
	h[n++] = Q931_PD;
	if (cr_len > 2)
		cr_len = 2;
	h[n++] = cr_len;
	if (cr_len == 2) {
		h[n++] = (uint8_t)(((cr >> 8) & 0x7F) | (flag ? 0x80 : 0));
		h[n++] = (uint8_t)(cr & 0xFF);
	} else if (cr_len == 1) {
		h[n++] = (uint8_t)((cr & 0x7F) | (flag ? 0x80 : 0));
	}
	h[n++] = type;
	put(e, h, n);
}

void q931_enc_ie(struct q931_enc *e, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t h[2] = { id, (uint8_t)len };

	if (id & 0x80) {
		put(e, &id, 1);
		return;
	}
	if (len > 255) {
		e->overflow = true;
		return;
	}
	put(e, h, 2);
	put(e, data, len);
}

void q931_enc_bearer(struct q931_enc *e, uint8_t itc)
{
	uint8_t d[3] = { (uint8_t)(0x80 | (itc & 0x1F)), 0x90, 0xA2 };

	/* speech and 3.1 kHz audio carry layer 1 mu-law (G.711); digital none */
	q931_enc_ie(e, Q931_IE_BEARER, d,
		    (itc == Q931_ITC_SPEECH || itc == Q931_ITC_AUDIO_3K1) ? 3 : 2);
}

void q931_enc_chanid_if(struct q931_enc *e, bool exclusive, int int_id, uint8_t bchan)
{
	uint8_t d[4];
	size_t n = 0;

	d[n++] = (uint8_t)(0x80 | (int_id >= 0 ? 0x40 : 0) | 0x20 | (exclusive ? 0x08 : 0) | 0x01);
	if (int_id >= 0)
		d[n++] = (uint8_t)(0x80 | (int_id & 0x7F));	/* interface identifier */
	d[n++] = 0x83;			/* CCITT, channel number, B-channel units */
	d[n++] = (uint8_t)(0x80 | (bchan & 0x7F));
	q931_enc_ie(e, Q931_IE_CHANNEL_ID, d, n);
}

void q931_enc_chanid(struct q931_enc *e, bool exclusive, bool with_ifid, uint8_t bchan)
{
	q931_enc_chanid_if(e, exclusive, with_ifid ? 0 : -1, bchan);
}

void q931_enc_number(struct q931_enc *e, uint8_t id, uint8_t type_plan, const char *digits)
{
	uint8_t d[1 + Q931_MAX_DIGITS];
	size_t n = strnlen(digits, Q931_MAX_DIGITS);

	d[0] = (uint8_t)(0x80 | (type_plan & 0x7F));
	memcpy(d + 1, digits, n);
	q931_enc_ie(e, id, d, n + 1);
}

void q931_enc_cause(struct q931_enc *e, uint8_t location, uint8_t value, const uint8_t *diag,
		    size_t diag_len)
{
	uint8_t d[2 + 16];

	if (diag_len > 16)
		diag_len = 16;
	d[0] = (uint8_t)(0x80 | (location & 0x0F));
	d[1] = (uint8_t)(0x80 | (value & 0x7F));
	if (diag_len)
		memcpy(d + 2, diag, diag_len);
	q931_enc_ie(e, Q931_IE_CAUSE, d, 2 + diag_len);
}

void q931_enc_progress(struct q931_enc *e, uint8_t location, uint8_t descr)
{
	uint8_t d[2] = { (uint8_t)(0x80 | (location & 0x0F)), (uint8_t)(0x80 | (descr & 0x7F)) };

	q931_enc_ie(e, Q931_IE_PROGRESS, d, 2);
}

void q931_enc_call_state(struct q931_enc *e, uint8_t state)
{
	uint8_t d = state & 0x3F;

	q931_enc_ie(e, Q931_IE_CALL_STATE, &d, 1);
}

void q931_enc_restart_ind(struct q931_enc *e, uint8_t klass)
{
	uint8_t d = (uint8_t)(0x80 | (klass & 7));

	q931_enc_ie(e, Q931_IE_RESTART_IND, &d, 1);
}

/* ---- names -------------------------------------------------------------------- */

const char *q931_msg_name(uint8_t type)
{
	switch (type) {
	case Q931_ALERTING:		return "ALERTING";
	case Q931_CALL_PROCEEDING:	return "CALL_PROC";
	case Q931_PROGRESS:		return "PROGRESS";
	case Q931_SETUP:		return "SETUP";
	case Q931_CONNECT:		return "CONNECT";
	case Q931_SETUP_ACK:		return "SETUP_ACK";
	case Q931_CONNECT_ACK:		return "CONNECT_ACK";
	case Q931_DISCONNECT:		return "DISCONNECT";
	case Q931_RESTART:		return "RESTART";
	case Q931_RELEASE:		return "RELEASE";
	case Q931_RESTART_ACK:		return "RESTART_ACK";
	case Q931_RELEASE_COMPLETE:	return "RELEASE_COMP";
	case Q931_FACILITY:		return "FACILITY";
	case Q931_NOTIFY:		return "NOTIFY";
	case Q931_STATUS_ENQUIRY:	return "STATUS_ENQ";
	case Q931_INFORMATION:		return "INFORMATION";
	case Q931_STATUS:		return "STATUS";
	}
	return NULL;
}

const char *q931_cause_text(uint8_t v)
{
	switch (v) {
	case 1:   return "Unallocated/unassigned number";
	case 2:   return "No route to specified transit network";
	case 3:   return "No route to destination";
	case 6:   return "Channel unacceptable";
	case 7:   return "Call awarded and being delivered in an established channel";
	case 16:  return "Normal call clearing";
	case 17:  return "User busy";
	case 18:  return "No user responding";
	case 19:  return "No answer from user (user alerted)";
	case 21:  return "Call rejected";
	case 22:  return "Number changed";
	case 26:  return "Non-selected user clearing";
	case 27:  return "Destination out of order";
	case 28:  return "Invalid number format (incomplete number)";
	case 29:  return "Facility rejected";
	case 30:  return "Response to STATUS ENQUIRY";
	case 31:  return "Normal, unspecified";
	case 34:  return "No circuit/channel available";
	case 38:  return "Network out of order";
	case 41:  return "Temporary failure";
	case 42:  return "Switching equipment congestion";
	case 43:  return "Access information discarded";
	case 44:  return "Requested circuit/channel not available";
	case 47:  return "Resources unavailable, unspecified";
	case 49:  return "Quality of service unavailable";
	case 50:  return "Requested facility not subscribed";
	case 57:  return "Bearer capability not authorized";
	case 58:  return "Bearer capability not presently available";
	case 63:  return "Service or option not available, unspecified";
	case 65:  return "Bearer capability not implemented";
	case 66:  return "Channel type not implemented";
	case 69:  return "Requested facility not implemented";
	case 79:  return "Service or option not implemented, unspecified";
	case 81:  return "Invalid call reference value";
	case 82:  return "Identified channel does not exist";
	case 88:  return "Incompatible destination";
	case 95:  return "Invalid message, unspecified";
	case 96:  return "Mandatory information element is missing";
	case 97:  return "Message type non-existent or not implemented";
	case 98:  return "Message not compatible with call state or not implemented";
	case 99:  return "Information element non-existent or not implemented";
	case 100: return "Invalid information element contents";
	case 101: return "Message not compatible with call state";
	case 102: return "Recovery on timer expiry";
	case 111: return "Protocol error, unspecified";
	case 127: return "Interworking, unspecified";
	}
	return "Unknown cause";
}

const char *q931_progress_text(uint8_t d)
{
	switch (d) {
	case 1: return "Call not end-to-end ISDN, may have in-band info";
	case 2: return "Destination address is non-ISDN";
	case 3: return "Origination address is non-ISDN";
	case 4: return "Call has returned to the ISDN";
	case 8: return "In-band info or appropriate now available";
	}
	return "Unknown progress description";
}

static const char *ie_name(uint8_t id)
{
	switch (id) {
	case Q931_IE_BEARER:		return "Bearer Capability";
	case Q931_IE_CAUSE:		return "Cause";
	case Q931_IE_CALL_STATE:	return "Call State";
	case Q931_IE_CHANNEL_ID:	return "Channel ID";
	case Q931_IE_FACILITY:		return "Facility";
	case Q931_IE_PROGRESS:		return "Progress Ind";
	case Q931_IE_NOTIFY:		return "Notification Ind";
	case Q931_IE_DISPLAY:		return "Display";
	case Q931_IE_CALLING:		return "Calling Party Number";
	case Q931_IE_CALLING_SUB:	return "Calling Party SubAddr";
	case Q931_IE_CALLED:		return "Called Party Number";
	case Q931_IE_CALLED_SUB:	return "Called Party SubAddr";
	case Q931_IE_REDIRECTING:	return "Redirecting Number";
	case Q931_IE_RESTART_IND:	return "Restart Indicator";
	case Q931_IE_LLC:		return "Low Layer Compat";
	case Q931_IE_HLC:		return "High Layer Compat";
	}
	return NULL;
}

/* ---- the debug printer -------------------------------------------------------- */

static void hex(char *out, size_t size, const uint8_t *d, size_t n)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && o + 3 <= size; i++)
		o += (size_t)snprintf(out + o, size - o, "%02X", d[i]);
}

static void trace_ie(const struct q931_msg *m, const struct q931_ie_ref *ie)
{
	const uint8_t *d = m->raw + ie->off;
	const char *name = ie->codeset == 0 ? ie_name(ie->id) : NULL;
	char h[2 * 255 + 1];

	if (ie->id & 0x80) {
		if (ie->id == Q931_IE_SENDING_COMPLETE && ie->codeset == 0)
			dbg(DBG_ISDN_Q931, "Sending Complete");
		else if ((ie->id & 0xF0) == Q931_IE_SHIFT)
			dbg(DBG_ISDN_Q931, "Shift i = 0x%02X", ie->id);
		else
			dbg(DBG_ISDN_Q931, "Codeset %u IE 0x%02X", ie->codeset, ie->id);
		return;
	}
	if (!name) {
		hex(h, sizeof(h), d, ie->len);
		dbg(DBG_ISDN_Q931, "Codeset %u IE 0x%02X  i = 0x%s", ie->codeset, ie->id, h);
		return;
	}
	if (ie->id == Q931_IE_CALLED || ie->id == Q931_IE_CALLING ||
	    ie->id == Q931_IE_REDIRECTING) {
		/* octet 3 (and 3a) in hex, then the digits as text */
		size_t head = 1, i;
		char digits[256];

		if (ie->len >= 2 && !(d[0] & 0x80))
			head = 2;
		if (ie->len < head) {
			dbg(DBG_ISDN_Q931, "%s i = 0x", name);
			return;
		}
		hex(h, sizeof(h), d, head);
		for (i = head; i < ie->len; i++)
			digits[i - head] = (d[i] >= 0x20 && d[i] < 0x7F) ? (char)d[i] : '?';
		digits[i - head] = '\0';
		dbg(DBG_ISDN_Q931, "%s i = 0x%s, '%s'", name, h, digits);
		return;
	}
	hex(h, sizeof(h), d, ie->len);
	if (ie->id == Q931_IE_CAUSE) {
		struct q931_cause_ie c;

		if (q931_get_cause(d, ie->len, &c) == 0) {
			dbg(DBG_ISDN_Q931, "%s i = 0x%s - %s", name, h, q931_cause_text(c.value));
			return;
		}
	} else if (ie->id == Q931_IE_PROGRESS) {
		uint8_t loc, descr;

		if (q931_get_progress(d, ie->len, &loc, &descr) == 0) {
			dbg(DBG_ISDN_Q931, "%s i = 0x%s - %s", name, h, q931_progress_text(descr));
			return;
		}
	}
	dbg(DBG_ISDN_Q931, "%s i = 0x%s", name, h);
}

void q931_trace(const char *dname, bool tx, const uint8_t *buf, size_t len)
{
	struct q931_msg m;
	const char *name;
	char unk[24];
	unsigned crv;
	int rc;

	if (!dbg_enabled(DBG_ISDN_Q931))
		return;
	rc = q931_parse(buf, len, &m);
	if (rc < 0) {
		char h[2 * 32 + 1];

		hex(h, sizeof(h), buf, len < 32 ? len : 32);
		dbg(DBG_ISDN_Q931, "ISDN %s: %s bad message (%s), %zu octets: 0x%s", dname,
		    tx ? "TX ->" : "RX <-", rc == -Q931_ERR_PD ? "protocol discriminator" :
		    rc == -Q931_ERR_CALLREF ? "call reference" : "too short", len, h);
		return;
	}
	name = q931_msg_name(m.type);
	if (!name) {
		snprintf(unk, sizeof(unk), "UNKNOWN_MSG(0x%02X)", m.type);
		name = unk;
	}
	crv = m.cr | (m.cr_flag ? (m.cr_len == 1 ? 0x80u : 0x8000u) : 0);
	/* the seed prints what we send with four digits, what we receive as is */
	if (tx)
		dbg(DBG_ISDN_Q931, "ISDN %s: TX -> %s pd = %u callref = 0x%04X", dname, name,
		    m.pd, crv);
	else
		dbg(DBG_ISDN_Q931, "ISDN %s: RX <- %s pd = %u callref = 0x%X", dname, name,
		    m.pd, crv);
	for (unsigned i = 0; i < m.n_ie; i++)
		trace_ie(&m, &m.ie[i]);
	if (m.truncated)
		dbg(DBG_ISDN_Q931, "ISDN %s: truncated information element ignored", dname);
}
