/* budget.c: the error-budget review's arithmetic: consumption over a
 * period, burn episodes, the conditions that held in them and the events
 * that may explain them. Pure; see budget.h for the definitions. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/budget.h"
#include "core/xalloc.h"

/* Bounds on what a server may hand us. */
#define BUD_MAX_BURN	1e9

const char *
bud_kind_name(enum bud_kind k)
{
	return (k == BUD_DEPLOY ? "deploy" : "incident");
}

static const long fine_steps[] = {
	60, 120, 300, 600, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600,
	12 * 3600, 86400
};
static const long coarse_steps[] = {
	300, 900, 1800, 3600, 2 * 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400,
	2 * 86400, 7 * 86400
};

static long
pick_step(const long *v, size_t n, double period_s, double points)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (period_s / (double)v[i] <= points)
			return (v[i]);
	}
	return (v[n - 1]);
}

long
bud_fine_step(double period_s)
{
	return (pick_step(fine_steps, sizeof fine_steps / sizeof *fine_steps,
	    period_s, 2016));
}

long
bud_coarse_step(double period_s)
{
	return (pick_step(coarse_steps, sizeof coarse_steps /
	    sizeof *coarse_steps, period_s, 170));
}

int
bud_rank_cmp(double ca, const char *na, double cb, const char *nb)
{
	bool	ka = !isnan(ca), kb = !isnan(cb);

	if (ka != kb)
		return (ka ? -1 : 1);
	if (ka && ca != cb)
		return (ca > cb ? -1 : 1);
	return (strcmp(na != NULL ? na : "", nb != NULL ? nb : ""));
}

/* A burn from the server, bounded: NAN stays NAN, negatives are 0. */
static double
bound_burn(double b)
{
	if (isnan(b))
		return (NAN);
	if (b < 0)
		return (0);
	return (b > BUD_MAX_BURN ? BUD_MAX_BURN : b);
}

/* The budget point nearest to t, or NAN. */
static double
budget_at(const struct slo_history *h, double t)
{
	double	pos, v;
	long	i;

	if (h == NULL || h->budget == NULL || h->nbudget == 0 ||
	    !(h->bstep > 0))
		return (NAN);
	pos = (t - h->bstart) / h->bstep;
	if (!(pos > -0.5 && pos < (double)h->nbudget - 0.5))
		return (NAN);
	i = lround(pos);
	v = h->budget[i];
	if (isnan(v))
		return (NAN);
	return (v < -1e6 ? -1e6 : v > 1 ? 1 : v);
}

/* Prefix sums of the bounded burns (NAN as 0) and of the count of points
 * with data, for windowed means. */
struct prefix {
	double	*sum;
	size_t	*cnt;
};

static void
prefix_build(struct prefix *p, const double *b, size_t n)
{
	size_t	i;

	p->sum = xcalloc(n + 1, sizeof *p->sum);
	p->cnt = xcalloc(n + 1, sizeof *p->cnt);
	for (i = 0; i < n; i++) {
		p->sum[i + 1] = p->sum[i] + (isnan(b[i]) ? 0 : b[i]);
		p->cnt[i + 1] = p->cnt[i] + (isnan(b[i]) ? 0 : 1);
	}
}

/* Mean burn over the window ending at point i (win_s: its length). */
static double
window_mean(const struct prefix *p, const double *b, size_t i, double step,
    long win_s)
{
	size_t	k, lo;

	if (win_s <= 3600)
		return (b[i]);
	k = (size_t)((double)win_s / step);
	if (k < 1)
		k = 1;
	lo = i + 1 >= k ? i + 1 - k : 0;
	if (p->cnt[i + 1] == p->cnt[lo])
		return (NAN);
	return ((p->sum[i + 1] - p->sum[lo]) /
	    (double)(p->cnt[i + 1] - p->cnt[lo]));
}

/* The highest level of a condition holding at point i. */
static enum slo_alert
level_at(const struct slo *s, const struct prefix *p, const double *b,
    size_t i, double step)
{
	enum slo_alert	lvl = SLO_ALERT_NONE;
	double		lw, sw;
	size_t		k;

	for (k = 0; k < s->nconds && k < SLO_MAX_CONDS; k++) {
		const struct slo_cond *c = &s->conds[k];

		if (c->level <= lvl || !(c->factor > 0))
			continue;
		lw = window_mean(p, b, i, step, c->long_s);
		sw = window_mean(p, b, i, step, c->short_s);
		if (lw > c->factor && sw > c->factor)
			lvl = c->level;
	}
	return (lvl);
}

/* The same service (or none named), in the same environment (when both
 * say theirs). */
static bool
same_service(const struct slo *s, const struct bud_event *e)
{
	if (e->environment != NULL && s->environment != NULL &&
	    strcmp(e->environment, s->environment) != 0)
		return (false);
	if (e->service == NULL || *e->service == '\0')
		return (true);
	return (s->service != NULL && strcmp(s->service, e->service) == 0);
}

/* Ranking of causes: the SLO's own service by name first, then those
 * that started before the episode, deploys (changes) before incidents
 * (often symptoms), closest first; then the others by start. */
struct cause_sort {
	struct bud_cause	 c;
	int			 named;		/* 0: names the service */
	int			 before;	/* 0: started before */
	int			 kind;		/* 0: a deploy */
};

