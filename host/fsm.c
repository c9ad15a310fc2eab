/*
 * fsm.c - the RFC 1661 option-negotiation automaton (see fsm.h)
 *
 * The transitions follow the state table of RFC 1661 section 4.1 event by event;
 * each event handler names the RFC event it implements.  Packets are printed in
 * IOS's form ("As4 LCP: O CONFREQ [Closed] id 3 len 25") with the state before the
 * transition, as IOS does.
 *
 * SPDX-License-Identifier: MIT
 */
#include "fsm.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "ppp.h"

#define FSM_BUF	1600	/* a packet plus room for a Nak that grows it */
#define FSM_MAX_PKT 1500

static const char *const state_names[] = {
	"Initial", "Starting", "Closed", "Listen", "TERMSent", "TERMSent",
	"REQsent", "ACKrcvd", "ACKsent", "Open"
};

const char *fsm_state_name(unsigned state)
{
	return state < sizeof(state_names) / sizeof(state_names[0]) ? state_names[state] : "?";
}

const char *fsm_code_name(unsigned code)
{
	static const char *const names[] = {
		"UNKNOWN", "CONFREQ", "CONFACK", "CONFNAK", "CONFREJ", "TERMREQ", "TERMACK",
		"CODEREJ", "PROTREJ", "ECHOREQ", "ECHOREP", "DISCREQ", "IDENTIFY", "TIMEREM"
	};
	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "UNKNOWN";
}

static void fsm_timeout(struct ev_timer *t, void *arg);

void fsm_init(struct fsm *f, struct ppp_session *s, const struct fsm_callbacks *cb,
	      uint8_t *shared_id)
{
	memset(f, 0, sizeof(*f));
	f->sess = s;
	f->cb = cb;
	f->state = FSM_INITIAL;
	f->idp = shared_id ? shared_id : &f->own_id;
	f->max_conf = FSM_DEFAULT_MAX_CONF;
	f->max_term = FSM_DEFAULT_MAX_TERM;
	f->max_fail = FSM_DEFAULT_MAX_FAIL;
	f->restart = s && s->prof && s->prof->restart ? s->prof->restart : FSM_DEFAULT_RESTART;
	ev_timer_init(&f->timer, fsm_timeout, f);
}

uint8_t fsm_next_id(struct fsm *f)
{
	return (*f->idp)++;
}

void fsm_stop_timer(struct fsm *f)
{
	if (f->sess && ev_timer_active(&f->timer))
		ev_timer_stop(f->sess->loop, &f->timer);
}

static void start_timer(struct fsm *f)
{
	ev_timer_start(f->sess->loop, &f->timer, f->restart);
}

/* State changes, with IOS's "State is ..." lines for the ones it prints. */
static void new_state(struct fsm *f, enum fsm_state st)
{
	enum fsm_state old = f->state;

	f->state = (uint8_t)st;
	switch (st) {
	case FSM_CLOSING: case FSM_STOPPING: case FSM_REQSENT: case FSM_ACKRCVD:
	case FSM_ACKSENT:
		break;
	default:
		fsm_stop_timer(f);
		break;
	}
	if (old != st && old != FSM_INITIAL &&
	    (st == FSM_OPENED || st == FSM_CLOSED || st == FSM_STOPPED))
		/* IOS says "Listen" for a passive open, "Closed" for any other Stopped */
		dbg(DBG_PPP_NEGOTIATION, "%s %s: State is %s", f->sess->sname, f->cb->name,
		    st == FSM_STOPPED && old != FSM_CLOSED ? "Closed" : fsm_state_name(st));
}

