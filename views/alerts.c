/* alerts.c: the Alerts pane: every open alert from every source in one
 * list, most severe and oldest first: symbol, status, age, service, title
 * (after the suspect deploy, as the width allows), source. `/` narrows it
 * to the alerts whose text matches; the pane's commands acknowledge,
 * resolve, note, snooze, reassign (PagerDuty) and silence (Alertmanager)
 * the selected alert through actions/actions.c, and expire a silence from its
 * detail view. Rows are named "source/id" so that the selection stays on
 * its alert across refreshes.
 *
 * Drop order of a row (sitrep(1)): the severity symbol, status, age,
 * service and the ⚑ flag are kept at any width; the SOURCE column goes
 * first (under SOURCE_MIN_W), then the suspect deploy's name beside the
 * flag (service and version, then the version alone, then the flag
 * alone), and only then is the title cut. A title that runs on over
 * rows the pane lends breaks between words, or between a long name's
 * parts. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "backends/source.h"
#include "core/model.h"
#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/timeutil.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "actions/actconf.h"
#include "actions/actions.h"
#include "views/draw.h"
#include "views/launch.h"
#include "views/ui.h"
#include "views/view.h"

#define COL_SYM		0
#define COL_STATUS	3
#define COL_AGE		9
#define COL_SERVICE	14
#define SERVICE_W	12
#define COL_TITLE	(COL_SERVICE + SERVICE_W + 1)
#define SOURCE_W	12
#define SOURCE_MIN_W	90	/* narrower panes leave the source to detail */
#define TITLE_MIN	29	/* columns a title keeps beside a suspect tag */
#define LABEL_TITLE_MAX	48	/* bytes of a title quoted in a prompt */

/* The filter and the rows it lets through, rebuilt when the alerts or the
 * filter change. */
struct alerts_filter {
	char			*text;		/* NULL: every alert */
	size_t			*rows;		/* model indexes shown */
	size_t			 n;
	const struct model	*m;
	uint64_t		 gen;
	bool			 valid;
};

/* What a prompt or a confirmation is about; one at a time, like the
 * prompt itself. The alert is found again by key when the answer comes,
 * since a refresh may have replaced or removed it meanwhile. */
struct alerts_pending {
	enum action_kind	 kind;
	char			*key;
	char			*source;
	char			*id;
	char			*what;
	char			*text;
	int64_t			 duration_s;
	struct kvlist		 matchers;
};

/* The pane's own state (pane->state). */
struct alerts_state {
	struct alerts_filter	filt;
	struct alerts_pending	pend;
	size_t			*rows_at;	/* screen row -> alert row */
	size_t			 nrows_at;
};

static struct alerts_state *
alerts_st(struct ui *app)
{
	return (ui_pane(app, &alerts_view)->state);
}


static bool
alert_matches(const struct alert *a, const char *text)
{
	const char	*fields[] = { a->title, a->service, a->source, a->id,
	    a->assignees, alert_status_name(a->status),
	    severity_name(a->severity) };
	size_t		 i;

	for (i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		if (fields[i] != NULL && strcasestr(fields[i], text) != NULL)
			return (true);
	}
	for (i = 0; i < a->labels.n; i++) {
		if (strcasestr(a->labels.v[i].value, text) != NULL)
			return (true);
	}
	return (false);
}

static void
filter_build(struct ui *app)
{
	const struct model	*m = app->model;
	size_t	i;
	struct alerts_filter	*filt = &alerts_st(app)->filt;

	if (filt->valid && filt->m == m && filt->gen == m->gen_alerts)
		return;
	filt->m = m;
	filt->gen = m->gen_alerts;
	filt->valid = true;
	filt->n = 0;
	if (filt->text == NULL)
		return;
	filt->rows = xreallocarray(filt->rows, m->nalerts + 1,
	    sizeof *filt->rows);
	for (i = 0; i < m->nalerts; i++) {
		if (alert_matches(&m->alerts[i], filt->text))
			filt->rows[filt->n++] = i;
	}
}

static size_t
alerts_count(struct ui *app, struct pane *p)
{
	struct alerts_filter	*filt = &alerts_st(app)->filt;

	filter_build(app);
	return (filt->text != NULL ? filt->n : app->model->nalerts);
}

/* Row i of the pane. */
static struct alert *
alert_row(struct ui *app, size_t i)
{
	struct alerts_filter	*filt = &alerts_st(app)->filt;

	filter_build(app);
	return (&app->model->alerts[filt->text != NULL ? filt->rows[i] : i]);
}

static char	*inhibitors(struct ui *, const struct alert *,
		    const char *, bool);

static const char *
status_word(const struct alert *a)
{
	switch (a->status) {
	case ALERT_TRIGGERED:
		return ("trig");
	case ALERT_ACKNOWLEDGED:
		return ("ack");
	case ALERT_SILENCED:
		if (kvlist_get(&a->details, "silenced_by") == NULL &&
		    kvlist_get(&a->details, "inhibited_by") != NULL)
			return ("inh");
		return ("sil");
	case ALERT_RESOLVED:
		return ("res");
	}
	return ("?");
}

