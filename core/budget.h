/* budget.h: the error-budget review's arithmetic (`sitrep report`), pure:
 * the budget one SLO consumed over a period, its burn episodes, the page or
 * ticket conditions that held in them, and the deploys and incidents that
 * may explain them. Input is the SLO's history (struct slo_history: the 1h
 * burn on a fine grid, the budget left on a coarse one) and a list of
 * events; no I/O. */
#ifndef SITREP_BUDGET_H
#define SITREP_BUDGET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/model.h"

enum bud_kind {
	BUD_DEPLOY,
	BUD_INCIDENT
};
const char	*bud_kind_name(enum bud_kind);	/* "deploy", "incident" */

/* A deploy (a point: end NAN) or an incident (end NAN: still open). */
struct bud_event {
	enum bud_kind	 kind;
	double		 start, end;	/* unix seconds */
	const char	*name;		/* "checkout v2.4", an alert's title */
	const char	*service;	/* NULL or "": names none */
	const char	*source;	/* where it came from */
	const char	*environment;	/* NULL: may explain any SLO's */
};

/* An event that may explain an episode; lead = episode start - event
 * start (positive: it started before). */
struct bud_cause {
	size_t	 event;		/* index into the events given */
	double	 lead;
};

struct bud_episode {
	double		 start, end;	/* first and last point above 1 */
	bool		 open_start;	/* burning when the period began */
	bool		 open_end;	/* still burning when it ended */
	double		 peak;		/* highest 1h burn */
	double		 consumed;	/* share of the window's budget */
	enum slo_alert	 level;		/* a page/ticket condition held */
	size_t		 cause0, ncause;	/* into bud_slo.causes */
};

struct bud_slo {
	double			 from, to;
	double			 consumed;	/* of the window's budget */
	double			 error_ratio;	/* mean 1h ratio */
	double			 budget_start;	/* NAN: unknown */
	double			 budget_end;
	double			 unexplained;	/* of consumed, NAN if 0 */
	size_t			 points, missing; /* 1h points, NANs */
	struct bud_episode	*ep;
	size_t			 nep;
	struct bud_cause	*causes;
	size_t			 ncauses;
};

/*
 * One SLO over [from, to]:
 * - consumed = the integral of the 1h burn over the period (trapezoids on
 *   the grid, points without data count nothing) / the SLO window;
 * - error_ratio = the mean of the 1h error ratios with data;
 * - an episode is a run of grid points whose 1h burn is above 1; its
 *   consumption is its points' share of the integral;
 * - its level is the highest of the SLO's conditions that held at one of
 *   its points, each window's burn being the mean of the 1h burns over it
 *   (a window under an hour reads the 1h burn);
 * - its causes are the events of the SLO's service (or naming none) that
 *   started before it within suspect_s, started during it, or (incidents)
 *   were open when it began: same service first, then those that started
 *   before it, deploys before incidents, closest first;
 *   unexplained = the share of consumed not in an episode with a cause.
 * budget_start/end come from the history's budget points nearest to from
 * and to (budget_end falls back to s->budget_remaining).
 */
void	 bud_compute(const struct slo *, double from, double to,
	     const struct bud_event *, size_t, long suspect_s,
	     struct bud_slo *);
void	 bud_slo_free(struct bud_slo *);

/* Grid steps for a period: the 1h burn's (a round step giving at most
 * about 2,000 points) and the budget's (about 170 points). */
long	 bud_fine_step(double period_s);
long	 bud_coarse_step(double period_s);

/* Order of a ranking: most consumed first, then by name. */
int	 bud_rank_cmp(double consumed_a, const char *name_a,
	     double consumed_b, const char *name_b);

#endif
