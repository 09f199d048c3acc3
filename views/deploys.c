/* deploys.c: the Deploys pane: what changed, newest first, and how long
 * before the first alert on the same service; suspects are marked. */
#include "config.h"

#include <sys/param.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/argv.h"
#include "core/model.h"
#include "core/secret.h"
#include "core/sbuf.h"
#include "core/template.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "actions/actconf.h"
#include "views/ui.h"
#include "views/columns.h"
#include "views/draw.h"
#include "views/launch.h"
#include "views/view.h"

static size_t
deploys_count(struct ui *app, struct pane *p)
{
	return (app->model->ndeploys);
}

static void
deploys_summary(struct ui *app, struct pane *p, struct sbuf *sb)
{
	size_t	i, n = 0;

	for (i = 0; i < app->model->ndeploys; i++)
		n += app->model->deploys[i].suspect;
	if (n > 0)
		sbuf_addf(sb, "%zu suspect", n);
	/* What a source could not show here (a deploy command's skipped
	 * lines, change events not fetched), named. */
	for (i = 0; i < app->model->nsources; i++) {
		const struct source_health *h = &app->model->sources[i];
		const char *w = h->notes[FEED_DEPLOYS].reason;

		if (w != NULL)
			sbuf_addf(sb, "%s%s: %s", sb->len > 0 ? "  " : "",
			    h->name, w);
	}
}

/* How long before the first alert on its service the deploy came ("6m"),
 * when an alert on the service began after it. */
static bool
deploy_lead_dur(const struct model *m, const struct deploy *d, char *dur,
    size_t len)
{
	time_t	first = 0;
	size_t	i;

	for (i = 0; i < m->nalerts; i++) {
		const struct alert *a = &m->alerts[i];

		if (a->service == NULL || d->service == NULL ||
		    strcmp(a->service, d->service) != 0 ||
		    a->started_at < d->at)
			continue;
		if (first == 0 || a->started_at < first)
			first = a->started_at;
	}
	if (first == 0)
		return (false);
	duration_format(dur, len, first - d->at);
	return (true);
}

/* "6m before first alert", for the detail view. */
static bool
deploy_lead(const struct model *m, const struct deploy *d, char *buf,
    size_t len)
{
	char	dur[16];

	if (!deploy_lead_dur(m, d, dur, sizeof dur))
		return (false);
	deploy_lead_text(buf, len, dur, LEAD_FULL);
	return (true);
}

/* The widest service of the deploys, measured once per change. */
static int
service_column(const struct model *m)
{
	static const struct model	*seen;
	static uint64_t			 gen;
	static size_t			 count;
	static int			 widest;
	size_t				 i;
	int				 n;

	if (seen == m && gen == m->gen_deploys && count == m->ndeploys)
		return (widest);
	seen = m;
	gen = m->gen_deploys;
	count = m->ndeploys;
	widest = 0;
	for (i = 0; i < m->ndeploys; i++) {
		if ((n = draw_width(m->deploys[i].service)) > widest)
			widest = n;
	}
	return (widest);
}

/* A row: ⚑, age, service, then as the width allows (the drop order is
 * views/columns.h's) version, author and how long before the first alert
 * it came. Nothing goes past the pane's edge: the text would wrap onto the
 * next row, over the Alerts. */
