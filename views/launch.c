/* launch.c: rollbacks, runbooks and the shell, from a key to the action
 * terminal (see launch.h). What runs is settled in the plan before the
 * question is asked. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "actions/actconf.h"
#include "actions/actlog.h"
#include "actions/plan.h"
#include "core/argv.h"
#include "core/base64.h"
#include "core/child.h"
#include "core/model.h"
#include "core/sanitize.h"
#include "core/template.h"
#include "core/timeutil.h"
#include "core/xalloc.h"
#include "views/draw.h"
#include "views/launch.h"
#include "views/term.h"
#include "views/ui.h"

/* --- running a plan ------------------------------------------------------- */

static void
launch_run(struct ui *app, void *arg)
{
	struct plan	*p = arg;
	char		*err = NULL;

	if (!term_start(app, p, &err)) {
		ui_message(app, true, "%s not started: %s", p->action, err);
		free(err);
	}
}

static void
launch_free(void *arg)
{
	plan_free(arg);
}

/* A read-only seat starts nothing (actlog_start refuses too). */
static bool
launch_refused(struct ui *app, const char *what)
{
	char	*no;

	if (!actlog_read_only())
		return (false);
	no = actlog_refusal(what);
	ui_message(app, true, "%s", no);
	free(no);
	return (true);
}

static bool
launch_busy(struct ui *app)
{
	const char	*what;

	if (!term_busy(&what))
		return (false);
	ui_message(app, true, "%s is running: one action at a time", what);
	return (true);
}

/* The exact command, then its argv one argument a line. */
static void
show_argv(struct detail *d, const struct plan *p, const char *heading)
{
	char	*line;
	size_t	 i;

	detail_heading(d, heading);
	line = template_quote(p->argv);
	detail_add(d, DRAW_BOLD, "  $ %s", line);
	free(line);
	detail_heading(d, "argv, one argument a line");
	for (i = 0; p->argv[i] != NULL; i++)
		detail_add(d, DRAW_NORMAL, "  [%zu] %s", i, p->argv[i]);
}

/* Ask, the plan's detail open above the question; arg is the plan. */
static void
launch_ask(struct ui *app, struct plan *p, const char *question,
    const struct ask_choice *yes, const struct view_ops *view,
    const char *key, const char *name)
{
	struct ask_spec	spec;

	memset(&spec, 0, sizeof spec);
	spec.item_view = view;
	spec.item_key = key;
	spec.item_name = name;
	spec.question = question;
	spec.choices = yes;
	spec.n = 1;
	spec.what = p->action;
	spec.free_arg = launch_free;
	spec.arg = p;
	spec.owns_overlay = true;
	spec.grabs_keys = true;
	if (p->protect) {
		spec.expect = p->confirm_word;
		spec.expect_what = "the service name";
	}
	app->overlay = OVERLAY_DETAIL;
	ui_ask(app, &spec);
}

/* --- rollback ------------------------------------------------------------- */

static void
rollback_show(struct ui *app, const struct plan *p)
{
	const struct deploy	*dp = &p->deploy;
	struct detail		*d = &app->detail;
	char			 when[32], *env;

	detail_clear(d);
	d->title = xasprintf("Roll back %s in %s?", dp->service,
	    *p->environment != '\0' ? p->environment : "this environment");
	time_format_iso(when, sizeof when, dp->at);
	detail_kv(d, "deploy", dp->version != NULL ? dp->version :
	    dp->revision);
	detail_kv(d, "revision", dp->revision);
	detail_kv(d, "back to", dp->previous_revision);
	detail_kv(d, "deployed", when);
	detail_kv(d, "author", dp->author);
	env = p->protect ? xasprintf("%s (protected: type the service name)",
	    p->environment) : xstrdup(p->environment);
	detail_kv(d, "environment", env);
	free(env);
	show_argv(d, p, "runs, without a shell");
}