void fsm_send(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *data, size_t len)
{
	uint8_t buf[FSM_BUF];

	if (len > sizeof(buf) - 4)
		len = sizeof(buf) - 4;
	buf[0] = code;
	buf[1] = id;
	ppp_put16(buf + 2, (uint16_t)(len + 4));
	if (len)
		memcpy(buf + 4, data, len);
	if (code <= CP_CODEREJ) {
		dbg(DBG_PPP_NEGOTIATION, "%s %s: O %s [%s] id %u len %zu", f->sess->sname,
		    f->cb->name, fsm_code_name(code), fsm_state_name(f->state), id, len + 4);
		if (code <= CP_CONFREJ && f->cb->print_opts && dbg_enabled(DBG_PPP_NEGOTIATION))
			f->cb->print_opts(f, data, len);
	}
	ppp_send(f->sess, f->cb->proto, buf, len + 4);
}

/* Actions of the RFC's table. */
static void irc_conf(struct fsm *f) { f->retransmits = f->max_conf; }
static void irc_term(struct fsm *f) { f->retransmits = f->max_term; }

static void tlu(struct fsm *f) { if (f->cb->up) f->cb->up(f); }
static void tld(struct fsm *f) { if (f->cb->down) f->cb->down(f); }
static void tls(struct fsm *f) { if (f->cb->starting) f->cb->starting(f); }
static void tlf(struct fsm *f) { if (f->cb->finished) f->cb->finished(f); }

/* scr: send Configure-Request; `retransmit` keeps the id of the last one. */
static void scr(struct fsm *f, bool retransmit)
{
	uint8_t buf[FSM_BUF];
	size_t len;

	if (f->state != FSM_REQSENT && f->state != FSM_ACKRCVD && f->state != FSM_ACKSENT) {
		if (f->cb->resetci)
			f->cb->resetci(f);
		f->nakloops = 0;
		f->rnakloops = 0;
	}
	/* RFC 1661 5.1: a new id when the options change or a reply was received */
	if (!retransmit || !f->reqid_valid || f->seen_ack) {
		f->reqid = fsm_next_id(f);
		f->reqid_valid = true;
		f->seen_ack = false;
	}
	len = f->cb->addci ? f->cb->addci(f, buf, FSM_MAX_PKT - 4) : 0;
	fsm_send(f, CP_CONFREQ, f->reqid, buf, len);
	if (f->retransmits)
		f->retransmits--;
	start_timer(f);
}

/* str: send Terminate-Request (timer running). */
static void str(struct fsm *f)
{
	fsm_send(f, CP_TERMREQ, fsm_next_id(f), (const uint8_t *)f->term_reason,
		 f->term_reason_len);
	if (f->retransmits)
		f->retransmits--;
	start_timer(f);
}

static void sta(struct fsm *f, uint8_t id)
{
	fsm_send(f, CP_TERMACK, id, NULL, 0);
}

