/* slomath.c: burn rates, multiwindow conditions and budget arithmetic. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>

#include "core/slomath.h"
#include "core/xalloc.h"

#define THIRTY_DAYS	(30L * 86400L)

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
slo_evaluate(struct slo *s)
{
	const struct slo_rule	*r;
	double			 t, bl, bs;
	size_t			 i;

	s->alert = SLO_ALERT_NONE;
	xstrset(&s->condition, NULL);
	for (i = 0; i < sizeof slo_rules / sizeof slo_rules[0]; i++) {
		r = &slo_rules[i];
		t = slo_threshold(r, s->window_seconds);
		bl = s->burn[r->long_w];
		bs = s->burn[r->short_w];
		if (isnan(bl) || isnan(bs) || bl <= t || bs <= t)
			continue;
		if (r->level <= s->alert)
			continue;
		s->alert = r->level;
		free(s->condition);
		s->condition = xasprintf("%s %.1f & %s %.1f > %.3g",
		    slo_window_names[r->long_w], bl,
		    slo_window_names[r->short_w], bs, t);
	}
}

double
slo_time_to_exhaustion(double remaining, double burn, long window_s)
{
	if (isnan(remaining) || isnan(burn))
		return (NAN);
	if (remaining <= 0)
		return (0);
	if (burn <= 0)
		return (INFINITY);
	return (remaining * (double)window_s / burn);
}