void
launch_rollback(struct ui *app, struct pane *pane, const char *args)
{
	static const struct ask_choice	 yes[] = {
		{ 'y', "y rolls back", launch_run },
	};
	const struct deploy		*dp;
	struct plan			*p;
	char				*err = NULL, *q, *key, *name;

	if (launch_refused(app, "rollback") || launch_busy(app))
		return;
	pane_sync(app, pane);
	/* From the deploy's detail view too: it shows the selected one. */
	if (app->overlay == OVERLAY_HELP ||
	    pane->sel >= app->model->ndeploys) {
		ui_message(app, false, "rollback: no deploy selected");
		return;
	}
	dp = &app->model->deploys[pane->sel];
	if ((p = plan_rollback(dp, app->model->environment, &err)) == NULL) {
		ui_message(app, true, "%s", err);
		free(err);
		return;
	}
	rollback_show(app, p);
	if (p->protect)
		q = xasprintf("%s is protected: type %s to roll it back: ",
		    p->environment, p->deploy.service);
	else
		q = xasprintf("Roll back %s%s%s in %s?", p->deploy.service,
		    p->deploy.version != NULL ? " " : "",
		    p->deploy.version != NULL ? p->deploy.version : "",
		    *p->environment != '\0' ? p->environment :
		    "this environment");
	key = pane->ops->row_key(app, pane, pane->sel);
	name = xasprintf("deploy %s%s%s", p->deploy.service,
	    p->deploy.version != NULL ? " " : "",
	    p->deploy.version != NULL ? p->deploy.version : "");
	launch_ask(app, p, q, yes, pane->ops, key, name);
	free(name);
	free(key);
	free(q);
}

/* --- runbook -------------------------------------------------------------- */

static void
runbook_show(struct ui *app, const struct plan *p)
{
	struct detail	*d = &app->detail;
	char		*line;
	size_t		 i;

	detail_clear(d);
	d->title = xasprintf("Run the runbook %s?", p->name);
	detail_kv(d, "alert", p->target);
	detail_heading(d, "runs, without a shell, in the action terminal");
	line = template_quote(p->argv);
	detail_add(d, DRAW_BOLD, "  $ %s", line);
	free(line);
	detail_heading(d, "with the alert in its environment");
	for (i = 0; i < p->env.n; i++)
		detail_add(d, DRAW_NORMAL, "  %s=%s", p->env.v[i].key,
		    p->env.v[i].value);
}

/* A runbook link: opened with open_command, or copied with OSC 52. */
struct link {
	char	*url;
};

static void
link_free(void *arg)
{
	struct link	*l = arg;

	free(l->url);
	free(l);
}

static void
open_url(struct ui *app, void *arg)
{
	struct link			*l = arg;
	const struct template_var	 v[] = { { "url", l->url } };
	char				**argv, *err = NULL;

	if ((argv = template_expand(actconf_open_command(), v, 1,
	    &err)) == NULL) {
		ui_message(app, true, "open the runbook link failed: "
		    "open_command: %s", err);
		free(err);
		return;
	}
	if (child_spawn_detached(argv) == -1)
		ui_message(app, true, "open the runbook link failed: cannot "
		    "run %s", argv[0]);
	else
		ui_message(app, false, "opening %s with %s", l->url, argv[0]);
	argv_free(argv);
}

/* OSC 52 puts text on the clipboard of the terminal the user sits at. */
static void
copy_url(struct ui *app, void *arg)
{
	struct link	*l = arg;
	char		*enc = base64_encode(l->url, strlen(l->url)), *seq;

	seq = xasprintf("\033]52;c;%s\a", enc);
	fflush(stdout);
	if (write(STDOUT_FILENO, seq, strlen(seq)) == -1)
		ui_message(app, true, "copy the runbook link failed: the "
		    "terminal could not be written to");
	else
		ui_message(app, false, "runbook link copied (OSC 52)");
	free(seq);
	free(enc);
}

