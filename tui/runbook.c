/* runbook.c: runbooks and the shell in the action terminal, and the
 * runbook link for alerts that have no runbook command (see runbook.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/model.h"
#include "core/sanitize.h"
#include "core/sbuf.h"
#include "core/secret.h"
#include "core/template.h"
#include "core/xalloc.h"
#include "tui/actconf.h"
#include "tui/app.h"
#include "tui/ask.h"
#include "tui/child.h"
#include "tui/draw.h"
#include "tui/runbook.h"
#include "tui/term.h"
#include "views/view.h"

/* --- which alert --------------------------------------------------------- */

/* The alert in the open detail view, else the alerts pane's selection. */
static const struct alert *
selected_alert(struct app *app)
{
	struct pane		*p = &app->panes[PANE_ALERTS];
	const struct alert	*a;
	char			*key;

	if (app->overlay == OVERLAY_DETAIL && app->detail.key != NULL)
		return (alerts_by_key(app, app->detail.key));
	if (p->ops->count(app, p) == 0)
		return (NULL);
	key = p->ops->row_key(app, p->sel);
	a = alerts_by_key(app, key);
	free(key);
	return (a);
}

static const char *
alert_name(const struct alert *a)
{
	const char	*n = kvlist_get(&a->labels, "alertname");

	return (n != NULL ? n : (a->title != NULL ? a->title : a->id));
}

/* --- the runbook command --------------------------------------------------- */

struct runbook {
	char		**argv;
	char		 *title;
	char		 *target;
	struct kvlist	  env;
	char		 *url;
};

static void
runbook_free(void *arg)
{
	struct runbook	*r = arg;

	argv_free(r->argv);
	free(r->title);
	free(r->target);
	kvlist_free(&r->env);
	free(r->url);
	free(r);
}

static void
runbook_run(struct app *app, void *arg)
{
	struct runbook		*r = arg;
	struct term_spec	 spec;
	char			*err = NULL;

	memset(&spec, 0, sizeof spec);
	spec.title = r->title;
	spec.argv = r->argv;
	spec.env = &r->env;
	spec.action = "runbook";
	spec.target = r->target;
	if (!term_start(app, &spec, &err)) {
		app_message(app, true, "runbook not started: %s", err);
		free(err);
	}
}

static void
runbook_cancelled(struct app *app, void *arg)
{
	app_message(app, false, "runbook cancelled: nothing ran");
}

static void
runbook_show(struct app *app, const struct runbook *r, const char *name)
{
	struct detail	*d = &app->detail;
	char		*line;
	size_t		 i;

	detail_clear(d);
	d->title = xasprintf("Run the runbook %s?", name);
	detail_kv(d, "alert", r->target);
	detail_heading(d, "runs, without a shell, in the action terminal");
	line = template_quote(r->argv);
	detail_add(d, DRAW_BOLD, "  $ %s", line);
	free(line);
	detail_heading(d, "with the alert in its environment");
	for (i = 0; i < r->env.n; i++)
		detail_add(d, DRAW_NORMAL, "  %s=%s", r->env.v[i].key,
		    r->env.v[i].value);
	app->overlay = OVERLAY_DETAIL;
	app_dirty(app);
}

/* --- the runbook link -------------------------------------------------------- */

static void
open_url(struct app *app, void *arg)
{
	struct runbook			*r = arg;
	const struct template_var	 v[] = { { "url", r->url } };
	char				**argv, *err = NULL;

	if ((argv = template_expand(actconf_open_command(), v, 1,
	    &err)) == NULL) {
		app_message(app, true, "open_command: %s", err);
		free(err);
		return;
	}
	if (child_spawn_detached(argv) == -1)
		app_message(app, true, "cannot run %s", argv[0]);
	else
		app_message(app, false, "opening %s with %s", r->url, argv[0]);
	argv_free(argv);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *
base64(const char *s)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 len = strlen(s), i;
	struct sbuf		 sb;
	unsigned		 n;

	sbuf_init(&sb);
	for (i = 0; i < len; i += 3) {
		n = (unsigned)u[i] << 16;
		if (i + 1 < len)
			n |= (unsigned)u[i + 1] << 8;
		if (i + 2 < len)
			n |= u[i + 2];
		sbuf_addc(&sb, b64[(n >> 18) & 63]);
		sbuf_addc(&sb, b64[(n >> 12) & 63]);
		sbuf_addc(&sb, i + 1 < len ? b64[(n >> 6) & 63] : '=');
		sbuf_addc(&sb, i + 2 < len ? b64[n & 63] : '=');
	}
	return (sbuf_steal(&sb));
}

/* OSC 52 puts text on the clipboard of the terminal the user sits at. */
static void
copy_url(struct app *app, void *arg)
{
	struct runbook	*r = arg;
	char		*enc = base64(r->url), *seq;

	seq = xasprintf("\033]52;c;%s\a", enc);
	fflush(stdout);
	if (write(STDOUT_FILENO, seq, strlen(seq)) == -1)
		app_message(app, true, "could not send the link to the "
		    "terminal");
	else
		app_message(app, false, "runbook link copied (OSC 52)");
	free(seq);
	free(enc);
}

