/* timeline.c: the Timeline view, full screen over the panes: every event
 * of the timeline (core/timeline.h) in time order, of the environment the
 * panes show (each naming its own when several are shown), each with
 * whose clock it carries, in UTC or local time as the header's clock is
 * (T). `timeline` opens it, all events or one incident's or one service's;
 * pressed again while open it narrows to the selected alert's incident,
 * then its service, then everything again. It opens at the newest (the
 * end, as a log follows) and follows new events while there; scrolled
 * up, it keeps its first line and a search's line as events come in. A
 * wrapped event goes on under the "what" column, or where that would be
 * too narrow (80 columns), under "clock": never under the time. Narrowed to an incident whose source
 * keeps a log of its own (PagerDuty's log entries), that log is fetched,
 * every page, into the timeline, at most once a minute. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "core/loop.h"
#include "core/model.h"
#include "core/timeline.h"
#include "core/xalloc.h"
#include "views/draw.h"
#include "views/timeline.h"
#include "views/ui.h"

static struct timeline	*tl;
static char		*f_incident, *f_service;
static uint64_t		 shown_gen;
static bool		 shown_local;
static char		*shown_env;	/* the environment filled for */
static int		 shown_cols;	/* the width filled for */

#define LOG_EVERY_MS	60000	/* an incident's log fetched at most so */
#define WHAT_MIN	30	/* columns "what" wraps in, at least */

/* The incident log fetch in flight, or the last one. */
static struct {
	struct ui	*app;
	char		*incident;	/* "source/id" */
	bool		 busy;
	int64_t		 at;		/* loop ms */
} lf;

void
tlview_set(struct timeline *t)
{
	tl = t;
}

struct timeline *
tlview_timeline(void)
{
	return (tl);
}

bool
tlview_open(const struct ui *app)
{
	return (app->overlay == OVERLAY_TIMELINE);
}

static int
style_of(const struct tl_event *ev)
{
	if (strcmp(ev->kind, TL_ALERT_FIRING) == 0 ||
	    strcmp(ev->kind, TL_SLO_START) == 0)
		return (DRAW_BAD);
	if (strcmp(ev->kind, TL_ALERT_RESOLVED) == 0 ||
	    strcmp(ev->kind, TL_SLO_END) == 0)
		return (DRAW_OK);
	if (strncmp(ev->kind, "action.", 7) == 0 ||
	    strcmp(ev->kind, TL_STATUS_UPDATE) == 0)
		return (DRAW_BOLD);
	return (DRAW_NORMAL);
}

/* Where the Timeline view was before it is filled again: at the end
 * (it follows), or at a line; and what a search looked for. */
struct place {
	bool	 bottom;
	char	*top;		/* the first line shown */
	size_t	 top_i;
	char	*find;
	char	*found;		/* the line the search found */
};

/* The overlay's rows and columns for lines, under its title. */
static size_t
last_top(struct ui *app)
{
	return (detail_last_top(&app->detail, app->rows - 3, app->cols - 4));
}

static void
place_save(struct ui *app, struct place *pl)
{
	struct detail	*d = &app->detail;

	memset(pl, 0, sizeof *pl);
	pl->bottom = d->n == 0 || d->top >= last_top(app);
	if (d->top < d->n)
		pl->top = xstrdup(d->lines[d->top].text);
	pl->top_i = d->top;
	if (d->find != NULL)
		pl->find = xstrdup(d->find);
	if (d->found > 0 && d->found <= d->n)
		pl->found = xstrdup(d->lines[d->found - 1].text);
}

/* The same line again, or the first line of a line's index; d->n if
 * none. */
static size_t
line_of(const struct detail *d, const char *text)
{
	size_t	i;

	for (i = 0; text != NULL && i < d->n; i++) {
		if (strcmp(d->lines[i].text, text) == 0)
			return (i);
	}
	return (d->n);
}

/* Opened, or at the end: the newest at the bottom, as a log follows;
 * scrolled up: the same first line (events may come in above it), else
 * as near as may be. */
