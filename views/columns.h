/* columns.h: what a pane's row keeps at a given width, and the written
 * order in which it drops the rest. Pure (widths in, columns out), so that
 * tests/unit/test_columns.c checks every order at 80 columns and wider;
 * sitrep(1) says the same orders in words.
 *
 * The rule for every pane: low-value columns go first; names, ages, marks
 * (the ⚑ suspect flag, severity) and the time until an SLO's budget is
 * gone are the last things a narrow terminal loses. */
#ifndef SITREP_COLUMNS_H
#define SITREP_COLUMNS_H

#include <stdbool.h>

#include "core/model.h"

/*
 * SLO burn. Kept always: the mark, the name (as long as the longest, at
 * most SLO_NAME_MAX), the 5m and 1h burns, BUDGET and EMPTY IN. Dropped
 * first to last: the sparkline, the SUSPECT DEPLOY column (the title names
 * the suspect at any width), the budget bar, the 3d, 1d and 2h burns, the
 * objective, the 6h and 30m burns; only then is the name cut (never below
 * SLO_NAME_MIN).
 */
#define SLO_COL_NAME	3	/* the mark's columns */
#define SLO_NAME_MAX	30
#define SLO_NAME_MIN	12
#define SLO_OBJ_W	7
#define SLO_BURN_W	6
#define SLO_BUDGET_W	8
#define SLO_BAR_W	10
#define SLO_TTE_W	9
#define SLO_SUSPECT_W	22	/* "⚑ checkout v2.14.0" and a gap */
#define SLO_SPARK_MIN	16

struct slo_cols {
	int	name_w;			/* the name's columns */
	int	obj;			/* where each starts, or -1 */
	int	win[W__COUNT];
	int	budget, bar, tte, suspect, spark;
};

/* The columns of a w-wide SLO pane whose longest name is name_len wide;
 * suspects: some SLO has a suspect deploy. */
void	 slo_columns_fit(int w, int name_len, bool suspects,
	     struct slo_cols *);

/*
 * Deploys. Kept always: the ⚑ mark, the age, the service (cut last) and,
 * when an alert followed the deploy, how long before it. Dropped first to
 * last: the author, the word "first" of the lead ("6m before first alert"
 * becomes "6m before alert"), the version, then the service column
 * narrows to the row's service, then the lead's shortest words
 * ("alert +6m"), then the service is cut. The service column is as wide
 * as the widest service shown, at most DEPLOY_SERVICE_W.
 */
#define DEPLOY_MARK_W	2
#define DEPLOY_AGE_W	5	/* "  70m" and a gap */
#define DEPLOY_SERVICE_W 13
#define DEPLOY_VERSION_W 10
#define DEPLOY_AUTHOR_W	12

enum deploy_lead_form {
	LEAD_FULL,		/* "6m before first alert" */
	LEAD_MEDIUM,		/* "6m before alert" */
	LEAD_SHORT		/* "alert +6m" */
};

struct deploy_cols {
	int			service_w;	/* columns for the service */
	int			version;	/* where each starts, or -1 */
	int			author;
	int			lead;
	enum deploy_lead_form	form;
};

/* One deploy row of a w-wide pane: the service column is service_col
 * wide (the widest service), this row's service service_len; dur is the
 * lead's duration ("6m"), NULL when no alert followed; has_author. */
void	 deploy_columns_fit(int w, int service_col, int service_len,
	     const char *dur, bool has_author, struct deploy_cols *);
/* The lead in the form chosen (buf of len bytes). */
void	 deploy_lead_text(char *buf, size_t len, const char *dur,
	     enum deploy_lead_form);
/* While rows of several environments are shown, whose comes after the
 * age; it outranks the author, the version and the lead: ENV_TAG_W columns
 * while the rest of a w-wide row keeps 24, else its first
 * DEPLOY_ENV_SHORT_W ("stag…"), dropped only when the service would keep
 * fewer than DEPLOY_ENV_MIN_REST. The columns the tag takes (gap not
 * counted), 0 for none. */
#define DEPLOY_ENV_SHORT_W	5
#define DEPLOY_ENV_MIN_REST	10
int	 deploy_env_fit(int w);

#endif
