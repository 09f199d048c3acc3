/* slomath.h: error-budget arithmetic, pure: burn rates; the multiwindow
 * burn-rate conditions of each kind of SLO (the Google SRE workbook's
 * scaled to the SLO window for declared SLOs, Pyrra's and Sloth's own for
 * theirs); the verdict they give; the budget left and the time until it is
 * gone. */
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

/* "5m", "1h30m", "4d6h51m": a window as Prometheus and Pyrra name it (no
 * weeks). */
void	 slo_window_format(char *, size_t, long seconds);

/* The workbook's conditions for a declared SLO over the seven standard
 * columns, thresholds scaled by window / 30d. Returns 4. */
size_t	 slo_conds_workbook(long window_s, struct slo_cond *);

/* Pyrra's conditions for an SLO window, as its generator writes them
 * (slo.Windows in pyrra-dev/pyrra): windows of 1h/28d, 5m/28d ... scaled to
 * the window and rounded to the minute, factors 14 and 7 (critical) and 2
 * and 1 (warning), for: half the short window. Returns 4. Columns -1. */
size_t	 slo_conds_pyrra(long window_s, struct slo_cond *);

/* Sloth's conditions for an SLO period and the windows its recording
 * rules hold (wins sorted, shortest first): its Google 30d and 28d
 * windows, the 7d windows of its examples and tests, its custom 30d
 * example; for other periods or windows the same pairing by position with
 * the workbook's budget shares (2%, 5%, 10%, 10%) of the period. The
 * factor is share x period / long window, as Sloth computes it. *table
 * names what was used. Returns the number of conditions (0 if the windows
 * cannot be paired). Columns -1. */
size_t	 slo_conds_sloth(long period_s, const long *wins, size_t nwins,
	     struct slo_cond *, const char **table);

/* Point every condition of s at the columns (s->col_seconds) holding its
 * windows; a window no column holds leaves the condition at -1, and it
 * never holds. */
void	 slo_conds_place(struct slo *);

/*
 * Evaluate s->conds on s->burn and set s->alert, s->pending and
 * s->condition ("1h 15.2 & 5m 16.0 > 14.4"). A record without conditions
 * gets the workbook's over the standard columns first. With
 * SLO_VERDICT_RULES the alert and pending state are the rules' and are
 * left alone; otherwise a condition that holds now fires, or is pending
 * while its for: has not been seen to hold (min_long, min_short over the
 * last for_s, unknown counts as not yet).
 */
void	 slo_evaluate(struct slo *);

/* Seconds until the budget is gone at this burn rate: remaining * window /
 * burn. NAN when unknown, 0 when already gone, INFINITY when the burn is
 * below 1: over a rolling window a budget spent slower than it is earned
 * back never runs out. */
double	 slo_time_to_exhaustion(double remaining, double burn, long window_s);

/* The column whose window is closest to an hour (the burn EMPTY IN
 * divides by), or -1; and the time to exhaustion at its burn. */
int	 slo_tte_col(const struct slo *);
double	 slo_tte(const struct slo *);

#endif