static void
place_restore(struct ui *app, struct place *pl)
{
	struct detail	*d = &app->detail;
	size_t		 last = last_top(app), i;

	if (pl->bottom)
		d->top = last;
	else if ((i = line_of(d, pl->top)) < d->n)
		d->top = i < last ? i : last;
	else
		d->top = pl->top_i < last ? pl->top_i : last;
	d->find = pl->find;
	if ((i = line_of(d, pl->found)) < d->n)
		d->found = i + 1;
	free(pl->top);
	free(pl->found);
}

static void
fill(struct ui *app)
{
	struct detail		*d = &app->detail;
	struct tl_filter	 f;
	struct place		 pl;
	const struct tl_event	*v;
	const char		*env = app->model->shown_env, *col;
	size_t			 n, i, shown = 0;
	char			*line;
	bool			 with_env;
	int			 hang = 0;

	place_save(app, &pl);
	detail_clear(d);
	memset(&f, 0, sizeof f);
	f.incident = f_incident;
	f.service = f_service;
	f.environment = env;
	if (env == NULL && app->model->several_envs)
		env = "every environment";
	else if (env == NULL)
		env = app->model->environment;
	d->title = xasprintf("Timeline of %s%s%s%s%s  (%s time; H narrows, "
	    "T clock, Esc closes)", *env != '\0' ? env : "this environment",
	    f_incident != NULL ? ": incident " : "",
	    f_incident != NULL ? f_incident : "",
	    f_service != NULL ? ": service " : "",
	    f_service != NULL ? f_service : "",
	    app->clock_local ? "local" : "UTC");
	if (tl == NULL) {
		detail_add(d, DRAW_DIM, "no timeline in this run");
		place_restore(app, &pl);
		return;
	}
	v = timeline_events(tl, &n);
	with_env = f.environment == NULL && timeline_several_envs(v, n, &f);
	line = timeline_text_head(app->clock_local, with_env);
	/* A wrapped event goes on under the heading's "what" (the
	 * columns before it are padded to their widths; all ASCII), or
	 * when that leaves too narrow a column (80 columns leave 14: an
	 * alert would take ten rows) under "clock", the time column kept
	 * for times. */
	if ((col = strstr(line, "what")) != NULL &&
	    app->cols - 4 - (col - line) >= WHAT_MIN)
		hang = (int)(col - line);
	else if ((col = strstr(line, "clock")) != NULL)
		hang = (int)(col - line);
	detail_add(d, DRAW_DIM, "%s", line);
	free(line);
	for (i = 0; i < n; i++) {
		if (!timeline_match(&v[i], &f))
			continue;
		line = timeline_format_text(&v[i], app->clock_local, with_env);
		detail_add(d, style_of(&v[i]), "%s", line);
		d->lines[d->n - 1].hang = hang;
		free(line);
		shown++;
	}
	if (shown == 0)
		detail_add(d, DRAW_DIM, "nothing recorded%s",
		    f_incident != NULL || f_service != NULL ? " for this" : "");
	place_restore(app, &pl);
	shown_gen = timeline_generation(tl);
	shown_local = app->clock_local;
	shown_cols = app->cols;
	xstrset(&shown_env, app->model->shown_env);
}

static bool
same_env(const char *a, const char *b)
{
	return (a == NULL ? b == NULL : b != NULL && strcmp(a, b) == 0);
}

void
tlview_refresh(struct ui *app)
{
	if (!tlview_open(app))
		return;
	if (tl != NULL && shown_gen == timeline_generation(tl) &&
	    shown_local == app->clock_local && shown_cols == app->cols &&
	    same_env(shown_env, app->model->shown_env))
		return;
	fill(app);
	ui_dirty(app);
}

static void
set_filter(const char *incident, const char *service)
{
	xstrset(&f_incident, incident);
	xstrset(&f_service, service);
}

