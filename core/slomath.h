/* slomath.h: error-budget arithmetic, pure: burn rates, the multiwindow
 * burn-rate conditions of the Google SRE workbook scaled to the SLO window,
 * the budget left and the time until it is gone. */
#ifndef SITREP_SLOMATH_H
#define SITREP_SLOMATH_H

#include "core/model.h"

/* Burn = error ratio / (1 - objective/100); NAN when either is unknown or
 * the objective is not below 100. */
double	 slo_burn(double error_ratio, double objective_pct);

/* The four workbook conditions for a 30-day window, as
 * {long window, short window, threshold}; thresholds scale with the SLO
 * window: threshold * window / 30d (a budget fraction per long window). */
struct slo_rule {
	enum slo_window	 long_w;
	enum slo_window	 short_w;
	double		 threshold_30d;
	enum slo_alert	 level;
};
extern const struct slo_rule slo_rules[4];

double	 slo_threshold(const struct slo_rule *, long window_seconds);

/* Evaluate the conditions on s->burn; sets s->alert and s->condition
 * ("1h 15.2 & 5m 16.0 > 14.4"). */
void	 slo_evaluate(struct slo *);

/* Seconds until the budget is gone at this burn rate: remaining * window /
 * burn. NAN when unknown, INFINITY when burn <= 0, 0 when already gone. */
double	 slo_time_to_exhaustion(double remaining, double burn, long window_s);

#endif