/* "5 open, 3 unacknowledged": open counts what the header counts (every
 * severity, the unknown one too), so the two always agree; silenced and
 * inhibited alerts are listed but counted apart. */
static void
alerts_summary(struct ui *app, struct pane *p, struct sbuf *sb)
{
	const struct model	*m = app->model;
	size_t			 i, trig = 0, quiet = 0;
	struct alerts_filter	*filt = &alerts_st(app)->filt;

	for (i = 0; i < m->nalerts; i++) {
		if (m->alerts[i].status == ALERT_TRIGGERED)
			trig++;
		else if (m->alerts[i].status == ALERT_SILENCED)
			quiet++;
	}
	/* A filter hides rows: said first, so that a narrow title keeps it. */
	if (filt->text != NULL)
		sbuf_addf(sb, "filter \"%s\": %zu shown  ", filt->text,
		    alerts_count(app, p));
	sbuf_addf(sb, "%zu open, %zu unacknowledged",
	    model_count_firing(m, SEV__COUNT), trig);
	if (quiet > 0)
		sbuf_addf(sb, ", %zu silenced", quiet);
}

static void
alerts_columns(struct ui *app, struct pane *p, int y, int x, int w)
{
	draw_fill(y, x, w, DRAW_COLUMNS);
	draw_text(y, x + COL_STATUS, w - COL_STATUS, DRAW_COLUMNS, "STAT");
	draw_text(y, x + COL_AGE, w - COL_AGE, DRAW_COLUMNS, "AGE");
	draw_text(y, x + COL_SERVICE, w - COL_SERVICE, DRAW_COLUMNS,
	    "SERVICE");
	draw_text(y, x + COL_TITLE, w - COL_TITLE, DRAW_COLUMNS, "TITLE");
	if (w >= SOURCE_MIN_W)
		draw_text(y, x + w - SOURCE_W - 1, SOURCE_W, DRAW_COLUMNS,
		    "SOURCE");
}

/* The suspect's version, when the tag is "<the alert's service> v". */
static const char *
suspect_version(const struct alert *a)
{
	size_t	len;

	if (a->service == NULL)
		return (NULL);
	len = strlen(a->service);
	if (strncmp(a->suspect, a->service, len) != 0 ||
	    a->suspect[len] != ' ' || a->suspect[len + 1] == '\0')
		return (NULL);
	return (a->suspect + len + 1);
}

static int
text_width(const char *s)
{
	char	*clean;
	size_t	 len, w;

	clean = sanitize(s, strlen(s), &len);
	w = sanitize_width(clean, len);
	free(clean);
	return ((int)w);
}

/* The suspect deploy before the title, as much of it as leaves the title
 * TITLE_MIN columns: "⚑ checkout v2.14.0", the version alone (the service
 * column names the service), or the flag alone, which is never dropped.
 * Returns the columns used. */
static int
draw_suspect_tag(const struct alert *a, int y, int x, int room, bool sel,
    bool measure)
{
	const char	*flag = draw_utf8() ? "\xe2\x9a\x91" : "!";
	const char	*version;
	char		*tag;
	int		 used;

	if (a->suspect == NULL || room < 2)
		return (0);
	tag = xasprintf("%s %s ", flag, a->suspect);
	if (text_width(tag) + TITLE_MIN > room &&
	    (version = suspect_version(a)) != NULL) {
		free(tag);
		tag = xasprintf("%s %s ", flag, version);
	}
	if (text_width(tag) + TITLE_MIN > room) {
		free(tag);
		tag = xasprintf("%s ", flag);
	}
	if (measure) {
		used = text_width(tag);
		used = used < room ? used : room;
	} else
		used = draw_text_sel(y, x, room, DRAW_SUSPECT, sel, tag);
	free(tag);
	return (used);
}

/* Where the title of a row w wide starts and ends (after the tag). */
static void
title_room(const struct alert *a, int w, int *start, int *end)
{
	*end = w >= SOURCE_MIN_W ? w - SOURCE_W - 2 : w - 1;
	*start = COL_TITLE + draw_suspect_tag(a, 0, 0, *end - COL_TITLE, false,
	    true);
}

/* Where a title's row of w columns ends: between words when a blank is
 * in the row, wherever it is; a word longer than the row is cut at its
 * last part that fits ("CheckoutHighError|Rate", "checkout-|api"), or
 * else where the row ends. *rest: where the next row starts. */
static size_t
title_fit(const char *s, size_t len, int w, size_t *rest)
{
	size_t	n = draw_fit_words(s, len, w, rest), i;

	if (n == len || n == 0 || s[n] == ' ' || s[n - 1] == ' ')
		return (n);
	/* Cut inside a word: the row's last blank, if any (all ASCII
	 * tests, on bytes that are never inside a UTF-8 character). */
	for (i = n; i > 0 && s[i - 1] != ' '; i--)
		;
	if (i == 0) {
		/* One word longer than the row: after a lower case letter
		 * or digit before an upper case one, or a - _ / . : */
		for (i = n; i > 0; i--) {
			if ((isupper((unsigned char)s[i]) &&
			    (islower((unsigned char)s[i - 1]) ||
			    isdigit((unsigned char)s[i - 1]))) ||
			    strchr("-_/.:", s[i - 1]) != NULL)
				break;
		}
	}
	if (i == 0)
		return (n);
	*rest = i;
	while (*rest < len && s[*rest] == ' ')
		(*rest)++;
	return (i);
}