/* H while open: all, the selected incident, its service, all. */
static void
narrow(struct ui *app)
{
	const struct alert	*a = ui_selected_alert(app);
	char			*inc;

	if (f_incident == NULL && f_service == NULL && a != NULL) {
		inc = xasprintf("%s/%s", a->source, a->id);
		set_filter(inc, NULL);
		free(inc);
	} else if (f_incident != NULL && a != NULL && a->service != NULL)
		set_filter(NULL, a->service);
	else
		set_filter(NULL, NULL);
}

static void
log_done(const struct incident_entry *v, size_t n, const char *error,
    void *arg)
{
	struct tl_event	 ev;
	char		*key, *w = NULL, *src;
	const char	*env;
	size_t		 i, added = 0;

	lf.busy = false;
	if (lf.app == NULL)
		return;
	if (error != NULL) {
		ui_message(lf.app, true, "%s: %s", lf.incident, error);
		return;
	}
	if (tl == NULL)
		return;
	/* The incident's source's environment. */
	src = xstrndup(lf.incident, strcspn(lf.incident, "/"));
	env = model_source_env(lf.app->model, src);
	free(src);
	timeline_batch(tl, true, NULL);
	for (i = 0; i < n; i++) {
		if (v[i].at == 0)
			continue;
		memset(&ev, 0, sizeof ev);
		key = xasprintf("log|%s|%s", lf.incident, v[i].id);
		ev.kind = (char *)TL_INCIDENT_LOG;
		ev.key = key;
		ev.t_ms = (int64_t)v[i].at * 1000;
		ev.source_clock = true;
		ev.incident = lf.incident;
		ev.environment = (char *)env;
		ev.who = v[i].who;
		ev.text = v[i].summary;
		added += timeline_add(tl, &ev, NULL);
		free(key);
	}
	timeline_batch(tl, false, &w);
	if (w != NULL) {
		ui_message(lf.app, true, "%s", w);
		free(w);
	} else if (added > 0)
		ui_message(lf.app, false, "%zu entr%s of %s's log added", added,
		    added == 1 ? "y" : "ies", lf.incident);
	tlview_refresh(lf.app);
}

/* Narrowed to an incident: fetch its source's own log, if it keeps one. */
static void
fetch_log(struct ui *app)
{
	struct source	*s;
	char		*src;
	const char	*id;

	if (f_incident == NULL || (id = strchr(f_incident, '/')) == NULL ||
	    lf.busy)
		return;
	if (lf.incident != NULL && strcmp(lf.incident, f_incident) == 0 &&
	    loop_now_ms() - lf.at < LOG_EVERY_MS)
		return;
	src = xstrndup(f_incident, (size_t)(id - f_incident));
	s = source_find(app->sources, app->nsources, src);
	free(src);
	if (s == NULL || s->ops->incident_log == NULL)
		return;
	lf.app = app;
	xstrset(&lf.incident, f_incident);
	lf.busy = true;
	lf.at = loop_now_ms();
	s->ops->incident_log(s, id + 1, log_done, NULL);
}

void
tlview_command(struct ui *app, struct pane *pane, const char *args)
{
	size_t	len;

	if (args != NULL) {
		len = strcspn(args, " \t");
		if (strncmp(args, "incident", len) == 0 && len == 8)
			set_filter(args + len + strspn(args + len, " \t"),
			    NULL);
		else if (strncmp(args, "service", len) == 0 && len == 7)
			set_filter(NULL, args + len + strspn(args + len,
			    " \t"));
		else if (strcmp(args, "all") == 0)
			set_filter(NULL, NULL);
		else {
			ui_message(app, true, "timeline: say incident ID, "
			    "service NAME or all");
			return;
		}
	} else if (tlview_open(app))
		narrow(app);
	else if (app->overlay != OVERLAY_NONE)
		return;
	else
		set_filter(NULL, NULL);
	app->overlay = OVERLAY_TIMELINE;
	detail_clear(&app->detail);
	fill(app);
	fetch_log(app);
	ui_dirty(app);
}

void
tlview_free(void)
{
	set_filter(NULL, NULL);
	free(shown_env);
	shown_env = NULL;
	tl = NULL;
	lf.app = NULL;		/* a fetch still in flight lands nowhere */
	free(lf.incident);
	lf.incident = NULL;
}
