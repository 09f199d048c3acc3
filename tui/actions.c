/* actions.c: every action the console sends to a source passes here, so
 * that "cannot fire twice from one intent", the result on the status line,
 * the refresh after a write and the audit log live in one place. */
#include "config.h"

#include <sys/queue.h>

#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "core/audit.h"
#include "core/log.h"
#include "core/model.h"
#include "core/xalloc.h"
#include "tui/actions.h"
#include "tui/actlog.h"
#include "tui/app.h"
#include "tui/draw.h"
#include "views/view.h"

struct action_run {
	struct app		*app;
	struct source		*source;
	char			*key;
	char			*what;
	enum action_kind	 kind;
	struct actlog		*log;		/* its audit entry */
	LIST_ENTRY(action_run)	 entry;
};

/* A details fetch; the detail view may have moved on when it ends. */
struct details_run {
	struct app		*app;
	char			*key;
	size_t			 line;		/* the "loading" line */
	LIST_ENTRY(details_run)	 entry;
};

static LIST_HEAD(, action_run)	running = LIST_HEAD_INITIALIZER(running);
static LIST_HEAD(, details_run)	fetching = LIST_HEAD_INITIALIZER(fetching);

static struct action_run *
run_find(const char *key)
{
	struct action_run	*r;

	LIST_FOREACH(r, &running, entry) {
		if (strcmp(r->key, key) == 0)
			return (r);
	}
	return (NULL);
}

static const char *
kind_name(enum action_kind k)
{
	static const char *const names[] = {
		"ack", "resolve", "note", "snooze", "reassign", "silence",
		"expire-silence"
	};

	return ((size_t)k < sizeof names / sizeof names[0] ? names[k] :
	    "action");
}

/* The backends say the status as "HTTP 201" in their messages. */
static long
http_status_in(const char *msg)
{
	const char	*p;
	long		 st;

	for (p = msg; p != NULL && (p = strstr(p, "HTTP ")) != NULL; p++) {
		st = strtol(p + 5, NULL, 10);
		if (st >= 100 && st <= 599)
			return (st);
	}
	return (0);
}

/* The audit log (tui/actlog.c): one JSON line before, fsync'd; false if
 * it cannot be written, and then the action must not be sent. */
bool
action_begin(const char *source, const char *key, const char *what)
{
	struct action_run	*r = run_find(key);
	char			*request, *err = NULL;

	log_msg("action start: %s: %s", source, what);
	if (r == NULL)
		return (true);
	request = xasprintf("%s: %s", source, what);
	r->log = actlog_start(kind_name(r->kind), key, NULL, NULL, request,
	    &err);
	free(request);
	free(err);
	return (r->log != NULL);
}

void
action_end(const char *source, const char *key, const char *what, bool ok,
    const char *result)
{
	struct action_run	*r = run_find(key);
	char			*err = NULL;

	log_msg("action %s: %s: %s", ok ? "done" : "failed", source, result);
	if (r == NULL || r->log == NULL)
		return;
	actlog_end_http(r->log, http_status_in(result), ok ? NULL : result,
	    &err);
	free(err);
	r->log = NULL;
}

bool
actions_busy(const char *key)
{
	return (run_find(key) != NULL);
}

static void
action_run_free(struct action_run *r)
{
	char	*err = NULL;

	/* Still in flight when sitrep quits: its end is unknown. */
	if (r->log != NULL &&
	    !actlog_end_http(r->log, 0, "sitrep quit before the answer", &err))
		free(err);
	LIST_REMOVE(r, entry);
	free(r->key);
	free(r->what);
	free(r);
}

static void
action_done(bool ok, const char *message, void *arg)
{
	struct action_run	*r = arg;

	action_end(r->source->name, r->key, r->what, ok, message);
	app_message(r->app, !ok, "%s", message);
	/* The pane shows the effect now, not at the next tick. */
	if (ok)
		source_refresh_now(r->source);
	action_run_free(r);
}

void
actions_run(struct app *app, struct source *s, const char *key,
    const struct action *a, const char *what)
{
	struct action_run	*r;

	if (actions_busy(key)) {
		app_message(app, true, "%s: already in progress", what);
		return;
	}
	if (s->ops->act == NULL ||
	    (s->ops->actions & ACTION_BIT(a->kind)) == 0) {
		app_message(app, true, "%s: %s sources cannot do that", what,
		    s->ops->kind);
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->app = app;
	r->source = s;
	r->key = xstrdup(key);
	r->what = xstrdup(what);
	r->kind = a->kind;
	LIST_INSERT_HEAD(&running, r, entry);
	if (!action_begin(s->name, key, what)) {
		app_message(app, true, "%s: not sent: the audit log %s cannot "
		    "be written", what, audit_path());
		action_run_free(r);
		return;
	}
	app_message(app, false, "%s ...", what);
	if (!s->ops->act(s, a, action_done, r))
		action_done(false, "the source cannot do that", r);
}

/* --- details -------------------------------------------------------------- */

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
		app_dirty(r->app);
	}
	LIST_REMOVE(r, entry);
	free(r->key);
	free(r);
}

void
actions_fetch_details(struct app *app, const struct alert *a)
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
	LIST_INSERT_HEAD(&fetching, r, entry);
	s->ops->details(s, a->id, details_done, r);
}

void
actions_free(void)
{
	struct details_run	*d;

	while (!LIST_EMPTY(&running))
		action_run_free(LIST_FIRST(&running));
	while ((d = LIST_FIRST(&fetching)) != NULL) {
		LIST_REMOVE(d, entry);
		free(d->key);
		free(d);
	}
}