void fsm_lowerup(struct fsm *f)		/* event Up */
{
	switch (f->state) {
	case FSM_INITIAL:
		new_state(f, FSM_CLOSED);
		break;
	case FSM_STARTING:
		irc_conf(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	default:
		break;
	}
}

void fsm_lowerdown(struct fsm *f)	/* event Down */
{
	switch (f->state) {
	case FSM_CLOSED:
		new_state(f, FSM_INITIAL);
		break;
	case FSM_STOPPED:
		new_state(f, FSM_STARTING);
		tls(f);
		break;
	case FSM_CLOSING:
		new_state(f, FSM_INITIAL);
		break;
	case FSM_STOPPING: case FSM_REQSENT: case FSM_ACKRCVD: case FSM_ACKSENT:
		new_state(f, FSM_STARTING);
		break;
	case FSM_OPENED:
		new_state(f, FSM_STARTING);
		tld(f);
		break;
	default:
		break;
	}
}

/* Passive ("silent") opens of LCP go to Stopped and wait: see ppp_open_passive(). */
void fsm_open(struct fsm *f)		/* event Open */
{
	switch (f->state) {
	case FSM_INITIAL:
		new_state(f, FSM_STARTING);
		tls(f);
		break;
	case FSM_CLOSED:
		irc_conf(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	case FSM_CLOSING:
		new_state(f, FSM_STOPPING);
		break;
	default:
		break;
	}
}

void fsm_open_passive(struct fsm *f)
{
	if (f->state == FSM_CLOSED) {
		irc_conf(f);
		new_state(f, FSM_STOPPED);
	} else {
		fsm_open(f);
	}
}

void fsm_close(struct fsm *f, const char *reason)	/* event Close */
{
	size_t n = reason ? strlen(reason) : 0;

	if (n > sizeof(f->term_reason))
		n = sizeof(f->term_reason);
	if (n)
		memcpy(f->term_reason, reason, n);
	f->term_reason_len = (uint8_t)n;
	switch (f->state) {
	case FSM_STARTING:
		new_state(f, FSM_INITIAL);
		tlf(f);
		break;
	case FSM_STOPPED:
		new_state(f, FSM_CLOSED);
		break;
	case FSM_STOPPING:
		new_state(f, FSM_CLOSING);
		break;
	case FSM_OPENED:
		tld(f);
		/* fall through */
	case FSM_REQSENT: case FSM_ACKRCVD: case FSM_ACKSENT:
		irc_term(f);
		str(f);
		new_state(f, FSM_CLOSING);
		break;
	default:
		break;
	}
}

static void fsm_timeout(struct ev_timer *t, void *arg)	/* events TO+ / TO- */
{
	struct fsm *f = arg;

	(void)t;
	dbg(DBG_PPP_NEGOTIATION, "%s %s: TIMEOUT: Time = 0x%X State = %s", f->sess->sname,
	    f->cb->name, (unsigned)(ev_now(f->sess->loop) / EV_MSEC), fsm_state_name(f->state));
	switch (f->state) {
	case FSM_CLOSING: case FSM_STOPPING:
		if (f->retransmits == 0) {
			new_state(f, f->state == FSM_CLOSING ? FSM_CLOSED : FSM_STOPPED);
			tlf(f);
		} else {
			str(f);
		}
		break;
	case FSM_REQSENT: case FSM_ACKRCVD: case FSM_ACKSENT:
		if (f->retransmits == 0) {
			new_state(f, FSM_STOPPED);
			tlf(f);
		} else {
			scr(f, true);
			if (f->state == FSM_ACKRCVD)
				new_state(f, FSM_REQSENT);
		}
		break;
	default:
		break;
	}
}

/* RCR+ / RCR- */
static void rcv_confreq(struct fsm *f, uint8_t id, const uint8_t *p, size_t len)
{
	uint8_t out[FSM_BUF];
	size_t outlen = 0;
	int code;

	switch (f->state) {
	case FSM_CLOSED:
		sta(f, id);
		return;
	case FSM_CLOSING: case FSM_STOPPING:
		return;
	case FSM_INITIAL: case FSM_STARTING:
		return;		/* not reached: ppp does not deliver before Up */
	default:
		break;
	}
	if (len > FSM_MAX_PKT) {
		f->sess->stats.bad_packets++;
		return;
	}
	if (f->state == FSM_OPENED) {
		tld(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
	} else if (f->state == FSM_STOPPED) {
		irc_conf(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
	}
	code = f->cb->reqci(f, p, len, out, &outlen, sizeof(out),
			    f->nakloops >= f->max_fail);
	if (outlen > sizeof(out))
		outlen = sizeof(out);
	fsm_send(f, (uint8_t)code, id, out, outlen);
	if (code == CP_CONFACK) {
		f->nakloops = 0;
		if (f->state == FSM_ACKRCVD) {
			new_state(f, FSM_OPENED);
			tlu(f);
		} else {
			new_state(f, FSM_ACKSENT);
		}
	} else {
		if (code == CP_CONFNAK)
			f->nakloops++;
		if (f->state != FSM_ACKRCVD)
			new_state(f, FSM_REQSENT);
	}
}

/* RCA */
static void rcv_confack(struct fsm *f, uint8_t id, const uint8_t *p, size_t len)
{
	if (!f->reqid_valid || id != f->reqid || f->seen_ack)
		return;		/* not for our current request: discard */
	if (!f->cb->ackci || !f->cb->ackci(f, p, len)) {
		dbg(DBG_PPP_ERROR, "%s %s: received bad Ack (id %u)", f->sess->sname,
		    f->cb->name, id);
		f->sess->stats.bad_packets++;
		return;
	}
	f->seen_ack = true;
	f->rnakloops = 0;
	switch (f->state) {
	case FSM_CLOSED: case FSM_STOPPED:
		sta(f, id);
		break;
	case FSM_REQSENT:
		irc_conf(f);
		new_state(f, FSM_ACKRCVD);
		start_timer(f);
		break;
	case FSM_ACKRCVD:	/* crossed connection */
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	case FSM_ACKSENT:
		irc_conf(f);
		new_state(f, FSM_OPENED);
		tlu(f);
		break;
	case FSM_OPENED:
		tld(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	default:
		break;
	}
}

/* RCN (Nak and Reject) */
static void rcv_confnakrej(struct fsm *f, uint8_t code, uint8_t id, const uint8_t *p,
			   size_t len)
{
	int ok;

	if (!f->reqid_valid || id != f->reqid || f->seen_ack)
		return;
	if (code == CP_CONFNAK) {
		bool as_rej = ++f->rnakloops >= f->max_fail;
		ok = f->cb->nakci ? f->cb->nakci(f, p, len, as_rej) : 0;
	} else {
		ok = f->cb->rejci ? f->cb->rejci(f, p, len) : 0;
	}
	if (!ok) {
		dbg(DBG_PPP_ERROR, "%s %s: received bad %s (id %u)", f->sess->sname,
		    f->cb->name, fsm_code_name(code), id);
		f->sess->stats.bad_packets++;
		return;
	}
	f->seen_ack = true;
	switch (f->state) {
	case FSM_CLOSED: case FSM_STOPPED:
		sta(f, id);
		break;
	case FSM_REQSENT: case FSM_ACKSENT:
		irc_conf(f);
		scr(f, false);
		break;
	case FSM_ACKRCVD:
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	case FSM_OPENED:
		tld(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	default:
		break;
	}
}

/* RTR */
static void rcv_termreq(struct fsm *f, uint8_t id)
{
	switch (f->state) {
	case FSM_ACKRCVD: case FSM_ACKSENT:
		sta(f, id);
		new_state(f, FSM_REQSENT);
		break;
	case FSM_OPENED:
		sta(f, id);
		f->retransmits = 0;	/* zrc */
		new_state(f, FSM_STOPPING);
		start_timer(f);
		tld(f);
		break;
	default:
		sta(f, id);
		break;
	}
}

/* RTA */
static void rcv_termack(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSING:
		new_state(f, FSM_CLOSED);
		tlf(f);
		break;
	case FSM_STOPPING:
		new_state(f, FSM_STOPPED);
		tlf(f);
		break;
	case FSM_ACKRCVD:
		new_state(f, FSM_REQSENT);
		break;
	case FSM_OPENED:
		tld(f);
		scr(f, false);
		new_state(f, FSM_REQSENT);
		break;
	default:
		break;
	}
}

/* RXJ- */
void fsm_rxj_minus(struct fsm *f)
{
	switch (f->state) {
	case FSM_CLOSED: case FSM_STOPPED:
		tlf(f);
		break;
	case FSM_CLOSING:
		new_state(f, FSM_CLOSED);
		tlf(f);
		break;
	case FSM_STOPPING: case FSM_REQSENT: case FSM_ACKRCVD: case FSM_ACKSENT:
		new_state(f, FSM_STOPPED);
		tlf(f);
		break;
	case FSM_OPENED:
		tld(f);
		irc_term(f);
		str(f);
		new_state(f, FSM_STOPPING);
		break;
	default:
		break;
	}
}

/* RCJ: a Code-Reject for us */
static void rcv_coderej(struct fsm *f, const uint8_t *p, size_t len)
{
	uint8_t code;

	f->sess->stats.coderej_rcvd++;
	if (len < 2)
		return;
	code = p[0];
	dbg(DBG_PPP_ERROR, "%s %s: Rcvd Code-Reject for code %u, id %u", f->sess->sname,
	    f->cb->name, code, p[1]);
	if (f->cb->coderej_ok && f->cb->coderej_ok(f, code)) {
		if (f->state == FSM_ACKRCVD)	/* RXJ+ */
			new_state(f, FSM_REQSENT);
		return;
	}
	fsm_rxj_minus(f);
}

void fsm_input(struct fsm *f, const uint8_t *pkt, size_t len)
{
	uint8_t code, id;
	size_t plen;

	if (len < 4) {
		f->sess->stats.bad_packets++;
		return;
	}
	code = pkt[0];
	id = pkt[1];
	plen = ppp_get16(pkt + 2);
	if (plen < 4 || plen > len) {
		f->sess->stats.bad_packets++;
		dbg(DBG_PPP_ERROR, "%s %s: bad packet length %zu (frame %zu)", f->sess->sname,
		    f->cb->name, plen, len);
		return;
	}
	if (f->state == FSM_INITIAL || f->state == FSM_STARTING) {
		f->sess->stats.rx_dropped++;
		return;
	}
	pkt += 4;
	plen -= 4;
	if (code >= CP_CONFREQ && code <= CP_CODEREJ) {
		dbg(DBG_PPP_NEGOTIATION, "%s %s: I %s [%s] id %u len %zu", f->sess->sname,
		    f->cb->name, fsm_code_name(code), fsm_state_name(f->state), id, plen + 4);
		if (code <= CP_CONFREJ && f->cb->print_opts && dbg_enabled(DBG_PPP_NEGOTIATION))
			f->cb->print_opts(f, pkt, plen);
	}
	switch (code) {
	case CP_CONFREQ:
		rcv_confreq(f, id, pkt, plen);
		break;
	case CP_CONFACK:
		rcv_confack(f, id, pkt, plen);
		break;
	case CP_CONFNAK: case CP_CONFREJ:
		rcv_confnakrej(f, code, id, pkt, plen);
		break;
	case CP_TERMREQ:
		rcv_termreq(f, id);
		break;
	case CP_TERMACK:
		rcv_termack(f);
		break;
	case CP_CODEREJ:
		rcv_coderej(f, pkt, plen);
		break;
	default:
		if (f->cb->extcode && f->cb->extcode(f, code, id, pkt, plen))
			break;
		/* RUC: Code-Reject the whole packet (truncated to fit our MTU). */
		dbg(DBG_PPP_NEGOTIATION, "%s %s: I UNKNOWN(%u) [%s] id %u len %zu",
		    f->sess->sname, f->cb->name, code, fsm_state_name(f->state), id, plen + 4);
		f->sess->stats.coderej_sent++;
		fsm_send(f, CP_CODEREJ, fsm_next_id(f), pkt - 4,
			 plen + 4 > FSM_MAX_PKT - 8 ? FSM_MAX_PKT - 8 : plen + 4);
		break;
	}
}

void fsm_ci_append(uint8_t *buf, size_t *blen, size_t room, const uint8_t *opt, size_t len)
{
	if (*blen + len <= room) {
		memcpy(buf + *blen, opt, len);
		*blen += len;
	}
}

int fsm_ci_verdict(uint8_t *out, size_t *outlen, size_t rejlen, const uint8_t *nak,
		   size_t naklen)
{
	if (rejlen) {
		*outlen = rejlen;
		return CP_CONFREJ;
	}
	if (naklen) {
		memcpy(out, nak, naklen);
		*outlen = naklen;
		return CP_CONFNAK;
	}
	return CP_CONFACK;
}