static void
deploys_draw_row(struct ui *app, struct pane *p, size_t i, int y, int x,
    int w, bool sel)
{
	const struct deploy	*d = &app->model->deploys[i];
	struct deploy_cols	 c;
	const char		*tag;
	char			 buf[64], dur[16];
	int			 base, col, sh = 0, tw = 0;
	bool			 lead;

	base = d->suspect ? DRAW_SUSPECT : DRAW_NORMAL;
	lead = deploy_lead_dur(app->model, d, dur, sizeof dur);
	/* Several environments shown: whose, after the age, cut to its first
	 * columns on a narrow pane (views/columns.h); the columns after it
	 * move right by its width. */
	if ((tag = model_env_tag(app->model, d->environment)) != NULL &&
	    (tw = deploy_env_fit(w)) > 0)
		sh = tw + 1;
	deploy_columns_fit(w - sh, service_column(app->model),
	    draw_width(d->service), lead ? dur : NULL, d->author != NULL, &c);
	if (sel)
		draw_fill(y, x, w, DRAW_SELECTED);
	draw_text_sel(y, x, DEPLOY_MARK_W, DRAW_SUSPECT, sel, d->suspect ?
	    (draw_utf8() ? "\xe2\x9a\x91" : "!") : " ");
	col = DEPLOY_MARK_W;
	duration_format_short(buf, sizeof buf, time_wall() - d->at);
	draw_text_right(y, x + col, DEPLOY_AGE_W - 1, sel ? DRAW_SELECTED :
	    DRAW_NORMAL, buf);
	col += DEPLOY_AGE_W;
	if (sh > 0)
		draw_text_sel(y, x + col, tw, DRAW_DIM, sel, tag);
	x += sh;
	w -= sh;
	draw_text_sel(y, x + col, c.service_w, base, sel, d->service);
	if (c.version >= 0)
		draw_text_sel(y, x + c.version, MIN(DEPLOY_VERSION_W,
		    w - c.version), base, sel, d->version != NULL ?
		    d->version : d->revision);
	if (c.author >= 0)
		draw_text_sel(y, x + c.author, MIN(DEPLOY_AUTHOR_W,
		    w - c.author), DRAW_DIM, sel, d->author);
	if (c.lead >= 0) {
		deploy_lead_text(buf, sizeof buf, dur, c.form);
		draw_text_sel(y, x + c.lead, w - c.lead, DRAW_SUSPECT, sel,
		    buf);
	}
}

/* The columns the rows take with nothing dropped, measured when the
 * deploys or the alerts (the leads) change. */
static int
deploys_want_width(struct ui *app, struct pane *p)
{
	static const struct model	*seen;
	static uint64_t			 gen_d, gen_a;
	static int			 want;
	const struct model		*m = app->model;
	char				 dur[16], buf[64];
	size_t				 i;
	int				 w, col;

	if (seen == m && gen_d == m->gen_deploys && gen_a == m->gen_alerts)
		return (want);
	seen = m;
	gen_d = m->gen_deploys;
	gen_a = m->gen_alerts;
	want = 0;
	col = service_column(m);
	if (col > DEPLOY_SERVICE_W)
		col = DEPLOY_SERVICE_W;
	for (i = 0; i < m->ndeploys; i++) {
		const struct deploy *d = &m->deploys[i];

		w = DEPLOY_MARK_W + DEPLOY_AGE_W + col + 1 +
		    DEPLOY_VERSION_W + 1;
		if (d->author != NULL)
			w += DEPLOY_AUTHOR_W + 1;
		if (model_env_tag(m, d->environment) != NULL)
			w += ENV_TAG_W + 1;	/* several environments */
		if (deploy_lead_dur(m, d, dur, sizeof dur)) {
			deploy_lead_text(buf, sizeof buf, dur, LEAD_FULL);
			w += (int)strlen(buf);
		}
		if (w > want)
			want = w;
	}
	return (want);
}

static char *
deploys_row_key(struct ui *app, struct pane *pane, size_t i)
{
	const struct deploy	*d = &app->model->deploys[i];

	return (xasprintf("%s/%s", d->source, d->id != NULL ? d->id : ""));
}

static size_t
deploys_find_row(struct ui *app, struct pane *pane, const char *key)
{
	size_t	i;

	for (i = 0; i < app->model->ndeploys; i++) {
		if (pane_key_is(key, app->model->deploys[i].source,
		    app->model->deploys[i].id))
			return (i);
	}
	return ((size_t)-1);
}

