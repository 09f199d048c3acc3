/* slomath.c: burn rates, the multiwindow conditions of each kind of SLO
 * (workbook, Pyrra, Sloth), the verdict they give, and budget
 * arithmetic. */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "core/slomath.h"
#include "core/xalloc.h"

#define DAY		86400L
#define THIRTY_DAYS	(30L * DAY)

/* Google SRE workbook, chapter "Alerting on SLOs", table 5-8. */
const struct slo_rule slo_rules[4] = {
	{ W_1H, W_5M, 14.4, SLO_ALERT_PAGE },
	{ W_6H, W_30M, 6.0, SLO_ALERT_PAGE },
	{ W_1D, W_2H, 3.0, SLO_ALERT_TICKET },
	{ W_3D, W_6H, 1.0, SLO_ALERT_TICKET },
};

double
slo_burn(double error_ratio, double objective_pct)
{
	double	budget;

	if (isnan(error_ratio) || isnan(objective_pct) ||
	    objective_pct >= 100.0 || objective_pct <= 0.0)
		return (NAN);
	budget = 1.0 - objective_pct / 100.0;
	return (error_ratio / budget);
}

double
slo_threshold(const struct slo_rule *r, long window_seconds)
{
	if (window_seconds <= 0)
		window_seconds = THIRTY_DAYS;
	return (r->threshold_30d * (double)window_seconds / (double)THIRTY_DAYS);
}

void
slo_window_format(char *buf, size_t size, long s)
{
	static const struct { long secs; char unit; } units[] = {
		{ DAY, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' }
	};
	size_t	i, used = 0;
	int	n;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (s <= 0) {
		snprintf(buf, size, "0s");
		return;
	}
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (s < units[i].secs)
			continue;
		n = snprintf(buf + used, size - used, "%ld%c",
		    s / units[i].secs, units[i].unit);
		if (n < 0 || (size_t)n >= size - used)
			return;
		used += (size_t)n;
		s %= units[i].secs;
	}
}

static void
cond_set(struct slo_cond *c, long long_s, long short_s, double factor,
    long for_s, enum slo_alert level)
{
	memset(c, 0, sizeof *c);
	c->long_col = c->short_col = -1;
	c->long_s = long_s;
	c->short_s = short_s;
	c->factor = factor;
	c->for_s = for_s;
	c->level = level;
	c->min_long = c->min_short = NAN;
}

size_t
slo_conds_workbook(long window_s, struct slo_cond *out)
{
	size_t	i;

	for (i = 0; i < 4; i++) {
		const struct slo_rule *r = &slo_rules[i];

		cond_set(&out[i], slo_window_seconds[r->long_w],
		    slo_window_seconds[r->short_w],
		    slo_threshold(r, window_s), 0, r->level);
		out[i].long_col = r->long_w;
		out[i].short_col = r->short_w;
	}
	return (4);
}

/* window / div rounded to the minute, halves away from zero, as Go's
 * time.Duration.Round(time.Minute) does on Pyrra's nanoseconds. */
static long
pyrra_round(long window_s, long div)
{
	int64_t	ns = (int64_t)window_s * 1000000000LL / div;
	int64_t	m = 60LL * 1000000000LL, q = ns / m, r = ns % m;

	if (r + r >= m)
		q++;
	return ((long)(q * 60));
}

size_t
slo_conds_pyrra(long window_s, struct slo_cond *out)
{
	/* {long, short, for} divisors of the SLO window; factor; level. */
	static const struct {
		long		 l, s, f;
		double		 factor;
		enum slo_alert	 level;
	} t[4] = {
		{ 28 * 24, 28 * 24 * 12, 28 * 24 * 30, 14, SLO_ALERT_PAGE },
		{ 28 * 4, 28 * 24 * 2, 28 * 24 * 4, 7, SLO_ALERT_PAGE },
		{ 28, 28 * 12, 28 * 24, 2, SLO_ALERT_TICKET },
		{ 7, 28 * 4, 28 * 8, 1, SLO_ALERT_TICKET },
	};
	size_t	i;

	for (i = 0; i < 4; i++)
		cond_set(&out[i], pyrra_round(window_s, t[i].l),
		    pyrra_round(window_s, t[i].s), t[i].factor,
		    pyrra_round(window_s, t[i].f), t[i].level);
	return (4);
}

/* Sloth's alert windows: budget shares (percent) per condition, in the
 * order page quick, page slow, ticket quick, ticket slow, and the windows
 * they were written for (sorted). */
struct sloth_table {
	const char	*name;
	long		 period;	/* 0: any */
	long		 wins[W__COUNT];
	double		 pct[4];
};

#define GOOGLE_WINS	{ 300, 1800, 3600, 7200, 21600, DAY, 3 * DAY }

static const struct sloth_table sloth_tables[] = {
	{ "Sloth's Google 30d windows", 30 * DAY, GOOGLE_WINS,
	    { 2, 5, 10, 10 } },
	{ "Sloth's Google 28d windows", 28 * DAY, GOOGLE_WINS,
	    { 2, 5, 10, 10 } },
	{ "Sloth's 7d windows (its examples and tests)", 7 * DAY,
	    GOOGLE_WINS, { 8, 12.5, 20, 42 } },
	{ "Sloth's custom 30d example windows", 30 * DAY,
	    { 120, 900, 1800, 3600, 3 * 3600, 12 * 3600, 36 * 3600 },
	    { 1, 2, 5, 5 } },
};

/* Is every one of wins[0..n) among the table's? */
static bool
wins_within(const long *wins, size_t n, const long *tw)
{
	size_t	i, k;

	for (i = 0; i < n; i++) {
		for (k = 0; k < W__COUNT && tw[k] != wins[i]; k++)
			;
		if (k == W__COUNT)
			return (false);
	}
	return (true);
}