static void
runbook_link(struct ui *app, const struct alert *a)
{
	struct ask_choice	 c[2];
	struct ask_spec		 spec;
	struct link		*l;
	struct detail		*d = &app->detail;
	size_t			 n = 0;
	char			*q;
	const char		*name = plan_alert_name(a);

	if (a->runbook_url == NULL || *a->runbook_url == '\0') {
		ui_message(app, true, "runbook for %s: none; there is no "
		    "[runbook \"%s\"] command and no runbook_url", name, name);
		return;
	}
	if (actconf_open_command() != NULL)
		c[n++] = (struct ask_choice){ 'o', "o opens it", open_url };
	if (actconf_osc52())
		c[n++] = (struct ask_choice){ 'c', "c copies it", copy_url };
	detail_clear(d);
	d->title = xasprintf("Runbook for %s", name);
	detail_kv(d, "link", a->runbook_url);
	if (n == 0)
		detail_add(d, DRAW_DIM, "Set open_command (e.g. xdg-open $url) "
		    "or osc52 = yes in [sitrep] to open or copy it from here.");
	app->overlay = OVERLAY_DETAIL;
	ui_dirty(app);
	if (n == 0)
		return;
	l = xcalloc(1, sizeof *l);
	l->url = xstrdup(a->runbook_url);
	q = sanitize(a->runbook_url, strlen(a->runbook_url), NULL);
	memset(&spec, 0, sizeof spec);
	spec.question = q;
	spec.choices = c;
	spec.n = n;
	spec.what = "runbook link";
	spec.free_arg = link_free;
	spec.arg = l;
	spec.owns_overlay = true;
	ui_ask(app, &spec);
	free(q);
}

void
launch_runbook(struct ui *app, struct pane *pane, const char *args)
{
	static const struct ask_choice	 yes[] = {
		{ 'y', "y runs it", launch_run },
	};
	const struct alert		*a;
	struct plan			*p;
	char				*err = NULL, *q, *key, *name;

	if (launch_refused(app, "runbook"))
		return;
	if ((a = ui_selected_alert(app)) == NULL) {
		ui_message(app, false, "runbook: no alert selected");
		return;
	}
	if ((p = plan_runbook(a, a->environment != NULL ? a->environment :
	    app->model->environment, &err)) == NULL) {
		if (err == NULL) {
			runbook_link(app, a);
			return;
		}
		ui_message(app, true, "%s", err);
		free(err);
		return;
	}
	if (launch_busy(app)) {
		plan_free(p);
		return;
	}
	runbook_show(app, p);
	q = xasprintf("Run the runbook %s for %s?", p->name,
	    plan_alert_name(a));
	key = xasprintf("%s/%s", a->source, a->id);
	name = xasprintf("alert %s", plan_alert_name(a));
	launch_ask(app, p, q, yes, &alerts_view, key, name);
	free(name);
	free(key);
	free(q);
}

/* --- the shell ---------------------------------------------------------- */

/* The focused pane's selection as SITREP_ variables. */
static void
selection_env(struct ui *app, struct kvlist *env, char **target)
{
	struct pane		*p = ui_focused(app);
	const char		*svc;

	kvlist_add(env, "SITREP_ENVIRONMENT", app->model->environment);
	if (p->ops->count(app, p) == 0 || p->sel >= p->ops->count(app, p))
		return;
	if (p->ops->row_env != NULL) {
		p->ops->row_env(app, p, p->sel, env, target);
		return;
	}
	if (p->ops->row_service != NULL &&
	    (svc = p->ops->row_service(app, p, p->sel)) != NULL) {
		kvlist_add(env, "SITREP_SERVICE", svc);
		*target = xstrdup(svc);
	}
}

void
launch_shell(struct ui *app, struct pane *pane, const char *args)
{
	struct kvlist	 env;
	struct plan	*p;
	const char	*sh = getenv("SHELL");
	char		*err = NULL, *target = NULL;

	if (launch_refused(app, "shell") || launch_busy(app))
		return;
	if (sh == NULL || *sh == '\0')
		sh = "/bin/sh";
	memset(&env, 0, sizeof env);
	selection_env(app, &env, &target);
	p = plan_shell(sh, &env, target);
	free(target);
	if (!term_start(app, p, &err)) {
		ui_message(app, true, "shell not started: %s", err);
		free(err);
	}
	plan_free(p);
}
