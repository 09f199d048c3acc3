/* slo.c: the SLO burn pane: per SLO its multiwindow burn rates, which
 * condition holds (page or ticket), the error budget left as a number and a
 * bar, the time until it is gone at the current 1h burn, the deploy
 * suspected of a page, and a sparkline of the 1h burn over the last day.
 * Most urgent first. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/budget.h"
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

/* --- order and filter ------------------------------------------------------
 *
 * The pane shows the model's SLOs (most urgent first) in an order the user
 * picks (sort-slos: urgency, burn, budget, empty, name) and only those a
 * filter lets through (filter-slos: words that must all match; NAME=VALUE
 * a label, service=... or name=...; other words any part of the name,
 * service, source or a label's value). Rows map to model indexes through
 * rows[], rebuilt when the SLOs, the order or the filter change. */
enum slo_order {
	ORDER_URGENCY,
	ORDER_BURN,
	ORDER_BUDGET,
	ORDER_EMPTY,
	ORDER_NAME,
	ORDER__COUNT
};
static const char *const order_names[ORDER__COUNT] = {
	"urgency", "burn", "budget", "empty", "name"
};

/* The burndown's periods in the SLO detail; 0 stands for the SLO window. */
static const long burn_periods[] = { 0, 86400, 7 * 86400, 30 * 86400 };
#define NPERIODS	(sizeof burn_periods / sizeof burn_periods[0])

struct slo_state {
	size_t			 period;	/* burn_periods[] index */
	bool			 detail_live;	/* an SLO detail is open */
	uint64_t		 detail_gen;	/* the SLOs it was built on */
	enum slo_order		 order;
	char			*filter;	/* NULL: every SLO */
	size_t			*rows;		/* model indexes shown */
	size_t			 n;
	const struct model	*m;
	uint64_t		 gen;
	bool			 valid;
};

static void	slo_detail_follow(struct ui *);
static void	cmd_period(struct ui *, struct pane *, const char *);
static void	slo_detail(struct ui *, struct pane *, size_t,
		    struct detail *);

struct slo_sortkey {
	size_t		 i;
	double		 k;		/* NAN sorts last */
	const char	*name;
};

static struct slo_state *
slo_st(struct ui *app)
{
	return (ui_pane(app, &slo_view)->state);
}

static bool
word_matches(const struct slo *s, const char *w, size_t len)
{
	const char	*eq = memchr(w, '=', len);
	const char	*fields[] = { s->name, s->service, s->source };
	char		*key, *val;
	size_t		 i;
	bool		 hit = false;

	if (eq != NULL && eq > w) {
		key = xstrndup(w, (size_t)(eq - w));
		val = xstrndup(eq + 1, len - (size_t)(eq - w) - 1);
		if (strcasecmp(key, "service") == 0)
			hit = s->service != NULL && strcasecmp(s->service,
			    val) == 0;
		else if (strcasecmp(key, "name") == 0)
			hit = s->name != NULL && strcasecmp(s->name, val) == 0;
		for (i = 0; !hit && i < s->labels.n; i++)
			hit = strcasecmp(s->labels.v[i].key, key) == 0 &&
			    strcasecmp(s->labels.v[i].value, val) == 0;
		free(key);
		free(val);
		return (hit);
	}
	val = xstrndup(w, len);
	for (i = 0; !hit && i < sizeof fields / sizeof fields[0]; i++)
		hit = fields[i] != NULL && strcasestr(fields[i], val) != NULL;
	for (i = 0; !hit && i < s->labels.n; i++)
		hit = strcasestr(s->labels.v[i].value, val) != NULL;
	free(val);
	return (hit);
}

static bool
slo_matches(const struct slo *s, const char *filter)
{
	const char	*p = filter;
	size_t		 len;

	for (;;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			return (true);
		len = strcspn(p, " \t");
		if (!word_matches(s, p, len))
			return (false);
		p += len;
	}
}

static double
order_key(const struct slo *s, enum slo_order o)
{
	int	col;

	switch (o) {
	case ORDER_BURN:	/* highest burn first */
		col = slo_tte_col(s);
		return (col >= 0 && !isnan(s->burn[col]) ? -s->burn[col] :
		    NAN);
	case ORDER_BUDGET:	/* least left first */
		return (s->budget_remaining);
	case ORDER_EMPTY:	/* soonest empty first */
		return (slo_tte(s));
	default:
		return (0);
	}
}