size_t
slo_conds_sloth(long period_s, const long *wins, size_t nwins,
    struct slo_cond *out, const char **table)
{
	/* Which windows pair up, by position among the seven: {long, short}. */
	static const int pos[4][2] = { { 2, 0 }, { 4, 1 }, { 5, 3 }, { 6, 4 } };
	static const double workbook[4] = { 2, 5, 10, 10 };
	static const long google[W__COUNT] = GOOGLE_WINS;
	const double	*pct = workbook;
	const long	*tw = NULL;
	size_t		 i;

	*table = NULL;
	if (period_s <= 0 || nwins == 0)
		return (0);
	/* A table of Sloth's own for this period holding these windows (a
	 * window with no series is simply missing). */
	for (i = 0; i < sizeof sloth_tables / sizeof sloth_tables[0]; i++) {
		if (sloth_tables[i].period == period_s &&
		    wins_within(wins, nwins, sloth_tables[i].wins)) {
			pct = sloth_tables[i].pct;
			tw = sloth_tables[i].wins;
			*table = sloth_tables[i].name;
			break;
		}
	}
	if (tw == NULL && nwins == W__COUNT)
		tw = wins;	/* custom windows: paired by position */
	else if (tw == NULL && wins_within(wins, nwins, google))
		tw = google;
	if (tw == NULL)
		return (0);
	if (*table == NULL)
		*table = "Sloth's pairing of its windows, with the workbook's "
		    "budget shares (2%, 5%, 10%, 10% of the period), assumed";
	for (i = 0; i < 4; i++) {
		long l = tw[pos[i][0]], s = tw[pos[i][1]];

		cond_set(&out[i], l, s, pct[i] / 100.0 *
		    ((double)period_s / (double)l), 0,
		    i < 2 ? SLO_ALERT_PAGE : SLO_ALERT_TICKET);
	}
	return (4);
}

static int
col_of(const struct slo *s, long secs)
{
	int	k;

	for (k = 0; k < W__COUNT; k++) {
		if (s->col_seconds[k] == secs && secs > 0)
			return (k);
	}
	return (-1);
}

static bool
cols_unset(const struct slo *s)
{
	int	k;

	for (k = 0; k < W__COUNT; k++) {
		if (s->col_seconds[k] != 0)
			return (false);
	}
	return (true);
}

void
slo_conds_place(struct slo *s)
{
	size_t	i;

	for (i = 0; i < s->nconds; i++) {
		s->conds[i].long_col = col_of(s, s->conds[i].long_s);
		s->conds[i].short_col = col_of(s, s->conds[i].short_s);
	}
}

static double
col_burn(const struct slo *s, int col)
{
	return (col >= 0 && col < W__COUNT ? s->burn[col] : NAN);
}

void
slo_evaluate(struct slo *s)
{
	struct slo_cond		*c, *show = NULL;
	enum slo_alert		 fired = SLO_ALERT_NONE, pend = SLO_ALERT_NONE;
	char			 ln[32], sn[32];
	double			 bl, bs;
	size_t			 i;
	int			 k;

	if (cols_unset(s)) {
		for (k = 0; k < W__COUNT; k++)
			s->col_seconds[k] = slo_window_seconds[k];
	}
	if (s->nconds == 0 && s->verdict == SLO_VERDICT_WORKBOOK)
		s->nconds = slo_conds_workbook(s->window_seconds, s->conds);
	for (i = 0; i < s->nconds; i++) {
		c = &s->conds[i];
		bl = col_burn(s, c->long_col);
		bs = col_burn(s, c->short_col);
		c->holds = !isnan(bl) && !isnan(bs) && bl > c->factor &&
		    bs > c->factor;
		if (!c->holds)
			continue;
		if (show == NULL || c->level > show->level)
			show = c;
		if (c->for_s <= 0 || (c->min_long > c->factor &&
		    c->min_short > c->factor)) {
			if (c->level > fired)
				fired = c->level;
		} else if (c->level > pend)
			pend = c->level;
	}
	if (s->verdict != SLO_VERDICT_RULES) {
		s->alert = fired;
		s->pending = pend > fired ? pend : SLO_ALERT_NONE;
	}
	xstrset(&s->condition, NULL);
	if (show != NULL) {
		slo_window_format(ln, sizeof ln, show->long_s);
		slo_window_format(sn, sizeof sn, show->short_s);
		free(s->condition);
		s->condition = xasprintf("%s %.1f & %s %.1f > %.4g", ln,
		    col_burn(s, show->long_col), sn,
		    col_burn(s, show->short_col), show->factor);
	}
}

double
slo_time_to_exhaustion(double remaining, double burn, long window_s)
{
	if (isnan(remaining) || isnan(burn))
		return (NAN);
	if (remaining <= 0)
		return (0);
	if (burn < 1.0)
		return (INFINITY);
	return (remaining * (double)window_s / burn);
}

int
slo_tte_col(const struct slo *s)
{
	double	best = INFINITY, d;
	long	secs;
	int	k, pick = -1;

	for (k = 0; k < W__COUNT; k++) {
		secs = cols_unset(s) ? slo_window_seconds[k] :
		    s->col_seconds[k];
		if (secs <= 0)
			continue;
		d = fabs(log((double)secs / 3600.0));
		if (d < best - 1e-9) {
			best = d;
			pick = k;
		}
	}
	return (pick);
}

double
slo_tte(const struct slo *s)
{
	int	k = slo_tte_col(s);

	if (k < 0)
		return (NAN);
	return (slo_time_to_exhaustion(s->budget_remaining, s->burn[k],
	    s->window_seconds));
}
