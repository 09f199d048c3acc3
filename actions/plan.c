/* plan.c: the plans of rollbacks, runbooks and shells (see plan.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "actions/actconf.h"
#include "actions/plan.h"
#include "core/argv.h"
#include "core/model.h"
#include "core/xalloc.h"

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

void
plan_free(struct plan *p)
{
	if (p == NULL)
		return;
	free(p->action);
	free(p->title);
	free(p->target);
	free(p->environment);
	argv_free(p->argv);
	kvlist_free(&p->env);
	free(p->confirm_word);
	free(p->name);
	deploy_free(&p->deploy);
	free(p);
}

const char *
plan_alert_name(const struct alert *a)
{
	const char	*n = kvlist_get(&a->labels, "alertname");

	return (n != NULL ? n : (a->title != NULL ? a->title : a->id));
}

struct plan *
plan_rollback(const struct deploy *d, const char *console_env, char **err)
{
	struct plan	*p;
	const char	*tmpl;
	char		*why = NULL;

	*err = NULL;
	if ((tmpl = actconf_rollback(d->service)) == NULL &&
	    (tmpl = actconf_demo_rollback(d)) == NULL) {
		*err = xasprintf("roll back %s: no command for it; add "
		    "[rollback \"%s\"] or [rollback \"*\"] with a command "
		    "(sitrep.conf(5))", d->service, d->service);
		return (NULL);
	}
	p = xcalloc(1, sizeof *p);
	deploy_copy(&p->deploy, d);
	p->environment = xstrdup(d->environment != NULL &&
	    *d->environment != '\0' ? d->environment : console_env);
	if ((p->argv = actconf_rollback_argv(tmpl, &p->deploy, console_env,
	    &why)) == NULL) {
		*err = xasprintf("roll back %s: %s", d->service, why);
		free(why);
		plan_free(p);
		return (NULL);
	}
	p->action = xstrdup("rollback");
	p->title = xasprintf("rollback %s%s%s", d->service,
	    d->version != NULL ? " " : "", d->version != NULL ? d->version :
	    "");
	p->target = xstrdup(p->title + strlen("rollback "));
	p->protect = actconf_protected(p->environment);
	p->confirm_word = xstrdup(d->service);
	actconf_deploy_env(&p->deploy, console_env, &p->env);
	return (p);
}

struct plan *
plan_runbook(const struct alert *a, const char *console_env, char **err)
{
	struct plan	*p;
	const char	*tmpl, *name = NULL;
	char		*why = NULL;

	*err = NULL;
	if ((tmpl = actconf_runbook(a, &name)) == NULL)
		return (NULL);
	p = xcalloc(1, sizeof *p);
	if ((p->argv = actconf_runbook_argv(tmpl, a, console_env,
	    &why)) == NULL) {
		*err = xasprintf("runbook %s: %s", name, why);
		free(why);
		plan_free(p);
		return (NULL);
	}
	p->action = xstrdup("runbook");
	p->name = xstrdup(name);
	p->title = xasprintf("runbook %s", name);
	p->target = xasprintf("%s %s/%s", plan_alert_name(a), a->source, a->id);
	actconf_alert_env(a, console_env, &p->env);
	return (p);
}

struct plan *
plan_shell(const char *sh, struct kvlist *env, const char *target)
{
	struct plan	*p = xcalloc(1, sizeof *p);

	p->action = xstrdup("shell");
	p->argv = xcalloc(2, sizeof *p->argv);
	p->argv[0] = xstrdup(sh);
	p->title = xasprintf("shell%s%s", target != NULL ? " for " : "",
	    target != NULL ? target : "");
	p->target = xstrdup(target != NULL ? target : "");
	p->env = *env;
	memset(env, 0, sizeof *env);
	return (p);
}
