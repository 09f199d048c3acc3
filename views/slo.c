/* slo.c: the SLO burn pane: per SLO its multiwindow burn rates, which
 * condition holds (page or ticket), the error budget left as a number and a
 * bar, the time until it is gone at the current 1h burn, the deploy
 * suspected of a page, and a sparkline of the 1h burn over the last day.
 * Most urgent first. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/model.h"
#include "core/numconv.h"
#include "core/sbuf.h"
#include "core/slomath.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "views/ui.h"
#include "views/columns.h"
#include "views/draw.h"
#include "views/view.h"

/*
 * Columns: symbol, name, objective, seven burn rates, budget, budget bar,
 * the time until the budget is gone, the suspect deploy (only while some
 * SLO has one) and a sparkline. What a width keeps, and the order in
 * which a narrow pane drops the rest, is views/columns.h's.
 */
#define COL_NAME	SLO_COL_NAME
#define BURN_W		SLO_BURN_W
#define BAR_W		SLO_BAR_W
#define TTE_W		SLO_TTE_W
#define SUSPECT_W	SLO_SUSPECT_W

static bool
any_suspect(const struct model *m)
{
	size_t	i;

	for (i = 0; i < m->nslos; i++) {
		if (m->slos[i].suspect != NULL)
			return (true);
	}
	return (false);
}

/* The widest name, measured once per change of the SLOs. */
static int
longest_name(const struct model *m)
{
	static const struct model	*seen;
	static uint64_t			 gen;
	static size_t			 count;
	static int			 longest;
	size_t				 i;
	int				 n;

	if (seen == m && gen == m->gen_slos && count == m->nslos)
		return (longest);
	seen = m;
	gen = m->gen_slos;
	count = m->nslos;
	longest = 0;
	for (i = 0; i < m->nslos; i++) {
		if ((n = draw_width(m->slos[i].name)) > longest)
			longest = n;
	}
	return (longest);
}

static void
slo_layout(const struct model *m, int w, struct slo_cols *c)
{
	slo_columns_fit(w, longest_name(m), any_suspect(m), c);
}

static size_t
slo_count(struct ui *app, struct pane *p)
{
	return (app->model->nslos);
}

static void
slo_summary(struct ui *app, struct pane *p, struct sbuf *sb)
{
	const struct model	*m = app->model;
	size_t			 i, page = 0, ticket = 0, pending = 0;

	for (i = 0; i < m->nslos; i++) {
		if (m->slos[i].alert == SLO_ALERT_PAGE)
			page++;
		else if (m->slos[i].alert == SLO_ALERT_TICKET)
			ticket++;
		if (m->slos[i].pending != SLO_ALERT_NONE)
			pending++;
	}
	sbuf_addf(sb, "%zu SLOs, %zu paging, %zu ticket", m->nslos, page,
	    ticket);
	if (pending > 0)	/* a generator's alert whose for: runs */
		sbuf_addf(sb, ", %zu pending", pending);
	/* The suspect deploy even when the rows have no room for it. */
	for (i = 0; i < m->nslos; i++) {
		if (m->slos[i].suspect != NULL) {
			sbuf_addf(sb, "  %s suspect deploy %s", draw_utf8() ?
			    "\xe2\x9a\x91" : "!", m->slos[i].suspect);
			break;
		}
	}
	/* Prometheus' warnings (partial data ...), named. */
	for (i = 0; i < m->nsources; i++) {
		const struct source_health *h = &m->sources[i];

		if (h->notes[FEED_SLOS].reason != NULL)
			sbuf_addf(sb, "  %s: %s", h->name,
			    h->notes[FEED_SLOS].reason);
	}
}

/* The window column k of s really shows (Pyrra's and Sloth's may not be
 * the header's), in seconds; 0 for none. */
static long
col_window(const struct slo *s, int k)
{
	size_t	j;

	for (j = 0; j < W__COUNT; j++) {
		if (s->col_seconds[j] != 0)
			return (s->col_seconds[k]);
	}
	return (slo_window_seconds[k]);
}

/* A window's name in at most len columns: "1h30m", else "1.5h". */
static void
window_label(char *buf, size_t size, long secs, size_t len)
{
	static const struct { long secs; char unit; } units[] = {
		{ 86400, 'd' }, { 3600, 'h' }, { 60, 'm' }
	};
	size_t	i;

	slo_window_format(buf, size, secs);
	if (strlen(buf) <= len)
		return;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (secs >= units[i].secs) {
			snprintf(buf, size, "%.1f%c", (double)secs /
			    units[i].secs, units[i].unit);
			if (strlen(buf) > len)
				snprintf(buf, size, "%.0f%c", (double)secs /
				    units[i].secs, units[i].unit);
			return;
		}
	}
}