/* The rows alert a's whole title takes in a row w wide, at most max:
 * the first beside the columns, the rest under the title column. */
static int
title_rows(const struct alert *a, int w, int max)
{
	char	*clean;
	size_t	 len, off = 0, rest;
	int	 start, end, rows = 0;

	if (a->title == NULL || max <= 1)
		return (1);
	title_room(a, w, &start, &end);
	clean = sanitize(a->title, strlen(a->title), &len);
	while (off < len && rows < max) {
		title_fit(clean + off, len - off, rows == 0 ?
		    end - start : end - COL_TITLE, &rest);
		if (rest == 0)
			break;
		off += rest;
		rows++;
	}
	free(clean);
	return (rows > 0 ? rows : 1);
}

/* Row i at y, its title over up to rows rows (the rows an emptier pane
 * lends it), the last one clipped. Returns the rows used. */
static int
alerts_draw_item(struct ui *app, size_t i, int y, int x, int w, bool sel,
    int rows)
{
	const struct alert	*a = alert_row(app, i);
	const char		*tag;
	char			 age[16], *clean, *piece;
	int			 sev = draw_severity_style(a->severity);
	int			 base = DRAW_NORMAL, used, end, k, lx;
	size_t			 len, off = 0, n, rest;

	if (a->status != ALERT_TRIGGERED)
		base = DRAW_DIM;
	for (k = 0; sel && k < rows; k++)
		draw_fill(y + k, x, w, DRAW_SELECTED);
	draw_text_sel(y, x + COL_SYM, 2, sev, sel,
	    draw_severity_symbol(a->severity));
	draw_text_sel(y, x + COL_STATUS, 5, a->status == ALERT_TRIGGERED ?
	    sev : base, sel, status_word(a));
	if (a->started_at != 0)
		duration_format_short(age, sizeof age,
		    time_wall() - a->started_at);
	else
		snprintf(age, sizeof age, "-");
	draw_text_sel(y, x + COL_AGE, 4, base, sel, age);
	draw_text_sel(y, x + COL_SERVICE, SERVICE_W, base, sel,
	    a->service != NULL ? a->service : "-");
	title_room(a, w, &used, &end);
	if (w >= SOURCE_MIN_W)
		draw_text_sel(y, x + w - SOURCE_W - 1, SOURCE_W, DRAW_DIM, sel,
		    a->source);
	used = COL_TITLE;
	if ((tag = model_env_tag(app->model, a->environment)) != NULL &&
	    end - used > 12)	/* several environments shown: whose */
		used += draw_text_sel(y, x + used, ENV_TAG_W, DRAW_DIM, sel,
		    tag) + 1;
	used += draw_suspect_tag(a, y, x + used, end - used, sel, false);
	if (rows <= 1 || a->title == NULL) {
		draw_text_sel(y, x + used, end - used, base, sel, a->title);
		return (1);
	}
	clean = sanitize(a->title, strlen(a->title), &len);
	for (k = 0; k < rows && (k == 0 || off < len); k++) {
		lx = k == 0 ? used : COL_TITLE;
		rest = len - off;
		if (k == rows - 1)
			n = len - off;		/* the last: clipped */
		else
			n = title_fit(clean + off, len - off, end - lx,
			    &rest);
		piece = xstrndup(clean + off, n);
		draw_text_sel(y + k, x + lx, end - lx, base, sel, piece);
		free(piece);
		off += rest > 0 ? rest : len - off;
	}
	free(clean);
	return (k);
}

static void
alerts_draw_row(struct ui *app, struct pane *p, size_t i, int y, int x,
    int w, bool sel)
{
	alerts_draw_item(app, i, y, x, w, sel, 1);
}

/*
 * The rows: one per alert; when the pane has rows to spare (fewer alerts
 * than rows), the worst alerts first get the rows their whole titles
 * need, so that a title is not cut while the pane stands empty. Which
 * alert is on which screen row is kept for the mouse.
 */
static void
alerts_draw_body(struct ui *app, struct pane *p, int y, int x, int h, int w)
{
	struct alerts_state	*st = p->state;
	size_t			 n = alerts_count(app, p), i;
	int			 spare, row = 0, want, got, k;
	bool			 focused = ui_focused(app) == p;

	st->rows_at = xreallocarray(st->rows_at, h > 0 ? (size_t)h : 1,
	    sizeof *st->rows_at);
	st->nrows_at = h > 0 ? (size_t)h : 0;
	for (k = 0; k < h; k++)
		st->rows_at[k] = (size_t)-1;
	if (n == 0) {
		draw_text(y, x + 2, w - 2, DRAW_DIM, pane_empty_why(app->model,
		    p->ops->feed, app->nsources > 0));
		return;
	}
	spare = n <= (size_t)h ? h - (int)n : 0;
	for (i = p->top; i < n && row < h; i++) {
		want = spare > 0 ? title_rows(alert_row(app, i), w,
		    spare + 1) : 1;
		if (want > h - row)
			want = h - row;
		got = alerts_draw_item(app, i, y + row, x, w,
		    focused && i == p->sel, want);
		for (k = 0; k < got; k++)
			st->rows_at[row + k] = i;
		spare -= got - 1;
		row += got;
	}
}