static int
cause_cmp(const void *a, const void *b)
{
	const struct cause_sort	*x = a, *y = b;

	if (x->named != y->named)
		return (x->named - y->named);
	if (x->before != y->before)
		return (x->before - y->before);
	if (x->kind != y->kind)
		return (x->kind - y->kind);
	if (x->before == 0 && x->c.lead != y->c.lead)
		return (x->c.lead < y->c.lead ? -1 : 1);
	if (x->before != 0 && x->c.lead != y->c.lead)
		return (x->c.lead > y->c.lead ? -1 : 1);
	return (x->c.event < y->c.event ? -1 : x->c.event > y->c.event);
}

static void
attribute(struct bud_slo *o, struct bud_episode *ep, const struct slo *s,
    const struct bud_event *ev, size_t nev, long suspect_s)
{
	struct cause_sort	*v;
	size_t			 i, n = 0;
	double			 end;
	bool			 ok;

	v = xcalloc(nev + 1, sizeof *v);
	for (i = 0; i < nev; i++) {
		const struct bud_event *e = &ev[i];

		if (isnan(e->start) || !same_service(s, e))
			continue;
		end = isnan(e->end) ? INFINITY : e->end;
		ok = e->start <= ep->end &&
		    (e->start >= ep->start - (double)suspect_s ||
		    (e->kind == BUD_INCIDENT && end >= ep->start));
		if (!ok)
			continue;
		v[n].c.event = i;
		v[n].c.lead = ep->start - e->start;
		v[n].named = e->service != NULL && *e->service != '\0' ? 0 : 1;
		v[n].before = v[n].c.lead >= 0 ? 0 : 1;
		v[n].kind = e->kind == BUD_DEPLOY ? 0 : 1;
		n++;
	}
	qsort(v, n, sizeof *v, cause_cmp);
	ep->cause0 = o->ncauses;
	ep->ncause = n;
	o->causes = xreallocarray(o->causes, o->ncauses + n + 1,
	    sizeof *o->causes);
	for (i = 0; i < n; i++)
		o->causes[o->ncauses++] = v[i].c;
	free(v);
}

static void
episode_add(struct bud_slo *o, const struct bud_episode *ep)
{
	o->ep = xreallocarray(o->ep, o->nep + 1, sizeof *o->ep);
	o->ep[o->nep++] = *ep;
}

void
bud_compute(const struct slo *s, double from, double to,
    const struct bud_event *ev, size_t nev, long suspect_s,
    struct bud_slo *o)
{
	const struct slo_history	*h = s->history;
	struct bud_episode		 cur;
	struct prefix			 pf = { NULL, NULL };
	double				*b = NULL, w, t, explained = 0, sum = 0;
	double				 budget = 1.0 - s->objective / 100.0;
	size_t				 i, n = 0, lo = 0, with = 0;
	bool				 in = false;

	memset(o, 0, sizeof *o);
	o->from = from;
	o->to = to;
	o->consumed = o->error_ratio = o->unexplained = NAN;
	o->budget_start = budget_at(h, from);
	o->budget_end = budget_at(h, to);
	if (isnan(o->budget_end) && !isnan(s->budget_remaining))
		o->budget_end = s->budget_remaining;
	if (h == NULL || h->burn == NULL || !(h->step > 0) ||
	    s->window_seconds <= 0 || !(budget > 0 && budget < 1))
		return;

	/* The points of the history inside [from, to]. */
	for (i = 0; i < h->n; i++) {
		t = h->start + (double)i * h->step;
		if (t < from - h->step / 2) {
			lo = i + 1;
			continue;
		}
		if (t > to + h->step / 2)
			break;
		n++;
	}
	if (n == 0)
		return;
	b = xcalloc(n, sizeof *b);
	for (i = 0; i < n; i++)
		b[i] = bound_burn(h->burn[lo + i]);
	prefix_build(&pf, b, n);
	o->points = n;
	o->consumed = 0;
	memset(&cur, 0, sizeof cur);
	for (i = 0; i <= n; i++) {
		bool above = i < n && b[i] > 1;

		if (i < n) {
			t = h->start + (double)(lo + i) * h->step;
			if (isnan(b[i]))
				o->missing++;
			else {
				w = (i == 0 || i == n - 1) && n > 1 ?
				    h->step / 2 : h->step;
				o->consumed += b[i] * w / s->window_seconds;
				sum += b[i];
				with++;
			}
		}
		if (above && !in) {
			memset(&cur, 0, sizeof cur);
			in = true;
			cur.start = t;
			cur.open_start = i == 0;
		}
		if (above) {
			w = (i == 0 || i == n - 1) && n > 1 ? h->step / 2 :
			    h->step;
			cur.end = t;
			cur.open_end = i == n - 1;
			if (b[i] > cur.peak)
				cur.peak = b[i];
			cur.consumed += b[i] * w / s->window_seconds;
			if (cur.level < SLO_ALERT_PAGE) {
				enum slo_alert l = level_at(s, &pf, b, i,
				    h->step);
				if (l > cur.level)
					cur.level = l;
			}
		} else if (in) {
			in = false;
			attribute(o, &cur, s, ev, nev, suspect_s);
			if (cur.ncause > 0)
				explained += cur.consumed;
			episode_add(o, &cur);
		}
	}
	if (with > 0)
		o->error_ratio = sum / (double)with * budget;
	if (o->consumed > 0)
		o->unexplained = fmax(0, (o->consumed - explained) /
		    o->consumed);
	free(pf.sum);
	free(pf.cnt);
	free(b);
}

void
bud_slo_free(struct bud_slo *o)
{
	free(o->ep);
	free(o->causes);
	memset(o, 0, sizeof *o);
}