static const char *
deploys_row_service(struct ui *app, struct pane *pane, size_t i)
{
	return (app->model->deploys[i].service);
}

static void
deploys_row_env(struct ui *app, struct pane *pane, size_t i,
    struct kvlist *env, char **target)
{
	const struct deploy	*d = &app->model->deploys[i];

	actconf_deploy_env(d, app->model->environment, env);
	*target = xasprintf("%s %s", d->service, d->version != NULL ?
	    d->version : "");
}

static time_t
deploys_row_time(struct ui *app, struct pane *pane, size_t i)
{
	return (app->model->deploys[i].at);
}

/* What r would run, so that the detail already shows the effect. */
static void
deploys_detail_rollback(struct ui *app, const struct deploy *dp,
    struct detail *d)
{
	const char	 *tmpl = actconf_rollback(dp->service);
	char		**argv, *err = NULL, *line;

	/* The same choice as the plan's: the demo's own rollback of its
	 * deploys where no [rollback] matches. */
	if (tmpl == NULL)
		tmpl = actconf_demo_rollback(dp);
	detail_heading(d, "rollback (r)");
	if (tmpl == NULL) {
		detail_add(d, DRAW_DIM, "no [rollback] command for this "
		    "service (sitrep.conf(5))");
		return;
	}
	if ((argv = actconf_rollback_argv(tmpl, dp, app->model->environment,
	    &err)) == NULL) {
		detail_add(d, DRAW_BAD, "cannot roll back: %s", err);
		free(err);
		return;
	}
	line = template_quote(argv);
	detail_add(d, DRAW_NORMAL, "$ %s", line);
	free(line);
	argv_free(argv);
}

static void
deploys_detail(struct ui *app, struct pane *pane, size_t i, struct detail *d)
{
	const struct deploy	*dp = &app->model->deploys[i];
	char			 when[32], age[16], lead[64];

	d->title = xasprintf("deploy %s %s", dp->service,
	    dp->version != NULL ? dp->version : "");
	time_format_iso(when, sizeof when, dp->at);
	duration_format(age, sizeof age, time_wall() - dp->at);
	detail_add(d, DRAW_NORMAL, "at: %s (%s ago)", when, age);
	if (deploy_lead(app->model, dp, lead, sizeof lead))
		detail_kv(d, "relative to alerts", lead);
	detail_kv(d, "suspect", dp->suspect ? "yes: an alert or SLO page on "
	    "this service followed it" : "no");
	detail_kv(d, "service", dp->service);
	detail_kv(d, "version", dp->version);
	detail_kv(d, "revision", dp->revision);
	detail_kv(d, "previous revision", dp->previous_revision);
	detail_kv(d, "author", dp->author);
	detail_kv(d, "environment", dp->environment);
	detail_kv(d, "summary", dp->summary);
	detail_kv(d, "link", dp->url);
	detail_kv(d, "source", dp->source);
	deploys_detail_rollback(app, dp, d);
}

static uint64_t
deploys_generation(struct ui *app, struct pane *pane)
{
	return (app->model->gen_deploys);
}

static const struct command deploys_commands[] = {
	{ "rollback", NULL, "roll the selected deploy back with its [rollback] "
	  "command, after showing the exact command", launch_rollback },
	{ NULL, NULL, NULL, NULL }
};

const struct view_ops deploys_view = {
	.name = "deploys",
	.title = "Deploys",
	.feed = FEED_DEPLOYS,
	.count = deploys_count,
	.summary = deploys_summary,
	.draw_row = deploys_draw_row,
	.want_width = deploys_want_width,
	.row_key = deploys_row_key,
	.find_row = deploys_find_row,
	.row_service = deploys_row_service,
	.row_env = deploys_row_env,
	.row_time = deploys_row_time,
	.detail = deploys_detail,
	.generation = deploys_generation,
	.commands = deploys_commands,
};