static int
sortkey_cmp(const void *a, const void *b)
{
	const struct slo_sortkey	*x = a, *y = b;
	int				 c;

	if (isnan(x->k) != isnan(y->k))
		return (isnan(x->k) ? 1 : -1);
	if (!isnan(x->k) && x->k != y->k)
		return (x->k < y->k ? -1 : 1);
	if (x->name != NULL && y->name != NULL &&	/* ORDER_NAME */
	    (c = strcmp(x->name, y->name)) != 0)
		return (c);
	return (x->i < y->i ? -1 : x->i > y->i);
}

static void
rows_build(struct ui *app)
{
	const struct model	*m = app->model;
	struct slo_state	*st = slo_st(app);
	struct slo_sortkey	*v;
	size_t			 i, n = 0;

	if (st->valid && st->m == m && st->gen == m->gen_slos)
		return;
	st->m = m;
	st->gen = m->gen_slos;
	st->valid = true;
	v = xcalloc(m->nslos + 1, sizeof *v);
	for (i = 0; i < m->nslos; i++) {
		const struct slo *s = &m->slos[i];

		if (st->filter != NULL && !slo_matches(s, st->filter))
			continue;
		v[n].i = i;
		v[n].k = order_key(s, st->order);
		v[n].name = st->order == ORDER_NAME ? s->name : NULL;
		n++;
	}
	if (st->order != ORDER_URGENCY)
		qsort(v, n, sizeof *v, sortkey_cmp);
	st->rows = xreallocarray(st->rows, n + 1, sizeof *st->rows);
	for (i = 0; i < n; i++)
		st->rows[i] = v[i].i;
	st->n = n;
	free(v);
}

/* The SLO on row i of the pane. */
static struct slo *
slo_row(struct ui *app, size_t i)
{
	struct slo_state	*st = slo_st(app);

	rows_build(app);
	return (&app->model->slos[i < st->n ? st->rows[i] : 0]);
}

static size_t
slo_count(struct ui *app, struct pane *p)
{
	rows_build(app);
	return (slo_st(app)->n);
}

/* The order and the filter, after the pane's counts. */
static void
slo_summary_view(struct ui *app, struct sbuf *sb)
{
	struct slo_state	*st = slo_st(app);

	if (st->order != ORDER_URGENCY)
		sbuf_addf(sb, "  by %s", order_names[st->order]);
	if (st->filter != NULL)
		sbuf_addf(sb, "  %zu shown: filter \"%s\"",
		    slo_count(app, NULL), st->filter);
}

/* The selection stays on its SLO when the rows change under it. */
static void
slo_rows_changed(struct ui *app)
{
	struct pane	*p = ui_pane(app, &slo_view);

	slo_st(app)->valid = false;
	pane_sync(app, p);
	if (slo_count(app, p) > 0)
		pane_select(app, p, p->sel);
	ui_dirty(app);
}

static void
cmd_sort(struct ui *app, struct pane *pane, const char *args)
{
	struct slo_state	*st = slo_st(app);
	int			 o;

	if (args == NULL || *args == '\0')
		st->order = (st->order + 1) % ORDER__COUNT;
	else {
		for (o = 0; o < ORDER__COUNT; o++) {
			if (strcmp(args, order_names[o]) == 0)
				break;
		}
		if (o == ORDER__COUNT) {
			ui_message(app, true, "sort-slos: \"%s\" is not urgency, "
			    "burn, budget, empty or name", args);
			return;
		}
		st->order = o;
	}
	ui_message(app, false, "SLOs by %s", order_names[st->order]);
	/* A new order is read from its top. */
	st->valid = false;
	pane_select(app, ui_pane(app, &slo_view), 0);
	ui_pane(app, &slo_view)->top = 0;
	ui_dirty(app);
}

static void
filter_answer(struct ui *app, const char *text, void *arg)
{
	struct slo_state	*st = slo_st(app);

	if (text == NULL)
		return;
	free(st->filter);
	st->filter = text[strspn(text, " \t")] != '\0' ? xstrdup(text) :
	    NULL;
	slo_rows_changed(app);
}

