/* rollback.c: the rollback of the selected deploy (see rollback.h). The
 * deploy is copied when the question is asked, so that a refresh that
 * replaces the list meanwhile changes nothing about what runs. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "core/model.h"
#include "core/secret.h"
#include "core/template.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "tui/actconf.h"
#include "tui/app.h"
#include "tui/ask.h"
#include "tui/draw.h"
#include "tui/rollback.h"
#include "tui/term.h"
#include "views/view.h"

struct rollback {
	struct deploy	  d;		/* a copy */
	char		**argv;
	char		 *environment;	/* the deploy's, else the console's */
};

static void
rollback_free(void *arg)
{
	struct rollback	*r = arg;

	deploy_free(&r->d);
	argv_free(r->argv);
	free(r->environment);
	free(r);
}

static char *
dup_or_null(const char *s)
{
	return (s != NULL ? xstrdup(s) : NULL);
}

static void
deploy_copy(struct deploy *to, const struct deploy *from)
{
	memset(to, 0, sizeof *to);
	to->source = dup_or_null(from->source);
	to->id = dup_or_null(from->id);
	to->service = dup_or_null(from->service);
	to->version = dup_or_null(from->version);
	to->revision = dup_or_null(from->revision);
	to->previous_revision = dup_or_null(from->previous_revision);
	to->author = dup_or_null(from->author);
	to->url = dup_or_null(from->url);
	to->environment = dup_or_null(from->environment);
	to->summary = dup_or_null(from->summary);
	to->at = from->at;
	to->suspect = from->suspect;
}

static void
rollback_run(struct app *app, void *arg)
{
	struct rollback		*r = arg;
	struct kvlist		 env;
	struct term_spec	 spec;
	char			*title, *err = NULL;

	memset(&env, 0, sizeof env);
	actconf_deploy_env(&r->d, app->model->environment, &env);
	title = xasprintf("rollback %s%s%s", r->d.service,
	    r->d.version != NULL ? " " : "", r->d.version != NULL ?
	    r->d.version : "");
	memset(&spec, 0, sizeof spec);
	spec.title = title;
	spec.argv = r->argv;
	spec.env = &env;
	spec.action = "rollback";
	spec.target = title + strlen("rollback ");
	spec.environment = r->environment;
	if (!term_start(app, &spec, &err)) {
		app_message(app, true, "rollback not started: %s", err);
		free(err);
	}
	kvlist_free(&env);
	free(title);
}

static void
rollback_cancelled(struct app *app, void *arg)
{
	app_message(app, false, "rollback cancelled: nothing ran");
}

/* A protected environment: the typed name must be the service. */
static void
rollback_typed(struct app *app, const char *text, void *arg)
{
	struct rollback	*r = arg;

	if (app->overlay == OVERLAY_DETAIL) {
		app->overlay = OVERLAY_NONE;
		detail_clear(&app->detail);
	}
	if (text == NULL)
		rollback_cancelled(app, r);
	else if (strcmp(text, r->d.service) != 0)
		app_message(app, true, "rollback cancelled: \"%s\" is not "
		    "the service name; nothing ran", text);
	else
		rollback_run(app, r);
	rollback_free(r);
}

/* The detail overlay shows exactly what will run. */
static void
rollback_show(struct app *app, const struct rollback *r, bool protect)
{
	struct detail	*d = &app->detail;
	char		 when[32], *line, *env;
	size_t		 i;

	detail_clear(d);
	d->title = xasprintf("Roll back %s in %s?", r->d.service,
	    *r->environment != '\0' ? r->environment : "this environment");
	time_format_iso(when, sizeof when, r->d.at);
	detail_kv(d, "deploy", r->d.version != NULL ? r->d.version :
	    r->d.revision);
	detail_kv(d, "revision", r->d.revision);
	detail_kv(d, "back to", r->d.previous_revision);
	detail_kv(d, "deployed", when);
	detail_kv(d, "author", r->d.author);
	env = protect ? xasprintf("%s (protected: type the service name)",
	    r->environment) : xstrdup(r->environment);
	detail_kv(d, "environment", env);
	free(env);
	detail_heading(d, "runs, without a shell");
	line = template_quote(r->argv);
	detail_add(d, DRAW_BOLD, "  $ %s", line);
	free(line);
	detail_heading(d, "argv, one argument a line");
	for (i = 0; r->argv[i] != NULL; i++)
		detail_add(d, DRAW_NORMAL, "  [%zu] %s", i, r->argv[i]);
	app->overlay = OVERLAY_DETAIL;
	app_dirty(app);
}

void
rollback_command(struct app *app, const char *args)
{
	static const struct ask_choice	 yes[] = {
		{ 'y', "y rolls back", rollback_run },
	};
	struct pane			*p = &app->panes[PANE_DEPLOYS];
	struct rollback			*r;
	const char			*tmpl, *what;
	char				*err = NULL, *q;
	bool				 protect;

	if (term_busy(&what)) {
		app_message(app, true, "%s is running: one action at a time",
		    what);
		return;
	}
	if (app->overlay != OVERLAY_NONE || p->sel >= app->model->ndeploys) {
		app_message(app, false, "select a deploy first");
		return;
	}
	r = xcalloc(1, sizeof *r);
	deploy_copy(&r->d, &app->model->deploys[p->sel]);
	if ((tmpl = actconf_rollback(r->d.service)) == NULL) {
		app_message(app, true, "no rollback for %s: add [rollback "
		    "\"%s\"] or [rollback \"*\"] with a command (sitrep.conf(5))",
		    r->d.service, r->d.service);
		rollback_free(r);
		return;
	}
	r->environment = xstrdup(r->d.environment != NULL &&
	    *r->d.environment != '\0' ? r->d.environment :
	    app->model->environment);
	if ((r->argv = actconf_rollback_argv(tmpl, &r->d,
	    app->model->environment, &err)) == NULL) {
		app_message(app, true, "rollback of %s: %s", r->d.service, err);
		free(err);
		rollback_free(r);
		return;
	}
	protect = actconf_protected(r->environment);
	rollback_show(app, r, protect);
	if (protect) {
		q = xasprintf("%s is protected: type %s to roll it back: ",
		    r->environment, r->d.service);
		app_prompt(app, q, NULL, rollback_typed, r);
	} else {
		q = xasprintf("Roll back %s in %s?", r->d.service,
		    *r->environment != '\0' ? r->environment :
		    "this environment");
		ask_start(app, q, yes, 1, rollback_cancelled, rollback_free, r,
		    true);
	}
	free(q);
}