/*
 * The burn columns are named by the windows of the selected SLO: Pyrra
 * scales its windows with the SLO's, Sloth's may be custom. A name marked
 * ~ says that some other row's window in that column differs (each row's
 * detail names its own).
 */
static void
slo_window_header(const struct model *m, const struct pane *p, int k,
    char *buf, size_t size)
{
	const struct slo	*sel = NULL;
	long			 secs;
	size_t			 i;
	bool			 differs = false;

	if (m->nslos > 0)
		sel = &m->slos[p->sel < m->nslos ? p->sel : 0];
	secs = sel != NULL ? col_window(sel, k) : slo_window_seconds[k];
	for (i = 0; i < m->nslos; i++) {
		if (col_window(&m->slos[i], k) != secs)
			differs = true;
	}
	if (secs <= 0) {
		snprintf(buf, size, differs ? "~" : "");
		return;
	}
	window_label(buf + (differs ? 1 : 0), size - 1, secs, differs ?
	    BURN_W - 2 : BURN_W - 1);
	if (differs)
		buf[0] = '~';
}

static void
slo_columns(struct ui *app, struct pane *p, int y, int x, int w)
{
	struct slo_cols	c;
	char		buf[32];
	int		i;

	slo_layout(app->model, w, &c);
	draw_fill(y, x, w, DRAW_COLUMNS);
	draw_text(y, x + COL_NAME, c.name_w, DRAW_COLUMNS, "SLO");
	if (c.obj >= 0)
		draw_text_right(y, x + c.obj, 6, DRAW_COLUMNS, "OBJ");
	for (i = 0; i < W__COUNT; i++) {
		if (c.win[i] < 0)
			continue;
		slo_window_header(app->model, p, i, buf, sizeof buf);
		draw_text_right(y, x + c.win[i], BURN_W - 1, DRAW_COLUMNS,
		    buf);
	}
	draw_text_right(y, x + c.budget, 7, DRAW_COLUMNS, "BUDGET");
	if (c.tte >= 0)
		draw_text(y, x + c.tte, TTE_W - 1, DRAW_COLUMNS, "EMPTY IN");
	if (c.suspect >= 0)
		draw_text(y, x + c.suspect, SUSPECT_W - 1, DRAW_COLUMNS,
		    "SUSPECT DEPLOY");
	if (c.spark >= 0)
		draw_text(y, x + c.spark, w - c.spark, DRAW_COLUMNS,
		    "1h BURN, LAST 24h");
}

/* How alarming is a burn in this window for this SLO: the style of the
 * strictest condition whose threshold it crosses. */
static int
burn_style(const struct slo *s, int w)
{
	size_t	i;
	int	style = DRAW_NORMAL;

	if (isnan(s->burn[w]))
		return (DRAW_DIM);
	for (i = 0; i < s->nconds; i++) {
		const struct slo_cond *c = &s->conds[i];

		if ((c->long_col != w && c->short_col != w) ||
		    s->burn[w] <= c->factor)
			continue;
		if (c->level == SLO_ALERT_PAGE)
			return (DRAW_CRIT);
		style = DRAW_WARN;
	}
	return (style);
}

static void
format_burn(char *buf, size_t len, double b)
{
	if (isnan(b))
		snprintf(buf, len, "%s", draw_utf8() ? "\xe2\x80\x94" : "-");
	else if (b >= 100)
		snprintf(buf, len, "%.0f", b);
	else if (b >= 10)
		snprintf(buf, len, "%.1f", b);
	else
		snprintf(buf, len, "%.2f", b);
}

static double
spark_max(const struct slo *s)
{
	double	max = 1.0;
	size_t	i;

	for (i = 0; i < s->nspark; i++) {
		if (!isnan(s->spark[i]) && s->spark[i] > max)
			max = s->spark[i];
	}
	return (max);
}

