/* columns.c: the panes' drop orders (see columns.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "views/columns.h"

/* --- SLO burn ---------------------------------------------------------- */

/* The optional parts, the first dropped first. */
enum slo_opt {
	OPT_SPARK, OPT_SUSPECT, OPT_BAR, OPT_3D, OPT_1D, OPT_2H, OPT_OBJ,
	OPT_6H, OPT_30M, OPT__COUNT
};

static int
slo_opt_width(enum slo_opt o)
{
	switch (o) {
	case OPT_SPARK:
		return (SLO_SPARK_MIN);
	case OPT_SUSPECT:
		return (SLO_SUSPECT_W);
	case OPT_BAR:
		return (SLO_BAR_W + 1);
	case OPT_OBJ:
		return (SLO_OBJ_W);
	default:
		return (SLO_BURN_W);
	}
}

void
slo_columns_fit(int w, int name_len, bool suspects, struct slo_cols *c)
{
	static const int win_opt[W__COUNT] = {
		-1, OPT_30M, -1, OPT_2H, OPT_6H, OPT_1D, OPT_3D
	};
	bool	keep[OPT__COUNT];
	int	name_w, total, i, at;

	name_w = name_len < 3 ? 3 : name_len;
	if (name_w > SLO_NAME_MAX)
		name_w = SLO_NAME_MAX;
	total = SLO_COL_NAME + name_w + 1 + 2 * SLO_BURN_W + SLO_BUDGET_W +
	    SLO_TTE_W;
	for (i = 0; i < OPT__COUNT; i++) {
		keep[i] = i != OPT_SUSPECT || suspects;
		if (keep[i])
			total += slo_opt_width(i);
	}
	for (i = 0; i < OPT__COUNT && total > w; i++) {
		if (!keep[i])
			continue;
		keep[i] = false;
		total -= slo_opt_width(i);
	}
	/* What a later drop made room for comes back (the sparkline once
	 * the suspect column is gone), the most valued first. */
	for (i = OPT__COUNT - 1; i >= 0; i--) {
		if (keep[i] || (i == OPT_SUSPECT && !suspects) ||
		    total + slo_opt_width(i) > w)
			continue;
		keep[i] = true;
		total += slo_opt_width(i);
	}
	if (total > w) {
		name_w -= total - w;
		if (name_w < SLO_NAME_MIN)
			name_w = SLO_NAME_MIN;
	}

	c->name_w = name_w;
	at = SLO_COL_NAME + name_w + 1;
	c->obj = -1;
	if (keep[OPT_OBJ]) {
		c->obj = at;
		at += SLO_OBJ_W;
	}
	for (i = 0; i < W__COUNT; i++) {
		c->win[i] = -1;
		if (win_opt[i] >= 0 && !keep[win_opt[i]])
			continue;
		c->win[i] = at;
		at += SLO_BURN_W;
	}
	c->budget = at;
	at += SLO_BUDGET_W;
	c->bar = c->suspect = c->spark = -1;
	if (keep[OPT_BAR]) {
		c->bar = at;
		at += SLO_BAR_W + 1;
	}
	c->tte = at;
	at += SLO_TTE_W;
	if (keep[OPT_SUSPECT]) {
		c->suspect = at;
		at += SLO_SUSPECT_W;
	}
	if (keep[OPT_SPARK] && w - at >= SLO_SPARK_MIN)
		c->spark = at;
}

/* --- Deploys ------------------------------------------------------------ */

void
deploy_lead_text(char *buf, size_t len, const char *dur,
    enum deploy_lead_form f)
{
	switch (f) {
	case LEAD_FULL:
		snprintf(buf, len, "%s before first alert", dur);
		break;
	case LEAD_MEDIUM:
		snprintf(buf, len, "%s before alert", dur);
		break;
	case LEAD_SHORT:
		snprintf(buf, len, "alert +%s", dur);
		break;
	}
}

static int
lead_width(const char *dur, enum deploy_lead_form f)
{
	char	buf[64];

	deploy_lead_text(buf, sizeof buf, dur, f);
	return ((int)strlen(buf));
}

void
deploy_columns_fit(int w, int service_col, int service_len, const char *dur,
    bool has_author, struct deploy_cols *c)
{
	/* The tries, most complete first: service column (0: the column,
	 * 1: the row's service alone), version, author, the lead's form. */
	static const struct {
		int			own, version, author;
		enum deploy_lead_form	form;
	} tries[] = {
		{ 0, 1, 1, LEAD_FULL }, { 0, 1, 0, LEAD_FULL },
		{ 0, 1, 0, LEAD_MEDIUM }, { 0, 0, 0, LEAD_MEDIUM },
		{ 1, 0, 0, LEAD_MEDIUM }, { 1, 0, 0, LEAD_SHORT },
	};
	int	at = DEPLOY_MARK_W + DEPLOY_AGE_W, avail = w - at;
	int	svc, col, need;
	size_t	i;

	c->version = c->author = c->lead = -1;
	c->form = LEAD_SHORT;
	col = service_col < DEPLOY_SERVICE_W ? service_col : DEPLOY_SERVICE_W;
	if (col < 1)
		col = 1;
	svc = service_len < col ? service_len : col;
	if (dur == NULL) {
		/* No lead: the author goes first, then the version is cut,
		 * then the service. */
		c->service_w = avail < col ? avail : col;
		if (avail - (col + 1) > 4)
			c->version = at + col + 1;
		if (has_author && avail - (col + 1 + DEPLOY_VERSION_W + 1) > 4)
			c->author = at + col + 1 + DEPLOY_VERSION_W + 1;
		return;
	}
	for (i = 0; i < sizeof tries / sizeof tries[0]; i++) {
		if (tries[i].author && !has_author)
			continue;
		c->service_w = tries[i].own ? svc : col;
		need = c->service_w + 1 + lead_width(dur, tries[i].form);
		if (tries[i].version)
			need += DEPLOY_VERSION_W + 1;
		if (tries[i].author)
			need += DEPLOY_AUTHOR_W + 1;
		if (need > avail)
			continue;
		c->form = tries[i].form;
		at += c->service_w + 1;
		if (tries[i].version) {
			c->version = at;
			at += DEPLOY_VERSION_W + 1;
		}
		if (tries[i].author) {
			c->author = at;
			at += DEPLOY_AUTHOR_W + 1;
		}
		c->lead = at;
		return;
	}
	/* The short lead whole; the service cut to what is left. */
	c->form = LEAD_SHORT;
	c->service_w = avail - 1 - lead_width(dur, LEAD_SHORT);
	if (c->service_w < 1)
		c->service_w = 1;
	c->lead = at + c->service_w + 1;
}

int
deploy_env_fit(int w)
{
	int	avail = w - DEPLOY_MARK_W - DEPLOY_AGE_W;

	if (avail > ENV_TAG_W + 24)
		return (ENV_TAG_W);
	if (avail >= DEPLOY_ENV_SHORT_W + 1 + DEPLOY_ENV_MIN_REST)
		return (DEPLOY_ENV_SHORT_W);
	return (0);
}
