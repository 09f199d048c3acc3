/* alerts.c: the Alerts pane: every firing alert from every source in one
 * list, most severe and oldest first: symbol, status, age, service, title. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "core/model.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "views/view.h"

static const char *const alerts_kinds[] = {
	"pagerduty", "alertmanager", "demo", NULL
};

#define COL_SYM		0
#define COL_STATUS	3
#define COL_AGE		9
#define COL_SERVICE	14
#define SERVICE_W	12
#define COL_TITLE	(COL_SERVICE + SERVICE_W + 1)

static size_t
alerts_count(struct app *app, struct pane *p)
{
	return (app->model->nalerts);
}

static const char *
status_word(enum alert_status s)
{
	switch (s) {
	case ALERT_TRIGGERED:
		return ("trig");
	case ALERT_ACKNOWLEDGED:
		return ("ack");
	case ALERT_SILENCED:
		return ("sil");
	case ALERT_RESOLVED:
		return ("res");
	}
	return ("?");
}

static void
alerts_summary(struct app *app, struct pane *p, struct sbuf *sb)
{
	const struct model	*m = app->model;
	size_t			 i, trig = 0;

	for (i = 0; i < m->nalerts; i++) {
		if (m->alerts[i].status == ALERT_TRIGGERED)
			trig++;
	}
	sbuf_addf(sb, "%zu open, %zu unacknowledged", m->nalerts, trig);
}

static void
alerts_columns(struct app *app, struct pane *p, int y, int x, int w)
{
	draw_fill(y, x, w, DRAW_COLUMNS);
	draw_text(y, x + COL_STATUS, w - COL_STATUS, DRAW_COLUMNS, "STAT");
	draw_text(y, x + COL_AGE, w - COL_AGE, DRAW_COLUMNS, "AGE");
	draw_text(y, x + COL_SERVICE, w - COL_SERVICE, DRAW_COLUMNS,
	    "SERVICE");
	draw_text(y, x + COL_TITLE, w - COL_TITLE, DRAW_COLUMNS, "TITLE");
}

static void
alerts_draw_row(struct app *app, struct pane *p, size_t i, int y, int x,
    int w, bool sel)
{
	const struct alert	*a = &app->model->alerts[i];
	char			 age[16];
	int			 sev = draw_severity_style(a->severity);
	int			 base = DRAW_NORMAL, used;

	if (a->status != ALERT_TRIGGERED)
		base = DRAW_DIM;
	if (sel)
		draw_fill(y, x, w, DRAW_SELECTED);
	draw_text_sel(y, x + COL_SYM, 2, sev, sel,
	    draw_severity_symbol(a->severity));
	draw_text_sel(y, x + COL_STATUS, 5, a->status == ALERT_TRIGGERED ?
	    sev : base, sel, status_word(a->status));
	if (a->started_at != 0)
		duration_format_short(age, sizeof age,
		    time_wall() - a->started_at);
	else
		snprintf(age, sizeof age, "-");
	draw_text_sel(y, x + COL_AGE, 4, base, sel, age);
	draw_text_sel(y, x + COL_SERVICE, SERVICE_W, base, sel,
	    a->service != NULL ? a->service : "-");
	used = COL_TITLE;
	if (a->suspect != NULL && w - used > 30)
		used += draw_text_sel(y, x + used, w - used, DRAW_SUSPECT, sel,
		    draw_utf8() ? "\xe2\x9a\x91 " : "! ");
	draw_text_sel(y, x + used, w - used - 1, base, sel, a->title);
}

static char *
alerts_row_key(struct app *app, size_t i)
{
	const struct alert	*a = &app->model->alerts[i];

	return (xasprintf("%s/%s", a->source, a->id));
}

static const char *
alerts_row_service(struct app *app, size_t i)
{
	return (app->model->alerts[i].service);
}

static void
kv_lines(struct detail *d, const char *heading, const struct kvlist *l)
{
	size_t	i;

	if (l->n == 0)
		return;
	detail_heading(d, heading);
	for (i = 0; i < l->n; i++)
		detail_kv(d, l->v[i].key, l->v[i].value);
}

static void
alerts_detail(struct app *app, size_t i, struct detail *d)
{
	const struct alert	*a = &app->model->alerts[i];
	char			 when[32], age[16];

	d->title = xstrdup(a->title != NULL ? a->title : a->id);
	detail_kv(d, "severity", severity_name(a->severity));
	detail_kv(d, "status", alert_status_name(a->status));
	detail_kv(d, "service", a->service);
	if (a->started_at != 0) {
		time_format_iso(when, sizeof when, a->started_at);
		duration_format(age, sizeof age, time_wall() - a->started_at);
		detail_add(d, DRAW_NORMAL, "started: %s (%s ago)", when, age);
	}
	detail_kv(d, "source", a->source);
	detail_kv(d, "id", a->id);
	detail_kv(d, "assigned to", a->assignees);
	detail_kv(d, "suspect deploy", a->suspect);
	detail_kv(d, "description", a->description);
	detail_heading(d, "links");
	detail_kv(d, "page", a->url);
	detail_kv(d, "runbook", a->runbook_url);
	detail_kv(d, "dashboard", a->dashboard_url);
	kv_lines(d, "labels", &a->labels);
	kv_lines(d, "annotations", &a->annotations);
}

static uint64_t
alerts_generation(struct app *app)
{
	return (app->model->gen_alerts);
}

const struct view_ops alerts_view = {
	.name = "alerts",
	.title = "Alerts",
	.kinds = alerts_kinds,
	.count = alerts_count,
	.summary = alerts_summary,
	.columns = alerts_columns,
	.draw_row = alerts_draw_row,
	.row_key = alerts_row_key,
	.row_service = alerts_row_service,
	.detail = alerts_detail,
	.generation = alerts_generation,
};