/* How long the budget lasts at the 1h burn, red under a day. */
static void
slo_draw_tte(const struct slo *s, int y, int x, bool sel)
{
	char	buf[32];
	double	tte;

	tte = slo_tte(s);
	if (isnan(tte))
		snprintf(buf, sizeof buf, "?");
	else if (isinf(tte) || tte > 365.0 * 86400)
		snprintf(buf, sizeof buf, "never");
	else
		duration_format(buf, sizeof buf, (int64_t)tte);
	draw_text_sel(y, x, TTE_W - 1, tte < 86400 ? DRAW_CRIT : DRAW_NORMAL,
	    sel, buf);
}

static void
slo_draw_suspect(const struct slo *s, int y, int x, bool sel)
{
	draw_text_sel(y, x, 2, DRAW_SUSPECT, sel, draw_utf8() ?
	    "\xe2\x9a\x91 " : "! ");
	draw_text_sel(y, x + 2, SUSPECT_W - 3, DRAW_SUSPECT, sel, s->suspect);
}

static void
slo_draw_row(struct ui *app, struct pane *p, size_t i, int y, int x, int w,
    bool sel)
{
	const struct slo	*s = &app->model->slos[i];
	const char		*tag;
	struct slo_cols		 c;
	char			 buf[64];
	int			 k, style;

	slo_layout(app->model, w, &c);
	if (sel)
		draw_fill(y, x, w, DRAW_SELECTED);
	if (s->alert == SLO_ALERT_PAGE)
		draw_text_sel(y, x, 2, DRAW_CRIT, sel,
		    draw_severity_symbol(SEV_CRITICAL));
	else if (s->alert == SLO_ALERT_TICKET)
		draw_text_sel(y, x, 2, DRAW_WARN, sel,
		    draw_severity_symbol(SEV_WARNING));
	else if (s->pending != SLO_ALERT_NONE)	/* a rule's for: runs */
		draw_text_sel(y, x, 2, DRAW_DIM, sel, draw_severity_symbol(
		    s->pending == SLO_ALERT_PAGE ? SEV_CRITICAL : SEV_WARNING));
	if ((tag = model_env_tag(app->model, s->environment)) != NULL &&
	    c.name_w > ENV_TAG_W + 8) {	/* several environments: whose */
		k = draw_text_sel(y, x + COL_NAME, ENV_TAG_W, DRAW_DIM, sel,
		    tag) + 1;
		draw_text_sel(y, x + COL_NAME + k, c.name_w - k, DRAW_NORMAL,
		    sel, s->name);
	} else
		draw_text_sel(y, x + COL_NAME, c.name_w, DRAW_NORMAL, sel,
		    s->name);
	snprintf(buf, sizeof buf, "%g%%", s->objective);
	if (c.obj >= 0)
		draw_text_sel(y, x + c.obj, 6, DRAW_NORMAL, sel, buf);
	if (isnan(s->burn[W_5M]) && isnan(s->burn[W_1H]) &&
	    isnan(s->burn[W_3D])) {
		snprintf(buf, sizeof buf, "no data (%s)", s->nodata != NULL ?
		    s->nodata : "no traffic in any window");
		draw_text_sel(y, x + c.win[0], w - c.win[0], DRAW_DIM, sel,
		    buf);
		return;
	}
	for (k = 0; k < W__COUNT; k++) {
		if (c.win[k] < 0)
			continue;
		format_burn(buf, sizeof buf, s->burn[k]);
		style = burn_style(s, k);
		draw_text_right(y, x + c.win[k], BURN_W - 1,
		    sel ? DRAW_SELECTED : style, buf);
	}
	if (isnan(s->budget_remaining))
		snprintf(buf, sizeof buf, "?");
	else
		snprintf(buf, sizeof buf, "%.1f%%", s->budget_remaining * 100);
	style = s->budget_remaining < 0 ? DRAW_CRIT :
	    s->budget_remaining < 0.25 ? DRAW_WARN : DRAW_NORMAL;
	draw_text_right(y, x + c.budget, 7, sel ? DRAW_SELECTED : style,
	    buf);
	if (c.bar >= 0)
		draw_bar(y, x + c.bar, BAR_W, s->budget_remaining,
		    style == DRAW_NORMAL ? DRAW_OK : style);
	if (c.tte >= 0)
		slo_draw_tte(s, y, x + c.tte, sel);
	if (c.suspect >= 0 && s->suspect != NULL)
		slo_draw_suspect(s, y, x + c.suspect, sel);
	if (c.spark >= 0 && s->nspark > 0)
		draw_spark(y, x + c.spark, w - c.spark - 1, s->spark,
		    s->nspark, spark_max(s), s->alert == SLO_ALERT_PAGE ?
		    DRAW_CRIT : DRAW_INFO);
}

