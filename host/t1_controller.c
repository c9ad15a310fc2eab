/*
 * t1_controller.c - T1 alarms, performance data and `show controllers t1`
 * (see t1_controller.h)
 *
 * SPDX-License-Identifier: MIT
 */
#include "t1_controller.h"

#include <string.h>

#define SES_CRC_THRESHOLD	320	/* ESF: CRC-6 errors in one second for a severe one */

static bool in_alarm(const struct card_span_status *st)
{
	return !st->in_frame || (st->alarms & (CARD_ALARM_LOS | CARD_ALARM_LOF | CARD_ALARM_AIS));
}

void t1_perf_init(struct t1_perf *p, ev_time_t now, bool esf)
{
	memset(p, 0, sizeof(*p));
	p->interval_start = now;
	p->last_time = now;
	p->esf = esf;
}

static void roll(struct t1_perf *p, ev_time_t now)
{
	unsigned k = 0;

	while (now >= p->interval_start + T1_INTERVAL) {
		/* past a day of silence only the last 96 intervals matter */
		if (k++ <= T1_INTERVALS_24H) {
			p->hist[p->hist_head] = p->cur;
			p->hist_head = (p->hist_head + 1) % T1_INTERVALS_24H;
			if (p->nhist < T1_INTERVALS_24H)
				p->nhist++;
		}
		memset(&p->cur, 0, sizeof(p->cur));
		p->interval_start += T1_INTERVAL;
	}
}

/* Alarm time between the last report and now (whole seconds of it, the rest
 * carried in *carry): frame loss and unavailability. */
static void alarm_seconds(struct t1_counts *c, const struct card_span_status *was, ev_time_t dt,
			  ev_time_t *carry)
{
	uint32_t secs;

	if (!in_alarm(was)) {
		*carry = 0;
		return;
	}
	dt += *carry;
	secs = (uint32_t)(dt / EV_SEC);
	*carry = dt % EV_SEC;
	if (!secs)
		return;
	if (!was->in_frame || (was->alarms & (CARD_ALARM_LOS | CARD_ALARM_LOF)))
		c->fr_loss_secs += secs;
	c->severe_secs += secs;
	c->errored_secs += secs;
	c->unavail_secs += secs;
}

void t1_perf_update(struct t1_perf *p, ev_time_t now, const struct card_span_status *st)
{
	uint32_t d_lcv, d_pcv, d_slip, d_lof;

	if (now < p->last_time)
		now = p->last_time;
	roll(p, now);
	if (!p->have_last) {
		/* the first report is the baseline: counts from before are not ours */
		p->last = *st;
		p->last_time = now;
		p->have_last = true;
		return;
	}
	d_lcv = (st->bpv - p->last.bpv) + (st->excess_zeros - p->last.excess_zeros);
	d_pcv = p->esf ? st->crc6_errors - p->last.crc6_errors : st->fbit_errors - p->last.fbit_errors;
	d_slip = st->slips - p->last.slips;
	d_lof = st->lof_count - p->last.lof_count;

	alarm_seconds(&p->cur, &p->last, now - p->last_time, &p->alarm_carry);
	p->cur.lcv += d_lcv;
	p->cur.pcv += d_pcv;
	if (d_slip)
		p->cur.slip_secs++;
	if (d_lcv)
		p->cur.line_err_secs++;
	if (!in_alarm(&p->last) && !in_alarm(st)) {
		/* error events in a second that is not alarm time (counted above, or
		 * from this report on) */
		if (d_lof)
			p->cur.fr_loss_secs++;
		if (d_pcv || d_lof)
			p->cur.errored_secs++;
		if (d_lof || (p->esf && d_pcv >= SES_CRC_THRESHOLD))
			p->cur.severe_secs++;
		else if (p->esf && d_pcv >= 2)
			p->cur.bursty_secs++;
	}
	p->last = *st;
	p->last_time = now;
}