static void
cmd_filter(struct ui *app, struct pane *pane, const char *args)
{
	struct slo_state	*st = slo_st(app);

	if (args != NULL) {
		filter_answer(app, args, NULL);
		return;
	}
	ui_prompt(app, "filter SLOs (name, service, team=...; empty: all): ",
	    st->filter != NULL ? st->filter : "", filter_answer, NULL);
}

static const struct command slo_commands[] = {
	{ "sort-slos", "[urgency|burn|budget|empty|name]", "order the SLO pane "
	  "by urgency, 1h burn, budget left, EMPTY IN or name (no argument: "
	  "the next)", cmd_sort },
	{ "burndown-period", "[24h|7d|30d|window]", "draw the SLO detail's "
	  "budget burndown over the next period: the SLO window, 24h, 7d, 30d",
	  cmd_period },
	{ "filter-slos", "[TEXT]", "show only SLOs matching every word: part "
	  "of a name, service or label value, or NAME=VALUE for a label "
	  "(team=payments), service= or name= (empty: all)", cmd_filter },
	{ NULL, NULL, NULL, NULL }
};

static void
slo_init(struct ui *app, struct pane *p)
{
	p->state = xcalloc(1, sizeof (struct slo_state));
}

static void
slo_free_state(struct ui *app, struct pane *p)
{
	struct slo_state	*st = p->state;

	if (st == NULL)
		return;
	free(st->filter);
	free(st->rows);
	free(st);
	p->state = NULL;
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
	slo_detail_follow(app);
	/* Prometheus' warnings (partial data ...), named. */
	for (i = 0; i < m->nsources; i++) {
		const struct source_health *h = &m->sources[i];

		if (h->notes[FEED_SLOS].reason != NULL)
			sbuf_addf(sb, "  %s: %s", h->name,
			    h->notes[FEED_SLOS].reason);
	}
	slo_summary_view(app, sb);
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
slo_window_header(struct ui *app, const struct pane *p, int k,
    char *buf, size_t size)
{
	const struct model	*m = app->model;
	const struct slo	*sel = NULL;
	long			 secs;
	size_t			 i;
	bool			 differs = false;

	if (slo_count(app, NULL) > 0)
		sel = slo_row(app, p->sel);
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
		slo_window_header(app, p, i, buf, sizeof buf);
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
	const struct slo	*s = slo_row(app, i);
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
	const struct slo	*s = slo_row(app, i);

	return (xasprintf("%s/%s", s->source, s->name));
}

static size_t
slo_find_row(struct ui *app, struct pane *pane, const char *key)
{
	size_t	i, n = slo_count(app, pane);

	for (i = 0; i < n; i++) {
		const struct slo *s = slo_row(app, i);

		if (pane_key_is(key, s->source, s->name))
			return (i);
	}
	return ((size_t)-1);
}

static const char *
slo_row_service(struct ui *app, struct pane *pane, size_t i)
{
	return (slo_row(app, i)->service);
}

static void
slo_row_env(struct ui *app, struct pane *pane, size_t i, struct kvlist *env,
    char **target)
{
	const struct slo	*s = slo_row(app, i);

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

/* --- the burndown in the detail -------------------------------------------- */

#define BD_W	60	/* columns of the chart: fits 80 with its labels */
#define BD_H	6

static long
burn_period_s(const struct slo_state *st, const struct slo *s)
{
	long	p = burn_periods[st->period % NPERIODS];

	return (p > 0 ? p : s->window_seconds);
}

/* The budget left nearest to t, or NAN. */
static double
history_budget_at(const struct slo_history *h, double t)
{
	double	pos;

	if (h == NULL || h->budget == NULL || !(h->bstep > 0))
		return (NAN);
	pos = (t - h->bstart) / h->bstep;
	if (!(pos > -0.5 && pos < (double)h->nbudget - 0.5))
		return (NAN);
	return (h->budget[(size_t)(pos + 0.5)]);
}

static void
chart_cell(struct sbuf *sb, double fill)
{
	static const char *const eighths[] = { " ", "\xe2\x96\x81",
	    "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	    "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87",
	    "\xe2\x96\x88" };
	int	k;

	if (isnan(fill) || fill <= 0) {
		sbuf_adds(sb, " ");
		return;
	}
	k = fill >= 1 ? 8 : (int)lround(fill * 8);
	if (draw_utf8())
		sbuf_adds(sb, eighths[k]);
	else
		sbuf_adds(sb, k >= 8 ? "#" : k >= 4 ? "+" : k >= 1 ? "." : " ");
}

/* The chart: BD_H rows of block characters, the budget left from 100% at
 * the top to 0% (or the lowest overspent value) at the bottom. */
static void
burndown_chart(struct detail *d, const struct slo_history *h, double from,
    double period)
{
	double		v[BD_W], ymin = 0, level;
	struct sbuf	sb;
	int		c, r;

	for (c = 0; c < BD_W; c++) {
		v[c] = history_budget_at(h, from + period * (c + 1) / BD_W);
		if (!isnan(v[c]) && v[c] < ymin)
			ymin = v[c] < -10 ? -10 : v[c];
	}
	for (r = 0; r < BD_H; r++) {
		sbuf_init(&sb);
		if (r == 0)
			sbuf_adds(&sb, "  100% |");
		else if (r == BD_H - 1)
			sbuf_addf(&sb, " %4.0f%% |", ymin * 100);
		else
			sbuf_adds(&sb, "       |");
		for (c = 0; c < BD_W; c++) {
			level = isnan(v[c]) ? NAN : (v[c] - ymin) / (1 - ymin) *
			    BD_H;
			chart_cell(&sb, level - (BD_H - 1 - r));
		}
		detail_add(d, DRAW_NORMAL, "%s", sb.s);
		sbuf_free(&sb);
	}
}

/* Under the chart: a row of markers (D deploy, I incident) and one of the
 * episodes (= where the 1h burn stayed above 1). */
static void
burndown_marks(struct detail *d, const struct bud_slo *b,
    const struct bud_event *ev, size_t nev, double from, double period)
{
	char	marks[BD_W + 1], eps[BD_W + 1];
	size_t	i;
	int	c, c0, c1;

	memset(marks, ' ', BD_W);
	memset(eps, ' ', BD_W);
	marks[BD_W] = eps[BD_W] = '\0';
	for (i = 0; i < nev; i++) {
		c = (int)((ev[i].start - from) / period * BD_W);
		/* One column, several marks: the deploy's D wins (a change
		 * is the likelier cause; the list below has them all). */
		if (c >= 0 && c < BD_W && marks[c] != 'D')
			marks[c] = ev[i].kind == BUD_DEPLOY ? 'D' : 'I';
	}
	for (i = 0; i < b->nep; i++) {
		c0 = (int)((b->ep[i].start - from) / period * BD_W);
		c1 = (int)((b->ep[i].end - from) / period * BD_W);
		for (c = c0 < 0 ? 0 : c0; c <= c1 && c < BD_W; c++)
			eps[c] = '=';
	}
	detail_add(d, DRAW_NORMAL, " marks |%s", marks);
	detail_add(d, DRAW_NORMAL, " burns |%s", eps);
}

/* Do two environments differ (NULL: none said, differs from none)? */
static bool
env_differs(const char *a, const char *b)
{
	return (a != NULL && b != NULL && strcmp(a, b) != 0);
}

/* The deploys and incidents of the SLO's service (alerts the sources
 * hold) inside the period, in its environment: with all environments
 * shown, another's deploy of the same service explains nothing here. */
static size_t
burndown_events(const struct model *m, const struct slo *s, double from,
    double to, struct bud_event **out)
{
	struct bud_event	*v;
	size_t			 i, n = 0;

	v = xcalloc(m->ndeploys + m->nalerts + 1, sizeof *v);
	for (i = 0; i < m->ndeploys; i++) {
		const struct deploy *dp = &m->deploys[i];

		if (dp->at == 0 || (double)dp->at < from ||
		    (double)dp->at > to || s->service == NULL ||
		    dp->service == NULL || strcmp(dp->service, s->service) != 0 ||
		    env_differs(dp->environment, s->environment))
			continue;
		v[n].kind = BUD_DEPLOY;
		v[n].start = (double)dp->at;
		v[n].end = NAN;
		v[n].name = dp->version != NULL ? dp->version : dp->revision;
		v[n].service = dp->service;
		v[n].environment = dp->environment;
		v[n++].source = dp->source;
	}
	for (i = 0; i < m->nalerts; i++) {
		const struct alert *a = &m->alerts[i];

		if (a->started_at == 0 || (double)a->started_at < from ||
		    s->service == NULL || a->service == NULL ||
		    strcmp(a->service, s->service) != 0 ||
		    env_differs(a->environment, s->environment))
			continue;
		v[n].kind = BUD_INCIDENT;
		v[n].start = (double)a->started_at;
		v[n].end = NAN;
		v[n].name = a->title;
		v[n].service = a->service;
		v[n].environment = a->environment;
		v[n++].source = a->source;
	}
	*out = v;
	return (n);
}

static void
when(char *buf, size_t size, double t)
{
	time_t		tt;
	struct tm	tm;

	if (!time_from_unix(t, &tt) || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, "%m-%d %H:%M", &tm) == 0)
		snprintf(buf, size, "?");
}

static void
burndown_lists(struct detail *d, const struct bud_slo *b,
    const struct bud_event *ev, size_t nev)
{
	char	a[64], z[64];
	size_t	i, k;

	if (b->nep == 0)
		detail_add(d, DRAW_DIM, "  no episode: the 1h burn never stayed "
		    "above 1");
	for (i = 0; i < b->nep; i++) {
		const struct bud_episode *ep = &b->ep[i];

		when(a, sizeof a, ep->start);
		when(z, sizeof z, ep->end);
		detail_add(d, ep->level == SLO_ALERT_PAGE ? DRAW_CRIT :
		    ep->level == SLO_ALERT_TICKET ? DRAW_WARN : DRAW_NORMAL,
		    "  episode %s .. %s  peak %.1fx  used %.1f%%%s%s", a, z,
		    ep->peak, ep->consumed * 100,
		    ep->level != SLO_ALERT_NONE ? "  " : "",
		    ep->level != SLO_ALERT_NONE ? slo_alert_name(ep->level) :
		    "");
		for (k = 0; k < ep->ncause; k++) {
			const struct bud_event *e =
			    &ev[b->causes[ep->cause0 + k].event];

			detail_add(d, DRAW_SUSPECT, "    %s %s",
			    bud_kind_name(e->kind), e->name != NULL ? e->name :
			    "-");
		}
	}
	for (i = 0; i < nev; i++) {
		when(a, sizeof a, ev[i].start);
		detail_add(d, DRAW_DIM, "  %c %s %s %s", ev[i].kind ==
		    BUD_DEPLOY ? 'D' : 'I', a, bud_kind_name(ev[i].kind),
		    ev[i].name != NULL ? ev[i].name : "-");
	}
}


/* A share as a percentage with one decimal, or "?" when unknown. */
static void
pct(char *buf, size_t len, double v)
{
	if (isnan(v) || isinf(v))
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%.1f%%", v * 100);
}

static void
slo_burndown(struct ui *app, const struct slo *s, struct detail *d)
{
	char		 bs[16], be[16], bc[16];
	struct slo_state	*st = slo_st(app);
	const struct slo_history *h = s->history;
	struct bud_event	*ev;
	struct bud_slo		 b;
	char			 pn[32], a[64], z[64];
	long			 period = burn_period_s(st, s);
	double			 to, from;
	size_t			 nev;

	duration_format(pn, sizeof pn, period);
	detail_heading(d, "budget burndown, UTC (p: the SLO window, 24h, 7d, "
	    "30d)");
	if (h == NULL || h->budget == NULL || !(h->step > 0) ||
	    fabs((double)h->n * h->step - (double)period) > 2 * h->step) {
		detail_add(d, DRAW_DIM, "  no history of the last %s yet: asked "
		    "of its source", pn);
		return;
	}
	from = h->start;
	to = from + (double)(h->n - 1) * h->step;
	nev = burndown_events(app->model, s, from, to, &ev);
	bud_compute(s, from, to, ev, nev, app->model->suspect_window, &b);
	when(a, sizeof a, from);
	when(z, sizeof z, to);
	/* A start or an end with no data says so ("?"), never "nan%". */
	pct(bs, sizeof bs, b.budget_start);
	pct(be, sizeof be, b.budget_end);
	pct(bc, sizeof bc, b.consumed);
	detail_add(d, DRAW_NORMAL, "  last %s: budget %s -> %s, %s of it used",
	    pn, bs, be, bc);
	burndown_chart(d, h, from, to - from);
	burndown_marks(d, &b, ev, nev, from, to - from);
	detail_add(d, DRAW_DIM, "        %-*s%s", BD_W - (int)strlen(z), a, z);
	burndown_lists(d, &b, ev, nev);
	bud_slo_free(&b);
	free(ev);
}

/* The detail of s: ask for its period's history when it is not the one
 * asked for, and draw what is there. */
static void
slo_burndown_open(struct ui *app, const struct slo *s, struct detail *d)
{
	struct slo_state	*st = slo_st(app);
	long			 want = burn_period_s(st, s);

	free(d->key);
	d->key = xasprintf("%s/%s", s->source, s->name);
	st->detail_live = true;
	st->detail_gen = app->model->gen_slos;
	if (app->model->slo_history_s != want) {
		app->model->slo_history_s = want;
		(void)ui_run(app, "refresh");
	}
	slo_burndown(app, s, d);
}

/* The open SLO detail follows the data: rebuilt when the SLOs change
 * (the burndown arrives), its place kept; when it closes, the history is
 * no longer asked for. */
static void
slo_detail_follow(struct ui *app)
{
	struct slo_state	*st = slo_st(app);
	struct pane		*p = ui_pane(app, &slo_view);
	size_t			 i, top;

	if (!st->detail_live)
		return;
	if (app->overlay != OVERLAY_DETAIL || app->detail.key == NULL ||
	    app->detail.title == NULL ||
	    strncmp(app->detail.title, "SLO ", 4) != 0) {
		st->detail_live = false;
		app->model->slo_history_s = 0;
		return;
	}
	if (st->detail_gen == app->model->gen_slos)
		return;
	if ((i = slo_find_row(app, p, app->detail.key)) == (size_t)-1)
		return;
	top = app->detail.top;
	detail_clear(&app->detail);
	slo_detail(app, p, i, &app->detail);
	app->detail.top = top;
}

/* The window of the SLO whose detail is open, else of the selected one
 * (0: none). */
static long
slo_shown_window(struct ui *app)
{
	struct pane	*p = ui_pane(app, &slo_view);
	size_t		 i;

	if (p == NULL || slo_count(app, p) == 0)
		return (0);
	i = app->overlay == OVERLAY_DETAIL && app->detail.key != NULL ?
	    slo_find_row(app, p, app->detail.key) : p->sel;
	if (i == (size_t)-1 || i >= slo_count(app, p))
		return (0);
	return (slo_row(app, i)->window_seconds);
}

static void
cmd_period(struct ui *app, struct pane *pane, const char *args)
{
	struct slo_state	*st = slo_st(app);
	static const char *const names[] = { "window", "24h", "7d", "30d" };
	size_t			 k;

	if (args == NULL || *args == '\0') {
		st->period = (st->period + 1) % NPERIODS;
		/* A period as long as the SLO's window draws the same chart
		 * as "window": passed over. */
		if (st->period != 0 && burn_periods[st->period] ==
		    slo_shown_window(app))
			st->period = (st->period + 1) % NPERIODS;
	} else {
		for (k = 0; k < NPERIODS && strcmp(args, names[k]) != 0; k++)
			;
		if (k == NPERIODS) {
			ui_message(app, true, "burndown-period: \"%s\" is not "
			    "24h, 7d, 30d or window", args);
			return;
		}
		st->period = k;
	}
	if (app->overlay == OVERLAY_DETAIL && st->detail_live) {
		st->detail_gen = 0;	/* rebuild: the new period */
		app->model->slo_history_s = 0;
		slo_detail_follow(app);
	}
	ui_message(app, false, "burndown over %s", names[st->period]);
	ui_dirty(app);
}

static void
slo_detail(struct ui *app, struct pane *pane, size_t i, struct detail *d)
{
	const struct slo	*s = slo_row(app, i);
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
	slo_burndown_open(app, s, d);
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
	.commands = slo_commands,
	.init = slo_init,
	.free = slo_free_state,
};