static void
runbook_link(struct app *app, const struct alert *a)
{
	struct ask_choice	 c[2];
	struct runbook		*r;
	struct detail		*d = &app->detail;
	size_t			 n = 0;
	char			*q;

	if (a->runbook_url == NULL || *a->runbook_url == '\0') {
		app_message(app, true, "%s has no runbook: no [runbook \"%s\"] "
		    "command and no runbook_url", alert_name(a), alert_name(a));
		return;
	}
	if (actconf_open_command() != NULL)
		c[n++] = (struct ask_choice){ 'o', "o opens it", open_url };
	if (actconf_osc52())
		c[n++] = (struct ask_choice){ 'c', "c copies it", copy_url };
	detail_clear(d);
	d->title = xasprintf("Runbook for %s", alert_name(a));
	detail_kv(d, "link", a->runbook_url);
	if (n == 0)
		detail_add(d, DRAW_DIM, "Set open_command (e.g. xdg-open $url) "
		    "or osc52 = yes in [sitrep] to open or copy it from here.");
	app->overlay = OVERLAY_DETAIL;
	app_dirty(app);
	if (n == 0)
		return;
	r = xcalloc(1, sizeof *r);
	r->url = xstrdup(a->runbook_url);
	q = sanitize(a->runbook_url, strlen(a->runbook_url), NULL);
	ask_start(app, q, c, n, NULL, runbook_free, r, true);
	free(q);
}

void
runbook_command(struct app *app, const char *args)
{
	static const struct ask_choice	 yes[] = {
		{ 'y', "y runs it", runbook_run },
	};
	const struct alert		*a;
	struct runbook			*r;
	const char			*tmpl, *name = NULL, *what;
	char				*err = NULL, *q;

	if ((a = selected_alert(app)) == NULL) {
		app_message(app, false, "select an alert first");
		return;
	}
	if ((tmpl = actconf_runbook(a, &name)) == NULL) {
		runbook_link(app, a);
		return;
	}
	if (term_busy(&what)) {
		app_message(app, true, "%s is running: one action at a time",
		    what);
		return;
	}
	r = xcalloc(1, sizeof *r);
	if ((r->argv = actconf_runbook_argv(tmpl, a, app->model->environment,
	    &err)) == NULL) {
		app_message(app, true, "runbook %s: %s", name, err);
		free(err);
		runbook_free(r);
		return;
	}
	r->title = xasprintf("runbook %s", name);
	r->target = xasprintf("%s %s/%s", alert_name(a), a->source, a->id);
	actconf_alert_env(a, app->model->environment, &r->env);
	runbook_show(app, r, name);
	q = xasprintf("Run the runbook %s for %s?", name, alert_name(a));
	ask_start(app, q, yes, 1, runbook_cancelled, runbook_free, r, true);
	free(q);
}

/* --- the shell ---------------------------------------------------------- */

/* The focused pane's selection as SITREP_ variables. */
static void
selection_env(struct app *app, struct kvlist *env, char **target)
{
	struct pane		*p = app_focused(app);
	const struct alert	*a;
	const char		*svc;

	kvlist_add(env, "SITREP_ENVIRONMENT", app->model->environment);
	if (p->ops->count(app, p) == 0)
		return;
	if (app->focus == PANE_ALERTS && (a = selected_alert(app)) != NULL) {
		actconf_alert_env(a, app->model->environment, env);
		*target = xasprintf("%s %s", a->source, a->id);
		return;
	}
	if (app->focus == PANE_DEPLOYS && p->sel < app->model->ndeploys) {
		const struct deploy *d = &app->model->deploys[p->sel];

		actconf_deploy_env(d, app->model->environment, env);
		*target = xasprintf("%s %s", d->service, d->version != NULL ?
		    d->version : "");
		return;
	}
	if (app->focus == PANE_SLO && p->sel < app->model->nslos)
		kvlist_add(env, "SITREP_SLO", app->model->slos[p->sel].name);
	if (p->ops->row_service != NULL &&
	    (svc = p->ops->row_service(app, p->sel)) != NULL) {
		kvlist_add(env, "SITREP_SERVICE", svc);
		*target = xstrdup(svc);
	}
}

void
shell_command(struct app *app, const char *args)
{
	struct term_spec	 spec;
	struct kvlist		 env;
	const char		*sh = getenv("SHELL"), *what;
	char			*argv[2], *err = NULL, *target = NULL, *title;

	if (term_busy(&what)) {
		app_message(app, true, "%s is running: one action at a time",
		    what);
		return;
	}
	if (sh == NULL || *sh == '\0')
		sh = "/bin/sh";
	argv[0] = (char *)sh;
	argv[1] = NULL;
	memset(&env, 0, sizeof env);
	selection_env(app, &env, &target);
	title = xasprintf("shell%s%s", target != NULL ? " for " : "",
	    target != NULL ? target : "");
	memset(&spec, 0, sizeof spec);
	spec.title = title;
	spec.argv = argv;
	spec.env = &env;
	spec.action = "shell";
	spec.target = target != NULL ? target : "";
	if (!term_start(app, &spec, &err)) {
		app_message(app, true, "shell not started: %s", err);
		free(err);
	}
	free(title);
	free(target);
	kvlist_free(&env);
}