/* The alert on screen row r of the body, or (size_t)-1. */
static size_t
alerts_row_at(struct ui *app, struct pane *p, int r)
{
	struct alerts_state	*st = p->state;

	if (r < 0 || (size_t)r >= st->nrows_at)
		return ((size_t)-1);
	return (st->rows_at[r]);
}

static char *
alerts_row_key(struct ui *app, struct pane *pane, size_t i)
{
	const struct alert	*a = alert_row(app, i);

	return (xasprintf("%s/%s", a->source, a->id));
}

static bool
key_is(const struct alert *a, const char *key)
{
	size_t	len = strlen(a->source);

	return (strncmp(key, a->source, len) == 0 && key[len] == '/' &&
	    strcmp(key + len + 1, a->id) == 0);
}

static size_t
alerts_find_row(struct ui *app, struct pane *pane, const char *key)
{
	size_t	i, n = alerts_count(app, NULL);

	for (i = 0; i < n; i++) {
		if (key_is(alert_row(app, i), key))
			return (i);
	}
	return ((size_t)-1);
}

static const char *
alerts_row_service(struct ui *app, struct pane *pane, size_t i)
{
	return (alert_row(app, i)->service);
}

static void
alerts_row_env(struct ui *app, struct pane *pane, size_t i,
    struct kvlist *env, char **target)
{
	const struct alert	*a = alert_row(app, i);

	actconf_alert_env(a, a->environment != NULL ? a->environment :
	    app->model->environment, env);
	*target = xasprintf("%s %s", a->source, a->id);
}