static char *
slo_row_key(struct ui *app, struct pane *pane, size_t i)
{
	const struct slo	*s = &app->model->slos[i];

	return (xasprintf("%s/%s", s->source, s->name));
}

static size_t
slo_find_row(struct ui *app, struct pane *pane, const char *key)
{
	size_t	i;

	for (i = 0; i < app->model->nslos; i++) {
		if (pane_key_is(key, app->model->slos[i].source,
		    app->model->slos[i].name))
			return (i);
	}
	return ((size_t)-1);
}

static const char *
slo_row_service(struct ui *app, struct pane *pane, size_t i)
{
	return (app->model->slos[i].service);
}

static void
slo_row_env(struct ui *app, struct pane *pane, size_t i, struct kvlist *env,
    char **target)
{
	const struct slo	*s = &app->model->slos[i];

	kvlist_add(env, "SITREP_SLO", s->name);
	if (s->service != NULL) {
		kvlist_add(env, "SITREP_SERVICE", s->service);
		*target = xstrdup(s->service);
	}
}

static const char *
verdict_source(const struct slo *s)
{
	switch (s->verdict) {
	case SLO_VERDICT_RULES:
		return ("the generator's alerting rules");
	case SLO_VERDICT_EVALUATED:
		return ("the generator's conditions, evaluated by sitrep");
	case SLO_VERDICT_WORKBOOK:
		break;
	}
	return ("the workbook's conditions, scaled to the window");
}

/* "page", "none (page pending)" */
static void
detail_alert(struct detail *d, const struct slo *s)
{
	const char	*a = slo_alert_name(s->alert);

	if (s->pending != SLO_ALERT_NONE)
		detail_add(d, s->alert == SLO_ALERT_NONE ? DRAW_NORMAL :
		    DRAW_CRIT, "alert: %s, %s pending (from %s)",
		    a != NULL ? a : "none", slo_alert_name(s->pending),
		    verdict_source(s));
	else
		detail_add(d, s->alert == SLO_ALERT_PAGE ? DRAW_CRIT :
		    s->alert == SLO_ALERT_TICKET ? DRAW_WARN : DRAW_NORMAL,
		    "alert: %s (from %s)", a != NULL ? a : "none",
		    verdict_source(s));
}

/* What one condition says now: holds, pending its for:, or not. */
static const char *
cond_now(const struct slo *s, const struct slo_cond *c, char *buf,
    size_t size)
{
	char	f[32];

	if (c->long_col < 0 || c->short_col < 0)
		return ("a window is not recorded");
	if (!c->holds)
		return ("does not hold");
	if (c->for_s <= 0 || s->verdict == SLO_VERDICT_RULES)
		return ("holds");
	slo_window_format(f, sizeof f, c->for_s);
	if (c->min_long > c->factor && c->min_short > c->factor)
		snprintf(buf, size, "holds, and has for %s", f);
	else if (isnan(c->min_long) || isnan(c->min_short))
		snprintf(buf, size, "holds; for %s not known: pending", f);
	else
		snprintf(buf, size, "holds, not yet for %s: pending", f);
	return (buf);
}

static void
detail_conds(struct detail *d, const struct slo *s)
{
	const struct slo_cond	*c;
	char			 ln[32], sn[32], f[48], now[64], wb[32];
	size_t			 k;

	switch (s->verdict) {
	case SLO_VERDICT_WORKBOOK:
		duration_format(wb, sizeof wb, s->window_seconds);
		detail_heading(d, "conditions (Google SRE workbook, thresholds "
		    "x window / 30d)");
		detail_add(d, DRAW_DIM, "  scaled to %s: the same share of the "
		    "budget per long window", wb);
		break;
	default:
		detail_heading(d, "conditions (the generator's own)");
		break;
	}
	if (s->verdict_note != NULL)
		detail_add(d, DRAW_DIM, "  %s", s->verdict_note);
	if (s->nconds == 0)
		detail_add(d, DRAW_DIM, "  none known");
	for (k = 0; k < s->nconds; k++) {
		c = &s->conds[k];
		slo_window_format(ln, sizeof ln, c->long_s);
		slo_window_format(sn, sizeof sn, c->short_s);
		f[0] = '\0';
		if (c->for_s > 0) {
			slo_window_format(wb, sizeof wb, c->for_s);
			snprintf(f, sizeof f, ", for %s", wb);
		}
		detail_add(d, c->holds ? (c->level == SLO_ALERT_PAGE ?
		    DRAW_CRIT : DRAW_WARN) : DRAW_NORMAL,
		    "  %-6s when %s and %s both > %.4g%s: %s",
		    slo_alert_name(c->level), ln, sn, c->factor, f,
		    cond_now(s, c, now, sizeof now));
	}
}