static void add(struct t1_counts *a, const struct t1_counts *b)
{
	a->lcv += b->lcv;
	a->pcv += b->pcv;
	a->slip_secs += b->slip_secs;
	a->fr_loss_secs += b->fr_loss_secs;
	a->line_err_secs += b->line_err_secs;
	a->degraded_mins += b->degraded_mins;
	a->errored_secs += b->errored_secs;
	a->bursty_secs += b->bursty_secs;
	a->severe_secs += b->severe_secs;
	a->unavail_secs += b->unavail_secs;
}

void t1_perf_total(const struct t1_perf *p, struct t1_counts *out)
{
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < p->nhist; i++)
		add(out, &p->hist[i]);
}

static void print_counts(FILE *out, const struct t1_counts *c, const char *sep)
{
	fprintf(out, "     %u Line Code Violations, %u Path Code Violations%s\n", c->lcv, c->pcv, sep);
	fprintf(out, "     %u Slip Secs, %u Fr Loss Secs, %u Line Err Secs, %u Degraded Mins%s\n",
		c->slip_secs, c->fr_loss_secs, c->line_err_secs, c->degraded_mins, sep);
	fprintf(out, "     %u Errored Secs, %u Bursty Err Secs, %u Severely Err Secs, %u Unavail Secs\n",
		c->errored_secs, c->bursty_secs, c->severe_secs, c->unavail_secs);
}

void t1_show_controller(FILE *out, const struct t1_show_info *info, const struct t1_perf *p,
			ev_time_t now)
{
	static const char *const clock[] = {
		[CARD_CLK_INTERNAL] = "Internal", [CARD_CLK_LINE_PRIMARY] = "Line Primary",
		[CARD_CLK_LINE_SECONDARY] = "Line Secondary",
	};
	struct t1_counts cur = p->cur, total;
	uint8_t a = info->alarms;
	ev_time_t start = p->interval_start;

	fprintf(out, "T1 %u is %s.\n", info->unit,
		info->shutdown ? "administratively down" : info->up ? "up" : "down");
	fprintf(out, "  Applique type is Channelized T1\n");
	if (info->shutdown || !(a & (CARD_ALARM_LOS | CARD_ALARM_LOF | CARD_ALARM_AIS | CARD_ALARM_RAI))) {
		fprintf(out, "  No alarms detected.\n");
	} else {
		/* a receiver in alarm makes the card send yellow */
		if (a & (CARD_ALARM_LOS | CARD_ALARM_LOF | CARD_ALARM_AIS))
			fprintf(out, "  Transmitter is sending remote alarm.\n");
		if (a & CARD_ALARM_LOS)
			fprintf(out, "  Receiver has loss of signal.\n");
		else if (a & CARD_ALARM_LOF)
			fprintf(out, "  Receiver has loss of frame.\n");
		if (a & CARD_ALARM_AIS)
			fprintf(out, "  Receiver is getting AIS.\n");
		if (a & CARD_ALARM_RAI)
			fprintf(out, "  Receiver has remote alarm.\n");
	}
	fprintf(out, "  Framing is %s, Line Code is %s, Clock Source is %s.\n",
		info->framing == CARD_FRAMING_SF ? "SF" : "ESF",
		info->linecode == CARD_LINECODE_AMI ? "AMI" : "B8ZS",
		(unsigned)info->clock < 3 ? clock[info->clock] : "Line Primary");
	/* an alarm still on counts up to now, as the next report will count it */
	if (p->have_last && now > p->last_time && now < start + T1_INTERVAL) {
		ev_time_t carry = p->alarm_carry;

		alarm_seconds(&cur, &p->last, now - p->last_time, &carry);
	}
	fprintf(out, "  Data in current interval (%llu seconds elapsed):\n",
		(unsigned long long)((now > start ? now - start : 0) / EV_SEC));
	print_counts(out, &cur, "");
	if (!p->nhist)
		return;
	t1_perf_total(p, &total);
	if (p->nhist >= T1_INTERVALS_24H)
		fprintf(out, "  Total Data (last 24 hours)\n");
	else
		fprintf(out, "  Total Data (last %u 15 minute intervals):\n", p->nhist);
	print_counts(out, &total, ",");
}