static time_t
alerts_row_time(struct ui *app, struct pane *pane, size_t i)
{
	return (alert_row(app, i)->started_at);
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

/* A details fetch; the detail view may have moved on when it ends. */
struct details_run {
	struct ui	*app;
	char		*key;
	size_t		 line;		/* the "loading" line */
};

static void
details_done(const struct detail_section *v, size_t n, const char *error,
    void *arg)
{
	struct details_run	*r = arg;
	struct detail		*d = &r->app->detail;
	size_t			 i, j;

	/* Closing or replacing the detail clears or changes its key. */
	if (d->key != NULL && strcmp(d->key, r->key) == 0 && r->line < d->n) {
		free(d->lines[r->line].text);
		d->lines[r->line].text = xstrdup(error != NULL ? error : "");
		d->lines[r->line].style = error != NULL ? DRAW_BAD :
		    DRAW_NORMAL;
		for (i = 0; i < n; i++) {
			detail_heading(d, v[i].heading);
			for (j = 0; j < v[i].lines->n; j++)
				detail_kv(d, v[i].lines->v[j].key,
				    v[i].lines->v[j].value);
			if (v[i].lines->n == 0)
				detail_add(d, DRAW_DIM, "none");
		}
		ui_dirty(r->app);
	}
	free(r->key);
	free(r);
}

/* Fetch what the source has beyond the list about alert a (PagerDuty: the
 * incident's alerts and notes) into the detail, while it still shows a. */
static void
fetch_details(struct ui *app, const struct alert *a)
{
	struct details_run	*r;
	struct source		*s;

	s = source_find(app->sources, app->nsources, a->source);
	if (s == NULL || s->ops->details == NULL || app->detail.key == NULL)
		return;
	r = xcalloc(1, sizeof *r);
	r->app = app;
	r->key = xstrdup(app->detail.key);
	detail_add(&app->detail, DRAW_DIM, "fetching more from %s ...",
	    s->name);
	r->line = app->detail.n - 1;
	s->ops->details(s, a->id, details_done, r);
}

static void
alerts_detail(struct ui *app, struct pane *pane, size_t i, struct detail *d)
{
	const struct alert	*a = alert_row(app, i);
	char			 when[32], age[16];

	d->title = xstrdup(a->title != NULL ? a->title : a->id);
	d->key = xasprintf("%s/%s", a->source, a->id);
	detail_kv(d, "severity", severity_name(a->severity));
	if (strcmp(status_word(a), "inh") == 0) {
		/* Not silenced (nothing to expire): quiet while another
		 * alert fires, which the source names. */
		char *by = inhibitors(app, a, kvlist_get(&a->details,
		    "inhibited_by"), true);

		detail_add(d, DRAW_NORMAL, "status: inhibited by %s", by);
		free(by);
	} else
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
	if (a->suspect != NULL && a->suspect_at != 0 && a->started_at != 0) {
		duration_format(age, sizeof age, a->started_at -
		    a->suspect_at);
		detail_add(d, DRAW_SUSPECT, "suspect deploy: %s (%s before)",
		    a->suspect, age);
	} else if (a->suspect != NULL)
		detail_add(d, DRAW_SUSPECT, "suspect deploy: %s", a->suspect);
	detail_kv(d, "description", a->description);
	detail_heading(d, "links");
	detail_kv(d, "page", a->url);
	detail_kv(d, "runbook", a->runbook_url);
	detail_kv(d, "dashboard", a->dashboard_url);
	kv_lines(d, "labels", &a->labels);
	kv_lines(d, "annotations", &a->annotations);
	kv_lines(d, "details", &a->details);
	fetch_details(app, a);
}

static uint64_t
alerts_generation(struct ui *app, struct pane *pane)
{
	return (app->model->gen_alerts);
}

/* --- commands ------------------------------------------------------------- */


static void
pend_clear(struct ui *app)
{
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	free(pend->key);
	free(pend->source);
	free(pend->id);
	free(pend->what);
	free(pend->text);
	kvlist_free(&pend->matchers);
	memset(pend, 0, sizeof *pend);
}

/* The alert the user means: the one in the open detail view, else the
 * selected row. */
static const struct alert *
target(struct ui *app)
{
	struct pane	*p = ui_pane(app, &alerts_view);

	if (app->overlay == OVERLAY_DETAIL)
		return (model_alert_by_key(app->model, app->detail.key));
	if (app->overlay != OVERLAY_NONE || alerts_count(app, p) == 0)
		return (NULL);
	return (alert_row(app, p->sel < alerts_count(app, p) ? p->sel : 0));
}

/* Set up pend for kind on the target; false (with a message) if there
 * is nothing to act on, the source cannot, or an action is in flight. */
static bool
begin(struct ui *app, enum action_kind kind, const char *verb)
{
	const struct alert	*a = target(app);
	struct source		*s;
	char			*key;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (a == NULL) {
		ui_message(app, true, "%s: no alert selected", verb);
		return (false);
	}
	s = source_find(app->sources, app->nsources, a->source);
	if (s == NULL || !source_can(s, kind)) {
		ui_message(app, true, "%s %s: not possible on %s alerts", verb,
		    a->id, s != NULL ? s->ops->kind : a->source);
		return (false);
	}
	key = xasprintf("%s/%s", a->source, a->id);
	if (actions_busy(key)) {
		ui_message(app, true, "%s %s: already in progress", verb,
		    a->id);
		free(key);
		return (false);
	}
	pend_clear(app);
	pend->kind = kind;
	pend->key = key;
	pend->source = xstrdup(a->source);
	pend->id = xstrdup(a->id);
	return (true);
}

/* The action road's words, on the status line. */
static void
alerts_say(void *ctx, bool error, const char *msg)
{
	ui_message(ctx, error, "%s", msg);
}

static void
run(struct ui *app)
{
	struct source	*s;
	struct action	 a;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if ((s = source_find(app->sources, app->nsources, pend->source)) ==
	    NULL)
		return;
	memset(&a, 0, sizeof a);
	a.kind = pend->kind;
	a.target = pend->id;
	a.text = pend->text;
	a.duration_s = pend->duration_s;
	a.matchers = &pend->matchers;
	actions_run(s, pend->key, &a, pend->what, alerts_say, app);
}

static char	*short_title(const struct alert *);

/* Ask y/N before an action on the pending alert; yes runs it, anything
 * else says cancelled; the alert vanishing cancels it, naming it. */
static void
confirm(struct ui *app, const char *question, const char *yes_label,
    ask_cb yes, const char *cancelled, bool owns_overlay)
{
	struct ask_choice	c = { 'y', yes_label, yes };
	struct ask_spec		spec;
	struct alerts_pending	*pend = &alerts_st(app)->pend;
	const struct alert	*a = model_alert_by_key(app->model, pend->key);
	char			*q = xasprintf("%s [y/N]", question), *name;
	char			*title;

	memset(&spec, 0, sizeof spec);
	if (a != NULL && a->title != NULL) {
		title = short_title(a);
		name = xasprintf("alert %s \"%s\"", pend->id, title);
		free(title);
	} else
		name = xasprintf("alert %s", pend->id);
	spec.item_view = &alerts_view;
	spec.item_key = pend->key;
	spec.item_name = name;
	spec.question = q;
	spec.choices = &c;
	spec.n = 1;
	spec.cancelled = cancelled;
	spec.owns_overlay = owns_overlay;
	ui_ask(app, &spec);
	free(name);
	free(q);
}

static void
run_yes(struct ui *app, void *arg)
{
	run(app);
}

/* A title short enough to quote in a prompt (heap). */
static char *
short_title(const struct alert *a)
{
	const char	*t = a->title != NULL ? a->title : "";

	return (utf8_shorten(t, strlen(t), LABEL_TITLE_MAX));
}

static void
cmd_acknowledge(struct ui *app, struct pane *pane, const char *args)
{
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (!begin(app, ACTION_ACK, "acknowledge"))
		return;
	pend->what = xasprintf("acknowledge %s", pend->id);
	run(app);
}

static void
cmd_resolve(struct ui *app, struct pane *pane, const char *args)
{
	char	*title, *q, *no;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (!begin(app, ACTION_RESOLVE, "resolve"))
		return;
	pend->what = xasprintf("resolve %s", pend->id);
	title = short_title(target(app));
	q = xasprintf("resolve %s \"%s\"?", pend->id, title);
	no = xasprintf("%s cancelled: not resolved", pend->what);
	confirm(app, q, "y resolves", run_yes, no, false);
	free(no);
	free(q);
	free(title);
}

/* The prompt just opened is about the pending alert. */
static void
prompt_about_pending(struct ui *app)
{
	struct alerts_pending	*pend = &alerts_st(app)->pend;
	char			*name = xasprintf("alert %s", pend->id);

	ui_prompt_about(app, &alerts_view, pend->key, name);
	free(name);
}

static void
note_answer(struct ui *app, const char *text, void *arg)
{
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (text == NULL) {
		ui_message(app, false, "%s: cancelled, nothing added",
		    pend->what);
		return;
	}
	if (*text == '\0') {
		ui_message(app, false, "%s: nothing added, the note was empty",
		    pend->what);
		return;
	}
	pend->text = xstrdup(text);
	run(app);
}

static void
cmd_note(struct ui *app, struct pane *pane, const char *args)
{
	char	*label;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (!begin(app, ACTION_NOTE, "note"))
		return;
	pend->what = xasprintf("add a note to %s", pend->id);
	if (args != NULL) {
		note_answer(app, args, NULL);
		return;
	}
	label = xasprintf("note on %s: ", pend->id);
	ui_prompt(app, label, "", note_answer, NULL);
	prompt_about_pending(app);
	free(label);
}

/* A duration typed by the user, in seconds; 0 (with a message that
 * starts with what was asked: "snooze P0002: ...") if bad. */
static int64_t
typed_duration(struct ui *app, const char *verb, const char *text,
    int64_t max_s)
{
	int64_t	ms = duration_parse_ms(text);
	char	most[16];

	if (ms < 1000 || ms / 1000 > max_s) {
		duration_format(most, sizeof most, max_s);
		ui_message(app, true, "%s: \"%s\" is not a duration from 1s to "
		    "%s (e.g. 30m or 2h)", verb, text, most);
		return (0);
	}
	return (ms / 1000);
}

static void
snooze_answer(struct ui *app, const char *text, void *arg)
{
	char	when[16], *verb;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (text == NULL || *text == '\0')
		return;
	verb = xasprintf("snooze %s", pend->id);
	pend->duration_s = typed_duration(app, verb, text, 7 * 86400);
	free(verb);
	if (pend->duration_s == 0)
		return;
	duration_format(when, sizeof when, pend->duration_s);
	pend->what = xasprintf("snooze %s for %s", pend->id, when);
	run(app);
}

static void
cmd_snooze(struct ui *app, struct pane *pane, const char *args)
{
	char	*label;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (!begin(app, ACTION_SNOOZE, "snooze"))
		return;
	if (args != NULL) {
		snooze_answer(app, args, NULL);
		return;
	}
	label = xasprintf("snooze %s for: ", pend->id);
	ui_prompt(app, label, "1h", snooze_answer, NULL);
	prompt_about_pending(app);
	free(label);
}

static void
reassign_answer(struct ui *app, const char *text, void *arg)
{
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (text == NULL || *text == '\0')
		return;
	pend->text = xstrdup(text);
	pend->what = xasprintf("reassign %s to %s", pend->id, text);
	run(app);
}

static void
cmd_reassign(struct ui *app, struct pane *pane, const char *args)
{
	char	*label;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (!begin(app, ACTION_REASSIGN, "reassign"))
		return;
	if (args != NULL) {
		reassign_answer(app, args, NULL);
		return;
	}
	label = xasprintf("reassign %s to (user id, or escalation level): ",
	    pend->id);
	ui_prompt(app, label, "", reassign_answer, NULL);
	prompt_about_pending(app);
	free(label);
}

/* What a silence is named by in messages: the alert's name, else its id. */
static const char *
silence_name(const struct alerts_pending *pend)
{
	const char	*name = kvlist_get(&pend->matchers, "alertname");

	return (name != NULL ? name : pend->id);
}

/* Silence: duration, then comment, then the exact silence to confirm. */
static void
silence_preview(struct ui *app)
{
	struct detail	*d = &app->detail;
	struct source	*s;
	char		 when[16], until[32], *no, *q;
	size_t		 i;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	detail_clear(d);
	d->title = xasprintf("New silence in %s", pend->source);
	duration_format(when, sizeof when, pend->duration_s);
	time_format_iso(until, sizeof until, time_wall() + pend->duration_s);
	detail_add(d, DRAW_NORMAL, "for: %s (until %s)", when, until);
	detail_kv(d, "comment", pend->text);
	s = source_find(app->sources, app->nsources, pend->source);
	detail_kv(d, "created by", s != NULL ? s->writer : NULL);
	detail_heading(d, "matchers (every label of the alert, exact)");
	for (i = 0; i < pend->matchers.n; i++)
		detail_add(d, DRAW_NORMAL, "%s=\"%s\"", pend->matchers.v[i].key,
		    pend->matchers.v[i].value);
	app->overlay = OVERLAY_DETAIL;
	ui_dirty(app);
	no = xasprintf("%s cancelled: no silence created", pend->what);
	q = xasprintf("create this silence for %s?", silence_name(pend));
	confirm(app, q, "y creates it", run_yes, no, true);
	free(q);
	free(no);
}

static void
silence_comment(struct ui *app, const char *text, void *arg)
{
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (text == NULL)
		return;
	if (*text == '\0') {
		ui_message(app, true, "%s: no silence created, it needs a "
		    "comment", pend->what);
		return;
	}
	pend->text = xstrdup(text);
	silence_preview(app);
}

static void
silence_duration(struct ui *app, const char *text, void *arg)
{
	char	when[16], *verb;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (text == NULL || *text == '\0')
		return;
	verb = xasprintf("silence %s", silence_name(pend));
	pend->duration_s = typed_duration(app, verb, text, 90 * 86400);
	free(verb);
	if (pend->duration_s == 0)
		return;
	duration_format(when, sizeof when, pend->duration_s);
	pend->what = xasprintf("silence %s for %s", silence_name(pend), when);
	ui_prompt(app, "comment: ", "", silence_comment, NULL);
	prompt_about_pending(app);
}

static void
cmd_silence(struct ui *app, struct pane *pane, const char *args)
{
	const struct alert	*a;
	size_t			 i;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (!begin(app, ACTION_SILENCE, "silence"))
		return;
	a = target(app);
	if (a->labels.n == 0) {
		ui_message(app, true, "silence %s: not possible, the alert has "
		    "no labels", a->id);
		return;
	}
	for (i = 0; i < a->labels.n; i++)
		kvlist_add(&pend->matchers, a->labels.v[i].key,
		    a->labels.v[i].value);
	if (args != NULL) {
		silence_duration(app, args, NULL);
		return;
	}
	ui_prompt(app, "silence for: ", "1h", silence_duration, NULL);
	prompt_about_pending(app);
}

static void	expire_yes(struct ui *, void *);

/* The alert's name for messages: its alertname label, else its title,
 * else its id. */
static const char *
alert_name(const struct alert *a)
{
	const char	*name = kvlist_get(&a->labels, "alertname");

	if (name == NULL || *name == '\0')
		name = a->title != NULL && *a->title != '\0' ? a->title : a->id;
	return (name);
}

/* Does the list "a, b, c" (as the source joined it) hold id? */
static bool
list_holds(const char *list, const char *id)
{
	size_t	n = strlen(id), len;

	while (list != NULL && *list != '\0') {
		list += strspn(list, ", ");
		len = strcspn(list, ",");
		if (len == n && strncmp(list, id, n) == 0)
			return (true);
		list += len;
	}
	return (false);
}

/* Before a silence is expired, the alerts it holds, from what the source
 * said of each (silenced_by): a silence made of regex matchers holds more
 * than the alert it was opened from, and every one of them will notify
 * again. Asked over the list. */
static void
expire_preview(struct ui *app)
{
	struct alerts_pending	*pend = &alerts_st(app)->pend;
	struct detail		*d = &app->detail;
	const struct model	*m = app->model;
	size_t			 i, n = 0;
	char			*q, *no;

	detail_clear(d);
	d->title = xasprintf("Expire silence %s in %s", pend->text,
	    pend->source);
	detail_heading(d, "the alerts it silences now, which will notify "
	    "again");
	for (i = 0; i < m->nalerts; i++) {
		const struct alert *a = &m->alerts[i];

		if (strcmp(a->source, pend->source) != 0 ||
		    !list_holds(kvlist_get(&a->details, "silenced_by"),
		    pend->text))
			continue;
		detail_add(d, DRAW_NORMAL, "%s %s  (%s)",
		    draw_severity_symbol(a->severity), a->title != NULL &&
		    *a->title != '\0' ? a->title : alert_name(a), a->id);
		n++;
	}
	if (n == 0)
		detail_add(d, DRAW_DIM, "none that sitrep shows");
	app->overlay = OVERLAY_DETAIL;
	ui_dirty(app);
	/* The id in full is the title's; the question, which must fit the
	 * status line, names it by its start as people do a commit. */
	q = xasprintf("expire silence %.8s? it silences %zu alert%s",
	    pend->text, n, n == 1 ? "" : "s");
	no = xasprintf("expire silence %.8s cancelled: no silence expired",
	    pend->text);
	confirm(app, q, "y expires it", expire_yes, no, true);
	free(no);
	free(q);
}

static void
expire_answer(struct ui *app, const char *text, void *arg)
{
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (text == NULL || *text == '\0')
		return;
	if (pend->text == NULL) {
		/* A typed id: asked about like every expiry. */
		pend->text = xstrdup(text);
		expire_preview(app);
		return;
	}
	pend->what = xasprintf("expire silence %s", pend->text);
	free(pend->id);
	pend->id = xstrdup(pend->text);
	run(app);
}

static void
expire_yes(struct ui *app, void *arg)
{
	expire_answer(app, "y", NULL);
}

/* Why an alert that is not silenced is quiet: the alerts that inhibit
 * it, by name where sitrep has them, with their ids if asked
 * ("ClusterDown (4f1c...)"), else by id. */
static char *
inhibitors(struct ui *app, const struct alert *a, const char *ids,
    bool with_ids)
{
	const struct alert	*by;
	struct sbuf		 sb;
	char			*id, *key;
	size_t			 len;

	sbuf_init(&sb);
	while (*ids != '\0') {
		ids += strspn(ids, ", ");
		if ((len = strcspn(ids, ",")) == 0)
			break;
		id = xstrndup(ids, len);
		key = xasprintf("%s/%s", a->source, id);
		if (sb.len > 0)
			sbuf_adds(&sb, ", ");
		if ((by = model_alert_by_key(app->model, key)) != NULL &&
		    with_ids)
			sbuf_addf(&sb, "%s (%s)", alert_name(by), id);
		else if (by != NULL)
			sbuf_adds(&sb, alert_name(by));
		else
			sbuf_adds(&sb, id);
		free(key);
		free(id);
		ids += len;
	}
	return (sbuf_steal(&sb));
}

static void
cmd_expire_silence(struct ui *app, struct pane *pane, const char *args)
{
	const struct alert	*a;
	const char		*ids, *inh;
	char			*q, *by;
	struct alerts_pending	*pend = &alerts_st(app)->pend;

	if (!begin(app, ACTION_EXPIRE_SILENCE, "expire silence"))
		return;
	a = target(app);
	if ((ids = kvlist_get(&a->details, "silenced_by")) == NULL) {
		if ((inh = kvlist_get(&a->details, "inhibited_by")) != NULL) {
			/* Names only: it must fit 80 columns; the detail
			 * view's status line has the ids. */
			by = inhibitors(app, a, inh, false);
			ui_message(app, true, "expire silence: %s is inhibited "
			    "by %s, not silenced", alert_name(a), by);
			free(by);
		} else
			ui_message(app, true, "expire silence: %s is not "
			    "silenced, there is nothing to expire",
			    alert_name(a));
		return;
	}
	if (strchr(ids, ',') != NULL) {
		ui_prompt(app, "expire silence: ", (q = xstrndup(ids,
		    strcspn(ids, ","))), expire_answer, NULL);
		free(q);
		return;
	}
	pend->text = xstrdup(ids);
	expire_preview(app);
}

static void
filter_answer(struct ui *app, const char *text, void *arg)
{
	struct pane	*p = ui_pane(app, &alerts_view);
	struct alerts_filter	*filt = &alerts_st(app)->filt;

	if (text == NULL)
		return;
	free(filt->text);
	filt->text = *text != '\0' ? xstrdup(text) : NULL;
	filt->valid = false;
	pane_sync(app, p);
	if (alerts_count(app, p) > 0)
		pane_select(app, p, p->sel);
	ui_dirty(app);
}

static void
cmd_filter(struct ui *app, struct pane *pane, const char *args)
{
	struct alerts_filter	*filt = &alerts_st(app)->filt;

	if (args != NULL) {
		filter_answer(app, args, NULL);
		return;
	}
	ui_prompt(app, "filter alerts (empty: all): ", filt->text != NULL ?
	    filt->text : "", filter_answer, NULL);
}

static const struct command alerts_commands[] = {
	{ "acknowledge", NULL, "acknowledge the selected incident (PagerDuty)",
	  cmd_acknowledge },
	{ "resolve", NULL, "resolve the selected incident, after a y/N "
	  "(PagerDuty)", cmd_resolve },
	{ "note", "[TEXT]", "add a note to the selected incident (PagerDuty)",
	  cmd_note },
	{ "snooze", "[DURATION]", "snooze the selected incident, e.g. for 1h "
	  "(PagerDuty)", cmd_snooze },
	{ "reassign", "[USER|LEVEL]", "reassign the selected incident to a "
	  "user id, or escalate it to a level (PagerDuty)", cmd_reassign },
	{ "silence", "[DURATION]", "silence the selected alert by its labels, "
	  "after showing the silence (Alertmanager)", cmd_silence },
	{ "expire-silence", NULL, "expire the silence on the alert shown in "
	  "the detail view (Alertmanager)", cmd_expire_silence },
	{ "filter-alerts", "[TEXT]", "show only alerts whose text matches "
	  "(empty: all)", cmd_filter },
	{ "runbook", NULL, "run the selected alert's [runbook] command in the "
	  "action terminal, or open or copy its runbook link", launch_runbook },
	{ NULL, NULL, NULL, NULL }
};

static void
alerts_init(struct ui *app, struct pane *p)
{
	p->state = xcalloc(1, sizeof (struct alerts_state));
}

static void
alerts_free(struct ui *app, struct pane *p)
{
	struct alerts_state	*st = p->state;

	pend_clear(app);
	free(st->filt.text);
	free(st->filt.rows);
	free(st->rows_at);
	free(st);
	p->state = NULL;
}

const struct view_ops alerts_view = {
	.name = "alerts",
	.title = "Alerts",
	.feed = FEED_ALERTS,
	.count = alerts_count,
	.summary = alerts_summary,
	.columns = alerts_columns,
	.draw_row = alerts_draw_row,
	.draw_body = alerts_draw_body,
	.row_at = alerts_row_at,
	.row_key = alerts_row_key,
	.find_row = alerts_find_row,
	.row_service = alerts_row_service,
	.row_env = alerts_row_env,
	.row_time = alerts_row_time,
	.detail = alerts_detail,
	.generation = alerts_generation,
	.commands = alerts_commands,
	.init = alerts_init,
	.free = alerts_free,
};