static void
slo_detail(struct ui *app, struct pane *pane, size_t i, struct detail *d)
{
	const struct slo	*s = &app->model->slos[i];
	char			 buf[32], wn[32];
	double			 budget = 1.0 - s->objective / 100.0, tte;
	size_t			 k;
	int			 tc, nw = 4;

	d->title = xasprintf("SLO %s", s->name);
	detail_kv(d, "service", s->service);
	detail_add(d, DRAW_NORMAL, "objective: %g%% over %s (error budget "
	    "%.4g%% of requests)", s->objective, (duration_format(buf,
	    sizeof buf, s->window_seconds), buf), budget * 100);
	detail_alert(d, s);
	detail_kv(d, "condition", s->condition != NULL ? s->condition :
	    "none");
	if (s->suspect != NULL && s->suspect_at != 0) {
		duration_format(buf, sizeof buf, time_wall() - s->suspect_at);
		detail_add(d, DRAW_SUSPECT, "suspect deploy: %s (deployed %s "
		    "ago)", s->suspect, buf);
	} else if (s->suspect != NULL)
		detail_add(d, DRAW_SUSPECT, "suspect deploy: %s", s->suspect);
	detail_heading(d, "burn rate = error ratio / error budget, per window");
	if (s->nodata != NULL)
		detail_add(d, DRAW_DIM, "  no data: %s", s->nodata);
	for (k = 0; k < W__COUNT; k++) {	/* the names' width */
		slo_window_format(wn, sizeof wn, col_window(s, (int)k));
		if ((int)strlen(wn) > nw)
			nw = (int)strlen(wn);
	}
	for (k = 0; k < W__COUNT; k++) {
		if (col_window(s, (int)k) <= 0)
			continue;
		slo_window_format(wn, sizeof wn, col_window(s, (int)k));
		if (isnan(s->error_ratio[k]))
			detail_add(d, DRAW_DIM, "  %-*s no data", nw, wn);
		else
			detail_add(d, DRAW_NORMAL, "  %-*s %.6f / %.6f = %.2f",
			    nw, wn, s->error_ratio[k], budget, s->burn[k]);
	}
	detail_conds(d, s);
	detail_heading(d, "budget");
	if (isnan(s->budget_remaining))
		detail_add(d, DRAW_DIM, "  remaining: unknown");
	else {
		detail_add(d, DRAW_NORMAL, "  remaining: %.2f%% (1 - mean burn "
		    "over the window)", s->budget_remaining * 100);
		tte = slo_tte(s);
		tc = slo_tte_col(s);
		if (tc >= 0)
			slo_window_format(wn, sizeof wn, col_window(s, tc));
		if (tc >= 0 && isinf(tte))
			detail_add(d, DRAW_NORMAL, "  gone in: never at this "
			    "burn (%s burn %.2f, below 1: over a rolling window "
			    "the budget is earned back faster than spent)", wn,
			    s->burn[tc]);
		else if (tc >= 0 && !isnan(tte)) {
			/* remaining x window / a tiny burn can be 1e300 */
			duration_format(buf, sizeof buf,
			    num_double_clamp_i64(tte, 0, INT64_MAX));
			detail_add(d, DRAW_NORMAL, "  gone in: %s (remaining x "
			    "window / %s burn, the window closest to an hour)",
			    buf, wn);
		}
	}
	detail_heading(d, "query");
	detail_add(d, DRAW_NORMAL, "  %s", s->query != NULL ? s->query : "-");
}

static uint64_t
slo_generation(struct ui *app, struct pane *pane)
{
	return (app->model->gen_slos);
}

const struct view_ops slo_view = {
	.name = "slo",
	.title = "SLO burn",
	.feed = FEED_SLOS,
	.count = slo_count,
	.summary = slo_summary,
	.columns = slo_columns,
	.draw_row = slo_draw_row,
	.row_key = slo_row_key,
	.find_row = slo_find_row,
	.row_service = slo_row_service,
	.row_env = slo_row_env,
	.detail = slo_detail,
	.generation = slo_generation,
};
